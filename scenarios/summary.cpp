#include "wlsim/scenarios/summary.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <tuple>
#include <vector>

#include "summary_fields.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/fleet_metrics.hpp"

namespace wlsim::scenarios {

using engine::Json;
using engine::number_text;

namespace {

using fields::JsonOut;

Json workload_json(const WorkloadResult& w) {
  Json j = Json::object();
  JsonOut out(j);
  fields::workload(out, w);
  return j;
}

}  // namespace

Json amounts_json(const ResourceAmounts& a) {
  Json j = Json::object();
  JsonOut out(j);
  fields::amounts(out, a);
  return j;
}

namespace {

Json cluster_json(const ClusterResult& c) {
  Json pools = Json::object();
  for (const PoolResult& p : c.pools) {
    pools[p.name] = {
        {"nodes", p.nodes}, {"peakNodes", p.peak_nodes}, {"nodeSeconds", p.node_seconds}};
  }
  Json timeline = Json::array();
  for (const NodeCountResult& n : c.node_timeline)
    timeline.push_back({{"at", n.at_s}, {"pool", n.pool}, {"nodes", n.nodes}});
  Json j = Json::object();
  j["pools"] = std::move(pools);
  j["scaleUps"] = c.scale_ups;
  j["scaleDowns"] = c.scale_downs;
  j["nodeFailures"] = c.node_failures;
  j["nodeTimeline"] = std::move(timeline);
  return j;
}

}  // namespace

Json summary_metrics_value(const RunResult& r) {
  Json workloads = Json::object();
  for (const WorkloadResult& w : r.workloads) workloads[w.id] = workload_json(w);
  Json j = Json::object();
  j["workloads"] = std::move(workloads);
  j["fleet"] = fleet_json(measure_fleet(r));
  return j;
}

Json summary_value(const RunResult& r) {
  Json metrics = summary_metrics_value(r);
  Json actions = Json::array();
  for (const CallResult& c : r.calls) {
    Json a = Json::object();
    a["at"] = c.at_s;
    a["request"] = c.endpoint;
    a["status"] = c.status;
    // The platform's body, embedded as the JSON it is.
    a["body"] = Json::parse(c.body);
    actions.push_back(std::move(a));
  }
  Json j = Json::object();
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["simulatedSeconds"] = r.simulated.seconds();
  j["events"] = r.events;
  j["traceRecords"] = r.trace_records;
  j["traceHash"] = engine::hash_hex(r.trace_hash);
  j["workloads"] = std::move(metrics["workloads"]);
  j["fleet"] = std::move(metrics["fleet"]);
  j["actions"] = std::move(actions);
  j["cluster"] = cluster_json(r.cluster);
  return j;
}

std::string summary_json(const RunResult& r) { return engine::to_text(summary_value(r)); }

namespace {
std::string seconds_cell(double s) { return number_text(s) + "s"; }
// To the tenth of a millisecond: a table is read, the JSON keeps every digit.
std::string latency_cell(double s) { return number_text(std::round(s * 1e4) / 1e4) + "s"; }
std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}
}  // namespace

std::vector<const WorkloadResult*> worst_workloads(const RunResult& r) {
  std::vector<const WorkloadResult*> out;
  out.reserve(r.workloads.size());
  for (const WorkloadResult& w : r.workloads) out.push_back(&w);
  // Errored at the end, then never running, then by time to running, longest first; a tie keeps
  // creation order.
  const auto rank = [](const WorkloadResult* w) {
    return std::tuple(w->status == "errored" ? 0 : 1, w->time_to_running_s ? 1 : 0,
                      -w->time_to_running_s.value_or(0));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto* a, const auto* b) { return rank(a) < rank(b); });
  return out;
}

namespace {

std::string amounts_cell(const ResourceAmounts& a) {
  std::string s = number_text(a.cpu) + " cpu / " + number_text(a.memory_bytes / 1e9) + "GB";
  if (a.gpu > 0) s += " / " + number_text(a.gpu) + " gpu";
  return s;
}

/// Whether `endpoint` ("POST /workloads/wl-1/replacement") is about one of `workloads`.
bool names_any(const std::string& endpoint, const std::vector<const WorkloadResult*>& workloads) {
  const std::size_t at = endpoint.find("/workloads/");
  if (at == std::string::npos) return false;
  const std::size_t from = at + std::string_view("/workloads/").size();
  const std::string id = endpoint.substr(from, endpoint.find('/', from) - from);
  return std::any_of(workloads.begin(), workloads.end(),
                     [&](const WorkloadResult* w) { return w->id == id; });
}

void fleet_table(std::ostream& o, const FleetResult& f) {
  const auto cell = [](const std::optional<double>& v) {
    return v ? seconds_cell(*v) : std::string("-");
  };
  o << "fleet  workloads " << f.total;
  std::string statuses;
  for (const auto& [status, count] : f.by_status)
    statuses += (statuses.empty() ? "" : ", ") + status + " " + std::to_string(count);
  if (!statuses.empty()) o << " (" << statuses << ")";
  o << "  everErrored " << f.ever_errored << "  allRunning " << cell(f.time_all_running_s)
    << "  nodeSeconds " << number_text(f.node_seconds) << "\n";
  if (f.replacements > 0) {
    o << "rollout  replacements " << f.replacements << "  inFlight " << f.replacements_in_flight
      << "  makespan " << cell(f.rollout_makespan_s) << "  surge total "
      << amounts_cell(f.surge_total) << "  peak " << amounts_cell(f.surge_peak) << "\n";
  }
  // Quantiles across one workload are its own values, already in the workload table below.
  if (f.total < 2) return;
  o << pad("across workloads", 18) << pad("n", 7) << pad("p50", 12) << pad("p90", 12)
    << pad("p99", 12) << "max\n";
  for (const auto& [name, q] : f.quantiles) {
    const bool count = name == "restarts" || name == "oomKills";
    const auto value = [&](const std::optional<double>& v) {
      return !v ? std::string("-") : count ? number_text(*v) : seconds_cell(*v);
    };
    o << pad(name, 18) << pad(std::to_string(q.n), 7) << pad(value(q.p50), 12)
      << pad(value(q.p90), 12) << pad(value(q.p99), 12) << value(q.max) << "\n";
  }
}

}  // namespace

std::string summary_table(const RunResult& r, std::optional<std::size_t> top) {
  std::ostringstream o;
  o << "scenario " << r.scenario << "  seed " << r.seed << "  simulated "
    << seconds_cell(r.simulated.seconds()) << "  events " << r.events << "  trace "
    << engine::hash_hex(r.trace_hash) << "\n\n";
  fleet_table(o, measure_fleet(r));
  o << "\n";
  std::vector<const WorkloadResult*> shown;
  if (top) {
    shown = worst_workloads(r);
    if (shown.size() > *top) shown.resize(*top);
  } else {
    for (const WorkloadResult& w : r.workloads) shown.push_back(&w);
  }
  std::size_t idw = 8;
  for (const auto* w : shown) idw = std::max(idw, w->id.size() + 2);
  o << pad("workload", idw) << pad("status", 11) << pad("timeToRunning", 15)
    << pad("pendingTime", 13) << pad("erroredDwell", 14) << pad("restarts", 10)
    << pad("oomKills", 10) << "running\n";
  for (const auto* wp : shown) {
    const WorkloadResult& w = *wp;
    o << pad(w.id, idw) << pad(w.status, 11)
      << pad(w.time_to_running_s ? seconds_cell(*w.time_to_running_s) : "-", 15)
      << pad(seconds_cell(w.pending_s), 13) << pad(seconds_cell(w.errored_dwell_s), 14)
      << pad(std::to_string(w.restarts), 10) << pad(std::to_string(w.oom_kills), 10)
      << w.replicas_running << "/" << w.replicas << "\n";
  }
  if (const std::size_t left = r.workloads.size() - shown.size(); left > 0) {
    o << "(" << left << " of " << r.workloads.size() << " workloads left out: --top " << *top
      << " shows the worst, errored first, then never running, then the longest timeToRunning)\n";
  }
  bool any = false;
  for (const auto* w : shown) any = any || !w->replacements.empty();
  if (any) {
    o << "\n"
      << pad("replacement", idw + 6) << pad("artifact", 14) << pad("outcome", 11)
      << pad("duration", 10) << pad("toSwitch", 10) << pad("candidateRunning", 18)
      << "peakSurge cpu/memory\n";
    for (const auto* wp : shown) {
      const WorkloadResult& w = *wp;
      for (const auto& rep : w.replacements) {
        const auto cell = [](const std::optional<double>& v) {
          return v ? seconds_cell(*v) : std::string("-");
        };
        o << pad(w.id + "/" + rep.id, idw + 6) << pad(rep.artifact_id, 14)
          << pad(rep.outcome.empty() ? rep.status : rep.outcome, 11)
          << pad(cell(rep.replacement_duration_s), 10) << pad(cell(rep.time_to_switch_s), 10)
          << pad(cell(rep.candidate_time_to_running_s), 18) << number_text(rep.peak_surge.cpu)
          << " / " << number_text(rep.peak_surge.memory_bytes / 1e9) << "GB\n";
      }
    }
  }
  bool traffic = false;
  for (const auto* w : shown) traffic = traffic || w->traffic || w->scaling;
  if (traffic) {
    o << "\n"
      << pad("traffic", idw) << pad("mode", 9) << pad("arrived", 11) << pad("served", 11)
      << pad("dropped", 10) << pad("p50", 10) << pad("p99", 10) << pad("coldStarts", 12)
      << pad("scaleEvents", 13) << "replicas desired/current/ready\n";
    const auto count = [](double v) { return number_text(std::round(v * 100) / 100); };
    for (const auto* wp : shown) {
      const WorkloadResult& w = *wp;
      if (!w.traffic && !w.scaling) continue;
      o << pad(w.id, idw);
      if (w.traffic) {
        const TrafficResult& t = *w.traffic;
        const double dropped = t.dropped_timeout + t.dropped_activator_full + t.dropped_torn_down;
        o << pad(t.mode, 9) << pad(count(t.arrived), 11) << pad(count(t.served), 11)
          << pad(count(dropped), 10) << pad(t.latency ? latency_cell(t.latency->p50) : "-", 10)
          << pad(t.latency ? latency_cell(t.latency->p99) : "-", 10)
          << pad(count(t.cold_starts), 12);
      } else {
        o << pad("-", 9) << pad("-", 11) << pad("-", 11) << pad("-", 10) << pad("-", 10)
          << pad("-", 10) << pad("-", 12);
      }
      if (w.scaling) {
        o << pad(std::to_string(w.scaling->scale_events), 13) << w.scaling->desired << "/"
          << w.scaling->current << "/" << w.scaling->ready << " " << w.scaling->mode;
      } else {
        o << pad("-", 13) << "-";
      }
      o << "\n";
    }
  }
  if (r.cluster.dynamic) {
    o << "\n"
      << pad("cluster", 10) << pad("nodes", 7) << pad("peak", 6) << pad("nodeSeconds", 13)
      << "scaleUps " << r.cluster.scale_ups << "  scaleDowns " << r.cluster.scale_downs
      << "  nodeFailures " << r.cluster.node_failures << "\n";
    for (const PoolResult& p : r.cluster.pools) {
      o << pad(p.name, 10) << pad(std::to_string(p.nodes), 7)
        << pad(std::to_string(p.peak_nodes), 6) << number_text(p.node_seconds) << "\n";
    }
  }
  if (!r.calls.empty()) {
    o << "\naction calls\n";
    std::size_t left = 0;
    for (const auto& c : r.calls) {
      if (top && !names_any(c.endpoint, shown)) {
        ++left;
        continue;
      }
      o << "  " << pad(seconds_cell(c.at_s), 9) << pad(c.endpoint, 44) << c.status << "\n";
    }
    if (left > 0)
      o << "  (" << left << " of " << r.calls.size()
        << " calls left out: on workloads left out, or on none)\n";
  }
  return o.str();
}

}  // namespace wlsim::scenarios

#pragma once
// The per-run metrics of the run summary (each workload's fields and the fleet section), written
// once for two writers: the JSON tree (JsonOut, below) and the run rows (run_rows.cpp), which
// flatten the same fields without building the tree (a replication keeps only its rows, and the
// tree cost more than the run). The order of the calls is the order of the summary's keys.
//
// A writer `Out` has:
//   value(key, v)               a number (integer or double, kept as its type) or a boolean
//   text(key, s)                a string
//   null(key)                   null
//   object(key, fill)           a nested object; fill(Out&) writes its fields
//   list(key, items, fill)      an array of objects; fill(Out&, item) writes each item's fields

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/fleet_metrics.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios::fields {

/// Writes the fields into a JSON object.
class JsonOut {
 public:
  explicit JsonOut(engine::Json& j) : j_(j) {}
  template <class T>
  void value(std::string_view key, T v) {
    j_[std::string(key)] = v;
  }
  void text(std::string_view key, const std::string& s) { j_[std::string(key)] = s; }
  void null(std::string_view key) { j_[std::string(key)] = nullptr; }
  template <class Fill>
  void object(std::string_view key, Fill&& fill) {
    engine::Json o = engine::Json::object();
    JsonOut out(o);
    fill(out);
    j_[std::string(key)] = std::move(o);
  }
  template <class Items, class Fill>
  void list(std::string_view key, const Items& items, Fill&& fill) {
    engine::Json a = engine::Json::array();
    for (const auto& item : items) {
      engine::Json o = engine::Json::object();
      JsonOut out(o);
      fill(out, item);
      a.push_back(std::move(o));
    }
    j_[std::string(key)] = std::move(a);
  }

 private:
  engine::Json& j_;
};

template <class Out>
void optional_number(Out& o, std::string_view key, const std::optional<double>& v) {
  if (v) {
    o.value(key, *v);
  } else {
    o.null(key);
  }
}

/// Resources: {cpu, memory (bytes), gpu}.
template <class Out>
void amounts(Out& o, const ResourceAmounts& a) {
  o.value("cpu", a.cpu);
  o.value("memory", a.memory_bytes);
  o.value("gpu", a.gpu);
}

template <class Out>
void replacement(Out& o, const ReplacementResult& r) {
  o.text("id", r.id);
  o.text("artifactId", r.artifact_id);
  o.text("status", r.status);
  if (r.outcome.empty()) {
    o.null("outcome");
  } else {
    o.text("outcome", r.outcome);
  }
  o.text("message", r.message);
  o.value("runtimeOnly", r.runtime_only);
  o.value("postedAt", r.posted_at_s);
  optional_number(o, "replacementDuration", r.replacement_duration_s);
  optional_number(o, "timeToSwitch", r.time_to_switch_s);
  optional_number(o, "candidateTimeToRunning", r.candidate_time_to_running_s);
  o.value("candidateErroredDwell", r.candidate_errored_dwell_s);
  o.object("peakSurge", [&](Out& a) { amounts(a, r.peak_surge); });
}

template <class Out>
void proton(Out& o, const ProtonResult& p) {
  o.text("id", p.id);
  o.text("artifactId", p.artifact_id);
  o.text("role", p.role);
  o.text("status", p.status);
  optional_number(o, "timeToRunning", p.time_to_running_s);
  o.value("erroredDwell", p.errored_dwell_s);
}

template <class Out>
void latency(Out& o, std::string_view key, const std::optional<LatencySummary>& l) {
  if (!l) {
    o.null(key);
    return;
  }
  o.object(key, [&](Out& j) {
    j.value("mean", l->mean);
    j.value("p50", l->p50);
    j.value("p90", l->p90);
    j.value("p99", l->p99);
    j.value("max", l->max);
  });
}

template <class Out>
void traffic(Out& o, const TrafficResult& t) {
  o.object("requests", [&](Out& r) {
    r.text("mode", t.mode);
    r.value("arrived", t.arrived);
    r.value("served", t.served);
    r.object("dropped", [&](Out& d) {
      d.value("timeout", t.dropped_timeout);
      d.value("activatorFull", t.dropped_activator_full);
      d.value("tornDown", t.dropped_torn_down);
    });
    r.value("inFlight", t.in_flight);
    r.value("meanInFlight", t.mean_in_flight);
    r.value("meanWait", t.mean_wait_s);
  });
  latency(o, "requestLatency", t.latency);
  o.object("coldStarts", [&](Out& c) {
    c.value("count", t.cold_starts);
    c.value("requests", t.cold_start_requests);
    latency(c, "wait", t.cold_start_wait);
  });
}

template <class Out>
void scaling(Out& o, const ScalingResult& s) {
  o.value("scaleEvents", s.scale_events);
  o.object("autoscaler", [&](Out& a) {
    a.value("desired", s.desired);
    a.value("current", s.current);
    a.value("ready", s.ready);
    if (s.policy.empty()) {
      a.null("policy");
    } else {
      a.text("policy", s.policy);
    }
    a.text("mode", s.mode);
  });
}

template <class Out>
void workload(Out& o, const WorkloadResult& w) {
  o.text("status", w.status);
  optional_number(o, "timeToRunning", w.time_to_running_s);
  if (const auto& b = w.breakdown) {
    o.object("timeToRunningBreakdown", [&](Out& j) {
      j.value("pending", b->pending_s);
      j.value("provisioning", b->provisioning_s);
      j.value("pulling", b->pulling_s);
      j.value("starting", b->starting_s);
      j.value("probing", b->probing_s);
    });
  } else {
    o.null("timeToRunningBreakdown");
  }
  o.value("pendingTime", w.pending_s);
  o.value("erroredDwell", w.errored_dwell_s);
  o.value("erroredRecovered", w.errored_recovered);
  o.value("restarts", w.restarts);
  o.value("oomKills", w.oom_kills);
  o.value("replicas", w.replicas);
  o.value("replicasRunning", w.replicas_running);
  o.object("peakHeld", [&](Out& a) { amounts(a, w.peak_held); });
  o.object("pendingTimeByCause", [&](Out& j) {
    j.value("noCapacity", w.pending_no_capacity_s);
    j.value("waitingForVictims", w.pending_for_victims_s);
    j.value("waitingForNode", w.pending_for_node_s);
  });
  o.object("preemptions", [&](Out& j) {
    j.value("asVictim", w.preempted);
    j.value("asPreemptor", w.preemptor);
  });
  o.object("evictions", [&](Out& j) {
    j.value("preemption", w.evictions_preemption);
    j.value("nodeFailure", w.evictions_node_failure);
    j.value("scaleDown", w.evictions_scale_down);
  });
  o.value("degradedTime", w.degraded_s);
  o.value("replicaSeconds", w.replica_seconds);
  o.object("resourceSeconds", [&](Out& a) { amounts(a, w.resource_seconds); });
  o.list("protons", w.protons, [](Out& j, const ProtonResult& p) { proton(j, p); });
  o.list("replacements", w.replacements,
         [](Out& j, const ReplacementResult& r) { replacement(j, r); });
  // Only workloads with traffic or autoscaling carry these, so the others read as before.
  if (w.traffic) traffic(o, *w.traffic);
  if (w.scaling) scaling(o, *w.scaling);
}

/// The fleet section (fleet_metrics.hpp).
template <class Out>
void fleet(Out& o, const FleetResult& f) {
  o.object("workloads", [&](Out& w) {
    for (const auto& [status, count] : f.by_status) w.value(status, count);
    w.value("total", f.total);
  });
  o.value("everErrored", f.ever_errored);
  optional_number(o, "timeAllRunning", f.time_all_running_s);
  o.value("replacements", f.replacements);
  o.value("replacementsInFlight", f.replacements_in_flight);
  optional_number(o, "rolloutMakespan", f.rollout_makespan_s);
  o.object("surge", [&](Out& s) {
    s.object("total", [&](Out& a) { amounts(a, f.surge_total); });
    s.object("peak", [&](Out& a) { amounts(a, f.surge_peak); });
  });
  o.value("nodeSeconds", f.node_seconds);
  o.object("quantiles", [&](Out& qs) {
    for (const auto& entry : f.quantiles) {
      const auto& q = entry.second;  // not a structured binding: clang 14 cannot capture one
      qs.object(entry.first, [&](Out& j) {
        j.value("n", q.n);
        optional_number(j, "p50", q.p50);
        optional_number(j, "p90", q.p90);
        optional_number(j, "p99", q.p99);
        optional_number(j, "max", q.max);
      });
    }
  });
}

}  // namespace wlsim::scenarios::fields

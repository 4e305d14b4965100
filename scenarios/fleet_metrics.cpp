#include "wlsim/scenarios/fleet_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string_view>

#include "summary_fields.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::scenarios {

using engine::Json;

namespace {

// A constant table of plain functions: measure_fleet runs once per replication of a study, where
// a std::function per metric and a vector of values per metric were two fifths of its cost.
struct Metric {
  std::string_view name;
  std::optional<double> (*value)(const WorkloadResult&);
};

constexpr std::array<Metric, 7> kMetrics{{
    {"timeToRunning", [](const WorkloadResult& w) { return w.time_to_running_s; }},
    {"pendingTime", [](const WorkloadResult& w) { return std::optional(w.pending_s); }},
    {"erroredDwell", [](const WorkloadResult& w) { return std::optional(w.errored_dwell_s); }},
    {"restarts",
     [](const WorkloadResult& w) { return std::optional(static_cast<double>(w.restarts)); }},
    {"oomKills",
     [](const WorkloadResult& w) { return std::optional(static_cast<double>(w.oom_kills)); }},
    {"degradedTime", [](const WorkloadResult& w) { return std::optional(w.degraded_s); }},
    {"replicaSeconds", [](const WorkloadResult& w) { return std::optional(w.replica_seconds); }},
}};

/// Nearest-rank quantiles of `values`, which it sorts.
FleetQuantiles quantiles_of(std::span<double> values) {
  FleetQuantiles q;
  q.n = values.size();
  if (values.empty()) return q;
  std::sort(values.begin(), values.end());
  // Nearest rank, as the replication statistics: an observed value, the same on every platform.
  const auto rank = [&](double p) {
    const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(k, 1, values.size()) - 1];
  };
  q.p50 = rank(0.5);
  q.p90 = rank(0.9);
  q.p99 = rank(0.99);
  q.max = values.back();
  return q;
}

void add(ResourceAmounts& to, const ResourceAmounts& a) {
  to.cpu += a.cpu;
  to.memory_bytes += a.memory_bytes;
  to.gpu += a.gpu;
}

}  // namespace

const std::vector<std::string>& fleet_metric_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kMetrics.size());
    for (const Metric& m : kMetrics) names.emplace_back(m.name);
    return names;
  }();
  return kNames;
}

FleetQuantiles fleet_quantiles(std::vector<double> values) { return quantiles_of(values); }

FleetResult measure_fleet(const RunResult& r) {
  FleetResult f;
  bool any_live = false;
  bool all_ran = true;
  double last_first_running = 0;
  double first_post = 0;
  double last_end = 0;
  for (const WorkloadResult& w : r.workloads) {
    ++f.by_status[w.status];
    ++f.total;
    if (w.ever_errored) ++f.ever_errored;
    if (!w.deleted) {
      any_live = true;
      if (w.created_at_s && w.time_to_running_s) {
        last_first_running = std::max(last_first_running, *w.created_at_s + *w.time_to_running_s);
      } else {
        all_ran = false;
      }
    }
    for (const ReplacementResult& rep : w.replacements) {
      first_post = f.replacements == 0 ? rep.posted_at_s : std::min(first_post, rep.posted_at_s);
      ++f.replacements;
      if (rep.replacement_duration_s)
        last_end = std::max(last_end, rep.posted_at_s + *rep.replacement_duration_s);
      else
        ++f.replacements_in_flight;
      add(f.surge_total, rep.peak_surge);
    }
  }
  if (any_live && all_ran) f.time_all_running_s = last_first_running;
  if (f.replacements > 0 && f.replacements_in_flight == 0)
    f.rollout_makespan_s = last_end - first_post;
  f.surge_peak = r.surge_peak;
  for (const PoolResult& p : r.cluster.pools) f.node_seconds += p.node_seconds;
  f.quantiles.reserve(kMetrics.size());
  std::vector<double> values;  // one buffer for every metric
  values.reserve(r.workloads.size());
  for (const Metric& m : kMetrics) {
    values.clear();
    for (const WorkloadResult& w : r.workloads) {
      if (const std::optional<double> v = m.value(w)) values.push_back(*v);
    }
    f.quantiles.emplace_back(std::string(m.name), quantiles_of(values));
  }
  return f;
}

Json fleet_json(const FleetResult& f) {
  Json j = Json::object();
  fields::JsonOut out(j);
  fields::fleet(out, f);
  return j;
}

}  // namespace wlsim::scenarios

#pragma once
// The fleet section of a run summary: answers about all workloads together (docs/metrics.md).
// Computed from a RunResult alone, so the JSON summary and the table agree by construction:
//   "fleet": {"workloads": {<status>: count, ... (sorted), "total": n},
//             "everErrored": n, "timeAllRunning": s | null,
//             "replacements": n, "replacementsInFlight": n, "rolloutMakespan": s | null,
//             "surge": {"total": {cpu, memory, gpu}, "peak": {cpu, memory, gpu}},
//             "nodeSeconds": s,
//             "quantiles": {<metric>: {"n", "p50", "p90", "p99", "max"}, ...}}

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

/// One per-workload metric across the workloads that have a value for it (nearest-rank quantiles:
/// each is an observed value). The quantiles are none when n is 0.
struct FleetQuantiles {
  std::size_t n = 0;
  std::optional<double> p50;
  std::optional<double> p90;
  std::optional<double> p99;
  std::optional<double> max;
};

struct FleetResult {
  std::map<std::string, int> by_status;  ///< final status → workloads
  int total = 0;
  int ever_errored = 0;  ///< workloads that showed `errored` at some time (not their protons)
  /// When the last of the workloads not deleted first ran; none if one never did, or none exist.
  std::optional<double> time_all_running_s;
  int replacements = 0;            ///< every replacement, PATCH /settings ones included
  int replacements_in_flight = 0;  ///< not ended at the end of the run
  /// First POST to the last replacement's end; none without replacements or with one in flight.
  std::optional<double> rollout_makespan_s;
  ResourceAmounts surge_total;  ///< each replacement's peakSurge, summed
  ResourceAmounts surge_peak;   ///< RunResult::surge_peak
  double node_seconds = 0;      ///< every pool's
  std::vector<std::pair<std::string, FleetQuantiles>> quantiles;  ///< in fleet_metric_names order
};

/// The per-workload metrics the fleet section gives quantiles of, in its order.
[[nodiscard]] const std::vector<std::string>& fleet_metric_names();
/// Nearest-rank quantiles of `values` (any order).
[[nodiscard]] FleetQuantiles fleet_quantiles(std::vector<double> values);
[[nodiscard]] FleetResult measure_fleet(const RunResult& r);
[[nodiscard]] engine::Json fleet_json(const FleetResult& f);

}  // namespace wlsim::scenarios

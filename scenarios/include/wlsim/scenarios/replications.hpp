#pragma once
// Many replications of one scenario: seeds seed, seed+1, ..., run in parallel threads over the
// shared immutable Scenario (each run owns its state), and the across-replication statistics of
// every metric of the run rows (run_rows.hpp): each workload's, each replacement's and the fleet's.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

/// One metric over the runs where it has a value.
struct MetricStats {
  int n = 0;        ///< runs with a value
  int missing = 0;  ///< runs whose summary has the metric without a value (never running: null)
  double mean = 0;
  double stddev = 0;  ///< sample standard deviation
  double ci95 = 0;  ///< half-width of the normal-approximation 95% confidence interval of the mean
  double min = 0;
  double p50 = 0;  ///< nearest-rank quantiles: an observed value, the same on every platform
  double p90 = 0;
  double max = 0;
};

/// The statistics of `values` (any order); `missing` is carried as is. All zero without values.
/// The one place replication and sweep statistics are computed.
[[nodiscard]] MetricStats metric_stats(std::vector<double> values, int missing = 0);

/// metric name (run_rows' names: timeToRunning, erroredDwell, oomKills, requests.served, ...) →
/// statistics.
using MetricStatsMap = std::map<std::string, MetricStats>;

struct ReplicationSummary {
  std::string scenario;
  std::vector<std::uint64_t> seeds;
  std::vector<RunResult> runs;  ///< in seed order, whatever the threads' finishing order
  /// workload id → metric → statistics. Besides the run rows' names, the names of the first
  /// replication table are kept for traffic (served, dropped = every drop together, meanWait,
  /// meanInFlight, latencyMean, latencyP99, coldStarts); the table shows the run rows' names only.
  std::map<std::string, MetricStatsMap> workloads;
  /// workload id → replacement id → metric → statistics.
  std::map<std::string, std::map<std::string, MetricStatsMap>> replacements;
  /// The summary's fleet section, when it has one.
  MetricStatsMap fleet;
};

/// Runs `replications` (>= 1) seeds from `first_seed` on `threads` (>= 1) threads. Deterministic:
/// the same arguments give the same runs and statistics, however many threads. If a run fails,
/// throws the error of the lowest failing seed (as a single run of that seed would) after every
/// thread ends.
[[nodiscard]] ReplicationSummary run_replications(const Scenario& scenario,
                                                  std::uint64_t first_seed, int replications,
                                                  int threads, const RunLimits& limits = {});

[[nodiscard]] std::string replications_json(const ReplicationSummary& s);
[[nodiscard]] std::string replications_table(const ReplicationSummary& s);

/// A statistic as the tables print it: rounded to thousandths, shortest text.
[[nodiscard]] std::string stats_cell_text(double v);
/// `s` and spaces to `width` characters (at least one space): a column of the tables.
[[nodiscard]] std::string column(const std::string& s, std::size_t width);

}  // namespace wlsim::scenarios

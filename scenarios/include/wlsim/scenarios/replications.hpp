#pragma once
// Many replications of one scenario: seeds seed, seed+1, ..., run in parallel threads over the
// shared immutable Scenario (each run owns its state), and the across-replication statistics of
// each workload's metrics.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

/// One metric over the replications where it has a value.
struct MetricStats {
  int n = 0;  ///< replications with a value (timeToRunning is missing when never running)
  double mean = 0;
  double stddev = 0;  ///< sample standard deviation
  double ci95 = 0;  ///< half-width of the normal-approximation 95% confidence interval of the mean
  double min = 0;
  double p50 = 0;
  double p90 = 0;
  double max = 0;
};

struct ReplicationSummary {
  std::string scenario;
  std::vector<std::uint64_t> seeds;
  std::vector<RunResult> runs;  ///< in seed order, whatever the threads' finishing order
  /// workload id → metric name (timeToRunning, erroredDwell, pendingTime, restarts) → statistics.
  std::map<std::string, std::map<std::string, MetricStats>> workloads;
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

}  // namespace wlsim::scenarios

#pragma once
// Running a scenario once: builds the run's own mutable state (clock, trace, platform) over the shared
// immutable Scenario, runs to the scenario's duration, and measures the results.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::scenarios {

/// What to produce besides the summary.
enum class StatusFormat { None, Json, Table };

struct RunOptions {
  std::optional<std::uint64_t> seed{};      ///< unset: the scenario's own seed
  engine::TraceSink* sink = nullptr;        ///< receives every trace record (not owned)
  std::optional<engine::Time> until{};      ///< stop here instead of at the scenario's duration
  StatusFormat status = StatusFormat::None;  ///< a status-details snapshot at the end of the run
};

/// Where the time to running went, for the replica that completed it; the parts add up to it.
struct TimeToRunningBreakdown {
  double pending_s = 0;       ///< created → bound to a node
  double provisioning_s = 0;  ///< bound → the pod's own set-up done
  double pulling_s = 0;       ///< → every container's image on the node (queue, latency, transfer)
  double starting_s = 0;      ///< → every container's app up (start-up time, crashes, restarts)
  double probing_s = 0;       ///< → every container ready (waiting for the probe grid and thresholds)
};

/// One workload's measured results.
struct WorkloadResult {
  std::string id;
  std::string status;                              ///< at the end of the run
  std::optional<double> time_to_running_s;         ///< created → first running; none if never
  std::optional<TimeToRunningBreakdown> breakdown;  ///< none if never running
  double pending_s = 0;                            ///< summed over replicas: time Unschedulable
  double errored_dwell_s = 0;                      ///< time the workload showed `errored`
  bool errored_recovered = false;                  ///< errored, then running again
  int restarts = 0;                                ///< container restarts, all replicas
  int oom_kills = 0;
  int replicas = 0;
  int replicas_running = 0;
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  engine::Time simulated;
  std::uint64_t events = 0;       ///< events dispatched by the kernel
  std::uint64_t trace_records = 0;
  std::uint64_t trace_hash = 0;
  std::vector<WorkloadResult> workloads;  ///< in scenario order
  std::string status;                     ///< the snapshot, if RunOptions::status asked for one
};

/// Runs `scenario` to its duration. Thread-safe: concurrent runs of one Scenario share nothing mutable.
[[nodiscard]] RunResult run(const Scenario& scenario, const RunOptions& options = {});

}  // namespace wlsim::scenarios

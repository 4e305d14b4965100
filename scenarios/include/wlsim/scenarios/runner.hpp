#pragma once
// Running a scenario once: builds the run's own mutable state (clock, trace, platform) over the
// shared immutable Scenario, runs to the scenario's duration, and measures the results.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::scenarios {

/// What to produce besides the summary.
enum class StatusFormat { None, Json, Table };

struct RunOptions {
  std::optional<std::uint64_t> seed{};       ///< unset: the scenario's own seed
  engine::TraceSink* sink = nullptr;         ///< receives every trace record (not owned)
  std::optional<engine::Time> until{};       ///< stop here instead of at the scenario's duration
  StatusFormat status = StatusFormat::None;  ///< a status-details snapshot at the end of the run
  RunLimits limits{};                        ///< the event budget
  /// The caller may call the Workload API or ask for a status report beyond the scenario's own
  /// actions (a stepped Session), so every object keeps its last records. run() clears it: such
  /// a run keeps them only where its actions or `status` read them.
  bool open_ended = true;
};

/// Where the time to running went, for the replica that completed it; the parts add up to it.
struct TimeToRunningBreakdown {
  double pending_s = 0;       ///< created → bound to a node
  double provisioning_s = 0;  ///< bound → the pod's own set-up done
  double pulling_s = 0;   ///< → every container's image on the node (queue, latency, transfer)
  double starting_s = 0;  ///< → every container's app up (start-up time, crashes, restarts)
  double probing_s = 0;   ///< → every container ready (waiting for the probe grid and thresholds)
};

/// Cpu (cores), memory (bytes) and gpu (devices).
struct ResourceAmounts {
  double cpu = 0;
  double memory_bytes = 0;
  double gpu = 0;
};

/// One replacement's measured results (the history entry plus its metrics).
struct ReplacementResult {
  std::string id;
  std::string artifact_id;
  std::string status;   ///< at the end of the run
  std::string outcome;  ///< completed, errored, cancelled; "" if active
  std::string message;
  bool runtime_only = false;  ///< from PATCH /settings
  double posted_at_s = 0;
  std::optional<double> replacement_duration_s;       ///< POST → terminal
  std::optional<double> time_to_switch_s;             ///< POST → traffic flip
  std::optional<double> candidate_time_to_running_s;  ///< candidate created → running
  double candidate_errored_dwell_s = 0;
  ResourceAmounts peak_surge;  ///< most held by the workload's protons at once
};

/// One proton's measured results.
struct ProtonResult {
  std::string id;
  std::string artifact_id;
  std::string role;
  std::string status;
  std::optional<double> time_to_running_s;
  double errored_dwell_s = 0;
};

/// Latencies in seconds.
struct LatencySummary {
  double mean = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
};
/// A workload's requests (SEMANTICS.md §8); expected values (fractions) in fluid mode.
struct TrafficResult {
  std::string mode;  ///< requests or fluid
  double arrived = 0;
  double served = 0;
  double dropped_timeout = 0;
  double dropped_activator_full = 0;
  double dropped_torn_down = 0;
  double in_flight = 0;       ///< at the end of the run
  double mean_in_flight = 0;  ///< time-average from the workload's creation (Little's L)
  double mean_wait_s = 0;     ///< of served requests: arrival to the start of service
  std::optional<LatencySummary> latency;  ///< waiting + service; none if nothing was served
  double cold_starts = 0;
  double cold_start_requests = 0;
  std::optional<LatencySummary> cold_start_wait;  ///< of those requests, at the activator
};
/// A workload's autoscaler at the end of the run.
struct ScalingResult {
  int scale_events = 0;  ///< SuccessfulRescale events
  int desired = 0;
  int current = 0;
  int ready = 0;
  std::string policy;  ///< the metric whose recommendation won the last decision
  std::string mode;    ///< fixed, stable or panic
};
/// One change of the replica counts of the proton holding a workload's traffic.
struct ReplicaCountPoint {
  double at_s = 0;
  int desired = 0;
  int current = 0;
  int ready = 0;
  std::string_view mode;  ///< a name of the models' static vocabulary (no copy per point)
};
/// One workload's measured results.
struct WorkloadResult {
  std::string id;
  std::string status;                  ///< at the end of the run
  std::optional<double> created_at_s;  ///< none if it was never created
  bool ever_errored = false;           ///< showed `errored` at some time
  bool deleted = false;
  std::optional<double> time_to_running_s;          ///< created → first running; none if never
  std::optional<TimeToRunningBreakdown> breakdown;  ///< none if never running
  double pending_s = 0;                             ///< summed over replicas: time Unschedulable
  double errored_dwell_s = 0;                       ///< time the workload showed `errored`
  bool errored_recovered = false;                   ///< errored, then running again
  int restarts = 0;                                 ///< container restarts, all replicas
  int oom_kills = 0;
  int replicas = 0;  ///< of the active proton
  int replicas_running = 0;
  ResourceAmounts peak_held;         ///< most its pods held at once
  double replica_seconds = 0;        ///< bound pods integrated over time
  ResourceAmounts resource_seconds;  ///< core·s, byte·s, device·s
  std::vector<ProtonResult> protons;
  std::vector<ReplacementResult> replacements;      ///< the history, oldest first
  /// Contention (SEMANTICS.md §5): its pods evicted by preemption, and those that preempted.
  int preempted = 0;
  int preemptor = 0;
  /// Its pods deleted and recreated, by cause (preemption, node failure, scale-down).
  int evictions_preemption = 0;
  int evictions_node_failure = 0;
  int evictions_scale_down = 0;
  /// pending_s split by why the pods waited.
  double pending_no_capacity_s = 0;
  double pending_for_victims_s = 0;
  double pending_for_node_s = 0;
  /// Time, after it first ran, with fewer ready replicas than desired.
  double degraded_s = 0;
  std::optional<TrafficResult> traffic;             ///< with a traffic entry
  std::optional<ScalingResult> scaling;             ///< with traffic or autoscaling
  std::vector<ReplicaCountPoint> replica_timeline;  ///< with traffic or autoscaling
};

/// One API call of the scenario's actions and the platform's answer.
struct CallResult {
  double at_s = 0;
  std::string endpoint;
  int status = 0;
  std::string body;  ///< JSON
};

/// One node pool over the run (SEMANTICS.md §5): its nodes at the end, the most at once, and its
/// cost in node-seconds (each node from its creation to its deletion).
struct PoolResult {
  std::string name;
  int nodes = 0;
  int peak_nodes = 0;
  double node_seconds = 0;
};

/// A change of a pool's node count.
struct NodeCountResult {
  double at_s = 0;
  std::string pool;
  int nodes = 0;
};

/// The cluster: its pools, the cluster autoscaler's scale-ups and scale-downs (nodes added and
/// removed), node failures, and the node counts over time.
struct ClusterResult {
  std::vector<PoolResult> pools;
  int scale_ups = 0;
  int scale_downs = 0;
  int node_failures = 0;  ///< nodes that went NotReady
  std::vector<NodeCountResult> node_timeline;
  /// The scenario grows or shrinks pools or fails nodes (the table shows the cluster then).
  bool dynamic = false;
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  engine::Time simulated;
  std::uint64_t events = 0;  ///< events dispatched by the kernel
  /// Of them, ticks that passed silently because they were foreseen (not in the summary: how the
  /// run was computed, not what it computed).
  std::uint64_t silent_events = 0;
  std::uint64_t trace_records = 0;
  std::uint64_t trace_hash = 0;
  std::vector<WorkloadResult> workloads;  ///< in creation order
  std::vector<CallResult> calls;          ///< the actions' API calls, in order
  ClusterResult cluster;
  /// The most the workloads with a replacement in flight held at once, together (each resource's
  /// own peak).
  ResourceAmounts surge_peak;
  std::string status;                     ///< the snapshot, if RunOptions::status asked for one
};

/// Runs `scenario` to its duration. Thread-safe: concurrent runs of one Scenario share nothing
/// mutable.
[[nodiscard]] RunResult run(const Scenario& scenario, const RunOptions& options = {});

}  // namespace wlsim::scenarios

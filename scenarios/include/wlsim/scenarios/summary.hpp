#pragma once
// The run summary in the CLI's formats. The JSON object is the contract shared by `wlsim run
// --format json` and Python's `result.summary`:
//   {"scenario", "seed", "simulatedSeconds", "events", "traceRecords", "traceHash",
//    "workloads": {id: {"status", "timeToRunning" (seconds or null), "timeToRunningBreakdown"
//                       ({pending, provisioning, pulling, starting, probing} or null),
//                       "pendingTime", "erroredDwell", "erroredRecovered", "restarts", "oomKills",
//                       "replicas", "replicasRunning", ...}},
//    "fleet": {...} (fleet_metrics.hpp), "actions": [...], "cluster": {...}}

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

/// Resources as every summary writes them: {cpu, memory (bytes), gpu}.
[[nodiscard]] engine::Json amounts_json(const ResourceAmounts& a);

/// The summary as a JSON value (replications embed it); summary_json is its text.
[[nodiscard]] engine::Json summary_value(const RunResult& r);
/// Only the summary's `workloads` and `fleet`, the sections that hold per-run metrics: what a
/// replication keeps of each run (the actions' bodies and the cluster's timeline are left out).
[[nodiscard]] engine::Json summary_metrics_value(const RunResult& r);
[[nodiscard]] std::string summary_json(const RunResult& r);
/// The table: the fleet section, then each workload in creation order; with `top`, only the worst
/// `top` workloads (worst_workloads' order) and a line saying how many were left out.
[[nodiscard]] std::string summary_table(const RunResult& r,
                                        std::optional<std::size_t> top = std::nullopt);
/// The workloads worst first: errored at the end, then never running, then by timeToRunning,
/// longest first; ties in creation order.
[[nodiscard]] std::vector<const WorkloadResult*> worst_workloads(const RunResult& r);

}  // namespace wlsim::scenarios

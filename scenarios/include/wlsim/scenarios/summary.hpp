#pragma once
// The run summary in the CLI's formats. The JSON object is the contract shared by `wlsim run
// --format json` and Python's `result.summary`:
//   {"scenario", "seed", "simulatedSeconds", "events", "traceRecords", "traceHash",
//    "workloads": {id: {"status", "timeToRunning" (seconds or null), "timeToRunningBreakdown"
//                       ({pending, provisioning, pulling, starting, probing} or null), "pendingTime",
//                       "erroredDwell", "erroredRecovered", "restarts", "oomKills", "replicas",
//                       "replicasRunning"}}}

#include <string>

#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

[[nodiscard]] std::string summary_json(const RunResult& r);
[[nodiscard]] std::string summary_table(const RunResult& r);

}  // namespace wlsim::scenarios

#pragma once
// The run summary in the CLI's formats. The JSON object is the contract shared by `wlsim run
// --format json` and Python's `result.summary`:
//   {"scenario", "seed", "simulatedSeconds", "events", "traceRecords", "traceHash",
//    "workloads": {id: {"status", "timeToRunning" (seconds or null), "timeToRunningBreakdown"
//                       ({pending, provisioning, pulling, starting, probing} or null),
//                       "pendingTime", "erroredDwell", "erroredRecovered", "restarts", "oomKills",
//                       "replicas", "replicasRunning"}}}

#include <string>

#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

/// The summary as a JSON value (replications embed it); summary_json is its text.
[[nodiscard]] engine::Json summary_value(const RunResult& r);
[[nodiscard]] std::string summary_json(const RunResult& r);
[[nodiscard]] std::string summary_table(const RunResult& r);

}  // namespace wlsim::scenarios

#pragma once
// The fuzzer's one check, shared by the libFuzzer target and the regression test that replays every
// input it ever found: whatever the bytes, loading them either fails with a one-line ScenarioError
// or gives a scenario whose bounded run is reproducible (two runs, equal trace hashes, or the same
// one-line error) and whose trace is legal. Returns "" when the input passes, else what broke.

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>

#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/trace_check.hpp"

namespace wlsim::fuzz {

/// Limits far below the defaults, so one input loads and runs in milliseconds.
[[nodiscard]] inline scenarios::Limits fuzz_limits() {
  scenarios::Limits l;
  l.max_file_bytes = 64 << 10;
  l.max_replicas_per_group = 64;
  l.max_replicas_total = 256;
  l.max_nodes = 64;
  return l;
}

/// Simulated time and events one run may use: enough for the examples' interesting first minutes.
inline constexpr engine::Time kFuzzRunTime = engine::Time::from_minutes(30);
inline constexpr std::uint64_t kFuzzMaxEvents = 20'000;

/// The error contract: every error a user sees is one non-empty line.
[[nodiscard]] inline std::string one_line_problem(std::string_view what, std::string_view message) {
  if (message.empty()) return std::string(what) + ": empty message";
  if (message.find_first_of("\r\n") != std::string_view::npos) {
    return std::string(what) + ": message spans lines: " + std::string(message);
  }
  return "";
}

/// One bounded run: its hash and records, or the one-line error it stopped with.
struct FuzzRun {
  std::uint64_t hash = 0;
  std::string error;
  engine::MemorySink sink;
};

[[nodiscard]] inline FuzzRun fuzz_run(const scenarios::Scenario& scenario) {
  FuzzRun r;
  scenarios::RunOptions options;
  options.sink = &r.sink;
  options.until = std::min(scenario.duration, kFuzzRunTime);
  options.limits.max_events = kFuzzMaxEvents;
  try {
    r.hash = scenarios::run(scenario, options).trace_hash;
  } catch (const scenarios::ScenarioError& e) {
    // The event budget ends a runaway run with an error, not a hang.
    r.error = e.what();
  }
  return r;
}

[[nodiscard]] inline std::string fuzz_check(std::string_view bytes) {
  try {
    scenarios::Scenario scenario;
    try {
      scenario = scenarios::load_text(bytes, "<fuzz>", fuzz_limits());
    } catch (const scenarios::ScenarioError& e) {
      return one_line_problem("load error", e.what());
    }
    const FuzzRun first = fuzz_run(scenario);
    const FuzzRun second = fuzz_run(scenario);
    if (first.error != second.error) {
      return "two runs stop differently: '" + first.error + "' vs '" + second.error + "'";
    }
    if (!first.error.empty()) return one_line_problem("run error", first.error);
    if (first.hash != second.hash) {
      return "two runs differ: trace hashes " + std::to_string(first.hash) + " and " +
             std::to_string(second.hash);
    }
    const auto violations = scenarios::check_trace(first.sink.records());
    if (!violations.empty()) {
      return "illegal trace (" + std::to_string(violations.size()) +
             " violations), first: " + violations.front().problem;
    }
    return "";
  } catch (const std::exception& e) {
    return std::string("an exception other than ScenarioError escaped: ") + e.what();
  } catch (...) {
    return "a non-std exception escaped";
  }
}

}  // namespace wlsim::fuzz

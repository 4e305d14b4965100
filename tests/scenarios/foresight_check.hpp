#pragma once
// Events passed silently (KPA ticks, autoscaler.hpp Foresight; failing probe fires, probe.hpp) must
// change nothing: a scenario run as it is and with every event taken one by one
// (PlatformSettings::pass_silently off) is the same run.

#include <catch2/catch.hpp>

#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::scenarios {

/// Runs `s` both ways, checks that the runs agree (trace hash, events, summary) and that the one
/// by one run let nothing pass, and returns the run as it is (whose silent_events tell how many
/// ticks passed silently).
inline RunResult run_both_ways(const Scenario& s) {
  Scenario one_by_one = s;
  one_by_one.platform.settings.pass_silently = false;
  RunResult foreseen = run(s);
  const RunResult taken = run(one_by_one);
  CHECK(foreseen.trace_hash == taken.trace_hash);
  CHECK(foreseen.events == taken.events);
  CHECK(taken.silent_events == 0);
  CHECK(summary_json(foreseen) == summary_json(taken));
  return foreseen;
}

}  // namespace wlsim::scenarios

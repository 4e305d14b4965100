// Every way a run ends writes its series of repeated events (models/event_series.hpp): the
// horizon, an earlier stop (--until), the event budget. These runs have far fewer than K distinct
// events, so no series is forgotten before the end.

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "scenario_fixture.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/runner.hpp"

using namespace wlsim::scenarios;
using wlsim::engine::MemorySink;
using wlsim::engine::Time;
using wlsim::engine::TraceRecord;
using wlsim::testing::one_workload;

namespace {

Scenario crash_loop(const std::string& duration) {
  return load_text(
      one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}", .duration = duration}));
}

/// Checks the records' event series: each repeated series is written once, at `end`, after the
/// record of its first occurrence, with that occurrence's time as its first. Returns how many.
int check_series(const std::vector<TraceRecord>& records, Time end) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, const TraceRecord*> first;
  int series = 0;
  for (const TraceRecord& r : records) {
    if (r.kind_name() != "event") continue;
    const Key k{r.object, std::string(r.to_name()), std::string(r.reason_name()), r.message};
    if (r.count == 1) {
      CHECK(r.first == r.time);
      CHECK(r.last == r.time);
      CHECK(first.emplace(k, &r).second);  // an exact repeat makes no record of its own
      continue;
    }
    ++series;
    CHECK(r.time == end);
    const auto it = first.find(k);
    REQUIRE(it != first.end());
    CHECK(r.first == it->second->time);
    CHECK(r.last > r.first);
    CHECK(r.last <= end);
  }
  return series;
}

}  // namespace

TEST_CASE("a run to its horizon writes each repeated event's series once, at the horizon",
          "[event_series]") {
  MemorySink sink;
  const RunResult r = run(crash_loop("1h"), {.sink = &sink});
  CHECK(r.trace_records == sink.records().size());
  CHECK(check_series(sink.records(), Time::from_seconds(3600)) > 0);
  CHECK(sink.records().back().count > 1);
}

TEST_CASE("a run stopped before its horizon writes its series where it stopped", "[event_series]") {
  MemorySink sink;
  (void)run(crash_loop("1h"), {.sink = &sink, .until = Time::from_seconds(1800)});
  CHECK(check_series(sink.records(), Time::from_seconds(1800)) > 0);
}

TEST_CASE("a run that exhausts its event budget writes its series before the error",
          "[event_series]") {
  MemorySink sink;
  CHECK_THROWS_AS(run(crash_loop("1000d"), {.sink = &sink, .limits = {.max_events = 500}}),
                  ScenarioError);
  REQUIRE_FALSE(sink.records().empty());
  const Time end = sink.records().back().time;
  CHECK(check_series(sink.records(), end) > 0);
  CHECK(sink.records().back().count > 1);
}

// Tests for event_series.hpp and Context::event: a Kubernetes event that repeats exactly (same
// object, type, reason and message) is recorded once when it first happens and once more, as its
// series with a count and its first and last times, when the series is forgotten (two generations
// of at most K distinct events) or the run ends (Context::finish).

#include "wlsim/models/event_series.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/recent_events.hpp"
#include "wlsim/models/trace_kinds.hpp"

using wlsim::engine::EventHandler;
using wlsim::engine::MemorySink;
using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using wlsim::engine::TraceRecord;
using namespace wlsim::models;

namespace {

struct Event {
  std::string object;
  EventType type;
  Reason reason;
  std::string message;
};

/// Makes the event at index `token` of `events` when the simulator dispatches it.
class Maker final : public EventHandler {
 public:
  Maker(const Context& ctx, std::vector<Event> events, PodEvents* kept = nullptr)
      : ctx_(ctx), events_(std::move(events)), kept_(kept) {}
  void on_event(std::uint64_t token) override {
    const Event& e = events_.at(token);
    const auto made = ctx_.event(e.object, e.type, e.reason, e.message);
    if (kept_ != nullptr) kept_->add(made);
  }

 private:
  const Context& ctx_;
  std::vector<Event> events_;
  PodEvents* kept_;
};

struct Run {
  Simulator sim;
  Trace trace;
  MemorySink sink;
  Context ctx{sim, trace, 1};
  Run() { trace.add_sink(sink); }
};

/// An Unhealthy event about `object` at `seconds`.
wlsim::engine::TraceView unhealthy(const std::string& object, int seconds) {
  return {Time::from_seconds(seconds),
          object,
          static_cast<wlsim::engine::TraceCode>(TraceKind::Event),
          TraceState{}.code(),
          TraceState(EventType::Warning).code(),
          static_cast<wlsim::engine::TraceCode>(Reason::Unhealthy),
          "failed",
          {},
          &trace_vocabulary()};
}

/// The (object, time, count, first, last) of each record, times in seconds.
using Row = std::tuple<std::string, double, std::uint64_t, double, double>;
std::vector<Row> rows(const MemorySink& sink) {
  std::vector<Row> out;
  for (const TraceRecord& r : sink.records()) {
    out.emplace_back(r.object, r.time.seconds(), r.count, r.first.seconds(), r.last.seconds());
  }
  return out;
}

/// An EventSeries of generations of `k` events, counting into a trace kept in memory.
struct Small {
  explicit Small(std::size_t k) : series(k) {}
  Run run;
  EventSeries series;
  EventSeries::Occurrence add(const std::string& object, int seconds) {
    const auto e = unhealthy(object, seconds);
    const EventSeries::Occurrence o = series.add(e, run.trace);
    if (o.count == 1) run.trace.record(e);  // as Context::event does
    return o;
  }
};

const Event kUnhealthy{"wl-1/p1/r0/app", EventType::Warning, Reason::Unhealthy,
                       "Liveness probe failed: HTTP probe failed with statuscode: 500"};

}  // namespace

TEST_CASE("a probe failing 5 times gives 1 + 1 records: the first, then its series of 5 at the end",
          "[event_series]") {
  Run run;
  Maker maker(run.ctx, {kUnhealthy});
  for (const int s : {10, 20, 30, 40, 50}) run.sim.schedule_at(Time::from_seconds(s), maker, 0);
  run.sim.run_until(Time::from_seconds(60));
  REQUIRE(run.sink.records().size() == 1);  // only the first, while the run goes on
  run.ctx.finish();
  const auto& records = run.sink.records();
  REQUIRE(records.size() == 2);
  const TraceRecord& first = records[0];
  CHECK(first.time == Time::from_seconds(10));
  CHECK(first.count == 1);
  CHECK(first.first == Time::from_seconds(10));
  CHECK(first.last == Time::from_seconds(10));
  const TraceRecord& series = records[1];
  CHECK(series.time == Time::from_seconds(60));  // the run's end
  CHECK(series.object == kUnhealthy.object);
  CHECK(series.kind_name() == "event");
  CHECK(series.from_name().empty());
  CHECK(series.to_name() == "Warning");
  CHECK(series.reason_name() == "Unhealthy");
  CHECK(series.message == kUnhealthy.message);
  CHECK(series.count == 5);
  CHECK(series.first == Time::from_seconds(10));
  CHECK(series.last == Time::from_seconds(50));
  CHECK(run.trace.count() == 2);
}

TEST_CASE("events that differ in object, type, reason or message are separate series",
          "[event_series]") {
  Event other_message = kUnhealthy;
  other_message.message += " (again)";
  Event other_object = kUnhealthy;
  other_object.object = "wl-1/p1/r1/app";
  Event other_type = kUnhealthy;
  other_type.type = EventType::Normal;
  Event other_reason = kUnhealthy;
  other_reason.reason = Reason::BackOff;
  Run run;
  Maker maker(run.ctx, {kUnhealthy, other_message, other_object, other_type, other_reason});
  for (std::uint64_t i = 0; i < 5; ++i) run.sim.schedule_at(Time::from_seconds(1), maker, i);
  run.sim.run_until(Time::from_seconds(2));
  run.ctx.finish();
  CHECK(run.sink.records().size() == 5);  // each happened once: no series record
  for (const TraceRecord& r : run.sink.records()) CHECK(r.count == 1);
}

TEST_CASE("series are written at the end in the order they began; one that never repeated is not",
          "[event_series]") {
  const Event pulling{"wl-1/p1/r0/app", EventType::Normal, Reason::Pulling, "Pulling image"};
  const Event backoff{"wl-1/p1/r0/app", EventType::Normal, Reason::BackOff, "Back-off"};
  Run run;
  Maker maker(run.ctx, {backoff, kUnhealthy, pulling});
  // backoff at 1, 3; unhealthy at 2, 4, 5; pulling at 6 only.
  const std::vector<std::pair<int, std::uint64_t>> at{{1, 0}, {2, 1}, {3, 0},
                                                      {4, 1}, {5, 1}, {6, 2}};
  for (const auto& [s, i] : at) run.sim.schedule_at(Time::from_seconds(s), maker, i);
  run.sim.run_until(Time::from_seconds(9));
  run.ctx.finish();
  const auto& r = run.sink.records();
  REQUIRE(r.size() == 5);
  CHECK(r[0].reason_name() == "BackOff");
  CHECK(r[1].reason_name() == "Unhealthy");
  CHECK(r[2].reason_name() == "Pulling");
  CHECK(r[3].reason_name() == "BackOff");
  CHECK(r[3].count == 2);
  CHECK(r[3].first == Time::from_seconds(1));
  CHECK(r[3].last == Time::from_seconds(3));
  CHECK(r[3].time == Time::from_seconds(9));
  CHECK(r[4].reason_name() == "Unhealthy");
  CHECK(r[4].count == 3);
  CHECK(r[4].first == Time::from_seconds(2));
  CHECK(r[4].last == Time::from_seconds(5));
}

TEST_CASE("after the end is written, a repeat begins a new series", "[event_series]") {
  Run run;
  Maker maker(run.ctx, {kUnhealthy});
  run.sim.schedule_at(Time::from_seconds(1), maker, 0);
  run.sim.schedule_at(Time::from_seconds(2), maker, 0);
  run.sim.run_until(Time::from_seconds(3));
  run.ctx.finish();
  CHECK(run.ctx.event_series.size() == 0);
  run.ctx.finish();  // nothing open: writes nothing
  REQUIRE(run.sink.records().size() == 2);
  run.sim.schedule_at(Time::from_seconds(4), maker, 0);
  run.sim.run_until(Time::from_seconds(5));
  REQUIRE(run.sink.records().size() == 3);
  CHECK(run.sink.records()[2].count == 1);
  CHECK(run.sink.records()[2].time == Time::from_seconds(4));
}

TEST_CASE("a pod keeps every occurrence of a repeated event, with its series' count so far",
          "[event_series]") {
  Run run;
  PodEvents kept;
  Maker maker(run.ctx, {kUnhealthy}, &kept);
  for (const int s : {10, 20, 30}) run.sim.schedule_at(Time::from_seconds(s), maker, 0);
  run.sim.run_until(Time::from_seconds(40));
  REQUIRE(kept.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(kept[i].message() == kUnhealthy.message);
    CHECK(kept[i].count() == i + 1);
    CHECK(kept[i].first() == Time::from_seconds(10));
    CHECK(kept[i].last() == Time::from_seconds(10 * static_cast<int>(i + 1)));
    CHECK(kept[i].time() == kept[i].last());
  }
}

TEST_CASE("the series table finds every series among many", "[event_series]") {
  EventSeries series;
  Run run;  // for the vocabulary only
  std::vector<std::string> objects;
  for (int i = 0; i < 1000; ++i) objects.push_back("wl-" + std::to_string(i) + "/p1/r0/app");
  for (int round = 1; round <= 3; ++round) {
    for (const std::string& o : objects) {
      const wlsim::engine::TraceView v{Time::from_seconds(round),
                                       o,
                                       static_cast<wlsim::engine::TraceCode>(TraceKind::Event),
                                       TraceState{}.code(),
                                       TraceState(EventType::Warning).code(),
                                       static_cast<wlsim::engine::TraceCode>(Reason::Unhealthy),
                                       "failed",
                                       {},
                                       &trace_vocabulary()};
      const EventSeries::Occurrence occ = series.add(v, run.trace);
      REQUIRE(occ.count == static_cast<std::uint64_t>(round));
      REQUIRE(occ.first == Time::from_seconds(1));
    }
  }
  CHECK(series.size() == 1000);
  series.flush(run.trace, Time::from_seconds(4));
  REQUIRE(run.sink.records().size() == 1000);
  CHECK(run.sink.records()[999].object == objects[999]);
  CHECK(run.sink.records()[999].count == 3);
  CHECK(series.size() == 0);
}

TEST_CASE(
    "a series forgotten when the generations turn is written then, with its count, first and "
    "last",
    "[event_series]") {
  Small s(2);
  s.add("a", 1);
  s.add("a", 2);
  CHECK(s.add("a", 3).count == 3);
  s.add("b", 4);  // the current generation holds K = 2: {a x3, b}
  s.add("c", 5);  // turns: the previous (empty) writes nothing; current {c}, previous {a, b}
  s.add("d", 6);
  s.add("e", 7);  // turns: the previous {a x3, b} is written (b once: nothing) and dropped
  CHECK(rows(s.run.sink) == std::vector<Row>{{"a", 1, 1, 1, 1},
                                             {"b", 4, 1, 4, 4},
                                             {"c", 5, 1, 5, 5},
                                             {"d", 6, 1, 6, 6},
                                             {"a", 7, 3, 1, 3},
                                             {"e", 7, 1, 7, 7}});
  CHECK(s.series.size() == 3);  // {e}, {c, d}
}

TEST_CASE("an event that comes back after its series was forgotten starts again at count 1",
          "[event_series]") {
  Small s(2);
  s.add("a", 1);
  s.add("a", 2);
  s.add("b", 3);
  s.add("c", 4);
  s.add("d", 5);
  s.add("e", 6);  // a's series (x2) is written at 6 and forgotten
  const EventSeries::Occurrence again = s.add("a", 7);
  CHECK(again.count == 1);
  CHECK(again.first == Time::from_seconds(7));
  s.add("a", 8);
  s.series.flush(s.run.trace, Time::from_seconds(9));
  CHECK(rows(s.run.sink) == std::vector<Row>{{"a", 1, 1, 1, 1},
                                             {"b", 3, 1, 3, 3},
                                             {"c", 4, 1, 4, 4},
                                             {"d", 5, 1, 5, 5},
                                             {"a", 6, 2, 1, 2},
                                             {"e", 6, 1, 6, 6},
                                             {"a", 7, 1, 7, 7},
                                             {"a", 9, 2, 7, 8}});
}

TEST_CASE("an event that happened once and was forgotten writes nothing more", "[event_series]") {
  Small s(1);
  s.add("x", 1);
  s.add("y", 2);  // current {y}, previous {x}
  s.add("z", 3);  // x is forgotten
  CHECK(s.series.size() == 2);
  s.series.flush(s.run.trace, Time::from_seconds(4));
  CHECK(rows(s.run.sink) ==
        std::vector<Row>{{"x", 1, 1, 1, 1}, {"y", 2, 1, 2, 2}, {"z", 3, 1, 3, 3}});
}

TEST_CASE("a repeat found in the previous generation moves to the current one with its series",
          "[event_series]") {
  SECTION("into room in the current generation") {
    Small s(2);
    s.add("a", 1);
    s.add("a", 2);
    s.add("b", 3);
    s.add("c", 4);                                        // current {c}, previous {a x2, b}
    const EventSeries::Occurrence moved = s.add("a", 5);  // current {c, a x3}
    CHECK(moved.count == 3);
    CHECK(moved.first == Time::from_seconds(1));
    s.add("d", 6);  // the previous {a (moved), b} writes nothing
    CHECK(s.run.sink.records().size() == 4);
    s.series.flush(s.run.trace, Time::from_seconds(7));
    REQUIRE(s.run.sink.records().size() == 5);
    CHECK(rows(s.run.sink)[4] == Row{"a", 7, 3, 1, 5});
  }
  SECTION("into a full current generation, which turns first") {
    Small s(1);
    s.add("a", 1);
    s.add("a", 2);
    s.add("b", 3);                    // current {b}, previous {a x2}
    CHECK(s.add("a", 4).count == 3);  // a leaves the previous, which is dropped: current {a x3}
    CHECK(s.run.sink.records().size() == 2);
    s.series.flush(s.run.trace, Time::from_seconds(5));
    CHECK(rows(s.run.sink) ==
          std::vector<Row>{{"a", 1, 1, 1, 1}, {"b", 3, 1, 3, 3}, {"a", 5, 3, 1, 4}});
  }
}

TEST_CASE("the end of the run writes both generations' series, in the order they began",
          "[event_series]") {
  Small s(2);
  s.add("a", 1);
  s.add("b", 1);  // began after a, at the same time
  s.add("b", 3);
  s.add("c", 4);  // current {c}, previous {a, b x2}
  s.add("a", 5);  // current {c, a x2}
  s.add("c", 6);
  s.series.flush(s.run.trace, Time::from_seconds(7));
  CHECK(rows(s.run.sink) == std::vector<Row>{{"a", 1, 1, 1, 1},
                                             {"b", 1, 1, 1, 1},
                                             {"c", 4, 1, 4, 4},
                                             {"a", 7, 2, 1, 5},
                                             {"b", 7, 2, 1, 3},
                                             {"c", 7, 2, 4, 6}});
  CHECK(s.series.size() == 0);
}

TEST_CASE("the generations hold at most 2K distinct events", "[event_series]") {
  Small s(8);
  std::size_t most = 0;
  for (int i = 0; i < 1000; ++i) {
    s.add("wl-" + std::to_string(i), i);
    // From the 100th on, a repeat too, often found in the previous generation.
    if (i >= 100) s.add("wl-" + std::to_string(i - 5), i);
    CHECK(s.series.size() <= 16);
    most = std::max(most, s.series.size());
    if (i == 15) CHECK(s.series.size() == 16);  // both generations full
    if (i == 16) CHECK(s.series.size() == 9);   // turned: {wl-16}, {wl-8 .. wl-15}
  }
  CHECK(most == 16);
}

TEST_CASE(
    "a ticket counts a repeat exactly as add would: where it is, or moved from the "
    "previous generation",
    "[event_series]") {
  // Sequences over 5 objects, with generations of K = 1-4 so that turns, moves and forgetting all
  // happen: one series counts every occurrence with add; the other adds each event ticketed and
  // counts its repeats by ticket while the ticket finds its series, as a probe does. Both must
  // write the same trace.
  for (std::size_t k = 1; k <= 4; ++k) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      Small plain(k);
      Small ticketed(k);
      std::vector<EventSeries::Ticket> tickets(5);
      std::uint64_t x = seed;
      int in_place = 0;
      int moved = 0;
      int forgotten = 0;
      for (int t = 1; t <= 60; ++t) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // an LCG: fixed, portable
        const auto i = static_cast<std::size_t>((x >> 33) % 5);
        const std::string object = "wl/p1/r" + std::to_string(i);
        plain.add(object, t);
        const bool good = ticketed.series.good(tickets[i]);
        if (ticketed.series.count_repeat(tickets[i], Time::from_seconds(t), ticketed.run.trace)) {
          ++(good ? in_place : moved);
          continue;
        }
        forgotten += tickets[i].empty() ? 0 : 1;
        const auto e = unhealthy(object, t);
        const EventSeries::Occurrence o = ticketed.series.add(e, ticketed.run.trace, true);
        if (o.count == 1) ticketed.run.trace.record(e);
        tickets[i] = o.ticket;
      }
      plain.series.flush(plain.run.trace, Time::from_seconds(61));
      ticketed.series.flush(ticketed.run.trace, Time::from_seconds(61));
      INFO("K " << k << ", seed " << seed);
      CHECK(rows(ticketed.run.sink) == rows(plain.run.sink));
      CHECK(ticketed.run.trace.hash() == plain.run.trace.hash());
      CHECK(in_place > 0);
      if (k > 1) CHECK(moved > 0);
      // Two generations hold fewer than the 5 objects: series are forgotten.
      if (2 * k < 5) CHECK(forgotten > 0);
    }
  }
}

TEST_CASE(
    "a ticketed event that never repeats writes nothing more, and a flush makes its ticket "
    "stale",
    "[event_series]") {
  Small s(4);
  const std::string object = "wl/p1/r0";  // the view made of it must outlive the event
  const auto e = unhealthy(object, 1);
  const EventSeries::Occurrence o = s.series.add(e, s.run.trace, true);
  s.run.trace.record(e);
  CHECK(o.count == 1);
  s.series.flush(s.run.trace, Time::from_seconds(2));
  CHECK(s.run.sink.records().size() == 1);  // the occurrence itself, no series
  EventSeries::Ticket stale = o.ticket;
  CHECK_FALSE(s.series.count_repeat(stale, Time::from_seconds(3), s.run.trace));
  EventSeries::Ticket none;
  CHECK_FALSE(s.series.count_repeat(none, Time::from_seconds(3), s.run.trace));
}

TEST_CASE("a run whose pods keep their last events counts no repeat by ticket", "[event_series]") {
  Run run;  // Context::keep_recent.pod_details is on by default
  EventSeries::Ticket ticket;
  run.ctx.event(kUnhealthy.object, kUnhealthy.type, kUnhealthy.reason, kUnhealthy.message, &ticket);
  CHECK_FALSE(run.ctx.repeat_event(ticket));  // the pod must keep the whole event
  run.ctx.keep_recent.pod_details = false;
  CHECK(run.ctx.repeat_event(ticket));
  run.ctx.finish();
  REQUIRE(run.sink.records().size() == 2);
  CHECK(run.sink.records()[1].count == 2);
}

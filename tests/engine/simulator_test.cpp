// Tests for engine/simulator.hpp: timers fire in (time, insertion sequence) order, cancellation is
// safe with stale handles, run/run_until/request_stop move the clock as documented, and scheduling
// from inside a handler (the "hold" pattern) never breaks the global order. The last test
// cross-checks the kernel against a plain std::map reference for thousands of random operations.

#include "wlsim/engine/simulator.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/time.hpp"

using wlsim::engine::EventHandler;
using wlsim::engine::mix64;
using wlsim::engine::RandomStream;
using wlsim::engine::RunOutcome;
using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::TimerId;

namespace {

Time us(std::int64_t n) { return Time::from_us(n); }

struct Fired {
  Time at;
  std::uint64_t token;
  bool operator==(const Fired&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Fired& f) {
  return os << f.token << "@" << f.at.us() << "us";
}

/// Records every event it receives (with the clock at that moment) and runs an optional action.
class Recorder final : public EventHandler {
 public:
  explicit Recorder(Simulator& sim) : sim_(sim) {}
  void on_event(std::uint64_t token) override {
    fired.push_back({sim_.now(), token});
    if (action) action(token);
  }
  [[nodiscard]] std::vector<std::uint64_t> tokens() const {
    std::vector<std::uint64_t> out;
    for (const auto& f : fired) out.push_back(f.token);
    return out;
  }
  std::vector<Fired> fired;
  std::function<void(std::uint64_t)> action;

 private:
  Simulator& sim_;
};

}  // namespace

// -------------------------------------------------------------------------------------------------
// Ordering

TEST_CASE("equal times run in the order they were scheduled", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  for (std::uint64_t token = 0; token < 300; ++token) sim.schedule_at(us(50), rec, token);
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  std::vector<std::uint64_t> expected(300);
  std::iota(expected.begin(), expected.end(), 0);
  CHECK(rec.tokens() == expected);
}

TEST_CASE("timers run in time order, ties in scheduling order, whatever order they were added in",
          "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  RandomStream rng(1, "simulator", "order");
  std::vector<std::pair<std::int64_t, std::uint64_t>> added;  // (time, token) in scheduling order
  for (std::uint64_t token = 0; token < 2000; ++token) {
    const auto t = static_cast<std::int64_t>(rng.next_u64() % 40);  // few distinct times: many ties
    sim.schedule_at(us(t), rec, token);
    added.emplace_back(t, token);
  }
  // The rule: sort by time, keeping scheduling order among equal times.
  std::stable_sort(added.begin(), added.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Fired> expected;
  for (const auto& [t, token] : added) expected.push_back({us(t), token});
  sim.run();
  CHECK(rec.fired == expected);
}

TEST_CASE("the clock reads each timer's own time while its handler runs", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  for (const std::int64_t t : {30, 10, 20, 10, 0})
    sim.schedule_at(us(t), rec, static_cast<std::uint64_t>(t));
  sim.run();
  REQUIRE(rec.fired.size() == 5);
  for (const auto& f : rec.fired) CHECK(f.at.us() == static_cast<std::int64_t>(f.token));
}

TEST_CASE("schedule_in is relative to the current time", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.run_until(us(100));
  const TimerId id = sim.schedule_in(us(25), rec, 1);
  CHECK(sim.when(id) == us(125));
  sim.run();
  REQUIRE(rec.fired.size() == 1);
  CHECK(rec.fired[0].at == us(125));
}

// -------------------------------------------------------------------------------------------------
// Scheduling from inside a handler (the hold pattern)

TEST_CASE("timers scheduled during dispatch keep the global order", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(10), rec, 'A');
  sim.schedule_at(us(20), rec, 'B');
  sim.schedule_at(us(20), rec, 'C');
  rec.action = [&](std::uint64_t token) {
    if (token != 'A') return;
    sim.schedule_at(us(20), rec,
                    'D');  // first: takes the spent top's place, must sift below B and C
    sim.schedule_at(us(15), rec, 'E');
    sim.schedule_at(us(10), rec,
                    'F');  // at the current time: still after A, before everything else
  };
  sim.run();
  const std::vector<Fired> expected{{us(10), 'A'}, {us(10), 'F'}, {us(15), 'E'},
                                    {us(20), 'B'}, {us(20), 'C'}, {us(20), 'D'}};
  CHECK(rec.fired == expected);
}

TEST_CASE(
    "a timer scheduled at the current time from a handler runs after the equal-time timers "
    "already queued",
    "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  for (std::uint64_t t = 0; t < 5; ++t) sim.schedule_at(us(7), rec, t);
  rec.action = [&](std::uint64_t token) {
    if (token == 0) sim.schedule_at(us(7), rec, 100);
  };
  sim.run();
  CHECK(rec.tokens() == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 100});
}

TEST_CASE("a handler that reschedules itself far ahead lets earlier timers run first",
          "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  for (std::uint64_t i = 1; i <= 50; ++i) sim.schedule_at(us(static_cast<std::int64_t>(i)), rec, i);
  rec.action = [&](std::uint64_t token) {
    if (token == 1)
      sim.schedule_at(us(1000), rec, 1000);  // replaces the top; must sink to the bottom
  };
  sim.run();
  std::vector<std::uint64_t> expected(50);
  std::iota(expected.begin(), expected.end(), 1);
  expected.push_back(1000);
  CHECK(rec.tokens() == expected);
}

TEST_CASE("a self-rescheduling periodic timer interleaves with others by (time, sequence)",
          "[simulator]") {
  // Periodic timer P every 3us from 0, and one-shot timers at every multiple of 2 up to 60. Ties at
  // multiples of 6: the one-shots were all scheduled before P's later reschedules, so they run
  // first, except at t=0 where P was scheduled first.
  Simulator sim;
  Recorder rec(sim);
  constexpr std::uint64_t kPeriodic = 999;
  sim.schedule_at(us(0), rec, kPeriodic);
  for (std::int64_t t = 0; t <= 60; t += 2)
    sim.schedule_at(us(t), rec, static_cast<std::uint64_t>(t));
  rec.action = [&](std::uint64_t token) {
    if (token == kPeriodic && sim.now() < us(60)) sim.schedule_in(us(3), rec, kPeriodic);
  };
  sim.run();
  std::vector<Fired> expected;
  for (std::int64_t t = 0; t <= 60; ++t) {
    const bool periodic = t % 3 == 0;
    const bool oneshot = t % 2 == 0;
    if (t == 0) {
      expected.push_back({us(0), kPeriodic});
      expected.push_back({us(0), 0});
      continue;
    }
    if (oneshot) expected.push_back({us(t), static_cast<std::uint64_t>(t)});
    if (periodic) expected.push_back({us(t), kPeriodic});
  }
  CHECK(rec.fired == expected);
}

// -------------------------------------------------------------------------------------------------
// Cancellation

TEST_CASE("a cancelled timer never fires", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(1), rec, 1);
  const TimerId b = sim.schedule_at(us(2), rec, 2);
  sim.schedule_at(us(3), rec, 3);
  CHECK(sim.cancel(b));
  CHECK_FALSE(sim.is_pending(b));
  sim.run();
  CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 3});
}

TEST_CASE("cancelling twice returns false the second time", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId a = sim.schedule_at(us(1), rec, 1);
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.cancel(a));
}

TEST_CASE("cancelling a timer that already fired returns false", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId a = sim.schedule_at(us(1), rec, 1);
  sim.run();
  REQUIRE(rec.fired.size() == 1);
  CHECK_FALSE(sim.cancel(a));
  CHECK_FALSE(sim.is_pending(a));
}

TEST_CASE("a handler cannot cancel its own timer while it runs", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  TimerId self;
  bool cancelled = true;
  rec.action = [&](std::uint64_t) { cancelled = sim.cancel(self); };
  self = sim.schedule_at(us(1), rec, 1);
  sim.run();
  CHECK_FALSE(cancelled);
}

TEST_CASE("a stale handle does not cancel the timer that reused its slot (generation check)",
          "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  SECTION("after a cancel") {
    const TimerId old = sim.schedule_at(us(5), rec, 1);
    REQUIRE(sim.cancel(old));
    const TimerId fresh = sim.schedule_at(us(5), rec, 2);
    CHECK_FALSE(sim.cancel(old));
    CHECK_FALSE(sim.is_pending(old));
    CHECK(sim.when(old) == Time::never());
    CHECK(sim.is_pending(fresh));
    sim.run();
    CHECK(rec.tokens() == std::vector<std::uint64_t>{2});
  }
  SECTION("after the timer fired") {
    const TimerId old = sim.schedule_at(us(5), rec, 1);
    sim.run();
    const TimerId fresh = sim.schedule_at(us(9), rec, 2);
    CHECK_FALSE(sim.cancel(old));
    CHECK(sim.is_pending(fresh));
    sim.run();
    CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2});
  }
  SECTION("many stale handles against many reused slots") {
    std::vector<TimerId> old;
    for (std::uint64_t i = 0; i < 200; ++i) old.push_back(sim.schedule_at(us(10), rec, i));
    for (std::size_t i = 0; i < old.size(); i += 2) REQUIRE(sim.cancel(old[i]));
    sim.run_until(us(10));  // the odd ones fire; every slot is now free
    REQUIRE(rec.fired.size() == 100);
    std::vector<TimerId> fresh;
    for (std::uint64_t i = 0; i < 200; ++i) fresh.push_back(sim.schedule_at(us(20), rec, 1000 + i));
    for (const TimerId id : old) CHECK_FALSE(sim.cancel(id));
    CHECK(sim.pending() == 200);
    for (const TimerId id : fresh) CHECK(sim.is_pending(id));
    sim.run();
    CHECK(rec.fired.size() == 300);
  }
}

TEST_CASE("the invalid handle and unknown handles are never pending", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(1), rec, 1);
  const TimerId none{};
  CHECK_FALSE(none.valid());
  CHECK_FALSE(sim.is_pending(none));
  CHECK_FALSE(sim.cancel(none));
  CHECK(sim.when(none) == Time::never());
  const TimerId unknown{12345, 0};
  CHECK_FALSE(sim.is_pending(unknown));
  CHECK_FALSE(sim.cancel(unknown));
  CHECK(sim.pending() == 1);
}

TEST_CASE("cancel_and_reset cancels the timer and invalidates the handle", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  TimerId id = sim.schedule_at(us(1), rec, 1);
  const TimerId copy = id;
  sim.cancel_and_reset(id);
  CHECK_FALSE(id.valid());
  CHECK_FALSE(sim.is_pending(copy));
  sim.cancel_and_reset(id);  // harmless on an invalid handle
  sim.run();
  CHECK(rec.fired.empty());
}

TEST_CASE("cancelled timers do not move the clock", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(5), rec, 1);
  const TimerId late = sim.schedule_at(us(100), rec, 2);
  sim.cancel(late);
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(sim.now() == us(5));
}

// -------------------------------------------------------------------------------------------------
// The clock and the run calls

TEST_CASE("scheduling in the past throws std::logic_error", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.run_until(us(10));
  REQUIRE(sim.now() == us(10));
  CHECK_THROWS_AS(sim.schedule_at(us(9), rec, 1), std::logic_error);
  CHECK_THROWS_AS(sim.schedule_in(us(-1), rec, 1), std::logic_error);
  CHECK(sim.pending() == 0);
  CHECK_NOTHROW(sim.schedule_at(us(10), rec, 2));  // now itself is not the past
  CHECK(sim.pending() == 1);
}

TEST_CASE("scheduling in the past from inside a handler throws std::logic_error", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  bool threw = false;
  rec.action = [&](std::uint64_t token) {
    if (token != 1) return;
    try {
      sim.schedule_at(us(4), rec, 99);
    } catch (const std::logic_error&) {
      threw = true;
    }
    sim.schedule_at(us(6), rec, 2);  // the queue still works afterwards
  };
  sim.schedule_at(us(5), rec, 1);
  sim.schedule_at(us(7), rec, 3);
  sim.run();
  CHECK(threw);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE(
    "run_until runs events at exactly the limit, leaves later ones pending and sets the clock",
    "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(9), rec, 1);
  sim.schedule_at(us(10), rec, 2);
  sim.schedule_at(us(10), rec, 3);
  const TimerId later = sim.schedule_at(us(11), rec, 4);
  CHECK(sim.run_until(us(10)) == RunOutcome::TimeLimit);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(sim.now() == us(10));
  CHECK(sim.pending() == 1);
  CHECK(sim.is_pending(later));
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2, 3, 4});
}

TEST_CASE("run_until sets the clock to the limit when nothing earlier is left", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  SECTION("empty queue") {
    CHECK(sim.run_until(us(500)) == RunOutcome::QueueEmpty);
    CHECK(sim.now() == us(500));
  }
  SECTION("queue drained before the limit") {
    sim.schedule_at(us(100), rec, 1);
    CHECK(sim.run_until(us(500)) == RunOutcome::QueueEmpty);
    CHECK(sim.now() == us(500));
    CHECK(rec.fired.size() == 1);
  }
  SECTION("only later timers") {
    sim.schedule_at(us(900), rec, 1);
    CHECK(sim.run_until(us(500)) == RunOutcome::TimeLimit);
    CHECK(sim.now() == us(500));
    CHECK(rec.fired.empty());
  }
}

TEST_CASE("events scheduled at the limit from inside run_until still run", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  rec.action = [&](std::uint64_t token) {
    if (token < 3) sim.schedule_at(us(10), rec, token + 1);
  };
  sim.schedule_at(us(10), rec, 0);
  CHECK(sim.run_until(us(10)) == RunOutcome::QueueEmpty);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{0, 1, 2, 3});
}

TEST_CASE("run runs until no timer is pending and leaves the clock at the last event",
          "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  for (std::uint64_t i = 0; i < 10; ++i)
    sim.schedule_at(us(static_cast<std::int64_t>(i * 7)), rec, i);
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.fired.size() == 10);
  CHECK(sim.pending() == 0);
  CHECK(sim.now() == us(63));
  CHECK(sim.run() == RunOutcome::QueueEmpty);  // nothing left: returns at once, clock unchanged
  CHECK(sim.now() == us(63));
  CHECK(rec.fired.size() == 10);
}

TEST_CASE("request_stop from a handler stops after the current event and a later run resumes",
          "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(1), rec, 1);
  sim.schedule_at(us(2), rec, 2);
  sim.schedule_at(us(2), rec, 3);
  sim.schedule_at(us(3), rec, 4);
  rec.action = [&](std::uint64_t token) {
    if (token == 2) {
      sim.request_stop();
      sim.schedule_at(us(2), rec, 5);  // scheduling after the stop request is still fine
    }
  };
  SECTION("run") { CHECK(sim.run() == RunOutcome::Stopped); }
  SECTION("run_until does not advance the clock to its limit when stopped") {
    CHECK(sim.run_until(us(100)) == RunOutcome::Stopped);
  }
  CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2});
  CHECK(sim.now() == us(2));
  CHECK(sim.pending() == 3);
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2, 3, 5, 4});
}

TEST_CASE("request_stop outside a run does not stop the next run", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  sim.schedule_at(us(1), rec, 1);
  sim.schedule_at(us(2), rec, 2);
  sim.request_stop();
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.fired.size() == 2);
}

TEST_CASE("the clock never moves backwards", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  SECTION("an earlier limit with later timers pending") {
    sim.schedule_at(us(20), rec, 1);
    sim.run_until(us(10));
    REQUIRE(sim.now() == us(10));
    try {
      sim.run_until(us(5));  // an earlier limit: either rejected or a no-op, never a rewind
    } catch (const std::logic_error&) {
    }
    CHECK(sim.now() == us(10));
    CHECK_THROWS_AS(sim.schedule_at(us(7), rec, 2), std::logic_error);
    sim.run();
    CHECK(rec.tokens() == std::vector<std::uint64_t>{1});
  }
  SECTION("an earlier limit with an empty queue") {
    sim.run_until(us(10));
    try {
      sim.run_until(us(5));
    } catch (const std::logic_error&) {
    }
    CHECK(sim.now() == us(10));
  }
  SECTION("an earlier limit after events ran") {
    sim.schedule_at(us(30), rec, 1);
    sim.run();
    REQUIRE(sim.now() == us(30));
    try {
      sim.run_until(us(10));
    } catch (const std::logic_error&) {
    }
    CHECK(sim.now() == us(30));
  }
}

// A handler that throws consumes its event; the exception propagates out of run, and the queue
// stays usable (the spent top must not linger and swallow, or be overwritten by, the next timer
// scheduled).
TEST_CASE("a handler that throws leaves the queue intact for later runs", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  rec.action = [](std::uint64_t token) {
    if (token == 1) throw std::runtime_error("handler failure");
  };
  SECTION("later timers pending") {
    sim.schedule_at(us(1), rec, 1);
    sim.schedule_at(us(10), rec, 2);
    CHECK_THROWS_AS(sim.run(), std::runtime_error);
    CHECK(sim.now() == us(1));
    CHECK(sim.pending() == 1);
    CHECK(sim.dispatched() == 1);
    CHECK(sim.run_until(us(5)) == RunOutcome::TimeLimit);
    sim.schedule_at(us(6), rec, 3);
    CHECK(sim.pending() == 2);
    sim.run();
    CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 3, 2});
    CHECK(sim.pending() == 0);
  }
  SECTION("nothing else pending") {
    sim.schedule_at(us(1), rec, 1);
    CHECK_THROWS_AS(sim.run(), std::runtime_error);
    CHECK(sim.run() == RunOutcome::QueueEmpty);
    sim.schedule_at(us(2), rec, 4);
    CHECK(sim.pending() == 1);
    sim.run();
    CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 4});
  }
  SECTION("the throwing handler scheduled before it threw") {
    rec.action = [&](std::uint64_t token) {
      if (token != 1) return;
      sim.schedule_at(us(8), rec, 5);  // takes the spent top's place
      throw std::runtime_error("handler failure");
    };
    sim.schedule_at(us(1), rec, 1);
    sim.schedule_at(us(3), rec, 2);
    CHECK_THROWS_AS(sim.run(), std::runtime_error);
    CHECK(sim.pending() == 2);
    sim.run();
    CHECK(rec.tokens() == std::vector<std::uint64_t>{1, 2, 5});
  }
}

// -------------------------------------------------------------------------------------------------
// Counters and queries

TEST_CASE("pending counts live timers only", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  CHECK(sim.pending() == 0);
  const TimerId a = sim.schedule_at(us(1), rec, 1);
  sim.schedule_at(us(2), rec, 2);
  sim.schedule_at(us(3), rec, 3);
  CHECK(sim.pending() == 3);
  sim.cancel(a);
  CHECK(sim.pending() == 2);
  sim.cancel(a);
  CHECK(sim.pending() == 2);
  sim.run_until(us(2));
  CHECK(sim.pending() == 1);
  std::size_t seen_in_handler = 99;
  rec.action = [&](std::uint64_t) { seen_in_handler = sim.pending(); };
  sim.run();
  CHECK(seen_in_handler == 0);  // the dispatched timer is no longer pending while its handler runs
  CHECK(sim.pending() == 0);
}

TEST_CASE("dispatched counts events run, not cancelled ones", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  CHECK(sim.dispatched() == 0);
  std::vector<TimerId> ids;
  for (std::uint64_t i = 0; i < 10; ++i)
    ids.push_back(sim.schedule_at(us(static_cast<std::int64_t>(i)), rec, i));
  sim.cancel(ids[3]);
  sim.cancel(ids[7]);
  sim.run_until(us(4));
  CHECK(sim.dispatched() == 4);  // 0, 1, 2, 4
  sim.run();
  CHECK(sim.dispatched() == 8);
  CHECK(sim.dispatched() == rec.fired.size());
}

TEST_CASE("when reports the fire time of a pending timer and never otherwise", "[simulator]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId a = sim.schedule_at(us(42), rec, 1);
  const TimerId b = sim.schedule_at(us(7), rec, 2);
  const TimerId c = sim.schedule_at(us(99), rec, 3);
  CHECK(sim.when(a) == us(42));
  CHECK(sim.when(b) == us(7));
  CHECK(sim.is_pending(a));
  sim.cancel(c);
  CHECK(sim.when(c) == Time::never());
  sim.run_until(us(10));
  CHECK(sim.when(b) == Time::never());
  CHECK_FALSE(sim.is_pending(b));
  CHECK(sim.when(a) == us(42));
}

// -------------------------------------------------------------------------------------------------
// Randomised cross-check against a reference written straight from the rule

namespace {

/// The rule itself: a timer is keyed by (time, order of its schedule call); the smallest key runs
/// next.
class ReferenceKernel {
 public:
  template <class OnEvent>
  RunOutcome run_until(Time limit, OnEvent&& on_event) {
    stop_ = false;
    while (!queue_.empty()) {
      const auto it = queue_.begin();
      if (it->first.first > limit.us()) {
        now_ = std::max(now_, limit);
        return RunOutcome::TimeLimit;
      }
      now_ = Time::from_us(it->first.first);
      const std::uint64_t token = it->second;
      where_.erase(token);
      queue_.erase(it);
      ++dispatched_;
      on_event(token);
      if (stop_) return RunOutcome::Stopped;
    }
    if (!limit.is_never()) now_ = std::max(now_, limit);
    return RunOutcome::QueueEmpty;
  }
  void schedule(Time at, std::uint64_t token) {
    if (at < now_) throw std::logic_error("past");
    const std::pair<std::int64_t, std::uint64_t> key{at.us(), seq_++};
    queue_.emplace(key, token);
    where_.emplace(token, key);
  }
  bool cancel(std::uint64_t token) {
    const auto it = where_.find(token);
    if (it == where_.end()) return false;
    queue_.erase(it->second);
    where_.erase(it);
    return true;
  }
  [[nodiscard]] Time when(std::uint64_t token) const {
    const auto it = where_.find(token);
    return it == where_.end() ? Time::never() : Time::from_us(it->second.first);
  }
  [[nodiscard]] Time now() const { return now_; }
  [[nodiscard]] std::size_t pending() const { return where_.size(); }
  [[nodiscard]] std::uint64_t dispatched() const { return dispatched_; }
  void request_stop() { stop_ = true; }

 private:
  std::multimap<std::pair<std::int64_t, std::uint64_t>, std::uint64_t> queue_;
  std::map<std::uint64_t, std::pair<std::int64_t, std::uint64_t>> where_;
  Time now_{};
  std::uint64_t seq_ = 0;
  std::uint64_t dispatched_ = 0;
  bool stop_ = false;
};

/// Adapts the real Simulator to the reference's interface; tokens index the handles, which are kept
/// after the timer fired or was cancelled so that stale handles get cancelled too.
class RealKernel final : public EventHandler {
 public:
  template <class OnEvent>
  RunOutcome run_until(Time limit, OnEvent&& on_event) {
    on_event_ = std::forward<OnEvent>(on_event);
    return limit.is_never() ? sim_.run() : sim_.run_until(limit);
  }
  void schedule(Time at, std::uint64_t token) {
    const TimerId id = sim_.schedule_at(at, *this, token);
    if (ids_.size() <= token) ids_.resize(token + 1);
    ids_[token] = id;
  }
  bool cancel(std::uint64_t token) { return token < ids_.size() && sim_.cancel(ids_[token]); }
  [[nodiscard]] Time when(std::uint64_t token) const {
    if (token >= ids_.size()) return Time::never();
    const Time w = sim_.when(ids_[token]);
    // is_pending and when must agree; a disagreement shows up in the log as time -1.
    if (sim_.is_pending(ids_[token]) == w.is_never()) return Time::from_us(-1);
    return w;
  }
  [[nodiscard]] Time now() const { return sim_.now(); }
  [[nodiscard]] std::size_t pending() const { return sim_.pending(); }
  [[nodiscard]] std::uint64_t dispatched() const { return sim_.dispatched(); }
  void request_stop() { sim_.request_stop(); }
  void on_event(std::uint64_t token) override { on_event_(token); }

 private:
  Simulator sim_;
  std::vector<TimerId> ids_;
  std::function<void(std::uint64_t)> on_event_;
};

/// Drives a kernel with a script that depends only on the seed and on what the kernel reports, and
/// logs everything observable. Two kernels obeying the same rule produce the same log.
template <class Kernel>
class World {
 public:
  explicit World(std::uint64_t seed) : seed_(seed), ops_(seed, "world", "ops") {}

  std::vector<std::string> run_script(int operations) {
    for (int i = 0; i < operations; ++i) step();
    log("final run", kernel_.run_until(Time::never(), [this](std::uint64_t t) { on_event(t); }));
    log_state();
    return std::move(log_);
  }

 private:
  // Delays with many zeros and tiny values, so equal times are common.
  static std::int64_t delay(RandomStream& r) {
    const auto k = r.next_u64() % 10;
    if (k < 3) return 0;
    if (k < 6) return static_cast<std::int64_t>(r.next_u64() % 3) + 1;
    return static_cast<std::int64_t>(r.next_u64() % 1000);
  }
  std::uint64_t any_token(RandomStream& r) const {
    return next_token_ == 0 ? 0 : r.next_u64() % (next_token_ + 2);  // sometimes one never issued
  }
  void schedule(Time at) {
    const std::uint64_t token = next_token_++;
    try {
      kernel_.schedule(at, token);
      log_.push_back("schedule " + std::to_string(token) + " at " + std::to_string(at.us()));
    } catch (const std::logic_error&) {
      log_.push_back("schedule " + std::to_string(token) + " rejected");
    }
  }
  void cancel(std::uint64_t token) {
    log_.push_back("cancel " + std::to_string(token) + " -> " +
                   std::to_string(kernel_.cancel(token)));
  }
  void log(const char* what, RunOutcome o) {
    log_.push_back(std::string(what) + " -> " + std::to_string(static_cast<int>(o)) + " now " +
                   std::to_string(kernel_.now().us()));
  }
  void log_state() {
    log_.push_back("now " + std::to_string(kernel_.now().us()) + " pending " +
                   std::to_string(kernel_.pending()) + " dispatched " +
                   std::to_string(kernel_.dispatched()));
  }

  void on_event(std::uint64_t token) {
    log_.push_back("fire " + std::to_string(token) + " at " + std::to_string(kernel_.now().us()));
    RandomStream r(seed_ ^ mix64(token + 1), "world", "handler");
    const bool may_grow = next_token_ < kTokenCap;
    // 0..3 new timers, 0.85 on average: the event tree dies out.
    const auto k = r.next_u64() % 20;
    const int children = k < 9 ? 0 : k < 15 ? 1 : k < 19 ? 2 : 3;
    for (int c = 0; c < children && may_grow; ++c)
      schedule(kernel_.now() + Time::from_us(delay(r)));
    if (r.next_u64() % 5 == 0) cancel(any_token(r));
    if (r.next_u64() % 10 == 0 && kernel_.now() > Time::zero())
      schedule(kernel_.now() - Time::from_us(1));
    if (r.next_u64() % 8 == 0) {
      const std::uint64_t t = any_token(r);
      log_.push_back("when " + std::to_string(t) + " = " + std::to_string(kernel_.when(t).us()));
    }
    if (r.next_u64() % 100 == 0) {
      kernel_.request_stop();
      log_.push_back("stop requested");
    }
    if (r.next_u64() % 4 == 0) log_state();
  }

  void step() {
    const auto op = ops_.next_u64() % 100;
    const auto handler = [this](std::uint64_t t) { on_event(t); };
    if (op < 35) {
      schedule(kernel_.now() + Time::from_us(delay(ops_)));
    } else if (op < 40) {
      const Time at = kernel_.now() + Time::from_us(delay(ops_));  // a burst of equal times
      for (int i = 0; i < 6; ++i) schedule(at);
    } else if (op < 60) {
      cancel(any_token(ops_));
    } else if (op < 78) {
      const Time limit =
          kernel_.now() + Time::from_us(static_cast<std::int64_t>(ops_.next_u64() % 1500));
      log("run_until", kernel_.run_until(limit, handler));
    } else if (op < 80) {
      log("run", kernel_.run_until(Time::never(), handler));
    } else if (op < 82) {
      const Time limit =
          kernel_.now() - Time::from_us(static_cast<std::int64_t>(ops_.next_u64() % 100));
      log("run_until earlier", kernel_.run_until(limit, handler));
    } else if (op < 90) {
      const std::uint64_t t = any_token(ops_);
      log_.push_back("when " + std::to_string(t) + " = " + std::to_string(kernel_.when(t).us()));
    } else {
      log_state();
    }
  }

  static constexpr std::uint64_t kTokenCap = 200000;
  Kernel kernel_;
  std::uint64_t seed_;
  RandomStream ops_;
  std::uint64_t next_token_ = 0;
  std::vector<std::string> log_;
};

}  // namespace

TEST_CASE(
    "the kernel matches a (time, sequence)-ordered reference over random schedule and cancel "
    "operations",
    "[simulator]") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const auto expected = World<ReferenceKernel>(seed).run_script(4000);
    const auto actual = World<RealKernel>(seed).run_script(4000);
    std::size_t fires = 0;
    for (const auto& line : expected) fires += line.rfind("fire ", 0) == 0 ? 1 : 0;
    INFO("seed " << seed << ": " << expected.size() << " log lines, " << fires << " events");
    REQUIRE(fires > 5000);  // the script really exercises the queue
    const auto mismatch =
        std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
    if (mismatch.first != expected.end() || mismatch.second != actual.end()) {
      const auto at = static_cast<std::size_t>(mismatch.first - expected.begin());
      INFO("first difference at log line "
           << at << ": expected '" << (mismatch.first != expected.end() ? *mismatch.first : "<end>")
           << "', got '" << (mismatch.second != actual.end() ? *mismatch.second : "<end>") << "'");
      FAIL("the kernel diverged from the reference");
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Event budget

TEST_CASE("a run stops before the event past its budget and can go on once it is raised",
          "[simulator][bounds]") {
  Simulator sim;
  Recorder rec(sim);
  // A handler that reschedules itself forever: without a budget this run would never end.
  rec.action = [&](std::uint64_t token) { sim.schedule_in(us(10), rec, token + 1); };
  sim.schedule_at(us(5), rec, 0);
  sim.set_event_budget(3);
  CHECK(sim.run() == RunOutcome::BudgetExhausted);
  CHECK(sim.dispatched() == 3);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{0, 1, 2});
  CHECK(sim.now() == us(25));  // the last event dispatched, not the one held back
  CHECK(sim.run_until(us(1000)) == RunOutcome::BudgetExhausted);
  CHECK(sim.dispatched() == 3);
  sim.set_event_budget(5);
  CHECK(sim.run() == RunOutcome::BudgetExhausted);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{0, 1, 2, 3, 4});
  CHECK(sim.now() == us(45));
}

TEST_CASE("cancelled timers do not count against the event budget", "[simulator][bounds]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId a = sim.schedule_at(us(1), rec, 1);
  sim.schedule_at(us(2), rec, 2);
  sim.cancel(a);
  sim.set_event_budget(1);
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.tokens() == std::vector<std::uint64_t>{2});
}

// -------------------------------------------------------------------------------------------------
// Silent repeats

namespace {

/// P's beats so far and the one-shot timers between them: the order a run saw its events in.
struct BeatLog {
  std::vector<std::pair<std::int64_t, std::uint64_t>> seen;  // (time, one-shot token or beats)
};

}  // namespace

TEST_CASE("a timer repeated silently comes due where a self-rescheduling one would",
          "[simulator][silent]") {
  // P every 3us from 3 to 18 among one-shots at every multiple of 2 up to 20. The reference
  // reschedules P from its handler; the other run asks for 5 silent repeats and is called at 18
  // only. Each one-shot notes how many of P's times have come by then: equal ties (6, 12, 18)
  // must fall on the same side in both runs, and both runs dispatch as many events.
  constexpr std::uint64_t kP = 999;
  const auto run = [](bool silent) {
    Simulator sim;
    Recorder rec(sim);
    int beats = 0;
    BeatLog log;
    TimerId p = sim.schedule_at(us(3), rec, kP);
    if (silent) CHECK(sim.repeat_silently(p, us(3), 5));
    for (std::int64_t t = 0; t <= 20; t += 2)
      sim.schedule_at(us(t), rec, static_cast<std::uint64_t>(t));
    rec.action = [&](std::uint64_t token) {
      if (token == kP) {
        beats += silent ? 6 : 1;  // the silent run is called once, at the sixth time
        if (!silent && sim.now() < us(18)) p = sim.schedule_in(us(3), rec, kP);
        return;
      }
      const int passed = silent && sim.is_pending(p) ? 5 - static_cast<int>(sim.silent_repeats(p))
                                                      : beats;
      log.seen.emplace_back(sim.now().us(), static_cast<std::uint64_t>(passed));
    };
    sim.run();
    CHECK(beats == 6);
    CHECK(sim.dispatched() == 6 + 11);
    return log.seen;
  };
  const auto reference = run(false);
  CHECK(run(true) == reference);
  // The ties: scheduled before P's repeat of that time was, so the one-shot comes first.
  CHECK(reference[3] == std::pair<std::int64_t, std::uint64_t>{6, 1});
  CHECK(reference[9] == std::pair<std::int64_t, std::uint64_t>{18, 5});
}

TEST_CASE("silent repeats move the timer's time, and count 0 ends them", "[simulator][silent]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId p = sim.schedule_at(us(10), rec, 1);
  REQUIRE(sim.repeat_silently(p, us(4), 3));
  CHECK(sim.silent_repeats(p) == 3);
  CHECK(sim.run_until(us(15)) == RunOutcome::TimeLimit);
  CHECK(sim.when(p) == us(18));
  CHECK(sim.silent_repeats(p) == 1);
  CHECK(rec.fired.empty());
  CHECK(sim.repeat_silently(p, us(4), 0));
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.fired == std::vector<Fired>{{us(18), 1}});
  CHECK(sim.dispatched() == 3);  // silent at 10 and 14, called at 18
  CHECK(sim.dispatched_silently() == 2);
  CHECK(sim.silent_repeats(p) == 0);
}

TEST_CASE("silent repeats are refused for a timer not pending and for a period out of range",
          "[simulator][silent][bounds]") {
  Simulator sim;
  Recorder rec(sim);
  CHECK_FALSE(sim.repeat_silently(TimerId{}, us(1), 1));
  const TimerId p = sim.schedule_at(us(1), rec, 1);
  CHECK_FALSE(sim.repeat_silently(p, us(0), 1));
  CHECK_FALSE(sim.repeat_silently(p, us(-5), 1));
  CHECK_FALSE(sim.repeat_silently(p, us(std::int64_t{UINT32_MAX} + 1), 1));
  const TimerId late = sim.schedule_at(us(INT64_MAX - 10), rec, 2);
  CHECK_FALSE(sim.repeat_silently(late, us(4), 3));  // would pass the largest time
  CHECK(sim.repeat_silently(late, us(4), 2));
  CHECK(sim.silent_repeats(p) == 0);
  sim.cancel(p);
  CHECK_FALSE(sim.repeat_silently(p, us(1), 1));
  CHECK(sim.silent_repeats(p) == 0);
}

TEST_CASE("a timer cancelled during its silent repeats comes due no more", "[simulator][silent]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId p = sim.schedule_at(us(1), rec, 1);
  REQUIRE(sim.repeat_silently(p, us(1), 100));
  sim.run_until(us(3));
  CHECK(sim.dispatched() == 3);
  CHECK(sim.cancel(p));
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(sim.dispatched() == 3);
  CHECK(rec.fired.empty());
  // Its slot, reused, carries no repeats over.
  const TimerId q = sim.schedule_at(us(10), rec, 2);
  CHECK(sim.silent_repeats(q) == 0);
  sim.run();
  CHECK(rec.fired == std::vector<Fired>{{us(10), 2}});
}

TEST_CASE("silent repeats count against the event budget", "[simulator][silent][bounds]") {
  Simulator sim;
  Recorder rec(sim);
  const TimerId p = sim.schedule_at(us(5), rec, 1);
  REQUIRE(sim.repeat_silently(p, us(5), 4));
  sim.set_event_budget(3);
  CHECK(sim.run() == RunOutcome::BudgetExhausted);
  CHECK(sim.now() == us(15));
  CHECK(sim.silent_repeats(p) == 1);
  sim.set_event_budget(10);
  CHECK(sim.run() == RunOutcome::QueueEmpty);
  CHECK(rec.fired == std::vector<Fired>{{us(25), 1}});
  CHECK(sim.dispatched() == 5);
}

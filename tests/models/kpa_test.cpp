// SEMANTICS.md §8: the Knative KPA for httpRequestsConcurrency, one policy's recommender.
#include "wlsim/models/kpa.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <utility>

using wlsim::engine::Time;
using namespace wlsim::models;

namespace {
Time s(std::int64_t secs) { return Time::from_seconds(secs); }

// Requests in flight as a function of time, constant on each second [t, t + 1); the integral is
// the sum of concurrency x 1 s, the way the simulator accumulates it.
class Load {
 public:
  explicit Load(std::function<double(std::int64_t)> c) : c_(std::move(c)) {}
  [[nodiscard]] double at(std::int64_t t) const { return c_(t); }
  [[nodiscard]] double integral(std::int64_t until) const {
    double sum = 0;
    for (std::int64_t t = 0; t < until; ++t) sum += c_(t);
    return sum;
  }
  [[nodiscard]] KpaObservation observe(std::int64_t t, int current, int ready) const {
    return {s(t), integral(t), current, ready};
  }

 private:
  std::function<double(std::int64_t)> c_;
};

Load constant(double c) {
  return Load([c](std::int64_t) { return c; });
}
}  // namespace

TEST_CASE("KPA: a steady concurrency of 50 against a target of 10 gives 5 replicas") {
  Kpa kpa({}, 10, 0, 100, s(0));
  const Load load = constant(50);
  for (std::int64_t t = 2; t <= 180; t += 2) {
    INFO("t = " << t);
    const KpaDecision d = kpa.tick(load.observe(t, 5, 5));
    REQUIRE(d.desired == 5);
    REQUIRE_FALSE(d.panic);
    REQUIRE(d.reason.empty());
    // Settled once a whole stable window of the one concurrency has been seen.
    REQUIRE(kpa.settled() == (t >= 60));
  }
}

TEST_CASE(
    "KPA: from one replica, a steady 50 panics to 5 and leaves panic one stable window "
    "after the last tick over the threshold") {
  Kpa kpa({}, 10, 0, 100, s(0));
  const Load load = constant(50);
  int current = 1;
  for (std::int64_t t = 2; t <= 200; t += 2) {
    INFO("t = " << t);
    // The four new replicas are ready at 20 s: until then 5 / 1 >= 2 keeps panicking.
    const KpaDecision d = kpa.tick(load.observe(t, current, t < 20 ? 1 : 5));
    REQUIRE(d.desired == 5);
    REQUIRE(d.panic == (t < 18 + 60));
    current = d.desired;
  }
  CHECK(kpa.settled());
}

TEST_CASE(
    "KPA: concurrency doubling within the panic window panics and never scales down "
    "until a stable window has passed without it") {
  // 50 in flight, 100 on [120, 130), 50 again after.
  const Load load([](std::int64_t t) { return t >= 120 && t < 130 ? 100.0 : 50.0; });
  Kpa kpa({}, 10, 0, 100, s(0));
  int current = 5;
  int ready = 5;
  for (std::int64_t t = 2; t <= 120; t += 2) REQUIRE(kpa.tick(load.observe(t, 5, 5)).desired == 5);

  // The panic window reaches a doubled 100 at 126: 10 / 5 ready >= 2.
  REQUIRE(kpa.tick(load.observe(122, current, ready)).desired == 6);  // stable mode: 51.7 -> 6
  REQUIRE_FALSE(kpa.panicking());
  current = 6;
  REQUIRE(kpa.tick(load.observe(124, current, ready)).desired == 6);
  REQUIRE_FALSE(kpa.panicking());
  const KpaDecision first = kpa.tick(load.observe(126, current, ready));
  CHECK(first.desired == 10);
  CHECK(first.panic);
  CHECK(first.reason == "concurrency above target (panic mode)");
  current = 10;

  // The last tick over the threshold is 130 (panic window [124, 130] all at 100); the new
  // replicas are ready from 140 on. The stable count falls to 6 and 5, but panic holds 10.
  for (std::int64_t t = 128; t < 190; t += 2) {
    INFO("t = " << t);
    if (t >= 140) ready = 10;
    const KpaDecision d = kpa.tick(load.observe(t, current, ready));
    REQUIRE(d.desired == 10);
    REQUIRE(d.panic);
    REQUIRE_FALSE(kpa.settled());
  }
  const KpaDecision after = kpa.tick(load.observe(190, current, ready));
  CHECK_FALSE(after.panic);
  CHECK(after.desired == 5);  // the stable window [130, 190] is all at 50
  CHECK(after.reason == "All metrics below target");
}

TEST_CASE("KPA: the count goes up at most x1000 and down at most /2 of the ready replicas") {
  Kpa up({}, 10, 0, 100000, s(0));
  const Load flood = constant(50000);  // wants 5000
  CHECK(up.tick(flood.observe(2, 2, 2)).desired == 2000);
  Kpa from_none({}, 10, 0, 100000, s(0));
  CHECK(from_none.tick(flood.observe(2, 1, 0)).desired == 1000);  // of max(ready, 1)

  Kpa down({}, 10, 0, 100, s(0));
  const Load trickle = constant(10);  // wants 1
  CHECK(down.tick(trickle.observe(2, 10, 10)).desired == 5);
  CHECK(down.tick(trickle.observe(4, 5, 5)).desired == 2);
  CHECK(down.tick(trickle.observe(6, 2, 2)).desired == 1);
  CHECK(down.tick(trickle.observe(8, 1, 1)).desired == 1);
}

TEST_CASE(
    "KPA: with no traffic the count reaches zero at the first tick at or after the first "
    "idle tick plus the 30 s grace, and not before") {
  Kpa kpa({}, 10, 0, 10, s(0));
  const Load idle = constant(0);
  // Idle from 60 s (a whole stable window observed, all zero); zero at 60 + 30 = 90.
  for (std::int64_t t = 2; t < 90; t += 2) {
    INFO("t = " << t);
    REQUIRE(kpa.tick(idle.observe(t, 1, 1)).desired == 1);
    REQUIRE_FALSE(kpa.settled());
  }
  const KpaDecision zero = kpa.tick(idle.observe(90, 1, 1));
  CHECK(zero.desired == 0);
  CHECK(zero.reason == "no requests for the stable window and the scale-to-zero grace period");
  CHECK_FALSE(kpa.settled());
  CHECK(kpa.tick(idle.observe(92, 0, 0)).desired == 0);
  CHECK(kpa.settled());
}

TEST_CASE(
    "KPA: after traffic stops, zero comes a stable window plus the grace later, at the "
    "first tick at or after it") {
  KpaParams params;
  params.scale_to_zero_grace = s(31);
  Kpa kpa(params, 10, 0, 10, s(0));
  const Load load([](std::int64_t t) { return t < 100 ? 5.0 : 0.0; });
  // Ticks at odd seconds: the first idle tick is 161 (window [101, 161]); 161 + 31 = 192, so the
  // first tick at or after it is 193.
  for (std::int64_t t = 1; t < 193; t += 2) {
    INFO("t = " << t);
    REQUIRE(kpa.tick(load.observe(t, 1, 1)).desired == 1);
  }
  CHECK(kpa.tick(load.observe(193, 1, 1)).desired == 0);
}

TEST_CASE("KPA: with minCount above zero the count never reaches zero") {
  Kpa kpa({}, 10, 1, 10, s(0));
  const Load idle = constant(0);
  int current = 2;
  for (std::int64_t t = 2; t <= 600; t += 2) {
    INFO("t = " << t);
    const KpaDecision d = kpa.tick(idle.observe(t, current, current));
    REQUIRE(d.desired == 1);
    current = d.desired;
    REQUIRE(kpa.settled() == (t >= 60));
  }
}

TEST_CASE("KPA: the activator's poke scales a proton at zero to what its queue needs") {
  Kpa kpa({}, 10, 0, 20, s(0));
  CHECK(kpa.activate(0) == 1);
  CHECK(kpa.activate(1) == 1);
  CHECK(kpa.activate(35) == 4);
  CHECK(kpa.activate(1000) == 20);
  Kpa floor2({}, 10, 2, 20, s(0));
  CHECK(floor2.activate(1) == 2);
  KpaParams knative;
  knative.target_utilization = 0.7;
  Kpa seventy(knative, 10, 0, 20, s(0));
  CHECK(seventy.activate(7) == 1);
  CHECK(seventy.activate(7.7) == 2);
}

TEST_CASE("KPA: skipped ticks, interpolated, give the same decisions as dense ticks") {
  // 30 in flight, 80 from 200 s, 20 from 400 s: constant between the changes.
  const Load load([](std::int64_t t) { return t < 200 ? 30.0 : t < 400 ? 80.0 : 20.0; });
  const auto changes_at = [&](std::int64_t t) { return load.at(t) != load.at(t - 1); };
  Kpa dense({}, 10, 0, 100, s(0));
  Kpa sparse({}, 10, 0, 100, s(0));
  int current = 3;
  int skipped = 0;
  for (std::int64_t t = 2; t <= 700; t += 2) {
    INFO("t = " << t);
    const KpaDecision d = dense.tick(load.observe(t, current, current));
    // The autoscaler skips while settled and nothing changed since its last tick, and ticks at the
    // last tick time before an input changes (here the concurrency over [t - 2, t + 2)).
    if (sparse.settled() && !changes_at(t - 2) && !changes_at(t - 1) && !changes_at(t) &&
        !changes_at(t + 1)) {
      REQUIRE(d.desired == current);
      ++skipped;
    } else {
      const KpaDecision e = sparse.tick(load.observe(t, current, current));
      REQUIRE(e.desired == d.desired);
      REQUIRE(e.panic == d.panic);
      REQUIRE(sparse.settled() == dense.settled());
    }
    current = d.desired;
  }
  INFO("skipped " << skipped);
  CHECK(skipped > 200);
  CHECK(current == 2);
}

TEST_CASE("KPA: an average within floating error of a whole count does not buy a replica") {
  Kpa kpa({}, 10, 0, 100, s(0));
  // 10 s at 50.0000000001: 5.00000000001 replicas' worth.
  CHECK(kpa.tick({s(10), 500.000000001, 5, 5}).desired == 5);
  Kpa more({}, 10, 0, 100, s(0));
  CHECK(more.tick({s(10), 500.01, 5, 5}).desired == 6);  // 50.001 is a real excess
}

TEST_CASE("KPA: a tick at the start, with nothing observed, keeps the count") {
  Kpa kpa({}, 10, 0, 100, s(0));
  const KpaDecision d = kpa.tick({s(0), 0, 4, 4});
  CHECK(d.desired == 4);
  CHECK_FALSE(d.panic);
  CHECK_THROWS_AS(kpa.tick({Time::from_ms(-1), 0, 4, 4}), std::invalid_argument);
}

TEST_CASE("KPA: a request in flight at the tick keeps the proton from being idle, though it has "
          "added nothing to the integral yet",
          "[kpa][scale-to-zero]") {
  // Nothing for 90 s: idle from 60 s, grace over at 90 s. A request arrives at 90 s, just before
  // the tick: with it in flight the proton is not idle and keeps its replica.
  Kpa kpa(KpaParams{}, 10, 0, 5, Time::zero());
  for (int t = 2; t < 90; t += 2) (void)kpa.tick({Time::from_seconds(t), 0, 1, 1});
  CHECK(kpa.tick({Time::from_seconds(90), 0, 1, 1, 1.0}).desired == 1);
  Kpa quiet(KpaParams{}, 10, 0, 5, Time::zero());
  for (int t = 2; t < 90; t += 2) (void)quiet.tick({Time::from_seconds(t), 0, 1, 1});
  CHECK(quiet.tick({Time::from_seconds(90), 0, 1, 1, 0.0}).desired == 0);
}

TEST_CASE("KPA: a stable window of more ticks than its buffer first holds averages exactly") {
  // Tick 1 s under a 100 s window: ~101 samples, beyond the buffer's first 96; it grows, drops the
  // oldest and moves its samples back to its start. 50 in flight until 150 s, 10 after; target
  // 10, 5 ready.
  KpaParams p;
  p.tick = s(1);
  p.stable_window = s(100);
  p.panic_window = s(10);
  Kpa kpa(p, 10, 0, 100, s(0));
  const Load load([](std::int64_t t) { return t < 150 ? 50.0 : 10.0; });
  for (std::int64_t t = 1; t <= 400; ++t) {
    INFO("t = " << t);
    const KpaDecision d = kpa.tick(load.observe(t, 5, 5));
    // The stable mean over [t - 100, t]: 50 until 150, (50 x (250 - t) + 10 x (t - 150)) / 100
    // to 250, 10 after; at most halved per tick (of 5 ready: down to 2).
    if (t <= 150) REQUIRE(d.desired == 5);
    if (t == 200) REQUIRE(d.desired == 3);  // 30 in flight
    if (t >= 226) REQUIRE(d.desired == 2);  // under 20 in flight, halved at most
    REQUIRE_FALSE(d.panic);
  }
  CHECK_FALSE(kpa.settled());  // it decides 2 with 5: not the current count
  CHECK(kpa.tick(load.observe(401, 2, 2)).desired == 1);
}

TEST_CASE("KPA: a tick retaken from a copy's decision leaves the KPA as the tick itself would") {
  // The autoscaler foresees ticks on a copy and retakes them on its KPA later (autoscaler.hpp,
  // Foresight). Through idle spans (scale to zero), a spike (panic) and its end, a KPA that only
  // retakes must decide every later tick as one that ticked. Retake here copies before every
  // tick, whatever it decides: the state must match even where the autoscaler would not retake.
  const Load load([](std::int64_t t) {
    if (t < 100) return 0.0;
    if (t < 140) return 400.0;
    return t < 400 ? 25.0 : 0.0;
  });
  Kpa ticked({}, 10, 0, 50, s(0));
  Kpa retaken = ticked;
  int current = 1;
  int panics = 0;
  int idle = 0;
  for (std::int64_t t = 2; t <= 700; t += 2) {
    INFO("t = " << t);
    const KpaObservation o{s(t), load.integral(t), current, current, load.at(t)};
    const KpaDecision d = ticked.tick(o);
    Kpa copy = retaken;
    const KpaDecision c = copy.tick(o);
    REQUIRE(c.desired == d.desired);
    REQUIRE(c.panic == d.panic);
    REQUIRE(c.over_threshold == d.over_threshold);
    REQUIRE(c.idle == d.idle);
    REQUIRE(c.settled == ticked.settled());
    retaken.retake(o, c);
    REQUIRE(retaken.panicking() == ticked.panicking());
    REQUIRE(retaken.settled() == ticked.settled());
    panics += d.panic ? 1 : 0;
    idle += d.idle ? 1 : 0;
    current = d.desired;
  }
  // The run went through both marks, and ends at zero.
  CHECK(panics > 0);
  CHECK(idle > 0);
  CHECK(current == 0);
}

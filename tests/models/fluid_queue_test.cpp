// FluidQueue: fluid mode's requests (SEMANTICS.md §8): the stationary M/M/c queue below capacity,
// the exact FIFO fluid backlog (activator with no server, overload, draining), the drops the
// timeout and the activator's depth impose, tearing down, and latencies as weighted samples.
#include "wlsim/models/fluid_queue.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "wlsim/models/erlang.hpp"
#include "wlsim/models/latency_stats.hpp"
#include "wlsim/models/sojourn_memo.hpp"

using wlsim::engine::Time;
using wlsim::models::FluidQueue;
using wlsim::models::LatencyStats;
using wlsim::models::mmc;

namespace {

Time s(std::int64_t n) { return Time::from_seconds(n); }
Time us(std::int64_t n) { return Time::from_us(n); }
constexpr double kDepth = 10'000;  // the activator's default depth

// Every request that arrived is served, dropped or still in the backlog (outside the stationary
// queue, whose content the fluid model does not carry in its counts).
double unaccounted(const FluidQueue& q) {
  const auto& t = q.totals();
  return t.arrived - t.served - t.dropped_timeout - t.dropped_full - q.backlog();
}

}  // namespace

TEST_CASE("fluid: below capacity the queue is Erlang's stationary M/M/c", "[fluid]") {
  LatencyStats lat;
  FluidQueue q(kDepth, s(300), &lat);
  q.set(s(0), 8.0, 10, 1.0);  // 8 erlangs on 10 servers
  const auto m = mmc(8.0, 1.0, 10);
  CHECK(q.in_flight() == m.mean_in_system);
  CHECK(q.busy() == 8.0);
  CHECK(q.backlog() == 0.0);
  CHECK(q.next_change() == Time::never());
  q.advance(s(100));
  CHECK(q.in_flight() == m.mean_in_system);
  const auto& t = q.totals();
  CHECK(t.arrived == 800.0);
  CHECK(t.served == 800.0);
  CHECK(t.dropped_timeout == 0.0);
  CHECK(t.dropped_full == 0.0);
  CHECK(t.in_flight_integral == Approx(m.mean_in_system * 100).epsilon(1e-14));
  CHECK(t.busy_integral == Approx(800.0).epsilon(1e-14));
  // Latency = Erlang C's wait + the service, in the mean exactly.
  q.flush_latency();
  CHECK(lat.count() == Approx(800.0).epsilon(1e-12));
  CHECK(lat.mean() == Approx(m.mean_wait_s + 1.0).epsilon(1e-9));
}

TEST_CASE("fluid: one server's latency quantiles follow the M/M/1 sojourn", "[fluid]") {
  // M/M/1: the sojourn is exponential at mu - lambda = 2/s; each answer lies in the narrow
  // stratum just below its level, so between the true quantiles of the stratum's ends.
  LatencyStats lat;
  FluidQueue q(kDepth, s(300), &lat);
  q.set(s(0), 3.0, 1, 0.2);
  q.advance(s(10));
  const auto quantile = [](double u) { return -std::log(1 - u) / 2.0; };
  q.flush_latency();
  CHECK(lat.mean() == Approx(0.5).epsilon(1e-9));
  CHECK(lat.quantile(0.5) >= quantile(0.49));
  CHECK(lat.quantile(0.5) <= quantile(0.51));
  CHECK(lat.quantile(0.9) >= quantile(0.89));
  CHECK(lat.quantile(0.9) <= quantile(0.91));
  CHECK(lat.quantile(0.99) >= quantile(0.9895));
  CHECK(lat.quantile(0.99) <= quantile(0.9905));
}

TEST_CASE("fluid: the sojourn keeps its mean when the spare rate equals the service rate",
          "[fluid]") {
  // c = 2, S = 1 s, 1/s: the wait's rate 2 - 1 equals the service's; the closed form changes.
  LatencyStats lat;
  FluidQueue q(kDepth, s(300), &lat);
  q.set(s(0), 1.0, 2, 1.0);
  q.advance(s(10));
  const auto m = mmc(1.0, 1.0, 2);
  q.flush_latency();
  CHECK(lat.mean() == Approx(m.mean_wait_s + 1.0).epsilon(1e-9));
  CHECK(q.in_flight() == m.mean_in_system);
}

TEST_CASE("fluid: a hundred thousand servers stay stationary and exact", "[fluid]") {
  LatencyStats lat;
  FluidQueue q(kDepth, s(300), &lat);
  q.set(s(0), 95'000.0, 100'000, 1.0);
  const auto m = mmc(95'000.0, 1.0, 100'000);
  CHECK(q.in_flight() == m.mean_in_system);
  q.advance(s(60));
  CHECK(q.totals().served == Approx(95'000.0 * 60).epsilon(1e-14));
  q.flush_latency();
  CHECK(lat.mean() == Approx(m.mean_wait_s + 1.0).epsilon(1e-9));
}

TEST_CASE("fluid: with no server the activator holds every arrival, then the backlog drains",
          "[fluid]") {
  LatencyStats lat;
  FluidQueue q(kDepth, s(300), &lat);
  q.set(s(0), 5.0, 0, 0.1);
  CHECK(q.next_change() == s(300));  // the first arrival would time out (the depth binds later)
  q.advance(s(10));
  CHECK(q.backlog() == Approx(50.0).epsilon(1e-14));
  CHECK(q.in_flight() == Approx(50.0).epsilon(1e-14));
  CHECK(q.busy() == 0.0);
  CHECK(q.totals().in_flight_integral == Approx(250.0).epsilon(1e-14));  // 0 -> 50 over 10 s

  // Two servers of 0.1 s serve 20/s: the backlog drains at 20 - 5 = 15/s, empty after 10/3 s.
  q.set(s(10), 5.0, 2, 0.1);
  CHECK(q.busy() == 2.0);
  CHECK(q.in_flight() == Approx(52.0).epsilon(1e-14));
  const Time drained = us(13'333'334);  // 13.3333333 s rounded up to the microsecond
  CHECK(q.next_change() == drained);
  q.advance(us(13'333'333));
  CHECK(q.backlog() == Approx(15.0 * 1e-6 / 3).margin(1e-9));  // a third of a microsecond left
  q.advance(drained);
  CHECK(q.backlog() == 0.0);
  CHECK(q.next_change() == Time::never());
  const auto m = mmc(5.0, 0.1, 2);
  CHECK(q.in_flight() == m.mean_in_system);
  const auto& t = q.totals();
  CHECK(t.arrived == Approx(5.0 * 13.333334).epsilon(1e-14));
  CHECK(t.served == Approx(t.arrived).epsilon(1e-12));
  CHECK(t.dropped_timeout == 0.0);
  CHECK(t.dropped_full == 0.0);
  // 250 while held, then (2 busy + 50 -> 0 waiting) over 10/3 s, then L for 2/3 us.
  const double drain = 10.0 / 3.0;
  CHECK(t.in_flight_integral ==
        Approx(250.0 + (2 + 25.0) * drain + m.mean_in_system * (13.333334 - 10 - drain))
            .epsilon(1e-9));
  CHECK(t.busy_integral == Approx(2 * drain + 0.5 * (13.333334 - 10 - drain)).epsilon(1e-9));
  // FIFO: the arrival at s is served at 10 + s/4 (the head moves 20/5 = 4 s of arrivals per
  // second), after a wait of 10 - 3s/4: uniform from 10 s down to 0 over the drain, 5 s on average,
  // plus the 0.1 s service.
  q.flush_latency();
  CHECK(lat.count() == Approx(t.served).epsilon(1e-12));
  CHECK(lat.mean() == Approx(5.1).epsilon(1e-6));
  CHECK(lat.quantile(0.5) == Approx(5.1).epsilon(0.02));
  CHECK(lat.quantile(0.9) == Approx(9.1).epsilon(0.02));
  CHECK(unaccounted(q) == Approx(0.0).margin(1e-9));
}

TEST_CASE("fluid: overload grows the backlog to every arrival of the last timeout, then drops",
          "[fluid]") {
  // 30/s on 2 servers of 0.1 s (20/s): the backlog grows at 10/s; the head (served at 20/s of
  // arrivals that came at 30/s) ages at 1/3 s per second and reaches the 300 s timeout at 900 s,
  // with 9000 = 30 x 300 waiting. From then on 20/s are served and 10/s time out.
  LatencyStats lat;
  FluidQueue q(kDepth, s(300), &lat);
  q.set(s(0), 30.0, 2, 0.1);
  CHECK(q.busy() == 2.0);
  CHECK(q.in_flight() == 2.0);
  CHECK(q.next_change() == s(900));
  q.advance(s(450));
  CHECK(q.backlog() == Approx(4500.0).epsilon(1e-12));
  CHECK(q.totals().dropped_timeout == 0.0);
  q.advance(s(900));
  CHECK(q.backlog() == Approx(9000.0).epsilon(1e-12));
  CHECK(q.next_change() == Time::never());
  q.advance(s(1000));
  const auto& t = q.totals();
  CHECK(q.backlog() == Approx(9000.0).epsilon(1e-12));
  CHECK(q.in_flight() == Approx(9002.0).epsilon(1e-12));
  CHECK(t.arrived == Approx(30'000.0).epsilon(1e-14));
  CHECK(t.served == Approx(20'000.0).epsilon(1e-12));
  CHECK(t.dropped_timeout == Approx(1000.0).epsilon(1e-9));
  CHECK(t.dropped_full == 0.0);  // the activator's depth binds only with no server
  CHECK(t.busy_integral == Approx(2000.0).epsilon(1e-14));
  CHECK(t.in_flight_integral ==
        Approx(2 * 1000.0 + 0.5 * 9000 * 900 + 9000.0 * 100).epsilon(1e-12));
  // The last 100 s served requests that waited the whole timeout.
  q.flush_latency();
  CHECK(lat.max() == Approx(300.0 + 0.1 * 16).margin(5.0));
  CHECK(unaccounted(q) == Approx(0.0).margin(1e-6));
}

TEST_CASE("fluid: a full activator drops arrivals until the oldest time out", "[fluid]") {
  // Depth 20 at 5/s: full after 4 s; the arrivals of [4 s, 10 s) find it full. At 10 s the ones
  // held since 0 s time out at 5/s and as many are let in; at 14 s it holds [10 s, 14 s) only.
  FluidQueue q(20.0, s(10), nullptr);
  q.set(s(0), 5.0, 0, 0.1);
  CHECK(q.next_change() == s(4));
  q.advance(s(4));
  CHECK(q.backlog() == Approx(20.0).epsilon(1e-14));
  CHECK(q.next_change() == s(10));
  q.advance(s(10));
  CHECK(q.totals().dropped_full == Approx(30.0).epsilon(1e-12));
  CHECK(q.totals().dropped_timeout == 0.0);
  CHECK(q.next_change() == s(14));
  q.advance(s(14));
  CHECK(q.backlog() == Approx(20.0).epsilon(1e-12));
  CHECK(q.totals().dropped_timeout == Approx(20.0).epsilon(1e-12));
  CHECK(q.totals().dropped_full == Approx(30.0).epsilon(1e-12));
  q.advance(s(20));  // full again, nobody old enough to time out
  CHECK(q.totals().dropped_full == Approx(60.0).epsilon(1e-12));
  CHECK(q.totals().arrived == Approx(100.0).epsilon(1e-14));
  CHECK(q.totals().served == 0.0);
  CHECK(unaccounted(q) == Approx(0.0).margin(1e-9));
}

TEST_CASE("fluid: with no server and a short timeout the backlog caps at rate x timeout",
          "[fluid]") {
  FluidQueue q(kDepth, s(2), nullptr);
  q.set(s(0), 5.0, 0, 0.1);
  CHECK(q.next_change() == s(2));
  q.advance(s(10));
  CHECK(q.backlog() == Approx(10.0).epsilon(1e-12));
  CHECK(q.totals().dropped_timeout == Approx(40.0).epsilon(1e-12));
  CHECK(q.totals().dropped_full == 0.0);
  CHECK(q.next_change() == Time::never());
}

TEST_CASE("fluid: a zero timeout drops every arrival that would wait", "[fluid]") {
  FluidQueue q(kDepth, Time::zero(), nullptr);
  q.set(s(0), 5.0, 0, 0.1);
  q.advance(s(10));
  CHECK(q.backlog() == 0.0);
  CHECK(q.totals().dropped_timeout == Approx(50.0).epsilon(1e-14));
  q.set(s(10), 30.0, 2, 0.1);  // overload: the 20/s the servers take wait nothing, 10/s go
  q.advance(s(20));
  CHECK(q.totals().served == Approx(200.0).epsilon(1e-12));
  CHECK(q.totals().dropped_timeout == Approx(150.0).epsilon(1e-12));
  CHECK(q.in_flight() == Approx(2.0).epsilon(1e-12));
}

TEST_CASE("fluid: with no timeout and no depth the activator holds everything", "[fluid]") {
  FluidQueue q(std::numeric_limits<double>::infinity(), Time::never(), nullptr);
  q.set(s(0), 5.0, 0, 0.1);
  CHECK(q.next_change() == Time::never());
  q.advance(Time::from_seconds(86'400));
  CHECK(q.backlog() == Approx(5.0 * 86'400).epsilon(1e-14));
  CHECK(q.totals().dropped_timeout == 0.0);
  CHECK(q.totals().dropped_full == 0.0);
}

TEST_CASE("fluid: held requests wait out a pause in the traffic and are served", "[fluid]") {
  // A burst at zero replicas, then no traffic: the held requests keep their place and their
  // deadline; the replica that comes before it serves them all.
  FluidQueue q(kDepth, s(300), nullptr);
  q.set(s(0), 5.0, 0, 0.5);
  q.set(s(2), 0.0, 0, 0.5);
  q.advance(s(100));
  CHECK(q.backlog() == Approx(10.0).epsilon(1e-14));
  CHECK(q.next_change() == s(300));  // when the first held ones would time out
  q.set(s(100), 0.0, 1, 0.5);        // serves 2/s: 5 s to clear
  CHECK(q.next_change() == s(105));
  q.advance(s(105));
  CHECK(q.backlog() == Approx(0.0).margin(1e-12));
  CHECK(q.totals().served == Approx(10.0).epsilon(1e-12));
  CHECK(q.totals().dropped_timeout == 0.0);
  CHECK(q.in_flight() == 0.0);
}

TEST_CASE("fluid: drop_all loses what is held and the queue starts empty", "[fluid]") {
  FluidQueue q(kDepth, s(300), nullptr);
  q.set(s(0), 8.0, 10, 1.0);
  const double held = mmc(8.0, 1.0, 10).mean_in_system;
  CHECK(q.drop_all(s(50)) == held);
  CHECK(q.in_flight() == 0.0);
  CHECK(q.busy() == 0.0);
  CHECK(q.totals().arrived == 400.0);  // drop_all's loss is the caller's to count

  q.set(s(50), 5.0, 0, 1.0);  // torn down: arrivals wait at the activator again
  q.advance(s(60));
  CHECK(q.drop_all(s(60)) == Approx(50.0).epsilon(1e-14));
  CHECK(q.backlog() == 0.0);
  CHECK(q.in_flight() == 0.0);
  q.advance(s(62));  // the load makes it grow again from nothing
  CHECK(q.backlog() == Approx(10.0).epsilon(1e-14));

  q.set(s(62), 30.0, 2, 0.1);  // overload: in service + the backlog
  q.advance(s(72));
  CHECK(q.drop_all(s(72)) == Approx(2.0 + 10.0 + 100.0).epsilon(1e-12));
  CHECK(q.in_flight() == 0.0);
}

TEST_CASE("fluid: near saturation with no backlog the fluid limit holds, without a wait",
          "[fluid]") {
  FluidQueue q(kDepth, s(300), nullptr);
  q.set(s(0), 20.0, 2, 0.1);  // exactly the servers' rate
  CHECK(q.in_flight() == Approx(2.0).epsilon(1e-14));
  CHECK(q.next_change() == Time::never());
  q.advance(s(10));
  CHECK(q.backlog() == 0.0);
  CHECK(q.totals().served == Approx(200.0).epsilon(1e-14));
}

TEST_CASE("fluid: next_change is never before the event and always after now", "[fluid]") {
  FluidQueue q(kDepth, s(300), nullptr);
  q.set(s(0), 3.0, 0, 1.0);
  q.set(s(1), 3.0, 7, 1.0);  // 3 held, drained at 7 - 3 = 4/s: 0.75 s
  CHECK(q.next_change() == us(1'750'000));
  // From a microsecond later the same instant comes out of a different subtraction: rounding
  // may push it past the microsecond, never before it.
  q.set(us(1'000'001), 3.0, 7, 1.0);
  const Time next = q.next_change();
  CHECK(next >= us(1'750'000));
  CHECK(next <= us(1'750'001));
  q.advance(next);
  CHECK(q.backlog() == 0.0);
  CHECK(q.next_change() == Time::never());
  // An event due within the current microsecond still comes a microsecond later.
  FluidQueue r(kDepth, s(300), nullptr);
  r.set(s(0), 1.0, 0, 1.0);
  r.set(us(1), 1.0, 1'000'000, 1.0);  // 1e-6 held, drained within a picosecond
  CHECK(r.next_change() == us(2));
}

TEST_CASE("fluid: counts stay finite and conserved under an irregular load", "[fluid]") {
  LatencyStats lat;
  FluidQueue q(200.0, s(30), &lat);
  std::uint64_t x = 12345;
  const auto next_random = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) / 9007199254740992.0;
  };
  Time now = s(0);
  for (int i = 0; i < 2000; ++i) {
    const double rate = next_random() < 0.2 ? 0.0 : 50 * next_random();
    const int servers = static_cast<int>(6 * next_random());
    q.set(now, rate, servers, 0.05 + next_random());
    const Time until = now + Time::from_us(static_cast<std::int64_t>(20e6 * next_random()));
    for (Time c = q.next_change(); c <= until; c = q.next_change()) {
      REQUIRE(c > now);
      q.advance(c);
      now = c;
    }
    q.advance(until);
    now = until;
    REQUIRE(std::isfinite(q.in_flight()));
    REQUIRE(q.backlog() >= 0);
    REQUIRE(q.backlog() <= std::max(200.0, 50.0 * 30) + 1e-6);
  }
  const auto& t = q.totals();
  CHECK(std::isfinite(t.in_flight_integral));
  q.flush_latency();
  CHECK(std::isfinite(lat.mean()));
  CHECK(std::abs(unaccounted(q)) < 1e-9 * t.arrived);
  CHECK(lat.count() == Approx(t.served).epsilon(1e-9));  // every served request has a latency
  // The load went through every regime.
  CHECK(t.dropped_timeout > 0.01 * t.arrived);
  CHECK(t.dropped_full > 0.01 * t.arrived);
  CHECK(t.served > 0.2 * t.arrived);
}

TEST_CASE("fluid: latencies held in a batch end exactly as those handed over at every step",
          "[fluid]") {
  // The same irregular load on two queues: one flushed after every step, the other only at the
  // end. Ticks read a stationary queue every 2 s (a batch fills and is flushed on its own), the
  // load changes now and then (a set() flushes), and a backlog's step comes between.
  LatencyStats each;
  LatencyStats batched;
  FluidQueue a(kDepth, s(300), &each);
  FluidQueue b(kDepth, s(300), &batched);
  const auto both = [&](auto&& step) {
    step(a);
    a.flush_latency();
    step(b);
  };
  Time now = s(0);
  for (int i = 0; i < 40; ++i) {
    const double rate = i % 7 == 3 ? 45.0 : 5.0 + i % 4;  // 45/s overloads 2 servers of 0.2 s
    const int servers = 2 + i % 3;
    both([&](FluidQueue& q) { q.set(now, rate, servers, 0.2); });
    for (int tick = 0; tick < 9; ++tick) {
      now = now + s(2);
      both([&](FluidQueue& q) { q.advance(now); });
    }
  }
  b.flush_latency();
  CHECK(each.count() > 0);
  CHECK(batched.count() == each.count());
  CHECK(batched.mean() == each.mean());
  CHECK(batched.max() == each.max());
  for (const double q : {0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0})
    CHECK(batched.quantile(q) == each.quantile(q));
}

TEST_CASE("fluid: queues sharing a memo of sojourn strata end bit for bit as queues without",
          "[fluid]") {
  // Two queues under loads that repeat (rates and server counts from small sets), and one under a
  // load of its own, each run once with the run's memo and once without: the same latencies and
  // totals, and the memo computed each load once.
  wlsim::models::SojournMemo memo;
  LatencyStats with[3];
  LatencyStats without[3];
  FluidQueue shared[3] = {{kDepth, s(300), &with[0], &memo},
                          {kDepth, s(300), &with[1], &memo},
                          {kDepth, s(300), &with[2], &memo}};
  FluidQueue own[3] = {{kDepth, s(300), &without[0]},
                       {kDepth, s(300), &without[1]},
                       {kDepth, s(300), &without[2]}};
  Time now = s(0);
  for (int i = 0; i < 30; ++i) {
    for (int k = 0; k < 3; ++k) {
      const double rate = k == 2 ? 3.0 + 0.1 * i : 5.0 + (i + k) % 4;
      const int servers = 2 + (i * (k + 1)) % 3;
      shared[k].set(now, rate, servers, 0.2);
      own[k].set(now, rate, servers, 0.2);
    }
    for (int tick = 0; tick < 5; ++tick) {
      now = now + s(2);
      for (int k = 0; k < 3; ++k) {
        shared[k].advance(now);
        own[k].advance(now);
      }
    }
  }
  for (int k = 0; k < 3; ++k) {
    shared[k].flush_latency();
    own[k].flush_latency();
    CHECK(with[k].count() > 0);
    CHECK(with[k].count() == without[k].count());
    CHECK(with[k].mean() == without[k].mean());
    CHECK(with[k].max() == without[k].max());
    for (const double q : {0.01, 0.5, 0.9, 0.99, 1.0})
      CHECK(with[k].quantile(q) == without[k].quantile(q));
    CHECK(shared[k].totals().in_flight_integral == own[k].totals().in_flight_integral);
  }
  // Loads of the first two queues: 4 rates x 3 server counts at most; the third's are its own.
  CHECK(memo.size() <= 4 * 3 + 30);
  CHECK(memo.size() > 30);
}

TEST_CASE("fluid: the memo of sojourn strata keeps at most its bound", "[fluid]") {
  wlsim::models::SojournMemo memo;
  wlsim::models::LatencyStrata strata;
  strata.size = 1;
  for (std::size_t i = 0; i < wlsim::models::SojournMemo::kMostLoads + 10; ++i) {
    memo.keep({static_cast<double>(i), 0.2, 0.0, 1}, strata);
  }
  CHECK(memo.size() == wlsim::models::SojournMemo::kMostLoads);
  CHECK(memo.find({0.0, 0.2, 0.0, 1}) != nullptr);
  CHECK(memo.find({static_cast<double>(wlsim::models::SojournMemo::kMostLoads), 0.2, 0.0, 1}) ==
        nullptr);
  // Bit for bit: -0.0 is not the load 0.0.
  CHECK(memo.find({-0.0, 0.2, 0.0, 1}) == nullptr);
}

TEST_CASE("fluid: invalid loads, times and settings are refused", "[fluid]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  FluidQueue q(kDepth, s(300), nullptr);
  CHECK_THROWS_AS(q.set(s(0), -1.0, 1, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(q.set(s(0), nan, 1, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(q.set(s(0), inf, 1, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(q.set(s(0), 1.0, -1, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(q.set(s(0), 1.0, 1, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(q.set(s(0), 1.0, 1, nan), std::invalid_argument);
  q.set(s(5), 1.0, 1, 1.0);
  CHECK_THROWS_AS(q.advance(s(4)), std::invalid_argument);
  CHECK_THROWS_AS(q.set(s(4), 1.0, 1, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(FluidQueue(-1.0, s(300), nullptr), std::invalid_argument);
  CHECK_THROWS_AS(FluidQueue(nan, s(300), nullptr), std::invalid_argument);
  CHECK_THROWS_AS(FluidQueue(10.0, s(-1), nullptr), std::invalid_argument);
}

TEST_CASE("fluid: foresee gives the in-flight integral that advance() reaches, bit for bit",
          "[fluid]") {
  // The autoscaler lets KPA ticks pass on what foresee() says and reads the queue at them later:
  // the two must agree to the last bit, at instants that are not whole seconds too.
  FluidQueue ahead(kDepth, s(60), nullptr);
  FluidQueue moved(kDepth, s(60), nullptr);
  for (FluidQueue* q : {&ahead, &moved}) {
    q->set(s(0), 37.3, 8, 0.173);
    q->advance(us(3'700'001));
  }
  REQUIRE(ahead.steady());
  const std::array<Time, 5> at{us(5'100'003), us(7'000'000), us(9'333'333), s(20), s(86'400)};
  std::array<double, 5> foreseen{};
  ahead.foresee(at, foreseen);
  for (std::size_t i = 0; i < at.size(); ++i) {
    moved.advance(at[i]);
    CHECK(foreseen[i] == moved.totals().in_flight_integral);  // exact, not approximate
    CHECK(moved.in_flight() == ahead.steady_in_flight());
  }
  CHECK(ahead.totals().in_flight_integral < foreseen[0]);  // foresee() moved nothing
  // Overloaded (a backlog grows): not steady, nothing to foresee.
  FluidQueue over(kDepth, s(60), nullptr);
  over.set(s(0), 100, 1, 0.5);
  over.advance(s(1));
  CHECK_FALSE(over.steady());
}

TEST_CASE("fluid: advance_steady ends bit for bit where advance() at each instant ends",
          "[fluid]") {
  // The autoscaler takes the KPA ticks it let pass in one call: every total, the latencies held
  // and what is read at each instant (the integral, the requests in flight) must be what
  // advance() one instant at a time gives: for a steady queue, for one just emptied (nothing in
  // flight until time passes), and, stepping one by one, for one that is not steady.
  const auto check = [](double rate, int servers, bool emptied) {
    LatencyStats one_by_one;
    LatencyStats together;
    FluidQueue a(kDepth, s(60), &one_by_one);
    FluidQueue b(kDepth, s(60), &together);
    for (FluidQueue* q : {&a, &b}) {
      q->set(s(0), rate, servers, 0.173);
      q->advance(us(3'700'001));
      if (emptied) static_cast<void>(q->drop_all(us(3'700'001)));
    }
    // Instants that are not whole seconds, the last call's own, one repeated, and a long gap.
    const std::array<Time, 7> at{us(3'700'001), us(5'100'003), us(7'000'000), us(7'000'000),
                                 us(9'333'333), s(20),         s(86'400)};
    std::array<double, 7> integral{};
    std::array<double, 7> in_flight{};
    b.advance_steady(at, integral, in_flight);
    for (std::size_t i = 0; i < at.size(); ++i) {
      a.advance(at[i]);
      CHECK(integral[i] == a.totals().in_flight_integral);
      CHECK(in_flight[i] == a.in_flight());
    }
    if (emptied) {
      CHECK(in_flight[0] == 0.0);  // no time has passed since the queue was emptied
      CHECK(in_flight[1] > 0.0);
    }
    CHECK(b.totals().arrived == a.totals().arrived);
    CHECK(b.totals().served == a.totals().served);
    CHECK(b.totals().busy_integral == a.totals().busy_integral);
    CHECK(b.totals().dropped_timeout == a.totals().dropped_timeout);
    CHECK(b.in_flight() == a.in_flight());
    CHECK(b.backlog() == a.backlog());
    a.flush_latency();
    b.flush_latency();
    CHECK(one_by_one.count() > 0);
    CHECK(together == one_by_one);
  };
  SECTION("steady") { check(37.3, 8, false); }
  SECTION("steady, just emptied") { check(37.3, 8, true); }
  SECTION("overloaded: a backlog grows, each instant is its own advance()") {
    check(100, 1, false);
  }
  FluidQueue q(kDepth, s(60), nullptr);
  q.set(s(10), 5, 2, 0.2);
  std::array<double, 1> integral{};
  std::array<double, 1> in_flight{};
  const std::array<Time, 1> before{s(9)};
  CHECK_THROWS_AS(q.advance_steady(before, integral, in_flight), std::invalid_argument);
}

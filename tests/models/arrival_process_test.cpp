// Arrivals from a rate curve (SEMANTICS.md §8): arrival k is where the cumulative rate reaches
// E1 + ... + Ek (1 each for evenly spaced arrivals, Exp(1) draws for Poisson ones), and the
// one-minute staircase that fluid mode integrates.
#include "wlsim/models/arrival_process.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

using wlsim::engine::RandomStream;
using wlsim::engine::Time;
using wlsim::models::ArrivalPattern;
using wlsim::models::ArrivalProcess;
using wlsim::models::RateCurve;
using wlsim::models::RateKnot;

namespace {
Time s(std::int64_t n) { return Time::from_seconds(n); }
Time us(std::int64_t n) { return Time::from_us(n); }
Time minutes(std::int64_t n) { return Time::from_minutes(n); }
const Time kDay = s(86400);

RandomStream stream(std::uint64_t seed = 7) { return {seed, "wl-1", "arrivals"}; }

RateCurve constant(double rate) { return {{{Time::zero(), rate}}, Time::never()}; }
/// steps([0s, 10/s], [10m, 100/s])
RateCurve ten_then_hundred() {
  return {{{Time::zero(), 10}, {minutes(10), 10}, {minutes(10), 100}}, Time::never()};
}
/// ramp(10/s, 100/s, 30m): r(t) = 10 + t/20, so the cumulative rate is 10t + t²/40.
RateCurve ramp() { return {{{Time::zero(), 10}, {minutes(30), 100}}, Time::never()}; }
/// A day of trace: 60 requests in each of the first two minutes, 120 in the third, none after.
RateCurve trace_day() {
  return {{{Time::zero(), 1},
           {minutes(2), 1},
           {minutes(2), 2},
           {minutes(3), 2},
           {minutes(3), 0},
           {kDay, 0}},
          kDay};
}
/// daily(peak=120/s, trough=10/s, peakAt=14h) as the rate text builds it: a knot every minute.
RateCurve daily() {
  RateCurve c;
  c.period = kDay;
  for (int m = 0; m <= 1440; ++m) {
    const double since_peak = static_cast<double>((minutes(m % 1440) - s(14 * 3600)).us());
    const double wave =
        (1 + std::cos(2 * std::numbers::pi * since_peak / static_cast<double>(kDay.us()))) / 2;
    c.knots.push_back({minutes(m), 10 + 110 * wave});
  }
  return c;
}

std::vector<Time> first(ArrivalProcess& p, int n) {
  std::vector<Time> out;
  for (int i = 0; i < n; ++i) out.push_back(p.next());
  return out;
}
}  // namespace

TEST_CASE("arrivals: even, at a constant 10/s, come at exactly 0.1 s, 0.2 s, ...", "[arrivals]") {
  const RateCurve c = constant(10);
  ArrivalProcess p(c, ArrivalPattern::Even, stream());
  for (std::int64_t k = 1; k <= 100000; ++k) REQUIRE(p.next() == us(k * 100000));
}

TEST_CASE("arrivals: even: a step lands exactly at its change time", "[arrivals]") {
  const RateCurve c = ten_then_hundred();
  ArrivalProcess p(c, ArrivalPattern::Even, stream());
  const auto a = first(p, 6002);
  CHECK(a[0] == us(100000));
  CHECK(a[5999] == s(600));  // the 6000th: the first 600 s hold 10/s × 600 s = 6000 arrivals
  CHECK(a[6000] == us(600010000));  // then one every 10 ms
  CHECK(a[6001] == us(600020000));
}

TEST_CASE("arrivals: even, on a ramp: arrival k where 10t + t²/40 = k", "[arrivals]") {
  const RateCurve c = ramp();
  ArrivalProcess p(c, ArrivalPattern::Even, stream());
  const auto a = first(p, 99100);
  CHECK(a[0] == us(99975));       // t = 20(√100.1 − 10) s = 99975.01 µs
  CHECK(a[1] == us(199900));      // t = 20(√100.2 − 10) s = 199900.10 µs
  CHECK(a[209] == s(20));         // 200 + 400/40 = 210
  CHECK(a[999] == us(82842712));  // t = 200(√2 − 1) s = 82842712.47 µs
  CHECK(a[98999] == s(1800));     // the whole ramp: 18000 + 81000 = 99000
  CHECK(a[99099] == s(1801));     // then 100/s: 100 more in one second
}

TEST_CASE("arrivals: Poisson: the count over a long window is within 5 sd of the mean",
          "[arrivals]") {
  // 50/s over 2000 s: mean 100000, sd √100000 ≈ 316; the bound is ±1581.
  const RateCurve c = constant(50);
  ArrivalProcess p(c, ArrivalPattern::Poisson, stream());
  std::int64_t n = 0;
  Time last;
  for (Time t = p.next(); t < s(2000); t = p.next()) {
    REQUIRE(last <= t);
    last = t;
    ++n;
  }
  CHECK(std::abs(n - 100000) <= 1581);
}

TEST_CASE("arrivals: Poisson ones follow the curve: each step holds its own count", "[arrivals]") {
  // 10/s for 600 s (mean 6000, 5 sd = 387), then 100/s for the next 600 s (mean 60000, 5 sd =
  // 1225).
  const RateCurve c = ten_then_hundred();
  ArrivalProcess p(c, ArrivalPattern::Poisson, stream(11));
  std::int64_t low = 0;
  std::int64_t high = 0;
  for (Time t = p.next(); t < s(1200); t = p.next()) ++(t < s(600) ? low : high);
  CHECK(std::abs(low - 6000) <= 387);
  CHECK(std::abs(high - 60000) <= 1225);
}

TEST_CASE("arrivals: Poisson: the same seed gives the same sequence, another seed another",
          "[arrivals]") {
  const RateCurve c = daily();
  ArrivalProcess a(c, ArrivalPattern::Poisson, stream(3));
  ArrivalProcess b(c, ArrivalPattern::Poisson, stream(3));
  ArrivalProcess other(c, ArrivalPattern::Poisson, stream(4));
  const auto seq = first(a, 5000);
  CHECK(seq == first(b, 5000));
  CHECK(seq != first(other, 5000));
}

TEST_CASE("arrivals: a repeating curve wraps: day two's arrivals are day one's shifted by 24 h",
          "[arrivals]") {
  const RateCurve c = trace_day();  // 60 + 60 + 120 = 240 arrivals a day
  ArrivalProcess p(c, ArrivalPattern::Even, stream());
  const auto a = first(p, 480);
  CHECK(a[0] == s(1));
  CHECK(a[119] == s(120));
  CHECK(a[120] == us(120500000));
  CHECK(a[239] == s(180));
  for (std::size_t k = 0; k < 240; ++k) REQUIRE(a[k + 240] == a[k] + kDay);
}

TEST_CASE("arrivals: a repeating curve with little in each period skips whole periods exactly",
          "[arrivals]") {
  // 2^-20/s for the first second of every 2 s: 2^-20 expected arrivals per period, so the first
  // even arrival ends the first second of period 2^20 - 1, at (2^20 - 1) × 2 s + 1 s.
  const double rate = std::ldexp(1.0, -20);
  const RateCurve c{{{Time::zero(), rate}, {s(1), rate}, {s(1), 0}, {s(2), 0}}, s(2)};
  ArrivalProcess p(c, ArrivalPattern::Even, stream());
  CHECK(p.next() == s(2097151));
  CHECK(p.next() == s(2097151) + s(2097152));
}

TEST_CASE("arrivals: those past the end of time are never", "[arrivals]") {
  // 1e-9 expected arrivals a day: the first is some 2.7 million years away.
  const RateCurve c{{{Time::zero(), 1e-3}, {us(1), 1e-3}, {us(1), 0}, {kDay, 0}}, kDay};
  ArrivalProcess p(c, ArrivalPattern::Even, stream());
  CHECK(p.next() == Time::never());
  CHECK(p.next() == Time::never());
  const RateCurve slow = constant(1e-300);
  ArrivalProcess q(slow, ArrivalPattern::Even, stream());
  CHECK(q.next() == Time::never());
}

TEST_CASE("arrivals: a rate that stays zero for ever gives no arrival, then never again",
          "[arrivals]") {
  const RateCurve zero = constant(0);
  ArrivalProcess a(zero, ArrivalPattern::Poisson, stream());
  CHECK(a.next() == Time::never());
  CHECK(a.next() == Time::never());

  const RateCurve zero_day{{{Time::zero(), 0}, {kDay, 0}}, kDay};
  ArrivalProcess b(zero_day, ArrivalPattern::Poisson, stream());
  CHECK(b.next() == Time::never());

  const RateCurve none{};
  ArrivalProcess c(none, ArrivalPattern::Even, stream());
  CHECK(c.next() == Time::never());

  // steps([0s, 10/s], [1s, 0/s]): ten arrivals, the last at exactly 1 s, then none.
  const RateCurve stop{{{Time::zero(), 10}, {s(1), 10}, {s(1), 0}}, Time::never()};
  ArrivalProcess d(stop, ArrivalPattern::Even, stream());
  const auto a10 = first(d, 12);
  CHECK(a10[9] == s(1));
  CHECK(a10[10] == Time::never());
  CHECK(a10[11] == Time::never());
}

TEST_CASE("arrivals: huge rates and far times stay exact and finite", "[arrivals]") {
  const RateCurve fast = constant(1e9);
  ArrivalProcess p(fast, ArrivalPattern::Even, stream());
  const auto a = first(p, 2000);
  CHECK(a[498] == us(0));  // 0.499 µs
  CHECK(a[499] == us(1));  // 0.5 µs: halves round up
  CHECK(a[999] == us(1));
  CHECK(a[1999] == us(2));

  const Time century = s(100LL * 365 * 86400);
  const RateCurve late{{{Time::zero(), 0}, {century, 0}, {century, 1e9}}, Time::never()};
  ArrivalProcess q(late, ArrivalPattern::Even, stream());
  CHECK(q.next() == century);
  const auto later = first(q, 999);
  CHECK(later.back() == century + us(1));
  CHECK(expected_arrivals(late, Time::zero(), century + s(1)) == 1e9);
}

TEST_CASE("arrivals: rate_at: linear between knots, the value after a jump", "[arrivals]") {
  CHECK(rate_at(ten_then_hundred(), s(599)) == 10);
  CHECK(rate_at(ten_then_hundred(), s(600)) == 100);
  CHECK(rate_at(ten_then_hundred(), s(100000)) == 100);
  CHECK(rate_at(ramp(), s(0)) == 10);
  CHECK(rate_at(ramp(), s(900)) == 55);
  CHECK(rate_at(ramp(), s(1800)) == 100);
  CHECK(rate_at(ramp(), s(7200)) == 100);
  CHECK(rate_at(trace_day(), minutes(2)) == 2);
  CHECK(rate_at(trace_day(), kDay * 3 + s(30)) == 1);
  CHECK(rate_at(daily(), s(14 * 3600)) == 120);
  CHECK(rate_at(daily(), s(100LL * 365 * 86400 + 14 * 3600)) == 120);
}

TEST_CASE("arrivals: expected_arrivals integrates constants, steps and ramps exactly",
          "[arrivals]") {
  CHECK(expected_arrivals(constant(10), s(0), s(600)) == 6000);
  CHECK(expected_arrivals(constant(10), s(600), s(0)) == 0);
  CHECK(expected_arrivals(ten_then_hundred(), s(0), s(1200)) == 66000);
  CHECK(expected_arrivals(ten_then_hundred(), s(590), s(610)) == 1100);
  CHECK(expected_arrivals(ramp(), s(0), s(1800)) == 99000);
  CHECK(expected_arrivals(ramp(), s(0), s(20)) == 210);
  CHECK(expected_arrivals(ramp(), s(0), s(1801)) == 99100);
}

TEST_CASE(
    "arrivals: expected_arrivals on a repeating curve: whole periods and the parts at each end",
    "[arrivals]") {
  const RateCurve c = trace_day();
  CHECK(expected_arrivals(c, Time::zero(), kDay) == 240);
  CHECK(expected_arrivals(c, Time::zero(), kDay * 10) == 2400);
  // From minute 2 of day 1 to minute 1 of day 4: 120 + 240 + 240 + 60.
  CHECK(expected_arrivals(c, kDay + minutes(2), kDay * 4 + minutes(1)) == 660);
  CHECK(expected_arrivals(c, kDay + s(170), kDay + s(190)) == 20);
}

TEST_CASE("arrivals: expected_arrivals over a day of the daily wave is 24 h × (peak + trough) / 2",
          "[arrivals]") {
  // The trapezoid rule over whole periods of a sampled cosine is exact (the cosines of 1440
  // equally spaced phases sum to zero), so only floating-point rounding remains.
  const RateCurve c = daily();
  CHECK(expected_arrivals(c, Time::zero(), kDay) == Approx(86400.0 * 65).epsilon(1e-12));
  CHECK(expected_arrivals(c, kDay * 5, kDay * 7) == Approx(2 * 86400.0 * 65).epsilon(1e-12));
  CHECK(expected_arrivals(c, s(3600), kDay + s(3600)) == Approx(86400.0 * 65).epsilon(1e-12));
}

TEST_CASE("arrivals: next_rate_change and fluid_rate on steps: the next jump, the value itself",
          "[arrivals][fluid]") {
  const RateCurve c = ten_then_hundred();
  CHECK(next_rate_change(c, Time::zero()) == s(600));
  CHECK(next_rate_change(c, s(599)) == s(600));
  CHECK(fluid_rate(c, s(599)) == 10);
  CHECK(next_rate_change(c, s(600)) == Time::never());
  CHECK(fluid_rate(c, s(600)) == 100);
  CHECK(next_rate_change(constant(5), s(3)) == Time::never());
  CHECK(fluid_rate(constant(5), s(3)) == 5);
  // A step to the same value is no change.
  const RateCurve same{{{Time::zero(), 10}, {s(300), 10}, {s(300), 10}, {s(600), 10}, {s(600), 20}},
                       Time::never()};
  CHECK(next_rate_change(same, s(1)) == s(600));
}

TEST_CASE("arrivals: next_rate_change and fluid_rate on a ramp: a staircase of whole minutes",
          "[arrivals][fluid]") {
  const RateCurve c = ramp();  // 10 + t/20 per second
  CHECK(next_rate_change(c, Time::zero()) == s(60));
  CHECK(fluid_rate(c, Time::zero()) == 11.5);  // (10 + 13) / 2
  CHECK(next_rate_change(c, s(30)) == s(60));
  CHECK(fluid_rate(c, s(30)) == 12.25);  // the mean over [30 s, 60 s): (11.5 + 13) / 2
  CHECK(next_rate_change(c, s(60)) == s(120));
  CHECK(fluid_rate(c, s(60)) == 14.5);
  CHECK(next_rate_change(c, s(1790)) == s(1800));
  CHECK(next_rate_change(c, s(1800)) == Time::never());
  CHECK(fluid_rate(c, s(1800)) == 100);
}

TEST_CASE("arrivals: next_rate_change and fluid_rate on a trace: its minutes, and the next day",
          "[arrivals][fluid]") {
  const RateCurve c = trace_day();
  CHECK(next_rate_change(c, Time::zero()) == minutes(2));  // minutes 1 and 2 hold the same rate
  CHECK(fluid_rate(c, Time::zero()) == 1);
  CHECK(next_rate_change(c, minutes(2)) == minutes(3));
  CHECK(fluid_rate(c, minutes(2)) == 2);
  CHECK(next_rate_change(c, minutes(3)) == kDay);  // silent until the day repeats
  CHECK(fluid_rate(c, minutes(5)) == 0);
  CHECK(next_rate_change(c, kDay * 2 + s(30)) == kDay * 2 + minutes(2));
  const RateCurve flat{{{Time::zero(), 4}, {minutes(1), 4}, {minutes(1), 4}, {kDay, 4}}, kDay};
  CHECK(next_rate_change(flat, s(10)) == Time::never());
  CHECK(fluid_rate(flat, s(10)) == 4);
}

TEST_CASE("arrivals: fluid_step holds over a step only where the curve is constant there",
          "[arrivals][fluid]") {
  // Wherever it holds, every instant of the step has its rate and its next change.
  const auto check_step = [](const RateCurve& c, Time t, bool holds) {
    const auto step = wlsim::models::fluid_step(c, t);
    CHECK(step.rate == fluid_rate(c, t));
    CHECK(step.until == next_rate_change(c, t));
    CHECK(step.holds == holds);
    if (!holds) return;
    const Time last = step.until.is_never() ? t + kDay * 3 : step.until - us(1);
    for (const Time u : {t + us(1), t + us((last - t).us() / 2), last}) {
      CHECK(fluid_rate(c, u) == step.rate);
      CHECK(next_rate_change(c, u) == step.until);
    }
  };
  check_step(ten_then_hundred(), s(0), true);
  check_step(ten_then_hundred(), s(600), true);
  check_step(constant(5), s(3), true);
  check_step(trace_day(), minutes(3), true);  // silent until the next day
  check_step(trace_day(), kDay * 2 + s(30), true);
  check_step(ramp(), s(30), false);  // a ramp's mean moves with the instant
  check_step(ramp(), s(1800), true);
  check_step(daily(), s(30), false);
  check_step(RateCurve{}, s(5), true);  // no curve: no rate, for ever
}

TEST_CASE("arrivals: next_rate_change on the daily wave: every minute, across the day's end",
          "[arrivals][fluid]") {
  const RateCurve c = daily();
  CHECK(next_rate_change(c, s(30)) == s(60));
  CHECK(next_rate_change(c, kDay - s(1)) == kDay);
  CHECK(next_rate_change(c, kDay) == kDay + s(60));
  const double r0 = rate_at(c, Time::zero());
  const double r1 = rate_at(c, s(60));
  CHECK(fluid_rate(c, Time::zero()) == (r0 + r1) * 0.5);
  CHECK(fluid_rate(c, kDay * 3) == (r0 + r1) * 0.5);
}

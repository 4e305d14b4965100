// LatencyStats: weighted request latencies, exact nearest-rank quantiles while few are held, a log
// histogram of relative width 1/512 beyond 100,000 samples.
#include "wlsim/models/latency_stats.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

using wlsim::models::LatencyStats;

TEST_CASE("latency: nothing recorded reads as zero", "[latency]") {
  const LatencyStats s;
  CHECK(s.count() == 0);
  CHECK(s.mean() == 0);
  CHECK(s.max() == 0);
  CHECK(s.quantile(0.5) == 0);
  CHECK(s.quantile(1.0) == 0);
}

TEST_CASE("latency: exact nearest-rank quantiles of 1..100 whatever the order", "[latency]") {
  LatencyStats s;
  for (int i = 100; i >= 1; --i) s.add((i * 37 % 100) + 1);  // 1..100 in a scrambled order
  CHECK(s.count() == 100);
  CHECK(s.mean() == 50.5);
  CHECK(s.max() == 100);
  CHECK(s.quantile(0.5) == 50);
  CHECK(s.quantile(0.9) == 90);
  CHECK(s.quantile(0.99) == 99);
  CHECK(s.quantile(1.0) == 100);
  CHECK(s.quantile(0.001) == 1);
  CHECK(s.quantile(0.505) == 51);  // 50.5 ranks: the 51st value is the first to reach them
}

TEST_CASE("latency: a weight counts a latency that many times", "[latency]") {
  LatencyStats s;
  s.add(1.0, 3.0);
  s.add(10.0, 1.0);
  CHECK(s.count() == 4);
  CHECK(s.mean() == 3.25);
  CHECK(s.max() == 10);
  CHECK(s.quantile(0.5) == 1);
  CHECK(s.quantile(0.75) == 1);  // exactly three of four
  CHECK(s.quantile(0.76) == 10);
}

TEST_CASE("latency: fractional weights reach their rank despite rounding", "[latency]") {
  LatencyStats s;
  for (int i = 1; i <= 10; ++i) s.add(i, 0.1);  // cumulative sums of 0.1 are not exact
  CHECK(s.count() == Approx(1.0).epsilon(1e-15));
  CHECK(s.quantile(0.3) == 3);
  CHECK(s.quantile(0.7) == 7);
  CHECK(s.quantile(1.0) == 10);
}

TEST_CASE("latency: beyond 100,000 samples the histogram holds quantiles within 0.2 %",
          "[latency]") {
  LatencyStats s;
  std::vector<double> values;
  // 200,000 latencies spread over six decades (1 ms .. 1000 s), added in a scrambled order.
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const int j = static_cast<int>((static_cast<long long>(i) * 7919) % n);
    const double v = 1e-3 * std::pow(1e6, static_cast<double>(j) / n);
    values.push_back(v);
    s.add(v);
  }
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (const double v : values) sum += v;
  CHECK(s.count() == n);
  CHECK(s.mean() == Approx(sum / n).epsilon(1e-12));  // the sum is kept exactly, not binned
  CHECK(s.max() == values.back());
  for (const double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = values[static_cast<std::size_t>(std::ceil(q * n)) - 1];
    CHECK(std::abs(s.quantile(q) / exact - 1) < 0.002);
  }
  CHECK(s.quantile(1.0) == values.back());  // clamped to the largest seen
}

TEST_CASE("latency: a few latencies repeated over and over stay exact", "[latency]") {
  // Fluid mode's pattern: the same 16 strata step after step, 160,000 adds in all.
  LatencyStats s;
  for (int round = 0; round < 10'000; ++round) {
    for (int j = 1; j <= 16; ++j) s.add(j * 0.1, 0.5);
  }
  CHECK(s.count() == Approx(80'000.0).epsilon(1e-12));
  CHECK(s.quantile(0.5) == 0.8);  // exact: a histogram would answer its bucket's middle
  CHECK(s.quantile(0.51) == 0.9);
  CHECK(s.quantile(1.0) == 1.6);
}

TEST_CASE("latency: below a microsecond the histogram answers the smallest seen", "[latency]") {
  LatencyStats s;
  for (int i = 0; i < 100'001; ++i) s.add(i < 60'000 ? 0.0 : 2.0);
  CHECK(s.quantile(0.5) == 0.0);
  CHECK(std::abs(s.quantile(0.9) / 2.0 - 1) < 0.002);
  CHECK(s.mean() == Approx(2.0 * 40'001 / 100'001).epsilon(1e-12));
}

TEST_CASE("latency: invalid latencies, weights and quantiles are refused", "[latency]") {
  LatencyStats s;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(s.add(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(s.add(nan), std::invalid_argument);
  CHECK_THROWS_AS(s.add(inf), std::invalid_argument);
  CHECK_THROWS_AS(s.add(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(s.add(1.0, -2.0), std::invalid_argument);
  CHECK_THROWS_AS(s.add(1.0, nan), std::invalid_argument);
  CHECK(s.count() == 0);
  s.add(1.0);
  CHECK_THROWS_AS(s.quantile(0.0), std::invalid_argument);
  CHECK_THROWS_AS(s.quantile(1.5), std::invalid_argument);
  CHECK_THROWS_AS(s.quantile(nan), std::invalid_argument);
}

TEST_CASE("latency: adding strata is adding each of them, repeated or not", "[latency]") {
  // Steps of strata as fluid mode adds them: repeated (the fast path), shifted by a wait, with a
  // tie inside (no fast path: each goes to the newest equal entry), and enough distinct steps to
  // pass into the histogram.
  const std::vector<std::pair<double, double>> strata = {{0.1, 0.2}, {0.3, 0.3}, {0.7, 0.5}};
  const std::vector<std::pair<double, double>> tied = {{0.1, 0.5}, {0.1, 0.25}, {0.9, 0.25}};
  LatencyStats by_strata;
  LatencyStats by_sample;
  const auto both = [&](const std::vector<std::pair<double, double>>& s, double wait, double n) {
    by_strata.add_strata(s, wait, n);
    for (const auto& [v, p] : s) by_sample.add(wait + v, n * p);
  };
  for (int i = 0; i < 5; ++i) both(strata, 0, 10 + i);
  both(strata, 0.05, 3);
  both(strata, 0, 7);
  for (int i = 0; i < 3; ++i) both(tied, 0, 4);
  CHECK(by_strata.count() == by_sample.count());
  CHECK(by_strata.mean() == by_sample.mean());
  CHECK(by_strata.max() == 0.9);
  for (const double q : {0.05, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0})
    CHECK(by_strata.quantile(q) == by_sample.quantile(q));
  CHECK(by_strata.quantile(0.5) == 0.3);
  for (int i = 0; i < 40'000; ++i) both(strata, i * 1e-3, 1);
  CHECK(by_strata.count() == by_sample.count());
  for (const double q : {0.01, 0.5, 0.99}) CHECK(by_strata.quantile(q) == by_sample.quantile(q));
  CHECK_THROWS_AS(by_strata.add_strata(strata, -1, 1), std::invalid_argument);
}

TEST_CASE(
    "latency: strata of two alternating loads coalesce into their own blocks, as sample by "
    "sample",
    "[latency]") {
  // Fluid mode's pattern when a load comes back: A, B, A, B, ... each a block of strata. After the
  // first two, each step finds its block one load back in the window and appends nothing.
  const std::vector<std::pair<double, double>> a = {{0.1, 0.25}, {0.2, 0.25}, {0.4, 0.5}};
  const std::vector<std::pair<double, double>> b = {{0.15, 0.5}, {0.3, 0.25}, {0.5, 0.25}};
  LatencyStats by_strata;
  LatencyStats by_sample;
  for (int i = 0; i < 20; ++i) {
    const auto& s = i % 2 == 0 ? a : b;
    by_strata.add_strata(s, 0, 1.0 + i * 0.1);
    for (const auto& [v, p] : s) by_sample.add(v, (1.0 + i * 0.1) * p);
  }
  CHECK(by_strata.count() == by_sample.count());
  CHECK(by_strata.mean() == by_sample.mean());
  CHECK(by_strata.max() == 0.5);
  for (const double q : {0.1, 0.3, 0.5, 0.7, 0.9, 1.0})
    CHECK(by_strata.quantile(q) == by_sample.quantile(q));
  // 0.1, 0.15 and 0.2 weigh 4.75 + 10 + 4.75 = 19.5 of 39.
  CHECK(by_strata.quantile(0.5) == 0.2);
  CHECK(by_strata.quantile(0.51) == 0.3);
}

TEST_CASE("latency: strata added for several steps at once end as added step by step",
          "[latency]") {
  // Repeats, alternations, a tie (no fast path), new values, and enough distinct steps to pass
  // into the histogram: every batch ends exactly as its steps one by one.
  const std::vector<std::pair<double, double>> a = {{0.1, 0.2}, {0.3, 0.3}, {0.7, 0.5}};
  const std::vector<std::pair<double, double>> b = {{0.2, 0.5}, {0.6, 0.5}};
  const std::vector<std::pair<double, double>> tied = {{0.1, 0.5}, {0.1, 0.25}, {0.9, 0.25}};
  LatencyStats batched;
  LatencyStats stepwise;
  const auto both = [&](const std::vector<std::pair<double, double>>& s, double offset,
                        const std::vector<double>& scales) {
    batched.add_strata(s, offset, scales);
    for (const double x : scales) stepwise.add_strata(s, offset, x);
  };
  both(a, 0, {1, 2, 3});
  both(b, 0, {0.5, 0.25});
  both(a, 0, {4, 1e-3, 7});
  both(tied, 0, {2, 2});
  both(a, 0.05, {3, 1});
  for (int i = 0; i < 40'000; ++i) both(i % 3 == 0 ? b : a, i * 1e-3, {1, 0.5});
  both(a, 0, {1, 2});
  CHECK(batched.count() == stepwise.count());
  CHECK(batched.mean() == stepwise.mean());
  CHECK(batched.max() == stepwise.max());
  for (const double q : {0.01, 0.25, 0.5, 0.9, 0.99, 1.0})
    CHECK(batched.quantile(q) == stepwise.quantile(q));
  CHECK(batched == stepwise);  // every held weight too, not only what the figures read
  CHECK_THROWS_AS(batched.add_strata(a, 0, std::vector<double>{1, -1}), std::invalid_argument);
}

TEST_CASE("latency: runs of equal steps end bit for bit as their steps one by one",
          "[latency]") {
  // A stationary fluid queue hands its steps over as runs (LatencyStats::Steps), which the fast
  // path fast-forwards; the strata here have weights and latencies with no exact binary value, and
  // the runs are long enough to carry every running sum across binades.
  const std::vector<std::pair<double, double>> a = {{0.1, 0.2}, {0.3, 0.3}, {0.7, 0.5}};
  const std::vector<std::pair<double, double>> b = {
      {0.013, 0.05}, {0.021, 0.15}, {0.034, 0.3}, {0.055, 0.3}, {0.089, 0.15}, {0.144, 0.05}};
  LatencyStats runs;
  LatencyStats stepwise;
  const auto both = [&](const std::vector<std::pair<double, double>>& s, double offset,
                        std::vector<LatencyStats::Steps> steps) {
    runs.add_strata(s, offset, steps);
    for (const auto& [scale, times] : steps) {
      for (std::uint32_t k = 0; k < times; ++k) stepwise.add_strata(s, offset, scale);
    }
    REQUIRE(runs == stepwise);
  };
  both(a, 0, {{1, 1}, {2.7, 5000}, {0.1, 3}});
  both(b, 0, {{16.3, 20'000}, {16.3, 7}, {0.25, 4}});
  both(a, 0, {{1e-3, 10'000}, {1e6, 2}, {3.3, 12'345}});  // the old block, after another load
  both(b, 0.2, {{4.1, 1}, {4.1, 30}});                     // a new offset: new samples first
  both(a, 0, {{2, 0}, {2, 64}});                           // an empty run changes nothing
  for (int i = 0; i < 40; ++i) both(i % 2 == 0 ? a : b, 0, {{0.5 + i, 100u + i}});
  CHECK(runs.count() > 0);
  CHECK_THROWS_AS(runs.add_strata(a, 0, std::vector<LatencyStats::Steps>{{1, 2}, {-1, 3}}),
                  std::invalid_argument);
}

TEST_CASE("quantiles asked together are each quantile asked alone, exact and histogram",
          "[latency]") {
  for (const int n : {1000, 150'000}) {  // exact samples, then past the 100,000 kept
    LatencyStats l;
    for (int i = 0; i < n; ++i) l.add(0.001 * ((i * 7919) % 1000) + 0.0005, 1.0 + (i % 3));
    const std::array qs{0.5, 0.9, 0.99, 1.0};
    const std::vector<double> together = l.quantiles(qs);
    REQUIRE(together.size() == qs.size());
    for (std::size_t i = 0; i < qs.size(); ++i) CHECK(together[i] == l.quantile(qs[i]));
  }
  CHECK_THROWS_AS(LatencyStats{}.quantiles(std::array{0.5, 0.0}), std::invalid_argument);
  CHECK(LatencyStats{}.quantiles(std::array{0.5}) == std::vector<double>{0.0});
}

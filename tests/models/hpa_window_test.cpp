// SEMANTICS.md §8, the HPA's scale-down stabilization: the largest recommendation of the window,
// kept without a scan of every sync in it (a short period and a long window were quadratic).
#include <catch2/catch.hpp>

#include "wlsim/models/hpa.hpp"

using wlsim::engine::Time;
using namespace wlsim::models;

namespace {
HpaObservation ten_at(std::int64_t secs, double utilization) {
  return {Time::from_seconds(secs), 10, 10, utilization};
}
}  // namespace

TEST_CASE("HPA: scale-down takes the window's largest recommendation as older ones leave it") {
  HpaParams params;
  params.scale_down_window = Time::from_seconds(60);
  Hpa hpa(params, 100, 1, 10);  // target 100 %: the recommendation is ceil(utilization x 10)
  CHECK(hpa.sync(ten_at(0, 0.5)).desired == 5);
  CHECK(hpa.sync(ten_at(10, 0.3)).desired == 5);  // 5 (at 0 s) is in the window
  CHECK(hpa.sync(ten_at(20, 0.4)).desired == 5);
  CHECK(hpa.sync(ten_at(60, 0.1)).desired == 4);  // 5 left at 60 s; 4 (at 20 s) beats 3 (at 10 s)
  CHECK(hpa.sync(ten_at(80, 0.2)).desired == 2);  // 4 left at 80 s; 1 (at 60 s) is below 2
  CHECK(hpa.sync(ten_at(81, 0.1)).desired == 2);
  CHECK(hpa.sync(ten_at(140, 0.1)).desired == 1);  // 2 (at 80 s) left at 140 s
}

TEST_CASE("HPA: the first recommendation holds through 200000 syncs of a 100-year window") {
  HpaParams params;
  params.scale_down_window = Time::from_seconds(std::int64_t{36500} * 86400);
  Hpa hpa(params, 100, 1, 10);
  CHECK(hpa.sync({Time::zero(), 10, 10, 1.0}).desired == 10);
  // Each sync scanned the whole window before: these syncs took ~2 x 10^10 steps; now ~10^6.
  int desired = 0;
  for (std::int64_t ms = 1; ms <= 200'000; ++ms)
    desired = hpa.sync({Time::from_ms(ms), 10, 10, 0.1}).desired;
  CHECK(desired == 10);
}

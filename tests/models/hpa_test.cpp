// SEMANTICS.md §8: the Kubernetes HPA for cpuAverageUtilization, one policy's recommender.
#include "wlsim/models/hpa.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using wlsim::engine::Time;
using namespace wlsim::models;

namespace {
Time s(std::int64_t secs) { return Time::from_seconds(secs); }

HpaObservation at(std::int64_t secs, int current, int ready, double utilization) {
  return {s(secs), current, ready, utilization};
}

constexpr const char* kAbove = "cpu resource utilization (percentage of request) above target";
constexpr const char* kBelow = "All metrics below target";
}  // namespace

TEST_CASE("HPA: 3 replicas at 100 % against a target of 50 scale to 6 at the next sync") {
  Hpa hpa({}, 50, 1, 10);
  const HpaDecision d = hpa.sync(at(15, 3, 3, 1.0));
  CHECK(d.desired == 6);
  CHECK(d.reason == kAbove);
}

TEST_CASE("HPA: within the tolerance the count stays (10 replicas at 50 % against 55)") {
  Hpa hpa({}, 55, 1, 20);
  const HpaDecision d = hpa.sync(at(15, 10, 10, 0.5));
  CHECK(d.desired == 10);
  CHECK(d.reason.empty());
}

TEST_CASE("HPA: a ratio exactly on the tolerance keeps the count; just past it scales") {
  Hpa hpa({}, 50, 1, 20);
  CHECK(hpa.sync(at(0, 4, 4, 0.55)).desired == 4);      // ratio 1.1: |1.1 - 1| <= 0.1
  CHECK(hpa.sync(at(15, 4, 4, 0.551)).desired == 5);    // ratio 1.102 -> ceil(4.408)
  CHECK(hpa.sync(at(30, 10, 10, 0.45)).desired == 10);  // ratio 0.9
}

TEST_CASE("HPA: a drop in load scales down only once the 300 s window has passed") {
  Hpa hpa({}, 50, 1, 10);
  // At target: every sync from 0 to 60 recommends the current 6.
  for (std::int64_t t = 0; t <= 60; t += 15) REQUIRE(hpa.sync(at(t, 6, 6, 0.5)).desired == 6);
  // Load halves from 75 s on: the metric wants ceil(0.5 x 6) = 3, but the recommendation of 6 made
  // at 60 s holds until it is no longer within the last 300 s, that is at 360 s.
  for (std::int64_t t = 75; t < 360; t += 15) {
    INFO("t = " << t);
    REQUIRE(hpa.sync(at(t, 6, 6, 0.25)).desired == 6);
  }
  const HpaDecision d = hpa.sync(at(360, 6, 6, 0.25));
  CHECK(d.desired == 3);
  CHECK(d.reason == kBelow);
}

TEST_CASE("HPA: the scale-down window takes the largest recommendation within it") {
  Hpa hpa({}, 50, 1, 20);
  REQUIRE(hpa.sync(at(0, 10, 10, 0.5)).desired == 10);   // recommends 10
  REQUIRE(hpa.sync(at(15, 10, 10, 0.4)).desired == 10);  // recommends 8, held by 10
  REQUIRE(hpa.sync(at(30, 10, 10, 0.3)).desired == 10);  // recommends 6
  CHECK(hpa.sync(at(300, 10, 10, 0.1)).desired == 8);    // 10 (0 s) left; 8 (15 s) remains
  CHECK(hpa.sync(at(315, 8, 8, 0.1)).desired == 6);      // 6 (30 s) remains
  CHECK(hpa.sync(at(330, 6, 6, 0.1)).desired == 2);      // only the low ones remain
}

TEST_CASE("HPA: scale-up is limited to max(2 x current, current + 4) per sync") {
  Hpa hpa({}, 50, 1, 100);
  CHECK(hpa.sync(at(0, 1, 1, 10.0)).desired == 5);     // wants 20, 1 + 4
  CHECK(hpa.sync(at(15, 10, 10, 1.5)).desired == 20);  // wants 30, 2 x 10
}

TEST_CASE("HPA: replicas not ready count at 0 % when scaling up") {
  Hpa hpa({}, 50, 1, 20);
  // 2 ready at 105 % and 2 not ready: the four at 52.5 % are within tolerance; counting only the
  // ready ones would have asked for ceil(2.1 x 2) = 5.
  CHECK(hpa.sync(at(0, 4, 2, 1.05)).desired == 4);
  // 2 ready at 60 % and 4 not ready: the six at 20 % would be a scale-down; the direction flips,
  // so the count stays (the ready ones alone would have asked for ceil(1.2 x 2) = 3, below 6).
  CHECK(hpa.sync(at(15, 6, 2, 0.6)).desired == 6);
  // 2 ready at 150 % and 2 not ready: 75 % over four replicas is still above: ceil(1.5 x 4) = 6.
  CHECK(hpa.sync(at(30, 4, 2, 1.5)).desired == 6);
}

TEST_CASE("HPA: the count is clamped to the policy's bounds") {
  Hpa hpa({}, 50, 2, 5);
  const HpaDecision high = hpa.sync(at(0, 3, 3, 2.0));  // wants 12, limit 7, max 5
  CHECK(high.desired == 5);
  CHECK(high.reason == kAbove);
  Hpa low_hpa({}, 50, 2, 5);
  const HpaDecision low = low_hpa.sync(at(0, 3, 3, 0.01));  // wants 1, min 2
  CHECK(low.desired == 2);
  CHECK(low.reason == kBelow);
  CHECK(hpa.sync(at(15, 7, 7, 0.5)).desired == 5);
  CHECK(hpa.sync(at(30, 7, 7, 0.5)).reason == "Current number of replicas above Spec.MaxReplicas");
  CHECK(hpa.sync(at(45, 1, 1, 0.5)).desired == 2);
  CHECK(hpa.sync(at(60, 1, 1, 0.5)).reason == "Current number of replicas below Spec.MinReplicas");
}

TEST_CASE("HPA: with no ready replica the count stays") {
  Hpa hpa({}, 50, 1, 10);
  const HpaDecision d = hpa.sync(at(0, 3, 0, 0.0));
  CHECK(d.desired == 3);
  CHECK(d.reason.empty());
  CHECK(hpa.sync(at(15, 3, 3, std::nan(""))).desired == 3);
}

TEST_CASE("HPA: an infinite utilization does not overflow the count") {
  Hpa hpa({}, 50, 1, std::numeric_limits<int>::max());
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(hpa.sync(at(0, 3, 3, inf)).desired == 7);   // the scale-up limit
  CHECK(hpa.sync(at(15, 3, 1, inf)).desired == 7);  // with replicas not ready
  CHECK(hpa.sync(at(30, 3, 3, 1e300)).desired == 7);
  Hpa huge({}, 50, 1, std::numeric_limits<int>::max());
  CHECK(huge.sync(at(0, 2000000000, 2000000000, inf)).desired == std::numeric_limits<int>::max());
}

TEST_CASE("HPA: a load within floating error of a whole count does not buy a replica") {
  CHECK(replicas_for_load(5.0000000001) == 5);
  CHECK(replicas_for_load(5.0001) == 6);
  CHECK(replicas_for_load(1e-12) == 1);
  CHECK(replicas_for_load(0.0) == 0);
  CHECK(replicas_for_load(std::nan("")) == 0);
  CHECK(replicas_for_load(std::numeric_limits<double>::infinity()) ==
        std::numeric_limits<int>::max());
  Hpa hpa({}, 35, 1, 10);
  CHECK(hpa.sync(at(0, 5, 5, 0.56)).desired == 8);  // 0.56 x 100 / 35 x 5 = 8.000000000000002
}

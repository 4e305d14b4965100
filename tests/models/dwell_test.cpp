// Dwell: time spent in one condition over any number of visits, behind erroredDwell and
// pendingTime.
#include "wlsim/models/dwell.hpp"

#include <catch2/catch.hpp>

using wlsim::engine::Time;
using wlsim::models::Dwell;

namespace {
Time s(std::int64_t n) { return Time::from_seconds(n); }
}  // namespace

TEST_CASE("a dwell adds up every visit and counts the current one up to now", "[dwell]") {
  Dwell d;
  CHECK_FALSE(d.active());
  CHECK(d.total(s(100)) == Time::zero());
  d.enter(s(10));
  CHECK(d.active());
  CHECK(d.total(s(15)) == s(5));
  d.leave(s(30));
  CHECK(d.total(s(1000)) == s(20));
  d.enter(s(50));
  CHECK(d.total(s(55)) == s(25));
  d.leave(s(60));
  CHECK(d.total(s(60)) == s(30));
}

TEST_CASE("entering twice keeps the first start; leaving twice counts once", "[dwell]") {
  Dwell d;
  d.enter(s(10));
  d.enter(s(20));
  d.leave(s(30));
  d.leave(s(40));
  CHECK(d.total(s(100)) == s(20));
}

// Erlang C and the M/M/c metrics (erlang.hpp) that fluid mode and the analytic cross-checks of
// request mode rest on: textbook values, an independent evaluation by the direct formula, Little's
// law, and stability for a million servers.
#include "wlsim/models/erlang.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

using wlsim::models::erlang_c;
using wlsim::models::mmc;

namespace {

// Erlang C by its textbook formula, in long double, with the terms a^k / k! built one from the
// other (no factorial is ever formed): an evaluation independent of the Erlang B recurrence.
long double direct_erlang_c(int c, long double a) {
  long double term = 1;  // a^k / k!
  long double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term = term * a / (k + 1);
  }
  const long double last = term * c / (c - a);
  return last / (sum + last);
}

}  // namespace

TEST_CASE("erlang: one server waits with probability rho and Wq = rho S / (1 - rho)", "[erlang]") {
  CHECK(erlang_c(1, 0.3) == Approx(0.3).epsilon(1e-14));
  const auto m = mmc(0.6, 0.5, 1);  // rho = 0.3
  CHECK(m.utilization == Approx(0.3).epsilon(1e-15));
  CHECK(m.p_wait == Approx(0.3).epsilon(1e-14));
  CHECK(m.mean_wait_s == Approx(0.3 * 0.5 / 0.7).epsilon(1e-14));
}

TEST_CASE("erlang: two servers at one erlang wait with probability 1/3", "[erlang]") {
  CHECK(erlang_c(2, 1.0) == Approx(1.0 / 3.0).epsilon(1e-14));
  const auto m = mmc(2.0, 0.5, 2);
  CHECK(m.p_wait == Approx(1.0 / 3.0).epsilon(1e-14));
  CHECK(m.mean_wait_s == Approx(1.0 / 3.0 * 0.5 / (2 - 1)).epsilon(1e-14));
}

TEST_CASE("erlang: the recurrence agrees with the direct formula (c = 10, 100, 1000)", "[erlang]") {
  CHECK(erlang_c(10, 8.0) == Approx(static_cast<double>(direct_erlang_c(10, 8.0L))).epsilon(1e-13));
  CHECK(erlang_c(10, 8.0) == Approx(0.40918015).epsilon(1e-7));  // tables: C(10, 8) = 0.4092
  CHECK(erlang_c(100, 90.0) ==
        Approx(static_cast<double>(direct_erlang_c(100, 90.0L))).epsilon(1e-12));
  CHECK(erlang_c(1000, 950.0) ==
        Approx(static_cast<double>(direct_erlang_c(1000, 950.0L))).epsilon(1e-11));
}

TEST_CASE("erlang: a million servers neither overflow nor lose the answer", "[erlang]") {
  // Halfin-Whitt regime, beta = 1: C stays a fair probability as c grows (about 0.2).
  const double c = 1e6;
  const double heavy = erlang_c(1'000'000, c - std::sqrt(c));
  CHECK(std::isfinite(heavy));
  CHECK(heavy > 0.2);
  CHECK(heavy < 0.25);
  CHECK(erlang_c(1'000'000, 0.5e6) == 0.0);  // underflows to exactly no wait, not NaN
  CHECK(erlang_c(1'000'000, 1e6) == 1.0);
}

TEST_CASE("erlang: a load at or above the servers always waits; no load never does", "[erlang]") {
  CHECK(erlang_c(3, 3.0) == 1.0);
  CHECK(erlang_c(3, 7.5) == 1.0);
  CHECK(erlang_c(3, 0.0) == 0.0);
  CHECK(mmc(0.0, 1.0, 4).mean_in_system == 0.0);
}

TEST_CASE("erlang: Little's law ties Lq and L to Wq", "[erlang]") {
  const double lambda = 7.0;
  const double s = 1.2;  // 8.4 erlangs on 10 servers
  const auto m = mmc(lambda, s, 10);
  CHECK(m.utilization == Approx(0.84).epsilon(1e-15));
  CHECK(m.p_wait == Approx(static_cast<double>(direct_erlang_c(10, 8.4L))).epsilon(1e-13));
  CHECK(m.mean_wait_s == Approx(m.p_wait * s / (10 - lambda * s)).epsilon(1e-15));
  CHECK(m.mean_queue == Approx(lambda * m.mean_wait_s).epsilon(1e-15));
  CHECK(m.mean_in_system == Approx(m.mean_queue + lambda * s).epsilon(1e-15));
}

TEST_CASE("erlang: invalid inputs and a saturated queue are refused", "[erlang]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(erlang_c(0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c(2, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c(2, nan), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c(2, inf), std::invalid_argument);
  CHECK_THROWS_AS(mmc(2.0, 1.0, 2), std::invalid_argument);  // utilization exactly 1
  CHECK_THROWS_AS(mmc(3.0, 1.0, 2), std::invalid_argument);
  CHECK_THROWS_AS(mmc(-1.0, 1.0, 2), std::invalid_argument);
  CHECK_THROWS_AS(mmc(nan, 1.0, 2), std::invalid_argument);
  CHECK_THROWS_AS(mmc(1.0, 0.0, 2), std::invalid_argument);
  CHECK_THROWS_AS(mmc(1.0, inf, 2), std::invalid_argument);
  CHECK_THROWS_AS(mmc(1.0, 0.1, 0), std::invalid_argument);
}

// engine::add_repeatedly: a running sum fast-forwarded over passes of the same terms ends bit for
// bit where the additions one by one end.

#include "wlsim/engine/repeated_sum.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {

using wlsim::engine::add_repeatedly;

double one_by_one(double sum, const std::vector<double>& terms, std::uint64_t times) {
  for (std::uint64_t k = 0; k < times; ++k) {
    for (const double t : terms) sum += t;
  }
  return sum;
}

/// Bit for bit (two NaNs count as equal, whatever their payload).
bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void check(double sum, const std::vector<double>& terms, std::uint64_t times) {
  const double fast = add_repeatedly(sum, terms, times);
  const double slow = one_by_one(sum, terms, times);
  INFO("sum " << sum << ", " << terms.size() << " terms, " << times << " times: " << fast
              << " against " << slow);
  CHECK(same_bits(fast, slow));
}

}  // namespace

TEST_CASE("repeated sum: random sums, terms and repeats end as the additions one by one",
          "[repeated_sum]") {
  std::mt19937_64 rng(20261129);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  std::uniform_int_distribution<int> count(1, 16);
  std::uniform_int_distribution<std::uint64_t> times(1, 3000);
  for (int trial = 0; trial < 3000; ++trial) {
    const double sum = trial % 7 == 0 ? 0.0 : std::ldexp(unit(rng), exponent(rng));
    std::vector<double> terms(static_cast<std::size_t>(count(rng)));
    for (double& t : terms) t = std::ldexp(unit(rng), exponent(rng));
    check(sum, terms, times(rng));
  }
}

TEST_CASE("repeated sum: crossing many binades, and a long run", "[repeated_sum]") {
  check(1.0, {0.75}, 100'000);                 // from 1 to 75,001: about seventeen binades
  check(1e-3, {0.1, 0.2, 0.3}, 2'000'000);     // terms with no exact binary value
  check(12345.678, {1e-9, 3.0, 7e-5}, 3'000'000);
  check(0.0, {1.0 / 3.0}, 1'000'000);          // from zero
}

TEST_CASE("repeated sum: a term halfway between two multiples rounds to even, by the sum",
          "[repeated_sum]") {
  const double half_ulp_of_one = std::ldexp(1.0, -53);
  // 1 + 2^-53 is a tie that rounds down to 1 (even); from 1 + 2^-52 (odd) it rounds up.
  check(1.0, {half_ulp_of_one}, 1000);
  check(1.0 + 2 * half_ulp_of_one, {half_ulp_of_one}, 1000);
  check(1.0, {3 * half_ulp_of_one}, 1000);  // 1.5 ulp: a tie too
  CHECK(add_repeatedly(1.0, {&half_ulp_of_one, 1}, 1000) == 1.0);
}

TEST_CASE("repeated sum: terms that vanish against the sum leave it where it is",
          "[repeated_sum]") {
  check(1e16, {0.4, 0.9}, 1'000'000);  // 0.9 rounds to 2, 0.4 to 0: it moves, by 2 per pass
  check(1e17, {0.4, 0.9}, 1'000'000);  // both vanish
  const std::vector<double> tiny = {1e-20};
  CHECK(add_repeatedly(1.0, tiny, std::numeric_limits<std::uint64_t>::max()) == 1.0);
}

TEST_CASE("repeated sum: subnormal, negative and non-finite values are added one by one",
          "[repeated_sum]") {
  const double denormal = std::numeric_limits<double>::denorm_min();
  check(0.0, {1e-310}, 5000);                     // subnormal sums, then normal ones
  check(denormal, {denormal, 3 * denormal}, 5000);
  check(10.0, {-0.25, 0.5}, 5000);                 // a negative term
  check(-10.0, {0.25}, 5000);                      // a negative sum
  check(std::numeric_limits<double>::infinity(), {1.0}, 10);
  check(1.0, {std::numeric_limits<double>::quiet_NaN()}, 10);
  check(std::numeric_limits<double>::max() / 4, {std::numeric_limits<double>::max() / 8}, 10);
  check(1.0, {}, 1000);  // no terms: the sum stays
}

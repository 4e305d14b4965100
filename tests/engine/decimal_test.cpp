// Tests for engine/decimal.hpp: quantity text is split into number and unit, and the number is
// scaled to an integer exactly (never through a double), rounding digits below the resolution to
// nearest.

#include "wlsim/engine/decimal.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "wlsim/engine/random.hpp"

using wlsim::engine::RandomStream;
using wlsim::engine::scale_decimal;
using wlsim::engine::split_number_and_unit;

namespace {
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::int64_t scale(const std::string& number, std::int64_t by) {
  return scale_decimal(number, by, number);
}

std::string pow10_text(int k) { return "1" + std::string(static_cast<std::size_t>(k), '0'); }
}  // namespace

TEST_CASE("a quantity splits at the first character that is not a digit or a dot", "[decimal]") {
  const auto a = split_number_and_unit("1.5GB");
  CHECK(a.number == "1.5");
  CHECK(a.unit == "GB");
  const auto b = split_number_and_unit("250ms");
  CHECK(b.number == "250");
  CHECK(b.unit == "ms");
  const auto c = split_number_and_unit("42");
  CHECK(c.number == "42");
  CHECK(c.unit.empty());
  const auto d = split_number_and_unit(".5Gi");
  CHECK(d.number == ".5");
  CHECK(d.unit == "Gi");
}

TEST_CASE("spaces around the number and the unit are ignored when splitting", "[decimal]") {
  const auto a = split_number_and_unit("  30 s  ");
  CHECK(a.number == "30");
  CHECK(a.unit == "s");
}

TEST_CASE("a quantity without a leading number is rejected", "[decimal]") {
  for (const char* text : {"", "   ", "GB", "-", "+", "-GB", "x1"}) {
    INFO("text: '" << text << "'");
    CHECK_THROWS_AS(split_number_and_unit(text), std::invalid_argument);
  }
}

TEST_CASE("scaling a decimal is exact: 1.2 x 1e9 is exactly 1200000000", "[decimal]") {
  CHECK(scale("1.2", 1'000'000'000) == 1'200'000'000);
  // Through doubles these are off by one ulp and would truncate wrongly.
  CHECK(scale("0.29", 100) == 29);
  CHECK(scale("4.35", 100) == 435);
  CHECK(scale("1.1", 1'000'000'000'000'000) == 1'100'000'000'000'000);
  CHECK(scale("0.1", 10) == 1);
  CHECK(scale("5", 1000) == 5000);
  CHECK(scale("5.", 1000) == 5000);
  CHECK(scale(".5", 1000) == 500);
  CHECK(scale("+2.5", 10) == 25);
  CHECK(scale("007", 1) == 7);
}

TEST_CASE("n written with k decimals and scaled by 10^k gives exactly n", "[decimal]") {
  RandomStream rng(11, "decimal", "exact");
  for (int i = 0; i < 20000; ++i) {
    const int k = static_cast<int>(rng.next_u64() % 10);
    const auto n = static_cast<std::int64_t>(rng.next_u64() % 100'000'000'000ULL);
    std::string digits = std::to_string(n);
    if (digits.size() <= static_cast<std::size_t>(k)) {
      digits.insert(0, static_cast<std::size_t>(k) + 1 - digits.size(), '0');
    }
    const std::string text =
        k == 0 ? digits
               : digits.substr(0, digits.size() - k) + "." + digits.substr(digits.size() - k);
    std::int64_t ten_k = 1;
    for (int j = 0; j < k; ++j) ten_k *= 10;
    INFO(text << " x " << ten_k);
    REQUIRE(scale(text, ten_k) == n);
  }
}

TEST_CASE("digits below the resolution round to nearest, halves away from zero", "[decimal]") {
  CHECK(scale("0.0000014", 1'000'000) == 1);
  CHECK(scale("0.0000015", 1'000'000) == 2);
  CHECK(scale("0.0000016", 1'000'000) == 2);
  CHECK(scale("2.5", 1) == 3);
  CHECK(scale("2.4999", 1) == 2);
  CHECK(scale("0.49999999999", 1) == 0);
  CHECK(scale("0.5", 1) == 1);
  CHECK(scale("1.23456789", 1000) == 1235);
  CHECK(scale("1.2344999", 1000) == 1234);
  // Many more digits than any resolution: still the nearest, not an error.
  CHECK(scale("0.333333333333333333333333333333333", 3) == 1);
  CHECK(scale("0.666666666666666666666666666666666", 3) == 2);
}

TEST_CASE("a number whose scaled value exceeds int64 is rejected as too large", "[decimal]") {
  CHECK_THROWS_AS(scale("9223372036854775808", 1), std::invalid_argument);
  CHECK_THROWS_AS(scale("99999999999999999999999", 1), std::invalid_argument);
  CHECK_THROWS_AS(scale("9223372036855", 1'000'000), std::invalid_argument);
  CHECK_THROWS_AS(scale("10", kMax / 5), std::invalid_argument);
  CHECK(scale("5", kMax / 5) == (kMax / 5) * 5);
  CHECK(scale("9223372036854", 1'000'000) == 9'223'372'036'854'000'000);
  // The largest whole number that fits at scale 10^k is kMax / 10^k; one more does not.
  for (int k = 1; k <= 18; ++k) {
    std::int64_t ten_k = 1;
    for (int j = 0; j < k; ++j) ten_k *= 10;
    const std::int64_t largest = kMax / ten_k;
    INFO("k = " << k);
    CHECK(scale(std::to_string(largest), ten_k) == largest * ten_k);
    CHECK_THROWS_AS(scale(std::to_string(largest + 1), ten_k), std::invalid_argument);
  }
  CHECK_THROWS_AS(scale(pow10_text(19), 1), std::invalid_argument);
}

TEST_CASE("the largest int64 value itself is not too large", "[decimal]") {
  CHECK(scale(std::to_string(kMax), 1) == kMax);
  CHECK(scale(std::to_string(kMax - 1), 1) == kMax - 1);
  CHECK(scale(std::to_string(kMax - 9), 1) == kMax - 9);
}

TEST_CASE("a fraction that carries the value past int64 is rejected as too large", "[decimal]") {
  // 9223372036854 s fits in microseconds (9223372036854000000 <= 9223372036854775807); .9 s more
  // does not.
  CHECK_THROWS_AS(scale("9223372036854.9", 1'000'000), std::invalid_argument);
  CHECK_THROWS_AS(scale("9223372036854.7758075", 1'000'000),
                  std::invalid_argument);  // rounds up past kMax
  CHECK(scale("9223372036854.775807", 1'000'000) == kMax);
  CHECK(scale("9223372036854.7758074", 1'000'000) == kMax);  // rounds down to kMax
}

TEST_CASE("negative and malformed numbers are rejected", "[decimal]") {
  for (const char* text : {"-1", "-0.5", "1.2.3", ".", "", "+", "..5"}) {
    INFO("text: '" << text << "'");
    CHECK_THROWS_AS(scale(text, 1000), std::invalid_argument);
  }
}

TEST_CASE("a number containing a non-digit is rejected", "[decimal]") {
  CHECK_THROWS_AS(scale("1x", 1), std::invalid_argument);
  CHECK_THROWS_AS(scale("1 2", 1), std::invalid_argument);
  CHECK_THROWS_AS(scale("0.5e3", 1), std::invalid_argument);
}

TEST_CASE("the error message names the whole text", "[decimal]") {
  try {
    (void)scale_decimal("-3", 10, "-3GB");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("-3GB") != std::string::npos);
  }
  try {
    (void)split_number_and_unit("GB");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("GB") != std::string::npos);
  }
}

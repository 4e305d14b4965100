// Tests for engine/time.hpp: virtual time is an integer count of microseconds, durations are parsed
// from exact decimal text with a required unit, and format_duration writes text that parses back.

#include "wlsim/engine/time.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <string>

#include "wlsim/engine/random.hpp"

using wlsim::engine::format_duration;
using wlsim::engine::parse_duration;
using wlsim::engine::RandomStream;
using wlsim::engine::Time;

namespace {

constexpr std::int64_t kUs = 1;
constexpr std::int64_t kMs = 1000 * kUs;
constexpr std::int64_t kS = 1000 * kMs;
constexpr std::int64_t kM = 60 * kS;
constexpr std::int64_t kH = 60 * kM;
constexpr std::int64_t kD = 24 * kH;

// The words of a message (runs of letters and digits), so "us" matches the unit and not "must".
std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  std::string w;
  for (const char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      w += c;
    } else if (!w.empty()) {
      out.insert(w);
      w.clear();
    }
  }
  return out;
}

// The message parse_duration throws for `text`, or "" if it did not throw std::invalid_argument.
std::string duration_error(const std::string& text) {
  try {
    (void)parse_duration(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

bool lists_every_unit(const std::string& message) {
  const auto w = words(message);
  for (const char* unit : {"us", "ms", "s", "m", "h", "d"}) {
    if (w.count(unit) == 0) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("each duration unit parses to its exact number of microseconds", "[time]") {
  CHECK(parse_duration("100us").us() == 100 * kUs);
  CHECK(parse_duration("250ms").us() == 250 * kMs);
  CHECK(parse_duration("30s").us() == 30 * kS);
  CHECK(parse_duration("5m").us() == 5 * kM);
  CHECK(parse_duration("2h").us() == 2 * kH);
  CHECK(parse_duration("1d").us() == 1 * kD);
}

TEST_CASE("fractional durations are exact, not rounded through a double", "[time]") {
  CHECK(parse_duration("1.5s").us() == 3 * kS / 2);
  CHECK(parse_duration("1.5m").us() == 90 * kS);
  CHECK(parse_duration("0.25h").us() == 15 * kM);
  CHECK(parse_duration("0.001s").us() == 1 * kMs);
  CHECK(parse_duration("0.000001s").us() == 1 * kUs);
  // 1.001 * 1e6 in doubles is 1000999.9999999999; truncating that would give 1000999.
  CHECK(parse_duration("1.001s").us() == 1001 * kMs);
  CHECK(parse_duration("0.29s").us() == 290 * kMs);
  CHECK(parse_duration("4.35s").us() == 4350 * kMs);
  // Every value k/1000 s written with three decimals parses to exactly k ms.
  for (std::int64_t k = 0; k < 5000; ++k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(k / 1000),
                  static_cast<long long>(k % 1000));
    const std::string text = buf;
    INFO(text);
    REQUIRE(parse_duration(text).us() == k * kMs);
  }
}

TEST_CASE("digits below a microsecond round to the nearest microsecond", "[time]") {
  CHECK(parse_duration("1.0000004s").us() == kS);
  CHECK(parse_duration("1.0000006s").us() == kS + 1);
  CHECK(parse_duration("0.4us").us() == 0);
  CHECK(parse_duration("0.6us").us() == 1);
}

TEST_CASE("surrounding spaces and a space before the unit are accepted", "[time]") {
  CHECK(parse_duration(" 30s ").us() == 30 * kS);
  CHECK(parse_duration("30 s").us() == 30 * kS);
}

TEST_CASE("a duration without a unit is rejected with a message listing the units", "[time]") {
  const std::string msg = duration_error("30");
  REQUIRE_FALSE(msg.empty());
  CHECK(lists_every_unit(msg));
}

TEST_CASE("a duration with an unknown unit is rejected with a message listing the units",
          "[time]") {
  for (const char* text : {"30sec", "5S", "2y", "1e3s", "10 min", "3w"}) {
    INFO(text);
    const std::string msg = duration_error(text);
    REQUIRE_FALSE(msg.empty());
    CHECK(lists_every_unit(msg));
  }
}

// The rejections that come from the number itself (engine/decimal.cpp) must carry the unit list
// too.
TEST_CASE("a negative duration is rejected with a message listing the units", "[time]") {
  const std::string msg = duration_error("-5s");
  REQUIRE_FALSE(msg.empty());
  CHECK(lists_every_unit(msg));
}

TEST_CASE("garbage and empty durations are rejected with a message listing the units", "[time]") {
  for (const char* text : {"abc", "", "   ", "s", "1.2.3s", "."}) {
    INFO("text: '" << text << "'");
    const std::string msg = duration_error(text);
    REQUIRE_FALSE(msg.empty());
    CHECK(lists_every_unit(msg));
  }
}

TEST_CASE("every malformed duration throws std::invalid_argument", "[time]") {
  for (const char* text : {"30", "30sec", "-5s", "abc", "", "   ", "s", "1.2.3s", ".", "--5s",
                           "5s5", "99999999999999999999d"}) {
    INFO("text: '" << text << "'");
    CHECK_THROWS_AS(parse_duration(text), std::invalid_argument);
  }
}

TEST_CASE("format_duration output parses back to the same time", "[time]") {
  RandomStream rng(7, "time", "round-trip");
  for (int i = 0; i < 20000; ++i) {
    // Mix exact multiples of each unit with arbitrary microsecond counts.
    const std::int64_t units[] = {kUs, kMs, kS, kM, kH, kD};
    const std::int64_t unit = units[rng.next_u64() % 6];
    const std::int64_t count = static_cast<std::int64_t>(rng.next_u64() % 100000);
    const std::int64_t extra = (i % 3 == 0) ? static_cast<std::int64_t>(rng.next_u64() % 1000) : 0;
    const Time t = Time::from_us(count * unit + extra);
    const std::string text = format_duration(t);
    INFO(text);
    REQUIRE(parse_duration(text) == t);
  }
  CHECK(parse_duration(format_duration(Time::zero())) == Time::zero());
}

TEST_CASE("format_duration uses the largest unit that divides the time exactly", "[time]") {
  CHECK(format_duration(Time::from_seconds(30)) == "30s");
  CHECK(format_duration(Time::from_minutes(5)) == "5m");
  CHECK(format_duration(Time::from_seconds(90)) == "90s");
  CHECK(format_duration(Time::from_ms(1500)) == "1500ms");
  CHECK(format_duration(Time::from_minutes(120)) == "2h");
  CHECK(format_duration(Time::from_minutes(24 * 60)) == "1d");
  CHECK(format_duration(Time::from_us(7)) == "7us");
  CHECK(format_duration(Time::never()) == "never");
}

TEST_CASE("the unit constructors agree with the unit sizes", "[time]") {
  CHECK(Time::from_us(3).us() == 3);
  CHECK(Time::from_ms(3).us() == 3 * kMs);
  CHECK(Time::from_seconds(3).us() == 3 * kS);
  CHECK(Time::from_minutes(3).us() == 3 * kM);
  CHECK(Time::zero().us() == 0);
  CHECK(Time{}.us() == 0);
  CHECK(Time::from_seconds(3).seconds() == 3.0);
  CHECK(Time::from_ms(250).seconds() == 0.25);
}

TEST_CASE("from_seconds_f rounds to the nearest microsecond", "[time]") {
  CHECK(Time::from_seconds_f(1.5).us() == 3 * kS / 2);
  CHECK(Time::from_seconds_f(0.0000004).us() == 0);
  CHECK(Time::from_seconds_f(0.0000006).us() == 1);
  // 1.001 * 1e6 is 1000999.9999999999 in doubles: rounding, not truncation.
  CHECK(Time::from_seconds_f(1.001).us() == 1001 * kMs);
  CHECK(Time::from_seconds_f(-0.0000006).us() == -1);
}

TEST_CASE("time arithmetic is exact integer arithmetic on microseconds", "[time]") {
  const Time a = Time::from_us(1'500'001);
  const Time b = Time::from_us(499'999);
  CHECK((a + b).us() == 2'000'000);
  CHECK((a - b).us() == 1'000'002);
  CHECK((b - a).us() == -1'000'002);
  CHECK((a * 3).us() == 4'500'003);
  CHECK((3 * a).us() == 4'500'003);
  CHECK(a / b == 3);
  CHECK(Time::from_seconds(10) / Time::from_seconds(3) == 3);
  Time c = a;
  c += b;
  CHECK(c.us() == 2'000'000);
  c -= a;
  CHECK(c == b);
}

TEST_CASE("times compare by their microsecond counts", "[time]") {
  const Time a = Time::from_us(1);
  const Time b = Time::from_us(2);
  CHECK(a < b);
  CHECK(b > a);
  CHECK(a <= a);
  CHECK(a >= a);
  CHECK(a == Time::from_us(1));
  CHECK(a != b);
  CHECK(Time::from_ms(1) == Time::from_us(1000));
  CHECK(Time::zero() < a);
}

TEST_CASE("never is later than any reachable instant and only never is never", "[time]") {
  CHECK(Time::never().is_never());
  CHECK_FALSE(Time::zero().is_never());
  CHECK_FALSE(Time::from_us(Time::never().us() - 1).is_never());
  CHECK(Time::from_minutes(100LL * 365 * 24 * 60) < Time::never());
  CHECK(parse_duration("100000d") < Time::never());
}

TEST_CASE("time arithmetic saturates at never instead of wrapping", "[time][bounds]") {
  const Time big = Time::from_us(INT64_MAX - 10);
  CHECK((big + Time::from_us(100)).is_never());
  CHECK((Time::never() + Time::from_seconds(1)).is_never());
  CHECK((Time::from_seconds(1) + Time::never()).is_never());
  CHECK((Time::never() - Time::from_seconds(5)).is_never());
  CHECK((Time::from_seconds(3) * INT64_MAX).is_never());
  CHECK((INT64_MAX * Time::from_seconds(3)).is_never());
  CHECK(Time::from_seconds(INT64_MAX / 2).is_never());
  // A far-future sum never turns into a past instant.
  CHECK(Time::from_us(INT64_MIN + 5) - Time::from_us(100) < Time::zero());
  CHECK((Time::from_us(INT64_MIN + 5) - Time::from_us(100)).us() == INT64_MIN);
  Time t = big;
  t += Time::from_us(11);
  CHECK(t.is_never());
  // In range, the arithmetic is still exact.
  CHECK(Time::from_us(INT64_MAX - 11) + Time::from_us(10) == Time::from_us(INT64_MAX - 1));
}

TEST_CASE("from_seconds_f past the 64-bit range, or NaN, is never", "[time][bounds]") {
  CHECK(Time::from_seconds_f(1e300).is_never());
  CHECK(Time::from_seconds_f(9.3e12).is_never());  // 9.3e18 us > 2^63
  CHECK(Time::from_seconds_f(std::nan("")).is_never());
  CHECK(Time::from_seconds_f(9.2e12) == Time::from_us(9'200'000'000'000'000'000LL));
  CHECK(Time::from_seconds_f(-1e300) < Time::zero());
}

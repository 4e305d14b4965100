// Tests for engine/json.hpp, the one place JSON becomes text: numbers print as wlsim always printed
// them (shortest text that reads back, no ".0"), strings are escaped, and keys keep their order.

#include "wlsim/engine/json.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/trace.hpp"

using wlsim::engine::Json;
using wlsim::engine::json_seconds;
using wlsim::engine::number_text;
using wlsim::engine::RandomStream;
using wlsim::engine::seconds_text;
using wlsim::engine::Time;
using wlsim::engine::to_text;

TEST_CASE("an integral double prints without a fraction", "[json]") {
  CHECK(to_text(Json(30.0)) == "30");
  CHECK(to_text(Json(0.0)) == "0");
  CHECK(to_text(Json(-7.0)) == "-7");
  CHECK(to_text(Json(1230.0)) == "1230");
}

TEST_CASE("a double prints as the shortest text that reads back to it", "[json]") {
  CHECK(to_text(Json(66.2)) == "66.2");
  CHECK(to_text(Json(0.1 + 0.2)) == "0.30000000000000004");
  // Whichever of fixed and exponent form is shorter, as the golden summaries hold them.
  CHECK(to_text(Json(4e9)) == "4e+09");
  CHECK(to_text(Json(2.46e12)) == "2.46e+12");
  CHECK(to_text(Json(1e21)) == "1e+21");
  CHECK(number_text(1.5) == "1.5");
}

TEST_CASE("below 1e-3 the exponent form prints where it is shorter", "[json]") {
  CHECK(to_text(Json(0.0001)) == "1e-04");
  CHECK(to_text(Json(0.000001)) == "1e-06");
  CHECK(to_text(Json(-0.0005)) == "-5e-04");
  CHECK(to_text(Json(0.000123)) == "0.000123");  // a tie goes to the fixed form
  CHECK(to_text(Json(0.001)) == "0.001");
  CHECK(to_text(Json(5e-324)) == "5e-324");
}

TEST_CASE("NaN and infinities print as null", "[json]") {
  CHECK(to_text(Json(std::numeric_limits<double>::quiet_NaN())) == "null");
  CHECK(to_text(Json(std::numeric_limits<double>::infinity())) == "null");
  CHECK(number_text(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("integers, booleans and null print as JSON writes them", "[json]") {
  CHECK(to_text(Json(42)) == "42");
  CHECK(to_text(Json(18446744073709551615ULL)) == "18446744073709551615");
  CHECK(to_text(Json(-3)) == "-3");
  CHECK(to_text(Json(true)) == "true");
  CHECK(to_text(Json(nullptr)) == "null");
}

TEST_CASE("a string with quotes, backslashes and control characters is escaped", "[json]") {
  CHECK(to_text(Json("say \"hi\" C:\\dir")) == R"("say \"hi\" C:\\dir")");
  CHECK(to_text(Json("a\nb\tc\rd")) == R"("a\nb\tc\rd")");
  CHECK(to_text(Json(std::string("x\x01y\x1f", 4))) == R"("x\u0001y\u001f")");
  CHECK(to_text(Json(std::string(1, '\0'))) == R"("\u0000")");
  CHECK(to_text(Json("caf\xC3\xA9")) == "\"caf\xC3\xA9\"");  // UTF-8 kept as it is
}

TEST_CASE("bytes that are not UTF-8 become U+FFFD instead of failing", "[json]") {
  CHECK(to_text(Json("a\xFF")) == "\"a\xEF\xBF\xBD\"");
}

TEST_CASE("object keys keep their insertion order, and nothing is spaced", "[json]") {
  Json j = Json::object();
  j["zeta"] = 1;
  j["alpha"] = Json::array({1.5, "two", nullptr});
  j["mid"] = Json::object();
  j["mid"]["b\"q"] = false;
  j["mid"]["a"] = 2.0;
  CHECK(to_text(j) == R"({"zeta":1,"alpha":[1.5,"two",null],"mid":{"b\"q":false,"a":2}})");
  CHECK(to_text(Json::object()) == "{}");
  CHECK(to_text(Json::array()) == "[]");
}

TEST_CASE("a time prints as its exact decimal seconds; never is null", "[json]") {
  CHECK(to_text(json_seconds(Time::from_seconds(30))) == "30");
  CHECK(to_text(json_seconds(Time::from_ms(1500))) == "1.5");
  CHECK(to_text(json_seconds(Time::from_us(12'000'010))) == "12.00001");
  // Whole seconds stay integers: no exponent however large.
  CHECK(to_text(json_seconds(Time::from_seconds(100'000'000))) == "100000000");
  CHECK(to_text(json_seconds(Time::from_ms(-500))) == "-0.5");
  CHECK(to_text(json_seconds(Time::from_ms(1))) == "0.001");
  // Under a millisecond a fractional time is a double like any other: the shorter form wins.
  CHECK(to_text(json_seconds(Time::from_us(500))) == "5e-04");
  CHECK(to_text(json_seconds(Time::never())) == "null");
}

TEST_CASE("a time's JSON text is seconds_text from a millisecond up", "[json]") {
  RandomStream rng(7, "json", "seconds");
  for (int i = 0; i < 20000; ++i) {
    // Magnitudes from a microsecond to about 100 days, either sign.
    const auto scale = static_cast<std::int64_t>(1) << (rng.next_u64() % 44);
    auto us = static_cast<std::int64_t>(rng.next_u64() % static_cast<std::uint64_t>(scale));
    if (rng.next_u64() % 2 == 0) us = -us;
    if (us % 1'000'000 != 0 && us > -1000 && us < 1000) continue;
    const Time t = Time::from_us(us);
    INFO(us << " us");
    REQUIRE(to_text(json_seconds(t)) == seconds_text(t));
  }
}

TEST_CASE("a double's JSON text reads back to the same double", "[json]") {
  RandomStream rng(8, "json", "number");
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = rng.next_u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    const std::string text = number_text(v);
    INFO(text);
    REQUIRE(Json::accept(text));
    const double back = std::strtod(text.c_str(), nullptr);
    REQUIRE(std::memcmp(&back, &v, sizeof v) == 0);
  }
}

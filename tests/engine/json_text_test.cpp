// Tests for engine/json_text.hpp: strings are quoted as valid JSON that reads back to the same
// bytes, and numbers are the shortest text that reads back to the same double (NaN and infinities →
// null).

#include "wlsim/engine/json_text.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "wlsim/engine/random.hpp"

using wlsim::engine::json_number;
using wlsim::engine::json_quote;
using wlsim::engine::RandomStream;

namespace {

// Reading back with nlohmann-json, independent of the writer under test.
std::optional<std::string> string_literal(const std::string& text) {
  if (!nlohmann::json::accept(text)) return std::nullopt;
  const auto j = nlohmann::json::parse(text);
  if (!j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

bool is_number(const std::string& text) {
  return nlohmann::json::accept(text) && nlohmann::json::parse(text).is_number();
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The %.*g text with the fewest significant digits that reads back to v: json_number must be no
// longer.
std::string shortest_g(double v) {
  for (int p = 1; p <= 17; ++p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (same_bits(std::strtod(buf, nullptr), v)) return buf;
  }
  return "?";
}

}  // namespace

TEST_CASE("json_quote wraps plain text in quotes unchanged", "[json_text]") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("wl-1/p1/r0/app") == "\"wl-1/p1/r0/app\"");
  CHECK(json_quote("Back-off pulling image 'x:1'") == "\"Back-off pulling image 'x:1'\"");
}

TEST_CASE("json_quote escapes quotes, backslashes and the common control characters",
          "[json_text]") {
  CHECK(json_quote("say \"hi\"") == R"("say \"hi\"")");
  CHECK(json_quote("C:\\dir") == R"("C:\\dir")");
  CHECK(json_quote("a\nb") == R"("a\nb")");
  CHECK(json_quote("a\rb") == R"("a\rb")");
  CHECK(json_quote("a\tb") == R"("a\tb")");
}

TEST_CASE("json_quote escapes every control character so the literal stays valid JSON",
          "[json_text]") {
  for (int c = 0; c < 0x20; ++c) {
    const std::string s = std::string("x") + static_cast<char>(c) + "y";
    const std::string q = json_quote(s);
    INFO("control character " << c << " -> " << q);
    for (std::size_t i = 1; i + 1 < q.size(); ++i) {
      REQUIRE(static_cast<unsigned char>(q[i]) >= 0x20);
    }
    const auto back = string_literal(q);
    REQUIRE(back.has_value());
    CHECK(*back == s);
  }
  CHECK(json_quote(std::string(1, '\0')) == R"("\u0000")");
  CHECK(json_quote("\x1f") == R"("\u001f")");
}

TEST_CASE("json_quote keeps UTF-8 bytes as they are", "[json_text]") {
  const std::string s = "caf\xC3\xA9 \xE2\x9C\x93";  // "café ✓"
  CHECK(json_quote(s) == "\"" + s + "\"");
}

TEST_CASE("json_quote output reads back to the same bytes for any ASCII text", "[json_text]") {
  RandomStream rng(1, "json", "quote");
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const auto len = rng.next_u64() % 40;
    for (std::uint64_t k = 0; k < len; ++k) {
      // Bias towards the characters that need escaping.
      const auto pick = rng.next_u64() % 10;
      const char special[] = {'"', '\\', '\n', '\r', '\t', '\0', '\x01', '\x1f', '/'};
      s += pick < 3 ? special[rng.next_u64() % sizeof special]
                    : static_cast<char>(0x20 + rng.next_u64() % 95);
    }
    const std::string q = json_quote(s);
    const auto back = string_literal(q);
    INFO(q);
    REQUIRE(back.has_value());
    REQUIRE(*back == s);
  }
}

TEST_CASE("json_number writes integers without a fraction or exponent", "[json_text]") {
  CHECK(json_number(0.0) == "0");
  CHECK(json_number(30.0) == "30");
  CHECK(json_number(-7.0) == "-7");
  CHECK(json_number(123456789.0) == "123456789");
}

TEST_CASE("json_number writes the shortest text that reads back to the same double",
          "[json_text]") {
  CHECK(json_number(0.1) == "0.1");
  CHECK(json_number(0.25) == "0.25");
  CHECK(json_number(1.0 / 3) == "0.3333333333333333");
  CHECK(json_number(0.1 + 0.2) == "0.30000000000000004");
  RandomStream rng(2, "json", "number");
  for (int i = 0; i < 20000; ++i) {
    double v;
    switch (i % 4) {
      case 0:
        v = rng.next_unit();
        break;
      case 1:
        v = (rng.next_unit() - 0.5) * 1e6;
        break;
      case 2:
        v = static_cast<double>(rng.next_u64() % 100000) / 1000;
        break;  // "nice" decimals
      default: {
        // Any finite bit pattern.
        std::uint64_t bits = rng.next_u64();
        std::memcpy(&v, &bits, sizeof v);
        if (!std::isfinite(v)) v = 1.5;
      }
    }
    const std::string text = json_number(v);
    INFO(text);
    REQUIRE(is_number(text));
    REQUIRE(same_bits(std::strtod(text.c_str(), nullptr), v));
    INFO("shortest %g form: " << shortest_g(v));
    REQUIRE(text.size() <= shortest_g(v).size());
  }
}

TEST_CASE("json_number output is valid JSON at the extremes", "[json_text]") {
  for (const double v :
       {1e300, -1e-300, 5e-324, std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(), 1e21, 1e22, 123456789012345680000.0, -0.0}) {
    const std::string text = json_number(v);
    INFO(text);
    CHECK(is_number(text));
    CHECK(same_bits(std::strtod(text.c_str(), nullptr), v));
  }
}

TEST_CASE("json_number writes NaN and infinities as null", "[json_text]") {
  CHECK(json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
}

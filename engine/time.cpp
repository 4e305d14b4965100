#include "wlsim/engine/time.hpp"

#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "wlsim/engine/decimal.hpp"

namespace wlsim::engine {

Time Time::from_us_f(double us) noexcept {
  // 2^63 is exactly representable; anything at or past it (or NaN) does not fit an int64.
  if (!(us < 9223372036854775808.0)) return never();
  if (us < -9223372036854775808.0) return Time{kMin};
  return Time{std::llround(us)};
}

namespace {
struct Unit {
  std::string_view name;
  std::int64_t us;
};
constexpr std::array<Unit, 6> kUnits{{{"us", 1},
                                      {"ms", 1000},
                                      {"s", 1000000},
                                      {"m", 60LL * 1000000},
                                      {"h", 3600LL * 1000000},
                                      {"d", 86400LL * 1000000}}};

std::optional<std::int64_t> unit_us(std::string_view name) {
  for (const auto& unit : kUnits) {
    if (unit.name == name) return unit.us;
  }
  // Go's time.Duration writes a microsecond as µs (U+00B5; U+03BC is read too): read, never
  // written.
  if (name == "\u00b5s" || name == "\u03bcs") return 1;
  return std::nullopt;
}

// A unit runs to the next term's number or a space.
bool ends_unit(char c) {
  return (c >= '0' && c <= '9') || c == '.' || c == ' ' || c == '+' || c == '-';
}
}  // namespace

Time parse_duration(std::string_view text) {
  constexpr std::string_view kUnitsText =
      " (a duration is a number with a unit: us, ms, s, m, h, d); several add up, as in 1h30m";
  const auto not_a_duration = [&] {
    return std::invalid_argument("'" + std::string(text) + "' is not a duration" +
                                 std::string(kUnitsText));
  };
  try {
    // Go's and Kubernetes' form: terms of a number and a unit, summed ("1h30m", "2m30.5s"); each
    // term is exact as a duration of its own, and only the first may carry a sign.
    std::string_view rest = text;
    std::int64_t total = 0;
    bool first = true;
    do {
      // After the first term a sign or a letter is not the start of another (rest is not empty).
      if (!first && rest.front() != '.' && (rest.front() < '0' || rest.front() > '9')) {
        throw not_a_duration();
      }
      const auto split = split_number_and_unit(rest);
      const std::string_view after = split.unit;
      std::size_t n = 0;
      while (n < after.size() && !ends_unit(after[n])) ++n;
      const auto us = unit_us(after.substr(0, n));
      if (!us) throw not_a_duration();
      const std::int64_t term = scale_decimal(split.number, *us, text);
      if (__builtin_add_overflow(total, term, &total)) {
        throw std::invalid_argument("'" + std::string(text) + "' is too large");
      }
      rest = after.substr(n);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      first = false;
    } while (!rest.empty());
    return Time::from_us(total);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    if (what.ends_with(kUnitsText)) throw;
    throw std::invalid_argument(what + std::string(kUnitsText));
  }
}

std::string format_duration(Time t) {
  const std::int64_t us = t.us();
  if (t.is_never()) return "never";
  for (std::size_t i = kUnits.size(); i-- > 0;) {  // the largest unit first
    const Unit& unit = kUnits[i];
    if (us != 0 && us % unit.us == 0) return std::to_string(us / unit.us) + std::string(unit.name);
  }
  if (us == 0) return "0s";
  return std::to_string(us) + "us";
}

}  // namespace wlsim::engine

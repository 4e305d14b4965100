#include "wlsim/engine/time.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

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
}  // namespace

Time parse_duration(std::string_view text) {
  constexpr std::string_view kUnitsText =
      " (a duration is a number with a unit: us, ms, s, m, h, d)";
  try {
    const auto split = split_number_and_unit(text);
    for (const auto& unit : kUnits) {
      if (split.unit == unit.name) return Time::from_us(scale_decimal(split.number, unit.us, text));
    }
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(e.what() + std::string(kUnitsText));
  }
  throw std::invalid_argument("'" + std::string(text) + "' is not a duration" +
                              std::string(kUnitsText));
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

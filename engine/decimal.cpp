#include "wlsim/engine/decimal.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace wlsim::engine {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}
[[noreturn]] void fail(std::string_view whole, std::string_view why) {
  throw std::invalid_argument("'" + std::string(whole) + "' " + std::string(why));
}
}  // namespace

NumberAndUnit split_number_and_unit(std::string_view text) {
  const std::string_view t = trim(text);
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.')) ++i;
  NumberAndUnit out{t.substr(0, i), trim(t.substr(i))};
  if (out.number.empty() || out.number == "-" || out.number == "+")
    fail(text, "does not start with a number");
  return out;
}

std::int64_t scale_decimal(std::string_view number, std::int64_t scale, std::string_view whole) {
  if (!number.empty() && number.front() == '+') number.remove_prefix(1);
  if (!number.empty() && number.front() == '-') fail(whole, "is negative");
  const auto dot = number.find('.');
  const std::string_view int_part = number.substr(0, dot);
  const std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
  if ((int_part.empty() && frac_part.empty()) || frac_part.find('.') != std::string_view::npos) {
    fail(whole, "is not a number");
  }
  for (const std::string_view part : {int_part, frac_part}) {
    for (const char c : part) {
      if (c < '0' || c > '9') fail(whole, "is not a number");
    }
  }
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t whole_units = 0;
  for (char c : int_part) {
    const int d = c - '0';
    if (whole_units > (kMax - d) / 10) fail(whole, "is too large");
    whole_units = whole_units * 10 + d;
  }
  if (whole_units > kMax / scale) fail(whole, "is too large");
  std::int64_t result = whole_units * scale;
  // Fractional digits, exactly: round(frac_num × scale / 10^digits) in 128-bit arithmetic. Digits
  // past the 18th are below any resolution wlsim uses and are ignored.
  __extension__ using u128 = unsigned __int128;
  u128 num = 0;
  u128 den = 1;
  for (std::size_t i = 0; i < frac_part.size() && i < 18; ++i) {
    num = num * 10 + static_cast<unsigned>(frac_part[i] - '0');
    den *= 10;
  }
  const u128 scaled = num * static_cast<u128>(scale);
  u128 frac = scaled / den;
  const u128 rem = scaled % den;
  if (rem * 2 >= den) ++frac;  // halves round away from zero
  if (static_cast<u128>(kMax - result) < frac) fail(whole, "is too large");
  result += static_cast<std::int64_t>(frac);
  return result;
}

}  // namespace wlsim::engine

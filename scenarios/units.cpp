#include "wlsim/scenarios/units.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "wlsim/engine/decimal.hpp"

namespace wlsim::scenarios {

namespace {

[[noreturn]] void fail(std::string_view whole, std::string_view why) {
  throw std::invalid_argument("'" + std::string(whole) + "' " + std::string(why));
}

// wlsim's own size units, older than the Kubernetes suffixes: they keep their values exactly,
// digits below a byte included (rounded to the nearest byte).
struct Unit {
  std::string_view name;
  std::int64_t scale;
};
constexpr std::int64_t kKi = 1024;
constexpr std::array<Unit, 9> kSizeUnits{{{"B", 1},
                                          {"KB", 1000},
                                          {"MB", 1000LL * 1000},
                                          {"GB", 1000LL * 1000 * 1000},
                                          {"TB", 1000LL * 1000 * 1000 * 1000},
                                          {"KiB", kKi},
                                          {"MiB", kKi* kKi},
                                          {"GiB", kKi* kKi* kKi},
                                          {"TiB", kKi* kKi* kKi* kKi}}};

// Kubernetes' resource.Quantity suffixes: the number times 2^pow2 × 10^pow10.
struct Suffix {
  std::string_view name;
  int pow2;
  int pow10;
};
constexpr std::array<Suffix, 16> kQuantitySuffixes{{{"n", 0, -9},
                                                    {"u", 0, -6},
                                                    {"m", 0, -3},
                                                    {"", 0, 0},
                                                    {"k", 0, 3},
                                                    {"M", 0, 6},
                                                    {"G", 0, 9},
                                                    {"T", 0, 12},
                                                    {"P", 0, 15},
                                                    {"E", 0, 18},
                                                    {"Ki", 10, 0},
                                                    {"Mi", 20, 0},
                                                    {"Gi", 30, 0},
                                                    {"Ti", 40, 0},
                                                    {"Pi", 50, 0},
                                                    {"Ei", 60, 0}}};

constexpr std::string_view kSizeForms =
    " (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB; or Kubernetes' k, M, G, T, P, E, Ki, Mi, Gi, "
    "Ti, Pi, Ei; or an exponent of ten: 1e9)";

// Beyond this many significant digits a quantity is either too large or finer than any resolution
// wlsim reads; refusing it keeps the exact arithmetic below in 128 bits.
constexpr std::size_t kMaxSignificantDigits = 36;
// Any larger exponent makes a non-zero quantity too large or too fine either way.
constexpr std::int64_t kMaxExponent = 1000;

__extension__ using u128 = unsigned __int128;

/// A decimal number exactly: digits × 10^exponent.
struct Decimal {
  u128 digits = 0;
  std::int64_t exponent = 0;
};

// The same checks and messages as engine::scale_decimal, so that every quantity's number reads
// alike.
Decimal read_decimal(std::string_view number, std::string_view whole) {
  if (!number.empty() && number.front() == '+') number.remove_prefix(1);
  if (!number.empty() && number.front() == '-') fail(whole, "is negative");
  const auto dot = number.find('.');
  std::string_view int_part = number.substr(0, dot);
  std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
  if ((int_part.empty() && frac_part.empty()) || frac_part.find('.') != std::string_view::npos) {
    fail(whole, "is not a number");
  }
  for (const std::string_view part : {int_part, frac_part}) {
    if (!std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      fail(whole, "is not a number");
    }
  }
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.remove_suffix(1);
  while (!int_part.empty() && int_part.front() == '0') int_part.remove_prefix(1);
  Decimal d{0, -static_cast<std::int64_t>(frac_part.size())};
  std::size_t significant = 0;
  for (const std::string_view part : {int_part, frac_part}) {
    for (const char c : part) {
      if (d.digits == 0 && c == '0') continue;
      if (++significant > kMaxSignificantDigits) {
        fail(whole,
             "has more than " + std::to_string(kMaxSignificantDigits) + " significant digits");
      }
      d.digits = d.digits * 10 + static_cast<unsigned>(c - '0');
    }
  }
  return d;
}

/// The exponent of "e3", "E-3", "e+6"; nothing if `unit` is not one.
std::optional<std::int64_t> exponent_suffix(std::string_view unit) {
  if (unit.size() < 2 || (unit.front() != 'e' && unit.front() != 'E')) return std::nullopt;
  unit.remove_prefix(1);
  const bool negative = unit.front() == '-';
  if (unit.front() == '-' || unit.front() == '+') unit.remove_prefix(1);
  if (unit.empty()) return std::nullopt;
  std::int64_t e = 0;
  for (const char c : unit) {
    if (c < '0' || c > '9') return std::nullopt;
    e = std::min(e * 10 + (c - '0'), kMaxExponent);
  }
  return negative ? -e : e;
}

/// The scale a Kubernetes suffix or an exponent stands for; nothing if `unit` is neither.
std::optional<Suffix> quantity_suffix(std::string_view unit) {
  for (const Suffix& s : kQuantitySuffixes) {
    if (unit == s.name) return s;
  }
  if (const auto e = exponent_suffix(unit)) return Suffix{unit, 0, static_cast<int>(*e)};
  return std::nullopt;
}

/// d × 2^pow2 × 10^pow10 if that is a whole number (nothing if it is not), exactly. Throws when it
/// is over 2^63 − 1.
std::optional<std::int64_t> whole_value(Decimal d, int pow2, std::int64_t pow10,
                                        std::string_view whole) {
  if (d.digits == 0) return 0;
  constexpr u128 kMax = std::numeric_limits<std::int64_t>::max();
  // 10^k = 2^k × 5^k: divide first (each division must be exact), then multiply while in range.
  u128 v = d.digits;
  std::int64_t fives = d.exponent + pow10;
  std::int64_t twos = fives + pow2;
  for (; fives < 0; ++fives) {
    if (v % 5 != 0) return std::nullopt;
    v /= 5;
  }
  for (; twos < 0; ++twos) {
    if (v % 2 != 0) return std::nullopt;
    v /= 2;
  }
  for (; fives > 0 && v <= kMax; --fives) v *= 5;
  for (; twos > 0 && v <= kMax; --twos) v *= 2;
  if (v > kMax) fail(whole, "is too large");
  return static_cast<std::int64_t>(v);
}

}  // namespace

std::int64_t parse_bytes(std::string_view text) {
  const auto split = engine::split_number_and_unit(text);
  for (const Unit& u : kSizeUnits) {
    if (split.unit == u.name) return engine::scale_decimal(split.number, u.scale, text);
  }
  if (split.unit == "m") {
    fail(text, "is thousandths of a byte (m means milli): write " + std::string(split.number) +
                   "Mi (mebibytes) or " + std::string(split.number) + "M (megabytes)");
  }
  const auto suffix = quantity_suffix(split.unit);
  // Fractions of a byte are not sizes, even where they come to whole bytes ("1000000u").
  if (!suffix || split.unit == "u" || split.unit == "n") {
    fail(text, "is not a size" + std::string(kSizeForms));
  }
  const Decimal d = read_decimal(split.number, text);
  // Kubernetes reads a bare number as bytes; here it is refused, for `memory: 4096` is far more
  // often a slip for 4096Mi than a wish for 4 kB. Zero is zero in any unit.
  if (split.unit.empty() && d.digits != 0) {
    const std::string n(split.number);
    fail(text, "has no unit: write " + n + "Mi (mebibytes), " + n +
                   "M (megabytes) or, for bytes, " + n + "B");
  }
  const auto bytes = whole_value(d, suffix->pow2, suffix->pow10, text);
  if (!bytes) fail(text, "is not a whole number of bytes");
  return *bytes;
}

std::int64_t parse_bytes_per_second(std::string_view text) {
  const auto slash = text.rfind("/s");
  if (slash == std::string_view::npos || slash + 2 != text.size()) {
    throw std::invalid_argument("'" + std::string(text) +
                                "' is not a rate (a size per second, e.g. 100MB/s)");
  }
  return parse_bytes(text.substr(0, slash));
}

std::int64_t parse_millicores(std::string_view text) {
  const auto split = engine::split_number_and_unit(text);
  const auto suffix = quantity_suffix(split.unit);
  if (!suffix) {
    fail(text, "is not a cpu quantity (cores like 2 or 0.5, or millicores like 500m)");
  }
  // Amounts finer than a millicore are refused rather than rounded: `cpu: 0.0001` must not silently
  // become a request of nothing.
  const auto milli =
      whole_value(read_decimal(split.number, text), suffix->pow2, suffix->pow10 + 3, text);
  if (!milli) {
    fail(text, "is not a whole number of millicores (the precision is 1m = 0.001 cores)");
  }
  return *milli;
}

}  // namespace wlsim::scenarios

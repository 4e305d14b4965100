#pragma once
// A running sum that receives the same terms again and again (a fluid queue's stationary steps add
// the same weights to the same latency statistics every KPA tick), fast-forwarded without
// changing a bit of what the additions one by one make.
//
// Why it is exact: every double in [2^e, 2^(e+1)) is a multiple of u = 2^(e-52), and nothing else
// in that range is. So while a non-negative sum stays in that binade, sum + x rounds to sum plus x
// rounded to a multiple of u, whatever the sum is -- unless x lies exactly halfway between two
// multiples, where the tie goes to the even neighbour and so depends on the sum. Without a tie,
// one pass over the terms adds a fixed number of u's, and k passes add k times that, in integer
// arithmetic, as long as the sum stays below 2^(e+1). A pass that would cross into the next binade,
// a tie, a negative, subnormal or non-finite value, is added term by term (then the next binade is
// fast-forwarded in turn). Assumes the default rounding (to nearest), and additions that are not
// fused into multiply-adds: the project builds with -ffp-contract=off.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <utility>

namespace wlsim::engine {

/// `sum` after `times` passes of `sum += t` for each t of `terms`, in order: bit for bit the
/// additions' result, in O(terms x binades crossed) instead of O(terms x times).
[[nodiscard]] inline double add_repeatedly(double sum, std::span<const double> terms,
                                           std::uint64_t times) noexcept {
  constexpr std::uint64_t kMantissa = (std::uint64_t{1} << 52) - 1;
  constexpr std::uint64_t kBinadeUnits = std::uint64_t{1} << 53;  // 2^(e+1) in units of u
  // How many passes stay in the sum's binade, and the sum after them; 0 passes when the next one
  // must be added term by term.
  const auto within_binade = [&]() -> std::pair<std::uint64_t, double> {
    // The sum's biased exponent, its sign bit above it: 53..2046 is a positive normal sum whose
    // u = 2^(e-52) is a normal double too. Anything else (zero, negative, subnormal, tiny,
    // infinite, NaN) has no binade to stay in here.
    const auto bits = std::bit_cast<std::uint64_t>(sum);
    const auto biased = bits >> 52;
    if (biased < 53 || biased > 2046) return {0, sum};
    const auto u = std::bit_cast<double>((biased - 52) << 52);
    const auto per_u = std::bit_cast<double>((2098 - biased) << 52);  // 1 / u, exactly
    std::uint64_t units = 0;  // what one pass adds, in u's
    for (const double t : terms) {
      const double q = t * per_u;  // exact, but for overflow or underflow (checked)
      // Negative, NaN, as large as the binade, or bits lost: term by term.
      if (!(q >= 0 && q < 0x1p52) || q * u != t) return {0, sum};
      const auto whole = static_cast<std::uint64_t>(q);
      const double part = q - static_cast<double>(whole);  // exact: q is below 2^52
      if (part == 0.5) return {0, sum};  // a tie: rounds to even, which depends on the sum
      units += whole + (part > 0.5 ? 1 : 0);
      // One pass leaves the binade (and the count stays far from overflow).
      if (units >= kBinadeUnits) return {0, sum};
    }
    // Every term vanishes against the sum: it never moves, however many passes.
    if (units == 0) return {times, sum};
    // The sum is its mantissa's count of u's, in [2^52, 2^53); passes while it stays below 2^53.
    const std::uint64_t at = (bits & kMantissa) | (kMantissa + 1);
    const std::uint64_t passes = std::min(times, (kBinadeUnits - 1 - at) / units);
    return {passes, static_cast<double>(at + passes * units) * u};  // below 2^53 u's: exact
  };
  while (times > 0) {
    const auto [passes, after] = within_binade();
    if (passes > 0) {
      sum = after;
      times -= passes;
    } else {
      for (const double t : terms) sum += t;  // this pass one term at a time
      --times;
    }
  }
  return sum;
}

}  // namespace wlsim::engine

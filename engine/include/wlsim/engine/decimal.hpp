#pragma once
// Exact decimal text → integer scaling, shared by every quantity parser (durations here; sizes,
// rates and cpu in scenarios/). Parsing "1.2GB" through a double would round; these helpers never
// do.

#include <cstdint>
#include <string_view>

namespace wlsim::engine {

/// A quantity's text split into its leading decimal number and its trailing unit ("1.5GB" →
/// "1.5","GB").
struct NumberAndUnit {
  std::string_view number;
  std::string_view unit;
};

/// Splits at the first character that is not a digit or '.'; surrounding spaces are ignored.
/// Throws std::invalid_argument if there is no number.
[[nodiscard]] NumberAndUnit split_number_and_unit(std::string_view text);

/// number × scale, exactly, rounding any digits below 1/scale to nearest. `whole` is the full text,
/// for the error message. Throws std::invalid_argument on a malformed or negative number or on
/// overflow.
[[nodiscard]] std::int64_t scale_decimal(std::string_view number, std::int64_t scale,
                                         std::string_view whole);

}  // namespace wlsim::engine

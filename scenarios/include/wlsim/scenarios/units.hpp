#pragma once
// Quantities in scenario files. Sizes: B, KB, MB, GB, TB (powers of 1000) and KiB, MiB, GiB, TiB
// (powers of 1024); a bare number is bytes. Rates: a size per second ("100MB/s"). CPU: cores ("2",
// "0.5") or millicores ("500m"), in whole millicores. All exact: no value passes through a double.

#include <cstdint>
#include <string_view>

namespace wlsim::scenarios {

/// Throws std::invalid_argument naming the accepted units.
[[nodiscard]] std::int64_t parse_bytes(std::string_view text);
[[nodiscard]] std::int64_t parse_bytes_per_second(std::string_view text);
/// Refuses any amount that is not a whole number of millicores ("0.0001", "1.5m").
[[nodiscard]] std::int64_t parse_millicores(std::string_view text);

}  // namespace wlsim::scenarios

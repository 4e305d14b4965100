#pragma once
// Quantities in scenario files, all exact (no value passes through a double).
// Sizes: wlsim's B, KB, MB, GB, TB (powers of 1000) and KiB, MiB, GiB, TiB (powers of 1024), whose
// digits below a byte round to the nearest byte; or Kubernetes' resource.Quantity suffixes k, M, G,
// T, P, E and Ki, Mi, Gi, Ti, Pi, Ei, or a decimal exponent (1e9, 5E3), which must come to a whole
// number of bytes. A bare number other than 0 is refused with a hint (not read as bytes), and so
// is Kubernetes' milli suffix (512m is half a byte). Rates: a size per second ("100MB/s").
// CPU: cores ("2", "0.5") or any Kubernetes quantity ("500m", "1e3m"), in whole millicores.

#include <cstdint>
#include <string_view>

namespace wlsim::scenarios {

/// Throws std::invalid_argument naming the accepted units.
[[nodiscard]] std::int64_t parse_bytes(std::string_view text);
[[nodiscard]] std::int64_t parse_bytes_per_second(std::string_view text);
/// Refuses any amount that is not a whole number of millicores ("0.0001", "1.5m").
[[nodiscard]] std::int64_t parse_millicores(std::string_view text);

}  // namespace wlsim::scenarios

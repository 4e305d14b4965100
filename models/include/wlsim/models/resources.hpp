#pragma once
// A bundle of schedulable resources, in exact integer units.

#include <cstdint>
#include <string>

namespace wlsim::models {

struct Resources {
  std::int64_t cpu_milli = 0;     ///< cpu in millicores ("500m" = 500, "2" = 2000)
  std::int64_t memory_bytes = 0;  ///< bytes
  std::int64_t gpu = 0;           ///< whole devices

  constexpr Resources& operator+=(const Resources& o) noexcept {
    cpu_milli += o.cpu_milli;
    memory_bytes += o.memory_bytes;
    gpu += o.gpu;
    return *this;
  }
  constexpr Resources& operator-=(const Resources& o) noexcept {
    cpu_milli -= o.cpu_milli;
    memory_bytes -= o.memory_bytes;
    gpu -= o.gpu;
    return *this;
  }
  [[nodiscard]] friend constexpr Resources operator+(Resources a, const Resources& b) noexcept { return a += b; }
  [[nodiscard]] friend constexpr Resources operator-(Resources a, const Resources& b) noexcept { return a -= b; }
  [[nodiscard]] constexpr bool operator==(const Resources&) const noexcept = default;
  /// True when every component of *this is <= the same component of `capacity`.
  [[nodiscard]] constexpr bool fits_in(const Resources& capacity) const noexcept {
    return cpu_milli <= capacity.cpu_milli && memory_bytes <= capacity.memory_bytes && gpu <= capacity.gpu;
  }
};

}  // namespace wlsim::models

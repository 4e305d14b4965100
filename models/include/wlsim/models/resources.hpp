#pragma once
// A bundle of schedulable resources, in exact integer units.

#include <cstdint>
#include <string>

namespace wlsim::models {

struct Resources {
  std::int64_t cpu_milli = 0;     ///< cpu in millicores ("500m" = 500, "2" = 2000)
  std::int64_t memory_bytes = 0;  ///< bytes
  std::int64_t gpu = 0;           ///< whole devices

  // Sums saturate at the int64 range instead of wrapping (UB): a pod of many huge containers then
  // requests "more than any node has" and stays Pending, and a fleet's held total past 9.2 EB reads
  // as that bound. Every single input is bounded far below it by the loader.
  constexpr Resources& operator+=(const Resources& o) noexcept {
    cpu_milli = add(cpu_milli, o.cpu_milli);
    memory_bytes = add(memory_bytes, o.memory_bytes);
    gpu = add(gpu, o.gpu);
    return *this;
  }
  constexpr Resources& operator-=(const Resources& o) noexcept {
    cpu_milli = add(cpu_milli, negate(o.cpu_milli));
    memory_bytes = add(memory_bytes, negate(o.memory_bytes));
    gpu = add(gpu, negate(o.gpu));
    return *this;
  }
  [[nodiscard]] friend constexpr Resources operator+(Resources a, const Resources& b) noexcept {
    return a += b;
  }
  [[nodiscard]] friend constexpr Resources operator-(Resources a, const Resources& b) noexcept {
    return a -= b;
  }
  [[nodiscard]] constexpr bool operator==(const Resources&) const noexcept = default;
  /// True when every component of *this is <= the same component of `capacity`.
  [[nodiscard]] constexpr bool fits_in(const Resources& capacity) const noexcept {
    return cpu_milli <= capacity.cpu_milli && memory_bytes <= capacity.memory_bytes &&
           gpu <= capacity.gpu;
  }

 private:
  static constexpr std::int64_t add(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
  }
  static constexpr std::int64_t negate(std::int64_t v) noexcept {
    return v == INT64_MIN ? INT64_MAX : -v;
  }
};

}  // namespace wlsim::models

#pragma once
// Counter-based random streams. A stream is keyed by (seed, entity, purpose); its i-th draw is a
// hash of (key, i). No stream's draws depend on which other streams exist or in what order they
// were made, so adding a workload to a scenario leaves every other workload's randomness unchanged
// (common random numbers for what-if comparisons).

#include <cstdint>
#include <string_view>

namespace wlsim::engine {

/// A strong 64-bit bijective mixer (SplitMix64's finaliser).
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// FNV-1a over bytes; stable across platforms, used to key streams by name.
[[nodiscard]] constexpr std::uint64_t fnv1a(std::string_view s,
                                            std::uint64_t h = 0xCBF29CE484222325ULL) noexcept {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view entity, std::string_view purpose) noexcept
      : key_(mix64(mix64(seed ^ 0x6A09E667F3BCC909ULL) ^ fnv1a(entity)) ^
             mix64(fnv1a(purpose) + 1)) {}

  /// The next 64 uniformly distributed bits.
  [[nodiscard]] std::uint64_t next_u64() noexcept {
    return mix64(key_ + (++counter_) * 0x9E3779B97F4A7C15ULL);
  }
  /// Uniform on the open interval (0, 1): never 0, so log(u) is always finite, and never 1.
  /// (52 bits plus a half: every value is exact in a double, the largest is 1 - 2^-53.)
  [[nodiscard]] double next_unit() noexcept {
    return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52;
  }
  /// How many draws this stream has made.
  [[nodiscard]] std::uint64_t draws() const noexcept { return counter_; }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

}  // namespace wlsim::engine

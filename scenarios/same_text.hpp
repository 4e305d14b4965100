#pragma once
// Equality of two short texts (the names of a run's rows) without a call: a replication compares
// three names per row of every run, and memcmp's call cost more than the comparison (so did a call
// to this function: it is always inlined).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace wlsim::scenarios {

/// a == b, by whole loads: 8 bytes at a time with the last 8 overlapping, or the first and last 4
/// (overlapping) of a text of 4-7 bytes, or byte by byte below 4.
[[nodiscard, gnu::always_inline]] inline bool same_text(std::string_view a,
                                                       std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  const auto load = [](const char* p, auto word) {
    std::memcpy(&word, p, sizeof word);
    return word;
  };
  const char* p = a.data();
  const char* q = b.data();
  const std::size_t n = b.size();
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load(p + i, std::uint64_t{}) != load(q + i, std::uint64_t{})) return false;
    }
    return load(p + n - 8, std::uint64_t{}) == load(q + n - 8, std::uint64_t{});
  }
  if (n >= 4) {
    return load(p, std::uint32_t{}) == load(q, std::uint32_t{}) &&
           load(p + n - 4, std::uint32_t{}) == load(q + n - 4, std::uint32_t{});
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

}  // namespace wlsim::scenarios

#include "wlsim/engine/hash64.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using wlsim::engine::hash64::fold;

/// The rule of hash64.hpp spelled out byte by byte: the length, then each 8 bytes (the last ones
/// zero-padded) as a little-endian word.
std::uint64_t reference_fold(std::uint64_t h, std::string_view s) {
  h = fold(h, static_cast<std::uint64_t>(s.size()));
  for (std::size_t at = 0; at < s.size(); at += 8) {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < 8 && at + i < s.size(); ++i) {
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
    }
    h = fold(h, w);
  }
  return h;
}

}  // namespace

// The tail is read by whole loads (8 bytes ending at the text's end, or two overlapping ones):
// every length and every alignment in a buffer must give the byte-by-byte words.
TEST_CASE("hash64 reads a text's tail as the zero-padded little-endian word of its bytes",
          "[hash64]") {
  std::string buffer;
  for (int i = 0; i < 64; ++i) buffer.push_back(static_cast<char>(0x80 + 7 * i));  // high bits set
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t size = 0; size <= 40; ++size) {
      const std::string_view s = std::string_view(buffer).substr(offset, size);
      CAPTURE(offset, size);
      CHECK(fold(3, s) == reference_fold(3, s));
      std::uint64_t h = 3;
      std::uint64_t g = 5;
      wlsim::engine::hash64::fold_both(h, g, s);
      CHECK(h == reference_fold(3, s));
      CHECK(g == reference_fold(5, s));
    }
  }
}

TEST_CASE("hash64's tail words of short texts are their bytes in order", "[hash64]") {
  using wlsim::engine::hash64::detail::tail;
  const std::string_view s = "\x01\x02\x03\x04\x05\x06\x07";
  CHECK(tail(s.data() + 1, 1, 1) == 0x01);
  CHECK(tail(s.data() + 2, 2, 2) == 0x0201);
  CHECK(tail(s.data() + 3, 3, 3) == 0x030201);
  CHECK(tail(s.data() + 4, 4, 4) == 0x04030201);
  CHECK(tail(s.data() + 5, 5, 5) == 0x0504030201);
  CHECK(tail(s.data() + 7, 7, 7) == 0x07060504030201);
}

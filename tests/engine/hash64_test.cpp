#include "wlsim/engine/hash64.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace {

using wlsim::engine::hash64::fold;

/// The little-endian word of the up to 8 bytes of `s` from `at`, zero-padded, byte by byte.
std::uint64_t word_at(std::string_view s, std::size_t at) {
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < 8 && at + i < s.size(); ++i)
    w |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return w;
}

/// The rule of hash64::fold spelled out byte by byte: the length, then each 8 bytes (the last
/// ones zero-padded) as a little-endian word.
std::uint64_t reference_fold(std::uint64_t h, std::string_view s) {
  h = fold(h, static_cast<std::uint64_t>(s.size()));
  for (std::size_t at = 0; at < s.size(); at += 8) h = fold(h, word_at(s, at));
  return h;
}

}  // namespace

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

namespace {

using wlsim::engine::hash64::kMix;
using wlsim::engine::hash64::kSeed;
using wlsim::engine::hash64::kStep;
using wlsim::engine::hash64::mum;
using wlsim::engine::hash64::record;
using wlsim::engine::hash64::text;
using wlsim::engine::hash64::text_pair;

/// The rule of hash64::text spelled out: each whole 16 bytes multiplied with the key of its place,
/// then the last 0-15 bytes, zero-padded, with the next key and the length; summed.
std::uint64_t reference_text(std::string_view s) {
  std::uint64_t sum = 0;
  std::uint64_t key = kSeed;
  std::size_t at = 0;
  for (; at + 16 <= s.size(); at += 16, key += kStep)
    sum += mum(word_at(s, at) ^ key, word_at(s, at + 8) ^ kMix);
  const std::uint64_t hi = at + 8 < s.size() ? word_at(s, at + 8) : 0;
  return sum + mum(word_at(s, at) ^ key, hi ^ kMix ^ s.size());
}

}  // namespace

// The tails are read by whole loads (8 bytes ending at the text's end, or two overlapping ones):
// every length and every alignment in a buffer must give the byte-by-byte words.
TEST_CASE("hash64::fold, text and text_pair read every length at every alignment as their byte rules",
          "[hash64]") {
  std::string buffer;
  for (int i = 0; i < 80; ++i) buffer.push_back(static_cast<char>(0x80 + 7 * i));  // high bits set
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t size = 0; size <= 64; ++size) {
      const std::string_view s = std::string_view(buffer).substr(offset, size);
      CAPTURE(offset, size);
      CHECK(fold(3, s) == reference_fold(3, s));
      CHECK(fold(5, s) == reference_fold(5, s));
      CHECK(text(s) == reference_text(s));
      const auto [a, b] = text_pair(s, 11, kSeed);
      CHECK(a == text(s, 11));
      CHECK(b == text(s));
    }
  }
}

// Pinned: every golden trace hash rests on these values, on every machine and compiler.
TEST_CASE("hash64::text and hash64::record of known inputs are fixed constants", "[hash64]") {
  CHECK(text("") == 0x1ff5c2923a788d2cULL);
  CHECK(text("wl-1/p1/r0/app") == 0x3cbfa37c4481e76fULL);
  CHECK(text("Back-off restarting failed container app in pod wl-1/p1/r0") ==
        0xc87688b1e2c9ad44ULL);
  CHECK(record({1, 2, 3, 4, 5, 6, 7, 8}, "wl-1/p1/r0/app", "Started container app") ==
        0xaca295d4e7840d39ULL);
}

TEST_CASE("hash64::text tells a zero-padded tail and moved bytes apart", "[hash64]") {
  CHECK(text("a") != text(std::string_view("a\0", 2)));
  CHECK(text("") != text(std::string_view("\0", 1)));
  CHECK(text("0123456789abcdef") != text(std::string_view("0123456789abcdef\0", 17)));
  // The same two 16-byte blocks in the other order.
  CHECK(text("0123456789abcdefghijklmnopqrstuv") != text("ghijklmnopqrstuv0123456789abcdef"));
}

TEST_CASE("two records that differ in one field have different hashes", "[hash64]") {
  const std::array<std::uint64_t, 8> words{95000000, 11, 22, 33, 44, 1, 95000000, 95000000};
  const std::string object = "wl-1/p1/r0/app";
  const std::string message = "Back-off restarting failed container app in pod wl-1/p1/r0";
  std::set<std::uint64_t> seen{record(words, object, message)};
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (const std::uint64_t delta : {std::uint64_t{1}, std::uint64_t{1} << 40}) {
      std::array<std::uint64_t, 8> w = words;
      w[i] += delta;
      CAPTURE(i, delta);
      CHECK(seen.insert(record(w, object, message)).second);
    }
  }
  for (std::size_t at = 0; at < message.size(); ++at) {
    std::string m = message;
    m[at] ^= 1;
    CAPTURE(at);
    CHECK(seen.insert(record(words, object, m)).second);
  }
  std::string o = object;
  o.back() = 'q';
  CHECK(seen.insert(record(words, o, message)).second);
  // The two texts, or two words, trading places.
  CHECK(seen.insert(record(words, message, object)).second);
  std::array<std::uint64_t, 8> swapped = words;
  std::swap(swapped[1], swapped[2]);
  CHECK(seen.insert(record(swapped, object, message)).second);
  std::swap(swapped[1], swapped[2]);
  std::swap(swapped[0], swapped[2]);
  CHECK(seen.insert(record(swapped, object, message)).second);
}

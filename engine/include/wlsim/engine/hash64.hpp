#pragma once
// The 64-bit hash of the trace and of the keys that find a repeated event, built on wyhash's
// mixing step (multiply two 64-bit words to 128 bits, fold the halves by xor). Text is read 8 bytes
// at a time as little-endian words, whatever the machine's byte order, with its length, so
// ("ab","c") and ("a","bc") differ and a zero-padded tail is unambiguous. fold() chains one step
// per word into a running hash (the keys of repeated events); text() and record() multiply the
// words of a trace record side by side and sum the products, so a record costs the trace's running
// hash one step (the trace was a serial chain of about 25 steps per record before).
//
// Not a cryptographic hash: a fingerprint of a deterministic run, which must be the same on every
// run and machine and change when any folded value changes.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace wlsim::engine::hash64 {

/// wyhash's constants (odd, with well-spread bits).
inline constexpr std::uint64_t kSeed = 0xa0761d6478bd642fULL;
inline constexpr std::uint64_t kMix = 0xe7037ed1a0b428dbULL;
/// The step between the keys of successive places (2^64 over the golden ratio, odd).
inline constexpr std::uint64_t kStep = 0x9e3779b97f4a7c15ULL;

/// Both halves of the 128-bit product of `a` and `b`, folded by xor.
[[nodiscard]] inline std::uint64_t mum(std::uint64_t a, std::uint64_t b) noexcept {
  __extension__ using U128 = unsigned __int128;  // GCC and Clang; __extension__ keeps -Wpedantic
  const U128 p = static_cast<U128>(a) * b;
  return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
}

/// `h` with the word `v` folded in.
[[nodiscard]] inline std::uint64_t fold(std::uint64_t h, std::uint64_t v) noexcept {
  return mum(h ^ kSeed, v ^ kMix);
}

namespace detail {
/// The 8 bytes at `at` as a little-endian word, on every machine.
[[nodiscard]] inline std::uint64_t word(const char* at) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, at, 8);
  if constexpr (std::endian::native != std::endian::little) w = __builtin_bswap64(w);
  return w;
}

/// The last `n` (1-7) bytes of a text of `size` bytes ending at `end`, zero-padded, as a
/// little-endian word. A copy of a variable number of bytes compiles to a byte loop, which was a
/// tenth of the cost of hashing a record: the bytes are read by whole loads instead, 8 ending at
/// `end` when the text is that long (shifted down past the bytes before the tail), else two
/// overlapping loads of 4 bytes, or the first, middle and last of 1-3 bytes (a byte read twice is
/// the same byte at the same place, so or-ing them is exact).
[[nodiscard]] inline std::uint64_t tail(const char* end, std::size_t n, std::size_t size) noexcept {
  const char* at = end - n;
  if (size >= 8) return word(end - 8) >> (8 * (8 - n));
  const auto byte = [](const char* b) {
    return static_cast<std::uint64_t>(static_cast<unsigned char>(*b));
  };
  if (n >= 4) {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    std::memcpy(&lo, at, 4);
    std::memcpy(&hi, end - 4, 4);
    if constexpr (std::endian::native != std::endian::little) {
      lo = __builtin_bswap32(lo);
      hi = __builtin_bswap32(hi);
    }
    return std::uint64_t{lo} | (std::uint64_t{hi} << (8 * (n - 4)));
  }
  // 1-3 bytes: the first, the middle and the last (the same byte more than once when n < 3).
  return byte(at) | (byte(at + n / 2) << (8 * (n / 2))) | (byte(end - 1) << (8 * (n - 1)));
}

/// The last `n` (0-15) bytes of a text of `size` bytes, from `p`, zero-padded, as two
/// little-endian words (text()'s last block).
[[nodiscard]] inline std::array<std::uint64_t, 2> last_block(const char* p, std::size_t n,
                                                             std::size_t size) noexcept {
  std::array<std::uint64_t, 2> block{};
  if (n >= 8) {
    block[0] = word(p);
    if (n > 8) block[1] = tail(p + n, n - 8, size);
  } else if (n > 0) {
    block[0] = tail(p + n, n, size);
  }
  return block;
}
}  // namespace detail

/// `h` with the text `s` folded in: its length, then its bytes, 8 at a time.
[[nodiscard]] inline std::uint64_t fold(std::uint64_t h, std::string_view s) noexcept {
  h = fold(h, static_cast<std::uint64_t>(s.size()));
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) h = fold(h, detail::word(p));
  if (n > 0) h = fold(h, detail::tail(p + n, n, s.size()));
  return h;
}

/// The hash of the text `s` on its own, made for a short latency: each 16 bytes multiplied with
/// a key of their position, all those products independent of each other (the processor runs them
/// side by side, where fold() makes a chain of one multiplication per 8 bytes) and summed; the last
/// 0-15 bytes, zero-padded, multiplied with the length, so a zero-padded tail is unambiguous.
/// `seed` is the first place's key: another seed gives another, independent hash.
[[nodiscard]] inline std::uint64_t text(std::string_view s, std::uint64_t seed = kSeed) noexcept {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t key = seed;
  std::uint64_t sum = 0;
  for (; n >= 16; p += 16, n -= 16, key += kStep) {
    sum += mum(detail::word(p) ^ key, detail::word(p + 8) ^ kMix);
  }
  const auto [lo, hi] = detail::last_block(p, n, s.size());
  return sum + mum(lo ^ key, hi ^ kMix ^ static_cast<std::uint64_t>(s.size()));
}

/// {text(s, seed_a), text(s, seed_b)} in one pass: each word and the tail are read once for both
/// (a repeated event's two keys hash its object and message under two seeds).
[[nodiscard]] inline std::array<std::uint64_t, 2> text_pair(std::string_view s, std::uint64_t seed_a,
                                                            std::uint64_t seed_b) noexcept {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t key_a = seed_a;
  std::uint64_t key_b = seed_b;
  std::uint64_t sum_a = 0;
  std::uint64_t sum_b = 0;
  for (; n >= 16; p += 16, n -= 16, key_a += kStep, key_b += kStep) {
    const std::uint64_t lo = detail::word(p);
    const std::uint64_t hi = detail::word(p + 8) ^ kMix;
    sum_a += mum(lo ^ key_a, hi);
    sum_b += mum(lo ^ key_b, hi);
  }
  const auto [lo, last] = detail::last_block(p, n, s.size());
  const std::uint64_t hi = last ^ kMix ^ static_cast<std::uint64_t>(s.size());
  return {sum_a + mum(lo ^ key_a, hi), sum_b + mum(lo ^ key_b, hi)};
}

/// The hash of the eight words `w` and the two texts `a` and `b`, each multiplied with a key of its
/// place (so no two places can trade values unseen), the products independent and summed: a trace
/// record's hash in the latency of about three multiplications, whatever its number of fields.
[[nodiscard]] inline std::uint64_t record(const std::array<std::uint64_t, 8>& w, std::string_view a,
                                          std::string_view b) noexcept {
  std::uint64_t key = kMix;
  std::uint64_t sum = mum(text(a) ^ kSeed, text(b) ^ kMix);
  for (std::size_t i = 0; i < w.size(); i += 2, key += kStep) {
    sum += mum(w[i] ^ key, w[i + 1] ^ (key + kSeed));
  }
  return sum;
}

}  // namespace wlsim::engine::hash64

#pragma once
// Virtual time: an integer count of microseconds. One type serves as both an instant (time since
// the start of a run) and a duration, the way std::chrono::duration does; integer arithmetic keeps
// every run bit-for-bit reproducible.

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace wlsim::engine {

class Time {
 public:
  constexpr Time() noexcept = default;

  [[nodiscard]] static constexpr Time from_us(std::int64_t us) noexcept { return Time{us}; }
  [[nodiscard]] static constexpr Time from_ms(std::int64_t ms) noexcept { return Time{1000} * ms; }
  [[nodiscard]] static constexpr Time from_seconds(std::int64_t s) noexcept {
    return Time{1000000} * s;
  }
  [[nodiscard]] static constexpr Time from_minutes(std::int64_t m) noexcept {
    return from_seconds(m * 60);
  }
  /// A count of microseconds held in a double, rounded to the nearest one. Beyond the 64-bit range
  /// (or NaN) it is never(): a time too far in the future never comes, it does not wrap into the
  /// past (converting such a double to int64 would be undefined). The one such conversion.
  [[nodiscard]] static Time from_us_f(double us) noexcept;
  /// Seconds as from_us_f; used for sampled values.
  [[nodiscard]] static Time from_seconds_f(double s) noexcept { return from_us_f(s * 1e6); }
  [[nodiscard]] static constexpr Time zero() noexcept { return Time{0}; }
  /// "Never": later than any instant a run can reach.
  [[nodiscard]] static constexpr Time never() noexcept {
    return Time{std::numeric_limits<std::int64_t>::max()};
  }

  [[nodiscard]] constexpr std::int64_t us() const noexcept { return us_; }
  [[nodiscard]] constexpr double seconds() const noexcept { return static_cast<double>(us_) / 1e6; }
  [[nodiscard]] constexpr bool is_never() const noexcept { return *this == never(); }

  constexpr auto operator<=>(const Time&) const noexcept = default;
  // Arithmetic saturates instead of wrapping: never() behaves as +infinity (never + d and never - d
  // stay never), and a sum or product past the 64-bit range clamps to never() (or its negative),
  // so no input can turn a far-future instant into a past one.
  constexpr Time& operator+=(Time d) noexcept { return *this = *this + d; }
  constexpr Time& operator-=(Time d) noexcept { return *this = *this - d; }
  [[nodiscard]] friend constexpr Time operator+(Time a, Time b) noexcept {
    if (a.is_never() || b.is_never()) return never();
    std::int64_t r = 0;
    if (__builtin_add_overflow(a.us_, b.us_, &r)) return b.us_ > 0 ? never() : Time{kMin};
    return Time{r};
  }
  [[nodiscard]] friend constexpr Time operator-(Time a, Time b) noexcept {
    if (a.is_never() && !b.is_never()) return never();
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a.us_, b.us_, &r)) return b.us_ < 0 ? never() : Time{kMin};
    return Time{r};
  }
  [[nodiscard]] friend constexpr Time operator*(Time a, std::int64_t k) noexcept {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a.us_, k, &r)) return (a.us_ < 0) == (k < 0) ? never() : Time{kMin};
    return Time{r};
  }
  [[nodiscard]] friend constexpr Time operator*(std::int64_t k, Time a) noexcept { return a * k; }
  /// How many whole `b` fit in `a` (b > 0).
  [[nodiscard]] friend constexpr std::int64_t operator/(Time a, Time b) noexcept {
    return a.us_ / b.us_;
  }

 private:
  static constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr explicit Time(std::int64_t us) noexcept : us_(us) {}
  std::int64_t us_ = 0;
};

/// Parses "250ms", "30s", "1.5m", "2h", "1d", "100us", and Go's sums of terms ("1h30m",
/// "1h0m0.5s"); a unit is required. Throws std::invalid_argument with a message that lists the
/// accepted units.
[[nodiscard]] Time parse_duration(std::string_view text);

/// Shortest exact text: "45s", "10m30s"-free form is avoided; whole units when exact, else seconds.
[[nodiscard]] std::string format_duration(Time t);

}  // namespace wlsim::engine

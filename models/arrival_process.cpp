#include "wlsim/models/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace wlsim::models {

namespace {
using engine::Time;

constexpr double kUsPerSecond = 1e6;

bool repeats(const RateCurve& c) { return !c.period.is_never() && c.period > Time::zero(); }
/// The end of one period of the curve, in its own frame: never if it does not repeat.
Time frame_end(const RateCurve& c) { return repeats(c) ? c.period : Time::never(); }

/// One piece of the curve in its frame (one period, or all time): linear from r0 at `start` to r1
/// at `end` (never: the constant tail), so that every rule below is written once for constants,
/// steps, ramps, waves and traces.
struct Piece {
  Time start;
  Time end;
  double r0 = 0;
  double r1 = 0;

  [[nodiscard]] bool empty() const { return start >= end; }
  [[nodiscard]] bool constant() const { return r0 == r1; }
  [[nodiscard]] double length_us() const { return static_cast<double>((end - start).us()); }
  [[nodiscard]] double rate(Time x) const {
    if (x <= start) return r0;
    if (x >= end || constant()) return r1;
    return r0 + (r1 - r0) * (static_cast<double>((x - start).us()) / length_us());
  }
  /// Expected arrivals over [a, b] inside the piece: exact (trapezoid) because the rate is linear.
  /// The product comes before the division so that a constant rate over whole seconds is exact.
  [[nodiscard]] double area(Time a, Time b) const {
    if (!(a < b)) return 0;
    return (rate(a) + rate(b)) * 0.5 * static_cast<double>((b - a).us()) / kUsPerSecond;
  }
  /// The offset in µs from `a` at which the area from `a` reaches `d` (0 <= d <= area(a, end)).
  [[nodiscard]] double offset_us(Time a, double d) const {
    const double ra = rate(a);
    if (!(d > 0)) return 0;
    if (constant()) return d * kUsPerSecond / ra;
    // ra·τ + slope·τ²/2 = d, in the form without cancellation (slope may be negative).
    const double slope = (r1 - r0) / (length_us() / kUsPerSecond);
    const double disc = std::max(0.0, ra * ra + 2.0 * slope * d);
    const double tau_us = 2.0 * d / (ra + std::sqrt(disc)) * kUsPerSecond;
    return std::min(tau_us, static_cast<double>((end - a).us()));
  }
};

std::ptrdiff_t knot_count(const RateCurve& c) {
  return static_cast<std::ptrdiff_t>(c.knots.size());
}

/// Piece `i` (the one that starts at knot i; -1: the first knot's value before it), cut at the end
/// of the period. Requires at least one knot.
Piece piece(const RateCurve& c, std::ptrdiff_t i) {
  const auto& k = c.knots;
  const std::ptrdiff_t n = knot_count(c);
  Piece p;
  if (i < 0) {
    p = {Time::zero(), k.front().at, k.front().per_second, k.front().per_second};
  } else {
    const auto at = static_cast<std::size_t>(i);
    if (i + 1 < n) {
      p = {k[at].at, k[at + 1].at, k[at].per_second, k[at + 1].per_second};
    } else {
      p = {k[at].at, Time::never(), k[at].per_second, k[at].per_second};
    }
  }
  const Time stop = frame_end(c);
  if (p.end > stop) {
    p.r1 = p.rate(stop);
    p.end = stop;
  }
  return p;
}

/// The piece holding `u` (in the frame): after the last knot at or before it, so that at a jump
/// it is the piece after the jump.
std::ptrdiff_t index_at(const RateCurve& c, Time u) {
  const auto it = std::upper_bound(c.knots.begin(), c.knots.end(), u,
                                   [](Time x, const RateKnot& k) { return x < k.at; });
  return (it - c.knots.begin()) - 1;
}

/// The next piece that is not empty (two knots at one instant make an empty one).
std::ptrdiff_t next_index(const RateCurve& c, std::ptrdiff_t i) {
  ++i;
  while (i + 1 < knot_count(c) && piece(c, i).empty()) ++i;
  return i;
}

/// A time split into the period it falls in and its place in that period (the curve is defined
/// from the run's start: earlier times read as zero).
struct Framed {
  Time base;
  Time local;
};
Framed framed(const RateCurve& c, Time t) {
  t = std::max(t, Time::zero());
  if (!repeats(c)) return {Time::zero(), t};
  const Time base = c.period * (t / c.period);
  return {base, t - base};
}

/// Expected arrivals over [a, b] within one frame (0 <= a <= b <= the frame's end).
double frame_integral(const RateCurve& c, Time a, Time b) {
  double sum = 0;
  for (std::ptrdiff_t i = index_at(c, a);; i = next_index(c, i)) {
    const Piece p = piece(c, i);
    sum += p.area(std::max(a, p.start), std::min(b, p.end));
    if (p.end >= b || i + 1 >= knot_count(c)) break;
  }
  return sum;
}

constexpr Time kMinute = Time::from_seconds(60);
}  // namespace

double rate_at(const RateCurve& curve, Time t) {
  if (curve.knots.empty()) return 0;
  const Framed f = framed(curve, t);
  return piece(curve, index_at(curve, f.local)).rate(f.local);
}

double expected_arrivals(const RateCurve& curve, Time from, Time to) {
  from = std::max(from, Time::zero());
  if (curve.knots.empty() || !(from < to)) return 0;
  if (!repeats(curve)) return frame_integral(curve, from, to);
  const Framed a = framed(curve, from);
  const Framed b = framed(curve, to);
  if (a.base == b.base) return frame_integral(curve, a.local, b.local);
  // Whole periods as a multiple of one, and the two partial ones at the ends.
  const double whole = static_cast<double>((b.base - a.base) / curve.period - 1);
  double sum = frame_integral(curve, a.local, curve.period);
  if (whole > 0) sum += whole * frame_integral(curve, Time::zero(), curve.period);
  return sum + frame_integral(curve, Time::zero(), b.local);
}

Time next_rate_change(const RateCurve& curve, Time t) {
  if (curve.knots.empty()) return Time::never();
  t = std::max(t, Time::zero());
  Framed f = framed(curve, t);
  std::ptrdiff_t i = index_at(curve, f.local);
  Piece p = piece(curve, i);
  if (!p.constant()) {
    const Time minute = kMinute * (t / kMinute + 1);
    return std::min(minute, f.base + p.end);
  }
  // A constant piece lasts until the first piece that is not constant at the same value; a
  // curve that repeats is constant for ever if a whole period passes without one.
  const double value = p.r0;
  int wraps = 0;
  while (!p.end.is_never()) {
    const Time boundary = f.base + p.end;
    if (repeats(curve) && p.end == curve.period) {
      if (++wraps == 2) return Time::never();
      f.base = boundary;
      i = index_at(curve, Time::zero());
    } else if (i + 1 < knot_count(curve)) {
      i = next_index(curve, i);
    } else {
      return Time::never();
    }
    p = piece(curve, i);
    if (!p.constant() || p.r0 != value) return boundary;
  }
  return Time::never();
}

double fluid_rate(const RateCurve& curve, Time t) {
  if (curve.knots.empty()) return 0;
  t = std::max(t, Time::zero());
  const Framed f = framed(curve, t);
  const Piece p = piece(curve, index_at(curve, f.local));
  if (p.constant()) return p.r0;
  // Within a linear piece the mean over [t, the next change) is the mean of its two ends.
  const Time until = std::min(kMinute * (t / kMinute + 1) - f.base, p.end);
  return (p.rate(f.local) + p.rate(until)) * 0.5;
}

FluidStep fluid_step(const RateCurve& curve, Time t) {
  FluidStep step{fluid_rate(curve, t), next_rate_change(curve, t), true};
  // In a linear piece the rate is the mean over [t, until): it moves with t.
  if (!curve.knots.empty())
    step.holds = piece(curve, index_at(curve, framed(curve, t).local)).constant();
  return step;
}

ArrivalProcess::ArrivalProcess(const RateCurve& curve, ArrivalPattern pattern,
                               engine::RandomStream stream)
    : curve_(curve), pattern_(pattern), stream_(stream) {
  if (curve_.knots.empty()) {
    exhausted_ = true;
    return;
  }
  piece_ = index_at(curve_, Time::zero());
  if (repeats(curve_)) {
    // Detected here, not by walking period after period: a curve that repeats with no arrivals
    // in its period never has another one.
    period_area_ = frame_integral(curve_, Time::zero(), curve_.period);
    exhausted_ = !(period_area_ > 0) || !std::isfinite(period_area_);
  }
}

Time ArrivalProcess::next() {
  if (exhausted_) return Time::never();
  left_ += pattern_ == ArrivalPattern::Even ? 1.0 : -std::log(1.0 - stream_.next_unit());
  // Each turn either returns or moves to the next piece; a period is skipped as a whole when the
  // target lies beyond it, so the number of turns is bounded by about two periods' knots.
  for (;;) {
    const Piece p = piece(curve_, piece_);
    const bool tail = p.end.is_never();
    if (tail && !(p.r0 > 0 && std::isfinite(left_))) {
      exhausted_ = true;
      return Time::never();
    }
    const double area = tail ? 0 : p.area(from_, p.end);
    if (tail || left_ <= area) {
      return base_ + from_ + Time::from_us_f(p.offset_us(from_, left_));
    }
    left_ -= area;
    if (repeats(curve_) && p.end == curve_.period) {
      base_ += curve_.period;
      piece_ = index_at(curve_, Time::zero());
      from_ = Time::zero();
      // One period fewer than fit, so that rounding cannot leave the target behind the start.
      const double periods = std::floor(left_ / period_area_) - 1;
      if (periods >= 1) {
        if (!(periods < 0x1.0p62)) base_ = Time::never();
        base_ += curve_.period * static_cast<std::int64_t>(std::min(periods, 0x1.0p62));
        left_ -= periods * period_area_;
      }
      if (base_.is_never()) {
        exhausted_ = true;
        return Time::never();
      }
    } else {
      piece_ = next_index(curve_, piece_);
      from_ = piece(curve_, piece_).start;
    }
  }
}

}  // namespace wlsim::models

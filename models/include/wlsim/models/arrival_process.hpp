#pragma once
// Arrivals from a rate curve (SEMANTICS.md §8): Poisson or evenly spaced, by inverting the
// cumulative rate, and the piecewise-constant view of the curve that fluid mode integrates.

#include <cstddef>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/time.hpp"
#include "wlsim/models/traffic_spec.hpp"

namespace wlsim::models {

/// The curve's rate at `t` (requests per second); at a jump, the value after it.
[[nodiscard]] double rate_at(const RateCurve& curve, engine::Time t);
/// Expected arrivals in [from, to): the integral of the rate.
[[nodiscard]] double expected_arrivals(const RateCurve& curve, engine::Time from, engine::Time to);

/// Fluid mode holds the rate constant between changes: the first instant after `t` at which it
/// takes a new value, which is the next knot, or within a linear piece the next whole minute of the
/// run (so a ramp or a daily wave is a staircase of one-minute steps); never if the rate stays
/// constant for ever after `t`.
[[nodiscard]] engine::Time next_rate_change(const RateCurve& curve, engine::Time t);
/// The constant rate fluid mode uses from `t` until next_rate_change(t): the mean of the curve
/// over that interval (the value itself when the curve is constant there or for ever).
[[nodiscard]] double fluid_rate(const RateCurve& curve, engine::Time t);

/// fluid_rate() and next_rate_change() at `t`, and whether they hold over the whole step: when the
/// curve is constant there, every t' in [t, until) has the same rate and the same next change, so
/// that fluid mode reads the curve once per step rather than at each change of readiness.
struct FluidStep {
  double rate = 0;
  engine::Time until;
  bool holds = false;
};
[[nodiscard]] FluidStep fluid_step(const RateCurve& curve, engine::Time t);

/// Successive arrival instants of one traffic entry, from time zero. Arrival k (k = 1, 2, ...) is
/// where the cumulative rate reaches E1 + ... + Ek: each Ei is 1 for evenly spaced arrivals and an
/// exponential draw of mean 1 for Poisson ones (a non-homogeneous Poisson process by inversion).
/// Instants are rounded to the microsecond from the exact cumulative target, so rounding never
/// accumulates.
class ArrivalProcess {
 public:
  /// `curve` must outlive the process.
  ArrivalProcess(const RateCurve& curve, ArrivalPattern pattern, engine::RandomStream stream);
  /// The next arrival; never once the rate stays zero for ever.
  [[nodiscard]] engine::Time next();

 private:
  const RateCurve& curve_;
  ArrivalPattern pattern_;
  engine::RandomStream stream_;
  // The cumulative rate is counted from the start of the current piece (`from_` in the period
  // that starts at `base_`, the piece that starts at knot `piece_`), not from time zero: whole
  // periods are then skipped by one subtraction, and a count that grew over years of periods
  // never swallows the next increment.
  double left_ = 0;           ///< cumulative rate from `from_` to the last arrival's target
  engine::Time base_;         ///< start of the current period (zero if the curve does not repeat)
  engine::Time from_;         ///< within the period
  std::ptrdiff_t piece_ = 0;  ///< the knot that starts the piece of `from_` (-1: before it)
  double period_area_ = 0;    ///< expected arrivals per period, for curves that repeat
  bool exhausted_ = false;    ///< the rate is zero for ever: every later arrival is never
};

}  // namespace wlsim::models

#pragma once
// A workload's offered load: the scenario's `traffic` (SEMANTICS.md §8).

#include <string>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/engine/time.hpp"

namespace wlsim::models {

/// One point of a rate curve: `per_second` requests per second at `at` (from the run's start).
struct RateKnot {
  engine::Time at;
  double per_second = 0;
};

/// An arrival rate over time, as knots: linear between consecutive knots, two knots at one instant
/// are a jump (steps, a trace's minutes), the first knot's value holds before it and the last's
/// after it unless the curve is periodic. Every shape the scenario offers (constant, steps, ramp,
/// daily wave, a replayed trace) is one of these, so the arrival process and fluid mode each have
/// one rule for all of them.
struct RateCurve {
  std::vector<RateKnot> knots;  ///< non-decreasing `at`, first at zero, rates finite and >= 0
  /// The curve repeats with this period (a daily wave, a day of trace); never: it does not.
  engine::Time period = engine::Time::never();
};

/// How arrivals are spaced: a (non-homogeneous) Poisson process, or evenly in the cumulative rate.
enum class ArrivalPattern { Poisson, Even };
/// Requests: every request simulated. Fluid: rates instead of requests (M/M/c, Little's law).
enum class TrafficMode { Requests, Fluid };

struct TrafficSpec {
  std::string workload;  ///< the workload id it is sent to
  RateCurve rate;
  ArrivalPattern arrivals = ArrivalPattern::Poisson;
  engine::Distribution service_time;  ///< µs of service per request
  TrafficMode mode = TrafficMode::Requests;
};

}  // namespace wlsim::models

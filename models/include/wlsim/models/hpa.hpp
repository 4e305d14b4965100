#pragma once
// The Kubernetes Horizontal Pod Autoscaler for `cpuAverageUtilization` (SEMANTICS.md §8): one
// policy's recommender. It sees what the metrics pipeline would report at each sync and returns
// the count it wants; the autoscaler (autoscaler.hpp) applies it.

#include <cmath>
#include <deque>
#include <limits>
#include <string_view>

#include "wlsim/engine/time.hpp"

namespace wlsim::models {

/// The replica count that carries `load` replicas' worth of work: ceil(load), except that a load
/// above a whole number by less than one part in 10^9 counts as that number (a metric that is a
/// difference of large floating sums carries such error, and it must not buy a replica);
/// saturating at INT_MAX (an infinite load must not overflow the cast); NaN or <= 0 gives 0.
/// Shared by the HPA and the KPA (inline: the KPA asks it twice a tick).
[[nodiscard]] inline int replicas_for_load(double load) noexcept {
  constexpr double kCountSlack = 1e-9;
  constexpr int kIntMax = std::numeric_limits<int>::max();
  if (!(load > 0)) return 0;
  // Shrinking by a relative 1e-9 before the ceiling keeps any positive load at one replica or more
  // (an absolute epsilon would round a tiny real load down to zero replicas).
  const double n = std::ceil(load * (1.0 - kCountSlack));
  if (!(n < static_cast<double>(kIntMax))) return kIntMax;
  return static_cast<int>(n);
}

struct HpaParams {
  engine::Time period = engine::Time::from_seconds(15);  ///< between syncs
  double tolerance = 0.1;                                ///< |ratio - 1| within it keeps the count
  /// Scale-down takes the largest recommendation of this window.
  engine::Time scale_down_window = engine::Time::from_seconds(300);
};

/// What the HPA sees at one sync.
struct HpaObservation {
  engine::Time now;
  int current = 0;  ///< replicas the proton has (its scale)
  int ready = 0;    ///< of them, ready
  /// Mean over the ready replicas of cpu used / cpu requested over the last period (1.0 = 100 %).
  double ready_utilization = 0;
};

struct HpaDecision {
  int desired = 0;  ///< clamped to [min_count, max_count]
  /// Kubernetes' words for the SuccessfulRescale event ("cpu resource utilization (percentage of
  /// request) above target"; a constant: a sync allocates nothing); used only when desired
  /// differs from current.
  std::string_view reason;
};

class Hpa {
 public:
  /// `target_percent`: the policy's target (50 = 50 % of the request).
  Hpa(const HpaParams& params, double target_percent, int min_count, int max_count);

  /// One sync: ratio = utilization / target; within tolerance the count stays; else desired =
  /// ceil(ratio x ready), with the replicas that are not ready counted at 0 % when that scales up
  /// (Kubernetes' replica_calculator); scale-up at most max(2 x current, current + 4); scale-down
  /// to the largest recommendation of the last scale_down_window (those made after now - window,
  /// now included); clamped to the policy's bounds. With no ready replica (or a NaN utilization) it
  /// keeps the count, clamped. A count outside the bounds is brought to the nearest bound before
  /// any metric is read, as Kubernetes does. Syncs must come in non-decreasing time.
  [[nodiscard]] HpaDecision sync(const HpaObservation& o);

 private:
  struct Recommendation {
    engine::Time at;
    int count;
  };
  /// The metric's own count (Kubernetes' replica_calculator), before stabilization and limits.
  [[nodiscard]] int recommend(const HpaObservation& o) const;
  /// Stores `recommended` and returns what the scale-down stabilization window allows.
  [[nodiscard]] int stabilize(engine::Time now, int current, int recommended);
  /// The scale-up limit and the bounds.
  [[nodiscard]] int limit(int current, int stabilized) const;
  HpaParams params_;
  double target_;
  int min_;
  int max_;
  /// Within the scale-down window, oldest first, each larger than every later one (a later one at
  /// least as large outlives it in the window, so it can never be the largest).
  std::deque<Recommendation> recent_;
};

}  // namespace wlsim::models

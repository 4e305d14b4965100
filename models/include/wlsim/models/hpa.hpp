#pragma once
// The Kubernetes Horizontal Pod Autoscaler for `cpuAverageUtilization` (SEMANTICS.md §8): one
// policy's recommender. It sees what the metrics pipeline would report at each sync and returns
// the count it wants; the autoscaler (autoscaler.hpp) applies it.

#include <deque>
#include <string>

#include "wlsim/engine/time.hpp"

namespace wlsim::models {

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
  /// request) above target"); used only when desired differs from current.
  std::string reason;
};

class Hpa {
 public:
  /// `target_percent`: the policy's target (50 = 50 % of the request).
  Hpa(const HpaParams& params, double target_percent, int min_count, int max_count);

  /// One sync: ratio = utilization / target; within tolerance the count stays; else desired =
  /// ceil(ratio x ready), with the replicas that are not ready counted at 0 % when that scales up
  /// (Kubernetes' replica_calculator); scale-up at most max(2 x current, current + 4); scale-down
  /// to the largest recommendation of the last scale_down_window; clamped to the policy's bounds.
  /// With no ready replica it keeps the count.
  [[nodiscard]] HpaDecision sync(const HpaObservation& o);

 private:
  struct Recommendation {
    engine::Time at;
    int count;
  };
  HpaParams params_;
  double target_;
  int min_;
  int max_;
  std::deque<Recommendation> recent_;  ///< within the scale-down window, oldest first
};

}  // namespace wlsim::models

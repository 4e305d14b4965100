#include "wlsim/models/hpa.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

// Decisions where SEMANTICS.md §8 is silent, following Kubernetes (pkg/controller/podautoscaler,
// horizontal.go and replica_calculator.go, with the default `behavior` of autoscaling/v2):
// - A count outside [min, max] is brought to the bound first, without reading the metric and
//   without storing a recommendation ("Current number of replicas above Spec.MaxReplicas").
// - No ready replica (Kubernetes: "did not receive metrics for any ready pods") keeps the count and
//   stores no recommendation.
// - The recommendation stored for the stabilization window is the metric's own count (before the
//   scale-up limit and the bounds), as Kubernetes stores its prenormalized recommendation; within
//   tolerance that is the current count.
// - The window holds the recommendations made strictly after now - window (v2's behaviour path
//   compares with After(cutoff)), so a recommendation made at T stops counting at T + window. It
//   applies only when the metric's count is below the current one (scale-up stabilization is 0).
// - The scale-up limit max(2 x current, current + 4) is v2's default scale-up policies (100 % and
//   4 pods per 15 s, the larger); syncs are one period apart, so each sync starts a new period.
// - Utilization is used as given: Kubernetes truncates it to a whole percent only because its
//   metrics are integer milli-cores; wlsim's are exact.
// - The tolerance test allows 1e-9 beyond the tolerance, so that a ratio that is on the boundary in
//   decimals (55 % against 50: 0.55 x 100 / 50 = 1.1000000000000003) keeps the count as the rule's
//   "<=" says; Kubernetes' own float comparison would scale there.
// - The event's reason follows the direction of the final count (Kubernetes takes it from the
//   metric's count before stabilization, which can name "below target" on a scale-up that the
//   window forced).

namespace wlsim::models {

namespace {

constexpr double kToleranceSlack = 1e-9;
constexpr int kIntMax = std::numeric_limits<int>::max();

constexpr const char* kAboveTarget =
    "cpu resource utilization (percentage of request) above target";
constexpr const char* kBelowTarget = "All metrics below target";
constexpr const char* kAboveMax = "Current number of replicas above Spec.MaxReplicas";
constexpr const char* kBelowMin = "Current number of replicas below Spec.MinReplicas";

bool within_tolerance(double ratio, double tolerance) {
  return std::abs(ratio - 1.0) <= tolerance + kToleranceSlack;
}

int scale_up_limit(int current) {
  const std::int64_t c = current;
  return static_cast<int>(std::min<std::int64_t>(std::max(2 * c, c + 4), kIntMax));
}

}  // namespace

Hpa::Hpa(const HpaParams& params, double target_percent, int min_count, int max_count)
    : params_(params), target_(target_percent), min_(min_count), max_(max_count) {
  if (!(target_percent > 0) || !std::isfinite(target_percent))
    throw std::invalid_argument("HPA target must be a positive percentage");
  if (min_count < 0 || max_count < min_count)
    throw std::invalid_argument("HPA bounds must satisfy 0 <= minCount <= maxCount");
}

HpaDecision Hpa::sync(const HpaObservation& o) {
  if (o.current > max_) return {max_, kAboveMax};
  if (o.current < min_) return {min_, kBelowMin};
  if (o.ready <= 0 || std::isnan(o.ready_utilization)) return {o.current, {}};

  const int desired = limit(o.current, stabilize(o.now, o.current, recommend(o)));
  if (desired > o.current) return {desired, kAboveTarget};
  if (desired < o.current) return {desired, kBelowTarget};
  return {desired, {}};
}

int Hpa::recommend(const HpaObservation& o) const {
  const double ratio = std::max(o.ready_utilization, 0.0) * 100.0 / target_;
  const int not_ready = std::max(o.current - o.ready, 0);
  if (not_ready == 0 || ratio <= 1.0) {
    if (within_tolerance(ratio, params_.tolerance)) return o.current;
    return replicas_for_load(ratio * o.ready);
  }
  // A scale-up with replicas that are not ready yet: they will take load once ready, so count them
  // at 0 % and scale only if the fleet as a whole is still beyond tolerance in the same direction.
  const double all = static_cast<double>(o.ready) + not_ready;
  const double spread = ratio * o.ready / all;
  if (within_tolerance(spread, params_.tolerance) || spread < 1.0) return o.current;
  // ceil(spread x all) is ceil(ratio x ready) up to rounding; computed the way Kubernetes does.
  return std::max(replicas_for_load(spread * all), o.current);
}

int Hpa::stabilize(engine::Time now, int current, int recommended) {
  const engine::Time cutoff = now - params_.scale_down_window;
  while (!recent_.empty() && recent_.front().at <= cutoff) recent_.pop_front();
  int result = recommended;
  // recent_ keeps only the recommendations that can still be the window's largest (counts
  // decreasing from the front): the front is that largest. A scan of every sync in the window was
  // quadratic with a short period and a long window (period 1ms, window 36500d: hours).
  if (recommended < current && !recent_.empty()) result = std::max(result, recent_.front().count);
  while (!recent_.empty() && recent_.back().count <= recommended) recent_.pop_back();
  recent_.push_back({now, recommended});
  return result;
}

int Hpa::limit(int current, int stabilized) const {
  // Called only with current within [min, max], so the bound and the limit never cross.
  if (stabilized > current) return std::min({stabilized, max_, scale_up_limit(current)});
  return std::clamp(stabilized, min_, max_);
}

}  // namespace wlsim::models

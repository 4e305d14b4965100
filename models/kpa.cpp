#include "wlsim/models/kpa.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "wlsim/models/hpa.hpp"  // replicas_for_load

// Decisions where SEMANTICS.md §8 is silent, following Knative (pkg/autoscaler/scaling/
// autoscaler.go and pkg/reconciler/autoscaling/kpa/scaler.go) unless said otherwise:
// - A tick at the start (nothing observed) keeps the count, as Knative without data.
// - The windows are plain averages of the in-flight integral (Knative weights its stable window
//   exponentially in recent versions; SEMANTICS asks for the average).
// - The rate limits apply to the stable and the panic counts before the panic rule, of
//   max(ready, 1) as Knative (always "reachable": there is no unreachable revision in wlsim).
// - Panic is judged on the panic count before the rate limits, as Knative's dppc / readyPodsCount.
// - In panic the count is the largest of the stable count, the panic count and the previous tick's
//   decision. Knative keeps the largest panic-mode count since panic began (maxPanicPods, 0 at
//   entry); taking the previous decision instead means entering panic never lowers the count
//   either ("in panic the count never goes down"). Before the first tick that is `current`.
// - Panic ends at the first tick with now - (last tick over the threshold) >= stable window, so
//   that it lasts exactly one stable window; Knative's Before() leaves it one tick later.
// - Scale to zero: Knative marks the revision inactive after a stable window with a zero
//   recommendation and scales to zero once the grace period has passed since then, keeping one
//   replica meanwhile; here the first idle tick plays the inactive mark and the grace is counted
//   from it (>=). A proton that is already at zero is left there: holding "at least one" keeps a
//   replica that exists; it does not create one with no traffic.
// - The count rounding uses replicas_for_load (relative 1e-9 slack) because the averages are
//   differences of large floating integrals: over a day at 50 in flight the integral is ~4e6 and
//   its rounding error, divided by a 60 s window, is ~1e-11, which must not buy a replica.
// - Reasons: "concurrency above target" (with "(panic mode)" in panic), "All metrics below target"
//   (Kubernetes' words), and words of their own for the scale to zero and for a bound that turned
//   the direction (Kubernetes' ScalingLimited messages).

namespace wlsim::models {

namespace {

constexpr double kSlopeSlack = 1e-9;
/// Samples a search from the newest end steps over one by one before it gallops.
constexpr int kStepsBack = 4;
constexpr double kIntMax = static_cast<double>(std::numeric_limits<int>::max());

constexpr const char* kAboveTarget = "concurrency above target";
constexpr const char* kAboveTargetPanic = "concurrency above target (panic mode)";
constexpr const char* kBelowTarget = "All metrics below target";
constexpr const char* kToZero =
    "no requests for the stable window and the scale-to-zero grace period";
constexpr const char* kAboveMax =
    "the desired replica count is more than the maximum replica count";
constexpr const char* kBelowMin =
    "the desired replica count is less than the minimum replica count";

/// A buffer that holds a stable window of ticks and then some without growing: the window's
/// ticks, the sample before it and a reading between ticks, and half as many again, so that the
/// samples move back to its start about once every half window (bounded, so that a 1 ms
/// tick under a 1 h window grows as it needs).
std::size_t buffer_capacity(const KpaParams& p) {
  constexpr std::int64_t kMost = 64;
  const std::int64_t ticks = p.tick > engine::Time::zero() ? p.stable_window / p.tick : kMost;
  const auto window = static_cast<std::size_t>(std::clamp<std::int64_t>(ticks + 3, 4, kMost));
  return window + window / 2;
}

/// to - from in microseconds, for instants of the run (sample times, a window's start): the value
/// Time's subtraction gives for finite instants, without its checks for never() and overflow,
/// which a tick's searches and scans would pay at every step.
constexpr std::int64_t us_between(engine::Time from, engine::Time to) noexcept {
  return to.us() - from.us();
}

int saturate(double n) {
  return n < kIntMax ? static_cast<int>(n) : std::numeric_limits<int>::max();
}

bool same_slope(double a, double b) {
  return std::abs(a - b) <= kSlopeSlack * std::max(std::abs(a), std::abs(b));
}

}  // namespace

Kpa::Kpa(const KpaParams& params, double target, int min_count, int max_count, engine::Time start)
    : params_(params),
      target_(target),
      min_(min_count),
      max_(max_count),
      start_(start),
      samples_(buffer_capacity(params)) {
  samples_.push_back({start, 0.0});
  if (!(target > 0) || !std::isfinite(target))
    throw std::invalid_argument("KPA target must be a positive number of requests in flight");
  if (!(params.target_utilization > 0) || !(params.max_scale_up_rate > 0) ||
      !(params.max_scale_down_rate > 0))
    throw std::invalid_argument("KPA target utilization and rates must be positive");
  if (min_count < 0 || max_count < min_count)
    throw std::invalid_argument("KPA bounds must satisfy 0 <= minCount <= maxCount");
}

Kpa::Samples::Samples(const Samples& other)
    : buffer_(other.buffer_.size(), boost::container::default_init), size_(other.size_) {
  std::copy(other.data(), other.data() + size_, buffer_.begin());
}

Kpa::Samples& Kpa::Samples::operator=(const Samples& other) {
  if (this != &other) *this = Samples(other);
  return *this;
}

void Kpa::Samples::make_room() {
  // Back to the start if the samples fill at most three quarters of the buffer (so a move is paid
  // for by at least a quarter of a buffer of appends), else into a buffer twice as large.
  if (4 * size_ <= 3 * buffer_.size()) {
    std::copy(data(), data() + size_, buffer_.begin());  // to the left: overlap is fine
  } else {
    Buffer larger(std::max<std::size_t>(4, 2 * buffer_.size()), boost::container::default_init);
    std::copy(data(), data() + size_, larger.begin());
    buffer_ = std::move(larger);
  }
  head_ = 0;
}

std::size_t Kpa::Samples::lower_bound(std::size_t first, engine::Time t) const noexcept {
  // [lo, hi) holds the answer. The windows' starts lie near the ends (the stable window's at the
  // oldest samples, the panic window's at the newest): galloping from the nearer end finds the
  // bracket among the samples a tick has just read, and stays logarithmic for a long window.
  const Sample* s = data();
  std::size_t lo = first;
  std::size_t hi = size_;
  if (lo == hi) return lo;
  if (us_between(s[lo].at, t) > us_between(t, s[size_ - 1].at)) {
    // The panic window's start lies a few ticks back (3 by default): step over those one by one
    // before galloping, each a plain comparison.
    for (int k = 0; k < kStepsBack; ++k, --hi) {
      if (hi == lo || s[hi - 1].at < t) return hi;
    }
    for (std::size_t step = 1; step <= hi - lo; step *= 2) {
      if (s[hi - step].at < t) {
        lo = hi - step + 1;
        break;
      }
      hi -= step;
    }
  } else {
    for (std::size_t step = 1; step <= hi - lo; step *= 2) {
      if (!(s[lo + step - 1].at < t)) {
        hi = lo + step - 1;
        break;
      }
      lo += step;
    }
  }
  std::size_t n = hi - lo;
  while (n > 0) {
    const std::size_t half = n / 2;
    if (s[lo + half].at < t) {
      lo += half + 1;
      n -= half + 1;
    } else {
      n = half;
    }
  }
  return lo;
}

void Kpa::record(engine::Time now, double integral) {
  if (now < samples_.back().at) throw std::invalid_argument("KPA ticks must not go back in time");
  // Two samples at one instant would make a segment of zero length; the later reading wins.
  if (now == samples_.back().at)
    samples_.back().integral = integral;
  else
    samples_.push_back({now, integral});
  const engine::Time window_start = now - params_.stable_window;
  while (samples_.size() >= 2 && samples_[1].at <= window_start) samples_.pop_front();
}

double Kpa::integral_at(engine::Time t) const {
  if (t <= samples_.front().at) return samples_.front().integral;
  // The first sample at or after t, by bisection: the samples are in time order, and a short tick
  // under a long stable window holds many (tick 1ms, window 1h: 3.6 million, each tick).
  const std::size_t i = samples_.lower_bound(1, t);
  if (i == samples_.size()) return samples_.back().integral;
  const Sample& a = samples_[i - 1];
  const Sample& b = samples_[i];
  const double f =
      static_cast<double>(us_between(a.at, t)) / static_cast<double>(us_between(a.at, b.at));
  return a.integral + (b.integral - a.integral) * f;
}

double Kpa::average(engine::Time now, engine::Time window) const {
  const engine::Time from = std::max(start_, now - window);
  if (now <= from) return 0.0;
  const double mean = (samples_.back().integral - integral_at(from)) / (now - from).seconds();
  // A non-decreasing integral cannot give less than zero; rounding can, and 0 must stay exact.
  return mean > 0 ? mean : 0.0;
}

bool Kpa::constant_over_stable_window(engine::Time now) const {
  const engine::Time window_start = now - params_.stable_window;
  const Sample* s = samples_.data();
  const std::size_t n = samples_.size();
  const auto slope = [s](std::size_t i) {
    return (s[i].integral - s[i - 1].integral) /
           engine::Time::from_us(us_between(s[i - 1].at, s[i].at)).seconds();
  };
  if (n < 2) return false;
  const double last = slope(n - 1);
  for (std::size_t i = 1; i < n; ++i)
    if (s[i].at > window_start && !same_slope(slope(i), last)) return false;
  return true;
}

void Kpa::mark(engine::Time now, bool over_threshold, bool idle) {
  if (over_threshold) {
    panic_ = true;
    panic_since_ = now;
  } else if (panic_ && now - panic_since_ >= params_.stable_window) {
    panic_ = false;
    panic_since_ = engine::Time::never();
  }
  if (!idle)
    idle_since_ = engine::Time::never();
  else if (idle_since_.is_never())
    idle_since_ = now;
}

KpaDecision Kpa::tick(const KpaObservation& o) {
  record(o.now, o.in_flight_integral);
  // Nothing observed yet: Knative has no data to scale on and keeps the scale (an average of 0
  // would otherwise scale a service down at its first tick).
  if (o.now == start_) {
    last_desired_ = std::clamp(o.current, min_, max_);
    settled_ = false;
    return {last_desired_, panic_, reason(o.current, o.current, last_desired_, false)};
  }
  const double per_replica = target_ * params_.target_utilization;
  const double stable_mean = average(o.now, params_.stable_window);
  const int stable_want = replicas_for_load(stable_mean / per_replica);
  const int panic_want = replicas_for_load(average(o.now, params_.panic_window) / per_replica);

  const double ready = std::max(o.ready, 1);
  if (o.ready != limits_.ready) {
    // A function of the ready count alone, which seldom changes between ticks (ceil and floor are
    // calls into libm here).
    limits_ = {o.ready, saturate(std::ceil(params_.max_scale_up_rate * ready)),
               saturate(std::floor(ready / params_.max_scale_down_rate))};
  }
  const auto rate_limited = [this](int n) {
    return std::min(std::max(n, limits_.down_to), limits_.up_to);
  };

  const bool over = panic_want / ready >= params_.panic_threshold;
  const bool idle =
      stable_mean == 0.0 && o.in_flight == 0.0 && o.now - start_ >= params_.stable_window;
  mark(o.now, over, idle);
  int desired = rate_limited(stable_want);
  if (panic_) {
    const int previous = last_desired_ >= 0 ? last_desired_ : o.current;
    desired = std::max({desired, rate_limited(panic_want), previous});
  }

  bool zero_pending = false;
  if (desired == 0 && o.current > 0) {
    const bool may_zero = idle && o.now - idle_since_ >= params_.scale_to_zero_grace;
    if (!may_zero) {
      desired = 1;
      zero_pending = min_ == 0;
    }
  }

  const int wanted = desired;
  desired = std::clamp(desired, min_, max_);
  last_desired_ = desired;
  // The scan of the window last: the other conditions are one comparison each.
  settled_ = o.now - start_ >= params_.stable_window && !panic_ && !zero_pending &&
             desired == o.current && constant_over_stable_window(o.now);

  return {desired, panic_, reason(o.current, wanted, desired, panic_), over, idle, settled_};
}

void Kpa::retake(const KpaObservation& o, const KpaDecision& d) {
  record(o.now, o.in_flight_integral);
  mark(o.now, d.over_threshold, d.idle);
  last_desired_ = d.desired;
  settled_ = d.settled;
}

std::string_view Kpa::reason(int current, int wanted, int desired, bool panic) const {
  if (desired > current)
    return wanted < min_ ? kBelowMin : panic ? kAboveTargetPanic : kAboveTarget;
  if (desired < current) return wanted > max_ ? kAboveMax : desired == 0 ? kToZero : kBelowTarget;
  return {};
}

int Kpa::activate(double in_flight) const {
  const int wanted = replicas_for_load(in_flight / (target_ * params_.target_utilization));
  return std::min(std::max({1, min_, wanted}), max_);
}

bool Kpa::settled() const noexcept { return settled_; }

}  // namespace wlsim::models

#include "wlsim/models/autoscaler.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "wlsim/engine/prefetch.hpp"
#include "wlsim/models/proton.hpp"

namespace wlsim::models {

using engine::Time;

const char* to_string(ScalingMetric m) noexcept {
  switch (m) {
    case ScalingMetric::CpuAverageUtilization:
      return "cpuAverageUtilization";
    case ScalingMetric::HttpRequestsConcurrency:
      return "httpRequestsConcurrency";
  }
  return "?";
}

int initial_scale(const RuntimeSpec& runtime, int count) {
  if (!runtime.autoscaling.enabled || runtime.autoscaling.policies.empty()) return count;
  int lo = 0;
  int hi = 0;
  for (const ScalingPolicy& p : runtime.autoscaling.policies) {
    lo = std::max(lo, p.min_count);
    hi = std::max(hi, p.max_count);
  }
  return std::clamp(count, lo, std::max(lo, hi));
}

ServingProfile serving_profile(const Proton& p) {
  const ContainerSpec& c = p.primary();
  ServingProfile s;
  s.concurrency = std::max(1, c.behavior.concurrency);
  s.cpu_request = static_cast<double>(c.resources.cpu_milli) / 1000.0;
  s.cpu_per_request = c.behavior.cpu_per_request.value_or(s.cpu_request / s.concurrency);
  return s;
}

Autoscaler::Autoscaler(const Context& ctx, const PlatformSettings& settings, AutoscalerOwner& owner)
    : ctx_(ctx), settings_(settings), owner_(owner) {}

Autoscaler::~Autoscaler() {
  ctx_.sim.cancel(hpa_timer_);
  ctx_.sim.cancel(kpa_timer_);
}

bool Autoscaler::panic() const noexcept {
  return std::any_of(policies_.begin(), policies_.end(),
                     [](const Policy& p) { return p.kpa() != nullptr && p.kpa()->panicking(); });
}

void Autoscaler::attach(Proton& holder, Traffic* traffic) {
  detach();
  holder_ = &holder;
  traffic_ = traffic;
  traffic_bytes_ = traffic_ != nullptr ? traffic_->reading_bytes() : 0;
  desired_ = holder.scale();
  const AutoscalingSpec& spec = holder.runtime().autoscaling;
  if (!spec.enabled) return;
  anchor_ = ctx_.now();
  last_sync_ = anchor_;
  last_busy_ = traffic_ != nullptr ? traffic_->busy_integral() : 0.0;
  for (const ScalingPolicy& p : spec.policies) {
    if (p.metric == ScalingMetric::CpuAverageUtilization) {
      policies_.push_back(
          {p, Hpa(settings_.hpa, p.target, p.min_count, p.max_count), holder.scale(), {}});
    } else {
      policies_.push_back(
          {p, Kpa(settings_.kpa, p.target, p.min_count, p.max_count, anchor_), holder.scale(), {}});
    }
    (p.metric == ScalingMetric::CpuAverageUtilization ? has_hpa_ : has_kpa_) = true;
  }
  kpa_base_ = traffic_ != nullptr ? traffic_->in_flight_integral() : 0.0;
  if (has(ScalingMetric::CpuAverageUtilization))
    hpa_timer_ = ctx_.sim.schedule_in(settings_.hpa.period, *this, kHpaSync);
  if (has(ScalingMetric::HttpRequestsConcurrency))
    kpa_timer_ = ctx_.sim.schedule_in(settings_.kpa.tick, *this, kKpaTick);
}

void Autoscaler::detach() {
  catch_up();
  ctx_.sim.cancel_and_reset(hpa_timer_);
  ctx_.sim.cancel_and_reset(kpa_timer_);
  policies_.clear();
  has_hpa_ = false;
  has_kpa_ = false;
  holder_ = nullptr;
  traffic_ = nullptr;
  kpa_resting_ = false;
  policy_ = {};
}

void Autoscaler::on_event(std::uint64_t token) {
  if (token == kHpaSync) {
    hpa_timer_ = {};
    sync_hpa();
    if (holder_ != nullptr)
      hpa_timer_ = ctx_.sim.schedule_in(settings_.hpa.period, *this, kHpaSync);
  } else {
    kpa_timer_ = {};
    tick_kpa();
  }
}

void Autoscaler::sync_hpa() {
  const Time now = ctx_.now();
  const ServingProfile profile = serving_profile(*holder_);
  const double busy = traffic_ != nullptr ? traffic_->busy_integral() : 0.0;
  const double period = (now - last_sync_).seconds();
  const int ready = holder_->ready_count();
  // The mean over the ready replicas of cpu used / cpu requested over the last period.
  const double used = (busy - last_busy_) * profile.cpu_per_request;
  const double utilization = ready > 0 && period > 0 && profile.cpu_request > 0
                                 ? used / (period * ready * profile.cpu_request)
                                 : 0.0;
  last_busy_ = busy;
  last_sync_ = now;
  for (Policy& p : policies_) {
    Hpa* hpa = p.hpa();
    if (hpa == nullptr) continue;
    const HpaDecision d = hpa->sync({now, holder_->scale(), ready, utilization});
    p.recommended = d.desired;
    p.reason = d.reason;
  }
  decide();
}

void Autoscaler::tick_kpa() {
  // Most ticks of a large fleet find the traffic and the proton out of cache: ask for both first.
  if (traffic_ != nullptr) engine::prefetch(traffic_, traffic_bytes_);
  if (holder_ != nullptr) holder_->prefetch_counts();
  take_silent_ticks();  // the timer has come due: all of them have passed
  const Time now = ctx_.now();
  last_kpa_tick_ = now;
  const LoadReading load = traffic_ != nullptr ? traffic_->read_load(now) : LoadReading{};
  bool settled = !has(ScalingMetric::CpuAverageUtilization);
  for (Policy& p : policies_) {
    Kpa* kpa = p.kpa();
    if (kpa == nullptr) continue;
    const KpaDecision d = kpa->tick({now, load.in_flight_integral - kpa_base_, holder_->scale(),
                                     holder_->ready_count(), load.in_flight});
    p.recommended = d.desired;
    p.reason = d.reason;
  }
  decide();
  for (const Policy& p : policies_) settled = settled && (p.kpa() == nullptr || p.kpa()->settled());
  if (settled) {
    kpa_resting_ = true;
  } else {
    kpa_timer_ = ctx_.sim.schedule_in(settings_.kpa.tick, *this, kKpaTick);
    foresee_ticks();
  }
}

void Autoscaler::foresee_ticks() {
  if (!ctx_.pass_silently || traffic_ == nullptr || holder_ == nullptr || policies_.size() != 1 ||
      policies_.front().kpa() == nullptr)
    return;
  // While replicas start or stop, the ready count will change before long and end what was
  // foreseen (catch_up): at 5,000 workloads a third of the ticks foreseen were never taken, 7 % of
  // the run's instructions. Then only a few ticks are foreseen.
  constexpr std::size_t kAhead = Foresight::kMost;
  const std::size_t horizon =
      holder_->ready_count() != holder_->scale() ? Foresight::kMostWhileStarting : kAhead;
  const Kpa& kpa = *policies_.front().kpa();
  std::array<Time, kAhead> at{};
  for (std::size_t i = 0; i < horizon; ++i)
    at[i] = last_kpa_tick_ + settings_.kpa.tick * static_cast<std::int64_t>(i + 1);
  std::array<LoadReading, kAhead> load{};
  const std::size_t n = traffic_->foresee(std::span(at).first(horizon), load);
  if (n == 0) return;
  Foresight seen{};
  seen.current = holder_->scale();
  seen.ready = holder_->ready_count();
  seen.panic = kpa.panicking();
  Kpa ahead = kpa;
  for (; seen.silent < n; ++seen.silent) {
    const LoadReading& r = load[seen.silent];
    const KpaDecision d = ahead.tick(
        {at[seen.silent], r.in_flight_integral - kpa_base_, seen.current, seen.ready, r.in_flight});
    if (d.desired != seen.current || d.panic != seen.panic || d.settled) break;
    seen.over_threshold |= std::uint32_t{d.over_threshold} << seen.silent;
    seen.idle |= std::uint32_t{d.idle} << seen.silent;
  }
  if (seen.silent == 0 || !ctx_.sim.repeat_silently(kpa_timer_, settings_.kpa.tick, seen.silent))
    return;
  foresight_ = seen;
}

void Autoscaler::take_silent_ticks() {
  const std::uint32_t left = ctx_.sim.silent_repeats(kpa_timer_);
  const std::uint32_t passed = foresight_.silent - left;
  foresight_.silent = left;
  if (passed == 0) return;
  Policy& policy = policies_.front();
  Kpa& kpa = *policy.kpa();
  std::array<Time, Foresight::kMost> ticks{};
  std::array<LoadReading, Foresight::kMost> loads{};
  Time next = last_kpa_tick_;
  for (std::uint32_t i = 0; i < passed; ++i) {
    next = next + settings_.kpa.tick;
    ticks[i] = next;
  }
  traffic_->read_loads(std::span(ticks).first(passed), loads);
  for (std::uint32_t i = 0; i < passed; ++i, ++foresight_.taken) {
    const Time at = ticks[i];
    const LoadReading& r = loads[i];
    // As foreseen: the same count and mode, not settled; decide() would change nothing then.
    KpaDecision d;
    d.desired = foresight_.current;
    d.panic = foresight_.panic;
    d.over_threshold = ((foresight_.over_threshold >> foresight_.taken) & 1U) != 0;
    d.idle = ((foresight_.idle >> foresight_.taken) & 1U) != 0;
    kpa.retake(
        {at, r.in_flight_integral - kpa_base_, foresight_.current, foresight_.ready, r.in_flight},
        d);
    last_kpa_tick_ = at;
    policy.recommended = d.desired;
    policy.reason = d.reason;
  }
}

void Autoscaler::catch_up() {
  if (foresight_.silent == 0) return;
  take_silent_ticks();
  // What moves or reads the traffic now may change what was foreseen: the next tick decides.
  ctx_.sim.repeat_silently(kpa_timer_, settings_.kpa.tick, 0);
  foresight_.silent = 0;
}

void Autoscaler::on_load_changed() {
  catch_up();
  if (!kpa_resting_ || holder_ == nullptr) return;
  kpa_resting_ = false;
  // The concurrency was constant since the last tick: one reading now keeps the windows exact.
  const double integral = traffic_ != nullptr ? traffic_->in_flight_integral() - kpa_base_ : 0.0;
  for (Policy& p : policies_) {
    if (Kpa* kpa = p.kpa(); kpa != nullptr) kpa->observe(ctx_.now(), integral);
  }
  // Back on the tick grid: the first tick at or after now, after the last one.
  const Time tick = settings_.kpa.tick;
  const Time now = ctx_.now();
  std::int64_t k = (now - anchor_) / tick;
  Time next = anchor_ + tick * k;
  if (next < now || next <= last_kpa_tick_) next = next + tick;
  kpa_timer_ = ctx_.sim.schedule_at(next, *this, kKpaTick);
}

bool Autoscaler::scale_from_zero(double in_flight) {
  if (holder_ == nullptr || holder_->scale() != 0) return false;
  int count = 0;
  for (const Policy& p : policies_) {
    if (const Kpa* kpa = p.kpa(); kpa != nullptr) count = std::max(count, kpa->activate(in_flight));
  }
  if (count == 0) return false;
  for (Policy& p : policies_)
    p.recommended = std::max(p.recommended, p.kpa() != nullptr ? count : 0);
  policy_ = to_string(ScalingMetric::HttpRequestsConcurrency);
  desired_ = count;
  rescale(count, "a request arrived at zero replicas (activator)");
  on_load_changed();
  return true;
}

void Autoscaler::decide() {
  if (holder_ == nullptr || policies_.empty()) return;
  const Policy* won = &policies_.front();
  for (const Policy& p : policies_) {
    if (p.recommended > won->recommended) won = &p;
  }
  desired_ = won->recommended;
  policy_ = to_string(won->spec.metric);
  if (desired_ != holder_->scale()) {
    rescale(desired_, won->reason);
  } else {
    owner_.on_autoscaled();  // the mode (panic or stable) may have changed; the owner compares
  }
}

void Autoscaler::rescale(int count, std::string_view reason) {
  ++scale_events_;
  std::string& message = ctx_.text_buffer;  // recorded at once: nothing allocated per rescale
  message = "New size: ";
  message += std::to_string(count);
  message += "; reason: ";
  message += reason;
  ctx_.event(holder_->path(), EventType::Normal, Reason::SuccessfulRescale, message);
  holder_->scale_to(count);
  owner_.on_autoscaled();
}

}  // namespace wlsim::models

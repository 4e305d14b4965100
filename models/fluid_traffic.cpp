#include "wlsim/models/fluid_traffic.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>

#include "wlsim/models/arrival_process.hpp"
#include "wlsim/models/proton.hpp"

namespace wlsim::models {

using engine::Time;

FluidTraffic::FluidTraffic(const Context& ctx, const TrafficSpec& spec,
                           const ActivatorParams& activator, LoadListener* listener)
    : ctx_(ctx),
      spec_(spec),
      listener_(listener),
      service_s_(spec.service_time.mean() / 1e6),
      queue_(activator.capacity, activator.request_timeout, &latency_, ctx.sojourn_memo) {}

FluidTraffic::~FluidTraffic() {
  ctx_.sim.cancel(rate_timer_);
  ctx_.sim.cancel(queue_timer_);
}

void FluidTraffic::hold(Proton& holder) {
  if (released_) {
    // Arrivals while the workload was stopped found nothing to serve them.
    stopped_arrivals_ += expected_arrivals(spec_.rate, released_since_, ctx_.now());
  }
  released_ = false;
  holder_ = &holder;
  begun_ = true;
  refresh();
}

void FluidTraffic::release() {
  advance_to_now();
  // What waits is lost; what the stationary queue holds was counted served when it arrived.
  torn_down_ += queue_.backlog();
  static_cast<void>(queue_.drop_all(ctx_.now()));
  released_ = true;
  released_since_ = ctx_.now();
  holder_ = nullptr;
  cold_start_ = false;
  refresh();
}

void FluidTraffic::on_replica_readiness(Proton& p, Replica&, bool) {
  if (&p != holder_) return;
  if (p.ready_count() > 0) end_cold_start();
  refresh();
}

void FluidTraffic::end_cold_start() {
  if (!cold_start_) return;
  cold_start_ = false;
  advance_to_now();
  // Arrivals of the cold start waited, evenly spread, from 0 to its length.
  const double met = queue_.totals().arrived - cold_arrived_;
  const double length = (ctx_.now() - cold_since_).seconds();
  totals_.cold_start_requests += met;
  if (met > 0) {
    constexpr int kStrata = 8;
    for (int k = 0; k < kStrata; ++k) cold_wait_.add(length * (k + 0.5) / kStrata, met / kStrata);
  }
}

void FluidTraffic::refresh() {
  catch_up_listener();
  const Time now = ctx_.now();
  ctx_.sim.cancel_and_reset(rate_timer_);
  ctx_.sim.cancel_and_reset(queue_timer_);
  const bool arriving = begun_ && !released_;
  if (arriving && !(step_.holds && step_from_ <= now && now < step_.until)) {
    step_ = fluid_step(spec_.rate, now);
    step_from_ = now;
  }
  rate_ = arriving ? step_.rate : 0.0;
  const ServingProfile profile = holder_ != nullptr ? serving_profile(*holder_) : ServingProfile{};
  // In 64 bits: raised limits allow more ready replicas x concurrency than an int holds.
  const std::int64_t slots =
      holder_ != nullptr ? std::int64_t{holder_->ready_count()} * profile.concurrency : 0;
  const int servers = static_cast<int>(std::min<std::int64_t>(slots, INT_MAX));
  queue_.set(now, rate_, servers, service_s_);
  if (rate_ > 0 && holder_ != nullptr && holder_->scale() == 0 && !cold_start_ &&
      listener_ != nullptr && listener_->scale_from_zero(queue_.in_flight())) {
    cold_start_ = true;
    cold_since_ = now;
    cold_arrived_ = queue_.totals().arrived;
    totals_.cold_starts += 1;
  }
  if (arriving && !step_.until.is_never()) {
    rate_timer_ = ctx_.sim.schedule_at(step_.until, *this, kRateChange);
  }
  const Time kink = queue_.next_change();
  // At least a microsecond on: the queue has just been brought to now, so a change due now has
  // happened; a later one cannot make the clock stand still.
  if (!kink.is_never())
    queue_timer_ =
        ctx_.sim.schedule_at(std::max(kink, now + Time::from_us(1)), *this, kQueueChange);
  if (listener_ != nullptr) listener_->on_load_changed();
}

void FluidTraffic::on_event(std::uint64_t token) {
  if (token == kRateChange) rate_timer_ = {};
  if (token == kQueueChange) queue_timer_ = {};
  refresh();
}

double FluidTraffic::in_flight_integral() {
  advance_to_now();
  return queue_.totals().in_flight_integral;
}

double FluidTraffic::busy_integral() {
  advance_to_now();
  return queue_.totals().busy_integral;
}

double FluidTraffic::in_flight() {
  advance_to_now();
  return queue_.in_flight();
}

LoadReading FluidTraffic::read_load(Time at) {
  queue_.advance(at);
  return {queue_.totals().in_flight_integral, queue_.in_flight()};
}

void FluidTraffic::read_loads(std::span<const Time> at, std::span<LoadReading> out) {
  std::array<double, kMostForeseen> integral{};
  std::array<double, kMostForeseen> in_flight{};
  const std::size_t n = std::min({at.size(), out.size(), integral.size()});
  queue_.advance_steady(at.first(n), std::span(integral).first(n), std::span(in_flight).first(n));
  for (std::size_t i = 0; i < n; ++i) out[i] = {integral[i], in_flight[i]};
  if (n < at.size()) Traffic::read_loads(at.subspan(n), out.subspan(n));
}

std::size_t FluidTraffic::foresee(std::span<const Time> at, std::span<LoadReading> out) {
  if (!queue_.steady()) return 0;
  // Not past the next change of rate: it will touch the queue, and the listener catch up then.
  const Time change = std::min(ctx_.sim.when(rate_timer_), ctx_.sim.when(queue_timer_));
  std::size_t n = 0;
  while (n < at.size() && n < out.size() && at[n] < change) ++n;
  std::array<double, kMostForeseen> integral{};
  n = std::min(n, integral.size());
  queue_.foresee(at.first(n), std::span<double>(integral).first(n));
  const double in_flight = queue_.steady_in_flight();
  for (std::size_t i = 0; i < n; ++i) out[i] = {integral[i], in_flight};
  return n;
}

const TrafficTotals& FluidTraffic::totals() {
  advance_to_now();
  const FluidTotals& q = queue_.totals();
  const double stopped =
      stopped_arrivals_ +
      (released_ ? expected_arrivals(spec_.rate, released_since_, ctx_.now()) : 0.0);
  totals_.arrived = q.arrived + stopped;
  totals_.dropped_torn_down = torn_down_ + stopped;
  totals_.served = q.served;
  totals_.service_sum = q.served * service_s_;
  // Expected values come out of floating-point integration: a residue far below one request in
  // the whole run (3.6e-14 timeouts) is rounding, not a drop.
  const double residue = 1e-9 * std::max(1.0, totals_.arrived);
  const auto clean = [residue](double v) { return std::abs(v) < residue ? 0.0 : v; };
  totals_.dropped_timeout = clean(q.dropped_timeout);
  totals_.dropped_full = clean(q.dropped_full);
  return totals_;
}

}  // namespace wlsim::models

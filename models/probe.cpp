#include "wlsim/models/probe.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace wlsim::models {

using engine::Time;

ProbeSpec default_probe(Profile profile, std::string path) {
  ProbeSpec p;
  p.path = std::move(path);
  if (profile == Profile::Platform) {  // the platform's ProbeConfig defaults
    p.initial_delay = Time::from_seconds(30);
    p.period = Time::from_seconds(30);
    p.timeout = Time::from_seconds(30);
  } else {  // Kubernetes (pkg/apis/core/v1/defaults.go)
    p.initial_delay = Time::zero();
    p.period = Time::from_seconds(10);
    p.timeout = Time::from_seconds(1);
  }
  p.failure_threshold = 3;
  p.success_threshold = 1;
  return p;
}

const char* to_string(ProbeKind k) noexcept {
  switch (k) {
    case ProbeKind::Readiness:
      return "Readiness";
    case ProbeKind::Liveness:
      return "Liveness";
    case ProbeKind::Startup:
      return "Startup";
  }
  return "?";
}

const char* to_string(Scheme s) noexcept { return s == Scheme::Https ? "HTTPS" : "HTTP"; }

void append_failure_text(std::string& out, ProbeFailure f, const ProbeSpec& spec) {
  // The pod's address unless the probe names a host.
  const std::string_view host = spec.host.empty() ? std::string_view("10.0.0.1") : spec.host;
  const auto url = [&] {
    out += spec.scheme == Scheme::Https ? "https://" : "http://";
    out += host;
    out += ':';
    out += std::to_string(spec.port);
    out += spec.path;
  };
  switch (f) {
    case ProbeFailure::None:
      return;
    case ProbeFailure::ConnectionRefused:
      out += "Get \"";
      url();
      out += "\": dial tcp ";
      out += host;
      out += ':';
      out += std::to_string(spec.port);
      out += ": connect: connection refused";
      return;
    case ProbeFailure::Timeout:
      // Kubernetes names the scheme in capitals and no host here.
      out += "Get \"";
      out += to_string(spec.scheme);
      out += "://:";
      out += std::to_string(spec.port);
      out += spec.path;
      out += "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
      return;
    case ProbeFailure::HttpToTls:
      out += "HTTP probe failed with statuscode: 400";  // "HTTP request to an HTTPS server"
      return;
    case ProbeFailure::TlsToHttp:
      out += "Get \"";
      url();
      out += "\": http: server gave HTTP response to HTTPS client";
      return;
    case ProbeFailure::NotFound:
      out += "HTTP probe failed with statuscode: 404";
      return;
    case ProbeFailure::NotReady:
      out += "HTTP probe failed with statuscode: 503";
      return;
  }
}

Probe::Probe(const Context& ctx, ProbeKind kind, const ProbeSpec& spec, ProbeTarget& target,
             std::string_view entity)
    : ctx_(ctx), spec_(spec), target_(target), kind_(kind), committed_(initial_result()) {
  if (ctx_.kubelet.probe_phase_offset) {
    // Drawn once, as Kubernetes' worker sleeps once before its ticker starts; a stream of its own
    // so that turning the offset on moves no other draw.
    engine::RandomStream rng = ctx_.stream(entity, std::string("probe-phase-") + to_string(kind_));
    const double us = std::floor(rng.next_unit() * static_cast<double>(spec_.period.us()));
    phase_ = Time::from_us(static_cast<std::int64_t>(us));  // next_unit() < 1: below the period
  }
}

// Counting the silent fires in touches only the simulator and the event series, which outlive it.
Probe::~Probe() { stop(); }

Probe::Result Probe::initial_result() const noexcept {
  switch (kind_) {
    case ProbeKind::Readiness:
      return Result::Failure;
    case ProbeKind::Liveness:
      return Result::Success;
    case ProbeKind::Startup:
      return Result::Unknown;
  }
  return Result::Unknown;
}

void Probe::start(Time started) { start(started, started + spec_.initial_delay); }

void Probe::start(Time started, Time from) {
  stop();
  active_ = true;
  origin_ = grid_origin(started + spec_.initial_delay);
  natural_next_ = first_grid_at_or_after(std::max(from, ctx_.now()));
  fire_timer_ = ctx_.sim.schedule_at(natural_next_, *this, kFire);
}

void Probe::stop() {
  count_silent();
  ctx_.sim.cancel_and_reset(fire_timer_);
  ctx_.sim.cancel_and_reset(answer_timer_);
  active_ = false;
  last_ = Result::Unknown;
  run_ = 0;
  committed_ = initial_result();
}

void Probe::poke() {
  count_silent();  // the answer may change: the next fire calls the probe
  if (!active_ || ctx_.sim.is_pending(answer_timer_)) return;  // a probe in flight sees the change
  const Time due = first_grid_at_or_after(std::max(natural_next_, ctx_.now()));
  if (ctx_.sim.when(fire_timer_) <= due) return;
  ctx_.sim.cancel(fire_timer_);
  fire_timer_ = ctx_.sim.schedule_at(due, *this, kFire);
}

Time Probe::grid_origin(Time delay_over) {
  if (!phase_) return delay_over;
  if (ticker_.is_never()) ticker_ = delay_over + *phase_;
  // The ticker runs both ways from the tick kept: the first tick at or after delay_over.
  if (delay_over <= ticker_)
    return ticker_ - spec_.period * ((ticker_ - delay_over) / spec_.period);
  return ticker_ +
         spec_.period * ((delay_over - ticker_ + spec_.period - Time::from_us(1)) / spec_.period);
}

Time Probe::first_grid_at_or_after(Time t) const noexcept {
  if (t <= origin_) return origin_;
  const std::int64_t k = (t - origin_ + spec_.period - Time::from_us(1)) / spec_.period;
  return origin_ + spec_.period * k;
}

void Probe::on_event(std::uint64_t token) {
  if (token == kFire) {
    count_silent();
    fire();
  } else {
    answer_timer_ = {};
    conclude(pending_success_, pending_failure_);
    arm_next();
  }
}

void Probe::fire() {
  fire_timer_ = {};
  fired_at_ = ctx_.now();
  ++sent_;
  ProbeAnswer a = target_.answer(spec_, kind_);
  if (a.latency > spec_.timeout) {
    a.success = false;
    a.failure = ProbeFailure::Timeout;
    a.latency = spec_.timeout;
  }
  if (a.latency == Time::zero()) {
    conclude(a.success, a.failure);
    arm_next();
    if (!a.success) pass_failures_silently(a.failure);
    return;
  }
  pending_success_ = a.success;
  pending_failure_ = a.failure;
  answer_timer_ = ctx_.sim.schedule_in(a.latency, *this, kAnswer);
}

void Probe::conclude(bool success, ProbeFailure failure) {
  const Result r = success ? Result::Success : Result::Failure;
  run_ = (r == last_) ? run_ + 1 : 1;
  last_ = r;
  if (!success) target_.on_probe_failed(kind_, spec_, failure, failure_series_);
  const int needed = success ? spec_.success_threshold : spec_.failure_threshold;
  if (run_ >= needed && committed_ != r) {
    committed_ = r;
    target_.on_probe_committed(kind_, success);  // may stop or restart this probe
  }
}

void Probe::arm_next() {
  if (!active_ || ctx_.sim.is_pending(fire_timer_)) return;  // stopped or restarted by the target
  // Next grid point after the send; if the answer came later than that, at once (one missed tick
  // kept).
  const Time next_grid = first_grid_at_or_after(fired_at_ + Time::from_us(1));
  natural_next_ = std::max(next_grid, ctx_.now());
  Time due = natural_next_;
  const int needed = spec_.success_threshold;
  if (committed_ == Result::Success && last_ == Result::Success && run_ >= needed) {
    const Time fixed = target_.answer_fixed_until(spec_, kind_);
    if (fixed.is_never()) {
      return;  // nothing will change until poked
    }
    if (fixed > due) due = first_grid_at_or_after(fixed);
  }
  fire_timer_ = ctx_.sim.schedule_at(due, *this, kFire);
}

void Probe::pass_failures_silently(ProbeFailure failure) {
  // A failure already committed changes nothing more but its event's count, and the container
  // counts that by ticket (Container::on_probe_failed); the fires before the answer may change
  // are exactly that, if they stay on the plain grid.
  if (!ctx_.pass_silently || !active_ || committed_ != Result::Failure ||
      last_ != Result::Failure || !failure_series_.countable(ctx_, failure) ||
      !ctx_.sim.is_pending(fire_timer_))
    return;
  const Time due = ctx_.sim.when(fire_timer_);
  if (due != natural_next_) return;
  const Time fixed = target_.answer_fixed_until(spec_, kind_);
  if (fixed <= due) return;
  // The grid points in [due, fixed), at most kMostSilent: the next after them calls the probe.
  constexpr std::int64_t kMostSilent = std::int64_t{1} << 20;
  const std::int64_t fires =
      fixed.is_never()
          ? kMostSilent
          : std::min(kMostSilent, (fixed - due + spec_.period - Time::from_us(1)) / spec_.period);
  if (!ctx_.sim.repeat_silently(fire_timer_, spec_.period, static_cast<std::uint32_t>(fires)))
    return;
  silent_left_ = static_cast<std::uint32_t>(fires);
  ctx_.event_series.hold(*this);
}

void Probe::count_silent() {
  if (silent_left_ == 0) return;
  // The simulator tells how many are still to come; the others were dispatched, at the grid
  // points from natural_next_ on, each a failure as the last.
  const std::uint32_t left = ctx_.sim.silent_repeats(fire_timer_);
  if (const std::uint32_t n = silent_left_ - left; n > 0) {
    const Time last = natural_next_ + spec_.period * static_cast<std::int64_t>(n - 1);
    sent_ += n;
    run_ += static_cast<int>(n);
    fired_at_ = last;
    natural_next_ = last + spec_.period;
    // Good: the series counts every held maker in before its generations turn.
    [[maybe_unused]] const bool counted =
        failure_series_.count(ctx_, failure_series_.failure, last, n);
    assert(counted);
  }
  ctx_.sim.repeat_silently(fire_timer_, Time::zero(), 0);  // the next fire calls the probe
  silent_left_ = 0;
  ctx_.event_series.let_go(*this);
}

}  // namespace wlsim::models

#include "wlsim/models/container.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace wlsim::models {

using engine::Time;

namespace {
constexpr int kSigkill = 137;  // OOM kill, or a kill the process did not survive
constexpr int kSigterm = 143;  // a kill the process answered

/// When memory use base + growth·t first reaches `limit`, after a start (rounded up to the µs).
Time oom_delay(std::int64_t limit, std::int64_t base, std::int64_t growth_per_s) {
  if (limit <= 0) return Time::never();  // no allocation, no limit
  if (base >= limit) return Time::zero();
  if (growth_per_s <= 0) return Time::never();
  const std::int64_t diff = limit - base;
  const std::int64_t whole_s = diff / growth_per_s;
  const std::int64_t rest = diff % growth_per_s;
  // rest < growth, which may be near 1 EB/s: rest·1e6 needs 128 bits; the quotient is < 1e6.
  __extension__ using i128 = __int128;
  const auto frac_us = static_cast<std::int64_t>(
      (static_cast<i128>(rest) * 1000000 + growth_per_s - 1) / growth_per_s);
  return Time::from_seconds(whole_s) + Time::from_us(frac_us);
}
/// `parts` back to back in the run's text buffer (Context::text_buffer), for an event's message:
/// made without an allocation once the buffer has grown (pulls, starts and stops are a few events
/// per container, each a string or two built and dropped). Valid until the buffer's next use.
template <class... Parts>
std::string_view compose(const Context& ctx, const Parts&... parts) {
  std::string& text = ctx.text_buffer;
  text.clear();
  (text.append(parts), ...);
  return text;
}
}  // namespace

const char* to_string(ContainerState s) noexcept {
  switch (s) {
    case ContainerState::Waiting:
      return "waiting";
    case ContainerState::Running:
      return "running";
    case ContainerState::Terminated:
      return "terminated";
  }
  return "?";
}

std::string_view state_text(ContainerStateCode c) noexcept {
  // The states a container shows (the container machine's, transitions.cpp).
  struct Named {
    ContainerState state;
    Reason reason;
    std::string_view text;
  };
  static constexpr std::array<Named, 8> kNames{{
      {ContainerState::Waiting, Reason::ContainerCreating, "waiting:ContainerCreating"},
      {ContainerState::Waiting, Reason::ErrImagePull, "waiting:ErrImagePull"},
      {ContainerState::Waiting, Reason::ImagePullBackOff, "waiting:ImagePullBackOff"},
      {ContainerState::Waiting, Reason::CrashLoopBackOff, "waiting:CrashLoopBackOff"},
      {ContainerState::Running, Reason::None, "running"},
      {ContainerState::Terminated, Reason::Error, "terminated:Error"},
      {ContainerState::Terminated, Reason::OOMKilled, "terminated:OOMKilled"},
      {ContainerState::Terminated, Reason::Completed, "terminated:Completed"},
  }};
  for (const Named& n : kNames) {
    if (state_code(n.state, n.reason) == c) return n.text;
  }
  return {};
}

ContainerCondition container_condition(ContainerState s, Reason r, bool ready) noexcept {
  if (s == ContainerState::Running && ready) return ContainerCondition::Ready;
  if (s == ContainerState::Waiting &&
      (r == Reason::CrashLoopBackOff || r == Reason::ImagePullBackOff ||
       r == Reason::ErrImagePull)) {
    return ContainerCondition::Errored;
  }
  return ContainerCondition::Launching;
}

PullPolicy default_pull_policy(const std::string& image_uri) {
  // The tag follows the last ':' after the last '/' (a ':' before it belongs to a registry port).
  const auto slash = image_uri.rfind('/');
  const auto colon = image_uri.rfind(':');
  if (image_uri.find('@') != std::string::npos)
    return PullPolicy::IfNotPresent;  // pinned by digest
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
    return PullPolicy::Always;
  return image_uri.substr(colon + 1) == "latest" ? PullPolicy::Always : PullPolicy::IfNotPresent;
}

Container::Rare::Rare(const Context& ctx, std::string_view path)
    : exit_rng(ctx.stream(path, "exit")),
      crash_rng(ctx.stream(path, "crash-on-start")),
      hang_rng(ctx.stream(path, "hang")),
      shutdown_rng(ctx.stream(path, "shutdown")),
      crash_backoff(ctx.kubelet.crash),
      pull_backoff(ctx.kubelet.image_pull) {}

Container::Container(const Context& ctx, const ContainerSpec& spec, std::string path,
                     ContainerOwner& owner)
    : ctx_(ctx),
      spec_(spec),
      path_(std::move(path)),
      owner_(owner),
      startup_rng_(ctx.stream(path_, "startup")),
      latency_rng_(ctx.stream(path_, "probe-latency")) {
  if (spec_.readiness)
    readiness_.emplace(ctx_, ProbeKind::Readiness, *spec_.readiness, *this, path_);
  if (spec_.liveness)
    liveness_ = std::make_unique<Probe>(ctx_, ProbeKind::Liveness, *spec_.liveness, *this, path_);
  if (spec_.startup)
    startup_ = std::make_unique<Probe>(ctx_, ProbeKind::Startup, *spec_.startup, *this, path_);
}

Container::~Container() {
  ctx_.sim.cancel(end_timer_);
  ctx_.sim.cancel(wait_timer_);
  ctx_.sim.cancel(kill_timer_);
}

ContainerCondition Container::condition() const noexcept {
  return container_condition(state_, reason_, ready_);
}

void Container::create_on(Node& node) {
  node_ = &node;
  created_ = true;
  ctx_.record(path_, TraceKind::Container, {}, state_code(state_, reason_), reason_);
  fetch_image();
}

void Container::fetch_image() {
  pull_started_at_ = ctx_.now();
  awaiting_image_ = true;
  node_->request_image(*this, spec_.image_uri, spec_.behavior.image_size_bytes, spec_.pull_policy,
                       spec_.behavior.image_error);
  // A restart that must wait for its image shows ContainerCreating; a retry after a failed pull
  // keeps showing ImagePullBackOff until it succeeds, as the kubelet does.
  if (awaiting_image_ && state_ != ContainerState::Waiting)
    set_state(ContainerState::Waiting, Reason::ContainerCreating);
}

void Container::on_pull_started() {
  pull_began_at_ = ctx_.now();
  owner_.pod_events().add(ctx_.event(path_, EventType::Normal, Reason::Pulling,
                                     compose(ctx_, "Pulling image \"", spec_.image_uri, "\"")));
}

void Container::on_image_ready(bool pulled) {
  awaiting_image_ = false;
  if (first_image_ready_at_.is_never()) first_image_ready_at_ = ctx_.now();
  if (pulled) {
    owner_.pod_events().add(ctx_.event(
        path_, EventType::Normal, Reason::Pulled,
        compose(ctx_, "Successfully pulled image \"", spec_.image_uri, "\" in ",
                engine::seconds_text(ctx_.now() - pull_began_at_), "s (",
                engine::seconds_text(ctx_.now() - pull_started_at_), "s including waiting)")));
  } else {
    owner_.pod_events().add(ctx_.event(
        path_, EventType::Normal, Reason::Pulled,
        compose(ctx_, "Container image \"", spec_.image_uri, "\" already present on machine")));
  }
  start();
}

void Container::on_image_failed(const std::string& message) {
  awaiting_image_ = false;
  owner_.pod_events().add(
      ctx_.event(path_, EventType::Warning, Reason::Failed,
                 "Failed to pull image \"" + spec_.image_uri + "\": " + message));
  set_state(ContainerState::Waiting, Reason::ErrImagePull, message);
  const Time delay = rare().pull_backoff.next(ctx_.now());  // measured from the failed attempt
  const std::string backoff = "Back-off pulling image \"" + spec_.image_uri + "\"";
  set_state(ContainerState::Waiting, Reason::ImagePullBackOff, backoff);
  owner_.pod_events().add(ctx_.event(path_, EventType::Normal, Reason::BackOff, backoff));
  wait_timer_ = ctx_.sim.schedule_in(delay, *this, kRetryPull);
  owner_.on_container_changed(*this);
}

void Container::start() {
  const Time now = ctx_.now();
  if (!first_started_at_.is_never()) ++restart_count_;
  if (first_started_at_.is_never()) first_started_at_ = now;
  const BehaviorSpec& b = spec_.behavior;
  started_at_ = now;
  up_at_ = now + engine::sample_duration(b.startup, startup_rng_);
  hang_at_ = b.hang_after ? now + draw(*b.hang_after, &Rare::hang_rng) : Time::never();
  // The earliest way this run ends on its own.
  end_ = End::None;
  end_at_ = Time::never();
  kill_cause_.clear();
  Time end_at = Time::never();
  const auto consider = [&](Time at, End why, int code) {  // `at` never: this cause does not apply
    if (at < end_at) {
      end_at = at;
      end_ = why;
      end_code_ = code;
    }
  };
  if (b.crash_on_start > 0 && rare().crash_rng.next_unit() < b.crash_on_start) {
    consider(up_at_, End::CrashOnStart, 1);
    up_at_ = Time::never();  // it never serves
  }
  if (b.exit)
    consider(now + draw(b.exit->after, &Rare::exit_rng), End::Exit, b.exit->code);
  if (const Time oom =
          oom_delay(spec_.resources.memory_bytes, b.memory_bytes, b.memory_growth_bytes_per_s);
      !oom.is_never()) {
    consider(now + oom, End::OomKill, kSigkill);
  }
  if (!end_at.is_never()) schedule_end(end_at, end_, end_code_);
  if (first_up_at_.is_never() && !up_at_.is_never()) first_up_at_ = up_at_;

  std::string& message = ctx_.text_buffer;
  message = "Started container ";
  message += spec_.name;
  set_state(ContainerState::Running, Reason::None, message);
  // A startup probe holds readiness and liveness off until it has succeeded once.
  if (startup_) {
    startup_->start(started_at_);
  } else {
    if (readiness_) readiness_->start(started_at_);
    if (liveness_) liveness_->start(started_at_);
  }
  if (!readiness_ && !startup_) set_ready(true);  // no readiness probe: ready once running
  owner_.on_container_changed(*this);
}

void Container::on_event(std::uint64_t token) {
  switch (token) {
    case kEnd: {
      end_timer_ = {};
      switch (end_) {
        case End::OomKill:
          terminate(Reason::OOMKilled, kSigkill, "OOMKilled");
          break;
        case End::CrashOnStart:
          terminate(Reason::Error, 1, "crashed while starting");
          break;
        case End::Exit:
          terminate(end_code_ == 0 ? Reason::Completed : Reason::Error, end_code_);
          break;
        case End::Sigterm:
          terminate(Reason::Error, kSigterm, kill_cause_);
          break;
        case End::None:
          break;
      }
      break;
    }
    case kKill:
      kill_timer_ = {};
      terminate(Reason::Error, kSigkill, kill_cause_);
      break;
    case kRestart:
      wait_timer_ = {};
      restart();
      break;
    case kRetryPull:
      wait_timer_ = {};
      fetch_image();
      break;
    default:
      break;
  }
}

void Container::stop_probes() {
  if (readiness_) readiness_->stop();
  if (liveness_) liveness_->stop();
  if (startup_) startup_->stop();
}

void Container::schedule_end(Time at, End why, int code) {
  ctx_.sim.cancel_and_reset(end_timer_);
  end_at_ = at;
  end_ = why;
  end_code_ = code;
  end_timer_ = ctx_.sim.schedule_at(at, *this, kEnd);
}

void Container::send_sigterm(std::string why) {
  if (!kill_cause_.empty()) return;  // already told: the first deadline stands
  kill_cause_ = std::move(why);
  stop_probes();
  set_ready(false);
  const Time now = ctx_.now();
  const Time deadline = now + ctx_.kubelet.termination_grace_period;
  // A wedged process ignores SIGTERM; an app without a `shutdown` does not exit on it. Its own end
  // (an exit, a crash, an OOM kill) may still come first.
  if (spec_.behavior.shutdown && !hung(now)) {
    const Time exit_at = now + draw(*spec_.behavior.shutdown, &Rare::shutdown_rng);
    if (exit_at < deadline && exit_at < end_at_) schedule_end(exit_at, End::Sigterm, kSigterm);
  }
  kill_timer_ = ctx_.sim.schedule_at(deadline, *this, kKill);
}

void Container::terminate(Reason reason, int exit_code, std::string_view cause) {
  ctx_.sim.cancel_and_reset(end_timer_);
  ctx_.sim.cancel_and_reset(kill_timer_);
  end_at_ = Time::never();
  stop_probes();
  set_ready(false);
  exited_at_ = ctx_.now();
  last_exit_code_ = exit_code;
  last_reason_ = reason;
  if (reason == Reason::OOMKilled) ++oom_kills_;
  // "exit code 143 (pod deleted)": composed where a frequent message allocates nothing.
  std::string& message = ctx_.text_buffer;
  message = "exit code ";
  message += std::to_string(exit_code);
  if (!cause.empty()) {
    message += " (";
    message += cause;
    message += ')';
  }
  set_state(ContainerState::Terminated, reason, message);
  if (deleting_) {  // the pod is deleted: no restart
    deleting_ = false;
    created_ = false;
    // The pod may now be gone and compacted, which drops this container: touch nothing after.
    owner_.on_container_changed(*this);
    return;
  }
  // restartPolicy Always: the back-off is measured from the exit; the first exit restarts at once.
  const Time delay = rare().crash_backoff.delay_after(exited_at_);
  if (delay == Time::zero()) {
    restart();
    return;
  }
  const std::string pod = owner_.pod_name();
  set_state(ContainerState::Waiting, Reason::CrashLoopBackOff,
            "back-off " + engine::format_duration(delay) +
                " restarting failed container=" + spec_.name + " pod=" + pod);
  owner_.pod_events().add(
      ctx_.event(path_, EventType::Warning, Reason::BackOff,
                 "Back-off restarting failed container " + spec_.name + " in pod " + pod));
  wait_timer_ = ctx_.sim.schedule_in(delay, *this, kRestart);
  owner_.on_container_changed(*this);
}

void Container::restart() {
  rare().crash_backoff.next(exited_at_);
  fetch_image();  // the kubelet ensures the image again: at once if present, a digest check for
                  // Always
  if (awaiting_image_) owner_.on_container_changed(*this);
}

void Container::remove() {
  if (!created_) return;
  if (node_ != nullptr) node_->cancel_requests(*this);
  ctx_.sim.cancel_and_reset(end_timer_);
  ctx_.sim.cancel_and_reset(wait_timer_);
  ctx_.sim.cancel_and_reset(kill_timer_);
  stop_probes();
  set_ready(false);
  if (state_ != ContainerState::Terminated)
    set_state(ContainerState::Terminated, Reason::Completed, "pod deleted");
  created_ = false;
  deleting_ = false;
}

bool Container::delete_gracefully() {
  if (deleting_) return true;
  if (!created_) return false;
  if (abandoned_ || state_ != ContainerState::Running ||
      ctx_.kubelet.termination_grace_period == Time::zero()) {
    remove();
    return false;
  }
  deleting_ = true;
  owner_.pod_events().add(ctx_.event(path_, EventType::Normal, Reason::Killing,
                                     compose(ctx_, "Stopping container ", spec_.name)));
  send_sigterm("pod deleted");  // a process already told by a failed probe keeps its deadline
  return true;
}

void Container::abandon() {
  if (!created_ || abandoned_) return;
  abandoned_ = true;
  if (node_ != nullptr) node_->cancel_requests(*this);
  awaiting_image_ = false;
  ctx_.sim.cancel_and_reset(end_timer_);
  ctx_.sim.cancel_and_reset(wait_timer_);
  ctx_.sim.cancel_and_reset(kill_timer_);
  end_at_ = Time::never();
  deleting_ = false;
  stop_probes();
  set_ready(false);
}

void Container::set_state(ContainerState s, Reason reason, std::string_view message) {
  const ContainerStateCode from = state_code(state_, reason_);
  state_ = s;
  reason_ = reason;
  ctx_.record(path_, TraceKind::Container, from, state_code(state_, reason_), reason_, message);
  // Only statusDetails shows it: a run that cannot be asked for one keeps no copy (a started
  // container's message is one allocation more per start).
  if (ctx_.keep_recent.pod_details) message_ = message;
}

void Container::set_ready(bool ready) {
  if (ready == ready_) return;
  ready_ = ready;
  ctx_.record(path_, TraceKind::Ready, ready ? Readiness::False : Readiness::True,
              ready ? Readiness::True : Readiness::False);
}

ProbeAnswer Container::answer(const ProbeSpec& probe, ProbeKind kind) {
  const Time now = ctx_.now();
  const int listen = spec_.behavior.listen_port.value_or(spec_.port);
  if (state_ != ContainerState::Running || !up(now) || probe.port != listen) {
    return {false, Time::zero(), ProbeFailure::ConnectionRefused};
  }
  if (hung(now)) return {false, Time::never(), {}};  // a wedged process accepts and never answers
  const Time latency = engine::sample_duration(spec_.behavior.probe_latency, latency_rng_);
  if (spec_.behavior.tls && probe.scheme == Scheme::Http) {
    return {false, latency, ProbeFailure::HttpToTls};
  }
  if (!spec_.behavior.tls && probe.scheme == Scheme::Https) {
    return {false, latency, ProbeFailure::TlsToHttp};
  }
  const auto& serves = spec_.behavior.serves;
  if (!spec_.behavior.serves_all &&
      std::find(serves.begin(), serves.end(), probe.path) == serves.end()) {
    return {false, latency, ProbeFailure::NotFound};
  }
  if (kind == ProbeKind::Readiness && now < up_at_ + spec_.behavior.ready_after) {
    return {false, latency, ProbeFailure::NotReady};
  }
  return {true, latency, {}};
}

Time Container::answer_fixed_until(const ProbeSpec&, ProbeKind kind) const {
  const Time now = ctx_.now();
  if (state_ != ContainerState::Running || !spec_.behavior.probe_latency.is_constant()) return now;
  Time next = Time::never();
  for (const Time t :
       {up_at_,
        kind == ProbeKind::Readiness && !up_at_.is_never() ? up_at_ + spec_.behavior.ready_after
                                                           : Time::never(),
        hang_at_}) {
    if (t > now) next = std::min(next, t);
  }
  return next;
}

void Container::on_probe_committed(ProbeKind kind, bool success) {
  switch (kind) {
    case ProbeKind::Readiness:
      set_ready(success);
      owner_.on_container_changed(*this);
      break;
    case ProbeKind::Startup:
      if (success) {
        startup_->stop();
        if (readiness_) readiness_->start(started_at_, ctx_.now());
        if (liveness_) liveness_->start(started_at_, ctx_.now());
        if (!readiness_) {
          set_ready(true);
          owner_.on_container_changed(*this);
        }
        break;
      }
      [[fallthrough]];
    case ProbeKind::Liveness:
      if (!success) {
        owner_.pod_events().add(
            ctx_.event(path_, EventType::Normal, Reason::Killing,
                       "Container " + spec_.name + " failed " +
                           (kind == ProbeKind::Liveness ? "liveness" : "startup") +
                           " probe, will be restarted"));
        // SIGTERM, then SIGKILL at the end of the grace period; the restart back-off counts from
        // the exit. A grace period of 0 kills at once: a live process exits (143), a wedged one
        // does not (137).
        if (ctx_.kubelet.termination_grace_period == Time::zero()) {
          const int code = hung(ctx_.now()) ? kSigkill : kSigterm;
          terminate(Reason::Error, code, "killed after a failed probe");
        } else {
          send_sigterm("killed after a failed probe");
          owner_.on_container_changed(*this);
        }
      }
      break;
  }
}

void Container::on_probe_failed(ProbeKind kind, const ProbeSpec& spec, ProbeFailure failure,
                                ProbeFailureSeries& series) {
  // The message is a function of the probe (its kind and spec) and the failure, and the object is
  // this container: the same failure again is the same event, counted without its text.
  if (series.count(ctx_, failure, ctx_.now())) return;
  std::string& message = ctx_.text_buffer;
  message = to_string(kind);
  message += " probe failed: ";
  append_failure_text(message, failure, spec);
  EventSeries::Ticket ticket;
  owner_.pod_events().add(
      ctx_.event(path_, EventType::Warning, Reason::Unhealthy, message, &ticket));
  series = {ticket, failure};
}

}  // namespace wlsim::models

#include "wlsim/models/container.hpp"

#include <algorithm>

namespace wlsim::models {

using engine::Time;

const char* to_string(ContainerState s) noexcept {
  switch (s) {
    case ContainerState::Waiting: return "waiting";
    case ContainerState::Running: return "running";
    case ContainerState::Terminated: return "terminated";
  }
  return "?";
}

PullPolicy default_pull_policy(const std::string& image_uri) {
  // The tag follows the last ':' after the last '/' (a ':' before it belongs to a registry port).
  const auto slash = image_uri.rfind('/');
  const auto colon = image_uri.rfind(':');
  const bool has_digest = image_uri.find('@') != std::string::npos;
  if (has_digest) return PullPolicy::IfNotPresent;
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return PullPolicy::Always;
  return image_uri.substr(colon + 1) == "latest" ? PullPolicy::Always : PullPolicy::IfNotPresent;
}

Container::Container(const Context& ctx, const ContainerSpec& spec, std::string path, ContainerOwner& owner)
    : ctx_(ctx),
      spec_(spec),
      path_(std::move(path)),
      owner_(owner),
      startup_rng_(ctx.stream(path_, "startup")) {
  if (spec_.readiness) readiness_.emplace(ctx_, ProbeKind::Readiness, *spec_.readiness, *this);
  if (spec_.liveness) liveness_.emplace(ctx_, ProbeKind::Liveness, *spec_.liveness, *this);
  if (spec_.startup) startup_.emplace(ctx_, ProbeKind::Startup, *spec_.startup, *this);
}

Container::~Container() = default;

ContainerCondition Container::condition() const noexcept {
  if (state_ == ContainerState::Running && ready_) return ContainerCondition::Ready;
  return ContainerCondition::Launching;
}

void Container::create_on(Node& node) {
  node_ = &node;
  pull_started_at_ = ctx_.now();
  ctx_.record(path_, "container", "", to_string(state_), reason_);
  node.request_image(*this, spec_.image_uri, spec_.behavior.image_size_bytes, spec_.pull_policy);
}

void Container::on_pull_started() {
  pull_began_at_ = ctx_.now();
  ctx_.event(path_, "Normal", "Pulling", "Pulling image \"" + spec_.image_uri + "\"");
}

void Container::on_image_ready(bool pulled) {
  image_ready_at_ = ctx_.now();
  if (pulled) {
    ctx_.event(path_, "Normal", "Pulled",
               "Successfully pulled image \"" + spec_.image_uri + "\" in " +
                   engine::seconds_text(ctx_.now() - pull_began_at_) + "s (" +
                   engine::seconds_text(ctx_.now() - pull_started_at_) + "s including waiting)");
  } else {
    ctx_.event(path_, "Normal", "Pulled",
               "Container image \"" + spec_.image_uri + "\" already present on machine");
  }
  start();
}

void Container::start() {
  started_at_ = ctx_.now();
  up_at_ = ctx_.now() + engine::sample_duration(spec_.behavior.startup, startup_rng_);
  set_state(ContainerState::Running, "Started", "Started container " + spec_.name);
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

void Container::remove() {
  if (node_ != nullptr) node_->cancel_requests(*this);
  for (auto* p : {&readiness_, &liveness_, &startup_}) {
    if (*p) (*p)->stop();
  }
  set_ready(false);
  if (state_ != ContainerState::Terminated) set_state(ContainerState::Terminated, "Completed");
}

void Container::on_event(std::uint64_t) {}

void Container::set_state(ContainerState s, std::string reason, std::string_view message) {
  const char* from = to_string(state_);
  state_ = s;
  reason_ = s == ContainerState::Running ? std::string() : reason;
  ctx_.record(path_, "container", from, to_string(s), reason, message);
}

void Container::set_ready(bool ready) {
  if (ready == ready_) return;
  ready_ = ready;
  ctx_.record(path_, "ready", ready ? "false" : "true", ready ? "true" : "false");
}

ProbeAnswer Container::answer(const ProbeSpec& probe) {
  const Time now = ctx_.now();
  const int listen = spec_.behavior.listen_port.value_or(spec_.port);
  const std::string url = std::string(probe.scheme == Scheme::Https ? "https" : "http") + "://" +
                          (probe.host.empty() ? "10.0.0.1" : probe.host) + ":" +
                          std::to_string(probe.port) + probe.path;
  if (state_ != ContainerState::Running || !app_up(now) || probe.port != listen) {
    return {false, Time::zero(),
            "Get \"" + url + "\": dial tcp " + (probe.host.empty() ? "10.0.0.1" : probe.host) + ":" +
                std::to_string(probe.port) + ": connect: connection refused"};
  }
  if (spec_.behavior.tls && probe.scheme == Scheme::Http) {
    return {false, Time::zero(), "HTTP probe failed with statuscode: 400"};
  }
  if (!spec_.behavior.tls && probe.scheme == Scheme::Https) {
    return {false, Time::zero(),
            "Get \"" + url + "\": http: server gave HTTP response to HTTPS client"};
  }
  const auto& serves = spec_.behavior.serves;
  const bool served = spec_.behavior.serves_all ||
                      std::find(serves.begin(), serves.end(), probe.path) != serves.end();
  if (!served) return {false, Time::zero(), "HTTP probe failed with statuscode: 404"};
  return {true, Time::zero(), {}};
}

Time Container::answer_fixed_until(const ProbeSpec&) const {
  if (state_ != ContainerState::Running) return ctx_.now();
  return app_up(ctx_.now()) ? Time::never() : up_at_;
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
      }
      break;
    case ProbeKind::Liveness:
      break;
  }
}

void Container::on_probe_failed(ProbeKind kind, const std::string& failure) {
  ctx_.event(path_, "Warning", "Unhealthy", std::string(to_string(kind)) + " probe failed: " + failure);
}

}  // namespace wlsim::models

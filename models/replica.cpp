#include "wlsim/models/replica.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace wlsim::models {

const char* to_string(PodPhase p) noexcept {
  switch (p) {
    case PodPhase::Pending:
      return "Pending";
    case PodPhase::Running:
      return "Running";
    case PodPhase::Succeeded:
      return "Succeeded";
    case PodPhase::Failed:
      return "Failed";
  }
  return "?";
}

Replica::Replica(const Context& ctx, std::string path, const std::vector<ContainerSpec>& containers,
                 int priority, Scheduler& scheduler, ReplicaOwner& owner, int index,
                 std::size_t pool)
    : ctx_(ctx),
      path_(std::move(path)),
      index_(index),
      priority_(priority),
      pool_(pool),
      scheduler_(scheduler),
      owner_(owner),
      created_at_(ctx.now()) {
  for (const ContainerSpec& c : containers) {
    request_ += c.resources;
    containers_->emplace_back(ctx_, c, path_ + "/" + c.name, *this);
  }
}

Replica::~Replica() { ctx_.sim.cancel(setup_timer_); }

void Replica::submit() {
  ctx_.record(path_, TraceKind::Phase, {}, phase_);
  update();
  scheduler_.submit(*this);
}

void Replica::on_unschedulable(const std::string& message) {
  unschedulable_.enter(ctx_.now());
  if (message == unschedulable_message_) return;
  unschedulable_message_ = message;
  ctx_.record(path_, TraceKind::Pod, {}, PodScheduled::False, Reason::Unschedulable, message);
  events_.add(ctx_.event(path_, EventType::Warning, Reason::FailedScheduling, message));
}

engine::Time Replica::pending_time(engine::Time now) const noexcept {
  return unschedulable_.total(now);
}

void Replica::on_bound(Node& node) {
  node_ = &node;
  node_ticket_ = node.add_pod(*this);
  bound_at_ = ctx_.now();
  unschedulable_.leave(ctx_.now());
  unschedulable_message_.clear();
  ctx_.record(path_, TraceKind::Pod, {}, PodScheduled::True, Reason::Scheduled,
              "Successfully assigned " + path_ + " to " + node.name());
  stage_ = PodStage::SettingUp;
  owner_.on_replica_resources(request_, +1);
  update();
  setup_timer_ = ctx_.sim.schedule_in(node.pod_setup(), *this, 0);
}

void Replica::on_event(std::uint64_t) {
  setup_timer_ = {};
  set_up_at_ = ctx_.now();
  stage_ = PodStage::ContainersStarted;
  for (Container& c : *containers_) c.create_on(*node_);
  update();
}

void Replica::on_container_changed(Container&) { update(); }

void Replica::update() {
  if (removed_) return;
  std::vector<ContainerCondition> conditions;
  conditions.reserve(containers_->size());
  bool all_started = !containers_->empty();
  for (const Container& c : *containers_) {
    conditions.push_back(c.condition());
    all_started = all_started && c.started_once();
  }
  // Running once every container has been started (restarting ones included), as Kubernetes has it.
  if (phase_ == PodPhase::Pending && stage_ == PodStage::ContainersStarted && all_started) {
    phase_ = PodPhase::Running;
    ctx_.record(path_, TraceKind::Phase, PodPhase::Pending, PodPhase::Running);
  }
  const Status next = replica_status(stage_, conditions);
  if (next == status_) return;
  ctx_.record(path_, TraceKind::Replica, status_, next);
  const Status previous = status_;
  status_ = next;
  running_since_ = next == Status::Running ? ctx_.now() : engine::Time::never();
  if (next == Status::Running && first_running_at_.is_never()) first_running_at_ = ctx_.now();
  owner_.on_replica_changed(*this, previous);
}

const std::deque<Container>& Replica::containers() const {
  if (!containers_)
    throw std::logic_error("the containers of " + path_ + " were dropped (compacted)");
  return *containers_;
}

int Replica::restarts() const noexcept {
  if (compacted_) return restarts_;
  int n = 0;
  for (const Container& c : *containers_) n += c.restart_count();
  return n;
}

int Replica::oom_kills() const noexcept {
  if (compacted_) return oom_kills_;
  int n = 0;
  for (const Container& c : *containers_) n += c.oom_kills();
  return n;
}

engine::Time Replica::images_ready_at() const noexcept {
  if (compacted_) return images_ready_at_;
  engine::Time at = engine::Time::zero();
  for (const Container& c : *containers_) at = std::max(at, c.first_image_ready_at());
  return at;
}

engine::Time Replica::apps_up_at() const noexcept {
  if (compacted_) return apps_up_at_;
  engine::Time at = engine::Time::zero();
  for (const Container& c : *containers_) at = std::max(at, c.first_up_at());
  return at;
}

void Replica::compact() {
  if (!removed_ || compacted_) return;
  restarts_ = restarts();
  oom_kills_ = oom_kills();
  images_ready_at_ = images_ready_at();
  apps_up_at_ = apps_up_at();
  compacted_ = true;
  containers_.reset();
  events_ = PodEvents{};
}

bool Replica::terminating() const noexcept { return false; }

engine::Time Replica::pending_time(PendingCause cause, engine::Time now) const noexcept {
  return cause == PendingCause::NoCapacity ? pending_time(now) : engine::Time::zero();
}

void Replica::on_pending_cause(PendingCause) {}

void Replica::on_nominated(const Node&, int) { preempted_others_ = true; }

void Replica::evict(EvictionCause cause, std::string_view) {
  if (removed_) return;
  evicted_by_ = cause;
  remove(cause != EvictionCause::NodeFailure);
  owner_.on_replica_evicted(*this, cause);
}

void Replica::on_node_lost() {}

void Replica::remove(bool) {
  if (removed_) return;
  ctx_.sim.cancel_and_reset(setup_timer_);
  if (node_ == nullptr) {
    scheduler_.withdraw(*this);
  }
  for (Container& c : *containers_) c.remove();
  if (node_ != nullptr) {
    node_->remove_pod(node_ticket_);
    node_->release(request_);
    owner_.on_replica_resources(Resources{} - request_, -1);
    scheduler_.capacity_changed();
  }
  removed_ = true;
  ctx_.record(path_, TraceKind::Replica, status_, Status::Terminated);
  const Status previous = status_;
  status_ = Status::Terminated;
  running_since_ = engine::Time::never();
  unschedulable_.leave(ctx_.now());
  owner_.on_replica_changed(*this, previous);
}

}  // namespace wlsim::models

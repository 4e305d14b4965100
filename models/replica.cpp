#include "wlsim/models/replica.hpp"

#include <algorithm>
#include <boost/container/small_vector.hpp>
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
      created_at_(ctx.now()),
      events_(ctx.keep_recent.pod_details) {
  for (const ContainerSpec& c : containers) {
    request_ += c.resources;
    containers_.emplace_back(ctx_, c, path_ + "/" + c.name, *this);
  }
}

Replica::~Replica() { ctx_.sim.cancel(setup_timer_); }

void Replica::submit() {
  ctx_.record(path_, TraceKind::Phase, {}, phase_);
  update();
  scheduler_.submit(*this);
}

void Replica::on_unschedulable(const std::string& message) {
  // The first failure starts the NoCapacity wait. A nominated pod stays PodScheduled=False too, but
  // it waits for its victims, and one the cluster autoscaler provides for waits for its node: a new
  // FailedScheduling message changes neither; on_pending_cause() does.
  if (!notes_ || !notes_->pending_cause) pend(PendingCause::NoCapacity);
  if (message == unschedulable_message()) return;
  notes().unschedulable_message = message;
  ctx_.record(path_, TraceKind::Pod, {}, PodScheduled::False, Reason::Unschedulable, message);
  events_.add(ctx_.event(path_, EventType::Warning, Reason::FailedScheduling, message));
}

engine::Time Replica::pending_time(engine::Time now) const noexcept {
  return figures(now).pending_time();
}

engine::Time Replica::pending_time(PendingCause cause, engine::Time now) const noexcept {
  return figures(now).pending_time(cause);
}

void Replica::pend(PendingCause cause) {
  Notes& n = notes();
  if (n.pending_cause == cause) return;
  if (n.pending_cause) n.pending[static_cast<std::size_t>(*n.pending_cause)].leave(ctx_.now());
  n.pending_cause = cause;
  n.pending[static_cast<std::size_t>(cause)].enter(ctx_.now());
}

void Replica::stop_pending() {
  if (!notes_) return;  // never pending for a cause
  for (Dwell& d : notes_->pending) d.leave(ctx_.now());
  notes_->pending_cause.reset();
}

void Replica::on_pending_cause(PendingCause cause) {
  if (removed_ || node_ != nullptr) return;
  pend(cause);
}

void Replica::on_nominated(const Node& node, int victims) {
  if (removed_ || node_ != nullptr) return;
  preempted_others_ = true;
  pend(PendingCause::WaitingForVictims);
  events_.add(ctx_.event(path_, EventType::Normal, Reason::Nominated,
                         "nominated to node " + node.name() + ", preempting " +
                             std::to_string(victims) + (victims == 1 ? " pod" : " pods")));
}

void Replica::on_bound(Node& node) {
  node_ = &node;
  node_ticket_ = node.add_pod(*this);
  bound_at_ = ctx_.now();
  stop_pending();
  if (notes_) notes_->unschedulable_message.clear();
  std::string& message = ctx_.text_buffer;
  message = "Successfully assigned ";
  message += path_;
  message += " to ";
  message += node.name();
  ctx_.record(path_, TraceKind::Pod, {}, PodScheduled::True, Reason::Scheduled, message);
  stage_ = PodStage::SettingUp;
  owner_.on_replica_resources(request_, +1);
  update();
  setup_timer_ = ctx_.sim.schedule_in(node.pod_setup(), *this, 0);
}

void Replica::on_event(std::uint64_t) {
  setup_timer_ = {};
  set_up_at_ = ctx_.now();
  stage_ = PodStage::ContainersStarted;
  for (Container& c : containers_) c.create_on(*node_);
  update();
}

void Replica::on_container_changed(Container&) {
  if (!terminating_) {
    update();
    return;
  }
  for (const Container& c : containers_) {
    if (c.deleting()) return;
  }
  gone();
}

void Replica::update() {
  if (removed_) return;
  // A pod's few containers fit inline: no allocation per update (one per container event).
  boost::container::small_vector<ContainerCondition, 8> conditions;
  bool all_started = !containers_.empty();
  for (const Container& c : containers_) {
    conditions.push_back(c.condition());
    all_started = all_started && c.started_once();
  }
  // Running once every container has been started (restarting ones included), as Kubernetes has it.
  if (phase_ == PodPhase::Pending && stage_ == PodStage::ContainersStarted && all_started) {
    phase_ = PodPhase::Running;
    ctx_.record(path_, TraceKind::Phase, PodPhase::Pending, PodPhase::Running);
  }
  const Status next = replica_status(stage_, {conditions.data(), conditions.size()});
  if (next == status_) return;
  ctx_.record(path_, TraceKind::Replica, status_, next);
  const Status previous = status_;
  status_ = next;
  running_since_ = next == Status::Running ? ctx_.now() : engine::Time::never();
  if (next == Status::Running && first_running_at_.is_never()) first_running_at_ = ctx_.now();
  owner_.on_replica_changed(*this, previous);
}

int Replica::restarts() const noexcept {
  int n = 0;
  for (const Container& c : containers_) n += c.restart_count();
  return n;
}

int Replica::oom_kills() const noexcept {
  int n = 0;
  for (const Container& c : containers_) n += c.oom_kills();
  return n;
}

engine::Time Replica::images_ready_at() const noexcept {
  engine::Time at = engine::Time::zero();
  for (const Container& c : containers_) at = std::max(at, c.first_image_ready_at());
  return at;
}

engine::Time Replica::apps_up_at() const noexcept {
  engine::Time at = engine::Time::zero();
  for (const Container& c : containers_) at = std::max(at, c.first_up_at());
  return at;
}

ReplicaFigures Replica::figures(engine::Time now) const noexcept {
  ReplicaFigures f;
  if (notes_) {
    for (std::size_t i = 0; i < f.pending.size(); ++i) f.pending[i] = notes_->pending[i].total(now);
  }
  f.restarts = restarts();
  f.oom_kills = oom_kills();
  f.evicted_by = evicted_by_;
  f.preempted_others = preempted_others_;
  return f;
}

bool Replica::terminating() const noexcept { return terminating_; }

namespace {
/// Kubernetes' words for an eviction: the DisruptionTarget reason, the event's reason and its
/// default message.
struct EvictionWords {
  const char* condition;
  Reason event;
  const char* message;
};
EvictionWords eviction_words(EvictionCause cause) noexcept {
  switch (cause) {
    case EvictionCause::Preemption:
      return {"PreemptionByScheduler", Reason::Preempted, "Preempted by a higher-priority pod"};
    case EvictionCause::NodeFailure:
      return {"DeletionByTaintManager", Reason::TaintManagerEviction, "Marking for deletion Pod"};
    case EvictionCause::ScaleDown:
      return {"EvictionByEvictionAPI", Reason::ScaleDown, "deleting pod for node scale down"};
  }
  return {"", Reason::None, ""};
}
}  // namespace

void Replica::evict(EvictionCause cause, std::string_view message) {
  if (removed_) {
    // A pod still terminating on a node that is lost for good: its kubelet will never report the
    // exit, so the pod is deleted at once.
    if (terminating_ && cause == EvictionCause::NodeFailure) {
      for (Container& c : containers_) c.remove();
      gone();
    }
    return;
  }
  evicted_by_ = cause;
  const EvictionWords words = eviction_words(cause);
  Notes& n = notes();
  n.disruption_reason = words.condition;
  n.disruption_message = !message.empty()                      ? std::string(message)
                         : cause == EvictionCause::NodeFailure ? words.message + (" " + path_)
                                                               : std::string(words.message);
  events_.add(ctx_.event(path_, EventType::Normal, words.event, n.disruption_message));
  // The kubelet of a failed node is gone: nothing there can wait for a process to exit.
  remove(cause != EvictionCause::NodeFailure);
  owner_.on_replica_evicted(*this, cause);
}

void Replica::on_node_lost() {
  if (node_lost_ || node_ == nullptr) return;
  node_lost_ = true;
  ctx_.sim.cancel_and_reset(setup_timer_);
  events_.add(ctx_.event(path_, EventType::Warning, Reason::NodeNotReady, "Node is not ready"));
  for (Container& c : containers_) c.abandon();
  if (terminating_) {
    // No container will report its exit: the pod waits for the platform's eviction.
    return;
  }
  update();
}

void Replica::remove(bool graceful) {
  if (removed_) return;
  ctx_.sim.cancel_and_reset(setup_timer_);
  if (node_ == nullptr) {
    scheduler_.withdraw(*this);
  }
  graceful = graceful && node_ != nullptr && !node_lost_ &&
             ctx_.kubelet.termination_grace_period > engine::Time::zero();
  bool waits = false;
  for (Container& c : containers_) {
    if (graceful) {
      waits = c.delete_gracefully() || waits;
    } else {
      c.remove();
    }
  }
  // A pod of a lost node keeps its node until the platform evicts it.
  const bool held_by_lost_node = node_ != nullptr && node_lost_ && !evicted_by_;
  if (node_ != nullptr && !waits && !held_by_lost_node) release_node();
  removed_ = true;
  terminating_ = waits || held_by_lost_node;
  ctx_.record(path_, TraceKind::Replica, status_, Status::Terminated);
  const Status previous = status_;
  status_ = Status::Terminated;
  running_since_ = engine::Time::never();
  stop_pending();
  owner_.on_replica_changed(*this, previous);
}

void Replica::release_node() {
  node_->remove_pod(node_ticket_);
  node_->release(request_);
  owner_.on_replica_resources(Resources{} - request_, -1);
  scheduler_.capacity_changed();
}

void Replica::gone() {
  terminating_ = false;
  // Kubernetes moves a deleted pod to a terminal phase once its containers have stopped.
  bool all_zero = true;
  for (const Container& c : containers_) all_zero = all_zero && c.last_exit_code() == 0;
  const PodPhase terminal = all_zero ? PodPhase::Succeeded : PodPhase::Failed;
  ctx_.record(path_, TraceKind::Phase, phase_, terminal);
  phase_ = terminal;
  release_node();
  if (fold_when_gone_) owner_.on_replica_gone(*this);  // which may destroy it: touch nothing after
}

}  // namespace wlsim::models

#pragma once
// A replica: one pod of a proton. It is scheduled, set up on its node (the `provisioning` stage),
// runs its containers, and reports the status they roll up to (SEMANTICS.md §6).

#include <array>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/container.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/dwell.hpp"
#include "wlsim/models/replica_figures.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/status.hpp"

namespace wlsim::models {

class Replica;

/// The proton, told whenever a replica's status changes.
class ReplicaOwner {
 public:
  /// `r.status()` is the new status, `previous` the one it had until now (they differ).
  virtual void on_replica_changed(Replica& r, Status previous) = 0;
  /// Resources bound to a node changed by `delta`: + when bound (pods +1), - when released (pods
  /// -1).
  virtual void on_replica_resources(const Resources& delta, int pods) = 0;
  /// `r` was evicted (it is already removed): the owner creates a new pending pod in its place.
  virtual void on_replica_evicted(Replica& r, EvictionCause cause) = 0;
  /// `r`, deleted and told to fold_when_gone(), is gone: the owner may destroy it now (r touches
  /// nothing after this call).
  virtual void on_replica_gone(Replica& r) = 0;

 protected:
  ~ReplicaOwner() = default;
};

/// Kubernetes' pod phase.
enum class PodPhase { Pending, Running, Succeeded, Failed };
[[nodiscard]] const char* to_string(PodPhase p) noexcept;

class Replica final : public engine::EventHandler, public Schedulable, public ContainerOwner {
 public:
  /// `containers` must outlive the replica (the proton owns them).
  /// `index`: its position among its proton's replicas (the router's tie-break).
  /// `pool`: the node pool it must run on (its group's resource bundle), or kAnyPool.
  Replica(const Context& ctx, std::string path, const std::vector<ContainerSpec>& containers,
          int priority, Scheduler& scheduler, ReplicaOwner& owner, int index = 0,
          std::size_t pool = kAnyPool);
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;
  ~Replica();

  /// Hands the pod to the scheduler.
  void submit();
  /// Deletes the pod (SEMANTICS.md §5): it leaves the roll-up at once (`terminated`, not ready);
  /// its running containers get SIGTERM and are killed (SIGKILL) at the end of the termination
  /// grace period if they have not exited by then; it holds its node's resources until they all
  /// have. `graceful` false or a grace period of 0: everything stops at once. The pod of a lost
  /// node stops at once too but keeps its node until the platform evicts it (NodeFailure).
  void remove(bool graceful = true);
  /// Deleted, but still holding its node while its containers exit (or until a lost node's
  /// eviction).
  [[nodiscard]] bool terminating() const noexcept;
  /// Why it was evicted (deleted and recreated as a new pod), if it was.
  [[nodiscard]] std::optional<EvictionCause> evicted_by() const noexcept { return evicted_by_; }
  /// Whether it was nominated to a node by preemption (it evicted others).
  [[nodiscard]] bool preempted_others() const noexcept { return preempted_others_; }
  /// The DisruptionTarget condition's reason (PreemptionByScheduler, DeletionByTaintManager,
  /// EvictionByEvictionAPI) and message once evicted; empty otherwise.
  [[nodiscard]] std::string_view disruption_reason() const noexcept {
    return notes_ ? std::string_view(notes_->disruption_reason) : std::string_view();
  }
  [[nodiscard]] std::string_view disruption_message() const noexcept {
    return notes_ ? std::string_view(notes_->disruption_message) : std::string_view();
  }
  /// Its node went NotReady (see on_node_lost()).
  [[nodiscard]] bool node_lost() const noexcept { return node_lost_; }
  /// Time pending for `cause` (see PendingCause), up to `now`.
  [[nodiscard]] engine::Time pending_time(PendingCause cause, engine::Time now) const noexcept;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] int index() const noexcept { return index_; }
  [[nodiscard]] Status status() const noexcept { return status_; }
  [[nodiscard]] PodPhase phase() const noexcept { return phase_; }
  [[nodiscard]] const Node* node() const noexcept { return node_; }
  /// Its containers.
  [[nodiscard]] const std::list<Container>& containers() const noexcept { return containers_; }
  /// The FailedScheduling message while unschedulable, else empty.
  [[nodiscard]] std::string_view unschedulable_message() const noexcept {
    return notes_ ? std::string_view(notes_->unschedulable_message) : std::string_view();
  }
  /// Total time spent Pending with PodScheduled=False (Unschedulable), up to `now`: the sum over
  /// every PendingCause.
  [[nodiscard]] engine::Time pending_time(engine::Time now) const noexcept;
  [[nodiscard]] engine::Time created_at() const noexcept { return created_at_; }
  [[nodiscard]] engine::Time bound_at() const noexcept { return bound_at_; }
  /// When its set-up on the node finished (never if not yet).
  [[nodiscard]] engine::Time set_up_at() const noexcept { return set_up_at_; }
  /// When it last became `running` (never if it is not running).
  [[nodiscard]] engine::Time running_since() const noexcept { return running_since_; }
  /// When it first became `running` (never if not yet).
  [[nodiscard]] engine::Time first_running_at() const noexcept { return first_running_at_; }
  /// Restarts and OOM kills over its containers.
  [[nodiscard]] int restarts() const noexcept;
  [[nodiscard]] int oom_kills() const noexcept;
  /// When every container first had its image, and first had its app up (never if not yet).
  [[nodiscard]] engine::Time images_ready_at() const noexcept;
  [[nodiscard]] engine::Time apps_up_at() const noexcept;

  /// What the run's results sum over it, up to `now`.
  [[nodiscard]] ReplicaFigures figures(engine::Time now) const noexcept;
  [[nodiscard]] ReplicaMilestones milestones() const noexcept {
    return {bound_at_, set_up_at_, images_ready_at(), apps_up_at()};
  }
  /// Deleted and still terminating: its owner is told once it is gone (on_replica_gone), to fold
  /// it then.
  void fold_when_gone() noexcept { fold_when_gone_ = true; }

  // Schedulable
  [[nodiscard]] Resources request() const override { return request_; }
  [[nodiscard]] int priority() const override { return priority_; }
  [[nodiscard]] std::string name() const override { return path_; }
  [[nodiscard]] std::size_t required_pool() const override { return pool_; }
  void on_bound(Node& node) override;
  void on_unschedulable(const std::string& message) override;
  void on_pending_cause(PendingCause cause) override;
  void on_nominated(const Node& node, int victims) override;
  [[nodiscard]] engine::Time start_time() const override { return bound_at_; }
  void evict(EvictionCause cause, std::string_view message) override;
  void on_node_lost() override;
  [[nodiscard]] bool deleting() const override { return removed_; }

  // ContainerOwner
  void on_container_changed(Container& c) override;
  [[nodiscard]] const std::string& pod_name() const override { return path_; }
  [[nodiscard]] PodEvents& pod_events() override { return events_; }
  /// The pod's last events (its own and its containers'), oldest first.
  [[nodiscard]] const PodEvents& recent_events() const noexcept { return events_; }

 private:
  void on_event(std::uint64_t token) override;  // set-up finished
  void update();
  void pend(PendingCause cause);
  /// Bound or deleted: no longer pending for any cause.
  void stop_pending();
  /// Every container has exited: the pod hands its node back.
  void release_node();
  /// The pod is gone after a graceful termination: its node back, its terminal phase recorded.
  void gone();

  const Context& ctx_;
  std::string path_;
  int index_;
  int priority_;
  std::size_t pool_;
  std::optional<EvictionCause> evicted_by_;
  bool preempted_others_ = false;
  Scheduler& scheduler_;
  ReplicaOwner& owner_;
  Resources request_;
  // A list: containers never move (probes and timers refer to them), and an empty list holds no
  // memory (a deque holds a map and a node even empty).
  std::list<Container> containers_;
  Node* node_ = nullptr;
  std::uint64_t node_ticket_ = 0;  // its entry in the node's pods
  PodStage stage_ = PodStage::Unscheduled;
  PodPhase phase_ = PodPhase::Pending;
  Status status_ = Status::Unknown;
  engine::Time created_at_;
  engine::Time bound_at_ = engine::Time::never();
  engine::Time set_up_at_ = engine::Time::never();
  engine::Time running_since_ = engine::Time::never();
  engine::Time first_running_at_ = engine::Time::never();
  /// The DisruptionTarget condition's reason and message, once evicted.
  /// What few pods have to say: why one cannot be scheduled, why one was disrupted. Apart, so
  /// that the many pods that never say it hold one pointer instead of three strings.
  // The time pending for a cause (unschedulable, nominated, waiting for a new node) is as rare.
  struct Notes {
    std::string unschedulable_message;
    std::string disruption_reason;
    std::string disruption_message;
    std::array<Dwell, 3> pending;  // by PendingCause
    std::optional<PendingCause> pending_cause;
  };
  std::unique_ptr<Notes> notes_;
  Notes& notes() {
    if (!notes_) notes_ = std::make_unique<Notes>();
    return *notes_;
  }
  bool node_lost_ = false;
  PodEvents events_;
  engine::TimerId setup_timer_;
  bool removed_ = false;
  bool terminating_ = false;
  bool fold_when_gone_ = false;
};

}  // namespace wlsim::models

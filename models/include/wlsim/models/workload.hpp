#pragma once
// A workload: a stable identity around its protons. It shows its active proton's status (or its
// own: stopping, stopped, terminated), runs its replacements one at a time and keeps their history,
// and accounts for the resources its pods hold.

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/autoscaler.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/dwell.hpp"
#include "wlsim/models/proton.hpp"
#include "wlsim/models/replacement.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/traffic.hpp"
#include "wlsim/models/traffic_spec.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

/// Resource-time held by a workload's pods: the integral of what they hold, per resource.
struct ResourceSeconds {
  double replica = 0;    ///< replica·s (bound pods)
  double cpu = 0;        ///< core·s
  double memory_gb = 0;  ///< GB·s (10^9 bytes)
  double gpu = 0;        ///< device·s
};

/// The replica counts of the proton holding the traffic at one instant (the replicas timeline).
struct ReplicaCounts {
  engine::Time at;
  int desired = 0;  ///< what the autoscaler (or the fixed replicaCount) asks for
  int current = 0;  ///< replicas the proton has
  int ready = 0;
  ScaleMode mode = ScaleMode::Fixed;
  friend bool operator==(const ReplicaCounts& a, const ReplicaCounts& b) noexcept {
    return a.desired == b.desired && a.current == b.current && a.ready == b.ready &&
           a.mode == b.mode;
  }
};

class Workload final : public ProtonOwner, public ReplacementHost, public AutoscalerOwner {
 public:
  /// `traffic` (may be null: no requests are sent to it) must outlive the workload.
  Workload(const Context& ctx, WorkloadSpec spec, Scheduler& scheduler,
           const PlatformSettings& settings, const TrafficSpec* traffic = nullptr);
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  /// Creates its first proton (active) on `artifact` and starts it.
  void create(const ArtifactSpec& artifact);

  /// Starts a rolling replacement onto `artifact` (the caller has checked the rules).
  Replacement& start_replacement(ReplacementRequest request, const ArtifactSpec& artifact,
                                 engine::Time deadline);
  /// DELETE /replacement: false if there is none to cancel.
  bool cancel_replacement();
  /// DELETE /replacement after the flip, in the keep-old window: why not, if it cannot roll back.
  [[nodiscard]] std::optional<std::string> roll_back_replacement();
  /// Stops: every proton torn down (an active replacement is cancelled): stopping → stopped.
  void stop();
  /// Starts a stopped workload again on `artifact`, with a new proton.
  void start(const ArtifactSpec& artifact);
  /// Deletes: every proton torn down, terminated.
  void remove();
  /// Promotion in place: the active proton's artifact is marked locked; nothing restarts.
  void promote();
  void set_importance(Importance i) noexcept { spec_.importance = i; }
  void set_name(std::string name) { name_ = std::move(name); }

  [[nodiscard]] const WorkloadSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::string& id() const noexcept { return spec_.id; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The artifact it runs now (the active proton's; after a switch, the new one).
  [[nodiscard]] const std::string& artifact_id() const noexcept { return spec_.artifact_id; }
  [[nodiscard]] Status status() const noexcept { return status_; }
  [[nodiscard]] bool deleted() const noexcept { return deleted_; }
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }
  [[nodiscard]] const std::deque<Proton>& protons() const noexcept { return protons_; }
  [[nodiscard]] const Proton* active_proton() const noexcept { return active_; }
  [[nodiscard]] const std::deque<Replacement>& replacements() const noexcept {
    return replacements_;
  }
  /// The replacement in progress, if any.
  [[nodiscard]] const Replacement* current_replacement() const noexcept { return current_; }
  [[nodiscard]] engine::Time created_at() const noexcept { return created_at_; }
  /// Created → first `running`; never if it has not run yet.
  [[nodiscard]] engine::Time time_to_running() const noexcept { return time_to_running_; }
  /// Total time spent `errored` up to `now`.
  [[nodiscard]] engine::Time errored_dwell(engine::Time now) const noexcept;
  /// Time, after it first ran, that the proton holding its traffic had fewer ready replicas than
  /// desired (a lost node, an eviction, a crash, a scale-up under way), up to `now`.
  [[nodiscard]] engine::Time degraded_time(engine::Time now) const noexcept {
    return degraded_.total(now);
  }
  /// Whether it was errored and later ran again.
  [[nodiscard]] bool errored_recovered() const noexcept { return errored_recovered_; }
  [[nodiscard]] bool ever_errored() const noexcept { return ever_errored_; }
  /// The milestones of the replica whose readiness completed the workload's first `running`
  /// (none if not yet, or without replicas).
  [[nodiscard]] std::optional<ReplicaMilestones> first_running_milestones() const noexcept {
    if (first_running_proton_ == nullptr) return std::nullopt;
    return first_running_proton_->milestones(first_running_replica_);
  }
  /// What its pods hold now, the most they held at once, and the resource-time up to `now`.
  [[nodiscard]] const Resources& held() const noexcept { return held_; }
  [[nodiscard]] const Resources& peak_held() const noexcept { return peak_held_; }
  [[nodiscard]] ResourceSeconds resource_seconds(engine::Time now) const noexcept;

  /// Its requests (none without a traffic entry) and its autoscaler.
  [[nodiscard]] Traffic* traffic() const noexcept { return traffic_.get(); }
  [[nodiscard]] const Autoscaler& autoscaler() const noexcept { return *autoscaler_; }
  /// Every change of the replica counts, when it has traffic or has been autoscaled.
  [[nodiscard]] const std::vector<ReplicaCounts>& replica_timeline() const noexcept {
    return timeline_;
  }

  /// Its last lifecycle records (its own, its protons' and its replacements'), oldest first.
  [[nodiscard]] const WorkloadRecords& recent_records() const noexcept { return records_; }

  // ProtonOwner and ReplacementHost
  [[nodiscard]] WorkloadRecords& lifecycle_records() override { return records_; }
  // ProtonOwner
  void on_proton_changed(Proton& p) override;
  void on_resources_changed(const Resources& delta, int pods) override;
  void on_replica_readiness(Proton& p, Replica& r, bool ready) override;
  // AutoscalerOwner
  void on_autoscaled() override;
  // ReplacementHost
  void switch_traffic(Proton& candidate) override;
  void switch_back(Proton& kept) override;
  void replacement_ended(Replacement& r) override;

 private:
  Proton& new_proton(const ArtifactSpec& artifact, const RuntimeSpec& runtime, ProtonRole role);
  void set_status(Status next);
  void update();
  /// Creates the active proton on `artifact` at the runtime's initial scale, and starts it.
  void start_active(const ArtifactSpec& artifact);
  /// `p` becomes the active proton (a flip, or a rollback): the previous one retires.
  void give_traffic_to(Proton& p);
  /// The proton that holds the traffic is now `p` (creation, start, flip).
  void hold_traffic(Proton& p);
  /// Records the replica counts if they changed.
  void note_replicas();
  void note_degraded();
  /// `r` plus what the pods held now integrated from accounted_until_ to `now`.
  [[nodiscard]] ResourceSeconds integrated(ResourceSeconds r, engine::Time now) const noexcept;

  const Context& ctx_;
  WorkloadSpec spec_;
  std::string name_;
  Scheduler& scheduler_;
  std::deque<Proton> protons_;
  std::deque<Replacement> replacements_;
  Proton* active_ = nullptr;
  Replacement* current_ = nullptr;
  Status status_ = Status::Unknown;
  bool stopped_ = false;
  bool deleted_ = false;
  engine::Time created_at_ = engine::Time::never();
  engine::Time time_to_running_ = engine::Time::never();
  Dwell errored_;
  Dwell degraded_;
  bool ever_errored_ = false;
  bool errored_recovered_ = false;
  // The replica of first_running_milestones(): its proton (null if none) and its index there.
  const Proton* first_running_proton_ = nullptr;
  std::size_t first_running_replica_ = 0;
  Resources held_;
  Resources peak_held_;
  ResourceSeconds resource_seconds_;
  int replicas_bound_ = 0;
  engine::Time accounted_until_;
  WorkloadRecords records_;
  // On the heap: it is most of a workload's size, and a workload this size or more (1 KiB) is an
  // allocation glibc serves only after sorting every small chunk freed before it, once per run.
  std::unique_ptr<Autoscaler> autoscaler_;
  std::unique_ptr<Traffic> traffic_;
  bool tracks_replicas_ = false;
  std::vector<ReplicaCounts> timeline_;
  ReplicaCounts last_counts_;  ///< timeline_.back(), kept at hand
};

}  // namespace wlsim::models

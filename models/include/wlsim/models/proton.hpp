#pragma once
// A proton: one running instance of (artifact, runtime), with its replicas. Its base status is the
// worst replica's, with errored sticky (SEMANTICS.md §6, through status.hpp); on top of it the
// proton-only states: `warming` (a candidate in its warm-up), `draining` (an old proton kept
// without traffic), `terminated` (torn down).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/engine/prefetch.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/container_spec_pool.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/dwell.hpp"
#include "wlsim/models/replica.hpp"
#include "wlsim/models/replica_figures.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/status.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

class Proton;

/// The workload, told whenever a proton's status or held resources change.
class ProtonOwner {
 public:
  virtual void on_proton_changed(Proton& p) = 0;
  /// Resources bound to nodes changed by `delta`, as `pods` pods (+1 or -1) were bound or released.
  virtual void on_resources_changed(const Resources& delta, int pods) = 0;
  /// The workload's last lifecycle records, where a proton keeps its status and role records.
  [[nodiscard]] virtual WorkloadRecords& lifecycle_records() = 0;
  /// A replica of `p` became ready (`ready`) or stopped being ready (unready, or removed).
  virtual void on_replica_readiness(Proton& p, Replica& r, bool ready) = 0;

 protected:
  ~ProtonOwner() = default;
};

/// `retiring`: an old proton after the traffic switch, kept (draining) until it is torn down.
enum class ProtonRole { Active, Candidate, Retiring };
[[nodiscard]] const char* to_string(ProtonRole r) noexcept;

class Proton final : public ReplicaOwner {
 public:
  /// `artifact` is copied: later changes to the artifact (locking) do not touch a running proton.
  /// `artifact`'s containers are shared through the run's pool (Context::container_specs), copied
  /// only where the runtime changes them or the pool has none equal; the proton keeps the rest.
  Proton(const Context& ctx, std::string path, const ArtifactSpec& artifact, RuntimeSpec runtime,
         Importance importance, ProtonRole role, Scheduler& scheduler, ProtonOwner& owner);
  Proton(const Proton&) = delete;
  Proton& operator=(const Proton&) = delete;

  /// Creates the replicas and submits them to the scheduler.
  void start();
  /// Deletes every replica (each releases its node once its containers have exited) and ends as
  /// `terminated` at once.
  void tear_down();
  /// Sets the number of replicas (the autoscaler's scale). Up: new replicas are created and
  /// submitted like any other. Down: replicas that are not ready go first, then the most recently
  /// created (SEMANTICS.md §8).
  void scale_to(int count);

  void set_role(ProtonRole r);
  /// A candidate in its warm-up shows `warming` while its replicas are all running.
  void set_warming(bool warming);
  /// Marks the artifact locked (promotion in place): no restart.
  void lock_artifact() noexcept { artifact_.status = ArtifactStatus::Locked; }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  /// The artifact it runs; its containers are held once, as containers() (with the runtime's
  /// overrides), so `artifact().containers` is empty.
  [[nodiscard]] const ArtifactSpec& artifact() const noexcept { return artifact_; }
  [[nodiscard]] const RuntimeSpec& runtime() const noexcept { return runtime_; }
  [[nodiscard]] ProtonRole role() const noexcept { return role_; }
  /// What the platform shows: the overlay state if any, else the roll-up.
  [[nodiscard]] Status status() const noexcept { return shown_; }
  /// The roll-up of its replicas alone (errored sticky), without warming/draining/terminated.
  [[nodiscard]] Status base_status() const noexcept { return base_; }
  [[nodiscard]] bool torn_down() const noexcept { return torn_down_; }
  /// Whether a scale_to() is under way (its replicas' changes are one change of scale).
  [[nodiscard]] bool scaling() const noexcept { return scaling_; }
  /// How many replicas it ever had, removed ones included: their indexes are 0 to this - 1, in
  /// creation order.
  [[nodiscard]] std::size_t replicas_created() const noexcept { return replicas_.size(); }
  /// Replica `index`, or nullptr once it is folded: removed and gone, a scaled-down pod (or any
  /// of a torn-down proton's when no statusDetails can list them) leaves only its figures.
  [[nodiscard]] const Replica* replica(std::size_t index) const noexcept {
    return replicas_[index].get();
  }
  /// Calls `f(const Replica&)` for each replica not folded, in creation order.
  template <typename F>
  void for_each_replica(F&& f) const {
    for (const std::unique_ptr<Replica>& r : replicas_) {
      if (r) f(*r);
    }
  }
  /// What replica `index` adds to the run's results, up to `now` (folded or not).
  [[nodiscard]] ReplicaFigures figures(std::size_t index, engine::Time now) const noexcept;
  /// The replica whose start completed the proton's first run to `running`, for the breakdown of
  /// its time to running: the first in creation order of those that became running last (a
  /// replica not running counts as never, so a removed one is chosen first). Chosen once, by
  /// the workload when it first runs; the proton keeps its milestones from then on, and stops
  /// keeping those of its other folded replicas. None without replicas.
  std::optional<std::size_t> choose_breakdown_replica();
  /// The milestones of replica `index`; of a folded one only while kept (see above).
  [[nodiscard]] ReplicaMilestones milestones(std::size_t index) const noexcept;
  /// No breakdown will name its replicas (its workload already runs): folded replicas keep
  /// nothing but their figures.
  void forget_milestones();
  /// Its scale: the replicas it has now (not removed).
  [[nodiscard]] int scale() const noexcept { return runtime_.replica_count; }
  /// Asks for the lines scale() and ready_count() read (engine/prefetch.hpp).
  void prefetch_counts() const noexcept {
    engine::prefetch(&runtime_.replica_count);
    engine::prefetch(replicas_by_status_.data());
  }
  /// Of them, ready (`running`).
  [[nodiscard]] int ready_count() const noexcept {
    return replicas_by_status_[static_cast<std::size_t>(Status::Running)];
  }
  /// Its containers as its replicas run them (the artifact's, with the runtime's overrides).
  [[nodiscard]] const std::vector<ContainerSpec>& containers() const noexcept {
    return *containers_;
  }
  /// The primary container (the one that serves requests).
  [[nodiscard]] const ContainerSpec& primary() const noexcept;
  /// The resources one replica requests.
  [[nodiscard]] Resources replica_request() const noexcept;
  [[nodiscard]] engine::Time created_at() const noexcept { return created_at_; }
  /// Created → first running (never if not yet).
  [[nodiscard]] engine::Time time_to_running() const noexcept { return time_to_running_; }
  /// Time its base status was errored, up to `now`.
  [[nodiscard]] engine::Time errored_dwell(engine::Time now) const noexcept;

  void on_replica_changed(Replica& r, Status previous) override;
  void on_replica_resources(const Resources& delta, int pods) override {
    owner_.on_resources_changed(delta, pods);
  }
  void on_replica_evicted(Replica& r, EvictionCause cause) override;
  void on_replica_gone(Replica& r) override;

 private:
  void update();
  Replica& add_replica();
  /// Replica `index`, removed: folded at once, or once it is gone if it still terminates.
  void compact(std::size_t index);
  /// Frees replica `index` (removed and gone), keeping what the results and the breakdown read.
  void fold(std::size_t index);

  const Context& ctx_;
  std::string path_;
  std::string id_;
  ArtifactSpec artifact_;
  RuntimeSpec runtime_;
  Importance importance_;
  ProtonRole role_;
  Scheduler& scheduler_;
  ProtonOwner& owner_;
  // The artifact's, with the runtime's resource overrides; shared with the run's protons that run
  // the same (Context::container_specs).
  ContainerSpecs containers_;
  std::size_t pool_ = kAnyPool;  // its resource bundle's node pool
  // By index; null once folded. Replicas never move: the scheduler, nodes and timers refer to them.
  std::vector<std::unique_ptr<Replica>> replicas_;
  // What a folded replica leaves, by ascending index: only those with figures to add, or whose
  // milestones are kept (the others add nothing to any sum).
  struct Folded {
    std::size_t index;
    ReplicaFigures figures;
    ReplicaMilestones milestones;
  };
  std::vector<Folded> folded_;
  /// The first record at or after `index`, and the one of `index` (null if it left none).
  [[nodiscard]] std::vector<Folded>::const_iterator folded_from(std::size_t index) const noexcept;
  [[nodiscard]] const Folded* find_folded(std::size_t index) const noexcept;
  // Whose milestones a folded replica keeps: every one until the breakdown's replica is chosen,
  // then that one only (kAllMilestones, an index, or kNoMilestones).
  static constexpr std::size_t kAllMilestones = static_cast<std::size_t>(-1);
  static constexpr std::size_t kNoMilestones = static_cast<std::size_t>(-2);
  std::size_t milestones_kept_ = kAllMilestones;
  std::vector<std::size_t> live_;  ///< indexes of the replicas not removed, in creation order
  // How many replicas are in each status that counts towards the roll-up (unknown and terminated do
  // not), indexed by the status: the roll-up reads these, never the replicas, so a replica change
  // costs O(1) and allocates nothing.
  std::array<int, kStatusCount> replicas_by_status_{};
  std::uint32_t present_ = 0;  // bit s: replicas_by_status_[s] > 0 (the roll-up reads these)
  static_assert(kStatusCount <= 32);
  Status base_ = Status::Unknown;
  Status shown_ = Status::Unknown;
  bool warming_ = false;
  bool started_ = false;
  bool torn_down_ = false;
  bool tearing_down_ = false;
  bool scaling_ = false;
  engine::Time created_at_;
  engine::Time time_to_running_ = engine::Time::never();
  Dwell errored_;
  /// The live replicas that were errored while the proton is errored: the failing pods. Replacing
  /// the last of them (an eviction) ends the stickiness (SEMANTICS.md §6).
  std::vector<std::size_t> failing_;
  bool unstick_ = false;
};

}  // namespace wlsim::models

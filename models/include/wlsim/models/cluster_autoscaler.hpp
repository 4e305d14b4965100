#pragma once
// The cluster autoscaler (SEMANTICS.md §5; kubernetes/autoscaler's cluster-autoscaler): every scan
// interval it adds the fewest nodes that hold the pending pods (first-fit in scheduling order,
// pool by pool up to maxCount; nodes still being provisioned count as room already asked for), and
// removes a node that has been unneeded for the unneeded time (requested share below the threshold
// of its allocatable cpu and memory, its pods fit elsewhere), not within the delay after a
// scale-up and never below minCount. A removed node's pods are evicted gracefully and rescheduled.
// It exists only when some pool may grow or shrink: a fixed cluster costs no scan events.
//
// Its cost per scan follows the work: the pending pods the scheduler could not place, the nodes
// being provisioned, and the nodes of the pools that may shrink (only their requested totals are
// read; a node's pods are looked at only when it is underutilised).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/cluster.hpp"
#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/scheduler.hpp"

namespace wlsim::models {

class ClusterAutoscaler final : public engine::EventHandler {
 public:
  ClusterAutoscaler(const Context& ctx, const ClusterAutoscalerParams& params, Cluster& cluster,
                    Scheduler& scheduler);
  ClusterAutoscaler(const ClusterAutoscaler&) = delete;
  ClusterAutoscaler& operator=(const ClusterAutoscaler&) = delete;
  ~ClusterAutoscaler();

  /// Schedules the first scan (one scan interval after the start).
  void start();

  /// Nodes added and removed so far: a node counts as added when it is requested and as removed
  /// when it is cordoned for removal.
  [[nodiscard]] int scale_ups() const noexcept { return scale_ups_; }
  [[nodiscard]] int scale_downs() const noexcept { return scale_downs_; }
  /// Nodes requested and not yet Ready.
  [[nodiscard]] std::size_t provisioning() const noexcept { return upcoming_.size(); }

 private:
  /// A node asked for and not Ready yet, with the pods the last scan expects it to hold.
  struct Upcoming {
    std::size_t pool;
    engine::TimerId ready;
    std::vector<const Schedulable*> planned;
  };

  /// Room of existing nodes (by position) given to pods in a scan's simulation.
  using Room = std::unordered_map<std::size_t, Resources>;

  void on_event(std::uint64_t token) override;
  void scan();
  /// Returns the room it gave pending pods that fit existing nodes (the scheduler binds them
  /// later this instant).
  Room scale_up();
  void node_ready(std::uint64_t id);
  void finish_drains();
  /// `taken`: room already given away in this scan; a node that holds some is no candidate.
  void scale_down(Room taken);
  /// Cordons node `index` and evicts its pods; it is deleted once they are gone.
  void remove(std::size_t index);
  void delete_node(Node& n);
  /// The nodes of pool `pool` counted against max(): live ones and those being provisioned.
  [[nodiscard]] int target_size(std::size_t pool) const;

  const Context& ctx_;
  ClusterAutoscalerParams params_;
  Cluster& cluster_;
  Scheduler& scheduler_;
  std::vector<engine::RandomStream> provisioning_rng_;  // one per pool
  engine::TimerId scan_timer_;
  std::map<std::uint64_t, Upcoming> upcoming_;  // by request order
  std::uint64_t next_upcoming_ = 0;
  std::vector<int> upcoming_per_pool_;
  std::set<const Schedulable*> waiting_;  // told WaitingForNode and not told otherwise since
  std::map<std::size_t, engine::Time> unneeded_since_;  // node position → since when
  std::vector<std::size_t> draining_;                   // cordoned for removal, in that order
  std::vector<int> draining_per_pool_;
  std::optional<engine::Time> last_scale_up_;
  int scale_ups_ = 0;
  int scale_downs_ = 0;
};

}  // namespace wlsim::models

#pragma once
// The cluster autoscaler (SEMANTICS.md §5; kubernetes/autoscaler's cluster-autoscaler): every scan
// interval it adds the fewest nodes that hold the pending pods (first-fit in scheduling order,
// pool by pool up to maxCount; nodes still being provisioned count as room already asked for), and
// removes a node that has been unneeded for the unneeded time (requested share below the threshold
// of its allocatable cpu and memory, its pods fit elsewhere), not within the delay after a
// scale-up and never below minCount. A removed node's pods are evicted gracefully and rescheduled.
// It exists only when some pool may grow or shrink: a fixed cluster costs no scan events.

#include <cstdint>
#include <vector>

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

  /// Nodes added and removed so far.
  [[nodiscard]] int scale_ups() const noexcept { return scale_ups_; }
  [[nodiscard]] int scale_downs() const noexcept { return scale_downs_; }

 private:
  void on_event(std::uint64_t token) override;

  const Context& ctx_;
  ClusterAutoscalerParams params_;
  Cluster& cluster_;
  Scheduler& scheduler_;
  int scale_ups_ = 0;
  int scale_downs_ = 0;
};

}  // namespace wlsim::models

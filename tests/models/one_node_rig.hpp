#pragma once
// What the proton-level tests build: one node, a scheduler, an artifact of one container, and an
// owner that notes what the proton tells it.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wlsim/models/proton.hpp"

namespace wlsim::models::testing {

/// Notes what a proton tells its workload.
struct Owner final : ProtonOwner {
  std::vector<Status> seen;  ///< every status it reported, in order
  int pods = 0;              ///< the pods holding resources
  int ready_changes = 0;     ///< replicas that became ready, less those that stopped being
  WorkloadRecords records;
  void on_proton_changed(Proton& p) override { seen.push_back(p.status()); }
  void on_resources_changed(const Resources&, int n) override { pods += n; }
  WorkloadRecords& lifecycle_records() override { return records; }
  void on_replica_readiness(Proton&, Replica&, bool ready) override {
    ready_changes += ready ? 1 : -1;
  }
};

/// One node with room for `room` replicas of 1 cpu and 1 GB; the app's image is on it, and the
/// artifact's one container ("app", primary, reg/app:1) asks exactly that and starts at once.
/// Every record goes to `sink`.
struct OneNodeRig {
  engine::Simulator sim;
  engine::Trace trace;
  engine::MemorySink sink;
  Context ctx;
  ClusterSpec spec;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Scheduler> scheduler;
  ArtifactSpec artifact;
  Owner owner;

  explicit OneNodeRig(int room, std::uint64_t seed = 1) : ctx{sim, trace, seed} {
    trace.add_sink(sink);
    NodePoolSpec pool;
    pool.name = std::string("n");  // (assigning a literal trips GCC 12's -Wrestrict)
    pool.allocatable = Resources{1000 * room, 1000000000LL * room, 0};
    pool.cached_images = {"reg/app:1"};
    spec.node_pools.push_back(pool);
    cluster = std::make_unique<Cluster>(ctx, spec);
    scheduler = std::make_unique<Scheduler>(ctx, *cluster);
    ContainerSpec c;
    c.name = "app";
    c.primary = true;
    c.image_uri = "reg/app:1";
    c.resources = Resources{1000, 1000000000, 0};
    artifact = {"a", ArtifactStatus::Locked, "service", {c}};
  }
  BehaviorSpec& behavior() { return artifact.containers[0].behavior; }
  /// An active proton of `replicas` replicas of the artifact, at "wl/p1".
  [[nodiscard]] std::unique_ptr<Proton> make_proton(int replicas) {
    RuntimeSpec runtime;
    runtime.replica_count = replicas;
    return std::make_unique<Proton>(ctx, "wl/p1", artifact, runtime, Importance::Low,
                                    ProtonRole::Active, *scheduler, owner);
  }
};

}  // namespace wlsim::models::testing

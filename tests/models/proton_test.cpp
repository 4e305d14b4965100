// SEMANTICS.md §6: a proton shows its worst replica, errored sticky; kept from counts per status.
#include "wlsim/models/proton.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
struct Owner final : ProtonOwner {
  std::vector<Status> seen;
  int pods = 0;
  void on_proton_changed(Proton& p) override { seen.push_back(p.status()); }
  void on_resources_changed(const Resources&, int n) override { pods += n; }
  WorkloadRecords& lifecycle_records() override { return records; }
  void on_replica_readiness(Proton&, Replica&, bool ready) override {
    ready_changes += ready ? 1 : -1;
  }
  WorkloadRecords records;
  int ready_changes = 0;
};

/// One node with room for `room` replicas of 1 cpu; the app's image is on it and it starts at once.
struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ClusterSpec spec;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Scheduler> scheduler;
  ArtifactSpec artifact;
  Owner owner;
  explicit Rig(int room) {
    spec.node_pools.push_back(
        {"n", 1, Resources{1000 * room, 1000000000LL * room, 0}, {"reg/app:1"}, {}, {}, {}});
    cluster = std::make_unique<Cluster>(ctx, spec);
    scheduler = std::make_unique<Scheduler>(ctx, *cluster);
    ContainerSpec c;
    c.name = "app";
    c.primary = true;
    c.image_uri = "reg/app:1";
    c.resources = Resources{1000, 1000000000, 0};
    artifact = {"a", ArtifactStatus::Locked, "service", {c}};
  }
};
}  // namespace

TEST_CASE("a proton shows its worst replica: one unschedulable replica keeps it submitted",
          "[proton]") {
  Rig r(2);
  Proton p(r.ctx, "wl/p1", r.artifact, RuntimeSpec{3, {}, {}, {}}, Importance::Low, ProtonRole::Active,
           *r.scheduler, r.owner);
  p.start();
  r.sim.run();
  REQUIRE(p.replicas_created() == 3);
  CHECK(p.replica(0)->status() == Status::Running);
  CHECK(p.replica(1)->status() == Status::Running);
  CHECK(p.replica(2)->status() == Status::Submitted);
  CHECK(p.status() == Status::Submitted);
  CHECK(r.owner.pods == 2);
  CHECK(p.time_to_running().is_never());
}

TEST_CASE("a proton is running once every replica runs, and terminated after its teardown",
          "[proton]") {
  Rig r(3);
  Proton p(r.ctx, "wl/p1", r.artifact, RuntimeSpec{3, {}, {}, {}}, Importance::Low, ProtonRole::Active,
           *r.scheduler, r.owner);
  p.start();
  r.sim.run();
  CHECK(p.status() == Status::Running);
  CHECK(p.time_to_running() == Time::zero());
  p.tear_down();
  CHECK(p.status() == Status::Terminated);
  CHECK(p.base_status() == Status::Running);  // the base is final once torn down
  // Its pods hold their nodes for the termination grace period (30 s): the app ignores SIGTERM.
  CHECK(r.owner.pods == 3);
  r.sim.run();
  CHECK(r.ctx.now() == Time::from_seconds(30));
  CHECK(r.owner.pods == 0);
  // The app is up and ready as its container starts: no launching in between.
  CHECK(r.owner.seen == std::vector<Status>{Status::Initializing, Status::Submitted,
                                            Status::Provisioning, Status::Running,
                                            Status::Terminated});
}

TEST_CASE("a proton of no replicas is running at once", "[proton]") {
  Rig r(1);
  Proton p(r.ctx, "wl/p1", r.artifact, RuntimeSpec{0, {}, {}, {}}, Importance::Low, ProtonRole::Active,
           *r.scheduler, r.owner);
  p.start();
  r.sim.run();
  CHECK(p.status() == Status::Running);
  CHECK(r.owner.seen == std::vector<Status>{Status::Initializing, Status::Running});
}

TEST_CASE("a replica freed by its neighbour's removal moves the proton on from submitted",
          "[proton]") {
  Rig r(1);
  Proton first(r.ctx, "wl/p1", r.artifact, RuntimeSpec{1, {}, {}, {}}, Importance::Low, ProtonRole::Active,
               *r.scheduler, r.owner);
  Owner other;
  Proton second(r.ctx, "wl/p2", r.artifact, RuntimeSpec{1, {}, {}, {}}, Importance::Low, ProtonRole::Active,
                *r.scheduler, other);
  first.start();
  second.start();
  r.sim.run();
  CHECK(first.status() == Status::Running);
  CHECK(second.status() == Status::Submitted);
  first.tear_down();
  r.sim.run();
  CHECK(second.status() == Status::Running);
  CHECK(second.replica(0)->unschedulable_message().empty());
}

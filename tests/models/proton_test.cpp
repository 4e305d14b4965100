// SEMANTICS.md §6: a proton shows its worst replica, errored sticky; kept from counts per status.
#include "wlsim/models/proton.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "one_node_rig.hpp"

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
using testing::Owner;
/// One node with room for `room` replicas of 1 cpu; the app's image is on it and it starts at once.
using Rig = testing::OneNodeRig;
}  // namespace

TEST_CASE("a proton shows its worst replica: one unschedulable replica keeps it submitted",
          "[proton]") {
  Rig r(2);
  Proton p(r.ctx, "wl/p1", r.artifact, RuntimeSpec{3, {}, {}, {}}, Importance::Low,
           ProtonRole::Active, *r.scheduler, r.owner);
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
  Proton p(r.ctx, "wl/p1", r.artifact, RuntimeSpec{3, {}, {}, {}}, Importance::Low,
           ProtonRole::Active, *r.scheduler, r.owner);
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
  Proton p(r.ctx, "wl/p1", r.artifact, RuntimeSpec{0, {}, {}, {}}, Importance::Low,
           ProtonRole::Active, *r.scheduler, r.owner);
  p.start();
  r.sim.run();
  CHECK(p.status() == Status::Running);
  CHECK(r.owner.seen == std::vector<Status>{Status::Initializing, Status::Running});
}

TEST_CASE("a replica freed by its neighbour's removal moves the proton on from submitted",
          "[proton]") {
  Rig r(1);
  Proton first(r.ctx, "wl/p1", r.artifact, RuntimeSpec{1, {}, {}, {}}, Importance::Low,
               ProtonRole::Active, *r.scheduler, r.owner);
  Owner other;
  Proton second(r.ctx, "wl/p2", r.artifact, RuntimeSpec{1, {}, {}, {}}, Importance::Low,
                ProtonRole::Active, *r.scheduler, other);
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

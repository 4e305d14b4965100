// SEMANTICS.md §6: the roll-up.
#include "wlsim/models/status.hpp"

#include <array>
#include <catch2/catch.hpp>

using namespace wlsim::models;
using CC = ContainerCondition;

TEST_CASE("a replica without a node is submitted; set-up under way is provisioning", "[status]") {
  const std::array<CC, 1> ready{CC::Ready};
  CHECK(replica_status(PodStage::Unscheduled, ready) == Status::Submitted);
  CHECK(replica_status(PodStage::SettingUp, ready) == Status::Provisioning);
}

TEST_CASE("every container counts: the most severe container state wins in a replica", "[status]") {
  const std::array<CC, 2> primary_ready_sidecar_launching{CC::Ready, CC::Launching};
  CHECK(replica_status(PodStage::ContainersStarted, primary_ready_sidecar_launching) ==
        Status::Launching);
  const std::array<CC, 3> sidecar_errored{CC::Ready, CC::Launching, CC::Errored};
  CHECK(replica_status(PodStage::ContainersStarted, sidecar_errored) == Status::Errored);
  const std::array<CC, 2> all_ready{CC::Ready, CC::Ready};
  CHECK(replica_status(PodStage::ContainersStarted, all_ready) == Status::Running);
}

TEST_CASE("a pod in phase Failed errors its replica", "[status]") {
  const std::array<CC, 1> ready{CC::Ready};
  CHECK(replica_status(PodStage::Failed, ready) == Status::Errored);
}

TEST_CASE("the worst replica wins for the proton", "[status]") {
  const std::array<Status, 3> a{Status::Running, Status::Launching, Status::Running};
  CHECK(worst_of(a) == Status::Launching);
  const std::array<Status, 3> b{Status::Launching, Status::Submitted, Status::Provisioning};
  CHECK(worst_of(b) == Status::Submitted);
  const std::array<Status, 3> c{Status::Submitted, Status::Errored, Status::Running};
  CHECK(worst_of(c) == Status::Errored);
}

TEST_CASE("errored is sticky until running", "[status]") {
  CHECK(sticky(Status::Errored, Status::Launching) == Status::Errored);
  CHECK(sticky(Status::Errored, Status::Submitted) == Status::Errored);
  CHECK(sticky(Status::Errored, Status::Running) == Status::Running);
  CHECK(sticky(Status::Launching, Status::Running) == Status::Running);
  CHECK(sticky(Status::Running, Status::Launching) == Status::Launching);
}

// SEMANTICS.md §1 and §7: the run's artifacts. Ids are unique, locking is one-way, only a locked
// artifact is cloned (as a draft), and a draft backs at most one workload.

#include "wlsim/models/artifact_store.hpp"

#include <catch2/catch.hpp>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "wlsim/models/cluster.hpp"
#include "wlsim/models/scheduler.hpp"

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {

ArtifactSpec artifact(const std::string& id, ArtifactStatus status) {
  ArtifactSpec a;
  a.id = id;
  a.status = status;
  ContainerSpec c;
  c.name = "app";
  c.primary = true;
  c.image_uri = "app:1";
  a.containers.push_back(c);
  return a;
}

// Workloads of zero replicas: running at once, nothing to schedule.
struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ClusterSpec spec;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Scheduler> scheduler;
  PlatformSettings settings;
  std::deque<Workload> workloads;
  // The scenario's artifacts: the store reads its locked ones in place.
  std::vector<ArtifactSpec> initial{artifact("draft", ArtifactStatus::Draft),
                                    artifact("other-draft", ArtifactStatus::Draft),
                                    artifact("locked", ArtifactStatus::Locked)};
  ArtifactStore store{initial};
  Rig() {
    spec.node_pools.push_back({"n", 1, {4000, 16'000'000'000, 0}, {}, {}, {}, {}});
    cluster = std::make_unique<Cluster>(ctx, spec);
    scheduler = std::make_unique<Scheduler>(ctx, *cluster);
  }
  Workload& add(const std::string& id, const std::string& artifact_id) {
    WorkloadSpec s;
    s.id = id;
    s.artifact_id = artifact_id;
    s.runtime.replica_count = 0;
    Workload& w = workloads.emplace_back(ctx, s, *scheduler, settings);
    w.create(*store.find(artifact_id));
    return w;
  }
};

}  // namespace

TEST_CASE("a draft backs at most one workload: the store names the one it backs", "[artifacts]") {
  Rig r;
  CHECK(r.store.draft_user("draft", r.workloads, nullptr) == nullptr);
  const Workload& a = r.add("wl-a", "draft");
  CHECK(r.store.draft_user("draft", r.workloads, nullptr) == &a);
  // The workload itself is not a second user.
  CHECK(r.store.draft_user("draft", r.workloads, &a) == nullptr);
  CHECK(r.store.draft_user("other-draft", r.workloads, nullptr) == nullptr);
}

TEST_CASE("a locked artifact backs any number of workloads", "[artifacts]") {
  Rig r;
  r.add("wl-a", "locked");
  r.add("wl-b", "locked");
  CHECK(r.store.draft_user("locked", r.workloads, nullptr) == nullptr);
  CHECK(r.store.draft_user("unknown", r.workloads, nullptr) == nullptr);
}

TEST_CASE("a draft that is the target of a replacement in progress backs that workload",
          "[artifacts]") {
  Rig r;
  Workload& a = r.add("wl-a", "draft");
  ReplacementRequest req;
  req.artifact_id = "other-draft";
  a.start_replacement(req, *r.store.find("other-draft"), Time::never());
  REQUIRE(a.current_replacement() != nullptr);
  CHECK(r.store.draft_user("other-draft", r.workloads, nullptr) == &a);
  CHECK(r.store.draft_user("other-draft", r.workloads, &a) == nullptr);
}

TEST_CASE("a deleted workload no longer holds its draft", "[artifacts]") {
  Rig r;
  Workload& a = r.add("wl-a", "draft");
  a.remove();
  CHECK(r.store.draft_user("draft", r.workloads, nullptr) == nullptr);
}

TEST_CASE("locking is one-way: draft to locked is allowed, locked to draft is 422", "[artifacts]") {
  Rig r;
  CHECK_FALSE(r.store.set_status("draft", ArtifactStatus::Draft).has_value());
  CHECK_FALSE(r.store.set_status("draft", ArtifactStatus::Locked).has_value());
  CHECK(r.store.find("draft")->status == ArtifactStatus::Locked);
  CHECK_FALSE(r.store.set_status("draft", ArtifactStatus::Locked).has_value());
  const auto refusal = r.store.set_status("draft", ArtifactStatus::Draft);
  REQUIRE(refusal.has_value());
  CHECK(refusal->status == 422);
  CHECK(refusal->message == "artifact draft is locked: locking is one-way");
  CHECK(r.store.find("draft")->status == ArtifactStatus::Locked);
}

TEST_CASE("a scenario's locked artifacts are read in place, its drafts are the run's copies",
          "[artifacts]") {
  Rig r;
  CHECK(r.store.find("locked") == &r.initial[2]);
  CHECK(r.store.find("draft") != &r.initial[0]);
  CHECK_FALSE(r.store.set_status("locked", ArtifactStatus::Locked).has_value());
  CHECK_FALSE(r.store.set_status("draft", ArtifactStatus::Locked).has_value());
  // Locking the run's draft leaves the scenario's as it was (other runs share it).
  CHECK(r.store.find("draft")->status == ArtifactStatus::Locked);
  CHECK(r.initial[0].status == ArtifactStatus::Draft);
  // The first of two artifacts with one id is kept, locked or not.
  std::vector<ArtifactSpec> twice{
      artifact("a", ArtifactStatus::Locked), artifact("a", ArtifactStatus::Draft),
      artifact("b", ArtifactStatus::Draft), artifact("b", ArtifactStatus::Locked)};
  twice[2].type = "first";
  const ArtifactStore store(twice);
  CHECK(store.find("a") == &twice[0]);
  REQUIRE(store.find("b") != nullptr);
  CHECK(store.find("b")->type == "first");
  CHECK(store.find("b")->status == ArtifactStatus::Draft);
}

TEST_CASE("patching an unknown artifact is 404", "[artifacts]") {
  Rig r;
  const auto refusal = r.store.set_status("nope", ArtifactStatus::Locked);
  REQUIRE(refusal.has_value());
  CHECK(refusal->status == 404);
  CHECK(refusal->message == "artifact nope not found");
}

TEST_CASE("ids are unique: adding a taken id is 409 and keeps the first", "[artifacts]") {
  Rig r;
  const auto refusal = r.store.add(artifact("locked", ArtifactStatus::Draft));
  REQUIRE(refusal.has_value());
  CHECK(refusal->status == 409);
  CHECK(refusal->message == "artifact locked already exists");
  CHECK(r.store.find("locked")->status == ArtifactStatus::Locked);
  CHECK_FALSE(r.store.add(artifact("new", ArtifactStatus::Draft)).has_value());
  REQUIRE(r.store.find("new") != nullptr);
  CHECK(r.store.find("new")->status == ArtifactStatus::Draft);
}

TEST_CASE("a clone of a locked artifact is a draft copy under the new id", "[artifacts]") {
  Rig r;
  CHECK_FALSE(r.store.clone("locked", "copy").has_value());
  const ArtifactSpec* copy = r.store.find("copy");
  REQUIRE(copy != nullptr);
  CHECK(copy->status == ArtifactStatus::Draft);
  REQUIRE(copy->containers.size() == 1);
  CHECK(copy->containers[0].image_uri == "app:1");
  CHECK(r.store.find("locked")->status == ArtifactStatus::Locked);
}

TEST_CASE("clone refusals: unknown 404, a draft 422, a taken new id 409", "[artifacts]") {
  Rig r;
  const auto unknown = r.store.clone("nope", "copy");
  REQUIRE(unknown.has_value());
  CHECK(unknown->status == 404);
  CHECK(unknown->message == "artifact nope not found");
  const auto draft = r.store.clone("draft", "copy");
  REQUIRE(draft.has_value());
  CHECK(draft->status == 422);
  CHECK(draft->message == "only a locked artifact can be cloned; draft is a draft");
  const auto taken = r.store.clone("locked", "draft");
  REQUIRE(taken.has_value());
  CHECK(taken->status == 409);
  CHECK(taken->message == "artifact draft already exists");
  CHECK(r.store.find("copy") == nullptr);
}

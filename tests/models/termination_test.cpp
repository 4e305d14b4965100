// SEMANTICS.md §4, §5, §6, §8: pod deletion as Kubernetes does it. SIGTERM, then SIGKILL at the end
// of the termination grace period; the pod holds its node until every container has exited;
// evictions recreate the pod; a lost node makes its pods not ready at once; why a pod is pending.
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "one_node_rig.hpp"
#include "wlsim/models/proton.hpp"
#include "wlsim/models/status_details.hpp"

using wlsim::engine::Distribution;
using wlsim::engine::MemorySink;
using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
Time s(double seconds) { return Time::from_seconds(seconds); }

using testing::Owner;

/// One node with room for `room` replicas of 1 cpu; the app's image is on it and it starts at once.
struct Rig : testing::OneNodeRig {
  explicit Rig(int room) : OneNodeRig(room) {}
  [[nodiscard]] std::int64_t free_cpu() const { return cluster->nodes()[0].free().cpu_milli; }
  /// The times `object`'s records of `kind` reached `to`.
  [[nodiscard]] std::vector<double> times(const std::string& object, std::string_view kind,
                                          std::string_view to) const {
    std::vector<double> out;
    for (const auto& r : sink.records()) {
      if (r.object == object && r.kind_name() == kind && r.to_name() == to)
        out.push_back(r.time.seconds());
    }
    return out;
  }
  [[nodiscard]] std::vector<std::string> messages(const std::string& object,
                                                  std::string_view reason) const {
    std::vector<std::string> out;
    for (const auto& r : sink.records()) {
      if (r.object == object && r.reason_name() == reason) out.push_back(r.message);
    }
    return out;
  }
};

/// The platform and the scheduler hold a replica as a Schedulable they may evict.
Replica& mutable_replica(const Proton& p, std::size_t i) {
  return const_cast<Replica&>(*p.replica(i));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

ProbeSpec liveness_on(const std::string& path) {
  ProbeSpec probe;
  probe.path = path;
  probe.period = s(10);
  probe.timeout = s(1);
  probe.failure_threshold = 3;
  return probe;
}
}  // namespace

TEST_CASE(
    "scale-down: SIGTERM, SIGKILL (137) at the end of the 30 s grace period, the node held "
    "until then",
    "[termination]") {
  Rig r(2);
  auto p = r.make_proton(2);
  p->start();
  r.sim.run_until(s(10));
  REQUIRE(p->ready_count() == 2);
  REQUIRE(r.free_cpu() == 0);
  p->scale_to(1);
  const Replica& victim = *p->replica(1);
  const ReplicaMilestones started = victim.milestones();
  // It leaves the roll-up at once, not ready, but it still holds its node.
  CHECK(victim.status() == Status::Terminated);
  CHECK(victim.terminating());
  CHECK(p->replica(1) == &victim);  // folded only once it is gone
  CHECK(victim.containers().front().state() == ContainerState::Running);
  CHECK_FALSE(victim.containers().front().ready());
  CHECK(p->scale() == 1);
  CHECK(p->ready_count() == 1);
  CHECK(p->status() == Status::Running);
  CHECK(r.owner.pods == 2);
  CHECK(r.messages("wl/p1/r1/app", "Killing") ==
        std::vector<std::string>{"Stopping container app"});
  r.sim.run_until(s(39.999));
  CHECK(r.free_cpu() == 0);
  CHECK(victim.terminating());
  r.sim.run_until(s(40));
  CHECK(r.free_cpu() == 1000);
  CHECK(r.owner.pods == 1);
  CHECK(p->replica(1) == nullptr);  // gone (no longer terminating): folded into its figures
  CHECK(p->replicas_created() == 2);
  CHECK(p->figures(1, s(40)).none());                    // nothing to add to the results
  CHECK(p->milestones(1).bound_at == started.bound_at);  // no breakdown chosen yet: kept
  CHECK(p->milestones(1).apps_up_at == started.apps_up_at);
  CHECK(r.times("wl/p1/r1/app", "container", "terminated:Error") == std::vector<double>{40});
  CHECK(r.messages("wl/p1/r1/app", "Error") ==
        std::vector<std::string>{"exit code 137 (pod deleted)"});
  CHECK(r.times("wl/p1/r1", "phase", "Failed") == std::vector<double>{40});
}

TEST_CASE("teardown: an app with shutdown 5s exits 143 at t+5 and frees its node then",
          "[termination]") {
  Rig r(1);
  r.behavior().shutdown = Distribution::constant(5e6);
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(10));
  p->tear_down();
  CHECK(p->status() == Status::Terminated);  // at once, as before
  CHECK(r.owner.pods == 1);
  r.sim.run_until(s(14.999));
  CHECK(r.free_cpu() == 0);
  r.sim.run_until(s(15));
  CHECK(r.free_cpu() == 1000);
  CHECK(r.owner.pods == 0);
  const Container& c = p->replica(0)->containers().front();
  CHECK(c.state() == ContainerState::Terminated);
  CHECK(c.last_exit_code() == 143);
  CHECK(c.message() == "exit code 143 (pod deleted)");
  CHECK(c.restart_count() == 0);  // no restart after a deletion
}

TEST_CASE(
    "a container keeps its state message only where statusDetails can be asked; the trace "
    "has it always",
    "[termination]") {
  for (const bool details : {true, false}) {
    Rig r(1);
    r.ctx.keep_recent.pod_details = details;
    r.behavior().shutdown = Distribution::constant(5e6);
    auto p = r.make_proton(1);
    p->start();
    r.sim.run_until(s(10));
    const Container& c = p->replica(0)->containers().front();
    CHECK(c.message() == (details ? "Started container app" : ""));
    p->tear_down();
    r.sim.run_until(s(40));
    // Without details a torn-down proton keeps no pod: the container is gone.
    if (details) CHECK(c.message() == "exit code 143 (pod deleted)");
    std::vector<std::string> messages;
    for (const auto& rec : r.sink.records()) {
      if (rec.object == "wl/p1/r0/app" && rec.kind_name() == "container")
        messages.push_back(rec.message);
    }
    CHECK(messages ==
          std::vector<std::string>{"", "Started container app", "exit code 143 (pod deleted)"});
  }
}

TEST_CASE("a shutdown longer than the grace period is cut by SIGKILL (137) at t+30",
          "[termination]") {
  Rig r(1);
  r.behavior().shutdown = Distribution::constant(45e6);
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(10));
  p->tear_down();
  r.sim.run_until(s(40));
  CHECK(r.free_cpu() == 1000);
  CHECK(p->replica(0)->containers().front().last_exit_code() == 137);
}

TEST_CASE("a hung container ignores SIGTERM: 137 at t+30", "[termination]") {
  Rig r(1);
  r.behavior().shutdown = Distribution::constant(5e6);
  r.behavior().hang_after = Distribution::constant(1e6);
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(10));
  p->tear_down();
  r.sim.run_until(s(39.999));
  CHECK(r.free_cpu() == 0);
  r.sim.run_until(s(40));
  CHECK(r.free_cpu() == 1000);
  CHECK(p->replica(0)->containers().front().last_exit_code() == 137);
}

TEST_CASE("a grace period of 0 deletes at once, as before", "[termination]") {
  Rig r(1);
  r.ctx.kubelet.termination_grace_period = Time::zero();
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(10));
  p->tear_down();
  CHECK(r.free_cpu() == 1000);
  CHECK(r.owner.pods == 0);
  CHECK_FALSE(p->replica(0)->terminating());
  CHECK(r.times("wl/p1/r0/app", "container", "terminated:Completed") == std::vector<double>{10});
  CHECK(r.messages("wl/p1/r0/app", "Killing").empty());
}

TEST_CASE("a container with no running process stops at once when its pod is deleted",
          "[termination]") {
  Rig r(1);
  r.behavior().exit = ExitSpec{Distribution::constant(5e6), 1};  // crash loop: exits every 5 s
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(12));  // exits at 5 (restart at once) and 10 (back-off until 20)
  REQUIRE(p->replica(0)->containers().front().state_reason() == Reason::CrashLoopBackOff);
  p->tear_down();
  CHECK(r.free_cpu() == 1000);
  CHECK_FALSE(p->replica(0)->terminating());
}

TEST_CASE(
    "a scaled-down pod is folded into its figures: its restarts still count, its milestones are "
    "read while no breakdown was chosen",
    "[termination]") {
  Rig r(2);
  r.behavior().exit = ExitSpec{Distribution::constant(5e6), 1};  // crash loop: exits every 5 s
  auto p = r.make_proton(2);
  p->start();
  r.sim.run_until(s(12));
  const int restarts = p->replica(1)->restarts();
  REQUIRE(restarts > 0);
  const ReplicaMilestones started = p->replica(1)->milestones();
  REQUIRE_FALSE(started.bound_at.is_never());
  p->scale_to(1);  // no running process: it stops at once, and is folded
  CHECK(p->replica(1) == nullptr);
  CHECK(p->figures(1, s(12)).restarts == restarts);
  CHECK(p->figures(1, s(500)).pending_time() == Time::zero());
  CHECK(p->milestones(1).bound_at == started.bound_at);
  // Neither is running: the first in creation order is chosen.
  CHECK(p->choose_breakdown_replica() == std::optional<std::size_t>{0});
  CHECK(p->figures(1, s(12)).restarts == restarts);  // the figures stay
}

TEST_CASE(
    "a liveness kill: SIGTERM, not ready at once, SIGKILL at the grace period's end, the "
    "back-off measured from that exit",
    "[termination][probe]") {
  Rig r(1);
  r.artifact.containers[0].liveness = liveness_on("/healthz");
  r.behavior().serves_all = false;
  r.behavior().serves = {"/"};
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(190));
  const std::string app = "wl/p1/r0/app";
  // Probes at 0, 10, 20 fail: SIGTERM at 20; SIGKILL at 50, restarted at once (the first exit);
  // probes at 50, 60, 70: SIGTERM at 70, exit at 100, back-off 10 s: running at 110; SIGTERM at
  // 130, exit at 160, back-off 20 s: running at 180.
  // The same Killing event three times: recorded when it first happens, and as its series of 3
  // when the run ends (event_series.hpp).
  CHECK(r.messages(app, "Killing").size() == 1);
  r.ctx.finish();
  REQUIRE(r.messages(app, "Killing").size() == 2);
  const auto& records = r.sink.records();
  const auto series = std::find_if(records.begin(), records.end(), [](const auto& x) {
    return x.reason_name() == "Killing" && x.count > 1;
  });
  REQUIRE(series != records.end());
  const wlsim::engine::TraceRecord& killing = *series;
  CHECK(killing.count == 3);
  CHECK(killing.first == s(20));
  CHECK(killing.last == s(130));
  CHECK(killing.time == s(190));
  CHECK(r.times(app, "container", "terminated:Error") == std::vector<double>{50, 100, 160});
  CHECK(r.times(app, "container", "running") == std::vector<double>{0, 50, 110, 180});
  CHECK(r.times(app, "ready", "false") == std::vector<double>{20, 70, 130});
  CHECK(r.messages(app, "Error").front() == "exit code 137 (killed after a failed probe)");
}

TEST_CASE("a liveness kill of an app with shutdown 2s exits 143 two seconds after SIGTERM",
          "[termination][probe]") {
  Rig r(1);
  r.artifact.containers[0].liveness = liveness_on("/healthz");
  r.behavior().serves_all = false;
  r.behavior().serves = {"/"};
  r.behavior().shutdown = Distribution::constant(2e6);
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(60));
  const std::string app = "wl/p1/r0/app";
  CHECK(r.times(app, "container", "terminated:Error") == std::vector<double>{22, 44});
  CHECK(r.messages(app, "Error").front() == "exit code 143 (killed after a failed probe)");
}

TEST_CASE("a liveness kill with a grace period of 0 exits at once (143), as before",
          "[termination][probe]") {
  Rig r(1);
  r.ctx.kubelet.termination_grace_period = Time::zero();
  r.artifact.containers[0].liveness = liveness_on("/healthz");
  r.behavior().serves_all = false;
  r.behavior().serves = {"/"};
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(60));
  CHECK(r.times("wl/p1/r0/app", "container", "terminated:Error") == std::vector<double>{20, 40});
}

TEST_CASE(
    "evict: DisruptionTarget and Preempted, graceful, then a new pending pod with restarts 0 "
    "that clears errored stickiness",
    "[termination][evict]") {
  Rig r(1);
  r.behavior().exit = ExitSpec{Distribution::constant(5e6), 1};
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(12));
  REQUIRE(p->status() == Status::Errored);
  r.sim.run_until(s(22));  // running again since 20, not ready (exit at 25): errored is sticky
  REQUIRE(p->replica(0)->status() == Status::Running);
  REQUIRE(p->status() == Status::Running);  // ready again: it left errored
  r.sim.run_until(s(27));                   // exited at 25: back-off 20 s
  REQUIRE(p->status() == Status::Errored);
  mutable_replica(*p, 0).evict(EvictionCause::Preemption, "Preempted by wl/high on node n-0");
  const Replica& old = *p->replica(0);
  CHECK(old.evicted_by() == EvictionCause::Preemption);
  CHECK(old.disruption_reason() == "PreemptionByScheduler");
  CHECK(r.messages("wl/p1/r0", "Preempted") ==
        std::vector<std::string>{"Preempted by wl/high on node n-0"});
  const auto conditions = pod_conditions(old);
  CHECK(conditions.back().type == "DisruptionTarget");
  CHECK(conditions.back().status);
  CHECK(old.restarts() == 2);
  REQUIRE(p->replicas_created() == 2);
  const Replica& fresh = *p->replica(1);
  CHECK(fresh.restarts() == 0);
  // The proton leaves errored for the new pod's submitted at once.
  CHECK(p->status() == Status::Submitted);
  // The crash-looping container had no running process: the node is free at once, and the new pod
  // binds there in the scheduler's pass at the same instant.
  CHECK(r.free_cpu() == 1000);
  r.sim.run_until(s(27));
  CHECK(r.free_cpu() == 0);
  CHECK(fresh.status() == Status::Running);
  CHECK(p->status() == Status::Running);
  CHECK(p->scale() == 1);
  const std::vector<Status> tail(r.owner.seen.end() - 4, r.owner.seen.end());
  CHECK(tail == std::vector<Status>{Status::Errored, Status::Submitted, Status::Provisioning,
                                    Status::Running});
}

TEST_CASE("evict by preemption holds the node for the grace period, then the new pod binds",
          "[termination][evict]") {
  Rig r(1);
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(60));
  mutable_replica(*p, 0).evict(EvictionCause::Preemption, "Preempted");
  REQUIRE(p->replicas_created() == 2);
  CHECK(p->replica(0)->terminating());
  CHECK(p->replica(1)->status() == Status::Submitted);
  CHECK(p->status() == Status::Submitted);
  r.sim.run_until(s(89.999));
  CHECK(p->replica(1)->status() == Status::Submitted);
  r.sim.run_until(s(90));
  CHECK_FALSE(p->replica(0)->terminating());
  CHECK(p->replica(1)->bound_at() == s(90));
  CHECK(p->status() == Status::Running);
}

TEST_CASE(
    "a lost node: its replica is not ready at once, stops silently, keeps its node until the "
    "eviction, which deletes it at once",
    "[termination][node]") {
  Rig r(1);
  r.artifact.containers[0].liveness = liveness_on("/");
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(600));
  REQUIRE(p->status() == Status::Running);
  mutable_replica(*p, 0).on_node_lost();
  const Replica& lost = *p->replica(0);
  CHECK(lost.status() == Status::Launching);
  CHECK_FALSE(lost.containers().front().ready());
  CHECK(p->status() == Status::Launching);
  CHECK(p->ready_count() == 0);
  CHECK(r.owner.ready_changes == 0);  // +1 when it became ready, -1 now
  CHECK(r.messages("wl/p1/r0", "NodeNotReady") == std::vector<std::string>{"Node is not ready"});
  const auto conditions = pod_conditions(lost);
  CHECK(conditions[3].type == "Ready");
  CHECK_FALSE(conditions[3].status);
  CHECK(conditions[3].reason == "NodeNotReady");
  r.sim.run_until(s(900));
  CHECK(lost.containers().front().restart_count() == 0);
  CHECK(lost.containers().front().state() == ContainerState::Running);  // the last state reported
  CHECK(r.free_cpu() == 0);
  mutable_replica(*p, 0).evict(EvictionCause::NodeFailure, "");
  CHECK(lost.disruption_reason() == "DeletionByTaintManager");
  CHECK(r.messages("wl/p1/r0", "TaintManagerEviction").size() == 1);
  CHECK_FALSE(lost.terminating());
  REQUIRE(p->replicas_created() == 2);
  r.sim.run_until(s(900));
  CHECK(p->replica(1)->bound_at() == s(900));  // the rig's node is still schedulable
}

TEST_CASE("a pod deleted while its node is lost keeps the node until the platform evicts it",
          "[termination][node]") {
  Rig r(1);
  auto p = r.make_proton(1);
  p->start();
  r.sim.run_until(s(10));
  mutable_replica(*p, 0).on_node_lost();
  p->tear_down();
  CHECK(p->replica(0)->terminating());
  r.sim.run_until(s(100));
  CHECK(r.free_cpu() == 0);
  mutable_replica(*p, 0).evict(EvictionCause::NodeFailure, "");
  CHECK(r.free_cpu() == 1000);
  CHECK(p->replicas_created() == 1);  // a torn-down proton recreates nothing
}

TEST_CASE("pending causes split the pending time: no capacity, waiting for victims, for a node",
          "[termination][pending]") {
  Rig r(1);
  auto p = r.make_proton(2);
  p->start();
  r.sim.run_until(s(10));
  Replica& waiting = mutable_replica(*p, 1);
  REQUIRE(waiting.status() == Status::Submitted);
  waiting.on_nominated(r.cluster->nodes()[0], 1);
  CHECK(waiting.preempted_others());
  REQUIRE(r.cluster->nodes()[0].name() == "n-0");
  CHECK(r.messages("wl/p1/r1", "Nominated") ==
        std::vector<std::string>{"nominated to node n-0, preempting 1 pod"});
  r.sim.run_until(s(25));
  waiting.on_unschedulable("0/1 nodes are available: 1 Insufficient cpu.");  // stays nominated
  waiting.on_pending_cause(PendingCause::WaitingForNode);
  r.sim.run_until(s(40));
  CHECK(waiting.pending_time(PendingCause::NoCapacity, s(40)) == s(10));
  CHECK(waiting.pending_time(PendingCause::WaitingForVictims, s(40)) == s(15));
  CHECK(waiting.pending_time(PendingCause::WaitingForNode, s(40)) == s(15));
  CHECK(waiting.pending_time(s(40)) == s(40));
  // Binding ends them all.
  r.ctx.kubelet.termination_grace_period = Time::zero();
  mutable_replica(*p, 0).evict(EvictionCause::Preemption, "Preempted");
  r.sim.run_until(s(40));
  CHECK(waiting.bound_at() == s(40));
  r.sim.run_until(s(100));
  CHECK(waiting.pending_time(s(100)) == s(40));
  CHECK(waiting.pending_time(PendingCause::WaitingForNode, s(100)) == s(15));
}

// SEMANTICS.md §5, node pools that grow: the cluster autoscaler's scale-up (fewest nodes for the
// pending pods, first-fit, up to maxCount, room being provisioned counted) and scale-down (unneeded
// for the unneeded time, not soon after a scale-up, never below minCount), and the cluster's node
// counts and node-seconds.
#include "wlsim/models/cluster_autoscaler.hpp"

#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/platform.hpp"

using wlsim::engine::Distribution;
using wlsim::engine::MemorySink;
using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using wlsim::engine::TraceRecord;
using namespace wlsim::models;

namespace {

constexpr std::int64_t kGB = 1000000000;

Resources cpu(std::int64_t milli) { return {milli, 1 * kGB, 0}; }

Time s(std::int64_t seconds) { return Time::from_seconds(seconds); }

/// A pod as the scheduler and the autoscaler see it; an eviction puts it back in the queue (as its
/// owner would with a new pod).
struct Pod final : Schedulable {
  Pod(Simulator& sim, Scheduler& scheduler, Resources r, std::size_t pool = kAnyPool)
      : sim(sim), scheduler(scheduler), req(r), pool(pool) {}
  Simulator& sim;
  Scheduler& scheduler;
  Resources req;
  std::size_t pool;
  Node* node = nullptr;
  std::uint64_t ticket = 0;
  Time bound_at = Time::never();
  std::vector<std::pair<Time, PendingCause>> causes;
  std::vector<std::pair<Time, EvictionCause>> evictions;

  Resources request() const override { return req; }
  int priority() const override { return 0; }
  std::size_t required_pool() const override { return pool; }
  void on_bound(Node& n) override {
    node = &n;
    ticket = n.add_pod(*this);
    bound_at = sim.now();
  }
  void on_unschedulable(const std::string&) override {}
  void on_pending_cause(PendingCause c) override { causes.emplace_back(sim.now(), c); }
  void evict(EvictionCause c, std::string_view) override {
    evictions.emplace_back(sim.now(), c);
    leave_node();
    scheduler.submit(*this);
  }
  void leave_node() {
    node->remove_pod(ticket);
    node->release(req);
    node = nullptr;
    scheduler.capacity_changed();
  }
  void submit() { scheduler.submit(*this); }
};

NodePoolSpec pool(std::string name, int count, std::optional<int> min, std::optional<int> max,
                  Distribution delay = Distribution::constant(120e6)) {
  NodePoolSpec p;
  p.name = std::move(name);
  p.count = count;
  p.allocatable = {4000, 16 * kGB, 0};
  p.min_count = min;
  p.max_count = max;
  p.provisioning_delay = std::move(delay);
  return p;
}

/// A node record, or an event of the autoscaler's.
bool about_nodes(const TraceRecord& r) {
  return r.kind_name() == "node" || r.reason_name() == "TriggeredScaleUp" ||
         r.reason_name() == "ScaleDown";
}

struct Rig {
  Simulator sim;
  Trace trace;
  MemorySink sink;
  Context ctx;
  ClusterSpec spec;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<ClusterAutoscaler> autoscaler;
  std::deque<Pod> pods;

  explicit Rig(std::vector<NodePoolSpec> pools, ClusterAutoscalerParams params = {},
               std::uint64_t seed = 1, bool start = true)
      : ctx{sim, trace, seed} {
    trace.add_sink(sink);
    spec.node_pools = std::move(pools);
    cluster = std::make_unique<Cluster>(ctx, spec);
    scheduler = std::make_unique<Scheduler>(ctx, *cluster);
    autoscaler = std::make_unique<ClusterAutoscaler>(ctx, params, *cluster, *scheduler);
    if (start) autoscaler->start();
  }
  Pod& pod(Resources r, std::size_t required = kAnyPool) {
    Pod& p = pods.emplace_back(sim, *scheduler, r, required);
    p.submit();
    return p;
  }
  /// "time object from->to reason: message" of every node record and autoscaler event.
  [[nodiscard]] std::vector<std::string> node_log() const {
    std::vector<std::string> out;
    for (const TraceRecord& r : sink.records()) {
      if (!about_nodes(r)) continue;
      out.push_back(std::to_string(r.time.us() / 1000000) + " " + r.object + " " +
                    std::string(r.from_name()) + "->" + std::string(r.to_name()) + " " +
                    std::string(r.reason_name()) + ": " + r.message);
    }
    return out;
  }
  [[nodiscard]] std::vector<std::string> node_names() const {
    std::vector<std::string> out;
    for (const Node& n : cluster->nodes()) {
      if (!n.deleted()) out.push_back(n.name());
    }
    return out;
  }
};

using Causes = std::vector<std::pair<Time, PendingCause>>;

}  // namespace

TEST_CASE(
    "acceptance: a pool of 2 with maxCount 4 and provisioningDelay 2m grows by the node a pending "
    "replica needs at the first scan, Ready 120 s later with an empty cache, and shrinks back to "
    "2 ten minutes after the load goes away",
    "[cluster_autoscaler]") {
  Simulator sim;
  Trace trace;
  MemorySink sink;
  trace.add_sink(sink);
  Context ctx{sim, trace, 1};
  PlatformSpec spec;
  spec.cluster.node_pools.push_back(pool("cpu", 2, std::nullopt, 4));
  ContainerSpec app;
  app.name = "app";
  app.primary = true;
  app.image_uri = "registry.example/app:1";
  app.readiness = default_probe(Profile::Platform, "/healthz");  // first probe 30 s after start
  app.resources = {3000, 4 * kGB, 0};                            // one replica per 4-cpu node
  app.resources_set = true;
  spec.artifacts.push_back({"app", ArtifactStatus::Locked, "service", {app}});
  WorkloadSpec w;
  w.id = "w";
  w.artifact_id = "app";
  w.runtime.replica_count = 3;
  spec.workloads.push_back(w);
  spec.actions.push_back(
      {s(305),
       api::Call{"DELETE /workloads/w", api::WorkloadCall{api::WorkloadCall::Verb::Delete, "w"}}});
  Platform platform(ctx, spec);
  REQUIRE(platform.cluster_autoscaler() != nullptr);
  platform.start();

  sim.run_until(s(200));
  const Cluster& cluster = platform.cluster();
  REQUIRE(cluster.nodes().size() == 3);
  const Node& added = cluster.nodes()[2];
  CHECK(added.name() == "cpu-2");
  const Replica& third = *platform.workloads()[0].protons()[0].replica(2);
  REQUIRE(third.node() == &added);
  CHECK(third.bound_at() == s(130));
  CHECK(third.first_running_at() == s(160));
  CHECK(added.pulls() == 1);  // the new node's cache was empty
  CHECK(added.has_image("registry.example/app:1"));
  CHECK(platform.workloads()[0].status() == Status::Running);

  sim.run_until(s(1200));
  CHECK(platform.cluster_autoscaler()->scale_ups() == 1);
  CHECK(platform.cluster_autoscaler()->scale_downs() == 1);
  // Every node is empty from 335 s (the pods' 30 s grace period after the DELETE at 305 s) and
  // unneeded from the scan at 340 s; two are kept (minCount is the start count).
  CHECK(cluster.pool_size(0) == 2);
  CHECK(cluster.nodes()[0].deleted());
  std::vector<std::string> log;
  for (const TraceRecord& r : sink.records()) {
    if (about_nodes(r))
      log.push_back(std::to_string(r.time.us() / 1000000) + " " + r.object + " " +
                    std::string(r.to_name()) + " " + std::string(r.reason_name()) + ": " +
                    r.message);
  }
  CHECK(log == std::vector<std::string>{
                   "10 pool/cpu Normal TriggeredScaleUp: pod triggered scale-up: [{cpu 2->3 (max: "
                   "4)}]",
                   "130 cpu-2 Ready RegisteredNode: Registered Node cpu-2 in Controller",
                   "940 cpu-0 Normal ScaleDown: marked the node as toBeDeleted/unschedulable",
                   "940 cpu-0 deleted RemovingNode: Removing Node cpu-0 from Controller"});
  const auto& counts = cluster.node_counts();
  REQUIRE(counts.size() == 3);
  CHECK(counts[1].at == s(130));
  CHECK(counts[1].nodes == 3);
  CHECK(counts[2].at == s(940));
  CHECK(counts[2].nodes == 2);
  CHECK(cluster.node_seconds(0, s(1000)) == 2 * 130 + 3 * (940 - 130) + 2 * (1000 - 940));
}

TEST_CASE(
    "scale-up asks for the fewest nodes, first-fit in scheduling order; a pod waits for a node "
    "from the scan until its node is Ready",
    "[cluster_autoscaler]") {
  Rig r({pool("cpu", 1, std::nullopt, 5)});
  Pod& full = r.pod(cpu(4000));
  Pod& a = r.pod(cpu(3000));  // a new node, 1 cpu left
  Pod& b = r.pod(cpu(2000));  // a second new node, 2 cpu left
  Pod& c = r.pod(cpu(1000));  // fits the first new node's room
  r.sim.run_until(s(129));
  CHECK(r.autoscaler->scale_ups() == 2);
  CHECK(r.autoscaler->provisioning() == 2);
  r.sim.run_until(s(200));
  CHECK(full.bound_at == Time::zero());
  for (const Pod* p : {&a, &b, &c}) {
    CHECK(p->causes ==
          Causes{{s(10), PendingCause::WaitingForNode}, {s(130), PendingCause::NoCapacity}});
    CHECK(p->bound_at == s(130));
  }
  CHECK(r.node_names() == std::vector<std::string>{"cpu-0", "cpu-1", "cpu-2"});
  CHECK(r.node_log() ==
        std::vector<std::string>{
            "10 pool/cpu ->Normal TriggeredScaleUp: pod triggered scale-up: [{cpu 1->3 (max: 5)}]",
            "130 cpu-1 ->Ready RegisteredNode: Registered Node cpu-1 in Controller",
            "130 cpu-2 ->Ready RegisteredNode: Registered Node cpu-2 in Controller"});
}

TEST_CASE(
    "a pod that fits the room of a node being provisioned asks for no other; its node's Ready "
    "tells it",
    "[cluster_autoscaler]") {
  Rig r({pool("cpu", 1, std::nullopt, 5)});
  r.pod(cpu(4000));
  Pod& first = r.pod(cpu(2000));
  r.sim.run_until(s(15));
  Pod& second = r.pod(cpu(2000));
  r.sim.run_until(s(200));
  CHECK(r.autoscaler->scale_ups() == 1);
  CHECK(first.causes ==
        Causes{{s(10), PendingCause::WaitingForNode}, {s(130), PendingCause::NoCapacity}});
  CHECK(second.causes ==
        Causes{{s(20), PendingCause::WaitingForNode}, {s(130), PendingCause::NoCapacity}});
  CHECK(first.node == second.node);
  CHECK(second.node->name() == "cpu-1");
}

/// Runs `what` when its timer fires.
struct Action final : wlsim::engine::EventHandler {
  explicit Action(std::function<void()> f) : what(std::move(f)) {}
  std::function<void()> what;
  void on_event(std::uint64_t) override { what(); }
};

TEST_CASE(
    "a pending pod that fits room freed at the scan's instant, before the scheduler's pass, asks "
    "for no node",
    "[cluster_autoscaler]") {
  Rig r({pool("cpu", 1, std::nullopt, 3)}, {}, 1, false);
  Pod& full = r.pod(cpu(4000));
  Pod& next = r.pod(cpu(4000));
  Action leave([&] { full.leave_node(); });
  (void)r.sim.schedule_at(s(10), leave, 0);  // before the first scan, at the same instant
  r.autoscaler->start();
  r.sim.run_until(s(300));
  CHECK(r.autoscaler->scale_ups() == 0);
  CHECK(next.causes.empty());
  CHECK(next.bound_at == s(10));
}

TEST_CASE("maxCount caps a pool: the pods beyond it ask for nothing and stay Pending",
          "[cluster_autoscaler]") {
  Rig r({pool("cpu", 1, std::nullopt, 2)});
  r.pod(cpu(4000));
  Pod& a = r.pod(cpu(4000));
  Pod& b = r.pod(cpu(4000));
  r.sim.run_until(s(1000));
  CHECK(r.autoscaler->scale_ups() == 1);
  CHECK(r.cluster->pool_size(0) == 2);
  CHECK(a.bound_at == s(130));
  CHECK(a.causes ==
        Causes{{s(10), PendingCause::WaitingForNode}, {s(130), PendingCause::NoCapacity}});
  CHECK(b.node == nullptr);
  CHECK(b.causes.empty());
  CHECK(r.node_log().front() ==
        "10 pool/cpu ->Normal TriggeredScaleUp: pod triggered scale-up: [{cpu 1->2 (max: 2)}]");
}

TEST_CASE("a pod that fits no empty node of any pool asks for nothing", "[cluster_autoscaler]") {
  Rig r({pool("cpu", 1, std::nullopt, 3), pool("big", 0, 0, 2)});
  Pod& huge = r.pod(cpu(8000));
  r.sim.run_until(s(1000));
  CHECK(r.autoscaler->scale_ups() == 0);
  CHECK(r.autoscaler->provisioning() == 0);
  CHECK(huge.causes.empty());
  CHECK(r.node_log().empty());
}

TEST_CASE(
    "a pod goes to the first pool that can hold it, or only to the pool it requires; a pool at "
    "its maximum is skipped",
    "[cluster_autoscaler]") {
  Rig r({pool("a", 1, std::nullopt, 2), pool("b", 0, 0, 2)});
  r.pod(cpu(4000));
  Pod& any1 = r.pod(cpu(4000));
  Pod& any2 = r.pod(cpu(3000));  // pool a is then at its maximum: pool b
  Pod& in_b = r.pod(cpu(1000), 1);
  r.sim.run_until(s(200));
  CHECK(any1.node->name() == "a-1");
  CHECK(any2.node->name() == "b-0");
  CHECK(in_b.node->name() == "b-0");  // first-fit onto the node opened for any2
  CHECK(r.node_log().front() ==
        "10 pool/a ->Normal TriggeredScaleUp: pod triggered scale-up: [{a 1->2 (max: 2)}]");
  CHECK(r.node_log()[1] ==
        "10 pool/b ->Normal TriggeredScaleUp: pod triggered scale-up: [{b 0->1 (max: 2)}]");
}

TEST_CASE("minCount: unneeded nodes go after the unneeded time, never below the minimum",
          "[cluster_autoscaler]") {
  Rig r({pool("cpu", 3, 1, std::nullopt)});
  r.sim.run_until(s(609));
  CHECK(r.cluster->pool_size(0) == 3);
  r.sim.run_until(s(2000));
  // Unneeded from the first scan (10 s); no scale-up happened, so nothing delays the removal.
  CHECK(r.node_names() == std::vector<std::string>{"cpu-2"});
  CHECK(r.autoscaler->scale_downs() == 2);
  const auto& counts = r.cluster->node_counts();
  REQUIRE(counts.size() == 3);
  CHECK(counts[1].at == s(610));
  CHECK(counts[1].nodes == 2);
  CHECK(counts[2].at == s(610));
  CHECK(counts[2].nodes == 1);
  CHECK(r.cluster->node_seconds(0, s(700)) == 3 * 610 + 1 * 90);
}

TEST_CASE("a node at or above the utilization threshold, or whose pods fit nowhere else, is needed",
          "[cluster_autoscaler]") {
  Rig r({pool("cpu", 2, 0, std::nullopt)});
  Pod& busy = r.pod(cpu(2500));   // cpu-0 above 0.5: needed
  Pod& other = r.pod(cpu(1900));  // cpu-1 below 0.5, but cpu-0 has no room for it
  r.sim.run_until(s(3000));
  CHECK(r.autoscaler->scale_downs() == 0);
  CHECK(busy.node->name() == "cpu-0");
  CHECK(other.node->name() == "cpu-1");
  CHECK(other.evictions.empty());
}

TEST_CASE(
    "scale-down: a removed node is cordoned, its pods evicted and rescheduled elsewhere, and it "
    "is deleted at the first scan that finds it empty",
    "[cluster_autoscaler]") {
  ClusterAutoscalerParams params;
  params.scale_down_unneeded_time = s(60);
  Rig r({pool("cpu", 2, 1, std::nullopt)}, params);
  Pod& a = r.pod(cpu(1000));  // cpu-0
  Pod& b = r.pod(cpu(1000));  // cpu-1 (least allocated)
  // An evicted pod keeps its node until a later instant, as a graceful termination would.
  r.sim.run_until(s(5));
  REQUIRE(a.node->name() == "cpu-0");
  REQUIRE(b.node->name() == "cpu-1");
  r.sim.run_until(s(100));
  // cpu-0 is unneeded from 10 s: its pod fits cpu-1, which then is no candidate (a pod moved
  // there in the simulation).
  CHECK(a.evictions ==
        std::vector<std::pair<Time, EvictionCause>>{{s(70), EvictionCause::ScaleDown}});
  CHECK(b.evictions.empty());
  CHECK(a.node->name() == "cpu-1");
  CHECK(r.node_names() == std::vector<std::string>{"cpu-1"});
  CHECK(r.node_log() ==
        std::vector<std::string>{
            "70 cpu-0 ->Normal ScaleDown: marked the node as toBeDeleted/unschedulable",
            "70 cpu-0 Ready->deleted RemovingNode: Removing Node cpu-0 from Controller"});
}

TEST_CASE("a node whose pods are still leaving is deleted at the first scan after they left",
          "[cluster_autoscaler]") {
  ClusterAutoscalerParams params;
  params.scale_down_unneeded_time = s(60);
  Rig r({pool("cpu", 2, 1, std::nullopt)}, params);
  Pod& a = r.pod(cpu(1000));
  r.pod(cpu(1000));
  r.sim.run_until(s(5));
  // A pod that ignores its eviction (as one that takes its grace period would) keeps cpu-0 until
  // it is taken off by hand at 75 s.
  struct Lingering final : Schedulable {
    Resources request() const override { return {}; }
    int priority() const override { return 0; }
    void on_bound(Node&) override {}
    void on_unschedulable(const std::string&) override {}
  } lingering;
  Node* cpu0 = a.node;
  const std::uint64_t held = cpu0->add_pod(lingering);
  r.sim.run_until(s(74));
  CHECK(cpu0->cordoned());
  CHECK_FALSE(cpu0->deleted());
  CHECK(a.evictions.size() == 1);
  r.sim.run_until(s(75));
  cpu0->remove_pod(held);
  r.sim.run_until(s(79));
  CHECK_FALSE(cpu0->deleted());
  r.sim.run_until(s(80));
  CHECK(cpu0->deleted());
  CHECK(r.cluster->pool_size(0) == 1);
}

TEST_CASE("no scale-down within the delay after a scale-up", "[cluster_autoscaler]") {
  ClusterAutoscalerParams params;
  params.scale_down_unneeded_time = s(60);
  params.scale_down_delay_after_add = s(300);
  Rig r({pool("cpu", 2, std::nullopt, 3)}, params);
  r.pod(cpu(4000));
  r.pod(cpu(4000));
  Pod& extra = r.pod(cpu(4000));
  r.sim.run_until(s(135));
  REQUIRE(extra.bound_at == s(130));
  extra.leave_node();  // the load goes away at 135 s: cpu-2 is unneeded from 140 s
  r.sim.run_until(s(309));
  CHECK(r.cluster->pool_size(0) == 3);
  r.sim.run_until(s(310));  // 10 s (the scale-up) + 300 s; unneeded for 170 s by then
  CHECK(r.cluster->pool_size(0) == 2);
  CHECK(r.node_log().back() ==
        "310 cpu-2 Ready->deleted RemovingNode: Removing Node cpu-2 from Controller");
}

TEST_CASE(
    "a node joins Ready and leaves deleted, the cordon an event; a Ready node's pods-to-be keep "
    "it at the scan before the scheduler binds them",
    "[cluster_autoscaler]") {
  ClusterAutoscalerParams params;
  params.scale_down_unneeded_time = s(0);
  params.scale_down_delay_after_add = s(0);
  Rig r({pool("cpu", 1, std::nullopt, 3)}, params);
  r.pod(cpu(4000));
  Pod& p = r.pod(cpu(4000));
  r.sim.run_until(s(200));
  // The scan at 130 s comes after the node's Ready and before the scheduler's pass: the pod about
  // to bind there keeps it.
  CHECK(p.bound_at == s(130));
  p.leave_node();
  r.sim.run_until(s(400));
  CHECK(r.node_log() ==
        std::vector<std::string>{
            "10 pool/cpu ->Normal TriggeredScaleUp: pod triggered scale-up: [{cpu 1->2 (max: 3)}]",
            "130 cpu-1 ->Ready RegisteredNode: Registered Node cpu-1 in Controller",
            "210 cpu-1 ->Normal ScaleDown: marked the node as toBeDeleted/unschedulable",
            "210 cpu-1 Ready->deleted RemovingNode: Removing Node cpu-1 from Controller"});
  CHECK(r.node_names() == std::vector<std::string>{"cpu-0"});
}

TEST_CASE(
    "the same seed gives the same provisioning delays and the same run; another seed other "
    "delays",
    "[cluster_autoscaler]") {
  const auto run = [](std::uint64_t seed) {
    Rig r({pool("cpu", 1, std::nullopt, 6, Distribution::uniform(60e6, 180e6))}, {}, seed);
    r.pod(cpu(4000));
    for (int i = 0; i < 4; ++i) r.pod(cpu(3000));
    r.sim.run_until(s(400));
    std::vector<std::int64_t> bound;
    for (const Pod& p : r.pods) bound.push_back(p.bound_at.us());
    return std::make_pair(r.node_log(), bound);
  };
  const auto one = run(7);
  CHECK(one == run(7));
  CHECK(one.first.size() == 5);  // one scale-up event, four nodes Ready
  const auto other = run(8);
  CHECK(other.first.front() == one.first.front());
  CHECK(other.second != one.second);
}

TEST_CASE(
    "the cluster names added nodes after the pool's count of nodes ever made, counts the live "
    "ones and charges each from creation to deletion",
    "[cluster_autoscaler][cluster]") {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ClusterSpec spec;
  spec.node_pools = {pool("a", 1, 0, 3), pool("b", 2, std::nullopt, std::nullopt)};
  spec.node_pools[0].cached_images = {"img"};
  Cluster cluster(ctx, spec);
  CHECK(cluster.nodes()[0].has_image("img"));
  sim.run_until(s(10));
  Node& a1 = cluster.add_node(0);
  CHECK(a1.name() == "a-1");
  CHECK_FALSE(a1.has_image("img"));
  CHECK(a1.ready());
  CHECK(a1.pool() == 0);
  sim.run_until(s(20));
  cluster.delete_node(cluster.nodes()[0]);
  CHECK(cluster.nodes()[0].deleted());
  CHECK_THROWS_AS(cluster.delete_node(cluster.nodes()[0]), std::logic_error);
  Node& a2 = cluster.add_node(0);
  CHECK(a2.name() == "a-2");  // never reuses a name
  struct Still final : Schedulable {
    Resources request() const override { return {}; }
    int priority() const override { return 0; }
    void on_bound(Node&) override {}
    void on_unschedulable(const std::string&) override {}
  } still;
  a2.add_pod(still);
  CHECK_THROWS_AS(cluster.delete_node(a2), std::logic_error);
  CHECK(cluster.pool_size(0) == 2);
  CHECK(cluster.pool_size(1) == 2);
  CHECK(cluster.pool_nodes(0) == std::vector<std::size_t>{3, 4});
  // a: one node 0..10, two 10..20, two 20..30 (a-0 gone, a-2 new); b: two all along.
  CHECK(cluster.node_seconds(0, s(30)) == 10 + 2 * 10 + 2 * 10);
  CHECK(cluster.node_seconds(1, s(30)) == 60);
  const auto& counts = cluster.node_counts();
  REQUIRE(counts.size() == 5);
  CHECK(counts[2].at == s(10));
  CHECK(counts[2].nodes == 2);
  CHECK(counts[3].at == s(20));
  CHECK(counts[3].nodes == 1);
  CHECK(counts[4].nodes == 2);
}

// SEMANTICS.md §5: scheduling under contention.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "wlsim/models/scheduler.hpp"

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
struct Pod final : Schedulable {
  Pod(std::string n, Resources r, int p = 0, std::vector<std::string>* l = nullptr)
      : name(std::move(n)), req(r), prio(p), log(l) {}
  std::string name;
  Resources req;
  int prio = 0;
  Node* node = nullptr;
  std::string message;
  std::vector<std::string>* log = nullptr;
  std::function<void()> when_bound;
  Resources request() const override { return req; }
  int priority() const override { return prio; }
  void on_bound(Node& n) override {
    node = &n;
    if (log != nullptr) log->push_back(name + "@" + n.name());
    if (when_bound) when_bound();
  }
  void on_unschedulable(const std::string& m) override { message = m; }
};

Resources cpu(std::int64_t milli, std::int64_t mem_gb = 1) { return {milli, mem_gb * 1000000000, 0}; }

struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ClusterSpec spec;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Scheduler> scheduler;
  explicit Rig(int nodes, Resources each) {
    spec.node_pools.push_back({"n", nodes, each, {}});
    cluster = std::make_unique<Cluster>(ctx, spec);
    scheduler = std::make_unique<Scheduler>(ctx, *cluster);
  }
};
}  // namespace

TEST_CASE("a pod goes to the least-allocated node that fits, the first in cluster order on a tie", "[scheduler]") {
  Rig r(3, cpu(4000, 16));
  std::vector<std::string> log;
  Pod a("a", cpu(2000), 0, &log);
  Pod b("b", cpu(2000), 0, &log);
  Pod c("c", cpu(1000), 0, &log);
  r.scheduler->submit(a);
  r.scheduler->submit(b);
  r.scheduler->submit(c);
  r.sim.run();
  CHECK(log == std::vector<std::string>{"a@n-0", "b@n-1", "c@n-2"});
}

TEST_CASE("higher priority is tried first; equal priorities keep their arrival order", "[scheduler]") {
  Rig r(1, cpu(2000, 16));
  std::vector<std::string> log;
  Pod low("low", cpu(2000), 0, &log);
  Pod high("high", cpu(2000), 2, &log);
  r.scheduler->submit(low);
  r.scheduler->submit(high);
  r.sim.run();
  CHECK(log == std::vector<std::string>{"high@n-0"});
  CHECK(low.message == "0/1 nodes are available: 1 Insufficient cpu.");
}

TEST_CASE("the Unschedulable message counts every reason, sorted, as Kubernetes prints it", "[scheduler]") {
  std::deque<Node> nodes;
  Trace trace;
  Simulator sim;
  Context ctx{sim, trace, 1};
  Registry registry(ctx, {});
  nodes.emplace_back(ctx, "a", Resources{1000, 64000000000, 0}, Time::zero(), registry);
  nodes.emplace_back(ctx, "b", Resources{8000, 1000000000, 0}, Time::zero(), registry);
  nodes.emplace_back(ctx, "c", Resources{1000, 1000000000, 0}, Time::zero(), registry);
  CHECK(Scheduler::unschedulable_message(nodes, Resources{2000, 2000000000, 1}) ==
        "0/3 nodes are available: 2 Insufficient cpu, 2 Insufficient memory, 3 Insufficient nvidia.com/gpu.");
  CHECK(Scheduler::unschedulable_message({}, Resources{}) == "no nodes available to schedule pods");
}

TEST_CASE("a pending pod is retried when capacity frees", "[scheduler]") {
  Rig r(1, cpu(2000, 16));
  Pod first("first", cpu(2000));
  Pod second("second", cpu(2000));
  r.scheduler->submit(first);
  r.scheduler->submit(second);
  r.sim.run();
  REQUIRE(first.node != nullptr);
  CHECK(second.node == nullptr);
  first.node->release(first.req);
  r.scheduler->capacity_changed();
  r.sim.run();
  CHECK(second.node != nullptr);
  CHECK(r.scheduler->pending() == 0);
}

TEST_CASE("a pod withdrawn by a callback during a pass is not bound later in that pass", "[scheduler]") {
  Rig r(2, cpu(2000, 16));
  Pod victim("victim", cpu(1000));
  Pod first("first", cpu(1000));
  first.when_bound = [&] { r.scheduler->withdraw(victim); };
  r.scheduler->submit(first);
  r.scheduler->submit(victim);
  r.sim.run();
  CHECK(first.node != nullptr);
  CHECK(victim.node == nullptr);
  CHECK(r.scheduler->pending() == 0);
}

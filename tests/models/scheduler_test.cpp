// SEMANTICS.md §5: scheduling under contention.
#include "wlsim/models/scheduler.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "wlsim/engine/random.hpp"

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

Resources cpu(std::int64_t milli, std::int64_t mem_gb = 1) {
  return {milli, mem_gb * 1000000000, 0};
}

struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ClusterSpec spec;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<Scheduler> scheduler;
  explicit Rig(int nodes, Resources each) {
    spec.node_pools.push_back({"n", nodes, each, {}, {}, {}, {}});
    cluster = std::make_unique<Cluster>(ctx, spec);
    scheduler = std::make_unique<Scheduler>(ctx, *cluster);
  }
};
}  // namespace

TEST_CASE("a pod goes to the least-allocated node that fits, the first in cluster order on a tie",
          "[scheduler]") {
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

TEST_CASE("higher priority is tried first; equal priorities keep their arrival order",
          "[scheduler]") {
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

TEST_CASE("the Unschedulable message counts every reason, sorted, as Kubernetes prints it",
          "[scheduler]") {
  std::deque<Node> nodes;
  Trace trace;
  Simulator sim;
  Context ctx{sim, trace, 1};
  Registry registry(ctx, {});
  nodes.emplace_back(ctx, "a", Resources{1000, 64000000000, 0}, Time::zero(), registry);
  nodes.emplace_back(ctx, "b", Resources{8000, 1000000000, 0}, Time::zero(), registry);
  nodes.emplace_back(ctx, "c", Resources{1000, 1000000000, 0}, Time::zero(), registry);
  CHECK(Scheduler::unschedulable_message(nodes, Resources{2000, 2000000000, 1}) ==
        "0/3 nodes are available: 2 Insufficient cpu, 2 Insufficient memory, 3 Insufficient "
        "nvidia.com/gpu.");
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

TEST_CASE("a pod withdrawn by a callback during a pass is not bound later in that pass",
          "[scheduler]") {
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

TEST_CASE("a pod that fits nowhere is told again only when its message changes", "[scheduler]") {
  Rig r(2, cpu(2000, 16));
  std::vector<std::string> log;
  Pod a("a", cpu(2000), 0, &log);
  Pod big("big", cpu(3000));
  int told = 0;
  struct Counting final : Schedulable {
    explicit Counting(int& t) : told(t) {}
    int& told;
    std::string message;
    Resources request() const override { return cpu(3000); }
    int priority() const override { return 0; }
    void on_bound(Node&) override {}
    void on_unschedulable(const std::string& m) override {
      message = m;
      ++told;
    }
  } waiting{told};
  r.scheduler->submit(waiting);
  r.sim.run();
  CHECK(waiting.message == "0/2 nodes are available: 2 Insufficient cpu.");
  CHECK(told == 1);
  r.scheduler->submit(a);  // a pass, but the message of `waiting` stays the same
  r.sim.run();
  CHECK(told == 1);
  r.scheduler->submit(big);  // the same shape, told once itself
  r.sim.run();
  CHECK(told == 1);
  CHECK(big.message == "0/2 nodes are available: 2 Insufficient cpu.");
  CHECK(log == std::vector<std::string>{"a@n-0"});
}

TEST_CASE(
    "the least-allocated node is found across pools of different sizes, the first in cluster order "
    "on a tie",
    "[scheduler]") {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ClusterSpec spec;
  spec.node_pools.push_back({"small", 2, cpu(2000, 4), {}, {}, {}, {}});
  spec.node_pools.push_back({"big", 2, cpu(8000, 16), {}, {}, {}, {}});
  Cluster cluster(ctx, spec);
  Scheduler scheduler(ctx, cluster);
  std::vector<std::string> log;
  // 1 cpu, 1 GB: small would keep (0.5 + 0.75) / 2, big (0.875 + 0.9375) / 2: big-0, then big-1.
  Pod a("a", cpu(1000), 0, &log);
  Pod b("b", cpu(1000), 0, &log);
  // 6 cpu fits big-0 and big-1 only, equally after a and b: the first.
  Pod c("c", cpu(6000), 0, &log);
  // 7.5 cpu fits nowhere: big-1 has 7 cpu left.
  Pod d("d", cpu(7500, 2), 0, &log);
  // 2 cpu, 4 GB: big-1 keeps (5/8 + 11/16) / 2, a small node 0.
  Pod e("e", cpu(2000, 4), -1, &log);
  // 2 cpu, 4 GB again: big-1 has 5 cpu, 11 GB; a small node still scores 0: big-1.
  Pod f("f", cpu(2000, 4), -1, &log);
  for (Pod* p : {&a, &b, &c, &d, &e, &f}) scheduler.submit(*p);
  sim.run();
  CHECK(log == std::vector<std::string>{"a@big-0", "b@big-1", "c@big-0", "e@big-1", "f@big-1"});
  CHECK(d.message == "0/4 nodes are available: 4 Insufficient cpu.");
  // Twice more: big-1 (3 cpu, 7 GB) keeps (1/8 + 3/16) / 2 > 0, then holds no more; the two small
  // nodes tie at 0: small-0.
  Pod g("g", cpu(2000, 4), -1, &log);
  Pod h("h", cpu(2000, 4), -1, &log);
  scheduler.submit(g);
  scheduler.submit(h);
  sim.run();
  CHECK(log == std::vector<std::string>{"a@big-0", "b@big-1", "c@big-0", "e@big-1", "f@big-1",
                                        "g@big-1", "h@small-0"});
}

TEST_CASE("equal scores on nodes of different sizes go to the first node in cluster order",
          "[scheduler]") {
  for (const bool wide_first : {true, false}) {
    Simulator sim;
    Trace trace;
    Context ctx{sim, trace, 1};
    ClusterSpec spec;
    const NodePoolSpec wide{"wide", 1, Resources{2000, 1000000000, 0}, {}, {}, {}, {}};
    const NodePoolSpec tall{"tall", 1, Resources{1000, 2000000000, 0}, {}, {}, {}, {}};
    spec.node_pools = wide_first ? std::vector{wide, tall} : std::vector{tall, wide};
    Cluster cluster(ctx, spec);
    Scheduler scheduler(ctx, cluster);
    // (0.75 + 0.5) / 2 on wide, (0.5 + 0.75) / 2 on tall: the same double.
    Pod p("p", Resources{500, 500000000, 0});
    scheduler.submit(p);
    sim.run();
    REQUIRE(p.node != nullptr);
    CHECK(p.node->name() == (wide_first ? "wide-0" : "tall-0"));
  }
}

namespace {
// The rule of SEMANTICS.md §5 written as plainly as it reads: every pass tries every pending pod,
// by priority then arrival, against every node. The indexed scheduler must bind and tell exactly
// this.
struct PlainScheduler {
  std::deque<Node>& nodes;
  struct Waiting {
    int priority;
    std::uint64_t seq;
    int id;
    Resources request;
  };
  std::vector<Waiting> pending;
  std::uint64_t seq = 0;
  std::map<int, std::string> told;
  std::vector<std::string> log;
  std::function<void(int, Node&)> after_bind{};  // what the bound pod's callback does, mid-pass

  Node* best(const Resources& req) {
    Node* best = nullptr;
    double best_score = -1.0;
    for (Node& n : nodes) {
      if (!req.fits_in(n.free())) continue;
      const Resources after = n.free() - req;
      const auto frac = [](std::int64_t free, std::int64_t total) {
        return total > 0 ? static_cast<double>(free) / static_cast<double>(total) : 0.0;
      };
      const double score = (frac(after.cpu_milli, n.allocatable().cpu_milli) +
                            frac(after.memory_bytes, n.allocatable().memory_bytes)) /
                           2.0;
      if (score > best_score) {
        best = &n;
        best_score = score;
      }
    }
    return best;
  }
  std::map<int, Node*> pass() {
    std::map<int, Node*> bound;
    std::stable_sort(pending.begin(), pending.end(), [](const Waiting& a, const Waiting& b) {
      return a.priority != b.priority ? a.priority > b.priority : a.seq < b.seq;
    });
    std::vector<Waiting> still;
    for (const Waiting& w : pending) {
      if (Node* n = best(w.request)) {
        n->reserve(w.request);
        bound[w.id] = n;
        log.push_back(std::to_string(w.id) + "@" + n->name());
        if (after_bind) after_bind(w.id, *n);
      } else {
        still.push_back(w);
        const std::string m = Scheduler::unschedulable_message(nodes, w.request);
        if (told[w.id] != m) log.push_back(std::to_string(w.id) + ": " + m);
        told[w.id] = m;
      }
    }
    pending = std::move(still);
    return bound;
  }
};

struct LoggedPod final : Schedulable {
  LoggedPod(int i, Resources r, int p, std::vector<std::string>& l)
      : id(i), req(r), prio(p), log(l) {}
  int id;
  Resources req;
  int prio;
  std::vector<std::string>& log;
  Node* node = nullptr;
  Resources request() const override { return req; }
  int priority() const override { return prio; }
  std::function<void(LoggedPod&)> when_bound{};
  void on_bound(Node& n) override {
    node = &n;
    log.push_back(std::to_string(id) + "@" + n.name());
    if (when_bound) when_bound(*this);
  }
  void on_unschedulable(const std::string& m) override {
    log.push_back(std::to_string(id) + ": " + m);
  }
};
}  // namespace

TEST_CASE("the scheduler binds and tells exactly what a full pass over every pod and node would",
          "[scheduler]") {
  const std::vector<Resources> shapes{cpu(1000, 1), cpu(2000, 2), cpu(3000, 1),
                                      cpu(500, 6),  cpu(1500, 3), Resources{1000, 1000000000, 1},
                                      cpu(5000, 2)};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    Simulator sim;
    Trace trace;
    Context ctx{sim, trace, 1};
    ClusterSpec spec;
    spec.node_pools.push_back({"a", 3, cpu(4000, 8), {}, {}, {}, {}});
    spec.node_pools.push_back({"b", 2, cpu(8000, 4), {}, {}, {}, {}});
    spec.node_pools.push_back({"g", 1, Resources{2000, 16000000000, 1}, {}, {}, {}, {}});
    Cluster cluster(ctx, spec);
    Cluster plain_cluster(ctx, spec);  // no scheduler watches it
    Scheduler scheduler(ctx, cluster);
    PlainScheduler plain{plain_cluster.nodes(), {}, 0, {}, {}, {}};
    std::vector<std::string> log;
    std::deque<LoggedPod> pods;
    std::map<int, Node*> plain_bound;
    wlsim::engine::RandomStream rng(seed, "scheduler-test", "ops");
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng.next_u64() % n); };
    for (int batch = 0; batch < 150; ++batch) {
      bool pass = false;
      const std::size_t ops = 1 + pick(4);
      for (std::size_t op = 0; op < ops; ++op) {
        const std::size_t kind = pick(10);
        if (kind < 5) {
          const int id = static_cast<int>(pods.size());
          const Resources req = shapes[pick(shapes.size())];
          const int prio = static_cast<int>(pick(3));
          scheduler.submit(pods.emplace_back(id, req, prio, log));
          plain.pending.push_back({prio, plain.seq++, id, req});
          pass = true;
        } else if (kind < 8) {
          // Release a bound pod's node on both sides.
          std::vector<LoggedPod*> bound;
          for (LoggedPod& p : pods) {
            if (p.node != nullptr) bound.push_back(&p);
          }
          if (bound.empty()) continue;
          LoggedPod& p = *bound[pick(bound.size())];
          p.node->release(p.req);
          p.node = nullptr;
          plain_bound.at(p.id)->release(p.req);
          plain_bound.erase(p.id);
          pass = pass || scheduler.pending() > 0;
          scheduler.capacity_changed();
        } else {
          if (plain.pending.empty()) continue;
          const int id = plain.pending[pick(plain.pending.size())].id;
          scheduler.withdraw(pods[static_cast<std::size_t>(id)]);
          std::erase_if(plain.pending,
                        [&](const PlainScheduler::Waiting& w) { return w.id == id; });
        }
      }
      sim.run();
      if (pass) plain_bound.merge(plain.pass());
      REQUIRE(log == plain.log);
    }
    CHECK(scheduler.pending() == plain.pending.size());
  }
}

TEST_CASE(
    "room freed by a bound pod's callback during a pass is used by the pods after it, as in a full "
    "pass",
    "[scheduler]") {
  const std::vector<Resources> shapes{cpu(1000, 1), cpu(2000, 2), cpu(3000, 1), cpu(1500, 3),
                                      cpu(4000, 2)};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    Simulator sim;
    Trace trace;
    Context ctx{sim, trace, 1};
    ClusterSpec spec;
    spec.node_pools.push_back({"a", 2, cpu(4000, 8), {}, {}, {}, {}});
    spec.node_pools.push_back({"b", 2, cpu(6000, 4), {}, {}, {}, {}});
    Cluster cluster(ctx, spec);
    Cluster plain_cluster(ctx, spec);
    Scheduler scheduler(ctx, cluster);
    PlainScheduler plain{plain_cluster.nodes(), {}, 0, {}, {}, {}};
    std::vector<std::string> log;
    std::deque<LoggedPod> pods;
    std::map<int, LoggedPod*> bound;   // the scheduler's side, by id
    std::map<int, Node*> plain_bound;  // the plain side
    // Every third pod to bind deletes the longest-bound other pod at once (its room frees
    // mid-pass).
    const auto frees = [](int id) { return id % 3 == 0; };
    const auto real_bound = [&](LoggedPod& p) {
      bound[p.id] = &p;
      if (!frees(p.id)) return;
      for (auto& [id, other] : bound) {
        if (id == p.id) continue;
        other->node->release(other->req);
        other->node = nullptr;
        bound.erase(id);
        scheduler.capacity_changed();
        return;
      }
    };
    plain.after_bind = [&](int id, Node& n) {
      plain_bound[id] = &n;
      if (!frees(id)) return;
      for (auto& [other, node] : plain_bound) {
        if (other == id) continue;
        node->release(pods[static_cast<std::size_t>(other)].req);
        plain_bound.erase(other);
        return;
      }
    };
    wlsim::engine::RandomStream rng(seed, "scheduler-test", "callbacks");
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng.next_u64() % n); };
    for (int batch = 0; batch < 100; ++batch) {
      bool pass = false;
      const std::size_t ops = 1 + pick(5);
      for (std::size_t op = 0; op < ops; ++op) {
        if (pick(4) != 0 || bound.empty()) {
          const int id = static_cast<int>(pods.size());
          const Resources req = shapes[pick(shapes.size())];
          const int prio = static_cast<int>(pick(3));
          LoggedPod& p = pods.emplace_back(id, req, prio, log);
          p.when_bound = real_bound;
          scheduler.submit(p);
          plain.pending.push_back({prio, plain.seq++, id, req});
          pass = true;
        } else {
          LoggedPod& p = *bound.begin()->second;
          p.node->release(p.req);
          p.node = nullptr;
          bound.erase(p.id);
          plain_bound.at(p.id)->release(p.req);
          plain_bound.erase(p.id);
          pass = pass || scheduler.pending() > 0;
          scheduler.capacity_changed();
        }
      }
      sim.run();
      if (pass) (void)plain.pass();
      REQUIRE(log == plain.log);
    }
    CHECK(scheduler.pending() == plain.pending.size());
  }
}

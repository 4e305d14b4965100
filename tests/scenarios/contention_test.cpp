// Issue 9: scheduling under contention (SEMANTICS.md §5) — resource bundles, preemption, node
// failures — on the examples that show each rule and on small inline scenarios.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "scenario_fixture.hpp"

using wlsim::testing::error_of;
using wlsim::testing::run_example;
using wlsim::testing::run_yaml;
using wlsim::testing::Traced;
using wlsim::testing::workload;

namespace {

// The node each pod of `prefix` was assigned to, in the order they were bound.
std::vector<std::string> nodes_of(const Traced& t, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& r : t.records) {
    if (r.object.starts_with(prefix) && r.kind_name() == "pod" &&
        r.to_name() == "PodScheduled=True")
      out.push_back(r.message.substr(r.message.rfind(' ') + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("a resource bundle places its group on its pool and gives it the bundle's resources",
          "[contention][bundles]") {
  const auto t = run_example("resource-bundles.yaml");
  CHECK(nodes_of(t, "infer/") == std::vector<std::string>{"gpu-0", "gpu-1"});
  // The cpu pool has room for the third bundle pod's cpu and memory, but it may not go there.
  CHECK(t.first("infer-more/p1/r0", "pod", "PodScheduled=False")->message ==
        "0/4 nodes are available: 2 Insufficient nvidia.com/gpu, 2 node(s) didn't match Pod's "
        "node affinity/selector.");
  CHECK(workload(t, "infer-more").status == "submitted");
  // The container without a resourceAllocation holds the bundle's resources.
  CHECK(workload(t, "infer").peak_held.cpu == 4);
  CHECK(workload(t, "infer").peak_held.memory_bytes == 16e9);
  CHECK(workload(t, "infer").peak_held.gpu == 2);
  CHECK(nodes_of(t, "web/") == std::vector<std::string>{"cpu-0", "cpu-1"});
}

namespace {
const std::string kBundleCluster = R"(name: b
duration: 5m
cluster:
  nodePools:
    - {name: cpu, count: 1, allocatable: {cpu: 8, memory: 32GB}}
    - {name: big, count: 1, allocatable: {cpu: 8, memory: 32GB}}
  resourceBundles: [{id: large, nodePool: big, resources: {cpu: 3, memory: 4GB}}]
artifacts:
  - id: a
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, primary: true, imageUri: r/a:1, readinessProbe: {path: /h}}
          - {name: side, imageUri: r/s:1, resourceAllocation: {cpu: 100m, memory: 64MB}}
)";
}  // namespace

TEST_CASE(
    "a bundle fills only the containers without a resourceAllocation; an unknown one is "
    "refused",
    "[contention][bundles][bad-input]") {
  const auto t = run_yaml(kBundleCluster + R"(workloads:
  - {id: w, artifactId: a, runtime: {containerGroups: [{name: default, resourceBundles: [large]}]}}
actions:
  - {at: 1m, request: POST /workloads, body: {id: x, artifactId: a, runtime: {containerGroups: [{name: default, resourceBundles: [nope]}]}}}
)");
  CHECK(nodes_of(t, "w/") == std::vector<std::string>{"big-0"});
  CHECK(workload(t, "w").peak_held.cpu == Approx(3.1));
  CHECK(t.result.calls.at(0).status == 422);
  CHECK(t.result.calls.at(0).body ==
        R"({"message":"resource bundle nope is not defined in the cluster"})");
  CHECK(error_of(kBundleCluster + R"(workloads:
  - {id: w, artifactId: a, runtime: {containerGroups: [{name: default, resourceBundles: [small]}]}}
)") == "f.yaml: workloads[0].runtime.containerGroups[0].resourceBundles: 'small' is not a bundle "
       "of cluster.resourceBundles (one of: large)");
  CHECK(error_of(kBundleCluster + R"(workloads:
  - {id: w, artifactId: a, runtime: {containerGroups: [{name: default, resourceBundles: [large, large]}]}}
)") == "f.yaml: workloads[0].runtime.containerGroups[0].resourceBundles: must name exactly one "
       "bundle (a group selects one)");
}

TEST_CASE(
    "platform.crashBackoff {initial: 1s, max: 8s} sets the restarts of a crash loop "
    "exactly (SEMANTICS.md §9)",
    "[platform][examples]") {
  const auto t = run_example("crash-backoff-params.yaml");
  std::vector<double> starts = t.times("crasher/p1/r0/app", "container", "running");
  CHECK(starts == std::vector<double>{0, 5, 11, 18, 27, 40, 53, 66, 79, 92, 105, 118});
  CHECK(workload(t, "crasher").restarts == 11);
}

TEST_CASE(
    "acceptance: a high replica preempts the two most recently started low ones at 60 s; "
    "they are gone at 90 s, it binds at 90 s and runs at 120 s; the victims stay Pending",
    "[contention][preemption]") {
  const auto t = run_example("preemption.yaml");
  // The victims: the two started last (all started at 0 s: the last bound first).
  CHECK(t.times("batch/p1/r3", "event", "Normal").front() == 60);
  CHECK(t.first("batch/p1/r3", "event", "Normal")->message ==
        "Preempted by pod urgent/p1/r0 on node node-0");
  CHECK(t.first("batch/p1/r2", "event", "Normal")->reason_name() == "Preempted");
  CHECK(t.states("batch/p1/r0", "replica").back() == "running");
  CHECK(t.states("batch/p1/r1", "replica").back() == "running");
  // Graceful termination: they hold the node until 90 s, killed at the end of the grace period.
  CHECK(t.times("batch/p1/r3", "phase", "Failed") == std::vector<double>{90});
  CHECK(t.first("batch/p1/r3/job", "container", "terminated:Error")->message ==
        "exit code 137 (pod deleted)");
  CHECK(t.times("urgent/p1/r0", "pod", "PodScheduled=True") == std::vector<double>{90});
  CHECK(t.times("urgent/p1/r0", "replica", "running") == std::vector<double>{120});
  // Recreated at once as new pods, which find no room: Pending, Unschedulable.
  for (const char* pod : {"batch/p1/r4", "batch/p1/r5"}) {
    CHECK(t.times(pod, "replica", "submitted") == std::vector<double>{60});
    CHECK(t.first(pod, "pod", "PodScheduled=False")->message ==
          "0/1 nodes are available: 1 Insufficient cpu.");
    CHECK(t.states(pod, "replica").back() == "submitted");
  }
  CHECK(t.times("batch", "workload", "submitted").back() == 60);  // it leaves running
  const auto& batch = workload(t, "batch");
  CHECK(batch.preempted == 2);
  CHECK(batch.evictions_preemption == 2);
  CHECK(batch.replicas_running == 2);
  const auto& urgent = workload(t, "urgent");
  CHECK(urgent.preemptor == 1);
  CHECK(urgent.pending_for_victims_s == 30);
  CHECK(urgent.pending_no_capacity_s == 0);
  // Equal priority never preempts, and the room freed at 90 s was held for the nominee.
  CHECK(workload(t, "peer").status == "submitted");
  CHECK(workload(t, "peer").preemptor == 0);
}

namespace {
const std::string kPreemptionCluster = R"(name: p
duration: 5m
cluster:
  nodePools: [{name: n, count: 1, allocatable: {cpu: 4, memory: 16GB}}]
artifacts:
  - id: one
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: r/a:1, readinessProbe: {path: /h}, resourceAllocation: {cpu: 1, memory: 1GB}}
  - id: two
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: r/b:1, readinessProbe: {path: /h}, resourceAllocation: {cpu: 2, memory: 1GB}}
)";
}  // namespace

TEST_CASE("a critical replica is never a victim; a lower priority is chosen before a higher one",
          "[contention][preemption]") {
  const auto t = run_yaml(kPreemptionCluster + R"(workloads:
  - {id: crit, artifactId: one, importance: critical, runtime: {containerGroups: [{name: default, replicaCount: 2}]}}
  - {id: mod, artifactId: one, importance: moderate, runtime: {containerGroups: [{name: default, replicaCount: 1}]}}
  - {id: low, artifactId: one, runtime: {containerGroups: [{name: default, replicaCount: 1}]}}
actions:
  - {at: 1m, request: POST /workloads, body: {id: hi, artifactId: one, importance: high}}
  - {at: 2m, request: POST /workloads, body: {id: hi2, artifactId: two, importance: high}}
)");
  // hi needs 1 cpu: the low replica goes, not the moderate or a critical one.
  CHECK(workload(t, "low").preempted == 1);
  CHECK(workload(t, "mod").preempted == 0);
  CHECK(workload(t, "hi").status == "running");
  // hi2 needs 2 cpu: only the moderate replica may go (1 cpu), never the critical ones: no node.
  CHECK(workload(t, "crit").preempted == 0);
  CHECK(workload(t, "mod").preempted == 0);
  CHECK(workload(t, "hi2").preemptor == 0);
  CHECK(workload(t, "hi2").status == "submitted");
}

TEST_CASE("equal priority never preempts", "[contention][preemption]") {
  const auto t = run_yaml(kPreemptionCluster + R"(workloads:
  - {id: a, artifactId: one, importance: high, runtime: {containerGroups: [{name: default, replicaCount: 4}]}}
actions:
  - {at: 1m, request: POST /workloads, body: {id: b, artifactId: two, importance: high}}
)");
  CHECK(workload(t, "a").preempted == 0);
  CHECK(workload(t, "b").status == "submitted");
  CHECK(workload(t, "b").pending_no_capacity_s == 240);
}

TEST_CASE(
    "acceptance: a node failure at 10 min makes its replica not ready at once; it is "
    "recreated at 15 min and running again once scheduled and ready",
    "[contention][node-failure]") {
  const auto t = run_example("node-failure.yaml");
  CHECK(t.times("node-1", "node", "NotReady") == std::vector<double>{600});
  CHECK(t.times("web/p1/r1", "replica", "launching").back() == 600);
  const auto left = t.times("web", "workload", "launching");
  CHECK(std::find(left.begin(), left.end(), 600.0) != left.end());
  CHECK(t.times("web/p1/r1", "replica", "terminated") == std::vector<double>{900});
  CHECK(t.times("web/p1/r3", "replica", "submitted") == std::vector<double>{900});
  CHECK(t.first("web/p1/r3", "pod", "PodScheduled=True")->message ==
        "Successfully assigned web/p1/r3 to node-0");
  CHECK(t.times("web/p1/r3", "replica", "running") == std::vector<double>{930});
  CHECK(t.times("web", "workload", "running").back() == 930);
  CHECK(t.times("node-1", "node", "Ready") == std::vector<double>{1800});
  const auto& web = workload(t, "web");
  CHECK(web.evictions_node_failure == 1);
  CHECK(web.degraded_s == 330);  // 600 s to 930 s with 2 of 3 ready
  CHECK(t.result.cluster.node_failures == 1);
}

TEST_CASE("an errored replica recreated after a node failure clears errored (SEMANTICS.md §6)",
          "[contention][node-failure]") {
  const auto t = run_yaml(R"(name: nf
duration: 30m
cluster:
  nodePools: [{name: n, count: 2, allocatable: {cpu: 4, memory: 16GB}}]
artifacts:
  - id: a
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: r/a:1, readinessProbe: {path: /h}, resourceAllocation: {cpu: 3, memory: 1GB},
             behavior: {exit: {after: 1m, code: 1}}}
workloads:
  - {id: w, artifactId: a}
faults:
  - {at: 10m, nodeFailure: {node: n-0}}
)");
  CHECK(t.times("w", "workload", "errored").front() < 600);
  // Lost at 10 min, evicted at 15 min and recreated on n-1: errored is no longer sticky.
  CHECK(t.times("w/p1/r1", "replica", "submitted") == std::vector<double>{900});
  CHECK(t.times("w", "workload", "submitted").back() == 900);
}

TEST_CASE("a node that comes back takes pending replicas again", "[contention][node-failure]") {
  const auto t = run_yaml(R"(name: back
duration: 40m
cluster:
  nodePools: [{name: cpu, count: 3, allocatable: {cpu: 4, memory: 16GB}}]
artifacts:
  - id: a
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: r/a:1, readinessProbe: {path: /h}, resourceAllocation: {cpu: 3, memory: 1GB}}
workloads:
  - {id: w, artifactId: a, runtime: {containerGroups: [{name: default, replicaCount: 3}]}}
faults:
  - {at: 200s, nodeFailure: {pool: cpu, count: 2, for: 20m}}
)");
  // cpu-0 and cpu-1 fail at 200 s; their replicas are recreated at 500 s and find no room until
  // the nodes come back (empty) at 1400 s.
  CHECK(t.times("cpu-0", "node", "Ready") == std::vector<double>{1400});
  CHECK(t.times("w/p1/r3", "pod", "PodScheduled=True") == std::vector<double>{1400});
  CHECK(t.times("w/p1/r4", "pod", "PodScheduled=True") == std::vector<double>{1400});
  CHECK(t.times("w", "workload", "running").back() == 1430);
}

TEST_CASE(
    "acceptance: a pool of 2 with maxCount 4 grows by a node at the first scan, Ready 120 s "
    "later, its replica pulls there; 10 min after the load goes the pool is back to 2",
    "[contention][pools]") {
  const auto t = run_example("pool-autoscaling.yaml");
  CHECK(t.first("pool/cpu", "event", "Normal")->message ==
        "pod triggered scale-up: [{cpu 2->3 (max: 4)}]");
  CHECK(t.times("pool/cpu", "event", "Normal") == std::vector<double>{10});
  CHECK(t.times("cpu-2", "node", "Ready") == std::vector<double>{130});
  CHECK(t.first("wide/p1/r2", "pod", "PodScheduled=True")->message ==
        "Successfully assigned wide/p1/r2 to cpu-2");
  // An empty cache: 600 MB at 100 MB/s, then the first probe 30 s after the start.
  CHECK(t.times("wide/p1/r2/app", "container", "running") == std::vector<double>{136});
  CHECK(t.times("wide/p1/r2", "replica", "running") == std::vector<double>{166});
  const auto& wide = workload(t, "wide");
  CHECK(wide.pending_no_capacity_s == 10);
  CHECK(wide.pending_for_node_s == 120);
  // Deleted at 300 s, the pods gone at 330 s (grace period); unneeded from the scan at 330 s,
  // removed 10 min on.
  CHECK(t.times("cpu-0", "node", "deleted") == std::vector<double>{930});
  const auto& pool = t.result.cluster.pools.at(0);
  CHECK(pool.nodes == 2);
  CHECK(pool.peak_nodes == 3);
  CHECK(pool.node_seconds == 2 * 130 + 3 * (930 - 130) + 2 * (1500 - 930));
  CHECK(t.result.cluster.scale_ups == 1);
  CHECK(t.result.cluster.scale_downs == 1);
}

TEST_CASE(
    "in a cluster of more than 100 nodes preemption looks at 100 candidate nodes from a "
    "random start, the same for the same seed",
    "[contention][preemption]") {
  const std::string yaml = R"(name: big
duration: 3m
cluster:
  nodePools: [{name: n, count: 150, allocatable: {cpu: 2, memory: 8GB}}]
artifacts:
  - id: one
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: r/a:1, readinessProbe: {path: /h}, resourceAllocation: {cpu: 2, memory: 1GB}}
workloads:
  - {id: low, artifactId: one, runtime: {containerGroups: [{name: default, replicaCount: 150}]}}
actions:
  - {at: 1m, request: POST /workloads, body: {id: hi, artifactId: one, importance: high}}
)";
  const auto a = run_yaml(yaml, 1);
  const auto b = run_yaml(yaml, 1);
  CHECK(workload(a, "low").preempted == 1);
  CHECK(workload(a, "hi").status == "running");
  CHECK(a.result.trace_hash == b.result.trace_hash);
  // Every node is an equal choice: which one depends on where the search started (the seed).
  std::set<std::string> nodes;
  for (const std::uint64_t seed : {1, 2, 3, 4, 5})
    nodes.insert(nodes_of(run_yaml(yaml, seed), "hi/").at(0));
  CHECK(nodes.size() > 1);
}

// Issue 9: scheduling under contention (SEMANTICS.md §5) — resource bundles, preemption, node
// failures — on the examples that show each rule and on small inline scenarios.
#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"

using wlsim::scenarios::WorkloadResult;
using wlsim::testing::error_of;
using wlsim::testing::run_example;
using wlsim::testing::run_yaml;
using wlsim::testing::Traced;

namespace {

const WorkloadResult& workload(const Traced& t, const std::string& id) {
  for (const auto& w : t.result.workloads) {
    if (w.id == id) return w;
  }
  FAIL("no workload " << id);
  throw;
}

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

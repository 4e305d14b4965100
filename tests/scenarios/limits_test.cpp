// Every bound of scenarios::Limits is one clear error naming the field, the limit and how to raise
// it; amounts are bounded so that no sum the engine makes can overflow 64 bits.
#include <catch2/catch.hpp>
#include <string>

#include "scenario_fixture.hpp"

using wlsim::scenarios::Limits;
using wlsim::scenarios::load_text;
using wlsim::scenarios::parse_call;
using wlsim::scenarios::ScenarioError;
using wlsim::testing::error_of;
using wlsim::testing::one_workload;

namespace {
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
const std::string kResources = "artifacts[0].containerGroups[0].containers[0].resourceAllocation";
}  // namespace

TEST_CASE("replicas of one group are bounded by max_replicas_per_group", "[loader][limits]") {
  CHECK(error_of(one_workload({.replicas = 200000})) ==
        "f.yaml: workloads[0].runtime.containerGroups[0].replicaCount: 200000 is over the limit of "
        "100000 "
        "replicas per group (raise it with --max-replicas)");
  CHECK(error_of(one_workload({.replicas = 100000})) == "(no error)");
  CHECK(error_of(one_workload({.replicas = 3}), Limits{.max_replicas_per_group = 2}) ==
        "f.yaml: workloads[0].runtime.containerGroups[0].replicaCount: 3 is over the limit of 2 "
        "replicas per "
        "group (raise it with --max-replicas)");
}

TEST_CASE("replicas of all initial workloads together are bounded by max_replicas_total",
          "[loader][limits]") {
  std::string y = one_workload({.replicas = 6});
  y += "  - {id: wl2, artifactId: a, runtime: {containerGroups: [{name: default, replicaCount: "
       "5}]}}\n";
  CHECK(error_of(y, Limits{.max_replicas_total = 10}) ==
        "f.yaml: workloads[1].runtime.containerGroups[0].replicaCount: 5 brings the workloads to "
        "11 replicas, "
        "which is over the limit of 10 replicas in total (raise it with --max-total-replicas)");
  CHECK(error_of(y, Limits{.max_replicas_total = 11}) == "(no error)");
}

TEST_CASE("nodes of all pools together are bounded by max_nodes", "[loader][limits]") {
  const std::string two_pools =
      "{nodePools: [{name: a, count: 60000, allocatable: {cpu: 8, memory: 32GB}}, "
      "{name: b, count: 60000, allocatable: {cpu: 8, memory: 32GB}}]}";
  CHECK(error_of(one_workload({.cluster = two_pools})) ==
        "f.yaml: cluster.nodePools[1].count: 60000 brings the cluster to 120000 nodes, which is "
        "over the limit "
        "of 100000 nodes (raise it with --max-nodes)");
  CHECK(error_of(one_workload(
            {.cluster = "{nodePools: [{name: a, count: 200000, allocatable: {cpu: 1}}]}"})) ==
        "f.yaml: cluster.nodePools[0].count: 200000 is over the limit of 100000 nodes (raise it "
        "with --max-nodes)");
  CHECK(error_of(one_workload({.cluster = two_pools}), Limits{.max_nodes = 120000}) ==
        "(no error)");
}

TEST_CASE("every list is bounded by max_list_length", "[loader][limits]") {
  CHECK(error_of(one_workload({.container = "behavior: {serves: [/a, /b, /c]}"}),
                 Limits{.max_list_length = 2}) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].behavior.serves: has 3 items, over "
        "the limit of 2 "
        "items in one list (raise it with --max-list-length)");
}

TEST_CASE("text is bounded by max_file_bytes", "[loader][limits]") {
  const std::string y = one_workload({});
  CHECK(error_of(y, Limits{.max_file_bytes = 100}) ==
        "f.yaml: the text is " + std::to_string(y.size()) +
            " bytes, over the limit of 100 bytes of scenario text (raise it with --max-file-size)");
}

TEST_CASE("nesting is bounded by max_depth, before the parser recurses", "[loader][limits]") {
  CHECK(error_of(std::string(100000, '[')) ==
        "f.yaml: line 1, column 65: nesting is deeper than the limit of 64 levels (raise it with "
        "--max-depth)");
  std::string dashes;
  for (int i = 0; i < 100000; ++i) dashes += "- ";
  CHECK(error_of(dashes + "x\n") ==
        "f.yaml: line 1, column 129: nesting is deeper than the limit of 64 levels (raise it with "
        "--max-depth)");
  // Block nesting by indentation is measured exactly on the parsed tree.
  std::string block;
  for (int i = 0; i < 5; ++i) block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
  CHECK(error_of(block, Limits{.max_depth = 4}) ==
        "f.yaml: line 5, column 9: nesting is deeper than the limit of 4 levels (raise it with "
        "--max-depth)");
  // Brackets inside quotes, comments and block scalars do not nest.
  CHECK(error_of("name: '[[[[['\n# [[[[[\nx: |\n  [[[[[\n", Limits{.max_depth = 2}) ==
        "f.yaml: duration: is required");
  CHECK(error_of(one_workload({}), Limits{.max_depth = 8}) == "(no error)");
}

TEST_CASE("values are bounded by the size limit, counted through aliases", "[loader][limits]") {
  // One value per 256 bytes of max_file_bytes: yaml-cpp keeps hundreds of bytes per value.
  CHECK(
      error_of("[a, b, c, d, e, f, g, h, i, j, k]\n", Limits{.max_file_bytes = 2560}) ==
      "f.yaml: line 1, column 29: the text holds more than 10 values (lists, mappings and scalars, "
      "counting what aliases repeat), over the limit of one per 256 bytes of the size limit (raise "
      "it with --max-file-size)");
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 12; ++i) {
    const std::string n = std::to_string(i);
    bomb.append("a").append(n).append(": &a").append(n).append(" [");
    for (int k = 0; k < 10; ++k) {
      bomb += k == 0 ? "*a" : ", *a";
      bomb += std::to_string(i - 1);
    }
    bomb += "]\n";
  }
  const std::string e = error_of(bomb);
  CHECK_THAT(e, Catch::StartsWith("f.yaml: line 6, column "));
  CHECK_THAT(e, Catch::Contains(": the text holds more than 262144 values (lists, mappings and "
                                "scalars, counting what aliases repeat)"));
  CHECK(error_of("a: &a [*a]\n") ==
        "f.yaml: line 1, column 8: an alias refers to the list or mapping that holds it");
  // Depth is counted through aliases too.
  CHECK(error_of("a: &a [[[x]]]\nb: [[*a]]\n", Limits{.max_depth = 5}) ==
        "f.yaml: line 2, column 6: nesting is deeper than the limit of 5 levels (raise it with "
        "--max-depth)");
}

TEST_CASE("every duration and time is at most max_duration (100 years)", "[loader][limits]") {
  CHECK(error_of(one_workload({.duration = "36501d"})) ==
        "f.yaml: duration: '36501d' is over the limit of 36500d on any duration or time");
  CHECK(error_of(one_workload({.duration = "36500d"})) == "(no error)");
  CHECK(error_of(one_workload({.container = "behavior: {readyAfter: 99999999999s}"})) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].behavior.readyAfter: '99999999999s' "
        "is over the "
        "limit of 36500d on any duration or time");
  CHECK(error_of(one_workload({.top = "settings: {replacementDeadline: 40000d}\n"})) ==
        "f.yaml: settings.replacementDeadline: '40000d' is over the limit of 36500d on any "
        "duration or time");
}

TEST_CASE("distribution parameters are bounded", "[loader][limits]") {
  const std::string startup = "artifacts[0].containerGroups[0].containers[0].behavior.startup: ";
  CHECK_THAT(error_of(one_workload(
                 {.container = "behavior: {startup: \"lognormal(1000000000000s, 50)\"}"})),
             Catch::StartsWith("f.yaml: " + startup +
                               "'lognormal(1000000000000s, 50)' '1000000000000s' is over "
                               "the limit of 36500d on any duration or time"));
  CHECK(error_of(one_workload({.container = "behavior: {startup: \"lognormal(20s, 50)\"}"})) ==
        "f.yaml: " + startup + "'lognormal(20s, 50)' has a sigma over the limit of 10");
  CHECK(error_of(one_workload({.container = "behavior: {startup: \"lognormal(20s, inf)\"}"})) ==
        "f.yaml: " + startup + "'lognormal(20s, inf)' has a sigma over the limit of 10");
  CHECK(error_of(one_workload({.container = "behavior: {startup: \"lognormal(20s, 10)\"}"})) ==
        "(no error)");
  CHECK_THAT(error_of(one_workload({.container = "behavior: {startup: \"exponential(40000d)\"}"})),
             Catch::Contains("'40000d' is over the limit of 36500d"));
}

TEST_CASE("sizes are at most 1 EB, rates 1 TB/s, cpu 1e9 cores and gpus 1e9", "[loader][limits]") {
  CHECK(error_of(one_workload({.resources = "{memory: 1000001TB}"})) ==
        "f.yaml: " + kResources +
            ".memory: '1000001TB' is over the limit of 1000000000000000000 bytes on any size");
  CHECK(error_of(one_workload({.resources = "{memory: 1000000TB}"})) == "(no error)");
  CHECK(error_of(one_workload({.resources = "{cpu: 1000000001}"})) ==
        "f.yaml: " + kResources +
            ".cpu: '1000000001' is over the limit of 1000000000 cores on any cpu amount");
  CHECK(error_of(one_workload({.resources = "{gpu: 1000000001}"})) ==
        "f.yaml: " + kResources +
            ".gpu: 1000000001 is over the limit of 1000000000 gpus on any gpu count");
  CHECK(error_of(one_workload({.container = "behavior: {memoryGrowth: 2TB/s}"})) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].behavior.memoryGrowth: '2TB/s' is "
        "over the limit "
        "of 1000000000000 bytes/s on any rate");
  CHECK(error_of(one_workload({.cluster = "{nodePools: [{name: n, count: 1, allocatable: {memory: "
                                          "2000000TB}}]}"})) ==
        "f.yaml: cluster.nodePools[0].allocatable.memory: '2000000TB' is over the limit of "
        "1000000000000000000 "
        "bytes on any size");
}

TEST_CASE("a pod's containers and a cluster's nodes together stay within one amount's bound",
          "[loader][limits]") {
  const std::string two =
      "          - {name: side, imageUri: reg/s:1, resourceAllocation: {memory: 600000TB}}\n";
  const std::string y =
      replaced(one_workload({.resources = "{memory: 600000TB}"}), "workloads:", two + "workloads:");
  CHECK(error_of(y) ==
        "f.yaml: artifacts[0].containerGroups[0].containers: the containers' memory adds up to "
        "1200000000000000000 bytes, over the limit of 1000000000000000000 bytes for one pod");
  CHECK(error_of(one_workload(
            {.cluster = "{nodePools: [{name: n, count: 100000, allocatable: {cpu: 20000}}]}"})) ==
        "f.yaml: cluster.nodePools: the nodes' cpu adds up to 2000000000000m, over the limit of "
        "1000000000 cores "
        "for the whole cluster");
}

TEST_CASE("faults lie within the scenario's duration", "[loader][limits]") {
  CHECK(error_of(one_workload({.top = "faults: [{at: 2h, registryOutage: {for: 1m}}]\n"})) ==
        "f.yaml: faults[0].at: 2h is after the scenario's duration (1h)");
  CHECK(error_of(one_workload({.top = "faults: [{at: 50m, registryOutage: {for: 30m}}]\n"})) ==
        "f.yaml: faults[0].registryOutage.for: 30m from 50m ends at 80m, after the scenario's "
        "duration (1h)");
  CHECK(error_of(one_workload({.top = "faults: [{at: 30m, registryOutage: {for: 30m}}]\n"})) ==
        "(no error)");
}

TEST_CASE("limits above their ceilings are refused", "[loader][limits]") {
  CHECK(error_of(one_workload({}), Limits{.max_bytes = 2'000'000'000'000'000'000LL}) ==
        "f.yaml: limits: max_bytes is 2000000000000000000, over its ceiling of 1000000000000000000 "
        "(amount "
        "limits may be lowered, not raised)");
  CHECK(error_of(one_workload({}), Limits{.max_replicas_per_group = 3'000'000'000LL}) ==
        "f.yaml: limits: max_replicas_per_group is 3000000000, over its ceiling of 2147483647 (the "
        "most wlsim "
        "counts)");
  CHECK(error_of(one_workload({}), Limits{.max_depth = 0}) ==
        "f.yaml: limits: max_depth is 0, not >= 1");
}

TEST_CASE("a call's body is bounded like a scenario", "[loader][limits][api]") {
  try {
    (void)parse_call("POST /workloads/wl/replacement",
                     "{artifactId: a, strategy: rolling, runtime: "
                     "{containerGroups: [{replicaCount: 7}]}}",
                     wlsim::models::Profile::Platform, Limits{.max_replicas_per_group = 5});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "call: body.runtime.containerGroups[0].replicaCount: 7 is over the limit of 5 replicas "
          "per group (raise "
          "it with --max-replicas)");
  }
  try {
    (void)parse_call("POST /workloads/wl/replacement", std::string(1000, '['),
                     wlsim::models::Profile::Platform);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "call: body: line 1, column 65: nesting is deeper than the limit of 64 levels (raise it "
          "with --max-depth)");
  }
}

// Scenario validation: every class of bad input gives one line naming the field and what is
// allowed.
#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "scenario_fixture.hpp"

using wlsim::scenarios::load_file;
using wlsim::scenarios::load_text;
using wlsim::scenarios::ScenarioError;
using wlsim::testing::error_of;
using wlsim::testing::one_workload;
using wlsim::engine::Time;
using wlsim::testing::OneWorkload;

namespace {
bool one_line(const std::string& s) { return s.find('\n') == std::string::npos; }
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("a valid scenario loads with every default resolved", "[loader]") {
  const auto s = load_text(one_workload({}));
  CHECK(s.name == "t");
  CHECK(s.duration == wlsim::engine::Time::from_seconds(3600));
  REQUIRE(s.platform.artifacts.size() == 1);
  const auto& c = s.platform.artifacts[0].containers[0];
  CHECK(c.primary);  // the only container is the primary
  REQUIRE(c.readiness);
  CHECK(c.readiness->port == 8080);
  CHECK(c.readiness->initial_delay == wlsim::engine::Time::from_seconds(30));
  CHECK(c.resources.cpu_milli == 1000);
  CHECK(c.resources.memory_bytes == 1000000000);
  CHECK(s.platform.workloads[0].runtime.replica_count == 1);
}

TEST_CASE("malformed YAML is reported with its line", "[loader][bad-input]") {
  const auto e = error_of("name: [unclosed\nduration: 1h\n");
  CHECK(one_line(e));
  CHECK_THAT(e, Catch::Contains("f.yaml: malformed YAML/JSON at line"));
}

TEST_CASE("a missing file is reported by name", "[loader][bad-input]") {
  try {
    (void)load_file("/nonexistent/scenario.yaml");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK_THAT(e.what(), Catch::Contains("/nonexistent/scenario.yaml: cannot open the file"));
  }
}

TEST_CASE("a missing required field names its path", "[loader][bad-input]") {
  CHECK(error_of(replaced(one_workload({}), "imageUri: reg/app:1, ", "")) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].imageUri: is required");
  CHECK(error_of(replaced(one_workload({}), "duration: 1h\n", "")) ==
        "f.yaml: duration: is required");
}

TEST_CASE("a value of the wrong type names its path and the expected type", "[loader][bad-input]") {
  const auto e = error_of(replaced(one_workload({}), "replicaCount: 1", "replicaCount: three"));
  CHECK(e ==
        "f.yaml: workloads[0].runtime.containerGroups[0].replicaCount: 'three' is not an integer");
  CHECK(error_of(replaced(one_workload({}), "artifacts:", "artifacts: 5\nx:")) ==
        "f.yaml: artifacts: '5' is not a list");
}

TEST_CASE("out-of-range numbers name the bound", "[loader][bad-input]") {
  CHECK(error_of(replaced(one_workload({}), "replicaCount: 1", "replicaCount: -1")) ==
        "f.yaml: workloads[0].runtime.containerGroups[0].replicaCount: -1 is not >= 0");
}

TEST_CASE("a negative duration is refused", "[loader][bad-input]") {
  const auto e = error_of(replaced(one_workload({}), "duration: 1h", "duration: -5m"));
  CHECK(one_line(e));
  CHECK_THAT(e, Catch::StartsWith("f.yaml: duration: '-5m' is negative"));
  CHECK_THAT(error_of(replaced(one_workload({}), "duration: 1h", "duration: 0s")),
             Catch::Equals("f.yaml: duration: must be > 0"));
  CHECK_THAT(error_of(replaced(one_workload({}), "duration: 1h", "duration: 10")),
             Catch::Contains("a number with a unit: us, ms, s, m, h, d"));
}

TEST_CASE("probe ports must be 1-65535", "[loader][bad-input]") {
  CHECK(error_of(one_workload({.probe = "{path: /healthz, port: 0}"})) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].readinessProbe.port: 0 is not >= 1");
  CHECK(error_of(one_workload({.probe = "{path: /healthz, port: 70000}"})) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].readinessProbe.port: 70000 is not "
        "<= 65535");
}

TEST_CASE("unknown fields are errors that list the allowed ones", "[loader][bad-input]") {
  const auto e = error_of(one_workload({.container = "colour: blue"}));
  CHECK(one_line(e));
  CHECK_THAT(e, Catch::StartsWith("f.yaml: artifacts[0].containerGroups[0].containers[0].colour: "
                                  "is not a known field (allowed: "));
  CHECK_THAT(e, Catch::Contains("imageUri"));
  CHECK_THAT(error_of("nmae: x\n"), Catch::StartsWith("f.yaml: name: is required"));
}

TEST_CASE("an unknown distribution names the allowed forms", "[loader][bad-input]") {
  const auto e = error_of(one_workload({.container = "behavior: {startup: \"gamma(2, 3s)\"}"}));
  CHECK(one_line(e));
  CHECK_THAT(e, Catch::StartsWith(
                    "f.yaml: artifacts[0].containerGroups[0].containers[0].behavior.startup: "));
  CHECK_THAT(e, Catch::Contains("unknown distribution 'gamma'"));
  CHECK_THAT(e, Catch::Contains("lognormal(mean, sigma)"));
}

TEST_CASE("enumerations list their allowed values", "[loader][bad-input]") {
  CHECK(error_of(replaced(one_workload({}), "status: locked", "status: frozen")) ==
        "f.yaml: artifacts[0].status: 'frozen' is not one of: draft, locked");
  CHECK(error_of(one_workload({.top = "profile: gke\n"})) ==
        "f.yaml: profile: 'gke' is not one of: platform, kubernetes");
}

TEST_CASE("every primary container of a service artifact needs a readinessProbe",
          "[loader][bad-input]") {
  CHECK(error_of(replaced(one_workload({}), "readinessProbe: {path: /healthz}, ", "")) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].readinessProbe: is required on the "
        "primary "
        "container of a service artifact");
}

TEST_CASE("liveness and startup probes must have successThreshold 1", "[loader][bad-input]") {
  CHECK(error_of(one_workload({.container = "livenessProbe: {path: /l, successThreshold: 2}"})) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].livenessProbe.successThreshold: 2 "
        "is not <= 1");
}

TEST_CASE("a workload must name an existing artifact", "[loader][bad-input]") {
  CHECK(error_of(replaced(one_workload({}), "artifactId: a", "artifactId: zz")) ==
        "f.yaml: workloads[0].artifactId: 'zz' is not the id of an artifact in artifacts");
}

TEST_CASE("a draft artifact backs at most one workload", "[loader][bad-input]") {
  std::string y = replaced(one_workload({}), "status: locked", "status: draft");
  y += "  - {id: wl2, artifactId: a}\n";
  CHECK_THAT(error_of(y),
             Catch::StartsWith(
                 "f.yaml: workloads[1].artifactId: draft artifact 'a' already backs workload wl"));
}

TEST_CASE("quantities: sizes, rates and cpu", "[loader][units]") {
  const auto s = load_text(one_workload(
      {.container = "behavior: {imageSize: 1.5GiB}", .resources = "{cpu: 500m, memory: 512MiB}"}));
  const auto& c = s.platform.artifacts[0].containers[0];
  CHECK(c.resources.cpu_milli == 500);
  CHECK(c.resources.memory_bytes == 512LL * 1024 * 1024);
  CHECK(c.behavior.image_size_bytes == 1610612736LL);
  CHECK_THAT(error_of(one_workload({.resources = "{cpu: 2 cores}"})),
             Catch::Contains("resourceAllocation.cpu: '2 cores' is not a cpu quantity"));
  CHECK_THAT(error_of(one_workload({.resources = "{memory: 4GX}"})),
             Catch::Contains("is not a size (units: B, KB"));
}

TEST_CASE("every number of SEMANTICS.md §9 is a field of the platform block", "[loader][platform]") {
  const auto s = load_text(one_workload(
      {.top = "platform: {serializeImagePulls: false, maxParallelImagePulls: 3, "
              "probePhaseOffset: true, terminationGracePeriod: 45s, podEvictionTimeout: 2m, "
              "clusterAutoscaler: {scanInterval: 20s, scaleDownUtilizationThreshold: 0.4, "
              "scaleDownUnneededTime: 5m, scaleDownDelayAfterAdd: 3m}}\n"}));
  const auto& p = s.platform.settings;
  CHECK_FALSE(p.kubelet.serialize_image_pulls);
  CHECK(p.kubelet.max_parallel_image_pulls == 3);
  CHECK(p.kubelet.probe_phase_offset);
  CHECK(p.kubelet.termination_grace_period == Time::from_seconds(45));
  CHECK(p.pod_eviction_timeout == Time::from_seconds(120));
  CHECK(p.cluster_autoscaler.scan_interval == Time::from_seconds(20));
  CHECK(p.cluster_autoscaler.scale_down_utilization_threshold == 0.4);
  CHECK(p.cluster_autoscaler.scale_down_unneeded_time == Time::from_seconds(300));
  CHECK(p.cluster_autoscaler.scale_down_delay_after_add == Time::from_seconds(180));
  CHECK(error_of(one_workload({.top = "platform: {maxParallelImagePulls: 2}\n"})) ==
        "f.yaml: platform.maxParallelImagePulls: needs serializeImagePulls: false (with "
        "serialized pulls a node pulls one image at a time)");
  CHECK_THAT(error_of(one_workload({.top = "platform: {clusterAutoscaler: {scanInterval: 0s}}\n"})),
             Catch::StartsWith("f.yaml: platform.clusterAutoscaler.scanInterval: must be > 0"));
}

TEST_CASE("faults name their kind and duration", "[loader][bad-input]") {
  CHECK(error_of(one_workload({.top = "faults: [{at: 1m}]\n"})) ==
        "f.yaml: faults[0]: needs exactly one of registryOutage, nodeFailure");
  CHECK(error_of(one_workload({.top = "faults: [{at: 1m, registryOutage: {for: 0s}}]\n"})) ==
        "f.yaml: faults[0].registryOutage.for: must be > 0");
  CHECK(error_of(one_workload({.top = "faults: [{at: 1m, nodeFailure: {node: x-9}}]\n"})) ==
        "f.yaml: faults[0].nodeFailure.node: 'x-9' is not a node of the cluster at the start "
        "(nodes are named after their pool: <pool>-0, <pool>-1, ...)");
  CHECK(error_of(one_workload({.top = "faults: [{at: 1m, nodeFailure: {}}]\n"})) ==
        "f.yaml: faults[0].nodeFailure: needs exactly one of node (a node's name), pool (with "
        "count)");
}

TEST_CASE("JSON scenarios load like YAML", "[loader]") {
  const auto s = load_text(R"({"name": "j", "duration": "10m",
    "cluster": {"nodePools": [{"name": "n", "count": 1, "allocatable": {"cpu": 4, "memory": "8GB"}}]},
    "artifacts": [{"id": "a", "containerGroups": [{"name": "default", "containers": [
       {"name": "app", "imageUri": "r/a:1", "readinessProbe": {"path": "/h"}}]}]}],
    "workloads": [{"id": "w", "artifactId": "a"}]})");
  CHECK(s.name == "j");
  CHECK(s.platform.cluster.node_pools[0].allocatable.cpu_milli == 4000);
}

TEST_CASE("actions name a Workload API endpoint and carry its body", "[loader][bad-input][api]") {
  CHECK_THAT(
      error_of(one_workload({.top = "actions: [{at: 1m, request: POST /workloads/wl/restart}]\n"})),
      Catch::StartsWith(
          "f.yaml: actions[0].request: 'POST /workloads/wl/restart' is not an endpoint of the "
          "Workload API (allowed: POST /artifacts"));
  CHECK(error_of(one_workload(
            {.top = "actions: [{at: 1m, request: POST /workloads/wl/replacement}]\n"})) ==
        "f.yaml: actions[0].body: is required for POST /workloads/wl/replacement");
  CHECK(
      error_of(one_workload(
          {.top =
               "actions: [{at: 1m, request: POST /workloads/wl/replacement, body: {artifactId: a, "
               "strategy: blue-green}}]\n"})) ==
      "f.yaml: actions[0].body.strategy: 'blue-green' is not one of: rolling");
  CHECK(error_of(one_workload(
            {.top = "actions: [{at: 1m, request: GET /workloads/wl, body: {x: 1}}]\n"})) ==
        "f.yaml: actions[0].body: must be absent: GET /workloads/wl takes no body");
  CHECK(error_of(one_workload({.top = "actions: [{at: 2h, request: GET /workloads/wl}]\n"})) ==
        "f.yaml: actions[0].at: 2h is after the scenario's duration (1h)");
  CHECK(
      error_of(one_workload(
          {.top =
               "actions: [{at: 1m, request: POST /workloads/wl/replacement, body: {artifactId: a, "
               "strategy: rolling, config: {warmupDurationMinutes: -1}}}]\n"})) ==
      "f.yaml: actions[0].body.config.warmupDurationMinutes: -1 is not >= 0");
}

TEST_CASE("DESIGN's replaceArtifact shorthand is POST /workloads/{id}/replacement",
          "[loader][api]") {
  const auto s = load_text(
      one_workload({.top = "actions: [{at: 10m, replaceArtifact: {workload: wl, artifactId: a, "
                           "strategy: rolling, config: {warmupDurationMinutes: 5}}}]\n"}));
  REQUIRE(s.platform.actions.size() == 1);
  CHECK(s.platform.actions[0].call.endpoint == "POST /workloads/wl/replacement");
  CHECK(s.platform.actions[0].at == wlsim::engine::Time::from_minutes(10));
}

TEST_CASE("api routing: each endpoint becomes its typed request", "[loader][api]") {
  using namespace wlsim::models::api;
  const auto call = [](const std::string& endpoint, const std::string& body = "") {
    return wlsim::scenarios::parse_call(endpoint, body, wlsim::models::Profile::Platform);
  };
  const auto history = call("GET /workloads/wl/history");
  CHECK(history.endpoint == "GET /workloads/wl/history");
  REQUIRE(std::holds_alternative<WorkloadCall>(history.request));
  CHECK(std::get<WorkloadCall>(history.request).verb == WorkloadCall::Verb::History);
  CHECK(std::get<WorkloadCall>(history.request).id == "wl");
  const auto details = call("GET /workloads/wl/protons/p1/statusDetails");
  REQUIRE(std::holds_alternative<StatusDetails>(details.request));
  CHECK(std::get<StatusDetails>(details.request).proton == "p1");
  const auto settings =
      call("PATCH /workloads/wl/settings", "{runtime: {containerGroups: [{replicaCount: 3}]}}");
  REQUIRE(std::holds_alternative<StartReplacement>(settings.request));
  CHECK(std::get<StartReplacement>(settings.request).request.from_settings);
  REQUIRE(std::get<StartReplacement>(settings.request).request.runtime);
  CHECK(std::get<StartReplacement>(settings.request).request.runtime->replica_count == 3);
  const auto patch = call("PATCH /artifacts/a", "{status: locked}");
  REQUIRE(std::holds_alternative<PatchArtifact>(patch.request));
  CHECK(std::get<PatchArtifact>(patch.request).status == wlsim::models::ArtifactStatus::Locked);
  try {
    (void)call("POST /workloads/wl/replacement", "{artifactId: a}");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == "call: body.strategy: is required");
  }
  try {
    (void)call("POST /workloads/wl/replacement", "{artifactId: [a}");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("call: body: malformed YAML/JSON: "));
  }
}

TEST_CASE("probe timings are bounded like any duration", "[loader][limits]") {
  wlsim::scenarios::Limits limits;
  limits.max_duration = wlsim::engine::Time::from_seconds(3600);
  try {
    (void)load_text(one_workload({.probe = "{path: /h, periodSeconds: 3601}"}), "f.yaml", limits);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "f.yaml: artifacts[0].containerGroups[0].containers[0].readinessProbe.periodSeconds: "
          "3601 is over the limit of 1h on any duration or time");
  }
}

TEST_CASE(
    "a scenario starts from its profile's platform defaults, which the platform block "
    "overrides field by field",
    "[loader][platform]") {
  const auto k = load_text(one_workload({.top = "profile: kubernetes\n"}));
  CHECK(k.platform.settings.kpa.target_utilization == 0.7);
  const auto p = load_text(one_workload({}));
  CHECK(p.platform.settings.kpa.target_utilization == 1.0);
  const auto set = load_text(one_workload(
      {.top = "profile: kubernetes\nplatform: {kpa: {targetUtilization: 0.9}, crashBackoff: "
              "{max: 60s}}\nsettings: {replacementDeadline: 10m}\n"}));
  CHECK(set.platform.settings.kpa.target_utilization == 0.9);
  CHECK(set.platform.settings.kubelet.crash.max == wlsim::engine::Time::from_seconds(60));
  CHECK(set.platform.settings.kubelet.crash.initial == wlsim::engine::Time::from_seconds(10));
  CHECK(set.platform.settings.replacement_deadline == wlsim::engine::Time::from_minutes(10));
}

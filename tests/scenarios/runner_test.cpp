// End-to-end rules with exact simulated times (issue 2's acceptance, SEMANTICS.md §2, §3, §5, §6).
#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"

using wlsim::engine::Time;
using wlsim::testing::one_workload;
using wlsim::testing::run_yaml;

TEST_CASE("cached image, startup 0, default probes: running at exactly 30 s", "[runner][probe]") {
  const auto t = run_yaml(one_workload({}));
  REQUIRE(t.result.workloads.size() == 1);
  CHECK(t.result.workloads[0].status == "running");
  REQUIRE(t.result.workloads[0].time_to_running_s);
  CHECK(*t.result.workloads[0].time_to_running_s == 30.0);
  const auto running = t.first("wl", "workload", "running");
  REQUIRE(running);
  CHECK(running->time == Time::from_seconds(30));
}

TEST_CASE("startup 45 s with default probes: failed probe at 30 s, running at exactly 60 s",
          "[runner][probe]") {
  const auto t = run_yaml(one_workload({.container = "behavior: {startup: 45s}"}));
  REQUIRE(t.result.workloads[0].time_to_running_s);
  CHECK(*t.result.workloads[0].time_to_running_s == 60.0);
  const auto unhealthy = t.first("wl/p1/r0/app", "event", "Warning");
  REQUIRE(unhealthy);
  CHECK(unhealthy->time == Time::from_seconds(30));
  CHECK(unhealthy->reason_name() == "Unhealthy");
}

TEST_CASE(
    "pull time is latency + size / bandwidth: 1 GB at 100 MB/s, latency 0, running at exactly 40 s",
    "[runner][image]") {
  const auto t =
      run_yaml(one_workload({.container = "behavior: {imageSize: 1GB}",
                             .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, "
                                        "memory: 32GB}}], registry: {bandwidth: 100MB/s}}"}));
  CHECK(*t.result.workloads[0].time_to_running_s == 40.0);
  const auto started = t.first("wl/p1/r0/app", "container", "running");
  REQUIRE(started);
  CHECK(started->time == Time::from_seconds(10));
}

TEST_CASE("registry latency is paid before the bytes flow", "[runner][image]") {
  const auto t = run_yaml(
      one_workload({.container = "behavior: {imageSize: 1GB}",
                    .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: "
                               "32GB}}], registry: {latency: 500ms, bandwidth: 100MB/s}}"}));
  CHECK(*t.result.workloads[0].time_to_running_s == 40.5);
}

TEST_CASE("registry bandwidth is shared by concurrent pulls from different nodes",
          "[runner][image]") {
  // Two replicas spread on two nodes pull 1 GB each at once: 50 MB/s each, 20 s.
  const auto t =
      run_yaml(one_workload({.container = "behavior: {imageSize: 1GB}",
                             .cluster = "{nodePools: [{name: n, count: 2, allocatable: {cpu: 8, "
                                        "memory: 32GB}}], registry: {bandwidth: 100MB/s}}",
                             .replicas = 2}));
  const auto a = t.first("wl/p1/r0/app", "container", "running");
  const auto b = t.first("wl/p1/r1/app", "container", "running");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->time == Time::from_seconds(20));
  CHECK(b->time == Time::from_seconds(20));
  CHECK(*t.result.workloads[0].time_to_running_s == 50.0);
}

TEST_CASE(
    "a node pulls one image at a time and keeps it: the second replica on the node needs no pull",
    "[runner][image]") {
  // Two replicas on one node, same image: the first pulls (10 s), the second waits in the
  // serialized queue, then finds the image cached (IfNotPresent) and starts at once.
  const auto t =
      run_yaml(one_workload({.container = "behavior: {imageSize: 1GB}",
                             .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, "
                                        "memory: 32GB}}], registry: {bandwidth: 100MB/s}}",
                             .replicas = 2}));
  const auto a = t.first("wl/p1/r0/app", "container", "running");
  const auto b = t.first("wl/p1/r1/app", "container", "running");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->time == Time::from_seconds(10));
  CHECK(b->time == Time::from_seconds(10));
}

TEST_CASE(
    "an untagged or :latest image defaults to Always and pays the registry latency even when "
    "cached",
    "[runner][image]") {
  const std::string yaml =
      "name: t\nduration: 1h\ncluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: 8, "
      "memory: 32GB}, "
      "cachedImages: [reg/app:latest]}], registry: {latency: 2s, bandwidth: 100MB/s}}\n"
      "artifacts:\n  - id: a\n    containerGroups: [{name: default, containers: [{name: app, "
      "imageUri: reg/app:latest, "
      "readinessProbe: {path: /healthz}, behavior: {imageSize: 1GB}}]}]\n"
      "workloads: [{id: wl, artifactId: a}]\n";
  const auto t = run_yaml(yaml);
  const auto started = t.first("wl/p1/r0/app", "container", "running");
  REQUIRE(started);
  CHECK(started->time == Time::from_seconds(2));  // a digest check, not a 10 s download
}

TEST_CASE(
    "a replica that needs more cpu than any node has stays Pending Unschedulable for the whole run",
    "[runner][scheduler]") {
  const auto t = run_yaml(one_workload(
      {.cluster = "{nodePools: [{name: n, count: 3, allocatable: {cpu: 4, memory: 32GB}}]}",
       .resources = "{cpu: 9, memory: 1GB}"}));
  CHECK(t.result.workloads[0].status == "submitted");
  CHECK_FALSE(t.result.workloads[0].time_to_running_s);
  CHECK(t.result.workloads[0].pending_s == 3600.0);
  const auto pending = t.first("wl/p1/r0", "pod", "PodScheduled=False");
  REQUIRE(pending);
  CHECK(pending->time == Time::zero());
  CHECK(pending->reason_name() == "Unschedulable");
  CHECK(pending->message == "0/3 nodes are available: 3 Insufficient cpu.");
  CHECK_FALSE(t.first("wl", "workload", "running"));
}

TEST_CASE("the status walks submitted, provisioning, launching, running", "[runner][status]") {
  const auto t = run_yaml(
      one_workload({.cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: "
                               "32GB}, cachedImages: [reg/app:1]}], podSetup: 5s}"}));
  const auto states = t.states("wl/p1/r0", "replica");
  CHECK(states == std::vector<std::string>{"submitted", "provisioning", "launching", "running"});
  CHECK(t.first("wl/p1/r0", "replica", "launching")->time == Time::from_seconds(5));
  CHECK(*t.result.workloads[0].time_to_running_s == 35.0);
}

TEST_CASE("the worst replica holds the proton: two fit, the third is unschedulable",
          "[runner][status]") {
  const auto t =
      run_yaml(one_workload({.cluster = "{nodePools: [{name: n, count: 2, allocatable: {cpu: 1, "
                                        "memory: 32GB}, cachedImages: [reg/app:1]}]}",
                             .replicas = 3}));
  CHECK(t.result.workloads[0].status == "submitted");
  CHECK(t.result.workloads[0].replicas_running == 2);
  CHECK(t.result.workloads[0].pending_s == 3600.0);
}

TEST_CASE("profile kubernetes uses Kubernetes' probe defaults (0/10/1/3)", "[runner][probe]") {
  const auto t = run_yaml(
      one_workload({.container = "behavior: {startup: 45s}", .top = "profile: kubernetes\n"}));
  // Probes at 0, 10, 20, 30, 40 fail; 50 passes.
  CHECK(*t.result.workloads[0].time_to_running_s == 50.0);
}

TEST_CASE("a wrong readiness path stays launching with 404s", "[runner][probe]") {
  const auto t = run_yaml(one_workload({.container = "behavior: {serves: [/other]}"}));
  CHECK(t.result.workloads[0].status == "launching");
  const auto unhealthy = t.first("wl/p1/r0/app", "event", "Warning");
  REQUIRE(unhealthy);
  CHECK(unhealthy->message == "Readiness probe failed: HTTP probe failed with statuscode: 404");
}

TEST_CASE("a probe on the wrong port or scheme fails", "[runner][probe]") {
  CHECK(
      run_yaml(one_workload({.container = "behavior: {port: 9000}"})).result.workloads[0].status ==
      "launching");
  CHECK(run_yaml(one_workload({.container = "behavior: {tls: true}"})).result.workloads[0].status ==
        "launching");
  CHECK(run_yaml(one_workload({.container = "behavior: {tls: true}",
                               .probe = "{path: /healthz, scheme: HTTPS}"}))
            .result.workloads[0]
            .status == "running");
  CHECK(run_yaml(one_workload({.probe = "{path: /healthz, scheme: HTTPS}"}))
            .result.workloads[0]
            .status == "launching");
  CHECK(run_yaml(one_workload({.container = "port: 9000, behavior: {port: 9000}",
                               .probe = "{path: /healthz, port: 9000}"}))
            .result.workloads[0]
            .status == "running");
}

TEST_CASE("same scenario and seed give the same trace hash; another seed gives another",
          "[runner][determinism]") {
  const std::string yaml =
      one_workload({.container = "behavior: {startup: \"lognormal(20s, 0.5)\"}",
                    .cluster = "{nodePools: [{name: n, count: 4, allocatable: {cpu: 8, memory: "
                               "32GB}, cachedImages: [reg/app:1]}]}",
                    .top = "profile: kubernetes\n",
                    .replicas = 8});
  const auto a = run_yaml(yaml, 7);
  const auto b = run_yaml(yaml, 7);
  const auto c = run_yaml(yaml, 8);
  CHECK(a.result.trace_hash == b.result.trace_hash);
  CHECK(a.records.size() == b.records.size());
  CHECK(a.result.trace_hash != c.result.trace_hash);
}

TEST_CASE("adding a workload does not change another workload's random draws",
          "[runner][determinism]") {
  const std::string base =
      one_workload({.container = "behavior: {startup: \"lognormal(20s, 0.5)\"}",
                    .cluster = "{nodePools: [{name: n, count: 4, allocatable: {cpu: 8, memory: "
                               "32GB}, cachedImages: [reg/app:1]}]}",
                    .top = "profile: kubernetes\n",
                    .replicas = 2});
  const std::string more = base + "  - {id: wl-0, artifactId: a}\n";
  const auto a = run_yaml(base, 3);
  const auto b = run_yaml(more, 3);
  CHECK(*a.result.workloads[0].time_to_running_s == *b.result.workloads[0].time_to_running_s);
}

// SEMANTICS.md §2, §3 and §9 end to end: the platform block's serializeImagePulls,
// maxParallelImagePulls and probePhaseOffset reach every node and container of the run.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"

using wlsim::testing::one_workload;
using wlsim::testing::OneWorkload;
using wlsim::testing::run_yaml;
using wlsim::testing::Traced;

namespace {
// One replica of two containers, each with a 100 MB image, from a 100 MB/s registry with 1 s
// latency, on one node with an empty cache.
std::string two_images(const std::string& platform) {
  return "name: t\nduration: 1m\nprofile: kubernetes\n" + platform +
         "cluster:\n  nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}}]\n"
         "  registry: {latency: 1s, bandwidth: 100MB/s}\n"
         "artifacts:\n  - id: a\n    status: locked\n    containerGroups:\n"
         "      - name: default\n        containers:\n"
         "          - {name: app, primary: true, imageUri: reg/app:1, readinessProbe: {path: "
         "/healthz}, resourceAllocation: {cpu: 1, memory: 1GB}, behavior: {imageSize: 100MB}}\n"
         "          - {name: side, imageUri: reg/side:1, resourceAllocation: {cpu: 1, memory: "
         "1GB}, behavior: {imageSize: 100MB}}\n"
         "workloads:\n  - {id: wl, artifactId: a, runtime: {containerGroups: [{name: default, "
         "replicaCount: 1}]}}\n";
}

double started(const Traced& t, const std::string& container) {
  const auto r = t.first("wl/p1/r0/" + container, "container", "running");
  REQUIRE(r.has_value());
  return r->time.seconds();
}

// Kubernetes' probes (no initial delay, every 10 s) on a cached image: the app runs at 0 s.
std::string phase_scenario(bool offset) {
  OneWorkload o;
  o.top = std::string("seed: 3\nprofile: kubernetes\n") +
          (offset ? "platform: {probePhaseOffset: true}\n" : "");
  o.duration = "2m";
  return one_workload(o);
}
}  // namespace

TEST_CASE("serialized pulls: a pod's second 100 MB image is in at 4 s", "[pulls]") {
  const Traced t = run_yaml(two_images(""));
  CHECK(started(t, "app") == 2.0);
  CHECK(started(t, "side") == 4.0);
}

TEST_CASE("two parallel pulls: both 100 MB images are in at 3 s, sharing the bandwidth",
          "[pulls]") {
  const Traced t =
      run_yaml(two_images("platform: {serializeImagePulls: false, maxParallelImagePulls: 2}\n"));
  CHECK(started(t, "app") == 3.0);
  CHECK(started(t, "side") == 3.0);
}

TEST_CASE("without the probe phase offset the first readiness probe comes at the start",
          "[probe][phase]") {
  const Traced t = run_yaml(phase_scenario(false));
  const auto ready = t.first("wl/p1/r0/app", "ready", "true");
  REQUIRE(ready.has_value());
  CHECK(ready->time == wlsim::engine::Time::zero());
}

TEST_CASE(
    "with the probe phase offset the first readiness probe comes the container's own draw "
    "later, the same in every run of a seed",
    "[probe][phase]") {
  const Traced t = run_yaml(phase_scenario(true));
  wlsim::engine::RandomStream own(3, "wl/p1/r0/app", "probe-phase-Readiness");
  const auto phase_us = static_cast<std::int64_t>(own.next_unit() * 10e6);  // period 10 s
  const auto ready = t.first("wl/p1/r0/app", "ready", "true");
  REQUIRE(ready.has_value());
  CHECK(ready->time == wlsim::engine::Time::from_us(phase_us));
  CHECK(ready->time < wlsim::engine::Time::from_seconds(10));
  const Traced again = run_yaml(phase_scenario(true));
  CHECK(again.result.trace_hash == t.result.trace_hash);
  CHECK(run_yaml(phase_scenario(false)).result.trace_hash != t.result.trace_hash);
}

// Issue 3's rules end to end, with the exact simulated times that SEMANTICS.md §2–§4 and §6 give.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "scenario_fixture.hpp"

using wlsim::engine::Time;
using wlsim::testing::one_workload;
using wlsim::testing::run_yaml;
using wlsim::testing::Traced;

namespace {
constexpr const char* kApp = "wl/p1/r0/app";

std::vector<double> times(const Traced& t, const std::string& object, const std::string& kind,
                          const std::string& to) {
  std::vector<double> out;
  for (const auto& r : t.records) {
    if (r.object == object && r.kind_name() == kind && r.to_name() == to)
      out.push_back(r.time.seconds());
  }
  return out;
}

/// How many times `object`'s records of `kind` to `to` happened: a series of repeated events
/// (event_series.hpp) counts every occurrence but its first, which has a record of its own.
std::uint64_t occurrences(const Traced& t, const std::string& object, const std::string& kind,
                          const std::string& to) {
  std::uint64_t n = 0;
  for (const auto& r : t.records) {
    if (r.object == object && r.kind_name() == kind && r.to_name() == to)
      n += r.count == 1 ? 1 : r.count - 1;
  }
  return n;
}

/// States after the first time `object` reached `from_state` (inclusive).
std::vector<std::string> states_from(const Traced& t, const std::string& object,
                                     const std::string& kind, const std::string& from_state) {
  const auto all = t.states(object, kind);
  const auto it = std::find(all.begin(), all.end(), from_state);
  return {it, all.end()};
}
}  // namespace

TEST_CASE("crash back-off: restarts at once, then 10 s doubling to 300 s measured from the exit",
          "[lifecycle][backoff]") {
  const auto t = run_yaml(
      one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}", .duration = "700s"}));
  CHECK(times(t, kApp, "container", "running") ==
        std::vector<double>{0, 5, 20, 45, 90, 175, 340, 645});
  CHECK(times(t, kApp, "container", "terminated:Error") ==
        std::vector<double>{5, 10, 25, 50, 95, 180, 345, 650});
  CHECK(times(t, kApp, "container", "waiting:CrashLoopBackOff") ==
        std::vector<double>{10, 25, 50, 95, 180, 345, 650});
  CHECK(t.result.workloads[0].restarts == 7);
  // The first exit restarts at once; the workload errors from the first back-off on.
  const auto errored = t.first("wl", "workload", "errored");
  REQUIRE(errored);
  CHECK(errored->time == Time::from_seconds(10));
  const auto backoff = t.first(kApp, "event", "Warning");
  REQUIRE(backoff);
  CHECK(backoff->reason_name() == "BackOff");
  CHECK(backoff->message == "Back-off restarting failed container app in pod wl/p1/r0");
}

TEST_CASE(
    "the platform block sets the crash back-off: initial 1 s doubling to 8 s (SEMANTICS.md §9)",
    "[lifecycle][backoff][platform]") {
  // Exits 5 s after each start: at once after the first exit, then 1, 2, 4, 8, 8 s from each exit.
  const auto t = run_yaml(one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}",
                                        .top = "platform: {crashBackoff: {initial: 1s, max: 8s}}\n",
                                        .duration = "70s"}));
  CHECK(times(t, kApp, "container", "running") ==
        std::vector<double>{0, 5, 11, 18, 27, 40, 53, 66});
  CHECK(t.result.workloads[0].restarts == 7);
}

TEST_CASE("the platform block sets the image-pull back-off, and refuses a cap below its start",
          "[lifecycle][backoff][platform]") {
  // An image that does not exist: the pull fails at once, then is retried after 2, 4, 4 s.
  const auto t = run_yaml(one_workload(
      {.container = "behavior: {imagePull: notFound}",
       .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}}]}",
       .top = "platform: {imagePullBackoff: {initial: 2s, max: 4s}}\n",
       .duration = "15s"}));
  CHECK(occurrences(t, kApp, "event", "Normal") >= 4);
  // Pulls at 0, 2, 6, 10, 14: the first Pulling event, then its series of 5 at the end (15 s).
  std::vector<wlsim::engine::TraceRecord> pulls;
  for (const auto& r : t.records) {
    if (r.object == kApp && r.reason_name() == "Pulling") pulls.push_back(r);
  }
  REQUIRE(pulls.size() == 2);
  CHECK(pulls[0].time == Time::from_seconds(0));
  CHECK(pulls[1].count == 5);
  CHECK(pulls[1].first == Time::from_seconds(0));
  CHECK(pulls[1].last == Time::from_seconds(14));
  CHECK(pulls[1].time == Time::from_seconds(15));
  CHECK_THAT(wlsim::testing::error_of(
                 one_workload({.top = "platform: {crashBackoff: {initial: 10s, max: 5s}}\n"})),
             Catch::Contains("platform.crashBackoff.max: 5s is below initial (10s)"));
}

TEST_CASE("crash back-off resets when more than 600 s separate two exits", "[lifecycle][backoff]") {
  const auto t =
      run_yaml(one_workload({.container = "behavior: {exit: {after: 700s}}", .duration = "2400s"}));
  CHECK(times(t, kApp, "container", "running") == std::vector<double>{0, 700, 1400, 2100});
  CHECK(times(t, kApp, "container", "waiting:CrashLoopBackOff").empty());
  CHECK(t.result.workloads[0].restarts == 3);
  CHECK_FALSE(t.first("wl", "workload", "errored"));
}

TEST_CASE("exit code 0 terminates Completed and still restarts (restartPolicy Always)",
          "[lifecycle]") {
  const auto t = run_yaml(
      one_workload({.container = "behavior: {exit: {after: 50s, code: 0}}", .duration = "200s"}));
  CHECK(times(t, kApp, "container", "terminated:Completed") == std::vector<double>{50, 100, 160});
  CHECK(times(t, kApp, "container", "running") == std::vector<double>{0, 50, 110, 180});
}

TEST_CASE("a wrong readiness path: launching for the whole run, no restart, never errored",
          "[lifecycle][probe]") {
  const auto t = run_yaml(one_workload({.container = "behavior: {serves: [/ready]}"}));
  CHECK(t.result.workloads[0].status == "launching");
  CHECK(t.result.workloads[0].restarts == 0);
  CHECK(t.result.workloads[0].errored_dwell_s == 0);
  CHECK_FALSE(t.first("wl", "workload", "errored"));
  CHECK(occurrences(t, kApp, "event", "Warning") == 120);  // a 404 every 30 s from 30 s to 3600 s
}

TEST_CASE(
    "a sidecar whose image cannot be pulled errors the workload although the primary is ready",
    "[lifecycle][image][status]") {
  const std::string yaml =
      "name: t\nduration: 10m\ncluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: 8, "
      "memory: 32GB}, "
      "cachedImages: [reg/app:1]}]}\nartifacts:\n  - id: a\n    containerGroups: [{name: default, "
      "containers: [\n"
      "      {name: app, primary: true, imageUri: reg/app:1, readinessProbe: {path: /healthz}},\n"
      "      {name: proxy, imageUri: reg/proxy:1, behavior: {imagePull: notFound}}]}]\n"
      "workloads: [{id: wl, artifactId: a}]\n";
  const auto t = run_yaml(yaml);
  const auto ready = t.first(kApp, "ready", "true");
  REQUIRE(ready);
  CHECK(ready->time == Time::from_seconds(30));
  CHECK(t.result.workloads[0].status == "errored");
  CHECK_FALSE(t.first("wl", "workload", "running"));
  CHECK(t.first("wl", "workload", "errored")->time == Time::zero());
  CHECK(t.result.workloads[0].errored_dwell_s == 600);
  // ErrImagePull, then ImagePullBackOff with its own back-off: retries at 10, 30, 70, 150, 310 s.
  CHECK(times(t, "wl/p1/r0/proxy", "container", "waiting:ErrImagePull") ==
        std::vector<double>{0, 10, 30, 70, 150, 310});
  const auto failed = t.first("wl/p1/r0/proxy", "event", "Warning");
  REQUIRE(failed);
  CHECK(failed->message ==
        "Failed to pull image \"reg/proxy:1\": rpc error: code = NotFound desc = failed to "
        "resolve reference \"reg/proxy:1\": not found");
}

TEST_CASE(
    "a registry outage: errored during the pull back-off, then running without passing through "
    "launching",
    "[lifecycle][image][status]") {
  const auto t =
      run_yaml(one_workload({.container = "behavior: {imageSize: 1GB}",
                             .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, "
                                        "memory: 32GB}}], registry: {bandwidth: 100MB/s}}",
                             .top = "faults: [{at: 0s, registryOutage: {for: 5m}}]\n"}));
  // Pull attempts fail at 0, 10, 30, 70, 150; the one at 310 s succeeds (10 s); start at 320; probe
  // at 350.
  CHECK(times(t, kApp, "container", "waiting:ErrImagePull") ==
        std::vector<double>{0, 10, 30, 70, 150});
  CHECK(times(t, kApp, "container", "running") == std::vector<double>{320});
  CHECK(states_from(t, "wl", "workload", "errored") ==
        std::vector<std::string>{"errored", "running"});
  CHECK(states_from(t, "wl/p1", "proton", "errored") ==
        std::vector<std::string>{"errored", "running"});
  const auto& w = t.result.workloads[0];
  CHECK(w.errored_recovered);
  CHECK(w.errored_dwell_s == 350);
  CHECK(*w.time_to_running_s == 350);
  REQUIRE(w.breakdown);
  CHECK(w.breakdown->pulling_s == 320);
  CHECK(w.breakdown->probing_s == 30);
}

TEST_CASE("a memory leak is OOM-killed at exactly the instant use passes the allocation",
          "[lifecycle][oom]") {
  // 1 GB growing 10 MB/s toward 2 GB: 100 s after each start. Restarts at once, then 10 s, 20 s
  // back-off.
  const auto t =
      run_yaml(one_workload({.container = "behavior: {memory: 1GB, memoryGrowth: 10MB/s}",

                             .resources = "{cpu: 1, memory: 2GB}",
                             .duration = "450s"}));
  CHECK(times(t, kApp, "container", "running") == std::vector<double>{0, 100, 210, 330});
  CHECK(times(t, kApp, "container", "terminated:OOMKilled") ==
        std::vector<double>{100, 200, 310, 430});
  CHECK(t.result.workloads[0].oom_kills == 4);
  CHECK(t.result.workloads[0].restarts == 3);
  const auto killed = t.first(kApp, "container", "terminated:OOMKilled");
  CHECK(killed->message == "exit code 137 (OOMKilled)");
}

TEST_CASE(
    "a wedged process fails liveness at the third failing probe, ignores SIGTERM and is SIGKILLed "
    "at the end of the 30 s grace period",
    "[lifecycle][probe]") {
  SECTION("timeout 1 s: failures known at 121, 131, 141 s; SIGTERM at 141, SIGKILL at 171") {
    const auto t =
        run_yaml(one_workload({.container = "livenessProbe: {path: /healthz, initialDelaySeconds: "
                                            "0, periodSeconds: 10, timeoutSeconds: 1, "
                                            "failureThreshold: 3}, behavior: {hang: {after: 120s}}",
                               .duration = "200s"}));
    CHECK(times(t, kApp, "container", "terminated:Error").front() == 171);
    CHECK(times(t, kApp, "ready", "false") == std::vector<double>{141});  // not ready at SIGTERM
    CHECK(t.first(kApp, "container", "terminated:Error")->message ==
          "exit code 137 (killed after a failed probe)");
    CHECK(times(t, kApp, "container", "running") == std::vector<double>{0, 171});
    const auto kill = t.first(kApp, "event", "Normal");
    CHECK(occurrences(t, kApp, "event", "Warning") >= 3);
  }
  SECTION(
      "the platform's 30 s timeout outlasts the 10 s period: probes follow at once, SIGTERM at 210 "
      "s, killed at 240 s") {
    const auto t = run_yaml(one_workload(
        {.container = "livenessProbe: {path: /healthz, initialDelaySeconds: 0, periodSeconds: 10}, "
                      "behavior: {hang: {after: 120s}}",
         .duration = "250s"}));
    CHECK(times(t, kApp, "container", "terminated:Error") == std::vector<double>{240});
  }
}

TEST_CASE("a startup probe holds readiness and liveness off until it succeeds",
          "[lifecycle][probe]") {
  const auto t = run_yaml(
      one_workload({.container = "startupProbe: {path: /healthz, initialDelaySeconds: 0, "
                                 "periodSeconds: 10, failureThreshold: 5}, "
                                 "livenessProbe: {path: /healthz, initialDelaySeconds: 0, "
                                 "periodSeconds: 5}, behavior: {startup: 25s}",
                    .probe = "{path: /healthz, initialDelaySeconds: 0, periodSeconds: 5}"}));
  // Without the startup probe, readiness would pass at 25 s. Startup passes at 30 s; readiness
  // then.
  CHECK(*t.result.workloads[0].time_to_running_s == 30);
  for (const auto& r : t.records) {
    if (r.object == kApp && r.reason_name() == "Unhealthy")
      CHECK_THAT(r.message, Catch::StartsWith("Startup probe failed"));
  }
  CHECK(t.result.workloads[0].restarts == 0);
}

TEST_CASE(
    "a startup probe that never succeeds restarts the container after failureThreshold x "
    "periodSeconds",
    "[lifecycle][probe]") {
  const auto t =
      run_yaml(one_workload({.container = "startupProbe: {path: /started, initialDelaySeconds: 10, "
                                          "periodSeconds: 10, failureThreshold: 3}, "
                                          "behavior: {serves: [/healthz]}",
                             .duration = "200s"}));
  // Probes at 10, 20, 30 fail: SIGTERM at 30, which the app ignores: SIGKILL at 60 (the grace
  // period), restarted at once; SIGTERM at 90, exit at 120, back-off 10 s: 130; SIGTERM at 160,
  // exit at 190, back-off 20 s.
  CHECK(times(t, kApp, "container", "terminated:Error") == std::vector<double>{60, 120, 190});
  CHECK(times(t, kApp, "container", "running") == std::vector<double>{0, 60, 130});
  CHECK(t.first(kApp, "container", "terminated:Error")->message ==
        "exit code 137 (killed after a failed probe)");
}

TEST_CASE(
    "behavior.shutdown: the app exits 143 that long after SIGTERM, the platform's "
    "terminationGracePeriod cuts a longer one with SIGKILL (137)",
    "[lifecycle][probe][termination]") {
  const std::string startup =
      "startupProbe: {path: /started, initialDelaySeconds: 10, "
      "periodSeconds: 10, failureThreshold: 3}, ";
  SECTION("shutdown 3s: SIGTERM at 30, exit 143 at 33") {
    const auto t = run_yaml(
        one_workload({.container = startup + "behavior: {serves: [/healthz], shutdown: 3s}",
                      .duration = "40s"}));
    CHECK(times(t, kApp, "container", "terminated:Error") == std::vector<double>{33});
    CHECK(t.first(kApp, "container", "terminated:Error")->message ==
          "exit code 143 (killed after a failed probe)");
  }
  SECTION("shutdown 3s, terminationGracePeriod 2s: SIGKILL at 32") {
    const auto t = run_yaml(
        one_workload({.container = startup + "behavior: {serves: [/healthz], shutdown: 3s}",
                      .top = "platform: {terminationGracePeriod: 2s}\n",
                      .duration = "40s"}));
    CHECK(times(t, kApp, "container", "terminated:Error") == std::vector<double>{32});
    CHECK(t.first(kApp, "container", "terminated:Error")->message ==
          "exit code 137 (killed after a failed probe)");
  }
}

TEST_CASE(
    "readiness failure never restarts: a container that stops answering goes not-ready and stays "
    "up",
    "[lifecycle][probe]") {
  const auto t =
      run_yaml(one_workload({.container = "behavior: {hang: {after: 100s}}", .duration = "400s"}));
  // Ready at 30 s; wedged at 100 s; readiness probes at 120, 150, 180 s time out (answers at 150,
  // 180, 210).
  CHECK(times(t, kApp, "ready", "false") == std::vector<double>{210});
  CHECK(t.result.workloads[0].restarts == 0);
  CHECK(t.result.workloads[0].status == "launching");
}

TEST_CASE("a probe slower than timeoutSeconds fails at the timeout", "[lifecycle][probe]") {
  const auto slow = run_yaml(one_workload({.container = "behavior: {probeLatency: 31s}"}));
  CHECK(slow.result.workloads[0].status == "launching");
  const auto unhealthy = slow.first(kApp, "event", "Warning");
  REQUIRE(unhealthy);
  CHECK(unhealthy->time == Time::from_seconds(60));  // sent at 30 s, times out at 60 s
  CHECK_THAT(unhealthy->message, Catch::Contains("context deadline exceeded"));
  const auto ok = run_yaml(one_workload({.container = "behavior: {probeLatency: 2s}"}));
  CHECK(*ok.result.workloads[0].time_to_running_s == 32);
}

TEST_CASE("readiness that turns on only after a warm-up answers 503 until then",
          "[lifecycle][probe]") {
  const auto t = run_yaml(one_workload({.container = "behavior: {readyAfter: 45s}"}));
  CHECK(*t.result.workloads[0].time_to_running_s == 60);
  CHECK(t.first(kApp, "event", "Warning")->message ==
        "Readiness probe failed: HTTP probe failed with statuscode: 503");
}

TEST_CASE("a crash at start-up exits 1 when start-up completes, before serving", "[lifecycle]") {
  const auto t = run_yaml(
      one_workload({.container = "behavior: {startup: 5s, crashOnStart: 1}", .duration = "60s"}));
  CHECK(times(t, kApp, "container", "terminated:Error") == std::vector<double>{5, 10, 25, 50});
  CHECK(t.result.workloads[0].status == "errored");
}

TEST_CASE("pull policy Never with the image absent fails to pull", "[lifecycle][image]") {
  const auto t = run_yaml(one_workload(
      {.container = "imagePullPolicy: Never",
       .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}}]}"}));
  CHECK(t.result.workloads[0].status == "errored");
}

TEST_CASE("the time-to-running breakdown adds up to the time to running", "[lifecycle][metrics]") {
  const auto t =
      run_yaml(one_workload({.container = "behavior: {imageSize: 1GB, startup: 40s}",
                             .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, "
                                        "memory: 32GB}}], registry: {latency: 1s, "
                                        "bandwidth: 100MB/s}, podSetup: 4s}"}));
  const auto& w = t.result.workloads[0];
  REQUIRE(w.breakdown);
  CHECK(w.breakdown->pending_s == 0);
  CHECK(w.breakdown->provisioning_s == 4);
  CHECK(w.breakdown->pulling_s == 11);
  CHECK(w.breakdown->starting_s == 40);
  CHECK(w.breakdown->probing_s == 20);  // up at 55 s; probes at 45 (fail) and 75 s
  CHECK(*w.time_to_running_s == 75);
}

// SEMANTICS.md §8, autoscaling, run end to end: the KPA on request concurrency (panic, scale to
// zero, cold starts through the activator), the HPA on cpu, replicas that go through the whole pod
// lifecycle, scale-down order, the candidate's size at a replacement (§7), and the loader's rules.

#include <algorithm>
#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"
#include "traffic_scenario.hpp"
#include "wlsim/scenarios/summary.hpp"

using namespace wlsim;
using wlsim::testing::error_of;
using wlsim::testing::run_yaml;
using wlsim::testing::served;
using wlsim::testing::Served;

namespace {

const scenarios::WorkloadResult& workload(const testing::Traced& t) {
  return t.result.workloads.front();
}

/// The (time, message) of every SuccessfulRescale event.
std::vector<std::pair<double, std::string>> rescales(const testing::Traced& t) {
  std::vector<std::pair<double, std::string>> out;
  for (const auto& r : t.records) {
    if (r.kind_name() == "event" && r.reason_name() == "SuccessfulRescale")
      out.emplace_back(r.time.seconds(), r.message);
  }
  return out;
}

/// The proton's scale at `at` seconds, from the replica timeline.
int current_at(const testing::Traced& t, double at) {
  int current = -1;
  for (const auto& p : workload(t).replica_timeline) {
    if (p.at_s <= at) current = p.current;
  }
  return current;
}

std::string kpa(int target, int min, int max) {
  return "{enabled: true, policies: [{scalingMetric: httpRequestsConcurrency, target: " +
         std::to_string(target) + ", minCount: " + std::to_string(min) +
         ", maxCount: " + std::to_string(max) + "}]}";
}

std::string hpa(int target, int min, int max) {
  return "{enabled: true, policies: [{scalingMetric: cpuAverageUtilization, target: " +
         std::to_string(target) + ", minCount: " + std::to_string(min) +
         ", maxCount: " + std::to_string(max) + "}]}";
}

}  // namespace

TEST_CASE("KPA: a steady concurrency of 50 against a target of 10 settles at 5 replicas",
          "[autoscaling][kpa]") {
  // 50 requests a second, evenly spaced, 1 s each, a replica serves 100 at once: 50 in flight.
  Served s;
  s.traffic = "rate: 50/s, arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 100}";
  s.autoscaling = kpa(10, 1, 20);
  s.duration = "5m";
  const auto t = run_yaml(served(s));
  const auto& w = workload(t);
  REQUIRE(w.scaling.has_value());
  CHECK(w.scaling->desired == 5);
  CHECK(w.scaling->current == 5);
  CHECK(w.scaling->ready == 5);
  CHECK(w.scaling->mode == "stable");
  CHECK(w.scaling->policy == "httpRequestsConcurrency");
  // It never asks for more than 5, and holds 5 from the end of the first stable window on.
  for (const auto& p : w.replica_timeline) CHECK(p.desired <= 5);
  CHECK(current_at(t, 60) == 5);
  CHECK(w.replicas == 5);
  CHECK_THAT(rescales(t).front().second, Catch::StartsWith("New size: "));
}

TEST_CASE(
    "KPA: concurrency doubling within the panic window starts panic, and panic never scales "
    "down until a stable window has passed without it",
    "[autoscaling][kpa][panic]") {
  // 50 in flight (5 replicas) until 5 min, then 100 for 30 s, then 20. New replicas take 10 s to
  // start, so the ready count stays at 5 while the panic window fills: at the tick of 306 s the
  // window [300 s, 306 s] holds (75 + 500) / 6 = 95.8 in flight, 10 replicas' worth, twice the 5
  // that are ready.
  Served s;
  s.traffic =
      "rate: \"steps([0s, 50/s], [5m, 100/s], [330s, 20/s])\", arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 200, startup: 10s}";
  s.autoscaling = kpa(10, 1, 50);
  s.duration = "10m";
  const auto t = run_yaml(served(s));
  const auto& tl = workload(t).replica_timeline;
  double panic_from = -1;
  double panic_to = -1;
  int most = 0;
  for (std::size_t i = 0; i < tl.size(); ++i) {
    if (tl[i].at_s < 300) continue;
    if (tl[i].mode == "panic" && panic_from < 0) panic_from = tl[i].at_s;
    if (panic_from >= 0 && panic_to < 0 && tl[i].mode != "panic") panic_to = tl[i].at_s;
    if (tl[i].mode == "panic") {
      most = std::max(most, tl[i].desired);
      // In panic the desired count never goes down.
      if (i > 0 && tl[i - 1].mode == "panic") CHECK(tl[i].desired >= tl[i - 1].desired);
    }
  }
  CHECK(panic_from == 306.0);
  CHECK(most == 10);
  // Panic lasts a stable window (60 s) past the last tick over the threshold, which is within the
  // 30 s of doubled load: it ends between 366 s and 390 s, and only then does the count go down.
  CHECK(panic_to >= 366);
  CHECK(panic_to <= 390);
  CHECK(current_at(t, panic_to - 1) == 10);
  CHECK(current_at(t, 599) == 2);
}

TEST_CASE("KPA: with no traffic for the stable window and the 30 s grace it scales to zero at the "
          "exact tick",
          "[autoscaling][kpa][scale-to-zero]") {
  // The replica is ready at 30 s (the platform's first readiness probe); one request a second
  // from 31 s to 90 s, 2 s each: the last leaves at 92 s. The stable window is idle from the tick
  // at 152 s; 30 s of grace later, at the tick of 182 s, the count goes to zero.
  Served s;
  s.traffic = "rate: \"steps([0s, 0/s], [30s, 1/s], [90s, 0/s])\", arrivals: even, serviceTime: 2s";
  s.behavior = "{startup: 20s, concurrency: 10}";
  s.profile = "platform";
  s.autoscaling = kpa(10, 0, 5);
  s.duration = "5m";
  const auto t = run_yaml(served(s));
  const auto r = rescales(t);
  REQUIRE(r.size() == 1);
  CHECK(r.front().first == 182.0);
  CHECK(r.front().second ==
        "New size: 0; reason: no requests for the stable window and the scale-to-zero grace "
        "period");
  CHECK(current_at(t, 181.9) == 1);
  CHECK(current_at(t, 182) == 0);
  CHECK(workload(t).traffic->served == 60);
  CHECK(workload(t).traffic->cold_starts == 0);
}

TEST_CASE("KPA: a request that finds zero replicas waits at the activator for the whole cold start "
          "and is counted as one",
          "[autoscaling][kpa][cold-start]") {
  // No replica to begin with (minCount 0, replicaCount 0) and no image on the node. The request at
  // 600 s finds none: the activator asks for one at once; it pulls the image (200 ms + 1.2 GB at
  // 100 MB/s = 12.2 s), starts (20 s), and passes the platform's first readiness probe 30 s after
  // its start: ready at 642.2 s. The request waited 42.2 s and is served in 2 s. With no traffic
  // after it, the proton is back to zero at the tick a stable window and the grace after 644.2 s.
  Served s;
  s.traffic = "rate: \"steps([0s, 0/s], [599s, 1/s], [600s, 0/s])\", arrivals: even, serviceTime: 2s";
  s.behavior = "{imageSize: 1.2GB, startup: 20s}";
  s.cached = "[]";
  s.replicas = 0;
  s.profile = "platform";
  s.autoscaling = kpa(10, 0, 5);
  s.duration = "15m";
  const auto t = run_yaml(served(s));
  const auto& w = workload(t);
  const auto r = rescales(t);
  REQUIRE(r.size() == 2);
  CHECK(r[0].first == 600.0);
  CHECK(r[0].second == "New size: 1; reason: a request arrived at zero replicas (activator)");
  CHECK(t.first("wl/p1/r0", "replica", "running")->time.seconds() == Approx(642.2).epsilon(1e-12));
  REQUIRE(w.traffic.has_value());
  CHECK(w.traffic->cold_starts == 1);
  CHECK(w.traffic->cold_start_requests == 1);
  REQUIRE(w.traffic->cold_start_wait.has_value());
  CHECK(w.traffic->cold_start_wait->max == Approx(42.2).epsilon(1e-12));
  CHECK(w.traffic->served == 1);
  CHECK(w.traffic->latency->max == Approx(44.2).epsilon(1e-12));
  // Idle from the first tick whose window [t - 60 s, t] has nothing in flight: 706 s; zero at 736 s.
  CHECK(r[1].first == 736.0);
  CHECK_THAT(r[1].second, Catch::StartsWith("New size: 0;"));
}

TEST_CASE("KPA: minCount above zero never scales to zero", "[autoscaling][kpa][scale-to-zero]") {
  Served s;
  s.traffic = "rate: \"steps([0s, 1/s], [60s, 0/s])\", arrivals: even, serviceTime: 2s";
  s.autoscaling = kpa(10, 1, 5);
  s.duration = "10m";
  const auto t = run_yaml(served(s));
  for (const auto& p : workload(t).replica_timeline) CHECK(p.current >= 1);
  CHECK(workload(t).scaling->current == 1);
}

TEST_CASE("HPA: 3 replicas at 100 % cpu against a target of 50 become 6 at the next sync",
          "[autoscaling][hpa]") {
  // One request at a time per replica, 100 ms each, 30 a second: the 3 replicas are always busy.
  Served s;
  s.traffic = "rate: 30/s, arrivals: even, serviceTime: 100ms";
  s.replicas = 3;
  s.autoscaling = hpa(50, 1, 10);
  s.duration = "16s";
  const auto t = run_yaml(served(s));
  const auto r = rescales(t);
  REQUIRE(r.size() == 1);
  CHECK(r.front().first == 15.0);
  CHECK(r.front().second ==
        "New size: 6; reason: cpu resource utilization (percentage of request) above target");
  CHECK(workload(t).scaling->current == 6);
}

TEST_CASE("HPA: 10 replicas at 50 % against a target of 55 stay at 10 (tolerance)",
          "[autoscaling][hpa]") {
  Served s;
  s.traffic = "rate: 50/s, arrivals: even, serviceTime: 100ms";
  s.replicas = 10;
  s.autoscaling = hpa(55, 1, 20);
  s.duration = "5m";
  const auto t = run_yaml(served(s));
  CHECK(rescales(t).empty());
  CHECK(workload(t).scaling->current == 10);
}

TEST_CASE("HPA: a drop in load scales down only once the 300 s window has passed",
          "[autoscaling][hpa]") {
  // 6 replicas at 100 % until 600 s, then 20 %. The sync at 600 s still recommends 6; it stops
  // counting 300 s later, so the first scale-down is at the sync of 900 s, not before.
  Served s;
  s.traffic = "rate: \"steps([0s, 60/s], [600s, 12/s])\", arrivals: even, serviceTime: 100ms";
  s.replicas = 6;
  s.autoscaling = hpa(100, 1, 10);
  s.duration = "20m";
  const auto t = run_yaml(served(s));
  const auto r = rescales(t);
  REQUIRE_FALSE(r.empty());
  CHECK(r.front().first == 900.0);
  CHECK(current_at(t, 899) == 6);
  CHECK(current_at(t, 900) < 6);
}

TEST_CASE("a scale-up adds replicas that are scheduled, pull and pass probes like any other",
          "[autoscaling][lifecycle]") {
  // The image is pulled (Always) for each new replica: each is ready only after its pull, its
  // start-up and the first probe.
  Served s;
  s.traffic = "rate: 30/s, arrivals: even, serviceTime: 100ms";
  s.replicas = 3;
  s.behavior = "{imageSize: 100MB, startup: 5s}";
  s.pull_policy = "Always";
  s.autoscaling = hpa(50, 1, 10);
  s.duration = "2m";
  const auto t = run_yaml(served(s));
  // r3 is created by a scale-up; it pulls (200 ms + 1 s), starts (5 s) and is ready on its
  // probe's grid after that.
  const auto r = rescales(t);
  REQUIRE(t.first("wl/p1/r3", "phase", "Pending"));
  const double at = t.first("wl/p1/r3", "phase", "Pending")->time.seconds();
  CHECK(std::any_of(r.begin(), r.end(), [at](const auto& e) { return e.first == at; }));
  const auto pulled = t.first("wl/p1/r3/app", "event", "Normal");
  REQUIRE(pulled);
  const auto running = t.first("wl/p1/r3", "replica", "running");
  REQUIRE(running);
  CHECK(running->time.seconds() >= at + 6.2);
}

TEST_CASE("a scale-down removes replicas that are not ready first, then the newest",
          "[autoscaling][scale-down]") {
  // r0..r2 ready at once; the scale-up at 15 s adds r3..r5 whose app takes 1 h to start (so they
  // stay not ready); when the load stops the KPA scales down: r5, r4, r3 go first, then r2.
  Served s;
  s.traffic = "rate: \"steps([0s, 30/s], [20s, 0/s])\", arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 100}";
  s.autoscaling = kpa(5, 1, 10);
  s.replicas = 3;
  s.duration = "10m";
  const auto t = run_yaml(served(s));
  std::vector<std::string> removed;
  for (const auto& r : t.records) {
    if (r.kind_name() == "replica" && r.to_name() == "terminated") removed.push_back(r.object);
  }
  REQUIRE(removed.size() >= 3);
  // Newest first among the ready ones (they all became ready).
  for (std::size_t i = 1; i < removed.size(); ++i) CHECK(removed[i] < removed[i - 1]);
}

TEST_CASE(
    "an autoscaled candidate starts at the active proton's size, clamped to its bounds, and "
    "its own autoscaler acts from the flip",
    "[autoscaling][replacement]") {
  Served s;
  s.traffic = "rate: 50/s, arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 100}";
  s.autoscaling = kpa(10, 1, 20);
  s.duration = "10m";
  s.extra_top =
      "actions:\n  - {at: 3m, request: POST /workloads/wl/replacement, body: {artifactId: a2, "
      "strategy: rolling, config: {warmupDurationMinutes: 1, keepOldVersionMinutes: 1}}}\n";
  const auto t = run_yaml(served(s));
  int candidate = 0;
  for (const auto& r : t.records) {
    if (r.kind_name() == "phase" && r.to_name() == "Pending" && r.object.rfind("wl/p2/", 0) == 0)
      ++candidate;
  }
  CHECK(candidate == 5);
  CHECK(workload(t).scaling->current == 5);
  CHECK(workload(t).replacements.front().outcome == "completed");
}

TEST_CASE("the PATCH /settings body of the platform's documents pastes in and enables autoscaling",
          "[autoscaling][api]") {
  Served s;
  s.traffic = "rate: 30/s, arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 100}";
  s.duration = "10m";
  s.extra_top = R"(actions:
  - at: 1m
    request: PATCH /workloads/wl/settings
    body: {"runtime": {"containerGroups": [{"name": "default", "replicaCount": 4, "autoscaling": {"enabled": true, "policies": [{"scalingMetric": "httpRequestsConcurrency", "target": 20, "minCount": 2, "maxCount": 10}]}}]}}
)";
  const auto t = run_yaml(served(s));
  CHECK(t.result.calls.front().status == 202);
  // After the flip the candidate's KPA brings 30 in flight against 20 down to 2.
  CHECK(workload(t).scaling->current == 2);
  CHECK(workload(t).scaling->policy == "httpRequestsConcurrency");
}

TEST_CASE("enabled: false keeps replicaCount", "[autoscaling][loader]") {
  Served s;
  s.traffic = "rate: 50/s, arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 100}";
  s.replicas = 3;
  s.autoscaling =
      "{enabled: false, policies: [{scalingMetric: httpRequestsConcurrency, target: 10, minCount: "
      "1, maxCount: 20}]}";
  s.duration = "3m";
  const auto t = run_yaml(served(s));
  CHECK(rescales(t).empty());
  CHECK(workload(t).scaling->current == 3);
  CHECK(workload(t).scaling->mode == "fixed");
}

TEST_CASE(
    "autoscaling policies are read as the platform writes them, and refused with the field "
    "and the allowed values",
    "[autoscaling][loader][bad-input]") {
  Served s;
  s.traffic = "rate: 1/s, serviceTime: 1s";
  const auto with = [&](const std::string& a) {
    s.autoscaling = a;
    return error_of(served(s));
  };
  const std::string at = "workloads[0].runtime.containerGroups[0].autoscaling.policies[0]";
  CHECK(with(kpa(10, 0, 5)) == "(no error)");
  CHECK(with("{enabled: true, policies: [{scalingMetric: httpRequestsConcurrency, target: 10, "
             "minReplicaCount: 0, maxReplicaCount: 5}]}") == "(no error)");
  CHECK_THAT(with(hpa(50, 0, 5)),
             Catch::Contains(at + ".minCount: 0 is allowed only with scalingMetric "
                                  "httpRequestsConcurrency"));
  CHECK_THAT(with("{enabled: true, policies: [{scalingMetric: gpuCacheUtilization, target: 1, "
                  "maxCount: 2}]}"),
             Catch::Contains(at + ".scalingMetric: 'gpuCacheUtilization' is a GPU metric"));
  CHECK_THAT(with("{enabled: true, policies: [{scalingMetric: rps, target: 1, maxCount: 2}]}"),
             Catch::Contains(at + ".scalingMetric") && Catch::Contains("cpuAverageUtilization") &&
                 Catch::Contains("httpRequestsConcurrency"));
  CHECK_THAT(
      with("{enabled: true, policies: [{scalingMetric: cpuAverageUtilization, target: 50}]}"),
      Catch::Contains(at + ".maxCount: is required"));
  CHECK_THAT(with("{enabled: true, policies: [{scalingMetric: cpuAverageUtilization, target: 50, "
                  "minCount: 3, maxCount: 2}]}"),
             Catch::Contains(at + ".maxCount: 2 is not >= 3"));
  CHECK_THAT(with("{enabled: true, policies: [{scalingMetric: cpuAverageUtilization, target: 50, "
                  "minCount: 1, minReplicaCount: 1, maxCount: 2}]}"),
             Catch::Contains(at + ".minReplicaCount: gives the same bound as minCount"));
  CHECK_THAT(with("{enabled: true}"),
             Catch::Contains("autoscaling.policies: is required when autoscaling is enabled"));
  CHECK_THAT(with("{enabled: true, policies: [{scalingMetric: cpuAverageUtilization, target: 0, "
                  "maxCount: 2}]}"),
             Catch::Contains(at + ".target"));
}

TEST_CASE("wlsim status shows the autoscaler: desired, current, ready, the policy that won, the mode",
          "[autoscaling][status]") {
  Served s;
  s.traffic = "rate: 50/s, arrivals: even, serviceTime: 1s";
  s.behavior = "{concurrency: 100}";
  s.autoscaling = kpa(10, 1, 20);
  s.duration = "3m";
  const scenarios::Scenario sc = scenarios::load_text(served(s), "<status>");
  const auto json = scenarios::run(sc, {.status = scenarios::StatusFormat::Json}).status;
  CHECK_THAT(json, Catch::Contains(R"("autoscaler":{"desired":5,"current":5,"ready":5,)"
                                   R"("policy":"httpRequestsConcurrency","mode":"stable")"));
  const auto table = scenarios::run(sc, {.status = scenarios::StatusFormat::Table}).status;
  CHECK_THAT(table, Catch::Contains("replicas desired 5, current 5, ready 5  (stable, policy "
                                    "httpRequestsConcurrency, "));
  // The run table has the traffic columns only when a workload has traffic or autoscaling.
  const auto summary = scenarios::summary_table(scenarios::run(sc));
  CHECK_THAT(summary, Catch::Contains("coldStarts") && Catch::Contains("5/5/5 stable"));
  const auto plain = scenarios::summary_table(scenarios::run(
      scenarios::load_file(std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples/hello.yaml")));
  CHECK_THAT(plain, !Catch::Contains("coldStarts"));
}

TEST_CASE("a crash-looping replica removed by a scale-down takes errored with it (the failing pod "
          "is replaced, §6)",
          "[autoscaling][errored]") {
  // Every start crashes: the one replica is errored (CrashLoopBackOff) and the workload with it.
  // No traffic: the KPA (min 0) scales the idle proton to zero after 60 s + 30 s, removing the
  // failing pod; with no replica left the proton is running (idle) again.
  Served s;
  s.traffic = "rate: 0/s, serviceTime: 1s";
  s.behavior = "{crashOnStart: 1}";
  s.autoscaling = kpa(10, 0, 5);
  s.duration = "5m";
  const auto t = run_yaml(served(s));
  const auto states = t.states("wl", "workload");
  REQUIRE(states.size() >= 2);
  CHECK(std::find(states.begin(), states.end(), "errored") != states.end());
  CHECK(states.back() == "running");
  CHECK(workload(t).scaling->current == 0);
  CHECK(workload(t).errored_recovered);
}

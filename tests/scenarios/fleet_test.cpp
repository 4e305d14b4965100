// The fleet section of a summary (fleet_metrics.hpp, docs/metrics.md): each value on a small
// scenario whose numbers follow from the rules (cached images, instant starts, default probes: a
// replica runs 30 s after it is created).
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "cli_harness.hpp"
#include "scenario_fixture.hpp"
#include "wlsim/scenarios/fleet_metrics.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace {

using wlsim::scenarios::FleetQuantiles;
using wlsim::scenarios::FleetResult;
using wlsim::scenarios::measure_fleet;
using wlsim::testing::run_yaml;

// Four nodes of 8 cpu; app-v1 and app-v2 ask 2 cpu and 4 GB a replica; `crash` exits after 5 s.
std::string fleet_yaml(const std::string& workloads, const std::string& actions = "",
                       const std::string& duration = "1h") {
  return R"(name: fleet
duration: )" +
         duration +
         R"(
cluster:
  nodePools: [{name: n, count: 4, allocatable: {cpu: 8, memory: 32GB},
               cachedImages: [registry.example/app:1, registry.example/app:2]}]
artifacts:
  - id: app-v1
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: registry.example/app:1, readinessProbe: {path: /healthz},
             resourceAllocation: {cpu: 2, memory: 4GB}}
  - id: app-v2
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: registry.example/app:2, readinessProbe: {path: /healthz},
             resourceAllocation: {cpu: 2, memory: 4GB}}
  - id: crash
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: registry.example/app:1, readinessProbe: {path: /healthz},
             resourceAllocation: {cpu: 2, memory: 4GB}, behavior: {exit: {after: 5s, code: 1}}}
  - id: huge
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: registry.example/app:1, readinessProbe: {path: /healthz},
             resourceAllocation: {cpu: 16, memory: 4GB}}
workloads:
)" + workloads +
         (actions.empty() ? "" : "actions:\n" + actions);
}

FleetResult fleet_of(const std::string& yaml) { return measure_fleet(run_yaml(yaml).result); }

const FleetQuantiles& quantiles(const FleetResult& f, const std::string& name) {
  for (const auto& [n, q] : f.quantiles) {
    if (n == name) return q;
  }
  throw std::logic_error("no metric " + name);
}

}  // namespace

TEST_CASE("fleet counts the workloads by final status, and those ever errored", "[fleet]") {
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
  - {id: b, artifactId: app-v1}
  - {id: c, artifactId: crash}
)",
                                            "", "10m"));
  CHECK(f.total == 3);
  CHECK(f.by_status == std::map<std::string, int>{{"errored", 1}, {"running", 2}});
  CHECK(f.ever_errored == 1);
}

TEST_CASE("fleet everErrored counts a workload that errored and recovered", "[fleet]") {
  // b crashes at 5 s and shows errored until a replacement onto app-v1 runs and flips.
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: b, artifactId: crash}
)",
                                            R"(  - at: 1m
    request: POST /workloads/b/replacement
    body: {artifactId: app-v1, strategy: rolling, config: {warmupDurationMinutes: 0, keepOldVersionMinutes: 0}}
)",
                                            "10m"));
  CHECK(f.by_status == std::map<std::string, int>{{"running", 1}});
  CHECK(f.ever_errored == 1);
}

TEST_CASE("fleet timeAllRunning is when the last workload first ran, counting action-made ones",
          "[fleet]") {
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
)",
                                            R"(  - at: 10m
    request: POST /workloads
    body: {id: b, artifactId: app-v1}
)"));
  REQUIRE(f.time_all_running_s);
  CHECK(*f.time_all_running_s == 630.0);
}

TEST_CASE("fleet timeAllRunning is none while one workload never ran", "[fleet]") {
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
  - {id: big, artifactId: huge}
)"));
  CHECK_FALSE(f.time_all_running_s);
  const FleetQuantiles& ttr = quantiles(f, "timeToRunning");
  CHECK(ttr.n == 1);
  CHECK(ttr.max == 30.0);
  // Pending for the whole hour: the big one's pod never fits a node.
  const FleetQuantiles& pending = quantiles(f, "pendingTime");
  CHECK(pending.n == 2);
  CHECK(pending.p50 == 0.0);
  CHECK(pending.max == 3600.0);
}

TEST_CASE("fleet timeAllRunning leaves out a deleted workload", "[fleet]") {
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
  - {id: big, artifactId: huge}
)",
                                            R"(  - {at: 5m, request: DELETE /workloads/big}
)"));
  REQUIRE(f.time_all_running_s);
  CHECK(*f.time_all_running_s == 30.0);
}

TEST_CASE(
    "fleet rolloutMakespan runs from the first POST to the last replacement's end, surge "
    "total sums each replacement's peak and peak is the most held at once",
    "[fleet]") {
  // Each replacement: candidate running 30 s after its POST, no warm-up, the old proton dropped at
  // the flip, so it ends 30 s after the POST holding 2 replicas (4 cpu, 8 GB) at its peak. The two
  // do not overlap: the fleet's peak is one replacement's.
  const std::string config = "config: {warmupDurationMinutes: 0, keepOldVersionMinutes: 0}";
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
  - {id: b, artifactId: app-v1}
)",
                                            "  - {at: 10m, replaceArtifact: {workload: a, "
                                            "artifactId: app-v2, " +
                                                config +
                                                "}}\n  - {at: 20m, replaceArtifact: "
                                                "{workload: b, artifactId: app-v2, " +
                                                config + "}}\n"));
  CHECK(f.replacements == 2);
  CHECK(f.replacements_in_flight == 0);
  REQUIRE(f.rollout_makespan_s);
  CHECK(*f.rollout_makespan_s == 630.0);
  CHECK(f.surge_total.cpu == 8.0);
  CHECK(f.surge_total.memory_bytes == 16e9);
  CHECK(f.surge_peak.cpu == 4.0);
  CHECK(f.surge_peak.memory_bytes == 8e9);
}

TEST_CASE("fleet surge peak adds replacements that overlap", "[fleet]") {
  const std::string config = "config: {warmupDurationMinutes: 0, keepOldVersionMinutes: 0}";
  const FleetResult f = fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
  - {id: b, artifactId: app-v1}
)",
                                            "  - {at: 10m, replaceArtifact: {workload: a, "
                                            "artifactId: app-v2, " +
                                                config +
                                                "}}\n  - {at: 610s, replaceArtifact: "
                                                "{workload: b, artifactId: app-v2, " +
                                                config + "}}\n"));
  CHECK(f.surge_total.cpu == 8.0);
  CHECK(f.surge_peak.cpu == 8.0);
  CHECK(f.surge_peak.memory_bytes == 16e9);
  REQUIRE(f.rollout_makespan_s);
  CHECK(*f.rollout_makespan_s == 40.0);
}

TEST_CASE("fleet rolloutMakespan is none with a replacement still in flight, which it counts",
          "[fleet]") {
  const FleetResult f =
      fleet_of(fleet_yaml(R"(  - {id: a, artifactId: app-v1}
)",
                          R"(  - {at: 59m50s, replaceArtifact: {workload: a, artifactId: app-v2}}
)"));
  CHECK(f.replacements == 1);
  CHECK(f.replacements_in_flight == 1);
  CHECK_FALSE(f.rollout_makespan_s);
}

TEST_CASE("fleet without replacements has no makespan and no surge", "[fleet]") {
  const FleetResult f = fleet_of(fleet_yaml("  - {id: a, artifactId: app-v1}\n"));
  CHECK(f.replacements == 0);
  CHECK_FALSE(f.rollout_makespan_s);
  CHECK(f.surge_total.cpu == 0.0);
  CHECK(f.surge_peak.cpu == 0.0);
}

TEST_CASE("fleet nodeSeconds sums the pools' node-seconds", "[fleet]") {
  const FleetResult f = fleet_of(fleet_yaml("  - {id: a, artifactId: app-v1}\n"));
  CHECK(f.node_seconds == 4 * 3600.0);
}

TEST_CASE("fleet quantiles are nearest-rank over the workloads with a value", "[fleet]") {
  // 1..10: p50 the 5th value, p90 the 9th, p99 the 10th.
  std::vector<double> values;
  for (int v = 10; v >= 1; --v) values.push_back(v);
  const FleetQuantiles q = wlsim::scenarios::fleet_quantiles(values);
  CHECK(q.n == 10);
  CHECK(q.p50 == 5.0);
  CHECK(q.p90 == 9.0);
  CHECK(q.p99 == 10.0);
  CHECK(q.max == 10.0);
  const FleetQuantiles none = wlsim::scenarios::fleet_quantiles({});
  CHECK(none.n == 0);
  CHECK_FALSE(none.p50);
  CHECK_FALSE(none.max);
}

TEST_CASE("fleet quantiles cover every per-workload scalar metric, in order", "[fleet]") {
  CHECK(wlsim::scenarios::fleet_metric_names() ==
        std::vector<std::string>{"timeToRunning", "pendingTime", "erroredDwell", "restarts",
                                 "oomKills", "degradedTime", "replicaSeconds"});
}

TEST_CASE("fleet section follows workloads in the summary JSON, with null for missing values",
          "[fleet]") {
  const auto j = wlsim::scenarios::summary_value(
      run_yaml(fleet_yaml("  - {id: big, artifactId: huge}\n", "", "10m")).result);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"scenario", "seed", "simulatedSeconds", "events",
                                         "traceRecords", "traceHash", "workloads", "fleet",
                                         "actions", "cluster"});
  const auto& fleet = j["fleet"];
  CHECK(fleet["workloads"].dump() == R"({"submitted":1,"total":1})");
  CHECK(fleet["timeAllRunning"].is_null());
  CHECK(fleet["rolloutMakespan"].is_null());
  CHECK(fleet["quantiles"]["timeToRunning"].dump() ==
        R"({"n":0,"p50":null,"p90":null,"p99":null,"max":null})");
  CHECK(
      fleet["surge"].dump() ==
      R"({"total":{"cpu":0.0,"memory":0.0,"gpu":0.0},"peak":{"cpu":0.0,"memory":0.0,"gpu":0.0}})");
}

TEST_CASE("table --top lists the worst workloads: errored, never running, longest timeToRunning",
          "[fleet]") {
  const auto r = run_yaml(fleet_yaml(R"(  - {id: ok, artifactId: app-v1}
  - {id: big, artifactId: huge}
  - {id: crasher, artifactId: crash}
)",
                                     R"(  - at: 1m
    request: POST /workloads
    body: {id: late, artifactId: app-v1}
)",
                                     "10m"))
                     .result;
  std::vector<std::string> order;
  for (const auto* w : wlsim::scenarios::worst_workloads(r)) order.push_back(w->id);
  CHECK(order == std::vector<std::string>{"crasher", "big", "ok", "late"});
  const std::string table = wlsim::scenarios::summary_table(r, 2);
  CHECK(table.find("\ncrasher ") != std::string::npos);
  CHECK(table.find("\nbig ") != std::string::npos);
  CHECK(table.find("\nok ") == std::string::npos);
  CHECK(table.find("(2 of 4 workloads left out: --top 2 shows the worst") != std::string::npos);
  const std::string all = wlsim::scenarios::summary_table(r);
  CHECK(all.find("left out") == std::string::npos);
  CHECK(all.find("\nlate ") != std::string::npos);
  // The call that made `late` is on a workload left out.
  CHECK(table.find("(1 of 1 calls left out: on workloads left out, or on none)") !=
        std::string::npos);
  CHECK(all.find("POST /workloads ") != std::string::npos);
}

TEST_CASE("wlsim run --top N prints the fleet section and the worst N workloads", "[fleet][cli]") {
  const wlsim::testing::Cli wlsim;
  const auto o = wlsim("run " + wlsim::testing::example("fleet-rollout.yaml") + " --top 2");
  CHECK(o.code == 0);
  CHECK(o.out.find("\nfleet  workloads 800 (running 800)  everErrored 0  allRunning 30s  "
                   "nodeSeconds 144000\nrollout  replacements 800  inFlight 0  makespan 1628s  "
                   "surge total 1600 cpu / 3200GB  peak 32 cpu / 64GB\n") != std::string::npos);
  CHECK(o.out.find("\nwl-001  running") != std::string::npos);
  CHECK(o.out.find("\nwl-002  running") == std::string::npos);
  CHECK(o.out.find("(798 of 800 workloads left out") != std::string::npos);
  CHECK(o.out.find("(798 of 800 calls left out: on workloads left out, or on none)") !=
        std::string::npos);
}

TEST_CASE("wlsim run --top is a usage error with --format json and with --replications",
          "[fleet][cli]") {
  const wlsim::testing::Cli wlsim;
  const std::string hello = wlsim::testing::example("hello.yaml");
  const std::string message =
      "wlsim: --top picks the rows of one run's table; leave it out with --format json and with "
      "--replications\nRun 'wlsim run --help' for usage.\n";
  for (const std::string args : {" --top 2 --format json", " --top 2 --replications 2"}) {
    const auto o = wlsim("run " + hello + args);
    CHECK(o.code == 2);
    CHECK(o.out.empty());
    CHECK(o.err == message);
  }
  CHECK(wlsim("run " + hello + " --top 0").err ==
        "wlsim: --top: '0' is not a whole number from 1 to 999999\nRun 'wlsim run --help' for "
        "usage.\n");
}

TEST_CASE("the fleet table shows quantiles across two workloads or more, not across one",
          "[fleet]") {
  const auto one =
      wlsim::scenarios::summary_table(wlsim::testing::run_example("hello.yaml").result);
  CHECK_THAT(one, Catch::Contains("fleet  workloads 1 (running 1)  everErrored 0  allRunning "
                                  "66.2s  nodeSeconds 1800\n\nworkload"));
  CHECK_THAT(one, !Catch::Contains("across workloads"));
  const auto many =
      wlsim::scenarios::summary_table(wlsim::testing::run_example("capacity-study.yaml").result);
  CHECK_THAT(many, Catch::Contains("\nacross workloads  n      p50"));
  CHECK_THAT(many, Catch::Contains("\ntimeToRunning     20     80.2s       110.2s      110.2s      "
                                   "110.2s\n"));
}

// Overrides by path (`PATH=VALUE`): applied to the document before the schema reads it, so every
// override is checked as the file is; a path that names nothing says what is there instead.
#include "wlsim/scenarios/overrides.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_harness.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

using wlsim::engine::Time;
using wlsim::scenarios::load_source;
using wlsim::scenarios::Override;
using wlsim::scenarios::parse_override;
using wlsim::scenarios::read_source;
using wlsim::scenarios::Scenario;
using wlsim::scenarios::ScenarioError;
using wlsim::scenarios::source_json;
using wlsim::scenarios::text_source;
using wlsim::testing::Cli;
using wlsim::testing::example;

namespace {

const std::string kProbePeriod =
    "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds";
const std::string kProbeDelay =
    "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.initialDelaySeconds";

Scenario hello_with(const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  return load_source(read_source(example("hello.yaml")), overrides);
}

std::string error_with(const std::vector<std::string>& sets) {
  try {
    (void)hello_with(sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  FAIL("no error");
  return {};
}

const wlsim::models::ProbeSpec& readiness(const Scenario& s) {
  return *s.platform.artifacts.at(0).containers.at(0).readiness;
}

}  // namespace

TEST_CASE("an override by path sets the value the file had", "[overrides]") {
  CHECK(readiness(hello_with({})).period == Time::from_seconds(30));
  CHECK(readiness(hello_with({kProbePeriod + "=10"})).period == Time::from_seconds(10));
}

TEST_CASE("list items are named by index, by id, or by name when they have no id", "[overrides]") {
  const Scenario s = hello_with({"workloads[0].runtime.containerGroups[default].replicaCount=5",
                                 "artifacts[0].containerGroups[default].containers[0]."
                                 "readinessProbe.timeoutSeconds=4",
                                 "workloads[wl-1].importance=low"});
  CHECK(s.platform.workloads.at(0).runtime.replica_count == 5);
  CHECK(readiness(s).timeout == Time::from_seconds(4));
  CHECK(s.platform.workloads.at(0).importance == wlsim::models::Importance::Low);
}

TEST_CASE("an override's value is YAML: numbers, durations, lists and mappings", "[overrides]") {
  const Scenario s = hello_with(
      {"duration=1h", "seed=7",
       "artifacts[app-v1].containerGroups[0].containers[app].resourceAllocation={cpu: 4, memory: "
       "8GB}",
       "cluster.nodePools=[{name: big, count: 2, allocatable: {cpu: 32, memory: 128GB}}]"});
  CHECK(s.duration == Time::from_seconds(3600));
  CHECK(s.seed == 7);
  CHECK(s.platform.artifacts.at(0).containers.at(0).resources.cpu_milli == 4000);
  CHECK(s.platform.artifacts.at(0).containers.at(0).resources.memory_bytes == 8'000'000'000);
  REQUIRE(s.platform.cluster.node_pools.size() == 1);
  CHECK(s.platform.cluster.node_pools[0].name == "big");
}

TEST_CASE("a field the file leaves out may be set, and an empty value restores the default",
          "[overrides]") {
  const std::string probe = "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe";
  CHECK(readiness(hello_with({probe + ".initialDelaySeconds=5"})).initial_delay ==
        Time::from_seconds(5));
  CHECK(readiness(hello_with({kProbePeriod + "=10", kProbePeriod + "="})).period ==
        Time::from_seconds(30));
}

TEST_CASE("overrides apply in order: a later one sees what an earlier one put", "[overrides]") {
  const Scenario s =
      hello_with({"expect=", "workloads[wl-1]={id: wl-9, artifactId: app-v1}",
                  "workloads[wl-9].runtime={containerGroups: [{name: default, replicaCount: 2}]}"});
  CHECK(s.platform.workloads.at(0).id == "wl-9");
  CHECK(s.platform.workloads.at(0).runtime.replica_count == 2);
}

TEST_CASE("an override is checked exactly as the file is", "[overrides]") {
  CHECK(error_with({kProbePeriod + "=0"}) ==
        example("hello.yaml") +
            ": artifacts[0].containerGroups[0].containers[0].readinessProbe.periodSeconds: 0 is "
            "not >= 1");
  CHECK(error_with({"workloads[wl-1].colour=red"})
            .find(": workloads[0].colour: is not a known field (allowed: artifact, artifactId, id, "
                  "importance, name, runtime)") != std::string::npos);
}

TEST_CASE("a path that names nothing says what is there", "[overrides]") {
  const std::string file = example("hello.yaml") + ": ";
  CHECK(error_with({"artifacts[app-v2].status=locked"}) ==
        file +
            "override 'artifacts[app-v2].status': artifacts has no item with id or name 'app-v2' "
            "(its items: app-v1)");
  CHECK(error_with({"workloads[3].importance=low"}) ==
        file +
            "override 'workloads[3].importance': workloads has 1 items, no [3] (its items: wl-1)");
  CHECK(error_with({"artifacts.status=locked"}) ==
        file +
            "override 'artifacts.status': artifacts is a list: pick an item with "
            "[index] or [id] before 'status' (its items: app-v1)");
  CHECK(error_with({"clusterx.registry.latency=1s"}) ==
        file +
            "override 'clusterx.registry.latency': the top level has no field 'clusterx' (its "
            "fields: name, seed, duration, profile, cluster, artifacts, workloads, expect)");
  CHECK(error_with({"seed.value=3"}) ==
        file +
            "override 'seed.value': seed is a single value, not a mapping or a list: 'value' "
            "names nothing");
}

TEST_CASE("an override's syntax errors name it", "[overrides]") {
  CHECK_THROWS_WITH(parse_override("seed"),
                    "override 'seed': expected PATH=VALUE, e.g. "
                    "workloads[wl-1].runtime.containerGroups[0].replicaCount=3");
  CHECK_THROWS_WITH(parse_override("=3"), "override '=3': the path before '=' is empty");
  const Override in_brackets = parse_override("cluster.nodePools[0].labels[a=b]=c=d");
  CHECK(in_brackets.path == "cluster.nodePools[0].labels[a=b]");
  CHECK(in_brackets.value == "c=d");
  CHECK(error_with({"workloads[0.importance=low"}) ==
        example("hello.yaml") + ": override 'workloads[0.importance': a '[' is never closed");
  CHECK(error_with({"workloads..importance=low"}) ==
        example("hello.yaml") + ": override 'workloads..importance': a field name is empty");
  CHECK(error_with({"workloads[]=low"}) ==
        example("hello.yaml") +
            ": override 'workloads[]': [] names nothing (write an index, an id or a key)");
  CHECK(error_with({"seed=[1"}).find(": override 'seed': value: malformed YAML/JSON") !=
        std::string::npos);
}

TEST_CASE("overrides are bounded in number and path length", "[overrides][limits]") {
  std::vector<std::string> many(wlsim::scenarios::kMaxOverrides + 1, "seed=3");
  CHECK(error_with(many) ==
        example("hello.yaml") + ": 1001 overrides are over the limit of 1000 in one load");
  CHECK(error_with({std::string(1001, 'a') + "=1"}) ==
        example("hello.yaml") + ": override path of 1001 bytes is over the limit of 1000");
}

TEST_CASE("an override of one alias's use leaves the anchor's other uses alone", "[overrides]") {
  const std::string text = R"(name: t
duration: 1h
cluster: {nodePools: [{name: cpu, count: 2, allocatable: {cpu: 16, memory: 64GB}}]}
artifacts:
  - id: a
    containerGroups:
      - name: default
        containers:
          - {name: app, primary: true, imageUri: r/a:1, port: 8080, readinessProbe: &probe {path: /h, periodSeconds: 7}}
  - id: b
    containerGroups:
      - name: default
        containers:
          - {name: app, primary: true, imageUri: r/b:1, port: 8080, readinessProbe: *probe}
workloads: [{id: w, artifactId: a}]
)";
  const Scenario s =
      load_source(text_source(text, "t"),
                  {parse_override("artifacts[b].containerGroups[0].containers[app].readinessProbe."
                                  "periodSeconds=9")});
  CHECK(s.platform.artifacts.at(0).containers.at(0).readiness->period == Time::from_seconds(7));
  CHECK(s.platform.artifacts.at(1).containers.at(0).readiness->period == Time::from_seconds(9));
}

TEST_CASE("the overridden document as JSON loads as the same scenario", "[overrides]") {
  const auto source = read_source(example("hello.yaml"));
  // The first probe at 5 s fails (the app starts in about 20 s): the period then matters.
  const std::vector<Override> overrides{parse_override(kProbePeriod + "=10"),
                                        parse_override(kProbeDelay + "=5")};
  const std::string json = source_json(source, overrides);
  CHECK(json.find(R"("periodSeconds":10)") != std::string::npos);
  CHECK(json.find(R"("imageSize":"1.2GB")") != std::string::npos);
  CHECK(json.find(R"("primary":true)") != std::string::npos);
  const auto a = wlsim::scenarios::run(load_source(source, overrides));
  const auto b = wlsim::scenarios::run(load_source(text_source(json, "<json>"), {}));
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.trace_hash != wlsim::scenarios::run(load_source(source, {})).trace_hash);
}

TEST_CASE("only a plain scalar is typed in the JSON: quoted text stays text", "[overrides]") {
  CHECK(source_json(text_source("{a: 10, b: '10', c: true, d: \"true\", e: ~, f: 1.5, g: 01, h: "
                                "x\"y}",
                                "t"),
                    {}) ==
        R"({"a":10,"b":"10","c":true,"d":"true","e":null,"f":1.5,"g":"01","h":"x\"y"})");
}

TEST_CASE("the command line's --set overrides a value", "[overrides][cli]") {
  const Cli wlsim;
  const auto plain = wlsim("run " + example("hello.yaml") + " --format json");
  const auto set = wlsim("run " + example("hello.yaml") + " --format json --set '" + kProbePeriod +
                         "=10' --set '" + kProbeDelay + "=5'");
  REQUIRE(plain.code == 0);
  REQUIRE(set.code == 0);
  CHECK(plain.out.find(R"("timeToRunning":66.2,)") != std::string::npos);
  CHECK(set.out.find(R"("timeToRunning":61.2,)") != std::string::npos);
  CHECK(wlsim("validate " + example("hello.yaml") + " --set '" + kProbePeriod + "=10'").code == 0);
}

TEST_CASE("a --set that names nothing exits 2 with no output", "[overrides][cli]") {
  const Cli wlsim;
  const auto r = wlsim("run " + example("hello.yaml") + " --set 'artifacts[app-v2].status=locked'");
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "wlsim: " + example("hello.yaml") +
                     ": override 'artifacts[app-v2].status': artifacts has no item with id or name "
                     "'app-v2' (its items: app-v1)\n");
  const auto bad = wlsim("run " + example("hello.yaml") + " --set seed");
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.rfind("wlsim: --set: override 'seed': expected PATH=VALUE", 0) == 0);
}

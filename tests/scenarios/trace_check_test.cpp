// The trace validator: every state change of a run is an edge of its machine's transition graph
// (models/transitions.hpp), and every example scenario's trace passes it — so every
// replacement-status sequence of every example is a path in the replacement graph.
#include "wlsim/scenarios/trace_check.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/container.hpp"
#include "wlsim/models/trace_kinds.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace fs = std::filesystem;
using wlsim::engine::MemorySink;
using wlsim::engine::Time;
using wlsim::engine::TraceRecord;
using namespace wlsim::scenarios;

namespace {
/// A record from the names a sink writes.
TraceRecord rec(std::int64_t seconds, std::string object, std::string_view kind,
                std::string_view from, std::string_view to) {
  return wlsim::models::trace_record(Time::from_seconds(seconds), std::move(object), kind, from, to,
                                     "", "");
}

// One replica of wl-1 coming up, crashing once and recovering, then the workload deleted, with its
// container, pod phase, proton and workload, interleaved with records that are not state machines.
std::vector<TraceRecord> legal_run() {
  return {
      rec(0, "wl-1", "workload", "", "initializing"),
      rec(0, "wl-1/p1", "proton", "", "initializing"),
      rec(0, "wl-1/p1/r0", "replica", "", "submitted"),
      rec(0, "wl-1/p1", "proton", "initializing", "submitted"),
      rec(0, "wl-1", "workload", "initializing", "submitted"),
      rec(0, "wl-1/p1/r0", "phase", "", "Pending"),
      rec(0, "wl-1/p1/r0", "pod", "", "PodScheduled=True"),
      rec(0, "wl-1/p1/r0", "replica", "submitted", "provisioning"),
      rec(0, "wl-1/p1/r0", "replica", "provisioning", "launching"),
      rec(0, "wl-1/p1/r0/app", "container", "", "waiting:ContainerCreating"),
      rec(0, "wl-1/p1", "proton", "submitted", "launching"),
      rec(0, "wl-1", "workload", "submitted", "launching"),
      rec(5, "wl-1/p1/r0/app", "container", "waiting:ContainerCreating", "running"),
      rec(5, "wl-1/p1/r0", "phase", "Pending", "Running"),
      rec(30, "wl-1/p1/r0/app", "event", "", "Normal"),
      rec(30, "wl-1/p1/r0", "replica", "launching", "running"),
      rec(30, "wl-1/p1", "proton", "launching", "running"),
      rec(30, "wl-1", "workload", "launching", "running"),
      rec(100, "wl-1/p1/r0/app", "container", "running", "terminated:Error"),
      rec(100, "wl-1/p1/r0/app", "container", "terminated:Error", "running"),
      rec(100, "wl-1/p1/r0", "replica", "running", "launching"),
      rec(100, "wl-1/p1", "proton", "running", "launching"),
      rec(100, "wl-1", "workload", "running", "launching"),
      rec(150, "wl-1/p1/r0/app", "container", "running", "terminated:OOMKilled"),
      rec(150, "wl-1/p1/r0/app", "container", "terminated:OOMKilled", "waiting:CrashLoopBackOff"),
      rec(150, "wl-1/p1/r0", "replica", "launching", "errored"),
      rec(150, "wl-1/p1", "proton", "launching", "errored"),
      rec(150, "wl-1", "workload", "launching", "errored"),
      rec(160, "wl-1/p1/r0/app", "container", "waiting:CrashLoopBackOff", "running"),
      rec(190, "wl-1/p1/r0", "replica", "errored", "running"),
      rec(190, "wl-1/p1", "proton", "errored", "running"),
      rec(190, "wl-1", "workload", "errored", "running"),
      rec(300, "wl-1", "workload", "running", "stopping"),
      rec(300, "wl-1/p1/r0/app", "container", "running", "terminated:Completed"),
      rec(300, "wl-1/p1/r0", "phase", "Running", "Succeeded"),
      rec(300, "wl-1/p1/r0", "replica", "running", "terminated"),
      rec(300, "wl-1/p1", "proton", "running", "terminated"),
      rec(300, "wl-1", "workload", "stopping", "terminated"),
  };
}

// A rolling replacement of wl-1 from p1 to p2 (SEMANTICS.md §7), with the role, API and fault
// records that are not state machines.
std::vector<TraceRecord> rolling_run() {
  return {
      rec(0, "wl-1", "workload", "", "initializing"),
      rec(0, "wl-1/p1", "proton", "", "initializing"),
      rec(0, "wl-1/p1", "proton", "initializing", "launching"),
      rec(0, "wl-1", "workload", "initializing", "launching"),
      rec(30, "wl-1/p1", "proton", "launching", "running"),
      rec(30, "wl-1", "workload", "launching", "running"),
      rec(100, "registry", "fault", "", "outage"),
      rec(600, "wl-1/rep1", "replacement", "", "submitted"),
      rec(600, "wl-1/rep1", "replacement", "submitted", "initializing"),
      rec(600, "wl-1/p2", "proton", "", "initializing"),
      rec(600, "wl-1/p2", "proton", "initializing", "launching"),
      rec(600, "api", "api", "POST /workloads/wl-1/replacement", "202"),
      rec(630, "wl-1/p2", "proton", "launching", "running"),
      rec(630, "wl-1/rep1", "replacement", "initializing", "promoting"),
      rec(630, "wl-1/p2", "proton", "running", "warming"),
      // A replica unready during the warm-up, ready again.
      rec(700, "wl-1/p2", "proton", "warming", "launching"),
      rec(730, "wl-1/p2", "proton", "launching", "warming"),
      rec(930, "wl-1/rep1", "replacement", "promoting", "finalizing"),
      rec(930, "wl-1/p2", "role", "candidate", "active"),
      rec(930, "wl-1/p2", "proton", "warming", "running"),
      rec(930, "wl-1/p1", "role", "active", "retiring"),
      rec(930, "wl-1/p1", "proton", "running", "draining"),
      rec(2730, "wl-1/p1", "proton", "draining", "terminated"),
      rec(2730, "wl-1/rep1", "replacement", "finalizing", "completed"),
      // Stopped, started afresh, deleted.
      rec(3000, "wl-1", "workload", "running", "stopping"),
      rec(3000, "wl-1/p2", "proton", "running", "terminated"),
      rec(3000, "wl-1", "workload", "stopping", "stopped"),
      rec(3100, "wl-1/p3", "proton", "", "initializing"),
      rec(3100, "wl-1", "workload", "stopped", "initializing"),
      rec(3200, "wl-1", "workload", "initializing", "stopping"),
      rec(3200, "wl-1/p3", "proton", "initializing", "terminated"),
      rec(3200, "wl-1", "workload", "stopping", "terminated"),
  };
}

std::string problems(const std::vector<TraceViolation>& v) {
  std::string out;
  for (const TraceViolation& x : v) out += x.problem + "\n";
  return out;
}

std::vector<fs::path> examples() {
  std::vector<fs::path> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(WLSIM_SOURCE_DIR) / "scenarios" / "examples")) {
    const fs::path& p = e.path();
    if (p.string().ends_with(".expected.json")) continue;
    if (p.extension() == ".yaml" || p.extension() == ".json") out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("a legal trace has no violations", "[trace_check]") {
  const auto v = check_trace(legal_run());
  INFO(problems(v));
  CHECK(v.empty());
  CHECK(check_trace({}).empty());
}

TEST_CASE("an illegal edge is reported with object, time and transition", "[trace_check]") {
  auto records = legal_run();
  // The run up to 160 s: the proton is errored since 150 s. Errored is sticky: it may not go back
  // to launching.
  records.resize(29);
  REQUIRE(records.back().time == Time::from_seconds(160));
  records.push_back(rec(180, "wl-1/p1", "proton", "errored", "launching"));
  const auto v = check_trace(records);
  REQUIRE(v.size() == 1);
  CHECK(v[0].record.to_name() == "launching");
  CHECK(v[0].problem ==
        "proton wl-1/p1 at 180s, errored -> launching: not a legal proton transition");
}

TEST_CASE("a crash straight into CrashLoopBackOff is reported: a crash goes through terminated",
          "[trace_check]") {
  const std::vector<TraceRecord> records{
      rec(0, "wl/p1/r0/app", "container", "", "waiting:ContainerCreating"),
      rec(1, "wl/p1/r0/app", "container", "waiting:ContainerCreating", "running"),
      rec(9, "wl/p1/r0/app", "container", "running", "waiting:CrashLoopBackOff"),
  };
  const auto v = check_trace(records);
  REQUIRE(v.size() == 1);
  CHECK(v[0].problem ==
        "container wl/p1/r0/app at 9s, running -> waiting:CrashLoopBackOff: not a legal container "
        "transition");
}

TEST_CASE("a from-state that is not the previous to-state is reported", "[trace_check]") {
  const std::vector<TraceRecord> records{
      rec(0, "wl/p1/r0", "replica", "", "submitted"),
      rec(1, "wl/p1/r0", "replica", "provisioning", "launching"),
      rec(2, "wl/p1/r1", "phase", "Pending", "Running"),
  };
  const auto v = check_trace(records);
  REQUIRE(v.size() == 2);
  CHECK(v[0].problem ==
        "replica wl/p1/r0 at 1s, provisioning -> launching: the previous state is submitted");
  CHECK(v[1].problem ==
        "phase wl/p1/r1 at 2s, Pending -> Running: the first record of the object must start from "
        "(start)");
}

TEST_CASE("objects are tracked per kind: a replica's phase and status are separate machines",
          "[trace_check]") {
  const std::vector<TraceRecord> records{
      rec(0, "wl/p1/r0", "replica", "", "submitted"),
      rec(0, "wl/p1/r0", "phase", "", "Pending"),
      rec(1, "wl/p1/r0", "replica", "submitted", "provisioning"),
      rec(2, "wl/p1/r0", "phase", "Pending", "Running"),
  };
  CHECK(check_trace(records).empty());
}

TEST_CASE("a record after a terminal state is reported", "[trace_check]") {
  auto records = legal_run();
  records.push_back(rec(400, "wl-1/p1", "proton", "terminated", "running"));
  records.push_back(rec(400, "wl-1/p1/r0", "phase", "Succeeded", "Running"));
  // A container has no terminal state: a pod's container that exited 0 restarts.
  records.push_back(rec(400, "wl-1/p1/r0/app", "container", "terminated:Completed", "running"));
  const auto v = check_trace(records);
  REQUIRE(v.size() == 2);
  CHECK(v[0].problem ==
        "proton wl-1/p1 at 400s, terminated -> running: a record after the terminal state "
        "terminated");
  CHECK(v[1].problem ==
        "phase wl-1/p1/r0 at 400s, Succeeded -> Running: a record after the terminal state "
        "Succeeded");
}

TEST_CASE("unknown states and a bad first state are reported", "[trace_check]") {
  // A code that no container state has (waiting with no reason): shown by its number.
  TraceRecord waiting = rec(0, "wl/p1/r0/app", "container", "", "running");
  waiting.to = static_cast<wlsim::engine::TraceCode>(wlsim::models::state_code(
      wlsim::models::ContainerState::Waiting, wlsim::models::Reason::None));
  const std::vector<TraceRecord> records{
      waiting,
      rec(0, "wl/p1", "proton", "", "running"),
      rec(0, "wl", "workload", "", "initializing"),
      rec(1, "wl", "workload", "initializing", "warming"),
      rec(2, "wl/p1/r0", "ready", "", "true"),
      rec(2, "wl/p1/r0", "event", "Warning", "Normal"),
  };
  const auto v = check_trace(records);
  REQUIRE(v.size() == 3);
  CHECK(v[0].problem == "container wl/p1/r0/app at 0s, (start) -> #0: #0 is not a container state");
  CHECK(v[1].problem == "proton wl/p1 at 0s, (start) -> running: not a legal proton transition");
  CHECK(v[2].problem ==
        "workload wl at 1s, initializing -> warming: warming is not a workload state");
}

TEST_CASE(
    "a rolling replacement, a stop, a fresh start and a delete follow the graphs; role, api "
    "and fault records are not checked",
    "[trace_check]") {
  const auto v = check_trace(rolling_run());
  INFO(problems(v));
  CHECK(v.empty());
}

TEST_CASE("replacement records are checked: no way back from finalizing, nothing after errored",
          "[trace_check]") {
  const std::vector<TraceRecord> records{
      rec(0, "wl/rep1", "replacement", "", "submitted"),
      rec(0, "wl/rep1", "replacement", "submitted", "initializing"),
      rec(30, "wl/rep1", "replacement", "initializing", "promoting"),
      rec(60, "wl/rep1", "replacement", "promoting", "finalizing"),
      rec(70, "wl/rep1", "replacement", "finalizing", "promoting"),
      rec(0, "wl/rep2", "replacement", "", "initializing"),
      rec(5, "wl/rep2", "replacement", "initializing", "errored"),
      rec(9, "wl/rep2", "replacement", "errored", "finalizing"),
      // ReplacementStatus::Unknown is the start: never a to-state.
      rec(9, "wl/rep3", "replacement", "", ""),
  };
  const auto v = check_trace(records);
  INFO(problems(v));
  REQUIRE(v.size() == 4);
  CHECK(v[0].problem ==
        "replacement wl/rep1 at 70s, finalizing -> promoting: not a legal replacement transition");
  CHECK(v[1].problem ==
        "replacement wl/rep2 at 0s, (start) -> initializing: not a legal replacement transition");
  CHECK(v[2].problem ==
        "replacement wl/rep2 at 9s, errored -> finalizing: a record after the terminal "
        "state errored");
  CHECK(v[3].problem ==
        "replacement wl/rep3 at 9s, (start) -> (start): (start) is not a replacement state");
}

TEST_CASE("proton and workload records of a replacement are checked: warming and draining",
          "[trace_check]") {
  const std::vector<TraceRecord> records{
      rec(0, "wl/p2", "proton", "", "initializing"),
      rec(0, "wl/p2", "proton", "initializing", "warming"),
      rec(1, "wl/p1", "proton", "", "initializing"),
      rec(1, "wl/p1", "proton", "initializing", "running"),
      rec(2, "wl/p1", "proton", "running", "draining"),
      rec(3, "wl/p1", "proton", "draining", "launching"),
      rec(4, "wl", "workload", "", "initializing"),
      rec(4, "wl", "workload", "initializing", "running"),
      rec(5, "wl", "workload", "running", "draining"),
      rec(6, "wl", "workload", "draining", "stopping"),
      rec(6, "wl", "workload", "stopping", "stopped"),
      rec(7, "wl", "workload", "stopped", "stopping"),
  };
  const auto v = check_trace(records);
  INFO(problems(v));
  REQUIRE(v.size() == 5);
  CHECK(v[0].problem ==
        "proton wl/p2 at 0s, initializing -> warming: not a legal proton transition");
  // Draining goes back to running only (a rollback takes the kept proton with every replica ready).
  CHECK(v[1].problem == "proton wl/p1 at 3s, draining -> launching: not a legal proton transition");
  CHECK(v[2].problem == "workload wl at 5s, running -> draining: draining is not a workload state");
  CHECK(v[3].problem ==
        "workload wl at 6s, draining -> stopping: draining is not a workload state");
  CHECK(v[4].problem == "workload wl at 7s, stopped -> stopping: not a legal workload transition");
}

TEST_CASE("every example scenario's trace follows the transition graphs",
          "[trace_check][examples]") {
  const std::vector<fs::path> files = examples();
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    SECTION(file.filename().string()) {
      const Scenario s = load_file(file.string());
      MemorySink sink;
      RunOptions options;
      options.sink = &sink;
      (void)run(s, options);
      const auto v = check_trace(sink.records());
      INFO(v.size() << " violations, the first ones:");
      std::string first;
      for (std::size_t i = 0; i < v.size() && i < 20; ++i) first += v[i].problem + "\n";
      INFO(first);
      CHECK(v.empty());
    }
  }
}

TEST_CASE("inline scenarios with crashes, pull failures and contention follow the graphs",
          "[trace_check]") {
  using wlsim::testing::one_workload;
  using wlsim::testing::run_yaml;
  const std::string uncached =
      "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}}]}";
  const std::vector<std::string> scenarios{
      one_workload({}),
      one_workload({.container = "behavior: {startup: 45s}"}),
      one_workload({.probe = "{path: /wrong}"}),
      one_workload({.replicas = 3, .resources = "{cpu: 4, memory: 1GB}"}),
      // Crash loops: an exit after a run time, a crash at every start, exit 0 (restarts too).
      one_workload({.container = "behavior: {exit: {after: 60s, code: 1}}"}),
      one_workload({.container = "behavior: {crashOnStart: 1}"}),
      one_workload({.container = "behavior: {exit: {after: 60s, code: 0}}"}),
      // A leak until OOMKilled, a hang caught by the liveness probe, an image that is not there.
      one_workload({.container = "behavior: {memory: 100MB, memoryGrowth: 10MB/s}"}),
      one_workload(
          {.container = "livenessProbe: {path: /healthz}, behavior: {hang: {after: 60s}}"}),
      one_workload({.container = "behavior: {imagePull: notFound}", .cluster = uncached}),
  };
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    INFO("scenario " << i << ":\n" << scenarios[i]);
    const auto t = run_yaml(scenarios[i]);
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
  }
}

namespace {
// Workload wl (2 replicas of artifact a) and a locked artifact b to replace it with; `candidate`
// and `old` are extra container fields of b and a, `top` extra top-level lines.
struct Replacing {
  std::string candidate{};                        ///< extra container fields of artifact b
  std::string old{};                              ///< extra container fields of artifact a
  std::string top{};                              ///< extra top-level lines
  std::string cached = "[reg/app:1, reg/app:2]";  ///< the node pool's cached images
};

std::string replacement_scenario(const std::string& actions, const Replacing& o = {}) {
  const auto artifact = [](const std::string& id, const std::string& image,
                           const std::string& extra) {
    return "  - id: " + id + "\n    status: locked\n    containerGroups:\n      - name: default\n" +
           "        containers:\n          - {name: app, imageUri: " + image +
           ", readinessProbe: {path: /healthz}, resourceAllocation: {cpu: 1, memory: 1GB}" +
           (extra.empty() ? "" : ", " + extra) + "}\n";
  };
  return "name: t\nseed: 1\nduration: 1h\n" + o.top +
         "cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}, "
         "cachedImages: " +
         o.cached +
         "}]}\n"
         "artifacts:\n" +
         artifact("a", "reg/app:1", o.old) + artifact("b", "reg/app:2", o.candidate) +
         "workloads:\n  - {id: wl, artifactId: a, runtime: {containerGroups: [{name: default, "
         "replicaCount: 2}]}}\nactions: " +
         actions + "\n";
}

const std::string kReplace =
    R"({at: 10m, request: "POST /workloads/wl/replacement", body: {artifactId: b, strategy: rolling, )"
    R"(config: {warmupDurationMinutes: 5, keepOldVersionMinutes: 30}}})";

bool contains(const std::vector<std::string>& states, const std::string& s) {
  return std::find(states.begin(), states.end(), s) != states.end();
}
}  // namespace

TEST_CASE(
    "inline replacement scenarios follow the graphs: cancel, errored candidate, deadline, "
    "stop, start and delete",
    "[trace_check][replacement]") {
  using wlsim::testing::run_yaml;
  using Strings = std::vector<std::string>;
  const Strings cancelled{"submitted", "initializing", "promoting",
                          "deleting",  "finalizing",   "completed"};

  SECTION("cancel during the warm-up, then stop, start and delete the workload") {
    const auto t = run_yaml(replacement_scenario(
        R"([{at: 10m, request: "POST /workloads/wl/replacement", body: {artifactId: b, strategy: rolling, )"
        R"(config: {warmupDurationMinutes: 5}}}, {at: 12m, request: "DELETE /workloads/wl/replacement"}, )"
        R"({at: 20m, request: "POST /workloads/wl/stop"}, {at: 25m, request: "POST /workloads/wl/start"}, )"
        R"({at: 30m, request: "DELETE /workloads/wl"}])"));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement") == cancelled);
    CHECK(t.states("wl/p2", "proton").back() == "terminated");
    CHECK(contains(t.states("wl/p2", "proton"), "warming"));
    const Strings wl = t.states("wl", "workload");
    CHECK(contains(wl, "stopped"));
    CHECK(wl.back() == "terminated");
    CHECK(std::count(wl.begin(), wl.end(), "stopping") == 2);
  }
  SECTION("a candidate whose image is not found: initializing, then errored") {
    const auto t = run_yaml(replacement_scenario(
        "[" + kReplace + "]",
        {.candidate = "behavior: {imagePull: notFound}", .cached = "[reg/app:1]"}));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement") == Strings{"submitted", "initializing", "errored"});
    CHECK(t.states("wl/p2", "proton").back() == "terminated");
    CHECK(t.states("wl", "workload").back() == "running");
  }
  SECTION("a candidate that crashes during its warm-up: promoting, then errored") {
    const auto t = run_yaml(replacement_scenario(
        "[" + kReplace + "]", {.candidate = "behavior: {exit: {after: 60s, code: 1}}"}));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement") ==
          Strings{"submitted", "initializing", "promoting", "errored"});
    CHECK(contains(t.states("wl/p2", "proton"), "warming"));
  }
  SECTION("a candidate not running within the replacement deadline") {
    const auto t = run_yaml(replacement_scenario(
        "[" + kReplace + "]",
        {.candidate = "behavior: {startup: 20m}", .top = "settings: {replacementDeadline: 5m}\n"}));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement") == Strings{"submitted", "initializing", "errored"});
  }
  SECTION("the workload stopped during the warm-up: the replacement is cancelled") {
    const auto t = run_yaml(replacement_scenario(
        "[" + kReplace +
        R"(, {at: 12m, request: "POST /workloads/wl/stop"}, {at: 25m, request: "POST /workloads/wl/start"}, )"
        R"({at: 30m, request: "DELETE /workloads/wl"}])"));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement") == cancelled);
  }
  SECTION("the workload stopped, then deleted, after the flip: finalizing ends completed") {
    const auto t = run_yaml(replacement_scenario(
        "[" + kReplace +
        R"(, {at: 20m, request: "POST /workloads/wl/stop"}, {at: 22m, request: "DELETE /workloads/wl"}])"));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement") ==
          Strings{"submitted", "initializing", "promoting", "finalizing", "completed"});
    CHECK(t.states("wl/p1", "proton").back() == "terminated");
    CHECK(contains(t.states("wl/p1", "proton"), "draining"));
    CHECK(t.states("wl", "workload").back() == "terminated");
  }
  SECTION("the workload deleted after the flip while the old proton drains") {
    const auto t = run_yaml(
        replacement_scenario("[" + kReplace + R"(, {at: 20m, request: "DELETE /workloads/wl"}])"));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    const Strings wl = t.states("wl", "workload");
    REQUIRE(wl.size() >= 2);
    CHECK(wl[wl.size() - 2] == "stopping");
    CHECK(wl.back() == "terminated");
  }
  SECTION("an old proton that is errored at the flip drains from errored") {
    const auto t = run_yaml(replacement_scenario(
        "[" + kReplace + "]", {.old = "behavior: {exit: {after: 60s, code: 1}}"}));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    const Strings p1 = t.states("wl/p1", "proton");
    const auto draining = std::find(p1.begin(), p1.end(), "draining");
    REQUIRE(draining != p1.end());
    CHECK(*(draining - 1) == "errored");
    CHECK(p1.back() == "terminated");
  }
  SECTION("a replica that restarts during the warm-up holds the flip until it is ready again") {
    const auto t = run_yaml(replacement_scenario(
        R"([{at: 10m, request: "POST /workloads/wl/replacement", body: {artifactId: b, strategy: rolling, )"
        R"(config: {warmupDurationMinutes: 1, keepOldVersionMinutes: 5}}}])",
        {.candidate = "behavior: {exit: {after: 50s, code: 0}}"}));
    const auto v = check_trace(t.records);
    INFO(problems(v));
    CHECK(v.empty());
    CHECK(t.states("wl/rep1", "replacement").back() == "completed");
    const Strings p2 = t.states("wl/p2", "proton");
    const auto warming = std::find(p2.begin(), p2.end(), "warming");
    REQUIRE(warming != p2.end());
    REQUIRE(warming + 1 != p2.end());
    CHECK(*(warming + 1) == "launching");
  }
}

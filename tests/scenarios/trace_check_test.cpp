// The trace validator: every state change of a run is an edge of its machine's transition graph
// (models/transitions.hpp), and every example scenario's trace passes it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/trace_check.hpp"

namespace fs = std::filesystem;
using wlsim::engine::MemorySink;
using wlsim::engine::Time;
using wlsim::engine::TraceRecord;
using namespace wlsim::scenarios;

namespace {
TraceRecord rec(std::int64_t seconds, std::string object, std::string kind, std::string from,
                std::string to) {
  return {Time::from_seconds(seconds), std::move(object), std::move(kind), std::move(from),
          std::move(to), "", ""};
}

// One replica of wl-1 coming up, crashing once and recovering, with its container, pod phase,
// proton and workload, interleaved with records that are not state machines.
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
      rec(300, "wl-1/p1/r0/app", "container", "running", "terminated:Completed"),
      rec(300, "wl-1/p1/r0", "phase", "Running", "Succeeded"),
      rec(300, "wl-1/p1/r0", "replica", "running", "terminated"),
      rec(300, "wl-1/p1", "proton", "running", "terminated"),
      rec(300, "wl-1", "workload", "running", "terminated"),
  };
}

std::string problems(const std::vector<TraceViolation>& v) {
  std::string out;
  for (const TraceViolation& x : v) out += x.problem + "\n";
  return out;
}

std::vector<fs::path> examples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(WLSIM_SOURCE_DIR) / "scenarios" / "examples")) {
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
  CHECK(v[0].record.to == "launching");
  CHECK(v[0].problem == "proton wl-1/p1 at 180s, errored -> launching: not a legal proton transition");
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
  CHECK(v[0].problem == "replica wl/p1/r0 at 1s, provisioning -> launching: the previous state is submitted");
  CHECK(v[1].problem ==
        "phase wl/p1/r1 at 2s, Pending -> Running: the first record of the object must start from (start)");
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
        "proton wl-1/p1 at 400s, terminated -> running: a record after the terminal state terminated");
  CHECK(v[1].problem ==
        "phase wl-1/p1/r0 at 400s, Succeeded -> Running: a record after the terminal state Succeeded");
}

TEST_CASE("unknown states and a bad first state are reported", "[trace_check]") {
  const std::vector<TraceRecord> records{
      rec(0, "wl/p1/r0/app", "container", "", "waiting"),
      rec(0, "wl/p1", "proton", "", "running"),
      rec(0, "wl", "workload", "", "initializing"),
      rec(1, "wl", "workload", "initializing", "warming"),
      rec(2, "wl/p1/r0", "ready", "", "whatever"),
      rec(2, "wl/p1/r0", "event", "nothing", "checked"),
  };
  const auto v = check_trace(records);
  REQUIRE(v.size() == 3);
  CHECK(v[0].problem == "container wl/p1/r0/app at 0s, (start) -> waiting: waiting is not a container state");
  CHECK(v[1].problem == "proton wl/p1 at 0s, (start) -> running: not a legal proton transition");
  CHECK(v[2].problem ==
        "workload wl at 1s, initializing -> warming: warming is not a workload state");
}

TEST_CASE("every example scenario's trace follows the transition graphs", "[trace_check][examples]") {
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
  const std::string uncached = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}}]}";
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
      one_workload({.container = "livenessProbe: {path: /healthz}, behavior: {hang: {after: 60s}}"}),
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

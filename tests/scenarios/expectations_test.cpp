// A scenario's expect block: how it is read (every mistake named by its field path) and what each
// kind of expectation finds in a run.
#include "wlsim/scenarios/expectations.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/models/trace_kinds.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace fs = std::filesystem;
using namespace wlsim::scenarios;
using wlsim::engine::Time;
using wlsim::testing::error_of;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string example_text(const std::string& name) {
  return read(fs::path(WLSIM_SOURCE_DIR) / "scenarios" / "examples" / name);
}

std::vector<fs::path> examples() {
  std::vector<fs::path> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(WLSIM_SOURCE_DIR) / "scenarios" / "examples")) {
    const std::string p = e.path().string();
    if (p.ends_with(".yaml") || (p.ends_with(".json") && !p.ends_with(".expected.json")))
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// An example's text with its own expect block replaced by `expect` (a YAML flow mapping).
std::string with_expect(const std::string& name, const std::string& expect) {
  std::string text = example_text(name);
  if (const auto at = text.find("\nexpect:"); at != std::string::npos) text.resize(at + 1);
  return text + "expect: " + expect + "\n";
}

std::vector<std::string> failure_lines(const std::string& text) {
  const Scenario s = load_text(text, "f.yaml");
  std::vector<std::string> out;
  for (const ExpectationOutcome& o : check(s)) {
    if (!o.held) out.push_back(failure_line("f.yaml", o));
  }
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("an expect block reads each condition with its name, comparison and value", "[expect]") {
  const Scenario s = load_text(with_expect(
      "hello.yaml",
      "{wl-1: {timeToRunning: \"<= 70s\", restarts: \"< 3\", status: running, erroredRecovered: "
      "false}, at: {10m: {wl-1: \"!= errored\"}}, fleet: {allRunning: true}, trace: "
      "{neverErrored: [wl-1], sequence: {object: wl-1, states: [submitted, running]}}}"));
  REQUIRE(s.expect.size() == 8);
  const Expectation& ttr = s.expect[0];
  CHECK(ttr.kind == Expectation::Kind::Metric);
  CHECK(ttr.name == "wl-1.timeToRunning");
  CHECK(ttr.subject == "wl-1");
  CHECK(ttr.metric == "timeToRunning");
  CHECK(ttr.condition.op == Condition::Op::Le);
  CHECK(std::get<double>(ttr.condition.value) == 70.0);
  CHECK(ttr.condition.in_seconds);
  CHECK(ttr.condition.text == "<= 70s");
  CHECK(s.expect[1].condition.op == Condition::Op::Lt);
  CHECK(std::get<double>(s.expect[1].condition.value) == 3.0);
  CHECK_FALSE(s.expect[1].condition.in_seconds);
  CHECK(std::get<std::string>(s.expect[2].condition.value) == "running");
  CHECK(std::get<bool>(s.expect[3].condition.value) == false);
  const Expectation& at = s.expect[4];
  CHECK(at.kind == Expectation::Kind::StatusAt);
  CHECK(at.name == "at.10m.wl-1");
  CHECK(at.at == Time::from_seconds(600));
  CHECK(at.condition.op == Condition::Op::Ne);
  CHECK(s.expect[5].kind == Expectation::Kind::Fleet);
  CHECK(s.expect[5].name == "fleet.allRunning");
  CHECK(s.expect[6].kind == Expectation::Kind::NeverErrored);
  CHECK(s.expect[6].name == "trace.neverErrored.wl-1");
  CHECK(s.expect[7].kind == Expectation::Kind::Sequence);
  CHECK(s.expect[7].name == "trace.sequence.wl-1");
  CHECK(s.expect[7].trace_kind == "workload");
  CHECK(s.expect[7].states == std::vector<std::string>{"submitted", "running"});
}

TEST_CASE("a condition on a time takes a duration or a number of seconds", "[expect]") {
  const Scenario s = load_text(with_expect(
      "hello.yaml", "{wl-1: {timeToRunning: \">= 1m\", pendingTime: 0.5, erroredDwell: 250ms}}"));
  REQUIRE(s.expect.size() == 3);
  CHECK(std::get<double>(s.expect[0].condition.value) == 60.0);
  CHECK(s.expect[1].condition.op == Condition::Op::Eq);
  CHECK(std::get<double>(s.expect[1].condition.value) == 0.5);
  CHECK(std::get<double>(s.expect[2].condition.value) == 0.25);
}

TEST_CASE("an unknown metric is refused with the allowed names", "[expect]") {
  CHECK_THAT(error_of(with_expect("hello.yaml", "{wl-1: {timeToRun: 1s}}")),
             Catch::StartsWith("f.yaml: expect.wl-1.timeToRun: 'timeToRun' is not a metric of a "
                               "workload's summary (allowed: status, timeToRunning, "
                               "timeToRunningBreakdown.pending,") &&
                 Catch::EndsWith("autoscaler.policy, autoscaler.mode)"));
}

TEST_CASE("a mistake in an expect block names its field path and what is allowed", "[expect]") {
  const auto error = [](const std::string& expect) {
    return error_of(with_expect("hello.yaml", expect));
  };
  CHECK(error("{wl-2: {status: running}}") ==
        "f.yaml: expect.wl-2: 'wl-2' is not a workload of the scenario nor at, fleet or trace "
        "(workloads: wl-1)");
  CHECK(error("{wl-1: {status: runing}}") ==
        "f.yaml: expect.wl-1.status: 'runing' is not a workload status (allowed: submitted, "
        "provisioning, initializing, launching, warming, running, draining, restarting, errored, "
        "stopping, stopped, suspended, interrupted, terminated)");
  CHECK(error("{wl-1: {status: \"< running\"}}") ==
        "f.yaml: expect.wl-1.status: '< running': a name compares only with == or !=");
  CHECK(error("{wl-1: {restarts: \"<= 1s\"}}") ==
        "f.yaml: expect.wl-1.restarts: '<= 1s' is not a condition on a number (a number, after "
        "<=, >=, ==, !=, < or >)");
  CHECK(error("{wl-1: {timeToRunning: \"<= 7x\"}}") ==
        "f.yaml: expect.wl-1.timeToRunning: '<= 7x' is not a condition on a time (a duration "
        "such as 70s or a number of seconds, after <=, >=, ==, !=, < or >)");
  CHECK(error("{wl-1: {timeToRunning: \"<\"}}") ==
        "f.yaml: expect.wl-1.timeToRunning: '<' has no value to compare with");
  CHECK(error("{wl-1: {timeToRunning: ~}}") ==
        "f.yaml: expect.wl-1.timeToRunning: has no value (write none for a metric that must have "
        "none)");
  CHECK(error("{wl-1: {timeToRunning: \"< none\"}}") ==
        "f.yaml: expect.wl-1.timeToRunning: '< none': none compares only with == or !=");
  CHECK(error("{at: {11m: {wl-1: running}}}") ==
        "f.yaml: expect.at.11m: 11m is after the scenario's duration (10m)");
  CHECK(error("{at: {1m: {wl-9: running}}}") ==
        "f.yaml: expect.at.1m.wl-9: 'wl-9' is not a workload of the scenario (workloads: wl-1)");
  CHECK_THAT(
      error("{fleet: {allrunning: true}}"),
      Catch::StartsWith("f.yaml: expect.fleet.allrunning: 'allrunning' is not a fleet "
                        "condition (allowed: allRunning, workloads, everErrored, timeAllRunning, "
                        "rolloutMakespan, replacementsInFlight, or a status"));
  CHECK(error("{fleet: {allRunning: True, everErrored: 0}}") == "(no error)");
  CHECK(error("{fleet: {allRunning: yes}}") ==
        "f.yaml: expect.fleet.allRunning: 'yes' is not true or false");
  CHECK(error("{trace: {neverErrored: [wl-1], alwaysReady: [wl-1]}}") ==
        "f.yaml: expect.trace.alwaysReady: is not a known field (allowed: neverErrored, sequence)");
  CHECK(error("{trace: {sequence: {object: wl-3, states: [running]}}}") ==
        "f.yaml: expect.trace.sequence.object: 'wl-3' is not a workload of the scenario or an "
        "object of one (a trace object path such as wl-1, wl-1/p1 or wl-1/p1/r0/app; workloads: "
        "wl-1)");
  CHECK(error("{trace: {sequence: {object: wl-1, kind: node, states: [running]}}}") ==
        "f.yaml: expect.trace.sequence.kind: 'node' is not one of: workload, proton, replica, "
        "container, phase, replacement");
  CHECK_THAT(error("{trace: {sequence: [{object: wl-1/p1, kind: proton, states: [bogus]}]}}"),
             Catch::StartsWith("f.yaml: expect.trace.sequence[0].states[0]: 'bogus' is not a state "
                               "of a proton (allowed: submitted, provisioning,"));
  CHECK(error("{trace: {sequence: {object: wl-1, states: []}}}") ==
        "f.yaml: expect.trace.sequence.states: is empty (list the states in the order they must "
        "appear)");
  CHECK(error("[wl-1]") == "f.yaml: expect: a list is not a mapping");
}

TEST_CASE("an expectation may name a workload that an action creates", "[expect]") {
  const Scenario s = load_text(example_text("preemption.yaml"));
  bool names_urgent = false;
  for (const Expectation& e : s.expect) names_urgent = names_urgent || e.subject == "urgent";
  CHECK(names_urgent);
}

TEST_CASE("every scalar metric of a workload's summary can be named in an expectation",
          "[expect]") {
  // The leaves of every example's workload summaries (arrays of protons and replacements aside).
  std::set<std::string> leaves;
  const auto walk = [&](const auto& self, const wlsim::engine::Json& j,
                        const std::string& path) -> void {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) self(self, v, path.empty() ? k : path + "." + k);
    } else if (!j.is_array() && !j.is_null()) {
      leaves.insert(path);
    }
  };
  for (const fs::path& file : examples()) {
    const wlsim::engine::Json summary =
        wlsim::engine::Json::parse(read(fs::path(file).replace_extension(".expected.json")));
    for (const auto& [id, w] : summary.at("workloads").items()) walk(walk, w, "");
  }
  const std::vector<std::string> names = expectation_metric_names();
  CHECK(leaves == std::set<std::string>(names.begin(), names.end()));
  CHECK(names.size() == 57);
}

TEST_CASE("the examples carry expect blocks", "[expect][examples]") {
  int with_block = 0;
  for (const fs::path& file : examples())
    with_block += load_file(file.string()).expect.empty() ? 0 : 1;
  CHECK(with_block == 13);
}

TEST_CASE("every example's expectations hold", "[expect][examples]") {
  for (const fs::path& file : examples()) {
    SECTION(file.filename().string()) {
      const Scenario s = load_file(file.string());
      for (const ExpectationOutcome& o : check(s)) {
        INFO(failure_line(file.filename().string(), o));
        CHECK(o.held);
      }
    }
  }
}

TEST_CASE("an expect block changes nothing in the run", "[expect]") {
  const std::string without = with_expect("hello.yaml", "{}");
  const std::string with = with_expect("hello.yaml", "{wl-1: {status: errored}}");
  const RunResult a = run(load_text(without));
  const RunResult b = run(load_text(with));
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(summary_json(a) == summary_json(b));
}

TEST_CASE("a false expectation fails with the expected and the actual value", "[expect]") {
  CHECK(failure_lines(with_expect("hello.yaml",
                                  "{wl-1: {timeToRunning: \"<= 60s\", status: running, "
                                  "erroredDwell: 0s, replicasRunning: \"< 3\"}}")) ==
        Lines{"f.yaml: wl-1.timeToRunning: expected <= 60s, got 66.2s",
              "f.yaml: wl-1.replicasRunning: expected < 3, got 3"});
  CHECK(failure_lines(with_expect("hello.yaml", "{wl-1: {timeToRunning: \"<= 66.2s\"}}")).empty());
  CHECK(failure_lines(with_expect("hello.yaml", "{wl-1: {timeToRunning: \"< 66.2s\"}}")) ==
        Lines{"f.yaml: wl-1.timeToRunning: expected < 66.2s, got 66.2s"});
}

TEST_CASE("a metric without a value is none, which only none equals", "[expect]") {
  CHECK(failure_lines(with_expect("crash-loop.yaml",
                                  "{crasher: {timeToRunning: \"<= 70s\", requestLatency.p99: "
                                  "none, timeToRunningBreakdown.pulling: \"!= none\"}}")) ==
        Lines{"f.yaml: crasher.timeToRunning: expected <= 70s, got none",
              "f.yaml: crasher.timeToRunningBreakdown.pulling: expected != none, got none"});
}

TEST_CASE("a status at a time is the workload's last status record by then", "[expect]") {
  // crash-loop: launching from 0 s, errored at 10 s exactly.
  CHECK(failure_lines(with_expect("crash-loop.yaml",
                                  "{at: {0s: {crasher: launching}, 9.999s: {crasher: launching}, "
                                  "10s: {crasher: launching}, 12m: {crasher: \"!= errored\"}}}")) ==
        Lines{"f.yaml: at.10s.crasher: expected launching, got errored",
              "f.yaml: at.12m.crasher: expected != errored, got errored"});
  // preemption: urgent is created by an action at 60 s; before that it has no status.
  CHECK(failure_lines(with_expect("preemption.yaml",
                                  "{at: {59s: {urgent: submitted}, 60s: {urgent: submitted}}}")) ==
        Lines{"f.yaml: at.59s.urgent: expected submitted, got none"});
  CHECK(failure_lines(with_expect("preemption.yaml", "{at: {59s: {urgent: none}}}")).empty());
}

TEST_CASE("neverErrored fails with the time the workload first showed errored", "[expect]") {
  CHECK(failure_lines(with_expect("memory-leak.yaml", "{trace: {neverErrored: [leaky]}}")) ==
        Lines{"f.yaml: trace.neverErrored.leaky: expected never errored, got errored at 200s"});
}

TEST_CASE("a sequence holds when its states appear in order, others between them", "[expect]") {
  CHECK(failure_lines(with_expect("registry-outage.yaml",
                                  "{trace: {sequence: [{object: web, states: [submitted, errored, "
                                  "running]}, {object: web, states: [errored, launching, "
                                  "running]}]}}")) ==
        Lines{"f.yaml: trace.sequence.web: expected errored, launching, running in this order, got "
              "initializing, submitted, provisioning, launching, errored, running (no launching "
              "after errored)"});
  CHECK(failure_lines(with_expect("hello.yaml",
                                  "{trace: {sequence: {object: wl-1/p1/r9, kind: replica, states: "
                                  "[running]}}}")) ==
        Lines{"f.yaml: trace.sequence.wl-1/p1/r9 (replica): expected running in this order, got "
              "no replica record of wl-1/p1/r9"});
}

TEST_CASE("fleet conditions count the workloads by their final status", "[expect]") {
  CHECK(failure_lines(with_expect("preemption.yaml",
                                  "{fleet: {workloads: 3, submitted: 2, running: \">= 2\", "
                                  "allRunning: true, everErrored: 0, errored: 0}}")) ==
        Lines{"f.yaml: fleet.running: expected >= 2, got 1",
              "f.yaml: fleet.allRunning: expected true, got false"});
  CHECK(failure_lines(with_expect("startup-probe.yaml", "{fleet: {everErrored: 0}}")) ==
        Lines{"f.yaml: fleet.everErrored: expected 0, got 1"});
}

TEST_CASE("fleet conditions on the fleet section's times and replacements in flight",
          "[expect][fleet]") {
  // rolling-replacement: running at 30 s, one replacement posted at 10 m that ends 2130 s later.
  CHECK(failure_lines(with_expect("rolling-replacement.yaml",
                                  "{fleet: {timeAllRunning: 30s, rolloutMakespan: \"< 35m\", "
                                  "replacementsInFlight: 1}}")) ==
        Lines{"f.yaml: fleet.rolloutMakespan: expected < 35m, got 2130s",
              "f.yaml: fleet.replacementsInFlight: expected 1, got 0"});
  CHECK(failure_lines(with_expect("wrong-readiness-path.yaml", "{fleet: {timeAllRunning: 1h}}")) ==
        Lines{"f.yaml: fleet.timeAllRunning: expected 1h, got none"});
  CHECK_THAT(error_of(with_expect("hello.yaml", "{fleet: {makespan: 1s}}")),
             Catch::Contains("'makespan' is not a fleet condition (allowed: allRunning, workloads, "
                             "everErrored, timeAllRunning, rolloutMakespan, replacementsInFlight, "
                             "or a status"));
}

TEST_CASE("the watcher keeps a bounded record of a sequence's states", "[expect]") {
  const Scenario s = load_text(
      with_expect("hello.yaml", "{trace: {sequence: {object: wl-1, states: [stopped]}}}"));
  ExpectationWatcher w(s.expect);
  for (int i = 0; i < 1000; ++i) {
    w.write(wlsim::models::trace_record(Time::from_seconds(i), "wl-1", "workload",
                                        i % 2 == 0 ? "launching" : "running",
                                        i % 2 == 0 ? "running" : "launching", "", "")
                .view());
  }
  CHECK(w.sequence_matched(0) == 0);
  REQUIRE(w.sequence_seen(0).size() == 33);
  CHECK(w.sequence_seen(0).front() == "running");
  CHECK(w.sequence_seen(0).back() == "...");
}

TEST_CASE("a check keeps the caller's own trace sink", "[expect]") {
  const Scenario s = load_text(example_text("hello.yaml"));
  wlsim::engine::MemorySink sink;
  const auto outcomes = check(s, {.sink = &sink});
  CHECK(outcomes.size() == 9);
  CHECK(sink.records().size() == run(s).trace_records);
}

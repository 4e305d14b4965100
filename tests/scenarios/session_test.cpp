// Session: stepping one run, its bounds (duration, event budget) and its use from several threads.
#include "wlsim/scenarios/session.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "scenario_fixture.hpp"
#include "wlsim/scenarios/summary.hpp"

using namespace wlsim::scenarios;
using wlsim::engine::Time;
using wlsim::testing::one_workload;

namespace {
Scenario crash_loop(const std::string& duration = "1h") {
  return load_text(
      one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}", .duration = duration}));
}
}  // namespace

TEST_CASE("Session.run_until after the scenario's duration is an error naming the duration",
          "[session][bounds]") {
  const Scenario s = crash_loop();
  Session session(s);
  session.run_until(Time::from_minutes(30));
  REQUIRE_THROWS_AS(session.run_until(Time::from_minutes(61)), ScenarioError);
  try {
    session.run_until(Time::never());
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == "run_until: " + wlsim::engine::format_duration(Time::never()) +
                                       " is after the scenario's duration (1h)");
  }
  CHECK(session.now() == Time::from_minutes(30));  // nothing ran
  session.run_until(Time::from_minutes(60));
  CHECK(session.now() == Time::from_minutes(60));
}

TEST_CASE("a run that exhausts its event budget stops with an error naming the budget",
          "[session][bounds]") {
  const Scenario s = crash_loop("1000d");
  try {
    (void)run(s, {.limits = {.max_events = 500}});
    FAIL("the budget did not stop the run");
  } catch (const ScenarioError& e) {
    const std::string m = e.what();
    CHECK(m.find("event budget of 500 events") != std::string::npos);
    CHECK(m.find("--max-events") != std::string::npos);
    CHECK(m.find('\n') == std::string::npos);
  }
  // The same run with room enough completes.
  CHECK(run(crash_loop("1d"), {.limits = {.max_events = 100'000}}).simulated ==
        Time::from_seconds(86400));
}

TEST_CASE("three threads stepping one Session give the hash of one thread",
          "[session][threads][determinism]") {
  const Scenario s = crash_loop("2h");
  const auto step = [](Session& session, int i) {
    session.run_until(Time::from_seconds(i * 7 % 7200));
    (void)session.result();
    (void)session.now();
  };
  Session alone(s);
  for (int i = 0; i < 3000; ++i) step(alone, i);
  alone.run_until(Time::from_seconds(7200));

  Session shared(s);
  std::vector<std::jthread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 3000; i += 3) step(shared, i);
    });
  }
  threads.clear();
  shared.run_until(Time::from_seconds(7200));
  // run_until to a time already passed does nothing: the run is the same whatever the interleaving.
  CHECK(shared.result().trace_hash == alone.result().trace_hash);
}

TEST_CASE("replicas that the run's API calls add count against the total replica limit",
          "[session][bounds]") {
  // 3 replicas; at 1m a replacement brings a candidate of 3 beside them: 6 held at once.
  const std::string yaml = one_workload({.replicas = 3}) +
                           "actions:\n  - {at: 1m, request: POST /workloads/wl/replacement, body: "
                           "{artifactId: a, strategy: rolling}}\n";
  CHECK_NOTHROW(run(load_text(yaml, "<test>", {.max_replicas_total = 6})));
  try {
    (void)run(load_text(yaml, "<test>", {.max_replicas_total = 5}));
    FAIL("the limit did not stop the run");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "t: at 60s the run would hold 6 replicas at once, over the limit of 5 replicas in total "
          "(raise it with --max-total-replicas)");
  }
  // The same through a Session's own call.
  const Scenario s = load_text(one_workload({.replicas = 3}), "<test>", {.max_replicas_total = 5});
  Session session(s);
  session.run_until(Time::from_minutes(1));
  CHECK_THROWS_AS(
      session.call("POST /workloads/wl/replacement", "{artifactId: a, strategy: rolling}"),
      ScenarioError);
}

namespace {
/// The body of the first answer to `endpoint` among a result's calls.
std::string answer_to(const RunResult& r, const std::string& endpoint) {
  for (const CallResult& c : r.calls) {
    if (c.endpoint == endpoint) return c.body;
  }
  FAIL("no call to " << endpoint);
  return {};
}
}  // namespace

TEST_CASE("a run keeps its objects' last records only where an action or a report reads them",
          "[session][recent-records]") {
  // A crash loop makes pod events (BackOff, Started ...) and workload records (its status).
  const std::string events = "GET /workloads/wl/events";
  const Scenario plain = crash_loop("20m");
  const Scenario asking =
      load_text(one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}",
                              .top = "actions:\n  - {at: 10m, request: " + events + "}\n",
                              .duration = "20m"}));

  // A stepped session may be asked anything, so it keeps everything.
  Session open(plain);
  open.run_until(Time::from_minutes(10));
  const std::string kept = open.call(events, "").body;
  CHECK(kept.find(R"("kind":"workload","from":"","to":"initializing")") != std::string::npos);

  // A run to the end without the call keeps none: a closed session answers an empty list.
  Session closed(plain, {.open_ended = false});
  closed.run_until(Time::from_minutes(10));
  CHECK(closed.call(events, "").body == R"({"data":[]})");

  // The same call as the scenario's own action is answered from kept records, the same as the
  // stepped session's answer.
  CHECK(answer_to(run(asking), events) == kept);

  // What the run records is the same whatever it keeps.
  CHECK(run(plain).trace_hash == [&] {
    Session s(plain);
    s.run_until(plain.duration);
    s.finish();
    return s.result().trace_hash;
  }());
}

TEST_CASE("a statusDetails action keeps the pods' last events for its answer",
          "[session][recent-records]") {
  const Scenario plain = crash_loop("20m");
  Session open(plain);
  open.run_until(Time::from_minutes(10));
  const std::string protons = open.call("GET /workloads/wl/protons", "").body;
  const std::size_t at = protons.find(R"("id":")") + 6;
  const std::string details = "GET /workloads/wl/protons/" +
                              protons.substr(at, protons.find('"', at) - at) + "/statusDetails";
  const std::string expected = open.call(details, "").body;
  CHECK(expected.find("BackOff") != std::string::npos);

  const Scenario asking =
      load_text(one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}",
                              .top = "actions:\n  - {at: 10m, request: " + details + "}\n",
                              .duration = "20m"}));
  CHECK(answer_to(run(asking), details) == expected);
}

TEST_CASE("a run asked for a status report keeps its pods' last events for it",
          "[session][recent-records]") {
  const Scenario s = crash_loop("20m");
  const RunResult reported = run(s, {.status = StatusFormat::Json});
  Session open(s);
  open.run_until(s.duration);
  open.finish();
  const std::string expected = open.result(StatusFormat::Json).status;
  CHECK(expected.find("BackOff") != std::string::npos);
  CHECK(reported.status == expected);
}

TEST_CASE("a torn-down proton keeps its pods whole only for a status report to list them",
          "[session][recent-records]") {
  // rollback.yaml tears p2 down at 20 min; a status report lists its terminated pods.
  const Scenario s = load_file(std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples/rollback.yaml");
  const RunResult reported = run(s, {.status = StatusFormat::Json});
  const RunResult plain = run(s);
  const std::size_t p2 = reported.status.find(R"("id":"p2")");
  REQUIRE(p2 != std::string::npos);
  // Its three pods, with their containers, as before pods were compacted.
  std::size_t pods = 0;
  for (std::size_t at = reported.status.find(R"("name":"r)", p2); at != std::string::npos;
       at = reported.status.find(R"("name":"r)", at + 1)) {
    ++pods;
  }
  CHECK(pods == 3);
  // Compacting them changes no measured figure: the summaries are the same.
  RunResult without_status = reported;
  without_status.status.clear();
  CHECK(summary_json(without_status) == summary_json(plain));
  CHECK(plain.trace_hash == reported.trace_hash);
}

TEST_CASE("take_result is result with the API calls moved out of the session", "[session]") {
  const Scenario s = load_text(one_workload({.replicas = 2}) +
                               "actions:\n  - {at: 1m, request: POST /workloads/wl/replacement, "
                               "body: {artifactId: a, strategy: rolling}}\n");
  Session session(s);
  session.run_until(s.duration);
  const RunResult kept = session.result();
  REQUIRE(kept.calls.size() == 1);
  CHECK(kept.calls[0].endpoint == "POST /workloads/wl/replacement");
  const RunResult taken = session.take_result();
  CHECK(summary_json(taken) == summary_json(kept));
  REQUIRE(taken.calls.size() == 1);
  CHECK(taken.calls[0].at_s == kept.calls[0].at_s);
  CHECK(taken.calls[0].status == kept.calls[0].status);
  CHECK(taken.calls[0].body == kept.calls[0].body);
  // The session no longer holds them.
  CHECK(session.result().calls.empty());
}

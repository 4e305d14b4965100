// Issue 4: the Workload API in simulated time (SEMANTICS.md §7), on the examples that show each
// rule.
#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"

using wlsim::engine::Time;
using wlsim::scenarios::CallResult;
using wlsim::testing::run_example;
using wlsim::testing::run_yaml;
using wlsim::testing::workload;
using wlsim::testing::Traced;

namespace {
std::vector<int> statuses(const Traced& t) {
  std::vector<int> out;
  for (const CallResult& c : t.result.calls) out.push_back(c.status);
  return out;
}
}  // namespace

TEST_CASE(
    "rolling replacement: candidate running at 10m30s, flip at 15m30s, old proton gone at 45m30s",
    "[replacement]") {
  const auto t = run_example("rolling-replacement.yaml");
  CHECK(t.states("wl-1/rep1", "replacement") ==
        std::vector<std::string>{"submitted", "initializing", "promoting", "finalizing",
                                 "completed"});
  CHECK(t.times("wl-1/rep1", "replacement", "submitted") == std::vector<double>{600});
  CHECK(t.times("wl-1/p2", "proton", "running").front() == 630);
  CHECK(t.times("wl-1/rep1", "replacement", "promoting") == std::vector<double>{630});
  CHECK(t.times("wl-1/p2", "proton", "warming") == std::vector<double>{630});
  CHECK(t.times("wl-1/rep1", "replacement", "finalizing") == std::vector<double>{930});
  CHECK(t.times("wl-1/p2", "role", "active") == std::vector<double>{930});
  CHECK(t.times("wl-1/p1", "proton", "draining") == std::vector<double>{930});
  CHECK(t.times("wl-1/p1", "proton", "terminated") == std::vector<double>{2730});
  CHECK(t.times("wl-1/rep1", "replacement", "completed") == std::vector<double>{2730});
  // The workload runs throughout: running at 30 s and never anything else.
  CHECK(t.states("wl-1", "workload").back() == "running");
  CHECK(t.times("wl-1", "workload", "running") == std::vector<double>{30});

  const auto& w = workload(t, "wl-1");
  REQUIRE(w.replacements.size() == 1);
  const auto& r = w.replacements[0];
  CHECK(r.outcome == "completed");
  CHECK(*r.replacement_duration_s == 2130);
  CHECK(*r.time_to_switch_s == 330);
  CHECK(*r.candidate_time_to_running_s == 30);
  // Both protons hold their requests at once: exactly twice the single proton's (3 × 2 cpu, 3 × 4
  // GB).
  CHECK(r.peak_surge.cpu == 12);
  CHECK(r.peak_surge.memory_bytes == 24e9);
  CHECK(w.peak_held.cpu == 12);
  // 3 replicas for 3600 s, plus 3 more from 600 s to 2730 s, and the old ones hold their nodes
  // for the 30 s grace period after the teardown (the app ignores SIGTERM).
  CHECK(w.replica_seconds == Approx(3 * 3600 + 3 * 2130 + 3 * 30));
  CHECK(w.resource_seconds.cpu == Approx(2 * (3 * 3600 + 3 * 2130 + 3 * 30)));
}

TEST_CASE("a POST while a replacement is active gets 422; history keeps every replacement",
          "[replacement][api]") {
  const auto t = run_example("rolling-replacement.yaml");
  CHECK(statuses(t) == std::vector<int>{202, 422, 200, 200});
  CHECK_THAT(t.result.calls[1].body, Catch::Contains("a replacement is already in progress"));
  CHECK_THAT(t.result.calls[2].body,
             Catch::Contains("\"role\":\"candidate\",\"status\":\"warming\""));
  CHECK_THAT(
      t.result.calls[3].body,
      Catch::StartsWith("{\"count\":1,\"data\":[{\"id\":\"rep1\",\"artifactId\":\"app-v2\""));
  CHECK_THAT(t.result.calls[3].body,
             Catch::Contains("\"status\":\"completed\",\"outcome\":\"completed\""));
}

TEST_CASE(
    "replace rules: draft→locked is refused and changes nothing; promote locks the running draft "
    "in place",
    "[replacement][api]") {
  const auto t = run_example("promote-and-replace-rules.yaml");
  CHECK(statuses(t) == std::vector<int>{422, 400, 200, 200, 202, 202, 422});
  CHECK_THAT(t.result.calls[0].body,
             Catch::Contains("draft artifact app-draft already backs workload dev"));
  CHECK_THAT(t.result.calls[1].body, Catch::Contains("Artifact status mismatch"));
  CHECK_THAT(t.result.calls[3].body, Catch::Contains("\"artifactId\":\"app-draft\""));
  CHECK_THAT(t.result.calls[6].body, Catch::Contains("locking is one-way"));
  // The refused POST created nothing; promotion restarted nothing: one container start before 7
  // min.
  CHECK(t.times("dev/p1/r0/app", "container", "running") == std::vector<double>{0});
  CHECK(workload(t, "dev").replacements.size() == 1);
  CHECK(t.times("dev/rep1", "replacement", "submitted") == std::vector<double>{420});
}

TEST_CASE(
    "a candidate whose image cannot be pulled ends the replacement errored; the workload keeps "
    "serving",
    "[replacement]") {
  const auto t = run_example("candidate-image-failure.yaml");
  CHECK(t.states("web/rep1", "replacement") ==
        std::vector<std::string>{"submitted", "initializing", "errored"});
  CHECK(t.times("web/rep1", "replacement", "errored") == std::vector<double>{600});
  CHECK(t.times("web/p2", "proton", "terminated") == std::vector<double>{600});
  const auto& w = workload(t, "web");
  CHECK(w.replacements[0].outcome == "errored");
  CHECK(w.replacements[0].message == "candidate proton p2 errored");
  // The old proton served until the good replacement flipped at 20m30s.
  CHECK(t.times("web", "workload", "running") == std::vector<double>{30});
  CHECK(t.states("web", "workload").back() == "running");
  CHECK(w.errored_dwell_s == 0);
  CHECK(w.replacements[1].outcome == "completed");
  CHECK(*w.replacements[1].time_to_switch_s == 30);
  CHECK(statuses(t) == std::vector<int>{202, 202, 200});
}

TEST_CASE(
    "DELETE during the warm-up cancels: deleting, finalizing, completed with outcome cancelled",
    "[replacement][api]") {
  const auto t = run_example("cancel-replacement.yaml");
  CHECK(t.states("api/rep1", "replacement") == std::vector<std::string>{"submitted", "initializing",
                                                                        "promoting", "deleting",
                                                                        "finalizing", "completed"});
  CHECK(t.times("api/rep1", "replacement", "deleting") == std::vector<double>{720});
  CHECK(t.times("api/p2", "proton", "terminated") == std::vector<double>{720});
  CHECK(workload(t, "api").replacements[0].outcome == "cancelled");
  CHECK(statuses(t) == std::vector<int>{202, 202, 404, 200});
  CHECK_THAT(t.result.calls[3].body, Catch::Contains("\"outcome\":\"cancelled\""));
  // The active proton never stopped serving.
  CHECK(t.states("api/p1", "proton").back() == "running");
  CHECK(t.times("api", "workload", "running") == std::vector<double>{30});
}

TEST_CASE(
    "DELETE in the keep-old window rolls back: traffic flips back to the kept proton at once, the "
    "candidate is torn down, outcome rolledBack; after that DELETE is 404",
    "[replacement][api][rollback]") {
  const auto t = run_example("rollback.yaml");
  CHECK(t.states("wl-1/rep1", "replacement") ==
        std::vector<std::string>{"submitted", "initializing", "promoting", "finalizing", "deleting",
                                 "finalizing", "completed"});
  CHECK(t.times("wl-1/rep1", "replacement", "deleting") == std::vector<double>{1200});
  CHECK(t.times("wl-1/rep1", "replacement", "completed") == std::vector<double>{1200});
  // p1 drained from the flip at 15m30s until the rollback at 20 min, then is active and running.
  CHECK(t.times("wl-1/p1", "proton", "draining") == std::vector<double>{930});
  CHECK(t.times("wl-1/p1", "role", "active") == std::vector<double>{1200});
  CHECK(t.states("wl-1/p1", "proton").back() == "running");
  CHECK(t.times("wl-1/p2", "proton", "terminated") == std::vector<double>{1200});
  const auto& w = workload(t, "wl-1");
  CHECK(w.replacements[0].outcome == "rolledBack");
  CHECK(*w.replacements[0].replacement_duration_s == 600);
  CHECK(*w.replacements[0].time_to_switch_s == 330);
  CHECK(statuses(t) == std::vector<int>{202, 202, 404, 200, 200});
  CHECK_THAT(t.result.calls[1].body, Catch::Contains("\"outcome\":\"rolledBack\""));
  CHECK_THAT(t.result.calls[3].body,
             Catch::Contains("\"id\":\"p1\"") && !Catch::Contains("\"id\":\"p2\""));
  // The workload never stopped running, and is back on app-v1 with 3 replicas.
  CHECK(t.times("wl-1", "workload", "running") == std::vector<double>{30});
  CHECK(w.status == "running");
  CHECK(w.replicas == 3);
  CHECK(w.replicas_running == 3);
}

TEST_CASE(
    "a rollback needs every replica of the kept proton ready: otherwise DELETE is 422 and "
    "nothing changes",
    "[replacement][api][rollback]") {
  // app-v1's process exits (code 1) 16 min after it starts: at the DELETE of 970 s the kept
  // proton's replicas are restarting, not ready.
  const std::string yaml = R"(name: t
duration: 30m
cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}, cachedImages: [r/a:1, r/a:2]}]}
artifacts:
  - {id: v1, status: locked, containerGroups: [{name: default, containers: [{name: a, imageUri: r/a:1, readinessProbe: {path: /h}, behavior: {exit: {after: 16m}}}]}]}
  - {id: v2, status: locked, containerGroups: [{name: default, containers: [{name: a, imageUri: r/a:2, readinessProbe: {path: /h}}]}]}
workloads: [{id: w, artifactId: v1, runtime: {containerGroups: [{name: default, replicaCount: 2}]}}]
actions:
  - {at: 5m, request: POST /workloads/w/replacement, body: {artifactId: v2, strategy: rolling, config: {warmupDurationMinutes: 1, keepOldVersionMinutes: 30}}}
  - {at: 970s, request: DELETE /workloads/w/replacement}
)";
  const auto t = run_yaml(yaml);
  CHECK(statuses(t) == std::vector<int>{202, 422});
  CHECK_THAT(t.result.calls[1].body,
             Catch::Contains("cannot roll back: the kept proton p1 has 0 of 2 replicas ready"));
  const auto& w = workload(t, "w");
  CHECK(w.replacements[0].status == "finalizing");
  CHECK(w.replacements[0].outcome.empty());
  CHECK(t.states("w/p2", "role").back() == "active");
}

TEST_CASE(
    "a cluster too small for the surge: the candidate stays pending and the replacement "
    "initializing",
    "[replacement][scheduler]") {
  const auto t = run_example("surge-too-small.yaml");
  const auto& w = workload(t, "big");
  CHECK(w.replacements[0].status == "initializing");
  CHECK(w.status == "running");
  CHECK(t.states("big/p2", "proton").back() == "submitted");
  const auto pending = t.first("big/p2/r0", "pod", "PodScheduled=False");
  REQUIRE(pending);
  CHECK(pending->message == "0/2 nodes are available: 2 Insufficient cpu.");
  CHECK(w.pending_s == 2 * 3300);  // both candidate replicas, from 5 min to 60 min
}

TEST_CASE("PATCH /settings queues a rolling replacement onto the new runtime; workload verbs",
          "[replacement][api]") {
  const auto t = run_example("settings-and-lifecycle.yaml");
  CHECK(statuses(t) == std::vector<int>{202, 202, 200, 202, 202, 201, 202, 404});
  const auto& svc = workload(t, "svc");
  REQUIRE(svc.replacements.size() == 1);
  CHECK(svc.replacements[0].runtime_only);
  CHECK(svc.replacements[0].artifact_id == "app");
  CHECK(svc.replicas == 3);
  CHECK(svc.replicas_running == 3);
  // Importance changed in place: nothing restarted.
  CHECK(svc.restarts == 0);
  CHECK(t.states("tool", "workload") ==
        std::vector<std::string>{"initializing", "submitted", "provisioning", "launching",
                                 "running", "stopping", "stopped", "initializing", "submitted",
                                 "provisioning", "launching", "running", "stopping", "terminated"});
  CHECK(t.times("tool", "workload", "stopped") == std::vector<double>{1500});
  CHECK(t.times("tool", "workload", "terminated") == std::vector<double>{2100});
}

TEST_CASE("a replacement deadline errors a candidate that never runs", "[replacement]") {
  std::string yaml =
      "name: t\nduration: 1h\nsettings: {replacementDeadline: 10m}\n"
      "cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: 4, memory: 16GB}, "
      "cachedImages: [r/a:1, r/a:2]}]}\n"
      "artifacts:\n"
      "  - {id: v1, status: locked, containerGroups: [{name: default, containers: [{name: a, "
      "imageUri: r/a:1, readinessProbe: {path: /h}}]}]}\n"
      "  - {id: v2, status: locked, containerGroups: [{name: default, containers: [{name: a, "
      "imageUri: r/a:2, readinessProbe: {path: /h}, behavior: {serves: [/x]}}]}]}\n"
      "workloads: [{id: w, artifactId: v1}]\n"
      "actions: [{at: 5m, request: POST /workloads/w/replacement, body: {artifactId: v2, strategy: "
      "rolling}}]\n";
  const auto t = run_yaml(yaml);
  CHECK(t.times("w/rep1", "replacement", "errored") == std::vector<double>{900});
  CHECK(t.result.workloads[0].replacements[0].message ==
        "candidate proton p2 was not running within 10m");
  CHECK(t.result.workloads[0].status == "running");
}

TEST_CASE("API errors: unknown workload 404, unknown artifact 404, locked→draft replacement 400",
          "[replacement][api]") {
  std::string yaml =
      "name: t\nduration: 30m\n"
      "cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: 4, memory: 16GB}, "
      "cachedImages: [r/a:1]}]}\n"
      "artifacts:\n"
      "  - {id: v1, status: locked, containerGroups: [{name: default, containers: [{name: a, "
      "imageUri: r/a:1, readinessProbe: {path: /h}}]}]}\n"
      "  - {id: d1, status: draft, containerGroups: [{name: default, containers: [{name: a, "
      "imageUri: r/a:1, readinessProbe: {path: /h}}]}]}\n"
      "workloads: [{id: w, artifactId: v1}]\n"
      "actions:\n"
      "  - {at: 1m, request: POST /workloads/nope/replacement, body: {artifactId: v1, strategy: "
      "rolling}}\n"
      "  - {at: 1m, request: POST /workloads/w/replacement, body: {artifactId: nope, strategy: "
      "rolling}}\n"
      "  - {at: 1m, request: POST /workloads/w/replacement, body: {artifactId: d1, strategy: "
      "rolling}}\n"
      "  - {at: 1m, request: POST /workloads/w/promote}\n"
      "  - {at: 2m, request: GET /workloads/w/replacement}\n"
      "  - {at: 2m, request: GET /workloads/w/protons/p1/statusDetails}\n"
      "  - {at: 2m, request: GET /workloads/w/events}\n";
  const auto t = run_yaml(yaml);
  CHECK(statuses(t) == std::vector<int>{404, 404, 400, 422, 404, 200, 200});
  CHECK_THAT(t.result.calls[6].body,
             Catch::Contains("{\"time\":30,\"object\":\"w\",\"kind\":\"workload\",\"from\":"
                             "\"launching\",\"to\":\"running\""));
  CHECK_THAT(t.result.calls[2].body,
             Catch::Contains("a locked workload cannot be replaced by a draft artifact"));
  CHECK_THAT(t.result.calls[3].body, Catch::Contains("already locked"));
  CHECK_THAT(t.result.calls[5].body,
             Catch::StartsWith("{\"id\":\"p1\",\"role\":\"active\",\"status\":\"running\""));
}

TEST_CASE("a workload of zero replicas is running at once and has no time-to-running breakdown",
          "[replacement][status]") {
  const auto t = run_yaml(wlsim::testing::one_workload({.replicas = 0}));
  CHECK(t.states("wl", "workload") == std::vector<std::string>{"initializing", "running"});
  CHECK(*t.result.workloads[0].time_to_running_s == 0);
  CHECK_FALSE(t.result.workloads[0].breakdown);
}

TEST_CASE("a POST with the workload's own artifact is a redeploy (202); a POST while it is active "
          "gets 422 (SEMANTICS.md §7)",
          "[replacement][api]") {
  const auto t = run_yaml(R"(name: redeploy
duration: 10m
cluster:
  nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 16GB}}]
artifacts:
  - id: app
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: r/app:1, readinessProbe: {path: /h}, resourceAllocation: {cpu: 1, memory: 1GB}}
workloads:
  - {id: w, artifactId: app}
actions:
  - {at: 1m, request: POST /workloads/w/replacement, body: {artifactId: app, strategy: rolling}}
  - {at: 70s, request: POST /workloads/w/replacement, body: {artifactId: app, strategy: rolling}}
)");
  CHECK(statuses(t) == std::vector<int>{202, 422});
  const auto& w = workload(t, "w");
  REQUIRE(w.replacements.size() == 1);
  CHECK(w.replacements[0].artifact_id == "app");
  CHECK(w.replacements[0].status == "completed");
  // A new proton of the same artifact: up at 90 s, traffic flips to it, the old one goes.
  CHECK(t.times("w/p2", "proton", "running").front() == 90);
  CHECK(t.times("w/rep1", "replacement", "completed") == std::vector<double>{90});
  CHECK(t.states("w/p1", "proton").back() == "terminated");
}

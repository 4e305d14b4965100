// Workload and action templates (workload_templates.hpp, docs/scenario-format.md): `count` with
// `{i}` expands in the loader; the document keeps the template.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "../../scenarios/workload_templates.hpp"
#include "scenario_fixture.hpp"
#include "wlsim/scenarios/loader.hpp"

namespace {

using wlsim::scenarios::load_text;
using wlsim::testing::error_of;

std::string templated(const std::string& workloads, const std::string& actions = "") {
  return R"(name: t
duration: 1h
cluster:
  nodePools: [{name: n, count: 2, allocatable: {cpu: 8, memory: 32GB}}]
artifacts:
  - id: app-v1
    status: locked
    containerGroups:
      - name: default
        containers: [{name: app, imageUri: registry.example/app:1, readinessProbe: {path: /healthz}, resourceAllocation: {cpu: 1, memory: 1GB}}]
  - id: app-v2
    status: locked
    containerGroups:
      - name: default
        containers: [{name: app, imageUri: registry.example/app:2, readinessProbe: {path: /healthz}, resourceAllocation: {cpu: 1, memory: 1GB}}]
workloads:
)" + workloads +
         (actions.empty() ? "" : "actions:\n" + actions);
}

std::vector<std::string> ids(const wlsim::scenarios::Scenario& s) {
  std::vector<std::string> out;
  for (const auto& w : s.platform.workloads) out.push_back(w.id);
  return out;
}

}  // namespace

TEST_CASE("a workload with count N stands for N workloads, i from 0 to N-1 in its id",
          "[templates]") {
  const auto s = load_text(templated(R"(  - {id: first, artifactId: app-v1}
  - {id: 'wl-{i}', count: 3, artifactId: app-v1}
  - {id: last, artifactId: app-v2}
)"));
  CHECK(ids(s) == std::vector<std::string>{"first", "wl-0", "wl-1", "wl-2", "last"});
  CHECK(s.platform.workloads[2].artifact_id == "app-v1");
}

TEST_CASE("{i:0W} pads the index with zeros to W digits", "[templates]") {
  const auto s = load_text(templated("  - {id: 'wl-{i:03}', count: 11, artifactId: app-v1}\n"));
  REQUIRE(s.platform.workloads.size() == 11);
  CHECK(s.platform.workloads[0].id == "wl-000");
  CHECK(s.platform.workloads[10].id == "wl-010");
}

TEST_CASE("{i} and {i:0W} are filled in; other braces are text", "[templates]") {
  CHECK(wlsim::scenarios::fill_index("a-{i}-{i:02}-{id}-{i}", 7) == "a-7-07-{id}-7");
  CHECK(wlsim::scenarios::fill_index("{i:02}", 123) == "123");
}

TEST_CASE("an {i} in a workload id without count is an error naming the field", "[templates]") {
  CHECK(error_of(templated("  - {id: 'wl-{i}', artifactId: app-v1}\n")) ==
        "f.yaml: workloads[0].id: 'wl-{i}' has {i}, which only a template has: add count: N to "
        "make N workloads of this item, i from 0 to N-1");
}

TEST_CASE("a count whose id has no {i} is an error", "[templates]") {
  CHECK(error_of(templated("  - {id: wl, count: 2, artifactId: app-v1}\n")) ==
        "f.yaml: workloads[0].id: 'wl' has no {i}: with count, each workload's id needs {i}, or "
        "{i:0W} for W digits with leading zeros, W 1 to 9 to tell them apart");
}

TEST_CASE("an index of another form is an error listing the allowed ones", "[templates]") {
  CHECK(error_of(templated("  - {id: 'wl-{i:3}', count: 2, artifactId: app-v1}\n")) ==
        "f.yaml: workloads[0].id: '{i:3}' is not an index (allowed: {i}, or {i:0W} for W digits "
        "with leading zeros, W 1 to 9)");
}

TEST_CASE("ids that a template repeats are used twice", "[templates]") {
  CHECK(error_of(templated(R"(  - {id: wl-1, artifactId: app-v1}
  - {id: 'wl-{i}', count: 3, artifactId: app-v1}
)")) == "f.yaml: workloads[1].id: 'wl-1' is used twice");
}

TEST_CASE("a count is at least 1 and within the list limit, the expanded list too", "[templates]") {
  CHECK(error_of(templated("  - {id: 'wl-{i}', count: 0, artifactId: app-v1}\n")) ==
        "f.yaml: workloads[0].count: 0 is not >= 1");
  wlsim::scenarios::Limits limits;
  limits.max_list_length = 10;
  CHECK(error_of(templated(R"(  - {id: a, artifactId: app-v1}
  - {id: 'wl-{i}', count: 10, artifactId: app-v1}
)"),
                 limits) ==
        "f.yaml: workloads[1].count: 10 brings the list to 11 items, over the limit of 10 items "
        "in one list (raise it with --max-list-length)");
}

TEST_CASE("an action with count and stagger calls at at + i x stagger, {i} filled in",
          "[templates]") {
  const auto s = load_text(templated("  - {id: 'wl-{i}', count: 3, artifactId: app-v1}\n",
                                     R"(  - at: 10m
    count: 3
    stagger: 2s
    replaceArtifact: {workload: 'wl-{i}', artifactId: app-v2}
)"));
  REQUIRE(s.platform.actions.size() == 3);
  CHECK(s.platform.actions[0].at.seconds() == 600.0);
  CHECK(s.platform.actions[1].at.seconds() == 602.0);
  CHECK(s.platform.actions[2].at.seconds() == 604.0);
  CHECK(s.platform.actions[2].call.endpoint == "POST /workloads/wl-2/replacement");
}

TEST_CASE("a stagger without count is an error", "[templates]") {
  CHECK(error_of(templated("  - {id: wl, artifactId: app-v1}\n",
                           "  - {at: 1m, stagger: 2s, request: GET /workloads/wl}\n")) ==
        "f.yaml: actions[0].stagger: staggers the copies of a template: add count: N to make N "
        "calls of this item");
}

TEST_CASE("a staggered call after the scenario's duration is an error naming stagger",
          "[templates]") {
  CHECK(error_of(templated("  - {id: wl, artifactId: app-v1}\n",
                           "  - {at: 59m, count: 3, stagger: 1m, request: GET /workloads/wl}\n")) ==
        "f.yaml: actions[0].stagger: puts a call at 61m, after the scenario's duration (1h)");
}

TEST_CASE("the document keeps the template: source_json gives it back as written", "[templates]") {
  const auto source = wlsim::scenarios::text_source(
      templated("  - {id: 'wl-{i}', count: 2, artifactId: app-v1}\n"), "t");
  const std::string json = wlsim::scenarios::source_json(source, {});
  CHECK(json.find(R"({"id":"wl-{i}","count":2,"artifactId":"app-v1"})") != std::string::npos);
}

TEST_CASE("an override of a template's count changes how many workloads it makes", "[templates]") {
  const auto s = wlsim::scenarios::load_source(
      wlsim::scenarios::text_source(templated("  - {id: 'wl-{i}', count: 2, artifactId: app-v1}\n"),
                                    "t"),
      {{"workloads[0].count", "5"}});
  CHECK(s.platform.workloads.size() == 5);
}

TEST_CASE("an expect block names the workloads a template made", "[templates]") {
  const auto s = load_text(templated("  - {id: 'wl-{i}', count: 2, artifactId: app-v1}\n") +
                           "expect:\n  wl-1: {status: running}\n");
  REQUIRE(s.expect.size() == 1);
  CHECK(s.expect[0].subject == "wl-1");
}

TEST_CASE("{i} is filled in in a templated action's request and body", "[templates]") {
  const auto r = wlsim::testing::run_yaml(templated("  - {id: base, artifactId: app-v1}\n",
                                                    R"(  - at: 1m
    count: 2
    request: POST /workloads
    body: {id: 'new-{i}', artifactId: app-v1}
  - {at: 2m, count: 2, stagger: 1s, request: 'DELETE /workloads/new-{i}'}
)"))
                     .result;
  REQUIRE(r.calls.size() == 4);
  CHECK(r.calls[1].at_s == 60.0);
  CHECK(r.calls[1].status == 202);
  CHECK(r.calls[3].endpoint == "DELETE /workloads/new-1");
  CHECK(r.calls[3].at_s == 121.0);
  REQUIRE(r.workloads.size() == 3);
  CHECK(r.workloads[2].id == "new-1");
  CHECK(r.workloads[2].deleted);
}

// The recent events the API shows, kept on the objects they belong to (models/recent_events.hpp):
// statusDetails "messages" are a pod's last 5 events (its containers' included) and GET
// /workloads/{id}/events a workload's last 100 lifecycle records (its own, its protons' statuses
// and roles, its replacements'), oldest first: the same as reading them off the whole trace.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/engine/trace.hpp"

namespace {
std::string json_quote(std::string_view s) {
  return wlsim::engine::to_text(wlsim::engine::Json(std::string(s)));
}
}  // namespace
using wlsim::engine::seconds_text;
using wlsim::engine::TraceRecord;
using wlsim::testing::run_yaml;

namespace {

/// The last `keep` of `records` that `wanted` selects, oldest first.
template <class Wanted>
std::vector<TraceRecord> last(const std::vector<TraceRecord>& records, std::size_t keep,
                              Wanted wanted) {
  std::vector<TraceRecord> out;
  for (const TraceRecord& r : records) {
    if (wanted(r)) out.push_back(r);
  }
  if (out.size() > keep) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(keep));
  return out;
}

bool in(const TraceRecord& r, const std::string& path) {
  return r.object == path || r.object.starts_with(path + "/");
}

}  // namespace

TEST_CASE("statusDetails messages are the pod's last 5 events, its containers' included",
          "[recent]") {
  // A crash loop: far more than 5 events (pulls, back-offs) by 10 minutes.
  const std::string yaml =
      wlsim::testing::one_workload(
          {.container = "behavior: {exit: {after: 5s, code: 1}}", .duration = "15m"}) +
      "actions: [{at: 10m, request: GET /workloads/wl/protons/p1/statusDetails}]\n";
  const auto t = run_yaml(yaml);
  REQUIRE(t.result.calls.size() == 1);
  // The pod keeps every occurrence of a repeated event (the trace keeps the first and, at the
  // end, the series: event_series.hpp), so its last 5 are these, read off the trace's series.
  const std::string backoff =
      R"("type":"Warning","reason":"BackOff","object":"wl/p1/r0/app",)"
      R"("message":"Back-off restarting failed container app in pod wl/p1/r0"})";
  const std::string pulled =
      R"("type":"Normal","reason":"Pulled","object":"wl/p1/r0/app",)"
      R"("message":"Container image \"reg/app:1\" already present on machine"})";
  const std::string expected = R"("messages":[{"time":95,)" + backoff + R"(,{"time":175,)" +
                               pulled + R"(,{"time":180,)" + backoff + R"(,{"time":340,)" + pulled +
                               R"(,{"time":345,)" + backoff + "]";
  CHECK_THAT(t.result.calls[0].body, Catch::Contains(expected));
  for (const std::string_view reason : {"BackOff", "Pulled"}) {
    const auto series = last(t.records, 1, [&](const TraceRecord& r) {
      return r.kind_name() == "event" && r.reason_name() == reason && r.count > 1;
    });
    REQUIRE(series.size() == 1);
    CHECK(series[0].first <= wlsim::engine::Time::from_seconds(95));
    CHECK(series[0].last >= wlsim::engine::Time::from_seconds(345));
  }
  CHECK_THAT(t.result.calls[0].body, Catch::Contains("\"object\":\"wl/p1/r0/app\""));
}

TEST_CASE("GET /workloads/{id}/events is the workload's last 100 lifecycle records", "[recent]") {
  // Stopped and started every minute: about ten lifecycle records a cycle, well over 100.
  std::string actions = "actions:\n";
  for (int m = 1; m <= 40; ++m) {
    actions += "  - {at: " + std::to_string(m) + "m, request: POST /workloads/wl/" +
               (m % 2 == 1 ? "stop" : "start") + "}\n";
  }
  actions += "  - {at: 41m, request: GET /workloads/wl/events}\n";
  const auto t = run_yaml(wlsim::testing::one_workload({.duration = "1h"}) + actions);
  REQUIRE(t.result.calls.size() == 41);
  const auto lifecycle = [](const TraceRecord& r) {
    const std::string_view k = r.kind_name();
    return (k == "workload" || k == "proton" || k == "replacement" || k == "role") && in(r, "wl");
  };
  std::size_t all = 0;
  for (const TraceRecord& r : t.records) all += lifecycle(r) ? 1 : 0;
  CHECK(all > 100);
  const auto records = last(t.records, 100, lifecycle);
  std::string expected = "{\"data\":[";
  for (const TraceRecord& e : records) {
    if (expected.back() != '[') expected += ',';
    expected += "{\"time\":";
    expected += seconds_text(e.time);
    expected += ",\"object\":" + json_quote(e.object);
    expected += ",\"kind\":" + json_quote(e.kind_name());
    expected += ",\"from\":" + json_quote(e.from_name());
    expected += ",\"to\":" + json_quote(e.to_name());
    expected += ",\"message\":" + json_quote(e.message) + "}";
  }
  expected += "]}";
  CHECK(t.result.calls[40].status == 200);
  CHECK(t.result.calls[40].body == expected);
}

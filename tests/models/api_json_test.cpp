// models/api_json.cpp: the Workload API's typed answers as the platform's JSON bodies, keys in the
// API's order.

#include "wlsim/models/api_json.hpp"

#include <catch2/catch.hpp>
#include <string>

using wlsim::engine::Time;
using wlsim::engine::to_text;
using namespace wlsim::models;

namespace {
api::ReplacementView replacement() {
  api::ReplacementView r;
  r.id = "r1";
  r.request.artifact_id = "app-2";
  r.request.config = {Time::from_seconds(300), Time::from_seconds(90)};
  r.status = ReplacementStatus::Finalizing;
  r.candidate_proton_id = "wl-1/p2";
  r.posted_at = Time::from_ms(60'500);
  r.switched_at = Time::from_seconds(660);
  return r;
}
}  // namespace

TEST_CASE("a refusal's body is {\"message\"}, and the answer keeps its status", "[api_json]") {
  const api::Response r = api::response(api::refused({404, "workload \"x\" not found"}));
  CHECK(r.status == 404);
  CHECK(r.body == R"({"message":"workload \"x\" not found"})");
}

TEST_CASE("a workload's body: keys in API order, null for no active proton or replacement",
          "[api_json]") {
  api::WorkloadView w{"wl-1", "web", "app-1", Importance::High, Status::Submitted, {}, {}};
  CHECK(to_text(api::to_json(api::Body(w))) ==
        R"({"id":"wl-1","name":"web","artifactId":"app-1","importance":"high",)"
        R"("status":"submitted","activeProtonId":null,"replacement":null})");
}

TEST_CASE("a replacement's body: minutes as numbers, times in seconds, never as null",
          "[api_json]") {
  CHECK(to_text(api::to_json(api::Body(replacement()))) ==
        R"({"id":"r1","artifactId":"app-2","strategy":"rolling",)"
        R"("config":{"warmupDurationMinutes":5,"keepOldVersionMinutes":1.5},)"
        R"("status":"finalizing","outcome":null,"message":"","candidateProtonId":"wl-1/p2",)"
        R"("runtimeOnly":false,"postedAt":60.5,"switchedAt":660,"endedAt":null})");
}

TEST_CASE("history counts its entries", "[api_json]") {
  api::History h{{replacement(), replacement()}};
  const auto j = api::to_json(api::Body(h));
  CHECK(j["count"] == 2);
  CHECK(j["data"].size() == 2);
  CHECK(to_text(api::to_json(api::Body(api::History{}))) == R"({"count":0,"data":[]})");
}

TEST_CASE("status details: a container's last termination, a replica's missing node as null",
          "[api_json]") {
  ContainerDetails c{"app",          true,  "app:1", ContainerState::Waiting,    "CrashLoopBackOff",
                     "back-off 10s", false, 2,       LastTermination{"Error", 1}};
  ReplicaDetails r{"r0", Status::Errored, PodPhase::Running, std::nullopt, {}, {c}, {}};
  ProtonDetails p{"wl-1/p1", ProtonRole::Active, Status::Errored, "app-1", {r}};
  CHECK(to_text(api::to_json(p)) ==
        R"({"id":"wl-1/p1","role":"active","status":"errored","artifactId":"app-1","replicas":[)"
        R"({"name":"r0","status":"errored","phase":"Running","node":null,"conditions":[],)"
        R"("containers":[{"name":"app","primary":true,"image":"app:1","state":"waiting",)"
        R"("reason":"CrashLoopBackOff","message":"back-off 10s","ready":false,"restartCount":2,)"
        R"("lastState":{"terminated":{"reason":"Error","exitCode":1}}}],"messages":[]}]})");
}

TEST_CASE("a body's text escapes as JSON does: quotes, control bytes, UTF-8 kept, invalid UTF-8 "
          "replaced",
          "[api_json]") {
  const std::string message = "say \"hi\"\\\n\x01\x7f caf\xc3\xa9 \xff!";
  CHECK(api::to_text(api::Body(api::Error{422, message})) ==
        "{\"message\":\"say \\\"hi\\\"\\\\\\n\\u0001\x7f caf\xc3\xa9 \xef\xbf\xbd!\"}");
  // The tree is the text read back: the two never disagree.
  CHECK(to_text(api::to_json(api::Body(api::Error{422, message}))) ==
        api::to_text(api::Body(api::Error{422, message})));
}

TEST_CASE("a body's numbers: whole seconds as integers, others as the shortest double",
          "[api_json]") {
  api::ReplacementView r = replacement();
  r.posted_at = Time::from_us(1);
  r.ended_at = Time::from_seconds(100'000'000);
  r.outcome = "succeeded";
  CHECK(api::to_text(api::Body(r)) ==
        R"({"id":"r1","artifactId":"app-2","strategy":"rolling",)"
        R"("config":{"warmupDurationMinutes":5,"keepOldVersionMinutes":1.5},)"
        R"("status":"finalizing","outcome":"succeeded","message":"","candidateProtonId":"wl-1/p2",)"
        R"("runtimeOnly":false,"postedAt":1e-06,"switchedAt":660,"endedAt":100000000})");
}

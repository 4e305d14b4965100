// The Workload API's REST routing: "METHOD /path" and a body become a typed models::api call.
// Bodies are read with the scenario schema's own readers, so an action and a notebook's call accept
// the same.

#include <string>
#include <vector>

#include "field_readers.hpp"

namespace wlsim::scenarios::detail {

namespace {

constexpr const char* kEndpoints =
    "POST /artifacts, PATCH /artifacts/{id}, POST /artifacts/{id}/clone, POST /workloads, "
    "GET|PATCH|DELETE "
    "/workloads/{id}, POST /workloads/{id}/start|stop|promote, POST|GET|DELETE "
    "/workloads/{id}/replacement, "
    "PATCH /workloads/{id}/settings, GET /workloads/{id}/history, GET /workloads/{id}/events, GET "
    "/workloads/{id}/protons, GET "
    "/workloads/{id}/protons/{protonId}/statusDetails";

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t j = path.find('/', i);
    const std::string part = path.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (!part.empty()) out.push_back(part);
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

}  // namespace

models::api::Call read_call(const Value& request_v, const std::optional<Value>& body,
                            models::Profile profile) {
  using namespace models::api;
  const std::string text = request_v.as_string();
  const auto space = text.find(' ');
  const std::string method = text.substr(0, space);
  const std::string path = space == std::string::npos ? "" : text.substr(space + 1);
  const auto parts = split_path(path);
  const auto bad = [&]() -> models::api::Call {
    request_v.fail("'" + text + "' is not an endpoint of the Workload API (allowed: " + kEndpoints +
                   ")");
  };
  const auto no_body = [&](Request r) -> models::api::Call {
    if (body) body->fail("must be absent: " + method + " " + path + " takes no body");
    return {method + " " + path, std::move(r)};
  };
  const auto need_body = [&]() -> const Value& {
    if (!body)
      throw FieldError{request_v.path().substr(0, request_v.path().rfind('.')) + ".body",
                       "is required for " + method + " " + path};
    return *body;
  };
  if (parts.empty()) return bad();
  if (parts[0] == "artifacts") {
    if (method == "POST" && parts.size() == 1) {
      return {text, CreateArtifact{read_artifact(need_body(), profile)}};
    }
    if (method == "PATCH" && parts.size() == 2) {
      Object b(need_body());
      const models::ArtifactStatus st = artifact_status(b.required("status"));
      b.finish();
      return {text, PatchArtifact{parts[1], st}};
    }
    if (method == "POST" && parts.size() == 3 && parts[2] == "clone") {
      Object b(need_body());
      const std::string id = b.required("id").as_string();
      b.finish();
      return {text, CloneArtifact{parts[1], id}};
    }
    return bad();
  }
  if (parts[0] != "workloads") return bad();
  if (parts.size() == 1) {
    if (method != "POST") return bad();
    Object b(need_body());
    CreateWorkload c;
    if (auto inline_artifact = b.optional("artifact"))
      c.artifact = read_artifact(*inline_artifact, profile);
    c.workload = read_workload(b, c.artifact ? &*c.artifact : nullptr, c.artifact.has_value());
    b.finish();
    return {text, std::move(c)};
  }
  const std::string& id = parts[1];
  using Verb = WorkloadCall::Verb;
  if (parts.size() == 2) {
    if (method == "GET") return no_body(WorkloadCall{Verb::Get, id});
    if (method == "DELETE") return no_body(WorkloadCall{Verb::Delete, id});
    if (method == "PATCH") {
      Object b(need_body());
      PatchWorkload p{id, {}, {}};
      if (auto x = b.optional("importance")) p.importance = read_importance(*x);
      if (auto x = b.optional("name")) p.name = x->as_string();
      b.finish();
      return {text, std::move(p)};
    }
    return bad();
  }
  const std::string& sub = parts[2];
  if (parts.size() == 3) {
    if (method == "POST" && sub == "start") return no_body(WorkloadCall{Verb::Start, id});
    if (method == "POST" && sub == "stop") return no_body(WorkloadCall{Verb::Stop, id});
    if (method == "POST" && sub == "promote") return no_body(WorkloadCall{Verb::Promote, id});
    if (method == "GET" && sub == "replacement")
      return no_body(WorkloadCall{Verb::GetReplacement, id});
    if (method == "DELETE" && sub == "replacement")
      return no_body(WorkloadCall{Verb::CancelReplacement, id});
    if (method == "GET" && sub == "history") return no_body(WorkloadCall{Verb::History, id});
    if (method == "GET" && sub == "protons") return no_body(WorkloadCall{Verb::Protons, id});
    if (method == "GET" && sub == "events") return no_body(WorkloadCall{Verb::Events, id});
    if (method == "POST" && sub == "replacement") {
      Object b(need_body());
      StartReplacement r{id, {}};
      r.request.artifact_id = b.required("artifactId").as_string();
      r.request.strategy = b.required("strategy").as_enum({"rolling"});
      if (auto x = b.optional("config")) r.request.config = read_replacement_config(*x);
      if (auto x = b.optional("runtime")) r.request.runtime = read_runtime(*x, nullptr);
      b.finish();
      return {text, std::move(r)};
    }
    if (method == "PATCH" && sub == "settings") {
      Object b(need_body());
      StartReplacement r{id, {}};
      r.request.runtime = read_runtime(b.required("runtime"), nullptr);
      r.request.from_settings = true;
      b.finish();
      return {text, std::move(r)};
    }
    return bad();
  }
  if (parts.size() == 5 && method == "GET" && sub == "protons" && parts[4] == "statusDetails") {
    return no_body(StatusDetails{id, parts[3]});
  }
  return bad();
}

}  // namespace wlsim::scenarios::detail

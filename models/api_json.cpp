#include "wlsim/models/api_json.hpp"

namespace wlsim::models::api {

using engine::Json;
using engine::json_seconds;

namespace {

Json text(std::string_view s) { return std::string(s); }

template <class T>
Json optional_json(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json to_json(const Error& e) {
  Json j = Json::object();
  j["message"] = e.message;
  return j;
}

Json to_json(const ArtifactSpec& a) {
  Json containers = Json::array();
  for (const ContainerSpec& c : a.containers) {
    Json cj = Json::object();
    cj["name"] = c.name;
    cj["imageUri"] = c.image_uri;
    cj["primary"] = c.primary;
    containers.push_back(std::move(cj));
  }
  Json group = Json::object();
  group["name"] = "default";
  group["containers"] = std::move(containers);
  Json j = Json::object();
  j["id"] = a.id;
  j["status"] = text(to_string(a.status));
  j["type"] = a.type;
  j["containerGroups"] = Json::array({std::move(group)});
  return j;
}

Json to_json(const ReplacementView& r) {
  Json config = Json::object();
  config["warmupDurationMinutes"] = r.request.config.warmup.seconds() / 60;
  config["keepOldVersionMinutes"] = r.request.config.keep_old.seconds() / 60;
  Json j = Json::object();
  j["id"] = r.id;
  j["artifactId"] = r.request.artifact_id;
  j["strategy"] = r.request.strategy;
  j["config"] = std::move(config);
  j["status"] = text(to_string(r.status));
  j["outcome"] = r.outcome.empty() ? Json(nullptr) : Json(r.outcome);
  j["message"] = r.message;
  j["candidateProtonId"] = r.candidate_proton_id;
  j["runtimeOnly"] = r.request.from_settings;
  j["postedAt"] = json_seconds(r.posted_at);
  j["switchedAt"] = json_seconds(r.switched_at);
  j["endedAt"] = json_seconds(r.ended_at);
  return j;
}

Json to_json(const WorkloadView& w) {
  Json j = Json::object();
  j["id"] = w.id;
  j["name"] = w.name;
  j["artifactId"] = w.artifact_id;
  j["importance"] = text(to_string(w.importance));
  j["status"] = text(to_string(w.status));
  j["activeProtonId"] = optional_json(w.active_proton_id);
  j["replacement"] = w.replacement ? to_json(*w.replacement) : Json(nullptr);
  return j;
}

Json to_json(const History& h) {
  Json data = Json::array();
  for (const ReplacementView& r : h.data) data.push_back(to_json(r));
  Json j = Json::object();
  j["count"] = h.data.size();
  j["data"] = std::move(data);
  return j;
}

Json to_json(const ProtonList& l) {
  Json data = Json::array();
  for (const ProtonView& p : l.data) {
    Json pj = Json::object();
    pj["id"] = p.id;
    pj["artifactId"] = p.artifact_id;
    pj["role"] = text(to_string(p.role));
    pj["status"] = text(to_string(p.status));
    data.push_back(std::move(pj));
  }
  Json j = Json::object();
  j["data"] = std::move(data);
  return j;
}

Json to_json(const EventList& l) {
  Json data = Json::array();
  for (const EventView& e : l.data) {
    Json ej = Json::object();
    ej["time"] = json_seconds(e.time);
    ej["object"] = e.object;
    ej["kind"] = e.kind;
    ej["from"] = e.from;
    ej["to"] = e.to;
    ej["message"] = e.message;
    data.push_back(std::move(ej));
  }
  Json j = Json::object();
  j["data"] = std::move(data);
  return j;
}

Json to_json(const ContainerDetails& c) {
  Json j = Json::object();
  j["name"] = c.name;
  j["primary"] = c.primary;
  j["image"] = c.image;
  j["state"] = text(to_string(c.state));
  j["reason"] = c.reason;
  j["message"] = c.message;
  j["ready"] = c.ready;
  j["restartCount"] = c.restart_count;
  if (c.last_state) {
    Json terminated = Json::object();
    terminated["reason"] = c.last_state->reason;
    terminated["exitCode"] = c.last_state->exit_code;
    j["lastState"] = Json::object();
    j["lastState"]["terminated"] = std::move(terminated);
  } else {
    j["lastState"] = nullptr;
  }
  return j;
}

Json to_json(const ReplicaDetails& r) {
  Json conditions = Json::array();
  for (const PodCondition& c : r.conditions) {
    Json cj = Json::object();
    cj["type"] = c.type;
    cj["status"] = c.status ? "True" : "False";
    cj["reason"] = c.reason;
    cj["message"] = c.message;
    conditions.push_back(std::move(cj));
  }
  Json containers = Json::array();
  for (const ContainerDetails& c : r.containers) containers.push_back(to_json(c));
  Json messages = Json::array();
  for (const PodMessage& m : r.messages) {
    Json mj = Json::object();
    mj["time"] = json_seconds(m.time);
    mj["type"] = m.type;
    mj["reason"] = m.reason;
    mj["object"] = m.object;
    mj["message"] = m.message;
    messages.push_back(std::move(mj));
  }
  Json j = Json::object();
  j["name"] = r.name;
  j["status"] = text(to_string(r.status));
  j["phase"] = text(to_string(r.phase));
  j["node"] = optional_json(r.node);
  j["conditions"] = std::move(conditions);
  j["containers"] = std::move(containers);
  j["messages"] = std::move(messages);
  return j;
}

}  // namespace

Json to_json(const ProtonDetails& d) {
  Json replicas = Json::array();
  for (const ReplicaDetails& r : d.replicas) replicas.push_back(to_json(r));
  Json j = Json::object();
  j["id"] = d.id;
  j["role"] = text(to_string(d.role));
  j["status"] = text(to_string(d.status));
  j["artifactId"] = d.artifact_id;
  j["replicas"] = std::move(replicas);
  return j;
}

Json to_json(const Body& body) {
  return std::visit([](const auto& b) { return to_json(b); }, body);
}

Response response(const Answer& answer) {
  return {answer.status, engine::to_text(to_json(answer.body))};
}

}  // namespace wlsim::models::api

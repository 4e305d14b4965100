#include "wlsim/models/platform.hpp"

#include <stdexcept>

#include "wlsim/engine/json_text.hpp"
#include "wlsim/models/status_details.hpp"

namespace wlsim::models {

using engine::json_quote;
using engine::Time;

namespace {

api::Response error(int status, const std::string& message) {
  return {status, "{\"message\":" + json_quote(message) + "}"};
}

std::string artifact_json(const ArtifactSpec& a) {
  std::string containers;
  for (const ContainerSpec& c : a.containers) {
    if (!containers.empty()) containers += ',';
    containers += "{\"name\":" + json_quote(c.name) + ",\"imageUri\":" + json_quote(c.image_uri) +
                  ",\"primary\":" + (c.primary ? "true" : "false") + "}";
  }
  return "{\"id\":" + json_quote(a.id) + ",\"status\":" + json_quote(to_string(a.status)) +
         ",\"type\":" + json_quote(a.type) + ",\"containerGroups\":[{\"name\":\"default\",\"containers\":[" +
         containers + "]}]}";
}

std::string workload_json(const Workload& w) {
  const Replacement* r = w.current_replacement();
  return "{\"id\":" + json_quote(w.id()) + ",\"name\":" + json_quote(w.name()) +
         ",\"artifactId\":" + json_quote(w.artifact_id()) + ",\"importance\":" +
         json_quote(to_string(w.spec().importance)) + ",\"status\":" + json_quote(to_string(w.status())) +
         ",\"activeProtonId\":" + (w.active_proton() != nullptr ? json_quote(w.active_proton()->id()) : "null") +
         ",\"replacement\":" + (r != nullptr ? r->to_json() : "null") + "}";
}

}  // namespace

Platform::Platform(const Context& ctx, const PlatformSpec& spec)
    : ctx_(ctx), spec_(spec), cluster_(ctx, spec.cluster), scheduler_(ctx, cluster_) {
  for (const ArtifactSpec& a : spec_.artifacts) {
    artifact_index_.emplace(a.id, artifacts_.size());
    artifacts_.push_back(a);
  }
  for (const WorkloadSpec& w : spec_.workloads) {
    if (find_artifact(w.artifact_id) == nullptr) {
      throw std::invalid_argument("workload " + w.id + " names unknown artifact " + w.artifact_id);
    }
    add_workload(w);
  }
}

Platform::~Platform() {
  for (engine::TimerId t : timers_) ctx_.sim.cancel(t);
}

Workload& Platform::add_workload(const WorkloadSpec& spec) {
  workload_index_[spec.id] = workloads_.size();
  return workloads_.emplace_back(ctx_, spec, scheduler_);
}

const ArtifactSpec* Platform::artifact(const std::string& id) const {
  const auto it = artifact_index_.find(id);
  return it == artifact_index_.end() ? nullptr : &artifacts_[it->second];
}

ArtifactSpec* Platform::find_artifact(const std::string& id) {
  const auto it = artifact_index_.find(id);
  return it == artifact_index_.end() ? nullptr : &artifacts_[it->second];
}

Workload* Platform::find_workload(const std::string& id) {
  const auto it = workload_index_.find(id);
  if (it == workload_index_.end() || workloads_[it->second].deleted()) return nullptr;
  return &workloads_[it->second];
}

const Workload* Platform::draft_user(const std::string& artifact_id, const Workload* except) const {
  for (const Workload& w : workloads_) {
    if (&w == except || w.deleted()) continue;
    if (w.artifact_id() == artifact_id) return &w;
    const Replacement* r = w.current_replacement();
    if (r != nullptr && r->request().artifact_id == artifact_id) return &w;
  }
  return nullptr;
}

void Platform::start() {
  // Faults first: a fault and a creation at the same instant see the fault in force.
  for (std::size_t i = 0; i < spec_.faults.size(); ++i) {
    const FaultSpec& f = spec_.faults[i];
    timers_.push_back(ctx_.sim.schedule_at(f.at, *this, kOutageBegin | i));
    timers_.push_back(ctx_.sim.schedule_at(f.at + f.duration, *this, kOutageEnd | i));
  }
  for (std::size_t i = 0; i < spec_.workloads.size(); ++i) {
    timers_.push_back(ctx_.sim.schedule_at(spec_.workloads[i].created_at, *this, kCreate | i));
  }
  for (std::size_t i = 0; i < spec_.actions.size(); ++i) {
    timers_.push_back(ctx_.sim.schedule_at(spec_.actions[i].at, *this, kAction | i));
  }
}

void Platform::on_event(std::uint64_t token) {
  const std::uint64_t kind = token & ~0xFFFFFFFFULL;
  const std::size_t index = token & 0xFFFFFFFFULL;
  if (kind == kCreate) {
    workloads_[index].create(*find_artifact(spec_.workloads[index].artifact_id));
  } else if (kind == kOutageBegin) {
    ctx_.record("registry", TraceKind::Fault, RegistryState::Available, RegistryState::Outage,
                Reason::RegistryOutage,
                "registry unreachable for " + engine::format_duration(spec_.faults[index].duration));
    cluster_.registry().begin_outage();
  } else if (kind == kOutageEnd) {
    cluster_.registry().end_outage();
    ctx_.record("registry", TraceKind::Fault, RegistryState::Outage, RegistryState::Available,
                Reason::RegistryRecovered);
  } else {
    (void)call(spec_.actions[index].call);
  }
}

api::Response Platform::call(const api::Call& c) {
  api::Response r = handle(c.request);
  ctx_.api_call(c.endpoint, r.status, r.body);
  calls_.push_back({ctx_.now(), c.endpoint, r});
  return r;
}

api::Response Platform::handle(const api::Request& r) {
  return std::visit([this](const auto& request) { return handle(request); }, r);
}

api::Response Platform::handle(const api::CreateArtifact& r) {
  if (find_artifact(r.artifact.id) != nullptr) return error(409, "artifact " + r.artifact.id + " already exists");
  artifact_index_.emplace(r.artifact.id, artifacts_.size());
  artifacts_.push_back(r.artifact);
  return {201, artifact_json(artifacts_.back())};
}

api::Response Platform::handle(const api::PatchArtifact& r) {
  ArtifactSpec* a = find_artifact(r.id);
  if (a == nullptr) return error(404, "artifact " + r.id + " not found");
  if (a->status == ArtifactStatus::Locked && r.status == ArtifactStatus::Draft) {
    return error(422, "artifact " + r.id + " is locked: locking is one-way");
  }
  a->status = r.status;
  return {200, artifact_json(*a)};
}

api::Response Platform::handle(const api::CloneArtifact& r) {
  const ArtifactSpec* a = find_artifact(r.id);
  if (a == nullptr) return error(404, "artifact " + r.id + " not found");
  if (a->status != ArtifactStatus::Locked) return error(422, "only a locked artifact can be cloned; " + r.id + " is a draft");
  if (find_artifact(r.new_id) != nullptr) return error(409, "artifact " + r.new_id + " already exists");
  ArtifactSpec copy = *a;
  copy.id = r.new_id;
  copy.status = ArtifactStatus::Draft;
  artifact_index_.emplace(copy.id, artifacts_.size());
  artifacts_.push_back(std::move(copy));
  return {201, artifact_json(artifacts_.back())};
}

api::Response Platform::handle(const api::CreateWorkload& r) {
  if (workload_index_.contains(r.workload.id)) return error(409, "workload " + r.workload.id + " already exists");
  if (r.artifact) {
    if (find_artifact(r.artifact->id) != nullptr) return error(409, "artifact " + r.artifact->id + " already exists");
    artifact_index_.emplace(r.artifact->id, artifacts_.size());
    artifacts_.push_back(*r.artifact);
  }
  const ArtifactSpec* a = find_artifact(r.workload.artifact_id);
  if (a == nullptr) return error(404, "artifact " + r.workload.artifact_id + " not found");
  if (a->status == ArtifactStatus::Draft) {
    if (const Workload* user = draft_user(a->id, nullptr)) {
      return error(422, "draft artifact " + a->id + " already backs workload " + user->id() +
                            " (a draft backs at most one workload; lock it to share it)");
    }
  }
  WorkloadSpec spec = r.workload;
  spec.created_at = ctx_.now();
  Workload& w = add_workload(spec);
  w.create(*a);
  return {202, workload_json(w)};
}

api::Response Platform::handle(const api::PatchWorkload& r) {
  Workload* w = find_workload(r.id);
  if (w == nullptr) return error(404, "workload " + r.id + " not found");
  if (r.importance) w->set_importance(*r.importance);  // a priority hint for later pods: nothing restarts
  if (r.name) w->set_name(*r.name);
  return {200, workload_json(*w)};
}

api::Response Platform::handle(const api::StartReplacement& r) {
  Workload* w = find_workload(r.id);
  if (w == nullptr) return error(404, "workload " + r.id + " not found");
  if (w->stopped()) return error(422, "workload " + r.id + " is stopped");
  if (w->current_replacement() != nullptr) {
    return error(422, "a replacement is already in progress for workload " + r.id + " (status " +
                          to_string(w->current_replacement()->status()) + ")");
  }
  api::StartReplacement req = r;
  if (req.request.from_settings) req.request.artifact_id = w->artifact_id();
  const ArtifactSpec* target = find_artifact(req.request.artifact_id);
  if (target == nullptr) return error(404, "artifact " + req.request.artifact_id + " not found");
  const ArtifactSpec* current = find_artifact(w->artifact_id());
  // The replace rules (SEMANTICS.md §7): statuses must match; a draft is promoted, not replaced.
  if (current->status == ArtifactStatus::Draft && target->status == ArtifactStatus::Locked) {
    return error(400, "Artifact status mismatch: a draft workload cannot be replaced by a locked artifact; use POST "
                      "/workloads/" + r.id + "/promote");
  }
  if (current->status == ArtifactStatus::Locked && target->status == ArtifactStatus::Draft) {
    return error(400, "Artifact status mismatch: a locked workload cannot be replaced by a draft artifact");
  }
  if (target->status == ArtifactStatus::Draft && target->id != current->id) {
    if (const Workload* user = draft_user(target->id, w)) {
      return error(422, "draft artifact " + target->id + " already backs workload " + user->id());
    }
  }
  const Replacement& rep = w->start_replacement(req.request, *target, spec_.settings.replacement_deadline);
  return {202, rep.to_json()};
}

api::Response Platform::handle(const api::WorkloadCall& r) {
  using Verb = api::WorkloadCall::Verb;
  Workload* w = find_workload(r.id);
  if (w == nullptr) return error(404, "workload " + r.id + " not found");
  switch (r.verb) {
    case Verb::Get: return {200, workload_json(*w)};
    case Verb::Start:
      if (!w->stopped()) return error(422, "workload " + r.id + " is not stopped");
      w->start(*find_artifact(w->artifact_id()));
      return {202, workload_json(*w)};
    case Verb::Stop:
      if (w->stopped()) return error(422, "workload " + r.id + " is already stopped");
      w->stop();
      return {202, workload_json(*w)};
    case Verb::Delete:
      w->remove();
      return {202, workload_json(*w)};
    case Verb::Promote: {
      ArtifactSpec* a = find_artifact(w->artifact_id());
      if (a->status == ArtifactStatus::Locked) return error(422, "artifact " + a->id + " is already locked");
      if (w->status() != Status::Running) {
        return error(422, "only a running workload can be promoted; " + r.id + " is " + std::string(to_string(w->status())));
      }
      a->status = ArtifactStatus::Locked;  // locked in place: no new proton, no restart
      w->promote();
      return {200, workload_json(*w)};
    }
    case Verb::GetReplacement:
      if (w->current_replacement() == nullptr) return error(404, "no replacement in progress for workload " + r.id);
      return {200, w->current_replacement()->to_json()};
    case Verb::CancelReplacement: {
      const Replacement* current = w->current_replacement();
      if (current == nullptr) return error(404, "no replacement in progress for workload " + r.id);
      if (!w->cancel_replacement()) {
        return error(422, "replacement " + current->id() + " is " + to_string(current->status()) +
                              ": the traffic has switched and it can no longer be cancelled");
      }
      return {202, w->replacements().back().to_json()};
    }
    case Verb::History: {
      std::string items;
      for (const Replacement& rep : w->replacements()) items += (items.empty() ? "" : ",") + rep.to_json();
      return {200, "{\"count\":" + std::to_string(w->replacements().size()) + ",\"data\":[" + items + "]}"};
    }
    case Verb::Events: {
      std::string items;
      w->recent_records().for_each([&items](const engine::TraceRecord& e) {
        if (!items.empty()) items += ',';
        items += "{\"time\":";
        items += engine::seconds_text(e.time);
        for (const auto& [key, value] :
             {std::pair{"object", std::string_view(e.object)}, std::pair{"kind", e.kind_name()},
              std::pair{"from", e.from_name()}, std::pair{"to", e.to_name()},
              std::pair{"message", std::string_view(e.message)}}) {
          items += ",\"";
          items += key;
          items += "\":";
          items += json_quote(value);
        }
        items += '}';
      });
      return {200, "{\"data\":[" + items + "]}"};
    }
    case Verb::Protons: {
      std::string items;
      for (const Proton& p : w->protons()) {
        if (p.torn_down()) continue;
        items += (items.empty() ? "" : ",") + std::string("{\"id\":") + json_quote(p.id()) +
                 ",\"artifactId\":" + json_quote(p.artifact().id) + ",\"role\":" + json_quote(to_string(p.role())) +
                 ",\"status\":" + json_quote(to_string(p.status())) + "}";
      }
      return {200, "{\"data\":[" + items + "]}"};
    }
  }
  return error(400, "unknown call");
}

api::Response Platform::handle(const api::StatusDetails& r) {
  Workload* w = find_workload(r.id);
  if (w == nullptr) return error(404, "workload " + r.id + " not found");
  for (const Proton& p : w->protons()) {
    if (p.id() == r.proton && !p.torn_down()) return {200, status_details_json(p)};
  }
  return error(404, "proton " + r.proton + " not found in workload " + r.id);
}

}  // namespace wlsim::models

// The Workload API: each call checked against the platform's rules and applied to the run state the
// Platform owns, answered with a typed result (api_results.hpp; api_json.cpp writes it as JSON).

#include "wlsim/models/platform.hpp"
#include "wlsim/models/status_details.hpp"

namespace wlsim::models {

namespace {

api::ReplacementView view(const Replacement& r) {
  return {r.id(),        r.request(),     r.status(),  r.outcome(), r.message(), r.candidate().id(),
          r.posted_at(), r.switched_at(), r.ended_at()};
}

api::WorkloadView view(const Workload& w) {
  api::WorkloadView v{w.id(), w.name(), w.artifact_id(), w.spec().importance, w.status(), {}, {}};
  if (w.active_proton() != nullptr) v.active_proton_id = w.active_proton()->id();
  if (const Replacement* r = w.current_replacement()) v.replacement = view(*r);
  return v;
}

api::Answer not_found(const std::string& workload_id) {
  return api::refused({404, "workload " + workload_id + " not found"});
}

}  // namespace

api::Answer Platform::handle(const api::Request& r) {
  return std::visit([this](const auto& request) { return handle(request); }, r);
}

api::Answer Platform::handle(const api::CreateArtifact& r) {
  if (auto refusal = artifacts_.add(r.artifact)) return api::refused(std::move(*refusal));
  return {201, *artifacts_.find(r.artifact.id)};
}

api::Answer Platform::handle(const api::PatchArtifact& r) {
  if (auto refusal = artifacts_.set_status(r.id, r.status))
    return api::refused(std::move(*refusal));
  return {200, *artifacts_.find(r.id)};
}

api::Answer Platform::handle(const api::CloneArtifact& r) {
  if (auto refusal = artifacts_.clone(r.id, r.new_id)) return api::refused(std::move(*refusal));
  return {201, *artifacts_.find(r.new_id)};
}

namespace {

// A runtime may only select a bundle that the cluster defines.
std::optional<api::Error> bundle_refusal(const ClusterSpec& cluster, const RuntimeSpec& runtime) {
  if (runtime.bundle.empty() || cluster.bundle(runtime.bundle) != nullptr) return std::nullopt;
  return api::Error{422, "resource bundle " + runtime.bundle + " is not defined in the cluster"};
}

}  // namespace

api::Answer Platform::handle(const api::CreateWorkload& r) {
  if (workload_index_.contains(r.workload.id)) {
    return api::refused({409, "workload " + r.workload.id + " already exists"});
  }
  if (r.artifact) {
    if (auto refusal = artifacts_.add(*r.artifact)) return api::refused(std::move(*refusal));
  }
  const ArtifactSpec* a = artifacts_.find(r.workload.artifact_id);
  if (a == nullptr) return api::refused({404, "artifact " + r.workload.artifact_id + " not found"});
  if (auto refusal = bundle_refusal(spec_.cluster, r.workload.runtime))
    return api::refused(std::move(*refusal));
  if (const Workload* user = artifacts_.draft_user(a->id, workloads_, nullptr)) {
    return api::refused({422, "draft artifact " + a->id + " already backs workload " + user->id() +
                                  " (a draft backs at most one workload; lock it to share it)"});
  }
  WorkloadSpec spec = r.workload;
  spec.created_at = ctx_.now();
  Workload& w = add_workload(spec);
  w.create(*a);
  return {202, view(w)};
}

api::Answer Platform::handle(const api::PatchWorkload& r) {
  Workload* w = find_workload(r.id);
  if (w == nullptr) return not_found(r.id);
  // A priority hint for later pods: nothing restarts.
  if (r.importance) w->set_importance(*r.importance);
  if (r.name) w->set_name(*r.name);
  return {200, view(*w)};
}

api::Answer Platform::handle(const api::StartReplacement& r) {
  Workload* w = find_workload(r.id);
  if (w == nullptr) return not_found(r.id);
  api::StartReplacement req = r;
  if (req.request.from_settings) req.request.artifact_id = w->artifact_id();
  const ArtifactSpec* target = artifacts_.find(req.request.artifact_id);
  const ArtifactSpec* current = artifacts_.find(w->artifact_id());
  const Replacement* in_progress = w->current_replacement();
  if (auto refusal = replace_refusal(
          r.id, w->stopped(),
          in_progress != nullptr ? std::optional(in_progress->status()) : std::nullopt,
          current->status, req.request.artifact_id,
          target != nullptr ? std::optional(target->status) : std::nullopt)) {
    return api::refused(std::move(*refusal));
  }
  if (req.request.runtime) {
    if (auto refusal = bundle_refusal(spec_.cluster, *req.request.runtime))
      return api::refused(std::move(*refusal));
  }
  if (target->id != current->id) {
    if (const Workload* user = artifacts_.draft_user(target->id, workloads_, w)) {
      return api::refused(
          {422, "draft artifact " + target->id + " already backs workload " + user->id()});
    }
  }
  const Replacement& rep =
      w->start_replacement(req.request, *target, spec_.settings.replacement_deadline);
  return {202, view(rep)};
}

api::Answer Platform::handle(const api::WorkloadCall& r) {
  using Verb = api::WorkloadCall::Verb;
  Workload* w = find_workload(r.id);
  if (w == nullptr) return not_found(r.id);
  switch (r.verb) {
    case Verb::Get:
      return {200, view(*w)};
    case Verb::Start:
      if (!w->stopped()) return api::refused({422, "workload " + r.id + " is not stopped"});
      w->start(*artifacts_.find(w->artifact_id()));
      return {202, view(*w)};
    case Verb::Stop:
      if (w->stopped()) return api::refused({422, "workload " + r.id + " is already stopped"});
      w->stop();
      return {202, view(*w)};
    case Verb::Delete:
      w->remove();
      return {202, view(*w)};
    case Verb::Promote: {
      const ArtifactSpec* a = artifacts_.find(w->artifact_id());
      if (a->status == ArtifactStatus::Locked) {
        return api::refused({422, "artifact " + a->id + " is already locked"});
      }
      if (w->status() != Status::Running) {
        return api::refused({422, "only a running workload can be promoted; " + r.id + " is " +
                                      std::string(to_string(w->status()))});
      }
      // Locked in place: no new proton, no restart.
      (void)artifacts_.set_status(a->id, ArtifactStatus::Locked);
      w->promote();
      return {200, view(*w)};
    }
    case Verb::GetReplacement:
      if (w->current_replacement() == nullptr) {
        return api::refused({404, "no replacement in progress for workload " + r.id});
      }
      return {200, view(*w->current_replacement())};
    case Verb::CancelReplacement: {
      const Replacement* current = w->current_replacement();
      if (current == nullptr) {
        return api::refused({404, "no replacement in progress for workload " + r.id});
      }
      // Before the flip it is cancelled; in the keep-old window it is rolled back (§7).
      if (!w->cancel_replacement()) {
        if (const std::optional<std::string> why = w->roll_back_replacement()) {
          return api::refused({422, *why});
        }
      }
      return {202, view(w->replacements().back())};
    }
    case Verb::History: {
      api::History h;
      for (const Replacement& rep : w->replacements()) h.data.push_back(view(rep));
      return {200, std::move(h)};
    }
    case Verb::Events: {
      api::EventList events;
      w->recent_records().for_each([&events](const engine::KeptRecord& e) {
        events.data.push_back({e.time(), std::string(e.object()), std::string(e.kind_name()),
                               std::string(e.from_name()), std::string(e.to_name()),
                               std::string(e.message())});
      });
      return {200, std::move(events)};
    }
    case Verb::Protons: {
      api::ProtonList protons;
      for (const Proton& p : w->protons()) {
        if (!p.torn_down()) protons.data.push_back({p.id(), p.artifact().id, p.role(), p.status()});
      }
      return {200, std::move(protons)};
    }
  }
  return api::refused({400, "unknown call"});
}

api::Answer Platform::handle(const api::StatusDetails& r) {
  Workload* w = find_workload(r.id);
  if (w == nullptr) return not_found(r.id);
  for (const Proton& p : w->protons()) {
    if (p.id() == r.proton && !p.torn_down()) return {200, status_details(p)};
  }
  return api::refused({404, "proton " + r.proton + " not found in workload " + r.id});
}

}  // namespace wlsim::models

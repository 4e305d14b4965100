#include "wlsim/models/artifact_store.hpp"

namespace wlsim::models {

ArtifactStore::ArtifactStore(const std::vector<ArtifactSpec>& initial) {
  // As add() would: the first of two artifacts with one id is kept.
  for (const ArtifactSpec& a : initial) {
    if (a.status == ArtifactStatus::Locked) {
      index({&a, nullptr});
    } else {
      (void)add(a);
    }
  }
}

void ArtifactStore::index(Entry e) { index_.try_emplace(std::string_view(e.spec->id), e); }

const ArtifactSpec* ArtifactStore::find(const std::string& id) const {
  const auto it = index_.find(std::string_view(id));
  return it == index_.end() ? nullptr : it->second.spec;
}

ArtifactSpec* ArtifactStore::find_mutable(const std::string& id) {
  const auto it = index_.find(std::string_view(id));
  return it == index_.end() ? nullptr : it->second.own;
}

std::optional<api::Error> ArtifactStore::add(ArtifactSpec a) {
  if (index_.contains(std::string_view(a.id))) {
    return api::Error{409, "artifact " + a.id + " already exists"};
  }
  ArtifactSpec& stored = *own_.emplace_back(std::make_unique<ArtifactSpec>(std::move(a)));
  index({&stored, &stored});
  return std::nullopt;
}

std::optional<api::Error> ArtifactStore::set_status(const std::string& id, ArtifactStatus status) {
  const ArtifactSpec* a = find(id);
  if (a == nullptr) return api::Error{404, "artifact " + id + " not found"};
  if (a->status == ArtifactStatus::Locked) {
    if (status == ArtifactStatus::Draft) {
      return api::Error{422, "artifact " + id + " is locked: locking is one-way"};
    }
    return std::nullopt;  // locked already (a scenario's locked artifact is never written)
  }
  find_mutable(id)->status = status;
  return std::nullopt;
}

std::optional<api::Error> ArtifactStore::clone(const std::string& id, const std::string& new_id) {
  const ArtifactSpec* a = find(id);
  if (a == nullptr) return api::Error{404, "artifact " + id + " not found"};
  if (a->status != ArtifactStatus::Locked) {
    return api::Error{422, "only a locked artifact can be cloned; " + id + " is a draft"};
  }
  ArtifactSpec copy = *a;
  copy.id = new_id;
  copy.status = ArtifactStatus::Draft;
  return add(std::move(copy));
}

const Workload* ArtifactStore::draft_user(const std::string& artifact_id,
                                          const std::deque<Workload>& workloads,
                                          const Workload* except) const {
  const ArtifactSpec* a = find(artifact_id);
  if (a == nullptr || a->status != ArtifactStatus::Draft) return nullptr;
  for (const Workload& w : workloads) {
    if (&w == except || w.deleted()) continue;
    if (w.artifact_id() == artifact_id) return &w;
    const Replacement* r = w.current_replacement();
    if (r != nullptr && r->request().artifact_id == artifact_id) return &w;
  }
  return nullptr;
}

}  // namespace wlsim::models

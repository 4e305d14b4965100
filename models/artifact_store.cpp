#include "wlsim/models/artifact_store.hpp"

namespace wlsim::models {

ArtifactStore::ArtifactStore(const std::vector<ArtifactSpec>& initial) {
  for (const ArtifactSpec& a : initial) (void)add(a);
}

const ArtifactSpec* ArtifactStore::find(const std::string& id) const {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &artifacts_[it->second];
}

ArtifactSpec* ArtifactStore::find_mutable(const std::string& id) {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &artifacts_[it->second];
}

std::optional<api::Error> ArtifactStore::add(ArtifactSpec a) {
  if (index_.contains(a.id)) return api::Error{409, "artifact " + a.id + " already exists"};
  index_.emplace(a.id, artifacts_.size());
  artifacts_.push_back(std::move(a));
  return std::nullopt;
}

std::optional<api::Error> ArtifactStore::set_status(const std::string& id, ArtifactStatus status) {
  ArtifactSpec* a = find_mutable(id);
  if (a == nullptr) return api::Error{404, "artifact " + id + " not found"};
  if (a->status == ArtifactStatus::Locked && status == ArtifactStatus::Draft) {
    return api::Error{422, "artifact " + id + " is locked: locking is one-way"};
  }
  a->status = status;
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

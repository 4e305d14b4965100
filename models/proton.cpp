#include "wlsim/models/proton.hpp"

namespace wlsim::models {

const char* to_string(ProtonRole r) noexcept { return r == ProtonRole::Active ? "active" : "candidate"; }

Proton::Proton(const Context& ctx, std::string path, const ArtifactSpec& artifact,
               const RuntimeSpec& runtime, Importance importance, ProtonRole role, Scheduler& scheduler,
               ProtonOwner& owner)
    : ctx_(ctx),
      path_(std::move(path)),
      artifact_(artifact),
      runtime_(runtime),
      importance_(importance),
      role_(role),
      scheduler_(scheduler),
      owner_(owner),
      containers_(artifact.containers) {
  for (ContainerSpec& c : containers_) {
    if (auto it = runtime_.resource_overrides.find(c.name); it != runtime_.resource_overrides.end()) {
      c.resources = it->second;
    }
  }
}

Resources Proton::replica_request() const noexcept {
  Resources r;
  for (const ContainerSpec& c : containers_) r += c.resources;
  return r;
}

void Proton::start() {
  update();
  for (int i = 0; i < runtime_.replica_count; ++i) {
    replicas_.emplace_back(ctx_, path_ + "/r" + std::to_string(i), containers_,
                           static_cast<int>(importance_), scheduler_, *this);
  }
  for (Replica& r : replicas_) r.submit();
}

void Proton::on_replica_changed(Replica&) { update(); }

void Proton::update() {
  std::vector<Status> statuses;
  statuses.reserve(replicas_.size());
  for (const Replica& r : replicas_) {
    if (r.status() != Status::Unknown) statuses.push_back(r.status());
  }
  // Before its first replica reports, a proton is being set up.
  const Status computed = replicas_.empty() && runtime_.replica_count > 0 ? Status::Initializing
                          : statuses.empty() && runtime_.replica_count > 0 ? Status::Initializing
                                                                          : worst_of(statuses);
  const Status next = sticky(status_, computed);
  if (next == status_) return;
  ctx_.record(path_, "proton", status_ == Status::Unknown ? "" : to_string(status_), to_string(next));
  status_ = next;
  owner_.on_proton_changed(*this);
}

}  // namespace wlsim::models

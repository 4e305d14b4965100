#include "wlsim/models/platform.hpp"

#include <stdexcept>

namespace wlsim::models {

Platform::Platform(const Context& ctx, const PlatformSpec& spec)
    : ctx_(ctx), spec_(spec), cluster_(ctx, spec.cluster), scheduler_(ctx, cluster_) {
  for (const WorkloadSpec& w : spec_.workloads) {
    const ArtifactSpec* artifact = nullptr;
    for (const ArtifactSpec& a : spec_.artifacts) {
      if (a.id == w.artifact_id) artifact = &a;
    }
    if (artifact == nullptr) {
      throw std::invalid_argument("workload " + w.id + " names unknown artifact " + w.artifact_id);
    }
    workloads_.emplace_back(ctx_, w, *artifact, scheduler_);
  }
}

Platform::~Platform() {
  for (engine::TimerId t : creations_) ctx_.sim.cancel(t);
}

void Platform::start() {
  for (std::size_t i = 0; i < workloads_.size(); ++i) {
    creations_.push_back(ctx_.sim.schedule_at(spec_.workloads[i].created_at, *this, i));
  }
}

void Platform::on_event(std::uint64_t token) { workloads_[token].create(); }

}  // namespace wlsim::models

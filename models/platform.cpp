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
  for (engine::TimerId t : timers_) ctx_.sim.cancel(t);
}

void Platform::start() {
  // Faults first: a fault and a creation at the same instant see the fault in force.
  for (std::size_t i = 0; i < spec_.faults.size(); ++i) {
    const FaultSpec& f = spec_.faults[i];
    timers_.push_back(ctx_.sim.schedule_at(f.at, *this, kOutageBegin | i));
    timers_.push_back(ctx_.sim.schedule_at(f.at + f.duration, *this, kOutageEnd | i));
  }
  for (std::size_t i = 0; i < workloads_.size(); ++i) {
    timers_.push_back(ctx_.sim.schedule_at(spec_.workloads[i].created_at, *this, kCreate | i));
  }
}

void Platform::on_event(std::uint64_t token) {
  const std::uint64_t kind = token & ~0xFFFFFFFFULL;
  const std::size_t index = token & 0xFFFFFFFFULL;
  if (kind == kCreate) {
    workloads_[index].create();
  } else if (kind == kOutageBegin) {
    ctx_.record("registry", "fault", "available", "outage", "RegistryOutage",
                "registry unreachable for " + engine::format_duration(spec_.faults[index].duration));
    cluster_.registry().begin_outage();
  } else {
    cluster_.registry().end_outage();
    ctx_.record("registry", "fault", "outage", "available", "RegistryRecovered", "");
  }
}

}  // namespace wlsim::models

#include "wlsim/models/workload.hpp"

namespace wlsim::models {

const char* to_string(Importance i) noexcept {
  switch (i) {
    case Importance::Low: return "low";
    case Importance::Moderate: return "moderate";
    case Importance::High: return "high";
    case Importance::Critical: return "critical";
  }
  return "?";
}

const char* to_string(ArtifactStatus s) noexcept { return s == ArtifactStatus::Locked ? "locked" : "draft"; }

Workload::Workload(const Context& ctx, const WorkloadSpec& spec, const ArtifactSpec& artifact,
                   Scheduler& scheduler)
    : ctx_(ctx), spec_(spec), artifact_(artifact), scheduler_(scheduler) {}

void Workload::create() {
  created_at_ = ctx_.now();
  Proton& p = protons_.emplace_back(ctx_, spec_.id + "/p1", artifact_, spec_.runtime, spec_.importance,
                                    ProtonRole::Active, scheduler_, *this);
  active_ = &p;
  p.start();
}

void Workload::on_proton_changed(Proton& p) {
  if (&p != active_) return;
  const Status next = p.status();
  if (next == status_) return;
  ctx_.record(spec_.id, "workload", status_ == Status::Unknown ? "" : to_string(status_), to_string(next));
  const engine::Time now = ctx_.now();
  if (status_ == Status::Errored) {
    errored_total_ += now - errored_since_;
    errored_since_ = engine::Time::never();
  }
  if (next == Status::Errored) {
    errored_since_ = now;
    ever_errored_ = true;
  }
  if (next == Status::Running && ever_errored_) errored_recovered_ = true;
  status_ = next;
  if (next == Status::Running && time_to_running_.is_never()) {
    time_to_running_ = now - created_at_;
    // The replica that became running last completed the proton.
    for (const Replica& r : p.replicas()) {
      if (first_running_replica_ == nullptr || r.running_since() > first_running_replica_->running_since()) {
        first_running_replica_ = &r;
      }
    }
  }
}

engine::Time Workload::errored_dwell(engine::Time now) const noexcept {
  return errored_total_ + (errored_since_.is_never() ? engine::Time::zero() : now - errored_since_);
}

}  // namespace wlsim::models

#include "wlsim/models/workload.hpp"

#include <algorithm>

#include "wlsim/models/fluid_traffic.hpp"
#include "wlsim/models/request_traffic.hpp"

namespace wlsim::models {

using engine::Time;

const char* to_string(Importance i) noexcept {
  switch (i) {
    case Importance::Low:
      return "low";
    case Importance::Moderate:
      return "moderate";
    case Importance::High:
      return "high";
    case Importance::Critical:
      return "critical";
  }
  return "?";
}

Workload::Workload(const Context& ctx, WorkloadSpec spec, Scheduler& scheduler,
                   const PlatformSettings& settings, const TrafficSpec* traffic)
    : ctx_(ctx),
      spec_(std::move(spec)),
      name_(spec_.id),
      scheduler_(scheduler),
      records_(ctx.keep_recent.workload_records),
      autoscaler_(std::make_unique<Autoscaler>(ctx, settings, *this)) {
  if (traffic != nullptr) {
    tracks_replicas_ = true;
    if (traffic->mode == TrafficMode::Fluid) {
      traffic_ =
          std::make_unique<FluidTraffic>(ctx, *traffic, settings.activator, autoscaler_.get());
    } else {
      traffic_ = std::make_unique<RequestTraffic>(ctx, *traffic, settings.activator, spec_.id,
                                                  autoscaler_.get());
    }
  }
}

void Workload::hold_traffic(Proton& p) {
  tracks_replicas_ = tracks_replicas_ || p.runtime().autoscaling.enabled;
  if (traffic_) traffic_->hold(p);
  autoscaler_->attach(p, traffic_.get());
  note_replicas();
}

void Workload::on_replica_readiness(Proton& p, Replica& r, bool ready) {
  if (traffic_) traffic_->on_replica_readiness(p, r, ready);
  if (&p == active_ && !stopped_ && !deleted_) {
    autoscaler_->on_load_changed();
    // A scale-down removes its replicas one by one: the counts are noted once, when it is done.
    if (!p.scaling()) note_replicas();
  } else if (&p == active_) {
    note_degraded();
  }
}

void Workload::on_autoscaled() { note_replicas(); }

void Workload::note_degraded() {
  bool degraded = false;
  if (active_ != nullptr && !stopped_ && !deleted_ && !time_to_running_.is_never()) {
    const int desired = autoscaler_->active() ? autoscaler_->desired() : active_->scale();
    degraded = active_->ready_count() < desired;
  }
  if (degraded) {
    degraded_.enter(ctx_.now());
  } else {
    degraded_.leave(ctx_.now());
  }
}

void Workload::note_replicas() {
  note_degraded();
  if (!tracks_replicas_ || active_ == nullptr) return;
  ReplicaCounts c{ctx_.now(), autoscaler_->active() ? autoscaler_->desired() : active_->scale(),
                  active_->scale(), active_->ready_count(),
                  !autoscaler_->active() ? ScaleMode::Fixed
                  : autoscaler_->panic() ? ScaleMode::Panic
                                         : ScaleMode::Stable};
  if (stopped_ || deleted_) c = ReplicaCounts{ctx_.now(), 0, 0, 0, ScaleMode::Fixed};
  // Compared with the copy kept here: most calls change nothing, and the timeline's end is
  // rarely in cache in a large fleet.
  if (!timeline_.empty() && last_counts_ == c) return;
  const ScaleMode from = timeline_.empty() ? c.mode : last_counts_.mode;
  std::string& message = ctx_.text_buffer;
  message = "desired ";
  message += std::to_string(c.desired);
  message += ", current ";
  message += std::to_string(c.current);
  message += ", ready ";
  message += std::to_string(c.ready);
  ctx_.record(spec_.id, TraceKind::Replicas, timeline_.empty() ? TraceState{} : TraceState{from},
              c.mode, Reason::None, message);
  timeline_.push_back(c);
  last_counts_ = c;
}

Proton& Workload::new_proton(const ArtifactSpec& artifact, const RuntimeSpec& runtime,
                             ProtonRole role) {
  Proton& p = protons_.emplace_back(ctx_, spec_.id + "/p" + std::to_string(protons_.size() + 1),
                                    artifact, runtime, spec_.importance, role, scheduler_, *this);
  // The breakdown of the time to running is chosen once, from the proton that ran first.
  if (!time_to_running_.is_never()) p.forget_milestones();
  return p;
}

void Workload::create(const ArtifactSpec& artifact) {
  created_at_ = ctx_.now();
  accounted_until_ = ctx_.now();
  start_active(artifact);
}

Replacement& Workload::start_replacement(ReplacementRequest request, const ArtifactSpec& artifact,
                                         Time deadline) {
  RuntimeSpec runtime = request.runtime.value_or(active_->runtime());
  // An autoscaled candidate starts at the size the active proton has now (SEMANTICS.md §7).
  if (runtime.autoscaling.enabled) runtime.replica_count = initial_scale(runtime, active_->scale());
  Proton& candidate = new_proton(artifact, runtime, ProtonRole::Candidate);
  Replacement& r =
      replacements_.emplace_back(ctx_, spec_.id + "/rep" + std::to_string(replacements_.size() + 1),
                                 std::move(request), *active_, candidate, deadline, *this);
  current_ = &r;
  if (ctx_.surge != nullptr) ctx_.surge->add(held_);
  r.observe_held(held_);
  r.begin();
  return r;
}

bool Workload::cancel_replacement() { return current_ != nullptr && current_->cancel(); }

std::optional<std::string> Workload::roll_back_replacement() {
  if (current_ == nullptr) return "no replacement in progress for workload " + spec_.id;
  return current_->roll_back();
}

void Workload::switch_back(Proton& kept) { give_traffic_to(kept); }

void Workload::switch_traffic(Proton& candidate) { give_traffic_to(candidate); }

void Workload::give_traffic_to(Proton& p) {
  Proton* previous = active_;
  active_ = &p;
  spec_.artifact_id = p.artifact().id;
  spec_.runtime = p.runtime();
  p.set_role(ProtonRole::Active);
  if (previous != nullptr) previous->set_role(ProtonRole::Retiring);
  hold_traffic(p);
  update();
}

void Workload::replacement_ended(Replacement& r) {
  if (current_ != &r) return;
  current_ = nullptr;
  if (ctx_.surge != nullptr) ctx_.surge->remove(held_);
}

void Workload::stop() {
  if (stopped_ || deleted_) return;
  if (current_ != nullptr) current_->abandon();
  set_status(Status::Stopping);
  stopped_ = true;  // before the teardown, whose status changes must not show through
  autoscaler_->detach();
  if (traffic_) traffic_->release();
  for (Proton& p : protons_) p.tear_down();
  note_replicas();
  set_status(Status::Stopped);
}

void Workload::start(const ArtifactSpec& artifact) {
  if (!stopped_ || deleted_) return;
  stopped_ = false;
  start_active(artifact);
  update();
}

void Workload::start_active(const ArtifactSpec& artifact) {
  RuntimeSpec runtime = spec_.runtime;
  runtime.replica_count = initial_scale(runtime, runtime.replica_count);
  active_ = &new_proton(artifact, runtime, ProtonRole::Active);
  active_->start();
  hold_traffic(*active_);
}

void Workload::remove() {
  if (deleted_) return;
  if (current_ != nullptr) current_->abandon();
  if (!stopped_) set_status(Status::Stopping);
  deleted_ = true;  // before the teardown, whose status changes must not show through
  autoscaler_->detach();
  if (traffic_) traffic_->release();
  for (Proton& p : protons_) p.tear_down();
  note_replicas();
  set_status(Status::Terminated);
}

void Workload::promote() {
  if (active_ != nullptr) active_->lock_artifact();
}

void Workload::on_proton_changed(Proton& p) {
  if (current_ != nullptr && &p == &current_->candidate()) current_->on_candidate_changed();
  if (&p == active_) update();
}

void Workload::update() {
  if (!stopped_ && !deleted_ && active_ != nullptr) set_status(active_->status());
  note_degraded();  // after the status: it may just have run for the first time
}

void Workload::set_status(Status next) {
  if (next == status_) return;
  records_.add(ctx_.record(spec_.id, TraceKind::Workload, status_, next));
  const Time now = ctx_.now();
  if (next == Status::Errored) {
    errored_.enter(now);
    ever_errored_ = true;
  } else {
    errored_.leave(now);
  }
  if (next == Status::Running && ever_errored_) errored_recovered_ = true;
  status_ = next;
  if (next == Status::Running && time_to_running_.is_never()) {
    time_to_running_ = now - created_at_;
    // The replica that became running last completed the proton. No other breakdown will be
    // asked of this workload's protons: they stop keeping their folded replicas' milestones.
    if (const std::optional<std::size_t> r = active_->choose_breakdown_replica()) {
      first_running_proton_ = active_;
      first_running_replica_ = *r;
    }
    for (Proton& p : protons_) {
      if (&p != active_) p.forget_milestones();
    }
  }
}

Time Workload::errored_dwell(Time now) const noexcept { return errored_.total(now); }

ResourceSeconds Workload::integrated(ResourceSeconds r, Time now) const noexcept {
  const double dt = (now - accounted_until_).seconds();
  r.replica += replicas_bound_ * dt;
  r.cpu += static_cast<double>(held_.cpu_milli) / 1000.0 * dt;
  r.memory_gb += static_cast<double>(held_.memory_bytes) / 1e9 * dt;
  r.gpu += static_cast<double>(held_.gpu) * dt;
  return r;
}

void Workload::on_resources_changed(const Resources& delta, int pods) {
  resource_seconds_ = integrated(resource_seconds_, ctx_.now());
  accounted_until_ = ctx_.now();
  held_ += delta;
  replicas_bound_ += pods;
  peak_held_.cpu_milli = std::max(peak_held_.cpu_milli, held_.cpu_milli);
  peak_held_.memory_bytes = std::max(peak_held_.memory_bytes, held_.memory_bytes);
  peak_held_.gpu = std::max(peak_held_.gpu, held_.gpu);
  if (current_ == nullptr) return;
  current_->observe_held(held_);
  if (ctx_.surge != nullptr) ctx_.surge->add(delta);
}

ResourceSeconds Workload::resource_seconds(Time now) const noexcept {
  return integrated(resource_seconds_, now);
}

}  // namespace wlsim::models

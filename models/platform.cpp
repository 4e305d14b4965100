#include "wlsim/models/platform.hpp"

#include <stdexcept>

#include "wlsim/models/api_json.hpp"

namespace wlsim::models {

Platform::Platform(const Context& ctx, const PlatformSpec& spec)
    : ctx_(ctx),
      spec_(spec),
      cluster_(ctx, spec.cluster),
      scheduler_(ctx, cluster_),
      artifacts_(spec.artifacts) {
  for (const NodePoolSpec& pool : spec.cluster.node_pools) {
    if (pool.autoscaled()) {
      cluster_autoscaler_.emplace(ctx, spec.settings.cluster_autoscaler, cluster_, scheduler_);
      break;
    }
  }
  for (const TrafficSpec& t : spec_.traffic) traffic_index_.emplace(t.workload, &t);
  for (const WorkloadSpec& w : spec_.workloads) {
    if (artifacts_.find(w.artifact_id) == nullptr) {
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
  // Traffic goes to the workloads of the scenario's own list; one created by an API call gets none.
  const TrafficSpec* traffic = nullptr;
  if (workloads_.size() < spec_.workloads.size()) {
    if (const auto it = traffic_index_.find(spec.id); it != traffic_index_.end())
      traffic = it->second;
  }
  return workloads_.emplace_back(ctx_, spec, scheduler_, spec_.settings, traffic);
}

const ArtifactSpec* Platform::artifact(const std::string& id) const { return artifacts_.find(id); }

Workload* Platform::find_workload(const std::string& id) {
  const auto it = workload_index_.find(id);
  if (it == workload_index_.end() || workloads_[it->second].deleted()) return nullptr;
  return &workloads_[it->second];
}

void Platform::start() {
  timers_.reserve(2 * spec_.faults.size() + spec_.workloads.size() + spec_.actions.size());
  // Faults first: a fault and a creation at the same instant see the fault in force.
  for (std::size_t i = 0; i < spec_.faults.size(); ++i) {
    const FaultSpec& f = spec_.faults[i];
    const bool node = f.kind == FaultSpec::Kind::NodeFailure;
    timers_.push_back(ctx_.sim.schedule_at(f.at, *this, (node ? kNodeFailure : kOutageBegin) | i));
    if (!f.duration.is_never()) {
      timers_.push_back(
          ctx_.sim.schedule_at(f.at + f.duration, *this, (node ? kNodeRecovery : kOutageEnd) | i));
    }
  }
  for (std::size_t i = 0; i < spec_.workloads.size(); ++i) {
    timers_.push_back(ctx_.sim.schedule_at(spec_.workloads[i].created_at, *this, kCreate | i));
  }
  for (std::size_t i = 0; i < spec_.actions.size(); ++i) {
    timers_.push_back(ctx_.sim.schedule_at(spec_.actions[i].at, *this, kAction | i));
  }
  // Last: at a scan's instant, the scenario's own events come first.
  if (cluster_autoscaler_) cluster_autoscaler_->start();
}

void Platform::on_event(std::uint64_t token) {
  const std::uint64_t kind = token & ~0xFFFFFFFFULL;
  const std::size_t index = token & 0xFFFFFFFFULL;
  if (kind == kCreate) {
    workloads_[index].create(*artifacts_.find(spec_.workloads[index].artifact_id));
  } else if (kind == kOutageBegin) {
    ctx_.record(
        "registry", TraceKind::Fault, RegistryState::Available, RegistryState::Outage,
        Reason::RegistryOutage,
        "registry unreachable for " + engine::format_duration(spec_.faults[index].duration));
    cluster_.registry().begin_outage();
  } else if (kind == kOutageEnd) {
    cluster_.registry().end_outage();
    ctx_.record("registry", TraceKind::Fault, RegistryState::Outage, RegistryState::Available,
                Reason::RegistryRecovered);
  } else if (kind == kNodeFailure) {
    fail_nodes(index);
  } else if (kind == kNodeRecovery) {
    recover_nodes(index);
  } else if (kind == kNodeEviction) {
    evict_lost_pods(index);
  } else {
    (void)answer(spec_.actions[index].call);
  }
}

api::Response Platform::call(const api::Call& c) { return answer(c); }

const api::Response& Platform::answer(const api::Call& c) {
  api::Response r = api::response(handle(c.request));
  ctx_.api_call(c.endpoint, r.status, r.body);
  calls_.push_back({ctx_.now(), c.endpoint, std::move(r)});
  return calls_.back().response;
}

}  // namespace wlsim::models

#include "wlsim/models/status.hpp"

namespace wlsim::models {

std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::Unknown:
      return "unknown";
    case Status::Submitted:
      return "submitted";
    case Status::Provisioning:
      return "provisioning";
    case Status::Initializing:
      return "initializing";
    case Status::Launching:
      return "launching";
    case Status::Warming:
      return "warming";
    case Status::Running:
      return "running";
    case Status::Draining:
      return "draining";
    case Status::Restarting:
      return "restarting";
    case Status::Errored:
      return "errored";
    case Status::Stopping:
      return "stopping";
    case Status::Stopped:
      return "stopped";
    case Status::Suspended:
      return "suspended";
    case Status::Interrupted:
      return "interrupted";
    case Status::Terminated:
      return "terminated";
  }
  return "unknown";
}

int severity(Status s) noexcept {
  switch (s) {
    case Status::Running:
      return 0;
    case Status::Launching:
      return 1;
    case Status::Provisioning:
      return 2;
    case Status::Submitted:
      return 3;
    case Status::Errored:
      return 4;
    default:
      return 1;  // proton- and workload-only states do not occur among replicas
  }
}

Status replica_status(PodStage stage, std::span<const ContainerCondition> containers) noexcept {
  switch (stage) {
    case PodStage::Unscheduled:
      return Status::Submitted;
    case PodStage::SettingUp:
      return Status::Provisioning;
    case PodStage::Failed:
      return Status::Errored;
    case PodStage::ContainersStarted:
      break;
  }
  Status worst = Status::Running;
  for (const ContainerCondition c : containers) {
    if (c == ContainerCondition::Errored) return Status::Errored;
    if (c == ContainerCondition::Launching) worst = Status::Launching;
  }
  return worst;
}

Status worst_of(std::span<const Status> replicas) noexcept {
  Status worst = Status::Running;
  for (const Status s : replicas) {
    if (severity(s) > severity(worst)) worst = s;
  }
  return worst;
}

Status sticky(Status previous, Status computed) noexcept {
  if (previous == Status::Errored && computed != Status::Running) return Status::Errored;
  return computed;
}

}  // namespace wlsim::models

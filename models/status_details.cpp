#include "wlsim/models/status_details.hpp"

namespace wlsim::models {

// Pod conditions as the kubelet reports them, derived from the replica's state.
std::vector<PodCondition> pod_conditions(const Replica& r) {
  std::vector<PodCondition> out;
  out.push_back(r.node() != nullptr
                    ? PodCondition{"PodScheduled", true, "", ""}
                    : PodCondition{"PodScheduled", false,
                                   r.unschedulable_message().empty() ? "" : "Unschedulable",
                                   std::string(r.unschedulable_message())});
  out.push_back({"Initialized", !r.set_up_at().is_never(), "", ""});
  std::string unready;
  for (const Container& c : r.containers()) {
    if (!c.ready()) unready += (unready.empty() ? "" : " ") + c.spec().name;
  }
  const bool ready = unready.empty() && !r.containers().empty() && !r.set_up_at().is_never();
  const std::string why = ready ? "" : "ContainersNotReady";
  const std::string msg = ready ? "" : "containers with unready status: [" + unready + "]";
  out.push_back({"ContainersReady", ready, why, msg});
  // The node controller marks the pods of a NotReady node not ready.
  if (r.node_lost()) {
    out.push_back({"Ready", false, "NodeNotReady", "Node is not ready"});
  } else {
    out.push_back({"Ready", ready, ready ? "" : "ContainersNotReady", msg});
  }
  if (!r.disruption_reason().empty())
    out.push_back({"DisruptionTarget", true, std::string(r.disruption_reason()),
                   std::string(r.disruption_message())});
  return out;
}

namespace {

std::string last_segment(const std::string& path) { return path.substr(path.rfind('/') + 1); }

ContainerDetails container_details(const Container& c) {
  ContainerDetails d{c.spec().name, c.spec().primary,        c.spec().image_uri,
                     c.state(),     std::string(c.reason()), c.message(),
                     c.ready(),     c.restart_count(),       std::nullopt};
  if (c.last_exit_code())
    d.last_state = LastTermination{std::string(c.last_termination_reason()), *c.last_exit_code()};
  return d;
}

ReplicaDetails replica_details(const Replica& r) {
  ReplicaDetails d{last_segment(r.path()), r.status(), r.phase(), std::nullopt,
                   pod_conditions(r),      {},         {}};
  if (r.node() != nullptr) d.node = r.node()->name();
  for (const Container& c : r.containers()) d.containers.push_back(container_details(c));
  r.recent_events().for_each([&d](const engine::KeptRecord& e) {
    d.messages.push_back({e.time(), std::string(e.to_name()), std::string(e.reason_name()),
                          std::string(e.object()), std::string(e.message())});
  });
  return d;
}

}  // namespace

bool shown_in_status(const Proton& p, const Replica& r) noexcept {
  // A deleted pod is listed while it terminates (it still holds its node), as kubectl lists it.
  return p.torn_down() || r.status() != Status::Terminated || r.terminating();
}

ProtonDetails status_details(const Proton& p) {
  ProtonDetails d{p.id(), p.role(), p.status(), p.artifact().id, {}};
  p.for_each_replica([&](const Replica& r) {
    if (shown_in_status(p, r)) d.replicas.push_back(replica_details(r));
  });
  return d;
}

}  // namespace wlsim::models

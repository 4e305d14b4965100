#pragma once
// A proton's status details as the platform's GET .../protons/{id}/statusDetails returns them:
// replicas (status, pod phase, node, conditions, last messages) → containers (state, reason,
// message, ready, restartCount, last termination). Pod conditions are derived here from the
// replica's state. Typed values; models/api_json.cpp writes them as JSON.

#include <optional>
#include <string>
#include <vector>

#include "wlsim/models/proton.hpp"

namespace wlsim::models {

/// A pod condition (PodScheduled, Initialized, ContainersReady, Ready).
struct PodCondition {
  std::string type;
  bool status;
  std::string reason;
  std::string message;
};

[[nodiscard]] std::vector<PodCondition> pod_conditions(const Replica& r);

/// Whether a status snapshot of `p` shows `r`: a live proton shows the replicas it has (one scaled
/// down is gone once it has terminated, as in Kubernetes); a torn-down one shows its last replicas,
/// terminated.
[[nodiscard]] bool shown_in_status(const Proton& p, const Replica& r) noexcept;

/// The last termination of a container (its `lastState.terminated`).
struct LastTermination {
  std::string reason;
  int exit_code = 0;
};

struct ContainerDetails {
  std::string name;
  bool primary = false;
  std::string image;
  ContainerState state = ContainerState::Waiting;
  std::string reason;
  std::string message;
  bool ready = false;
  int restart_count = 0;
  std::optional<LastTermination> last_state;
};

/// One of a pod's recent events, as the kubelet lists them.
struct PodMessage {
  engine::Time time;
  std::string type;
  std::string reason;
  std::string object;
  std::string message;
};

struct ReplicaDetails {
  std::string name;
  Status status = Status::Unknown;
  PodPhase phase = PodPhase::Pending;
  std::optional<std::string> node;  ///< none while unscheduled
  std::vector<PodCondition> conditions;
  std::vector<ContainerDetails> containers;
  std::vector<PodMessage> messages;
};

struct ProtonDetails {
  std::string id;
  ProtonRole role = ProtonRole::Active;
  Status status = Status::Unknown;
  std::string artifact_id;
  std::vector<ReplicaDetails> replicas;
};

[[nodiscard]] ProtonDetails status_details(const Proton& p);

}  // namespace wlsim::models

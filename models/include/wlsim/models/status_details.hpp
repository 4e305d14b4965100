#pragma once
// A proton's status details as the platform's GET .../protons/{id}/statusDetails returns them:
// replicas (status, pod phase, node, conditions, last messages) → containers (state, reason, message,
// ready, restartCount, last termination). Pod conditions are derived here from the replica's state.

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

/// {"id", "role", "status", "artifactId", "replicas": [...]} for one proton.
[[nodiscard]] std::string status_details_json(const Proton& p);

}  // namespace wlsim::models

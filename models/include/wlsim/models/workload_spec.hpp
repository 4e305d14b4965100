#pragma once
// A workload as created: identity, artifact, importance and runtime (SEMANTICS.md §1).

#include <map>
#include <string>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/autoscaling_spec.hpp"
#include "wlsim/models/resources.hpp"

namespace wlsim::models {

/// Importance maps to scheduling priority: Low < Moderate < High < Critical.
enum class Importance { Low = 0, Moderate = 1, High = 2, Critical = 3 };

struct RuntimeSpec {
  int replica_count = 1;
  /// Per-container resourceAllocation overrides by container name
  /// (runtime.containerGroups[].containers[]).
  std::map<std::string, Resources> resource_overrides;
  /// When enabled, the autoscaler sets the count from the policies and replica_count is where a
  /// new proton starts.
  AutoscalingSpec autoscaling;
  /// The resource bundle the group selects (cluster.resourceBundles), or "" for none.
  std::string bundle;
};

struct WorkloadSpec {
  std::string id;
  std::string artifact_id;
  Importance importance = Importance::Low;
  RuntimeSpec runtime;
  engine::Time created_at;
};

[[nodiscard]] const char* to_string(Importance i) noexcept;

}  // namespace wlsim::models

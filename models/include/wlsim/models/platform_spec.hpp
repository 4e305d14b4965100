#pragma once
// Everything the platform model needs to start a run: immutable once loaded, shared across runs.

#include <vector>

#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

/// A fault of the scenario's `faults`: for now a registry outage from `at` for `duration`, during
/// which every pull fails.
struct FaultSpec {
  engine::Time at;
  engine::Time duration;
};

struct PlatformSpec {
  ClusterSpec cluster;
  std::vector<ArtifactSpec> artifacts;
  std::vector<WorkloadSpec> workloads;
  std::vector<FaultSpec> faults;
};

}  // namespace wlsim::models

#pragma once
// Everything the platform model needs to start a run: immutable once loaded, shared across runs.

#include <vector>

#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

struct PlatformSpec {
  ClusterSpec cluster;
  std::vector<ArtifactSpec> artifacts;
  std::vector<WorkloadSpec> workloads;
};

}  // namespace wlsim::models

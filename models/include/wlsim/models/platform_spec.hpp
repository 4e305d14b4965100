#pragma once
// Everything the platform model needs to start a run: immutable once loaded, shared across runs.

#include <vector>

#include "wlsim/models/api.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/backoff.hpp"
#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/hpa.hpp"
#include "wlsim/models/kpa.hpp"
#include "wlsim/models/traffic_spec.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

/// A fault of the scenario's `faults`: for now a registry outage from `at` for `duration`, during
/// which every pull fails.
struct FaultSpec {
  engine::Time at;
  engine::Time duration;
};

/// An API call the scenario makes at a simulated time (its `actions`).
struct ActionSpec {
  engine::Time at;
  api::Call call;
};

/// Where requests wait while no replica is ready (SEMANTICS.md §8).
struct ActivatorParams {
  int capacity = 10000;  ///< requests held at once; one more is dropped
  /// A request that has waited this long without being served is dropped.
  engine::Time request_timeout = engine::Time::from_seconds(300);
};

/// Platform behaviour the documents do not publish, as scenario parameters.
struct PlatformSettings {
  KubeletParams kubelet;
  HpaParams hpa;
  KpaParams kpa;
  ActivatorParams activator;
  /// A replacement whose candidate is not running within this long ends `errored` (never: no
  /// limit).
  engine::Time replacement_deadline = engine::Time::never();
};

struct PlatformSpec {
  ClusterSpec cluster;
  std::vector<ArtifactSpec> artifacts;
  std::vector<WorkloadSpec> workloads;
  std::vector<FaultSpec> faults;
  std::vector<ActionSpec> actions;
  std::vector<TrafficSpec> traffic;  ///< at most one entry per workload
  PlatformSettings settings;
};

}  // namespace wlsim::models

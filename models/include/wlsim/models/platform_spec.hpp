#pragma once
// Everything the platform model needs to start a run: immutable once loaded, shared across runs.

#include <string>
#include <vector>

#include "wlsim/models/api.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/kubelet_params.hpp"
#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/hpa.hpp"
#include "wlsim/models/kpa.hpp"
#include "wlsim/models/traffic_spec.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

/// A fault of the scenario's `faults`: a registry outage (every pull fails) or a node failure
/// (SEMANTICS.md §5), from `at` for `duration` (never: a node failure that does not end).
struct FaultSpec {
  enum class Kind { RegistryOutage, NodeFailure };
  Kind kind = Kind::RegistryOutage;
  engine::Time at;
  engine::Time duration = engine::Time::never();
  // A node failure: the node named `node`, or else `count` nodes of pool `pool` (its first `count`
  // Ready nodes in the cluster's order at `at`).
  std::string node;
  std::string pool;
  int count = 1;
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
  /// Pods on a NotReady node are deleted (and recreated elsewhere) this long after the node failed
  /// (Kubernetes' default not-ready toleration, §5).
  engine::Time pod_eviction_timeout = engine::Time::from_seconds(300);
  ClusterAutoscalerParams cluster_autoscaler;
  /// A replacement whose candidate is not running within this long ends `errored` (never: no
  /// limit).
  engine::Time replacement_deadline = engine::Time::never();
  /// Not a platform rule but the simulator's own shortcut: KPA ticks and failing probe fires
  /// foreseen to change nothing pass silently and are taken later, bit for bit (autoscaler.hpp,
  /// Foresight; probe.hpp). Off only to show that it changes nothing; no scenario field sets it.
  bool pass_silently = true;
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

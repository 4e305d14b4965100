#pragma once
// The cluster a scenario runs on: node pools (that may grow and shrink), resource bundles and the
// image registry.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/engine/time.hpp"
#include "wlsim/models/resources.hpp"

namespace wlsim::models {

struct NodePoolSpec {
  std::string name;
  int count = 1;  ///< nodes at the start
  Resources allocatable;
  std::vector<std::string>
      cached_images;  ///< images already on every node of the pool at the start
  /// The cluster autoscaler keeps the pool within [min(), max()] (SEMANTICS.md §5); unset, both
  /// are `count` and the pool never changes.
  std::optional<int> min_count;
  std::optional<int> max_count;
  /// How long a node the autoscaler adds takes to be Ready (µs).
  engine::Distribution provisioning_delay;

  [[nodiscard]] int min() const noexcept { return min_count.value_or(count); }
  [[nodiscard]] int max() const noexcept { return max_count.value_or(count); }
  [[nodiscard]] bool autoscaled() const noexcept { return min() != count || max() != count; }
};

/// A resource bundle (§5): offered by one node pool; a container group that selects it is placed
/// only there, and its containers without a resourceAllocation get the bundle's resources.
struct ResourceBundleSpec {
  std::string id;
  std::size_t pool = 0;  ///< index into ClusterSpec::node_pools
  Resources resources;
};

struct RegistrySpec {
  engine::Time latency;  ///< per pull, before bytes flow (and the whole of a digest check)
  std::int64_t bandwidth_bytes_per_s = 0;  ///< shared by concurrent pulls; 0 = unlimited
};

struct ClusterSpec {
  std::vector<NodePoolSpec> node_pools;
  std::vector<ResourceBundleSpec> bundles;
  RegistrySpec registry;
  /// A pod's own set-up on its node after binding (bundle, volumes, secrets): `provisioning`.
  engine::Time pod_setup;

  [[nodiscard]] const ResourceBundleSpec* bundle(const std::string& id) const noexcept {
    for (const ResourceBundleSpec& b : bundles) {
      if (b.id == id) return &b;
    }
    return nullptr;
  }
};

/// The cluster autoscaler's numbers (§5, §9; kubernetes/autoscaler's defaults).
struct ClusterAutoscalerParams {
  engine::Time scan_interval = engine::Time::from_seconds(10);
  /// A node below this share of its allocatable (cpu and memory requested) is a scale-down
  /// candidate.
  double scale_down_utilization_threshold = 0.5;
  /// How long a node must stay unneeded before it is removed.
  engine::Time scale_down_unneeded_time = engine::Time::from_seconds(600);
  /// No scale-down within this long of a scale-up.
  engine::Time scale_down_delay_after_add = engine::Time::from_seconds(600);
};

}  // namespace wlsim::models

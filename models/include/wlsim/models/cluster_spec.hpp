#pragma once
// The cluster a scenario runs on: node pools and the image registry.

#include <cstdint>
#include <string>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/resources.hpp"

namespace wlsim::models {

struct NodePoolSpec {
  std::string name;
  int count = 1;
  Resources allocatable;
  std::vector<std::string>
      cached_images;  ///< images already on every node of the pool at the start
};

struct RegistrySpec {
  engine::Time latency;  ///< per pull, before bytes flow (and the whole of a digest check)
  std::int64_t bandwidth_bytes_per_s = 0;  ///< shared by concurrent pulls; 0 = unlimited
};

struct ClusterSpec {
  std::vector<NodePoolSpec> node_pools;
  RegistrySpec registry;
  /// A pod's own set-up on its node after binding (bundle, volumes, secrets): `provisioning`.
  engine::Time pod_setup;
};

}  // namespace wlsim::models

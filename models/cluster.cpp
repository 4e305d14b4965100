#include "wlsim/models/cluster.hpp"

namespace wlsim::models {

Cluster::Cluster(const Context& ctx, const ClusterSpec& spec) : registry_(ctx, spec.registry) {
  for (const NodePoolSpec& pool : spec.node_pools) {
    for (int i = 0; i < pool.count; ++i) {
      Node& n = nodes_.emplace_back(ctx, pool.name + "-" + std::to_string(i), pool.allocatable,
                                    spec.pod_setup, registry_);
      for (const std::string& image : pool.cached_images) n.add_cached_image(image);
    }
  }
}

}  // namespace wlsim::models

#include "wlsim/models/cluster.hpp"

namespace wlsim::models {

Cluster::Cluster(const Context& ctx, const ClusterSpec& spec)
    : ctx_(ctx), spec_(spec), registry_(ctx, spec.registry) {
  for (std::size_t p = 0; p < spec.node_pools.size(); ++p) {
    const NodePoolSpec& pool = spec.node_pools[p];
    for (int i = 0; i < pool.count; ++i) {
      Node& n = nodes_.emplace_back(ctx, pool.name + "-" + std::to_string(i), pool.allocatable,
                                    spec.pod_setup, registry_, p);
      for (const std::string& image : pool.cached_images) n.add_cached_image(image);
    }
    node_counts_.push_back({engine::Time::zero(), p, pool.count});
  }
}

}  // namespace wlsim::models

#include "wlsim/models/cluster.hpp"

#include <algorithm>
#include <stdexcept>

namespace wlsim::models {

Cluster::Cluster(const Context& ctx, const ClusterSpec& spec)
    : ctx_(ctx), spec_(spec), registry_(ctx, spec.registry), pools_(spec.node_pools.size()) {
  for (std::size_t p = 0; p < spec.node_pools.size(); ++p) {
    const NodePoolSpec& pool = spec.node_pools[p];
    for (int i = 0; i < pool.count; ++i) {
      pools_[p].members.push_back(nodes_.size());
      Node& n = nodes_.emplace_back(ctx, pool.name + "-" + std::to_string(i), pool.allocatable,
                                    spec.pod_setup, registry_, p);
      for (const std::string& image : pool.cached_images) n.add_cached_image(image);
    }
    pools_[p].ever = pool.count;
    node_counts_.push_back({engine::Time::zero(), p, pool.count});
  }
}

void Cluster::close_cost(std::size_t pool) {
  Pool& p = pools_[pool];
  const engine::Time now = ctx_.now();
  p.closed_node_us += static_cast<std::int64_t>(p.members.size()) * (now - p.since).us();
  p.since = now;
}

Node& Cluster::add_node(std::size_t pool) {
  const NodePoolSpec& spec = spec_.node_pools.at(pool);
  close_cost(pool);
  Pool& p = pools_[pool];
  p.members.push_back(nodes_.size());
  // No cached images: a new node pays for every pull.
  Node& n = nodes_.emplace_back(ctx_, spec.name + "-" + std::to_string(p.ever++), spec.allocatable,
                                spec_.pod_setup, registry_, pool);
  node_counts_.push_back({ctx_.now(), pool, pool_size(pool)});
  return n;
}

void Cluster::delete_node(Node& node) {
  if (node.deleted()) throw std::logic_error("node " + node.name() + " is already deleted");
  if (!node.pods().empty()) throw std::logic_error("node " + node.name() + " still has pods");
  close_cost(node.pool());
  std::vector<std::size_t>& members = pools_[node.pool()].members;
  std::erase_if(members, [&](std::size_t i) { return &nodes_[i] == &node; });
  node.mark_deleted();
  node_counts_.push_back({ctx_.now(), node.pool(), pool_size(node.pool())});
}

double Cluster::node_seconds(std::size_t pool, engine::Time now) const {
  const Pool& p = pools_.at(pool);
  const std::int64_t open = static_cast<std::int64_t>(p.members.size()) * (now - p.since).us();
  return static_cast<double>(p.closed_node_us + open) / 1e6;
}

}  // namespace wlsim::models

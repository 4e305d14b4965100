#pragma once
// The cluster: the registry and the nodes of every pool, in a stable order (the nodes at the start
// in pool order, then index; nodes added later after them, in the order they were added).

#include <deque>
#include <vector>

#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/node.hpp"
#include "wlsim/models/registry.hpp"

namespace wlsim::models {

class Cluster {
 public:
  Cluster(const Context& ctx, const ClusterSpec& spec);
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  [[nodiscard]] std::deque<Node>& nodes() noexcept { return nodes_; }
  [[nodiscard]] const std::deque<Node>& nodes() const noexcept { return nodes_; }
  [[nodiscard]] Registry& registry() noexcept { return registry_; }
  [[nodiscard]] const ClusterSpec& spec() const noexcept { return spec_; }

  /// Adds a Ready node to pool `pool` (a scale-up), named after its pool and the pool's count of
  /// nodes ever made ("cpu-4"), with an empty image cache. The caller registers it with the
  /// scheduler.
  Node& add_node(std::size_t pool);
  /// Removes an empty node (a scale-down): it is marked deleted and stops costing.
  void delete_node(Node& node);
  /// Node-seconds of pool `pool` up to `now`, from each node's creation to its deletion: the
  /// cost of the cluster.
  [[nodiscard]] double node_seconds(std::size_t pool, engine::Time now) const;
  /// The number of nodes (not deleted) of each pool over time: one point per change, the first at
  /// time zero.
  struct NodeCountPoint {
    engine::Time at;
    std::size_t pool;
    int nodes;
  };
  [[nodiscard]] const std::vector<NodeCountPoint>& node_counts() const noexcept {
    return node_counts_;
  }

 private:
  const Context& ctx_;
  const ClusterSpec& spec_;
  Registry registry_;
  std::deque<Node> nodes_;  // a deque: nodes never move, pods keep references to them
  std::vector<NodeCountPoint> node_counts_;
};

}  // namespace wlsim::models

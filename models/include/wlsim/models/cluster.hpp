#pragma once
// The cluster: the registry and the nodes of every pool, in a stable order (the nodes at the start
// in pool order, then index; nodes added later after them, in the order they were added).

#include <cstdint>
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
  /// Removes an empty node (a scale-down): it is marked deleted and stops costing. Throws
  /// std::logic_error for a node that still has pods or is already deleted.
  void delete_node(Node& node);
  /// The nodes of pool `pool` that are not deleted.
  [[nodiscard]] int pool_size(std::size_t pool) const {
    return static_cast<int>(pools_.at(pool).members.size());
  }
  /// The positions in nodes() of the nodes of pool `pool` that are not deleted, in cluster order.
  [[nodiscard]] const std::vector<std::size_t>& pool_nodes(std::size_t pool) const {
    return pools_.at(pool).members;
  }
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
  /// What the cluster keeps per pool: its live nodes, and the node-time they have cost.
  struct Pool {
    int ever = 0;                      // nodes ever made: the next node's number
    std::vector<std::size_t> members;  // positions of its live nodes, in cluster order
    std::int64_t closed_node_us = 0;   // node-µs up to `since`
    engine::Time since;
  };
  /// Pool `pool` is about to gain or lose a node now: its cost so far is closed.
  void close_cost(std::size_t pool);

  const Context& ctx_;
  const ClusterSpec& spec_;
  Registry registry_;
  std::deque<Node> nodes_;  // a deque: nodes never move, pods keep references to them
  std::vector<Pool> pools_;
  std::vector<NodeCountPoint> node_counts_;
};

}  // namespace wlsim::models

#pragma once
// The cluster: the registry and the nodes of every pool, in a stable order (pool order, then
// index).

#include <deque>

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

 private:
  Registry registry_;
  std::deque<Node> nodes_;  // a deque: nodes never move, pods keep references to them
};

}  // namespace wlsim::models

// Node failures, a scenario fault (SEMANTICS.md §5): the node goes NotReady at once and its pods
// stop being ready; after the pod eviction timeout they are deleted and recreated as new pending
// pods; a node that comes back returns empty, with an empty image cache.

#include <vector>

#include "wlsim/models/platform.hpp"

namespace wlsim::models {

void Platform::fail_nodes(std::size_t fault) {
  const FaultSpec& f = spec_.faults[fault];
  std::vector<Node*> failing;
  for (Node& n : cluster_.nodes()) {
    if (n.deleted() || !n.ready()) continue;
    const bool chosen = f.node.empty() ? spec_.cluster.node_pools[n.pool()].name == f.pool &&
                                             static_cast<int>(failing.size()) < f.count
                                       : n.name() == f.node;
    if (chosen) failing.push_back(&n);
  }
  const std::string how_long = f.duration.is_never() ? "for the rest of the run"
                                                     : "for " + engine::format_duration(f.duration);
  for (Node* n : failing) {
    ctx_.record(
        n->name(), TraceKind::Node, NodeState::Ready, NodeState::NotReady, Reason::NodeNotReady,
        "Node " + n->name() + " status is now: NodeNotReady (node failure " + how_long + ")");
    n->set_ready(false);
    for (Schedulable* pod : n->pod_list()) pod->on_node_lost();
    const std::size_t outage = node_outages_.size();
    node_outages_.push_back({n, fault});
    timers_.push_back(
        ctx_.sim.schedule_in(spec_.settings.pod_eviction_timeout, *this, kNodeEviction | outage));
  }
}

void Platform::evict_lost_pods(std::size_t outage) {
  const NodeOutage& o = node_outages_[outage];
  if (o.over) return;
  o.node->evict_pods(EvictionCause::NodeFailure,
                     "Taint manager: deleting pod of NotReady node " + o.node->name() +
                         " after the pod eviction timeout (" +
                         engine::format_duration(spec_.settings.pod_eviction_timeout) + ")");
}

void Platform::recover_nodes(std::size_t fault) {
  for (NodeOutage& o : node_outages_) {
    if (o.fault != fault || o.over) continue;
    o.over = true;
    Node& n = *o.node;
    // It comes back empty: whatever still ran there is gone, and so is its image cache.
    n.evict_pods(EvictionCause::NodeFailure,
                 "Node " + n.name() + " came back empty after a failure");
    n.clear_cache();
    n.set_ready(true);
    scheduler_.capacity_changed();  // pending pods may fit there now
    ctx_.record(n.name(), TraceKind::Node, NodeState::NotReady, NodeState::Ready, Reason::NodeReady,
                "Node " + n.name() + " status is now: NodeReady");
  }
}

}  // namespace wlsim::models

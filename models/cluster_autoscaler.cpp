#include "wlsim/models/cluster_autoscaler.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "wlsim/engine/distribution.hpp"

namespace wlsim::models {

namespace {

constexpr std::uint64_t kScan = 0;  // a node's Ready is 1 + the number of its request

bool may_run_on(const Schedulable& pod, std::size_t pool) {
  return pod.required_pool() == kAnyPool || pod.required_pool() == pool;
}

double share(std::int64_t part, std::int64_t total) {
  return total > 0 ? static_cast<double>(part) / static_cast<double>(total) : 0.0;
}

/// Room on nodes that do not exist yet (being provisioned, or about to be asked for), filled
/// first-fit in the order the nodes were asked for.
struct Bin {
  std::size_t pool;
  Resources room;
  std::vector<const Schedulable*>* planned;
};

/// The first bin that can take `pod`, or none.
Bin* first_fit(std::vector<Bin>& bins, const Schedulable& pod, const Resources& request) {
  for (Bin& b : bins) {
    if (may_run_on(pod, b.pool) && request.fits_in(b.room)) return &b;
  }
  return nullptr;
}

}  // namespace

ClusterAutoscaler::ClusterAutoscaler(const Context& ctx, const ClusterAutoscalerParams& params,
                                     Cluster& cluster, Scheduler& scheduler)
    : ctx_(ctx), params_(params), cluster_(cluster), scheduler_(scheduler) {
  const std::vector<NodePoolSpec>& pools = cluster_.spec().node_pools;
  provisioning_rng_.reserve(pools.size());
  for (const NodePoolSpec& p : pools)
    provisioning_rng_.push_back(ctx_.stream("pool/" + p.name, "provisioning"));
  upcoming_per_pool_.assign(pools.size(), 0);
  draining_per_pool_.assign(pools.size(), 0);
}

ClusterAutoscaler::~ClusterAutoscaler() {
  ctx_.sim.cancel(scan_timer_);
  for (const auto& [id, u] : upcoming_) ctx_.sim.cancel(u.ready);
}

void ClusterAutoscaler::start() {
  scan_timer_ = ctx_.sim.schedule_in(params_.scan_interval, *this, kScan);
}

void ClusterAutoscaler::on_event(std::uint64_t token) {
  if (token == kScan) {
    scan();
    scan_timer_ = ctx_.sim.schedule_in(params_.scan_interval, *this, kScan);
  } else {
    node_ready(token - 1);
  }
}

int ClusterAutoscaler::target_size(std::size_t pool) const {
  return cluster_.pool_size(pool) + upcoming_per_pool_[pool];
}

void ClusterAutoscaler::scan() {
  finish_drains();
  const int before = scale_ups_;
  Room taken = scale_up();
  // As the cluster autoscaler's loop does: a scan that asked for nodes considers no removal.
  if (scale_ups_ == before) scale_down(std::move(taken));
}

ClusterAutoscaler::Room ClusterAutoscaler::scale_up() {
  const std::vector<Schedulable*> pending = scheduler_.unschedulable();
  const std::vector<NodePoolSpec>& pools = cluster_.spec().node_pools;
  std::deque<Node>& nodes = cluster_.nodes();

  // A pod that fits an existing node after all (room freed since the scheduler last tried it; its
  // pass comes later this instant) needs no node. Room given to such pods is taken, first-fit.
  Room taken;
  std::vector<std::pair<std::size_t, Resources>> fits_nowhere;  // (required pool, request)
  const auto fits_existing = [&](const Schedulable& pod, const Resources& request) {
    const std::size_t required = pod.required_pool();
    for (const auto& [pool, r] : fits_nowhere) {
      if (pool == required && r.fits_in(request)) return false;  // room only shrinks
    }
    for (std::size_t p = 0; p < pools.size(); ++p) {
      if (!may_run_on(pod, p)) continue;
      for (const std::size_t i : cluster_.pool_nodes(p)) {
        const auto t = taken.find(i);
        const Resources room =
            nodes[i].schedulable_free() - (t == taken.end() ? Resources{} : t->second);
        if (!request.fits_in(room)) continue;
        taken[i] += request;
        return true;
      }
    }
    fits_nowhere.emplace_back(required, request);
    return false;
  };

  // Nodes being provisioned hold what fits them; the rest goes onto new nodes, opened in the first
  // pool (or the required one) that can hold the pod on an empty node and may still grow.
  std::vector<Bin> upcoming;
  for (auto& [id, u] : upcoming_) {
    u.planned.clear();
    upcoming.push_back({u.pool, pools[u.pool].allocatable, &u.planned});
  }
  std::deque<std::vector<const Schedulable*>> new_planned;  // a deque: the bins point into it
  std::vector<Bin> fresh;
  std::vector<int> added(pools.size(), 0);
  std::set<const Schedulable*> waiting;
  for (Schedulable* pod : pending) {
    const Resources request = pod->request();
    Bin* bin = first_fit(upcoming, *pod, request);
    if (bin == nullptr) bin = first_fit(fresh, *pod, request);
    std::optional<std::size_t> open;  // the pool of a new node for it
    if (bin == nullptr) {
      for (std::size_t p = 0; p < pools.size() && !open; ++p) {
        if (may_run_on(*pod, p) && request.fits_in(pools[p].allocatable) &&
            target_size(p) + added[p] < pools[p].max()) {
          open = p;
        }
      }
      // Nothing to ask for: whether it fits an existing node does not matter (and is not looked
      // at, so that a backlog at maxCount costs no walk over the nodes).
      if (!open) continue;
    }
    if (fits_existing(*pod, request)) continue;
    if (open) {
      ++added[*open];
      fresh.push_back({*open, pools[*open].allocatable, &new_planned.emplace_back()});
      bin = &fresh.back();
    }
    bin->room -= request;
    bin->planned->push_back(pod);
    waiting.insert(pod);
  }

  for (std::size_t p = 0; p < pools.size(); ++p) {
    if (added[p] == 0) continue;
    const int from = target_size(p);
    ctx_.event("pool/" + pools[p].name, EventType::Normal, Reason::TriggeredScaleUp,
               "pod triggered scale-up: [{" + pools[p].name + " " + std::to_string(from) + "->" +
                   std::to_string(from + added[p]) + " (max: " + std::to_string(pools[p].max()) +
                   ")}]");
  }
  // The provisioning delays are drawn in the order the nodes were opened: by the scheduling order
  // of the pod that opened each.
  for (std::size_t k = 0; k < fresh.size(); ++k) {
    const std::size_t p = fresh[k].pool;
    const engine::Time delay =
        engine::sample_duration(pools[p].provisioning_delay, provisioning_rng_[p]);
    const std::uint64_t id = next_upcoming_++;
    const engine::TimerId ready = ctx_.sim.schedule_in(delay, *this, 1 + id);
    upcoming_.emplace(id, Upcoming{p, ready, std::move(new_planned[k])});
    ++upcoming_per_pool_[p];
  }
  if (!fresh.empty()) {
    scale_ups_ += static_cast<int>(fresh.size());
    last_scale_up_ = ctx_.now();
  }

  // In scheduling order, so that the run is the same whatever the pods' addresses.
  for (Schedulable* pod : pending) {
    const bool was = waiting_.contains(pod);
    const bool is = waiting.contains(pod);
    if (is && !was) pod->on_pending_cause(PendingCause::WaitingForNode);
    if (was && !is) pod->on_pending_cause(PendingCause::NoCapacity);
  }
  // Pods no longer pending were bound or deleted: forgotten without a word. (A pod's address is
  // not reused within a run: replicas stay in their proton's deque once made.)
  waiting_ = std::move(waiting);
  return taken;
}

void ClusterAutoscaler::node_ready(std::uint64_t id) {
  const auto it = upcoming_.find(id);
  Upcoming u = std::move(it->second);
  upcoming_.erase(it);
  --upcoming_per_pool_[u.pool];
  const std::vector<Schedulable*> pending = scheduler_.unschedulable();
  Node& n = cluster_.add_node(u.pool);
  ctx_.record(n.name(), TraceKind::Node, {}, NodeState::Ready, Reason::RegisteredNode,
              "Registered Node " + n.name() + " in Controller");
  // Its pods wait for room again, as any pending pod; the scheduler's next pass binds them here.
  const std::set<const Schedulable*> planned(u.planned.begin(), u.planned.end());
  for (Schedulable* pod : pending) {
    if (planned.contains(pod) && waiting_.erase(pod) > 0)
      pod->on_pending_cause(PendingCause::NoCapacity);
  }
  scheduler_.add_node(n);
}

void ClusterAutoscaler::finish_drains() {
  std::deque<Node>& nodes = cluster_.nodes();
  std::erase_if(draining_, [&](std::size_t i) {
    Node& n = nodes[i];
    if (!n.empty()) return false;
    delete_node(n);
    return true;
  });
}

void ClusterAutoscaler::delete_node(Node& n) {
  const bool ready = n.ready();
  --draining_per_pool_[n.pool()];
  cluster_.delete_node(n);
  // A node being drained may have failed meanwhile: its record leaves the state it is in.
  ctx_.record(n.name(), TraceKind::Node, ready ? NodeState::Ready : NodeState::NotReady,
              NodeState::Deleted, Reason::RemovingNode,
              "Removing Node " + n.name() + " from Controller");
}

void ClusterAutoscaler::scale_down(Room taken) {
  const std::vector<NodePoolSpec>& pools = cluster_.spec().node_pools;
  std::deque<Node>& nodes = cluster_.nodes();
  const engine::Time now = ctx_.now();
  // Only the nodes of pools above their minimum can go.
  std::vector<std::size_t> candidates;
  for (std::size_t p = 0; p < pools.size(); ++p) {
    if (cluster_.pool_size(p) - draining_per_pool_[p] <= pools[p].min()) continue;
    const std::vector<std::size_t>& members = cluster_.pool_nodes(p);
    candidates.insert(candidates.end(), members.begin(), members.end());
  }
  std::sort(candidates.begin(), candidates.end());

  // Where a candidate's pods would go: the other schedulable nodes, first-fit in cluster order,
  // less the room earlier moves of this scan took, never a node found unneeded before it.
  std::set<std::size_t> leaving;                         // found unneeded in this scan
  std::optional<std::vector<std::size_t>> destinations;  // built when first needed, less `leaving`
  const auto destination = [&](const Schedulable& pod,
                               std::size_t from) -> std::optional<std::size_t> {
    if (!destinations) {
      destinations.emplace();
      for (std::size_t p = 0; p < pools.size(); ++p) {
        for (const std::size_t j : cluster_.pool_nodes(p)) {
          if (!leaving.contains(j)) destinations->push_back(j);
        }
      }
      std::sort(destinations->begin(), destinations->end());
    }
    const Resources request = pod.request();
    for (const std::size_t j : *destinations) {
      if (j == from || !may_run_on(pod, nodes[j].pool())) continue;
      const auto t = taken.find(j);
      const Resources room =
          nodes[j].schedulable_free() - (t == taken.end() ? Resources{} : t->second);
      if (request.fits_in(room)) return j;
    }
    return std::nullopt;
  };
  const auto give_back = [&](std::size_t j, const Resources& r) {
    Resources& t = taken[j];
    t -= r;
    if (t == Resources{}) taken.erase(j);
  };

  std::map<std::size_t, engine::Time> unneeded;
  for (const std::size_t i : candidates) {
    const Node& n = nodes[i];
    // A node given pods in this scan (moved in the simulation, or pending ones the scheduler binds
    // next) is needed.
    if (!n.schedulable() || taken.contains(i)) continue;
    const Resources& used = n.requested();
    const Resources& all = n.allocatable();
    const double threshold = params_.scale_down_utilization_threshold;
    if (share(used.cpu_milli, all.cpu_milli) >= threshold ||
        share(used.memory_bytes, all.memory_bytes) >= threshold) {
      continue;
    }
    // Resources held by no pod belong to pods on their way out: not settled yet.
    if (n.pods().empty() && !(used == Resources{})) continue;
    std::vector<std::pair<std::size_t, Resources>> moves;
    bool fits = true;
    for (const auto& [ticket, pod] : n.pods()) {
      const std::optional<std::size_t> j = destination(*pod, i);
      if (!j) {
        fits = false;
        break;
      }
      taken[*j] += pod->request();
      moves.emplace_back(*j, pod->request());
    }
    if (!fits) {
      for (const auto& [j, r] : moves) give_back(j, r);
      continue;
    }
    leaving.insert(i);
    if (destinations) {
      destinations->erase(std::lower_bound(destinations->begin(), destinations->end(), i));
    }
    const auto since = unneeded_since_.find(i);
    unneeded.emplace(i, since == unneeded_since_.end() ? now : since->second);
  }
  unneeded_since_ = std::move(unneeded);

  if (last_scale_up_ && now < *last_scale_up_ + params_.scale_down_delay_after_add) return;
  for (auto it = unneeded_since_.begin(); it != unneeded_since_.end();) {
    const std::size_t p = nodes[it->first].pool();
    if (now - it->second < params_.scale_down_unneeded_time ||
        cluster_.pool_size(p) - draining_per_pool_[p] <= pools[p].min()) {
      ++it;
      continue;
    }
    const std::size_t i = it->first;
    it = unneeded_since_.erase(it);
    remove(i);
  }
}

void ClusterAutoscaler::remove(std::size_t index) {
  Node& n = cluster_.nodes()[index];
  n.cordon();
  ++draining_per_pool_[n.pool()];
  ++scale_downs_;
  // Cordoning is no change of the node's state (it stays Ready, unschedulable): an event.
  ctx_.event(n.name(), EventType::Normal, Reason::ScaleDown,
             "marked the node as toBeDeleted/unschedulable");
  n.evict_pods(EvictionCause::ScaleDown, "deleting pod for node scale down");
  if (n.empty()) {
    delete_node(n);
  } else {
    draining_.push_back(index);
  }
}

}  // namespace wlsim::models

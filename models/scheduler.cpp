#include "wlsim/models/scheduler.hpp"

#include <algorithm>

#include "wlsim/models/preemption.hpp"

namespace wlsim::models {

namespace {

// Two entries of a node class whose room (the sum of the free fractions) differs by more than this
// cannot tie or swap on the LeastAllocated score: the score's double rounding is about 1e-16.
constexpr double kRoomSlack = 1e-9;

double fraction(std::int64_t part, std::int64_t total) noexcept {
  return total > 0 ? static_cast<double>(part) / static_cast<double>(total) : 0.0;
}

// How much of a node is free, as the score sees it: the order of the free-capacity index.
double room(const Resources& free, const Resources& allocatable) noexcept {
  return fraction(free.cpu_milli, allocatable.cpu_milli) +
         fraction(free.memory_bytes, allocatable.memory_bytes);
}

std::tuple<std::int64_t, std::int64_t, std::int64_t> shape(const Resources& r) noexcept {
  return {r.cpu_milli, r.memory_bytes, r.gpu};
}

Resources resources(const std::tuple<std::int64_t, std::int64_t, std::int64_t>& s) noexcept {
  return {std::get<0>(s), std::get<1>(s), std::get<2>(s)};
}

// Kubernetes' FailedScheduling text from how many nodes fail for each reason (reasons sorted by
// name).
struct Shortfalls {
  int cpu = 0;
  int memory = 0;
  int gpu = 0;
  int other_pool = 0;
  int cordoned = 0;
  int not_ready = 0;
};

std::string shortfall_message(std::size_t nodes, const Shortfalls& s) {
  if (nodes == 0) return "no nodes available to schedule pods";
  std::string msg = "0/" + std::to_string(nodes) + " nodes are available: ";
  bool first = true;
  const auto add = [&](int count, const char* reason) {
    if (count == 0) return;
    if (!first) msg += ", ";
    msg += std::to_string(count) + " " + reason;
    first = false;
  };
  add(s.cpu, "Insufficient cpu");
  add(s.memory, "Insufficient memory");
  add(s.gpu, "Insufficient nvidia.com/gpu");
  add(s.other_pool, "node(s) didn't match Pod's node affinity/selector");
  add(s.not_ready, "node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
  add(s.cordoned, "node(s) were unschedulable");
  return msg + ".";
}

// Adds why `node` cannot take `request` (of a pod bound to `pool`) to `s`.
void count_node(Shortfalls& s, const Node& node, const Resources& request, std::size_t pool) {
  if (pool != kAnyPool && node.pool() != pool) {
    ++s.other_pool;
  } else if (!node.ready()) {
    ++s.not_ready;
  } else if (node.cordoned()) {
    ++s.cordoned;
  } else {
    const Resources free = node.schedulable_free();
    if (request.cpu_milli > free.cpu_milli) ++s.cpu;
    if (request.memory_bytes > free.memory_bytes) ++s.memory;
    if (request.gpu > free.gpu) ++s.gpu;
  }
}

}  // namespace

const char* to_string(EvictionCause c) noexcept {
  switch (c) {
    case EvictionCause::Preemption:
      return "preemption";
    case EvictionCause::NodeFailure:
      return "nodeFailure";
    case EvictionCause::ScaleDown:
      return "scaleDown";
  }
  return "?";
}

double least_allocated_score(const Resources& free, const Resources& allocatable,
                             const Resources& request) noexcept {
  const Resources after = free - request;
  return (fraction(after.cpu_milli, allocatable.cpu_milli) +
          fraction(after.memory_bytes, allocatable.memory_bytes)) /
         2.0;
}

Scheduler::Scheduler(const Context& ctx, Cluster& cluster)
    : ctx_(ctx), cluster_(cluster), preemption_rng_(ctx.stream("scheduler", "preemption")) {
  for (Node& n : cluster_.nodes()) register_node(n);
}

Scheduler::~Scheduler() {
  ctx_.sim.cancel(pass_);
  for (Node* n : nodes_) n->set_capacity_observer(nullptr, 0);
}

void Scheduler::register_node(Node& n) {
  const std::size_t index = nodes_.size();
  nodes_.push_back(&n);
  gone_.push_back(n.deleted());
  if (!n.deleted()) ++live_nodes_;
  const auto [it, fresh] =
      class_by_size_.emplace(std::pair{shape(n.allocatable()), n.pool()}, classes_.size());
  if (fresh) classes_.push_back({n.allocatable(), n.pool(), {}, {}});
  class_of_.push_back(it->second);
  index_add(index);
  n.set_capacity_observer(this, index);
}

void Scheduler::add_node(Node& node) {
  register_node(node);
  const std::size_t index = nodes_.size() - 1;
  ++changes_;
  invalidate_counts();
  // Like room freed on an existing node: the shapes that fit nowhere may fit here.
  const Resources free = node.schedulable_free();
  for (auto& [key, g] : groups_) {
    if (g.nowhere && in_pool(g, index) && g.request.fits_in(free)) g.candidates.insert(index);
  }
  capacity_changed();
}

void Scheduler::invalidate_counts() {
  for (auto& [key, g] : groups_) {
    g.counted = false;
    g.message_stale = true;
    activate(g);
  }
}

std::vector<Schedulable*> Scheduler::unschedulable() const {
  std::vector<std::pair<Order, Schedulable*>> waiting;
  for (const PodEntry& e : entries_) {
    if (e.pod != nullptr && e.group != nullptr && !e.told.empty())
      waiting.emplace_back(e.order, e.pod);
  }
  std::sort(waiting.begin(), waiting.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Schedulable*> out;
  out.reserve(waiting.size());
  for (const auto& w : waiting) out.push_back(w.second);
  return out;
}

void Scheduler::submit(Schedulable& pod) { add_pending(pod, Order{pod.priority(), next_seq_++}); }

void Scheduler::add_pending(Schedulable& pod, const Order& order) {
  if (pod.pending_slot_ == Schedulable::kNotPending) {
    if (free_slots_.empty()) {
      pod.pending_slot_ = static_cast<std::uint32_t>(entries_.size());
      entries_.emplace_back();
    } else {
      pod.pending_slot_ = free_slots_.back();
      free_slots_.pop_back();
    }
  }
  PodEntry& e = entries_[pod.pending_slot_];
  e.pod = &pod;
  e.group = nullptr;
  e.order = order;
  e.told.clear();
  if (in_pass_) {
    // Not tried in the pass under way: it joins when the pass ends.
    arrived_in_pass_.emplace_back(&pod, order);
  } else {
    enqueue(pod, e);
  }
  request_pass();
}

void Scheduler::enqueue(Schedulable& pod, PodEntry& e) {
  const Resources request = pod.request();
  const std::size_t pool = pod.required_pool();
  const ShapeKey sk = shape(request);
  auto [it, fresh] =
      groups_.try_emplace(GroupKey{std::get<0>(sk), std::get<1>(sk), std::get<2>(sk), pool});
  Group& g = it->second;
  if (fresh) {
    g.request = request;
    g.pool = pool;
    by_cpu_.emplace(request.cpu_milli, &g);
    by_memory_.emplace(request.memory_bytes, &g);
    by_gpu_.emplace(request.gpu, &g);
  }
  g.pods.emplace(e.order, &pod);
  if (g.nowhere) g.by_message[e.told].insert(e.order);
  e.group = &g;
  activate(g);  // a pod never told anything has something to learn
}

Scheduler::PodEntry* Scheduler::entry_of(const Schedulable& pod) noexcept {
  return pod.pending_slot_ == Schedulable::kNotPending ? nullptr : &entries_[pod.pending_slot_];
}

void Scheduler::forget(Schedulable& pod) {
  PodEntry& e = entries_[pod.pending_slot_];
  if (e.group == nullptr) {
    std::erase_if(arrived_in_pass_, [&](const auto& a) { return a.first == &pod; });
  } else {
    Group& g = *e.group;
    g.pods.erase(e.order);
    if (g.nowhere) {
      const auto told = g.by_message.find(e.told);
      told->second.erase(e.order);
      if (told->second.empty()) g.by_message.erase(told);
    }
  }
  e.pod = nullptr;
  e.group = nullptr;
  free_slots_.push_back(pod.pending_slot_);
  pod.pending_slot_ = Schedulable::kNotPending;
}

void Scheduler::withdraw(Schedulable& pod) {
  if (const auto n = nominees_.find(&pod); n != nominees_.end()) {
    const Nominee nominee = n->second;
    nominees_.erase(n);
    auto& on_node = nominees_by_node_.at(nominee.node);
    on_node.erase(nominee.order);
    if (on_node.empty()) nominees_by_node_.erase(nominee.node);
    nodes_[nominee.node]->unnominate(pod.request());
    return;
  }
  PodEntry* e = entry_of(pod);
  if (e == nullptr) return;
  Group* g = e->group;
  forget(pod);
  ++changes_;
  if (g == nullptr || !g->pods.empty()) return;
  if (in_pass_) {
    activate(*g);  // dropped when the pass ends
  } else {
    if (g->active) active_.erase(std::find(active_.begin(), active_.end(), g));
    erase_group(*g);
  }
}

void Scheduler::activate(Group& g) {
  if (g.active) return;
  g.active = true;
  active_.push_back(&g);
}

void Scheduler::erase_group(Group& g) {
  by_cpu_.erase({g.request.cpu_milli, &g});
  by_memory_.erase({g.request.memory_bytes, &g});
  by_gpu_.erase({g.request.gpu, &g});
  const ShapeKey sk = shape(g.request);
  groups_.erase(GroupKey{std::get<0>(sk), std::get<1>(sk), std::get<2>(sk), g.pool});
}

void Scheduler::capacity_changed() {
  // During a pass only the pods that arrived meanwhile count as waiting (the others are being
  // tried): as before, a release inside a pass asks for a new pass only if such pods exist.
  if (in_pass_ ? !arrived_in_pass_.empty() : pending() > 0 || !nominees_.empty()) request_pass();
}

void Scheduler::request_pass() {
  if (!ctx_.sim.is_pending(pass_)) pass_ = ctx_.sim.schedule_in(engine::Time::zero(), *this, 0);
}

void Scheduler::index_add(std::size_t node) {
  NodeClass& c = classes_[class_of_[node]];
  const Resources free = nodes_[node]->schedulable_free();
  auto [it, fresh] = c.by_free.try_emplace(shape(free));
  it->second.insert(node);
  if (fresh) c.by_room.emplace(room(free, c.allocatable), shape(free));
}

void Scheduler::index_remove(std::size_t node, const Resources& free) {
  NodeClass& c = classes_[class_of_[node]];
  const auto it = c.by_free.find(shape(free));
  it->second.erase(node);
  if (!it->second.empty()) return;
  c.by_free.erase(it);
  c.by_room.erase({room(free, c.allocatable), shape(free)});
}

void Scheduler::on_free_changed(std::size_t node, const Resources& before) {
  ++changes_;
  Node& n = *nodes_[node];
  const Resources after = n.schedulable_free();
  if (NodeClass& c = classes_[class_of_[node]]; shape(after) != shape(before)) {
    const auto it = c.by_free.find(shape(before));
    if (it->second.size() == 1 && !c.by_free.contains(shape(after))) {
      // The node alone leaves its shape for one no node has: the same index as removing and
      // adding it, but the map's and the room set's entries are moved to their new keys instead
      // of freed and allocated again (every pod bound or gone changes a node's free capacity).
      auto free_entry = c.by_free.extract(it);
      free_entry.key() = shape(after);
      c.by_free.insert(std::move(free_entry));
      auto room_entry = c.by_room.extract({room(before, c.allocatable), shape(before)});
      room_entry.value() = {room(after, c.allocatable), shape(after)};
      c.by_room.insert(std::move(room_entry));
    } else {
      index_remove(node, before);
      index_add(node);
    }
  }
  if (n.deleted() && !gone_[node]) {
    gone_[node] = true;
    --live_nodes_;
  }
  if (nominees_by_node_.contains(node)) {
    if (n.schedulable()) {
      nominee_nodes_changed_.insert(node);
      request_pass();
    } else {
      drop_nominees(node);
    }
  }
  if (before == Node::kNoRoom || after == Node::kNoRoom) {
    // The node left or joined the nodes a pod may use (failed, cordoned, deleted, back): rare, so
    // every count is taken again rather than kept.
    invalidate_counts();
  } else {
    // A node lacks a resource for a shape when the shape asks more than it has free: the count
    // flips for the shapes whose request lies between the amount before and after.
    const auto recount = [&](const std::set<std::pair<std::int64_t, Group*>>& by_request,
                             std::int64_t was, std::int64_t is, int Group::*shortfall) {
      const bool freed = is > was;
      const auto [low, high] = std::minmax(was, is);
      for (auto it = by_request.lower_bound({low + 1, nullptr});
           it != by_request.end() && it->first <= high; ++it) {
        Group& g = *it->second;
        if (!g.counted || !in_pool(g, node)) continue;
        g.*shortfall += freed ? -1 : 1;
        g.message_stale = true;
        activate(g);
      }
    };
    recount(by_cpu_, before.cpu_milli, after.cpu_milli, &Group::short_cpu);
    recount(by_memory_, before.memory_bytes, after.memory_bytes, &Group::short_memory);
    recount(by_gpu_, before.gpu, after.gpu, &Group::short_gpu);
  }
  if (after.fits_in(before)) return;  // nothing freed: no shape fits here that did not before
  // Room was freed: the shapes that fit nowhere and fit here now have this node to look at next
  // time.
  for (auto it = by_cpu_.begin(); it != by_cpu_.end() && it->first <= after.cpu_milli; ++it) {
    Group& g = *it->second;
    if (g.nowhere && in_pool(g, node) && g.request.fits_in(after)) {
      g.candidates.insert(node);
      activate(g);
    }
  }
}

std::optional<std::size_t> Scheduler::best_node(const Resources& request, std::size_t pool) const {
  std::optional<std::size_t> best;
  double best_score = 0;
  for (const NodeClass& c : classes_) {
    if (pool != kAnyPool && c.pool != pool) continue;
    // Entries come by decreasing room; past the first that fits, only those within kRoomSlack of it
    // can have its score, and each entry's first node is the first in cluster order with that
    // score.
    std::optional<double> top;
    for (const auto& [r, key] : c.by_room) {
      if (top && r < *top - kRoomSlack) break;
      const Resources free = resources(key);
      if (!request.fits_in(free)) continue;
      if (!top) top = r;
      const double score = least_allocated_score(free, c.allocatable, request);
      const std::size_t node = *c.by_free.at(key).begin();
      if (!best || score > best_score || (score == best_score && node < *best)) {
        best = node;
        best_score = score;
      }
    }
  }
  return best;
}

std::optional<std::size_t> Scheduler::best_candidate(Group& g) {
  std::optional<std::size_t> best;
  double best_score = 0;
  for (auto it = g.candidates.begin(); it != g.candidates.end();) {
    const Node& n = *nodes_[*it];
    const Resources free = n.schedulable_free();
    if (!g.request.fits_in(free)) {
      it = g.candidates.erase(it);  // it comes back only when room it fits is freed there again
      continue;
    }
    const double score = least_allocated_score(free, n.allocatable(), g.request);
    if (!best || score > best_score) {
      best = *it;
      best_score = score;
    }
    ++it;
  }
  return best;
}

void Scheduler::count_shortfalls(Group& g) const {
  Shortfalls s;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (!gone_[i]) count_node(s, *nodes_[i], g.request, g.pool);
  }
  g.short_cpu = s.cpu;
  g.short_memory = s.memory;
  g.short_gpu = s.gpu;
  g.other_pool = s.other_pool;
  g.not_ready = s.not_ready;
  g.cordoned = s.cordoned;
  g.counted = true;
  g.message_stale = true;
}

const std::string& Scheduler::message(Group& g) {
  if (!g.counted) count_shortfalls(g);
  if (g.message_stale) {
    g.message = shortfall_message(
        static_cast<std::size_t>(live_nodes_),
        {g.short_cpu, g.short_memory, g.short_gpu, g.other_pool, g.cordoned, g.not_ready});
    g.message_stale = false;
  }
  return g.message;
}

std::string Scheduler::unschedulable_message(const std::deque<Node>& nodes,
                                             const Resources& request, std::size_t pool) {
  Shortfalls s;
  std::size_t live = 0;
  for (const Node& n : nodes) {
    if (n.deleted()) continue;
    ++live;
    count_node(s, n, request, pool);
  }
  return shortfall_message(live, s);
}

std::optional<Scheduler::Order> Scheduler::next_in(Group& g, const std::optional<Order>& after) {
  const auto first_after = [&](const auto& ordered) {
    const auto it = after ? ordered.upper_bound(*after) : ordered.begin();
    return it == ordered.end() ? std::optional<Order>{} : std::optional<Order>{Order(*it)};
  };
  if (!g.nowhere || !g.candidates.empty()) {
    // It may fit: its next pod is tried.
    const auto it = after ? g.pods.upper_bound(*after) : g.pods.begin();
    return it == g.pods.end() ? std::optional<Order>{} : std::optional<Order>{it->first};
  }
  // It fits nowhere: only the pods not yet told the current message have anything to learn.
  const std::string& m = message(g);
  std::optional<Order> next;
  for (const auto& [told, pods] : g.by_message) {
    if (told == m) continue;
    const std::optional<Order> o = first_after(pods);
    if (o && (!next || *o < *next)) next = o;
  }
  return next;
}

void Scheduler::bind(Schedulable& pod, std::size_t node) {
  ++changes_;
  Node& n = *nodes_[node];
  n.reserve(pod.request());
  pod.on_bound(n);
}

void Scheduler::try_pod(Group& g, const Order& order, Schedulable& pod) {
  std::optional<std::size_t> node;
  if (!g.nowhere) {
    node = best_node(g.request, g.pool);
    if (!node) {
      g.nowhere = true;
      // Until now no pod of it was told anything (a pod is told only when it fits nowhere): all
      // of them have the message to learn.
      std::set<Order>& untold = g.by_message[std::string()];
      for (const auto& pod_of : g.pods) untold.insert(untold.end(), pod_of.first);
      g.candidates.clear();
      if (!g.counted) count_shortfalls(g);
    }
  } else if (!g.candidates.empty()) {
    node = best_candidate(g);
  }
  if (node) {
    forget(pod);
    bind(pod, *node);
    return;
  }
  PodEntry& e = *entry_of(pod);
  if (try_preemption(g, order, pod)) return;
  const std::string m = message(g);
  if (e.told == m) return;
  const auto told = g.by_message.find(e.told);
  told->second.erase(order);
  if (told->second.empty()) g.by_message.erase(told);
  g.by_message[m].insert(order);
  e.told = m;
  pod.on_unschedulable(m);
}

bool Scheduler::try_preemption(Group& g, const Order& order, Schedulable& pod) {
  // Only a pod above the lowest priority can find victims, and only when it has just been found to
  // fit nowhere. As DefaultPreemption does, it stops after max(100, 10 % of the nodes) nodes where
  // preemption works (minCandidateNodesAbsolute, minCandidateNodesPercentage), starting at a
  // random node: in a cluster of at most 100 nodes every node is looked at and nothing is drawn.
  if (order.priority <= 0) return false;
  const std::size_t count = nodes_.size();
  const auto live = static_cast<std::size_t>(live_nodes_);
  const std::size_t wanted = std::max<std::size_t>(100, (live + 9) / 10);
  const std::size_t offset = live > wanted ? preemption_rng_.next_u64() % count : 0;
  std::optional<Victims> best;
  std::size_t found = 0;
  for (std::size_t k = 0; k < count && found < wanted; ++k) {
    const std::size_t i = (offset + k) % count;
    if (gone_[i] || !in_pool(g, i)) continue;
    std::optional<Victims> v = select_victims(*nodes_[i], i, g.request, order.priority);
    if (!v) continue;
    ++found;
    if (!best || less_harm(*v, *best)) best = std::move(v);
  }
  if (!best) return false;
  const std::string m = message(g);
  forget(pod);
  ++changes_;
  // Nominated: the room is held for it from now on, and it binds once the victims are gone.
  nominees_.emplace(&pod, Nominee{best->node, order});
  nominees_by_node_[best->node].emplace(order, &pod);
  Node& n = *nodes_[best->node];
  n.nominate(g.request);
  pod.on_unschedulable(m);
  pod.on_nominated(n, static_cast<int>(best->pods.size()));
  for (Schedulable* victim : best->pods) {
    victim->evict(EvictionCause::Preemption,
                  "Preempted by pod " + pod.name() + " on node " + n.name());
  }
  nominee_nodes_changed_.insert(best->node);
  request_pass();
  return true;
}

void Scheduler::bind_nominees() {
  const std::set<std::size_t> changed = std::move(nominee_nodes_changed_);
  nominee_nodes_changed_.clear();
  for (const std::size_t node : changed) {
    const auto it = nominees_by_node_.find(node);
    if (it == nominees_by_node_.end()) continue;
    Node& n = *nodes_[node];
    // Each nominee's own room is among the nominated room: it fits once nothing else is short.
    while (!it->second.empty() && Resources{}.fits_in(n.schedulable_free())) {
      Schedulable& pod = *it->second.begin()->second;
      it->second.erase(it->second.begin());
      nominees_.erase(&pod);
      n.unnominate(pod.request());
      bind(pod, node);
    }
    if (it->second.empty()) nominees_by_node_.erase(it);
  }
}

void Scheduler::drop_nominees(std::size_t node) {
  // Its node can no longer take them (failed, cordoned, deleted): they are pending again.
  const auto it = nominees_by_node_.find(node);
  if (it == nominees_by_node_.end()) return;
  const std::map<Order, Schedulable*> dropped = std::move(it->second);
  nominees_by_node_.erase(it);
  Node& n = *nodes_[node];
  for (const auto& [order, pod] : dropped) {
    nominees_.erase(pod);
    n.unnominate(pod->request());
    add_pending(*pod, order);
    pod->on_pending_cause(PendingCause::NoCapacity);
  }
}

void Scheduler::on_event(std::uint64_t) {
  pass_ = {};
  in_pass_ = true;
  // Nominated pods first: the room their victims left is theirs.
  bind_nominees();
  // The next pod each group has to try, earliest first; rebuilt whenever something changed that can
  // alter another group's next pod (a bind, a release, a withdrawal), else only the tried group's.
  // A heap, earliest on top, in a vector kept from pass to pass: a group is in it at most once and
  // no two pods share an order, so it yields exactly what an ordered set of the pairs would.
  std::vector<std::pair<Order, Group*>>& frontier = frontier_;
  const auto later = [](const std::pair<Order, Group*>& a, const std::pair<Order, Group*>& b) {
    return b.first < a.first;
  };
  const auto push = [&](const Order& o, Group* g) {
    frontier.emplace_back(o, g);
    std::push_heap(frontier.begin(), frontier.end(), later);
  };
  frontier.clear();
  std::optional<Order> cursor;
  std::uint64_t seen = changes_ + 1;
  for (;;) {
    if (seen != changes_) {
      frontier.clear();
      for (Group* g : active_) {
        if (const std::optional<Order> o = next_in(*g, cursor)) frontier.emplace_back(*o, g);
      }
      std::make_heap(frontier.begin(), frontier.end(), later);
      seen = changes_;
    }
    if (frontier.empty()) break;
    std::pop_heap(frontier.begin(), frontier.end(), later);
    const auto [order, g] = frontier.back();
    frontier.pop_back();
    cursor = order;
    try_pod(*g, order, *g->pods.at(order));
    if (seen == changes_) {
      if (const std::optional<Order> o = next_in(*g, cursor)) push(*o, g);
    }
  }
  in_pass_ = false;
  // Pods submitted by the callbacks above join now, in arrival order.
  std::vector<std::pair<Schedulable*, Order>> arrived = std::move(arrived_in_pass_);
  arrived_in_pass_.clear();
  for (const auto& [pod, order] : arrived) enqueue(*pod, *entry_of(*pod));
  // A group stays active only while some pod of it has something to do in the next pass.
  std::size_t kept = 0;
  for (Group* g : active_) {
    if (g->pods.empty()) {
      erase_group(*g);
    } else if (next_in(*g, std::nullopt)) {
      active_[kept++] = g;
    } else {
      g->active = false;
    }
  }
  active_.resize(kept);
}

}  // namespace wlsim::models

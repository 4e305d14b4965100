#include "wlsim/models/scheduler.hpp"

#include <algorithm>

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

// Kubernetes' FailedScheduling text from how many nodes lack each resource (reasons sorted by
// name).
std::string shortfall_message(std::size_t nodes, int cpu, int memory, int gpu) {
  if (nodes == 0) return "no nodes available to schedule pods";
  std::string msg = "0/" + std::to_string(nodes) + " nodes are available: ";
  bool first = true;
  const auto add = [&](int count, const char* reason) {
    if (count == 0) return;
    if (!first) msg += ", ";
    msg += std::to_string(count) + " " + reason;
    first = false;
  };
  add(cpu, "Insufficient cpu");
  add(memory, "Insufficient memory");
  add(gpu, "Insufficient nvidia.com/gpu");
  return msg + ".";
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

Scheduler::Scheduler(const Context& ctx, Cluster& cluster) : ctx_(ctx), cluster_(cluster) {
  std::map<ShapeKey, std::size_t> class_by_size;
  for (Node& n : cluster_.nodes()) {
    const std::size_t index = nodes_.size();
    nodes_.push_back(&n);
    const auto [it, fresh] = class_by_size.emplace(shape(n.allocatable()), classes_.size());
    if (fresh) classes_.push_back({n.allocatable(), {}, {}});
    class_of_.push_back(it->second);
    index_add(index);
    n.set_capacity_observer(this, index);
  }
}

Scheduler::~Scheduler() {
  ctx_.sim.cancel(pass_);
  for (Node* n : nodes_) n->set_capacity_observer(nullptr, 0);
}

void Scheduler::submit(Schedulable& pod) {
  const Order order{pod.priority(), next_seq_++};
  if (in_pass_) {
    // Not tried in the pass under way: it joins when the pass ends.
    arrived_in_pass_.emplace_back(&pod, order);
    pods_[&pod] = PodEntry{nullptr, order, {}};
  } else {
    pods_[&pod] = PodEntry{nullptr, order, {}};
    enqueue(pod);
  }
  request_pass();
}

void Scheduler::enqueue(Schedulable& pod) {
  PodEntry& e = pods_.at(&pod);
  const Resources request = pod.request();
  auto [it, fresh] = groups_.try_emplace(shape(request));
  Group& g = it->second;
  if (fresh) {
    g.request = request;
    by_cpu_.emplace(request.cpu_milli, &g);
    by_memory_.emplace(request.memory_bytes, &g);
    by_gpu_.emplace(request.gpu, &g);
  }
  g.pods.emplace(e.order, &pod);
  g.by_message[e.told].insert(e.order);
  e.group = &g;
  active_.insert(&g);  // a pod never told anything has something to learn
}

void Scheduler::remove_from_group(PodEntry& e, const Schedulable* pod) {
  if (e.group == nullptr) {
    std::erase_if(arrived_in_pass_, [&](const auto& a) { return a.first == pod; });
    return;
  }
  Group& g = *e.group;
  g.pods.erase(e.order);
  const auto told = g.by_message.find(e.told);
  told->second.erase(e.order);
  if (told->second.empty()) g.by_message.erase(told);
}

void Scheduler::withdraw(Schedulable& pod) {
  const auto it = pods_.find(&pod);
  if (it == pods_.end()) return;
  Group* g = it->second.group;
  remove_from_group(it->second, &pod);
  pods_.erase(it);
  ++changes_;
  if (g == nullptr || !g->pods.empty()) return;
  if (in_pass_) {
    active_.insert(g);  // dropped when the pass ends
  } else {
    active_.erase(g);
    erase_group(*g);
  }
}

void Scheduler::erase_group(Group& g) {
  by_cpu_.erase({g.request.cpu_milli, &g});
  by_memory_.erase({g.request.memory_bytes, &g});
  by_gpu_.erase({g.request.gpu, &g});
  groups_.erase(shape(g.request));
}

void Scheduler::capacity_changed() {
  // During a pass only the pods that arrived meanwhile count as waiting (the others are being
  // tried): as before, a release inside a pass asks for a new pass only if such pods exist.
  if (in_pass_ ? !arrived_in_pass_.empty() : !pods_.empty()) request_pass();
}

void Scheduler::request_pass() {
  if (!ctx_.sim.is_pending(pass_)) pass_ = ctx_.sim.schedule_in(engine::Time::zero(), *this, 0);
}

void Scheduler::index_add(std::size_t node) {
  NodeClass& c = classes_[class_of_[node]];
  const Resources free = nodes_[node]->free();
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
  index_remove(node, before);
  index_add(node);
  const Resources after = nodes_[node]->free();
  // A node lacks a resource for a shape when the shape asks more than it has free: the count flips
  // for the shapes whose request lies between the amount before and after.
  const auto recount = [this](const std::set<std::pair<std::int64_t, Group*>>& by_request,
                              std::int64_t was, std::int64_t is, int Group::*shortfall) {
    const bool freed = is > was;
    const auto [low, high] = std::minmax(was, is);
    for (auto it = by_request.lower_bound({low + 1, nullptr});
         it != by_request.end() && it->first <= high; ++it) {
      Group& g = *it->second;
      if (!g.counted) continue;
      g.*shortfall += freed ? -1 : 1;
      g.message_stale = true;
      active_.insert(&g);
    }
  };
  recount(by_cpu_, before.cpu_milli, after.cpu_milli, &Group::short_cpu);
  recount(by_memory_, before.memory_bytes, after.memory_bytes, &Group::short_memory);
  recount(by_gpu_, before.gpu, after.gpu, &Group::short_gpu);
  if (after.fits_in(before)) return;  // nothing freed: no shape fits here that did not before
  // Room was freed: the shapes that fit nowhere and fit here now have this node to look at next
  // time.
  for (auto it = by_cpu_.begin(); it != by_cpu_.end() && it->first <= after.cpu_milli; ++it) {
    Group& g = *it->second;
    if (g.nowhere && g.request.fits_in(after)) {
      g.candidates.insert(node);
      active_.insert(&g);
    }
  }
}

std::optional<std::size_t> Scheduler::best_node(const Resources& request) const {
  std::optional<std::size_t> best;
  double best_score = 0;
  for (const NodeClass& c : classes_) {
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
    if (!g.request.fits_in(n.free())) {
      it = g.candidates.erase(it);  // it comes back only when room it fits is freed there again
      continue;
    }
    const double score = least_allocated_score(n.free(), n.allocatable(), g.request);
    if (!best || score > best_score) {
      best = *it;
      best_score = score;
    }
    ++it;
  }
  return best;
}

void Scheduler::count_shortfalls(Group& g) const {
  g.short_cpu = g.short_memory = g.short_gpu = 0;
  for (const Node* n : nodes_) {
    const Resources free = n->free();
    if (g.request.cpu_milli > free.cpu_milli) ++g.short_cpu;
    if (g.request.memory_bytes > free.memory_bytes) ++g.short_memory;
    if (g.request.gpu > free.gpu) ++g.short_gpu;
  }
  g.counted = true;
  g.message_stale = true;
}

const std::string& Scheduler::message(Group& g) {
  if (g.message_stale) {
    g.message = shortfall_message(nodes_.size(), g.short_cpu, g.short_memory, g.short_gpu);
    g.message_stale = false;
  }
  return g.message;
}

std::string Scheduler::unschedulable_message(const std::deque<Node>& nodes,
                                             const Resources& request) {
  int cpu = 0;
  int memory = 0;
  int gpu = 0;
  for (const Node& n : nodes) {
    const Resources free = n.free();
    if (request.cpu_milli > free.cpu_milli) ++cpu;
    if (request.memory_bytes > free.memory_bytes) ++memory;
    if (request.gpu > free.gpu) ++gpu;
  }
  return shortfall_message(nodes.size(), cpu, memory, gpu);
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

void Scheduler::try_pod(Group& g, const Order& order, Schedulable& pod) {
  std::optional<std::size_t> node;
  if (!g.nowhere) {
    node = best_node(g.request);
    if (!node) {
      g.nowhere = true;
      g.candidates.clear();
      if (!g.counted) count_shortfalls(g);
    }
  } else if (!g.candidates.empty()) {
    node = best_candidate(g);
  }
  PodEntry& e = pods_.at(&pod);
  if (node) {
    remove_from_group(e, &pod);
    pods_.erase(&pod);
    ++changes_;
    Node& n = *nodes_[*node];
    n.reserve(g.request);
    pod.on_bound(n);
    return;
  }
  const std::string m = message(g);
  if (e.told == m) return;
  const auto told = g.by_message.find(e.told);
  told->second.erase(order);
  if (told->second.empty()) g.by_message.erase(told);
  g.by_message[m].insert(order);
  e.told = m;
  pod.on_unschedulable(m);
}

void Scheduler::on_event(std::uint64_t) {
  pass_ = {};
  in_pass_ = true;
  // The next pod each group has to try, earliest first; rebuilt whenever something changed that can
  // alter another group's next pod (a bind, a release, a withdrawal), else only the tried group's.
  std::set<std::pair<Order, Group*>> frontier;
  std::optional<Order> cursor;
  std::uint64_t seen = changes_ + 1;
  for (;;) {
    if (seen != changes_) {
      frontier.clear();
      for (Group* g : active_) {
        if (const std::optional<Order> o = next_in(*g, cursor)) frontier.emplace(*o, g);
      }
      seen = changes_;
    }
    if (frontier.empty()) break;
    const auto [order, g] = *frontier.begin();
    frontier.erase(frontier.begin());
    cursor = order;
    try_pod(*g, order, *g->pods.at(order));
    if (seen == changes_) {
      if (const std::optional<Order> o = next_in(*g, cursor)) frontier.emplace(*o, g);
    }
  }
  in_pass_ = false;
  // Pods submitted by the callbacks above join now, in arrival order.
  std::vector<std::pair<Schedulable*, Order>> arrived = std::move(arrived_in_pass_);
  arrived_in_pass_.clear();
  for (const auto& [pod, order] : arrived) enqueue(*pod);
  // A group stays active only while some pod of it has something to do in the next pass.
  for (auto it = active_.begin(); it != active_.end();) {
    Group& g = **it;
    if (g.pods.empty()) {
      erase_group(g);
    } else if (next_in(g, std::nullopt)) {
      ++it;
      continue;
    }
    it = active_.erase(it);
  }
}

}  // namespace wlsim::models

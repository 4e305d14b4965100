#pragma once
// The scheduler: binds pending pods to nodes whose free allocatable resources hold the pod's
// requests (SEMANTICS.md §5). Pending pods are tried by priority (importance), then in the order
// they arrived; among the nodes that fit (Ready, not cordoned, of the pod's pool if its resource
// bundle names one), the least allocated wins (Kubernetes' default LeastAllocated scoring), the
// first in cluster order on a tie. A pod that fits nowhere stays Pending with Kubernetes' message
// ("0/3 nodes are available: 3 Insufficient cpu.") and is retried whenever capacity frees. If it
// fits nowhere and lower-priority pods hold the room, it preempts them (preemption.hpp): it is
// nominated to one node, whose freed room no other pod may take, and binds there once its victims
// are gone.
//
// Its cost follows the work, not the fleet: pending pods are grouped by request shape; a shape that
// fits nowhere is remembered until a node it fits frees room (only those nodes are then tried);
// nodes are indexed by free capacity; each shape's message is kept from counts updated as nodes
// change. A pass visits only the pods it binds or whose message changes, in exactly the order of a
// full pass.

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/cluster.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/schedulable.hpp"

namespace wlsim::models {

/// LeastAllocated: the mean free fraction of cpu and memory a node would have after placing
/// `request`.
[[nodiscard]] double least_allocated_score(const Resources& free, const Resources& allocatable,
                                           const Resources& request) noexcept;

class Scheduler final : public engine::EventHandler, public CapacityObserver {
 public:
  Scheduler(const Context& ctx, Cluster& cluster);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler();

  /// Queues a pod; a scheduling pass runs at the current time, after the current event.
  void submit(Schedulable& pod);
  /// Forgets a pending pod (deleted before it was bound).
  void withdraw(Schedulable& pod);
  /// Resources were freed or nodes added: pending pods are tried again.
  void capacity_changed();
  /// A node added to the cluster after the start (the cluster autoscaler's): pending pods may
  /// bind there from the next pass on.
  void add_node(Node& node);
  /// The pending pods that fit no node and wait for no preemption victims, in scheduling order
  /// (priority, then arrival): what the cluster autoscaler may add nodes for.
  [[nodiscard]] std::vector<Schedulable*> unschedulable() const;
  [[nodiscard]] std::size_t pending() const noexcept {
    return entries_.size() - free_slots_.size();
  }

  /// The FailedScheduling message for `request` (of a pod that must run on `pool`) on these
  /// nodes, in Kubernetes' wording.
  [[nodiscard]] static std::string unschedulable_message(const std::deque<Node>& nodes,
                                                         const Resources& request,
                                                         std::size_t pool = kAnyPool);
  [[nodiscard]] const Cluster& cluster() const noexcept { return cluster_; }
  /// Pods nominated to a node, waiting for their preemption victims to leave.
  [[nodiscard]] std::size_t nominated() const noexcept { return nominees_.size(); }

  // CapacityObserver
  void on_free_changed(std::size_t node, const Resources& before) override;

 private:
  /// Scheduling order: higher priority first, then arrival.
  struct Order {
    int priority;
    std::uint64_t seq;
    bool operator<(const Order& o) const noexcept {
      return priority != o.priority ? priority > o.priority : seq < o.seq;
    }
  };
  using ShapeKey = std::tuple<std::int64_t, std::int64_t, std::int64_t>;
  using GroupKey = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::size_t>;
  /// The pending pods of one request shape and required pool.
  struct Group {
    Resources request;
    std::size_t pool = kAnyPool;
    std::map<Order, Schedulable*> pods;
    // By the message last told ("": never told); kept only once it fits nowhere, since until then
    // no pod of it is told anything (most groups bind every pod at its first try).
    std::map<std::string, std::set<Order>> by_message;
    bool nowhere = false;              // fits no node but, perhaps, those in `candidates`
    std::set<std::size_t> candidates;  // nodes that gained room it fits since it fit nowhere
    bool counted = false;              // the counts below are kept (from when it first fit nowhere)
    int short_cpu = 0;                 // nodes with too little free cpu for it
    int short_memory = 0;
    int short_gpu = 0;
    int not_ready = 0;   // nodes NotReady (a node failure)
    int cordoned = 0;    // nodes being removed by the cluster autoscaler
    int other_pool = 0;  // nodes outside its pool
    bool message_stale = true;
    bool active = false;  // in active_
    std::string message;
  };
  /// A pending pod's entry, at the slot the pod keeps (Schedulable::pending_slot_).
  struct PodEntry {
    Schedulable* pod = nullptr;  // none: the slot is free
    Group* group = nullptr;      // none while it waits for the pass under way to end
    Order order{};
    std::string told;
  };
  /// A pod nominated to a node by preemption.
  struct Nominee {
    std::size_t node;
    Order order;
  };
  /// Nodes of one allocatable size and pool, by free capacity: equal free amounts share an entry,
  /// and entries are ordered by how much is free (cpu and memory fractions), largest first.
  struct NodeClass {
    Resources allocatable;
    std::size_t pool;
    std::map<ShapeKey, std::set<std::size_t>> by_free;  // node indices in cluster order
    std::set<std::pair<double, ShapeKey>, std::greater<>> by_room;
  };

  void on_event(std::uint64_t token) override;
  void request_pass();
  /// Makes `pod` pending with `order` and asks for a pass (it joins after a pass under way).
  void add_pending(Schedulable& pod, const Order& order);
  /// Puts `pod`, whose entry is `e`, in its group.
  void enqueue(Schedulable& pod, PodEntry& e);
  void try_pod(Group& g, const Order& order, Schedulable& pod);
  [[nodiscard]] std::optional<Order> next_in(Group& g, const std::optional<Order>& after);
  [[nodiscard]] std::optional<std::size_t> best_node(const Resources& request,
                                                     std::size_t pool) const;
  [[nodiscard]] bool in_pool(const Group& g, std::size_t node) const noexcept {
    return g.pool == kAnyPool || g.pool == nodes_[node]->pool();
  }
  void register_node(Node& n);
  void invalidate_counts();
  void bind(Schedulable& pod, std::size_t node);
  bool try_preemption(Group& g, const Order& order, Schedulable& pod);
  void bind_nominees();
  void drop_nominees(std::size_t node);
  [[nodiscard]] std::optional<std::size_t> best_candidate(Group& g);
  void count_shortfalls(Group& g) const;
  const std::string& message(Group& g);
  void index_add(std::size_t node);
  void index_remove(std::size_t node, const Resources& free);
  /// The entry of `pod` while it is pending, else nullptr.
  [[nodiscard]] PodEntry* entry_of(const Schedulable& pod) noexcept;
  /// `pod`, pending, is no longer: it leaves its group (or the pods waiting for the pass under
  /// way) and its slot is free for the next.
  void forget(Schedulable& pod);
  /// `g` has no pod left: it goes, so that the scans of a change of room (on_free_changed) see
  /// only the shapes of pending pods, never every shape a run has seen.
  void erase_group(Group& g);
  /// `g` has something to do in the next pass: it joins active_ (once).
  void activate(Group& g);

  const Context& ctx_;
  Cluster& cluster_;
  std::vector<Node*> nodes_;           // cluster order
  std::vector<std::size_t> class_of_;  // node → its NodeClass
  std::vector<NodeClass> classes_;
  std::map<GroupKey, Group> groups_;
  std::map<std::pair<ShapeKey, std::size_t>, std::size_t> class_by_size_;  // (allocatable, pool)
  std::vector<bool> gone_;  // deleted nodes, no longer counted in messages
  int live_nodes_ = 0;
  std::unordered_map<const Schedulable*, Nominee> nominees_;
  std::map<std::size_t, std::map<Order, Schedulable*>> nominees_by_node_;
  std::set<std::size_t> nominee_nodes_changed_;  // nodes with nominees whose room changed
  engine::RandomStream preemption_rng_;          // where a preemption's search starts (> 100 nodes)
  // The groups a pass has to look at: those that may fit, or have pods not yet told their current
  // message. Any other group has nothing to do until a node change or a new pod makes it active.
  // Each at most once (Group::active); their order is free, since a pass orders their pods.
  boost::container::small_vector<Group*, 8> active_;
  // Groups by what they ask of each resource: a node change reaches only the groups it concerns.
  std::set<std::pair<std::int64_t, Group*>> by_cpu_;
  std::set<std::pair<std::int64_t, Group*>> by_memory_;
  std::set<std::pair<std::int64_t, Group*>> by_gpu_;
  // Pending pods' entries, each at the slot its pod keeps: queueing a pod allocates nothing once
  // the slots have grown to the most pods pending at once (a few fit inline), and finding one
  // hashes nothing.
  boost::container::small_vector<PodEntry, 8> entries_;
  boost::container::small_vector<std::uint32_t, 8> free_slots_;
  std::vector<std::pair<Schedulable*, Order>> arrived_in_pass_;  // tried from the next pass on
  std::vector<std::pair<Order, Group*>> frontier_;  // a pass's next pod of each group (on_event)
  std::uint64_t changes_ = 0;  // bumped by every change that may alter which pod a pass tries next
  bool in_pass_ = false;
  std::uint64_t next_seq_ = 0;
  engine::TimerId pass_;
};

}  // namespace wlsim::models

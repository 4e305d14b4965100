#pragma once
// The scheduler: binds pending pods to nodes whose free allocatable resources hold the pod's requests
// (SEMANTICS.md §5). Pending pods are tried by priority (importance), then in the order they arrived;
// among the nodes that fit, the least allocated wins (Kubernetes' default LeastAllocated scoring), the
// first in cluster order on a tie. A pod that fits nowhere stays Pending with Kubernetes' message
// ("0/3 nodes are available: 3 Insufficient cpu.") and is retried whenever capacity frees.

#include <cstdint>
#include <string>
#include <vector>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/cluster.hpp"
#include "wlsim/models/context.hpp"

namespace wlsim::models {

/// A pod as the scheduler sees it.
class Schedulable {
 public:
  [[nodiscard]] virtual Resources request() const = 0;
  [[nodiscard]] virtual int priority() const = 0;
  /// Bound: the node's resources are already reserved for it.
  virtual void on_bound(Node& node) = 0;
  /// Tried and fits nowhere; `message` is the Kubernetes FailedScheduling text.
  virtual void on_unschedulable(const std::string& message) = 0;

 protected:
  ~Schedulable() = default;
};

class Scheduler final : public engine::EventHandler {
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
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

  /// The FailedScheduling message for `request` on these nodes, in Kubernetes' wording.
  [[nodiscard]] static std::string unschedulable_message(const std::deque<Node>& nodes,
                                                         const Resources& request);

 private:
  struct Pending {
    int priority;
    std::uint64_t seq;
    Schedulable* pod;
  };
  void on_event(std::uint64_t token) override;
  void request_pass();
  [[nodiscard]] Node* best_node(const Resources& request);

  const Context& ctx_;
  Cluster& cluster_;
  std::vector<Pending> pending_;
  std::vector<const Schedulable*> withdrawn_in_pass_;  // by a callback while a pass runs: not to be tried
  bool in_pass_ = false;
  std::uint64_t next_seq_ = 0;
  engine::TimerId pass_;
};

}  // namespace wlsim::models

#pragma once
// A pod as the scheduler, the preemption of SEMANTICS.md §5, the node-failure fault and the
// cluster autoscaler see it.

#include <cstdint>
#include <string>
#include <string_view>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/resources.hpp"

namespace wlsim::models {

class Node;

/// Why a pending pod is not bound yet (the `pendingTime` split).
enum class PendingCause {
  NoCapacity,         ///< fits no node (Unschedulable)
  WaitingForVictims,  ///< nominated to a node whose preemption victims are still terminating
  WaitingForNode,     ///< the cluster autoscaler is provisioning a node for it
};

/// Why a bound pod is deleted and recreated (the `evictions` split).
enum class EvictionCause {
  Preemption,   ///< a higher-priority pod needs its room
  NodeFailure,  ///< its node was NotReady for the pod eviction timeout, or came back empty
  ScaleDown,    ///< the cluster autoscaler removes its node
};
[[nodiscard]] const char* to_string(EvictionCause c) noexcept;

/// The priority of `critical` workloads (Importance::Critical): their pods are never evicted by
/// preemption.
inline constexpr int kCriticalPriority = 3;

/// No node pool required: any node will do.
inline constexpr std::size_t kAnyPool = static_cast<std::size_t>(-1);

class Schedulable {
 public:
  [[nodiscard]] virtual Resources request() const = 0;
  /// Its name in messages (a replica's path).
  [[nodiscard]] virtual std::string name() const { return {}; }
  [[nodiscard]] virtual int priority() const = 0;
  /// The node pool it must run on (a resource bundle's), or kAnyPool.
  [[nodiscard]] virtual std::size_t required_pool() const { return kAnyPool; }
  /// Bound: the node's resources are already reserved for it.
  virtual void on_bound(Node& node) = 0;
  /// Tried and fits nowhere; `message` is the Kubernetes FailedScheduling text. Told the first time
  /// and whenever the message changes, not again while it stays the same.
  virtual void on_unschedulable(const std::string& message) = 0;
  /// Why it is still pending changed (told only while it is pending).
  virtual void on_pending_cause(PendingCause) {}
  /// Preemption chose `node` for it and evicted `victims` pods there: it binds once they are gone.
  virtual void on_nominated(const Node& /*node*/, int /*victims*/) {}
  /// When it started on its node (preemption evicts the most recently started first); never while
  /// pending.
  [[nodiscard]] virtual engine::Time start_time() const { return engine::Time::never(); }
  /// Deletes it from its node (gracefully, except after a node failure) and has its owner create a
  /// new pending pod in its place. `message` is the event's text.
  virtual void evict(EvictionCause /*cause*/, std::string_view /*message*/) {}
  /// Deleted and waiting for its containers to exit (it still holds its node): not a victim.
  [[nodiscard]] virtual bool deleting() const { return false; }
  /// Its node went NotReady: it stops being ready at once (no traffic); the kubelet is gone.
  virtual void on_node_lost() {}

 protected:
  Schedulable() = default;
  // A copy is another pod: it is not pending where the original is.
  Schedulable(const Schedulable&) noexcept {}
  Schedulable& operator=(const Schedulable&) noexcept { return *this; }
  ~Schedulable() = default;

 private:
  friend class Scheduler;
  static constexpr std::uint32_t kNotPending = ~std::uint32_t{0};
  /// Its entry's slot in the scheduler while it is pending.
  std::uint32_t pending_slot_ = kNotPending;
};

}  // namespace wlsim::models

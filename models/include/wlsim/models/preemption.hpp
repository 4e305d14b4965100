#pragma once
// Kubernetes' DefaultPreemption (SEMANTICS.md §5), as pure functions over one node at a time: which
// pods a preemptor would evict on a node, and which node's set of victims is the least harm.

#include <cstddef>
#include <optional>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/node.hpp"
#include "wlsim/models/schedulable.hpp"

namespace wlsim::models {

/// The victims a preemptor would evict on one node, with what the node choice compares.
struct Victims {
  std::size_t node = 0;
  std::vector<Schedulable*> pods;
  int highest_priority = 0;
  long priority_sum = 0;  ///< of (priority + 1): every victim counts, as Kubernetes' offset has it
  /// The earliest start among the victims of the highest priority.
  engine::Time earliest_top_start = engine::Time::never();
};

/// The victims on `node` for a pod of `priority` asking `request`, or none if evicting every pod
/// of strictly lower priority (never a critical one, never one already being deleted) would not
/// make room. Victims are taken lowest priority first, then the most recently started, until the
/// pod fits; then every victim not needed is given back, highest priority first (the earliest
/// started first among equals).
[[nodiscard]] std::optional<Victims> select_victims(const Node& node, std::size_t node_index,
                                                    const Resources& request, int priority);

/// Whether `a` is the better node to preempt on than `b`: the lower highest victim priority, then
/// the smaller priority sum, then fewer victims, then the later earliest start of the top victims,
/// then the first node in cluster order.
[[nodiscard]] bool less_harm(const Victims& a, const Victims& b) noexcept;

}  // namespace wlsim::models

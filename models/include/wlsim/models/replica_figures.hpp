#pragma once
// What a replica leaves once it is gone: the figures a run's results sum over every replica a
// proton ever had, and the milestones of its start (the time-to-running breakdown names one
// replica). A proton keeps these instead of the replica once it is removed and compacted, so that
// a proton that scales all day holds the memory of its live replicas only.

#include <array>
#include <cstdint>
#include <optional>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/schedulable.hpp"

namespace wlsim::models {

struct ReplicaFigures {
  std::array<engine::Time, 3> pending{};  ///< time pending, by PendingCause
  int restarts = 0;                       ///< over its containers
  int oom_kills = 0;
  std::optional<EvictionCause> evicted_by;
  bool preempted_others = false;  ///< nominated to a node by preemption

  [[nodiscard]] engine::Time pending_time(PendingCause cause) const noexcept {
    return pending[static_cast<std::size_t>(cause)];
  }
  /// The sum over every cause.
  [[nodiscard]] engine::Time pending_time() const noexcept {
    engine::Time total;
    for (const engine::Time t : pending) total += t;
    return total;
  }
  /// Adds nothing to any sum: the proton need not keep it.
  [[nodiscard]] bool none() const noexcept {
    return pending_time() == engine::Time::zero() && restarts == 0 && oom_kills == 0 &&
           !evicted_by && !preempted_others;
  }
};

/// The steps of a replica's start, each never if it did not happen.
struct ReplicaMilestones {
  engine::Time bound_at = engine::Time::never();
  engine::Time set_up_at = engine::Time::never();
  engine::Time images_ready_at = engine::Time::never();
  engine::Time apps_up_at = engine::Time::never();
};

}  // namespace wlsim::models

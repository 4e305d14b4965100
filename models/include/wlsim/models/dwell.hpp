#pragma once
// Time spent in one condition (errored, unschedulable, ...), over however many visits: the one
// bookkeeping behind every dwell metric.

#include "wlsim/engine/time.hpp"

namespace wlsim::models {

class Dwell {
 public:
  /// The condition holds from `now` (no effect if it already held).
  void enter(engine::Time now) noexcept {
    if (since_.is_never()) since_ = now;
  }
  /// The condition ends at `now` (no effect if it did not hold).
  void leave(engine::Time now) noexcept {
    if (since_.is_never()) return;
    total_ += now - since_;
    since_ = engine::Time::never();
  }
  [[nodiscard]] bool active() const noexcept { return !since_.is_never(); }
  /// Total time in the condition up to `now`, the current visit included.
  [[nodiscard]] engine::Time total(engine::Time now) const noexcept {
    return total_ + (since_.is_never() ? engine::Time::zero() : now - since_);
  }

 private:
  engine::Time since_ = engine::Time::never();
  engine::Time total_;
};

}  // namespace wlsim::models

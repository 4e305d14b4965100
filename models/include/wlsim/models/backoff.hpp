#pragma once
// Kubernetes' per-item back-off (client-go util/flowcontrol), the one rule behind both the crash
// back-off (SEMANTICS.md §4) and the image-pull back-off (§3): each attempt after an event at time
// t records t; the first attempt, or one more than `expiry` after the last recorded event, sets the
// delay to `initial`; every other doubles it, up to `max`.

#include <algorithm>

#include "wlsim/engine/time.hpp"

namespace wlsim::models {

/// One back-off's numbers (SEMANTICS.md §9: the scenario's `platform` block sets them); the
/// defaults are the kubelet's for crashes and image pulls: 10 s doubling to 300 s, reset after 600
/// s.
struct BackoffParams {
  engine::Time initial = engine::Time::from_seconds(10);
  engine::Time max = engine::Time::from_seconds(300);
  engine::Time reset_after = engine::Time::from_seconds(600);
};

class Backoff {
 public:
  Backoff(engine::Time initial, engine::Time max, engine::Time expiry) noexcept
      : initial_(initial), max_(max), expiry_(expiry) {}
  explicit Backoff(const BackoffParams& p) noexcept : Backoff(p.initial, p.max, p.reset_after) {}

  /// The crash-loop and image-pull defaults: 10 s doubling to 300 s, reset after 600 s.
  [[nodiscard]] static Backoff kubelet_default() noexcept { return Backoff(BackoffParams{}); }

  /// How long an attempt after an event at `t` must wait (Kubernetes' IsInBackOffSince): the
  /// current delay, or zero if nothing was recorded yet or the last record has expired.
  [[nodiscard]] engine::Time delay_after(engine::Time t) const noexcept {
    return active(t) ? delay_ : engine::Time::zero();
  }

  /// Records an attempt for the event at `t` (Kubernetes' Next) and returns the new delay.
  engine::Time next(engine::Time t) noexcept {
    delay_ = active(t) ? std::min(delay_ * 2, max_) : initial_;
    last_ = t;
    recorded_ = true;
    return delay_;
  }

  [[nodiscard]] engine::Time current() const noexcept { return delay_; }

 private:
  [[nodiscard]] bool active(engine::Time t) const noexcept {
    return recorded_ && !(t - last_ > expiry_);
  }

  engine::Time initial_;
  engine::Time max_;
  engine::Time expiry_;
  engine::Time delay_;
  engine::Time last_;
  bool recorded_ = false;
};

}  // namespace wlsim::models

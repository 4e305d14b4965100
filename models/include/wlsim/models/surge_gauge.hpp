#pragma once
// What the workloads with a replacement in flight hold together, and the most they held at once:
// the fleet's peak surge. Each workload adds its holdings when a replacement starts, its changes
// while it runs and takes them back when it ends, so the gauge costs O(1) per change instead of a
// scan of the fleet.

#include <algorithm>

#include "wlsim/models/resources.hpp"

namespace wlsim::models {

class SurgeGauge {
 public:
  void add(const Resources& r) noexcept {
    held_ += r;
    peak_.cpu_milli = std::max(peak_.cpu_milli, held_.cpu_milli);
    peak_.memory_bytes = std::max(peak_.memory_bytes, held_.memory_bytes);
    peak_.gpu = std::max(peak_.gpu, held_.gpu);
  }
  void remove(const Resources& r) noexcept { held_ -= r; }
  [[nodiscard]] const Resources& held() const noexcept { return held_; }
  /// Each resource's own peak (they need not peak at the same instant).
  [[nodiscard]] const Resources& peak() const noexcept { return peak_; }

 private:
  Resources held_;
  Resources peak_;
};

}  // namespace wlsim::models

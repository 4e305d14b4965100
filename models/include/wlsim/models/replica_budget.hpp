#pragma once
// How many replicas a run may hold at once. The loader bounds the initial workloads; this bounds
// what the run's API calls add (POST /workloads, replacements, settings), which the loader cannot
// know ahead (a replacement without a runtime copies the workload's count at that moment).

#include <cstdint>
#include <stdexcept>
#include <string>

namespace wlsim::models {

/// A run asked for more than its bounds allow; what() is one line that names the bound.
class LimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ReplicaBudget {
 public:
  explicit ReplicaBudget(std::int64_t max) noexcept : max_(max) {}

  /// `n` more replicas are created; throws LimitExceeded if that passes the bound.
  void add(std::int64_t n) {
    if (n > max_ - held_) {
      throw LimitExceeded("the run would hold " + std::to_string(held_ + n) +
                          " replicas at once, over the limit of " + std::to_string(max_) +
                          " replicas in total (raise it with --max-total-replicas)");
    }
    held_ += n;
  }
  void remove(std::int64_t n) noexcept { held_ -= n; }
  [[nodiscard]] std::int64_t held() const noexcept { return held_; }

 private:
  std::int64_t max_;
  std::int64_t held_ = 0;
};

}  // namespace wlsim::models

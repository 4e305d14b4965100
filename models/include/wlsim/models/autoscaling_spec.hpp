#pragma once
// A container group's `autoscaling` as the platform writes it (SEMANTICS.md §8).

#include <vector>

namespace wlsim::models {

/// The metrics wlsim simulates. The GPU metrics are refused by the loader.
enum class ScalingMetric { CpuAverageUtilization, HttpRequestsConcurrency };

/// One policy: it recommends a count from its metric, clamped to [min_count, max_count].
struct ScalingPolicy {
  ScalingMetric metric = ScalingMetric::CpuAverageUtilization;
  double target = 0;  ///< percent of the cpu request, or requests in flight per replica
  int min_count = 1;
  int max_count = 1;
};

struct AutoscalingSpec {
  bool enabled = false;  ///< false: the group keeps its replicaCount
  std::vector<ScalingPolicy> policies;
};

[[nodiscard]] const char* to_string(ScalingMetric m) noexcept;

}  // namespace wlsim::models

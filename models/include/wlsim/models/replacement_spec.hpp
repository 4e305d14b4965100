#pragma once
// What a replacement is asked to do, as plain values: the request of the Workload API and the
// statuses a replacement goes through. The running replacement is replacement.hpp.

#include <optional>
#include <string>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

enum class ReplacementStatus {
  Unknown,
  Submitted,
  Initializing,
  Promoting,
  Finalizing,
  Deleting,
  Completed,
  Errored
};
[[nodiscard]] const char* to_string(ReplacementStatus s) noexcept;

/// ReplacementConfig of the platform API.
struct ReplacementConfig {
  engine::Time warmup;    ///< warmupDurationMinutes
  engine::Time keep_old;  ///< keepOldVersionMinutes
};

/// What started a replacement: StartReplacementRequest, or PATCH /settings (runtime only).
struct ReplacementRequest {
  std::string artifact_id;
  std::string strategy = "rolling";
  ReplacementConfig config;
  std::optional<RuntimeSpec> runtime;  ///< none: the current runtime
  bool from_settings = false;
};

}  // namespace wlsim::models

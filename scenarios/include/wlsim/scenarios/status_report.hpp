#pragma once
// The status-details snapshot of every workload at one simulated time: for each workload, each
// proton's statusDetails (models/status_details.hpp), as JSON or as a readable listing.

#include <string>

#include "wlsim/models/platform.hpp"

namespace wlsim::scenarios {

/// {"at": seconds, "workloads": [{"id", "status", "artifactId", "importance", "protons": [...]}]}
[[nodiscard]] std::string status_json(const models::Platform& platform, engine::Time at);

/// The same snapshot as an indented, human-readable listing.
[[nodiscard]] std::string status_table(const models::Platform& platform, engine::Time at);

}  // namespace wlsim::scenarios

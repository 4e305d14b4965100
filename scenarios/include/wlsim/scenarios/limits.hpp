#pragma once
// The bounds on what a scenario may ask for. Every input is bounded so that no sum or product in the
// engine can overflow 64 bits, and so that a valid-looking file cannot run for hours or fill memory;
// each bound is a clear error (exit 2, with the field path) and each can be raised by a user who needs
// more (`wlsim run --max-replicas ...`, `wlsim.load(..., limits={...})`).

#include <cstdint>

#include "wlsim/engine/time.hpp"

namespace wlsim::scenarios {

struct Limits {
  /// Bytes of scenario text (a file, a dict's JSON, a call body).
  std::int64_t max_file_bytes = 64LL << 20;
  /// Items in any one list (node pools, artifacts, workloads, containers, actions, faults, paths...).
  std::int64_t max_list_length = 100'000;
  /// Nesting depth of maps and lists.
  int max_depth = 64;
  /// Replicas of one container group (a proton's replicaCount).
  std::int64_t max_replicas_per_group = 100'000;
  /// Replicas of every workload's initial proton together.
  std::int64_t max_replicas_total = 1'000'000;
  /// Nodes of every node pool together.
  std::int64_t max_nodes = 100'000;
  /// A scenario's duration, and any duration or time in it (100 years: far from 2^63 microseconds).
  engine::Time max_duration = engine::Time::from_seconds(100LL * 365 * 24 * 3600);
  /// Any size in bytes (memory, image size, allocatable): 1 EB.
  std::int64_t max_bytes = 1'000'000'000'000'000'000LL;
};

/// The bounds of one run.
struct RunLimits {
  /// Events the kernel may dispatch before the run stops with an error naming this budget. The
  /// default is far above any example (the largest dispatches about 100) times 1000, and stops a runaway run within seconds.
  std::uint64_t max_events = 20'000'000;
};

}  // namespace wlsim::scenarios

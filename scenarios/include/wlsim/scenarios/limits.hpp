#pragma once
// The bounds on what a scenario may ask for. Every input is bounded so that no sum or product in
// the engine can overflow 64 bits, and so that a valid-looking file cannot run for hours or fill
// memory; each bound is a clear error (exit 2, with the field path) and each can be raised by a
// user who needs more (`wlsim run --max-replicas ...`, `wlsim.load(..., limits={...})`).
//
// Two kinds of bound:
// - counts (file size, list length, depth, replicas, nodes) bound the work and memory of a load and
// a
//   run; a user may raise them up to the ceilings below, which keep them in the engine's `int`
//   fields;
// - amounts (durations, bytes, rates, cpu, gpu) keep the engine's arithmetic exact. They may be
//   lowered, never raised: with them every resource sum (a pod's containers, a cluster's nodes, the
//   pods bound to them) stays below 4·10^18 and every instant below 300 years of microseconds, far
//   from 2^63. A load with a larger amount bound is refused.

#include <cstdint>

#include "wlsim/engine/time.hpp"

namespace wlsim::scenarios {

struct Limits {
  /// Bytes of scenario text (a file, a dict's JSON, a call body).
  std::int64_t max_file_bytes = 64LL << 20;
  /// Items in any one list (node pools, artifacts, workloads, containers, actions, faults,
  /// paths...).
  std::int64_t max_list_length = 100'000;
  /// Nesting depth of maps and lists (the top-level mapping is depth 1).
  int max_depth = 64;
  /// Replicas of one container group (a proton's replicaCount).
  std::int64_t max_replicas_per_group = 100'000;
  /// Replicas of every workload's initial proton together.
  std::int64_t max_replicas_total = 1'000'000;
  /// Nodes of every node pool together.
  std::int64_t max_nodes = 100'000;
  /// A scenario's duration, and any duration or time in it (100 years: far from 2^63 microseconds).
  engine::Time max_duration = engine::Time::from_seconds(100LL * 365 * 24 * 3600);
  /// Any size in bytes (memory, image size, allocatable), a pod's containers together and a
  /// cluster's nodes together: 1 EB.
  std::int64_t max_bytes = 1'000'000'000'000'000'000LL;
  /// Any rate in bytes per second (registry bandwidth, memory growth): 1 TB/s, so that a remainder
  /// below the rate times 10^6 microseconds stays below 2^63.
  std::int64_t max_bytes_per_second = 1'000'000'000'000LL;
  /// Any cpu amount, a pod's together and a cluster's together, in millicores: 10^9 cores.
  std::int64_t max_cpu_milli = 1'000'000'000'000LL;
  /// Any gpu count, a pod's together and a cluster's together.
  std::int64_t max_gpu = 1'000'000'000LL;
  /// Not a bound but how strict a load is: a field wlsim does not read (a real export's
  /// `metadata`, `tolerations`, ...) is skipped with a warning (Scenario::warnings) instead of
  /// refused (`--ignore-unsupported`).
  bool ignore_unsupported = false;
};

/// The largest count bounds a user may set: the engine keeps replica and node counts in `int`, and
/// the YAML parser refuses nesting beyond 2000 levels on its own.
inline constexpr std::int64_t kMaxCountCeiling = 2'147'483'647;
inline constexpr int kMaxDepthCeiling = 1000;

/// The bounds of one run.
struct RunLimits {
  /// Events the kernel may dispatch before the run stops with an error naming this budget. The
  /// default is far above any example (the largest dispatches about 100) times 1000, and stops a
  /// runaway run within seconds.
  std::uint64_t max_events = 20'000'000;
};

}  // namespace wlsim::scenarios

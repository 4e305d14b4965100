#pragma once
// The kubelet's numbers (SEMANTICS.md §9): what a scenario's `platform` block sets for every node
// and container of the run. Carried by the run's Context.

#include "wlsim/engine/time.hpp"
#include "wlsim/models/backoff.hpp"

namespace wlsim::models {

struct KubeletParams {
  BackoffParams crash;       ///< restarts of a container that exited (§4)
  BackoffParams image_pull;  ///< retries of a failed pull (§3)
  /// One image at a time per node (§3); when false, up to `max_parallel_image_pulls` at once,
  /// sharing the registry's bandwidth.
  bool serialize_image_pulls = true;
  int max_parallel_image_pulls = 1;  ///< with serialize_image_pulls false; >= 1
  /// A probe's first run comes a random part of its period late, as Kubernetes' prober ticker
  /// does (§2); off by default so that exact times can be asserted.
  bool probe_phase_offset = false;
  /// SIGTERM, then SIGKILL this long after if the process has not exited (§5): every deletion
  /// (eviction, scale-down, teardown) and every liveness or startup kill.
  engine::Time termination_grace_period = engine::Time::from_seconds(30);
};

}  // namespace wlsim::models

#pragma once
// A loaded scenario: immutable, shareable across runs and threads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/container_spec_pool.hpp"
#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/probe_spec.hpp"
#include "wlsim/scenarios/expectations.hpp"
#include "wlsim/scenarios/limits.hpp"

namespace wlsim::scenarios {

struct Scenario {
  std::string name;
  std::uint64_t seed = 1;  ///< used when a run does not pass its own
  engine::Time duration;
  models::Profile profile = models::Profile::Platform;
  models::PlatformSpec platform;
  Limits
      limits;  ///< the bounds it was loaded under; a run keeps to them too (replicas held at once)
  /// What the load skipped under Limits::ignore_unsupported, one line per field, sorted:
  /// "<origin>: <field path>: <why>; ignored".
  std::vector<std::string> warnings;
  Expectations expect;  ///< what a run must show (`wlsim check`); none changes the run
  /// The container specs its runs' protons share, kept across runs: a replication finds them made
  /// by the runs before it. Shared by copies of the scenario (the pool matches specs by content,
  /// so a changed copy gets its own); none makes each run hold its own.
  std::shared_ptr<models::ContainerSpecPool> container_specs =
      std::make_shared<models::ContainerSpecPool>();
};

}  // namespace wlsim::scenarios

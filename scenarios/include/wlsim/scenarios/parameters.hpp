#pragma once
// The numbers behind the rules that a scenario's `platform` block may set (SEMANTICS.md §9): their
// defaults under each profile, and where each number comes from. One place for the defaults: the
// loader starts from them and `wlsim params` prints them.

#include <string>
#include <vector>

#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/probe_spec.hpp"

namespace wlsim::scenarios {

/// The platform settings a scenario of `profile` starts from.
[[nodiscard]] models::PlatformSettings default_settings(models::Profile profile);

/// One settable number: its path in the `platform` block, its value as a scenario writes it, and
/// its source (the platform's documents or a Kubernetes or Knative source file).
struct Parameter {
  std::string name;
  std::string value;
  std::string source;
};

/// Every parameter of `settings`, in the order of the scenario format's table.
[[nodiscard]] std::vector<Parameter> parameters(const models::PlatformSettings& settings,
                                                models::Profile profile);

}  // namespace wlsim::scenarios

#pragma once
// An artifact: a container recipe, draft or locked (SEMANTICS.md §1).

#include <string>
#include <vector>

#include "wlsim/models/container_spec.hpp"

namespace wlsim::models {

enum class ArtifactStatus { Draft, Locked };

struct ArtifactSpec {
  std::string id;
  ArtifactStatus status = ArtifactStatus::Draft;
  std::string type = "service";
  std::vector<ContainerSpec> containers;  ///< of the single container group "default"
};

[[nodiscard]] const char* to_string(ArtifactStatus s) noexcept;

}  // namespace wlsim::models

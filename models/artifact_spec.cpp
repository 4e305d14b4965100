#include "wlsim/models/artifact_spec.hpp"

namespace wlsim::models {

const char* to_string(ArtifactStatus s) noexcept {
  return s == ArtifactStatus::Locked ? "locked" : "draft";
}

}  // namespace wlsim::models

#pragma once
// The run's container specs, each held once. Every proton of a fleet that runs the same artifact
// with the same overrides runs the same containers: the pool hands them one shared, immutable
// copy instead of a copy each (a ContainerSpec is about 900 bytes before its strings).

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "wlsim/models/container_spec.hpp"

namespace wlsim::models {

using ContainerSpecs = std::shared_ptr<const std::vector<ContainerSpec>>;

class ContainerSpecPool {
 public:
  /// The pool's copy of specs equal to `specs` (field by field), made from them if it has none.
  [[nodiscard]] ContainerSpecs intern(std::vector<ContainerSpec>&& specs);

  /// Distinct spec lists held.
  [[nodiscard]] std::size_t size() const noexcept { return held_.size(); }

 private:
  /// By a hash of what most often tells lists apart (names, images, resources); equal hashes are
  /// compared whole.
  std::unordered_multimap<std::uint64_t, ContainerSpecs> held_;
};

}  // namespace wlsim::models

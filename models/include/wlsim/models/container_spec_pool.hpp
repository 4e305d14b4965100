#pragma once
// Container specs, each held once. Every proton of a fleet that runs the same artifact with the
// same overrides runs the same containers: the pool hands them one shared, immutable copy instead
// of a copy each (a ContainerSpec is about 900 bytes before its strings). A scenario keeps one
// pool for all its runs (scenarios::Scenario::container_specs), so that its replications, on any
// thread, find their specs made by the first.

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "wlsim/models/container_spec.hpp"

namespace wlsim::models {

using ContainerSpecs = std::shared_ptr<const std::vector<ContainerSpec>>;

/// Safe to use from several threads (its calls are serialised).
class ContainerSpecPool {
 public:
  /// The pool's copy of specs equal to `specs` (field by field), made from them if it has none.
  /// Equal by content, whichever scenario or run asked first: a copy of a scenario changed after
  /// its runs began shares the pool and still gets its own specs.
  [[nodiscard]] ContainerSpecs intern(std::vector<ContainerSpec>&& specs);
  /// The same, copying `specs` only if the pool has none equal (a proton that runs its artifact's
  /// containers as they are).
  [[nodiscard]] ContainerSpecs intern(const std::vector<ContainerSpec>& specs);

  /// Distinct spec lists held.
  [[nodiscard]] std::size_t size() const {
    const std::scoped_lock lock(mutex_);
    return held_.size();
  }

 private:
  /// Both interns: `specs` is copied or moved into the pool only if it has none equal.
  template <class Specs>
  ContainerSpecs intern_as(Specs&& specs);

  mutable std::mutex mutex_;
  /// By a hash of what most often tells lists apart (names, images, resources); equal hashes are
  /// compared whole.
  std::unordered_multimap<std::uint64_t, ContainerSpecs> held_;
};

}  // namespace wlsim::models

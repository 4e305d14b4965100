#include "wlsim/models/container_spec_pool.hpp"

#include <mutex>
#include <string_view>
#include <utility>

#include "wlsim/engine/hash64.hpp"

namespace wlsim::models {

namespace {
std::uint64_t fingerprint(const std::vector<ContainerSpec>& specs) {
  std::uint64_t h = specs.size();
  for (const ContainerSpec& c : specs) {
    h = engine::hash64::fold(h, c.name);
    h = engine::hash64::fold(h, c.image_uri);
    h = engine::hash64::fold(h, static_cast<std::uint64_t>(c.resources.cpu_milli));
    h = engine::hash64::fold(h, static_cast<std::uint64_t>(c.resources.memory_bytes));
  }
  return h;
}
}  // namespace

template <class Specs>
ContainerSpecs ContainerSpecPool::intern_as(Specs&& specs) {
  const std::uint64_t key = fingerprint(specs);
  const std::scoped_lock lock(mutex_);
  const auto [first, last] = held_.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (*it->second == specs) return it->second;
  }
  // Copied, or moved from a caller's own list, only now that the pool has none equal.
  return held_
      .emplace(key, std::make_shared<const std::vector<ContainerSpec>>(std::forward<Specs>(specs)))
      ->second;
}

ContainerSpecs ContainerSpecPool::intern(std::vector<ContainerSpec>&& specs) {
  return intern_as(std::move(specs));
}

ContainerSpecs ContainerSpecPool::intern(const std::vector<ContainerSpec>& specs) {
  return intern_as(specs);
}

}  // namespace wlsim::models

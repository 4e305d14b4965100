#include "wlsim/models/container_spec_pool.hpp"

#include <mutex>
#include <string_view>

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

namespace {
/// The pool's entry equal to `specs` in `held` (whose key is `key`), or null.
template <class Held>
const ContainerSpecs* find(const Held& held, std::uint64_t key,
                           const std::vector<ContainerSpec>& specs) {
  const auto [first, last] = held.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (*it->second == specs) return &it->second;
  }
  return nullptr;
}
}  // namespace

ContainerSpecs ContainerSpecPool::intern(std::vector<ContainerSpec>&& specs) {
  const std::uint64_t key = fingerprint(specs);
  const std::scoped_lock lock(mutex_);
  if (const ContainerSpecs* held = find(held_, key, specs)) return *held;
  return held_.emplace(key, std::make_shared<const std::vector<ContainerSpec>>(std::move(specs)))
      ->second;
}

ContainerSpecs ContainerSpecPool::intern(const std::vector<ContainerSpec>& specs) {
  const std::uint64_t key = fingerprint(specs);
  const std::scoped_lock lock(mutex_);
  if (const ContainerSpecs* held = find(held_, key, specs)) return *held;
  return held_.emplace(key, std::make_shared<const std::vector<ContainerSpec>>(specs))->second;
}

}  // namespace wlsim::models

#include "wlsim/models/sojourn_memo.hpp"

#include "wlsim/engine/hash64.hpp"

namespace wlsim::models {

std::size_t SojournMemo::Hash::operator()(const Load& l) const noexcept {
  std::uint64_t h = engine::hash64::kSeed;
  for (const std::uint64_t word : l.bits()) h = engine::hash64::fold(h, word);
  return static_cast<std::size_t>(h);
}

const LatencyStrata* SojournMemo::find(const Load& load) const {
  const auto it = kept_.find(load);
  return it == kept_.end() ? nullptr : &it->second;
}

void SojournMemo::keep(const Load& load, const LatencyStrata& strata) {
  if (kept_.size() < kMostLoads) kept_.emplace(load, strata);
}

}  // namespace wlsim::models

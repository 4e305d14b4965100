#include "wlsim/models/sojourn_memo.hpp"

#include <bit>

#include "wlsim/engine/hash64.hpp"

namespace wlsim::models {

std::size_t SojournMemo::Hash::operator()(const Load& l) const noexcept {
  namespace h = engine::hash64;
  std::uint64_t x = h::fold(h::kSeed, std::bit_cast<std::uint64_t>(l.rate));
  x = h::fold(x, std::bit_cast<std::uint64_t>(l.service_s));
  x = h::fold(x, std::bit_cast<std::uint64_t>(l.p_wait));
  return static_cast<std::size_t>(h::fold(x, static_cast<std::uint64_t>(l.servers)));
}

const LatencyStrata* SojournMemo::find(const Load& load) const {
  const auto it = kept_.find(load);
  return it == kept_.end() ? nullptr : &it->second;
}

void SojournMemo::keep(const Load& load, const LatencyStrata& strata) {
  if (kept_.size() < kMostLoads) kept_.emplace(load, strata);
}

}  // namespace wlsim::models

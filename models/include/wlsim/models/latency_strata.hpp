#pragma once
// The strata of one latency distribution (fluid_queue.cpp: kStrata), held in place: 16
// (latency, probability) pairs whose weighted mean is the distribution's mean.

#include <array>
#include <cstddef>
#include <span>
#include <utility>

namespace wlsim::models {

struct LatencyStrata {
  using Stratum = std::pair<double, double>;  ///< (latency, probability)
  std::array<Stratum, 16> values{};
  std::size_t size = 0;
  [[nodiscard]] std::span<const Stratum> view() const noexcept { return {values.data(), size}; }
};

}  // namespace wlsim::models

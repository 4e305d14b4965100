#pragma once
// The sojourn strata of the stationary loads a run's fluid queues have met, kept for the next
// queue that meets the same load. They are a pure function of the load (rate, servers, mean
// service time, and Erlang C's probability of waiting, itself a function of those), and costly:
// sixteen quantiles searched by Newton's method, a few hundred exponentials. A fleet's queues meet
// the same few loads again and again (a rate returns, replicas come and go), so a run computes
// each once; an entry found is the very value the computation gives, so results are bit for bit
// those of computing every time. One per run (not shared between threads), bounded.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "wlsim/models/latency_strata.hpp"

namespace wlsim::models {

class SojournMemo {
 public:
  /// Compared bit for bit (0.0 and -0.0 are two loads), as the strata may differ where the
  /// numbers do.
  struct Load {
    double rate;
    double service_s;
    double p_wait;
    int servers;
    /// Its bits: what the memo compares and hashes.
    [[nodiscard]] std::array<std::uint64_t, 4> bits() const noexcept {
      return {std::bit_cast<std::uint64_t>(rate), std::bit_cast<std::uint64_t>(service_s),
              std::bit_cast<std::uint64_t>(p_wait), static_cast<std::uint64_t>(servers)};
    }
    friend bool operator==(const Load& a, const Load& b) noexcept { return a.bits() == b.bits(); }
  };
  /// At most this many loads are kept (about 5 MB); a load met after that is computed each time.
  static constexpr std::size_t kMostLoads = 16'384;

  /// The strata kept for `load`, or none.
  [[nodiscard]] const LatencyStrata* find(const Load& load) const;
  /// Keeps `strata` for `load` unless kMostLoads are kept.
  void keep(const Load& load, const LatencyStrata& strata);
  [[nodiscard]] std::size_t size() const noexcept { return kept_.size(); }

 private:
  struct Hash {
    std::size_t operator()(const Load& l) const noexcept;
  };
  std::unordered_map<Load, LatencyStrata, Hash> kept_;
};

}  // namespace wlsim::models

#pragma once
// What every model object needs from the run it belongs to: the clock, the trace and the seed.
// One Context per run; objects hold a reference to it.

#include <cstdint>
#include <string>
#include <string_view>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

struct Context {
  engine::Simulator& sim;
  engine::Trace& trace;
  std::uint64_t seed;

  [[nodiscard]] engine::Time now() const noexcept { return sim.now(); }

  /// A state change of `object`, recorded at the current time.
  void record(std::string_view object, std::string_view kind, std::string_view from, std::string_view to,
              std::string_view reason = {}, std::string_view message = {}) const {
    trace.record({sim.now(), std::string(object), std::string(kind), std::string(from), std::string(to),
                  std::string(reason), std::string(message)});
  }

  /// A Kubernetes-style event ("Normal" or "Warning") about `object`.
  void event(std::string_view object, std::string_view type, std::string_view reason,
             std::string_view message) const {
    record(object, "event", {}, type, reason, message);
  }

  /// The random stream of (this run's seed, entity, purpose).
  [[nodiscard]] engine::RandomStream stream(std::string_view entity, std::string_view purpose) const {
    return engine::RandomStream(seed, entity, purpose);
  }
};

}  // namespace wlsim::models

#pragma once
// What every model object needs from the run it belongs to: the clock, the trace and the seed.
// One Context per run; objects hold a reference to it.

#include <cstdint>
#include <string>
#include <string_view>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/kubelet_params.hpp"
#include "wlsim/models/replica_budget.hpp"
#include "wlsim/models/surge_gauge.hpp"
#include "wlsim/models/trace_kinds.hpp"

namespace wlsim::models {

struct Context {
  engine::Simulator& sim;
  engine::Trace& trace;
  std::uint64_t seed;
  /// The run's bound on replicas held at once; none (unbounded) in unit tests that build a context.
  ReplicaBudget* replicas = nullptr;
  /// The kubelet's numbers for this run (the scenario's `platform` block, or the defaults).
  KubeletParams kubelet{};
  /// What workloads hold during their replacements, fleet-wide; none in unit tests.
  SurgeGauge* surge = nullptr;

  [[nodiscard]] engine::Time now() const noexcept { return sim.now(); }

  /// A state change of `object`, recorded at the current time. Returned for the objects that keep
  /// their last records (RecentRecords).
  engine::TraceRecord record(std::string_view object, TraceKind kind, TraceState from,
                             TraceState to, Reason reason = Reason::None,
                             std::string_view message = {}) const {
    engine::TraceRecord r{sim.now(),
                          std::string(object),
                          static_cast<engine::TraceCode>(kind),
                          from.code(),
                          to.code(),
                          static_cast<engine::TraceCode>(reason),
                          std::string(message),
                          {},
                          &trace_vocabulary()};
    trace.record(r);
    return r;
  }

  /// A Kubernetes-style event about `object`.
  engine::TraceRecord event(std::string_view object, EventType type, Reason reason,
                            std::string_view message) const {
    return record(object, TraceKind::Event, {}, type, reason, message);
  }

  /// A Workload API call and its answer: from the request line as written, to the HTTP status.
  void api_call(std::string_view endpoint, int status, std::string_view body) const {
    engine::TraceRecord r{sim.now(),
                          "api",
                          static_cast<engine::TraceCode>(TraceKind::Api),
                          engine::TraceRecord::kTextState,
                          static_cast<engine::TraceCode>(status),
                          static_cast<engine::TraceCode>(Reason::None),
                          std::string(body),
                          std::string(endpoint),
                          &trace_vocabulary()};
    trace.record(r);
  }

  /// The random stream of (this run's seed, entity, purpose).
  [[nodiscard]] engine::RandomStream stream(std::string_view entity,
                                            std::string_view purpose) const {
    return engine::RandomStream(seed, entity, purpose);
  }
};

}  // namespace wlsim::models

#pragma once
// What every model object needs from the run it belongs to: the clock, the trace and the seed.
// One Context per run; objects hold a reference to it.

#include <cstdint>
#include <string>
#include <string_view>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/container_spec_pool.hpp"
#include "wlsim/models/event_series.hpp"
#include "wlsim/models/kubelet_params.hpp"
#include "wlsim/models/replica_budget.hpp"
#include "wlsim/models/sojourn_memo.hpp"
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
  /// What objects keep only for a Workload API call or a status report to show: their last
  /// records (recent_events.hpp) and a torn-down proton's pods. They cost a third of a fleet's
  /// memory; a run that can make no such call keeps none of it (Session decides).
  struct KeepRecent {
    /// statusDetails can be asked (GET statusDetails, status reports): pods keep their last
    /// events (`messages`), and a torn-down proton keeps its pods whole to list them.
    bool pod_details = true;
    bool workload_records = true;  ///< GET /workloads/{id}/events
  };
  KeepRecent keep_recent{};
  /// Where protons share their container specs; none (each its own copy) in unit tests.
  ContainerSpecPool* container_specs = nullptr;
  /// Where fluid queues keep the sojourn strata of the loads they meet; none (each computes its
  /// own) in unit tests.
  SojournMemo* sojourn_memo = nullptr;
  /// Events foreseen to change nothing may pass silently (PlatformSettings::pass_silently).
  bool pass_silently = true;

  [[nodiscard]] engine::Time now() const noexcept { return sim.now(); }

  /// The run's repeated events, aggregated (event_series.hpp); flushed by finish().
  mutable EventSeries event_series{};
  /// Where a model composes a message it records at once (a failed probe's), so that a frequent
  /// event allocates nothing; its content is gone at the next use.
  mutable std::string text_buffer{};

  /// A state change of `object`, recorded at the current time. Returned for the objects that keep
  /// their last records (RecentRecords), as views of the arguments: keep it within the call.
  engine::TraceView record(std::string_view object, TraceKind kind, TraceState from, TraceState to,
                           Reason reason = Reason::None, std::string_view message = {}) const {
    const engine::TraceView r = view(object, kind, from, to, reason, message);
    trace.record(r);
    return r;
  }

  /// A Kubernetes-style event about `object`: recorded the first time; an exact repeat (same
  /// object, type, reason and message) only counts in its series, written when the series is
  /// forgotten or the run ends (finish(); event_series.hpp). Returned with its series' count so far
  /// and first time, and last = now.
  /// `ticket`, if given, receives the series' ticket (event_series.hpp) for repeat_event.
  engine::TraceView event(std::string_view object, EventType type, Reason reason,
                          std::string_view message, EventSeries::Ticket* ticket = nullptr) const {
    engine::TraceView e = view(object, TraceKind::Event, {}, type, reason, message);
    const EventSeries::Occurrence o = event_series.add(e, trace, ticket != nullptr);
    e.count = o.count;
    e.first = o.first;
    if (ticket != nullptr) *ticket = o.ticket;
    if (o.count == 1) trace.record(e);
    return e;
  }

  /// Whether repeat_event can count repeats by `ticket` now: it is good, and pods keep no events
  /// (they keep each occurrence whole).
  [[nodiscard]] bool can_repeat_event(EventSeries::Ticket ticket) const noexcept {
    return !keep_recent.pod_details && event_series.good(ticket);
  }
  /// Counts `n` exact repeats of the event whose series `ticket` names, the last at `at` (now by
  /// default), without their text (EventSeries::count_repeat); false, counting nothing, if the
  /// ticket names no series the event series can find or pods keep their events: then make each
  /// with event().
  /// `ticket` is updated where the series moves (EventSeries::count_repeat).
  bool repeat_event(EventSeries::Ticket& ticket, std::uint64_t n = 1) const {
    return repeat_event(ticket, sim.now(), n);
  }
  bool repeat_event(EventSeries::Ticket& ticket, engine::Time at, std::uint64_t n) const {
    return !keep_recent.pod_details && event_series.count_repeat(ticket, at, trace, n);
  }

  /// A Workload API call and its answer: from the request line as written, to the HTTP status.
  void api_call(std::string_view endpoint, int status, std::string_view body) const {
    trace.record(engine::TraceView{
        sim.now(), "api", static_cast<engine::TraceCode>(TraceKind::Api),
        engine::TraceView::kTextState, static_cast<engine::TraceCode>(status),
        static_cast<engine::TraceCode>(Reason::None), body, endpoint, &trace_vocabulary()});
  }

  /// Ends the run's trace at now: writes the series of repeated events. Every way a run ends
  /// calls it once (the horizon, the event budget, a limit error).
  void finish() const { event_series.flush(trace, sim.now()); }

  /// The random stream of (this run's seed, entity, purpose).
  [[nodiscard]] engine::RandomStream stream(std::string_view entity,
                                            std::string_view purpose) const {
    return engine::RandomStream(seed, entity, purpose);
  }

 private:
  [[nodiscard]] engine::TraceView view(std::string_view object, TraceKind kind, TraceState from,
                                       TraceState to, Reason reason,
                                       std::string_view message) const noexcept {
    const engine::Time t = sim.now();
    return {t,           object,    static_cast<engine::TraceCode>(kind),
            from.code(), to.code(), static_cast<engine::TraceCode>(reason),
            message,     {},        &trace_vocabulary(),
            1,           t,         t};
  }
};

}  // namespace wlsim::models

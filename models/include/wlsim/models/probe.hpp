#pragma once
// One probe (readiness, liveness or startup) of one container, with the timing of SEMANTICS.md §2:
// a grid from container start + initialDelaySeconds every periodSeconds; a result known when the
// answer arrives or at timeoutSeconds; no overlap (a probe that outlasts a grid point is followed
// at once by the next, then the grid resumes); a result committed after failureThreshold
// consecutive failures or successThreshold consecutive successes.
//
// With the kubelet's probe phase offset on (SEMANTICS.md §2, §9) the grid is the prober worker's
// ticker instead: Kubernetes makes one worker per pod, container and probe kind and keeps it across
// container restarts (pkg/kubelet/prober/worker.go), so its phase is drawn once, uniform in
// [0, periodSeconds), from the container's own stream for that probe kind; the first probe comes
// that much after initialDelaySeconds, and a restarted container is first probed on the first tick
// at least initialDelaySeconds after its start.
//
// A probe does not tick while nothing can change: once its committed result is a saturated success
// and the target says its answer is fixed until time T, the next probe fires on the first grid
// point at or after T. The target pokes the probe if it changes earlier (it is killed, say).
//
// A failing probe whose failure is committed (a starting container's readiness) fires on every
// grid point, and each fire counts one more occurrence of the same Unhealthy event. When its
// answer came at once and the target says it is fixed until T, the fires before T can change
// nothing else: they pass as silent repeats of the fire timer (engine::Simulator::
// repeat_silently: dispatched and counted as events, in the same order, calling nobody). They are
// counted in, as the failures they were, by the event series' ticket, when anything could see
// them: the probe fires for real, is stopped or poked, or the event series turns its generations or
// ends the run (EventSeries::Pending). Only while the failure's event can be counted by ticket (the
// run's pods keep no events).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/probe_spec.hpp"

namespace wlsim::models {

/// Why a probe failed. A code, not text: most probes of a starting container fail, and the text
/// (failure_text) is made only for the event that records it.
enum class ProbeFailure : std::uint8_t {
  None,
  ConnectionRefused,  ///< nothing listens on the port yet
  Timeout,            ///< no answer within timeoutSeconds
  HttpToTls,          ///< an HTTP probe of a TLS server
  TlsToHttp,          ///< an HTTPS probe of a plain HTTP server
  NotFound,           ///< the path is not served
  NotReady,           ///< up, but not ready yet (503)
};

/// Appends Kubernetes' text for failure `f` of a probe of `spec` to `out` ("HTTP probe failed
/// with statuscode: 404", "Get \"http://10.0.0.1:8080/healthz\": dial tcp ...", ...).
void append_failure_text(std::string& out, ProbeFailure f, const ProbeSpec& spec);

/// One probe's answer: whether it passed, how long it took, and why it failed.
struct ProbeAnswer {
  bool success = false;
  engine::Time latency;
  ProbeFailure failure = ProbeFailure::None;
};

/// The series of a probe's last failure event: a probe's failures in a row with the same cause are
/// the same event (object, type, reason and message), so their repeats are counted by the series'
/// ticket without making their text (EventSeries::Ticket).
struct ProbeFailureSeries {
  EventSeries::Ticket ticket;
  ProbeFailure failure = ProbeFailure::None;  ///< whose event the ticket names

  /// Whether occurrences of failure `f` can now be counted by the ticket: it names f's event and
  /// is good, and the run's pods keep no events.
  [[nodiscard]] bool countable(const Context& ctx, ProbeFailure f) const noexcept {
    return failure == f && ctx.can_repeat_event(ticket);
  }
  /// Counts `n` occurrences of failure `f`, the last at `at`, by the ticket if countable(f);
  /// false, counting nothing, else.
  bool count(const Context& ctx, ProbeFailure f, engine::Time at, std::uint64_t n = 1) {
    return failure == f && ctx.repeat_event(ticket, at, n);
  }
};

/// What a probe probes: the container. Answers are a pure function of the target's state and time.
class ProbeTarget {
 public:
  /// The answer to a probe sent now (may draw random numbers, e.g. a latency distribution).
  virtual ProbeAnswer answer(const ProbeSpec& spec, ProbeKind kind) = 0;
  /// Until when `answer(spec)` is certain to stay what it is now and draws no random numbers;
  /// now() if that is not known.
  [[nodiscard]] virtual engine::Time answer_fixed_until(const ProbeSpec& spec,
                                                        ProbeKind kind) const = 0;
  /// The committed result changed.
  virtual void on_probe_committed(ProbeKind kind, bool success) = 0;
  /// One probe of `spec` failed (not necessarily committed), for the answer's reason or a timeout.
  /// `series` is the probe's own, kept for the target between calls.
  virtual void on_probe_failed(ProbeKind kind, const ProbeSpec& spec, ProbeFailure failure,
                               ProbeFailureSeries& series) = 0;

 protected:
  ~ProbeTarget() = default;
};

class Probe final : public engine::EventHandler, private EventSeries::Pending {
 public:
  enum class Result : std::uint8_t { Unknown, Success, Failure };

  /// `entity` names the container, whose random stream for this probe kind draws the phase
  /// offset when the run's kubelet has it on. `spec` must outlive the probe (the container's spec
  /// holds it): not copied, since a container holds three probes for its whole life.
  Probe(const Context& ctx, ProbeKind kind, const ProbeSpec& spec, ProbeTarget& target,
        std::string_view entity = {});
  /// A temporary spec would not outlive the probe.
  Probe(const Context& ctx, ProbeKind kind, ProbeSpec&& spec, ProbeTarget& target,
        std::string_view entity = {}) = delete;
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;
  ~Probe();

  /// The container started at `started`: reset to the initial result and anchor the grid at
  /// started + initialDelaySeconds (with the phase offset: the first tick at or after it). Probing
  /// begins at the first grid point >= `from` (default: the anchor), which lets a startup probe
  /// hold the others off.
  void start(engine::Time started);
  void start(engine::Time started, engine::Time from);
  /// The container stopped: no more probes, result back to the initial one.
  void stop();
  /// The target's answer may have changed: probe again on the next grid point if idle or skipping.
  void poke();

  [[nodiscard]] Result committed() const noexcept { return committed_; }
  [[nodiscard]] bool running() const noexcept { return active_; }
  [[nodiscard]] ProbeKind kind() const noexcept { return kind_; }
  [[nodiscard]] const ProbeSpec& spec() const noexcept { return spec_; }
  /// Probes actually sent (skipped grid points are not counted; silent ones are).
  [[nodiscard]] std::uint64_t sent() const noexcept {
    return sent_ + (silent_left_ - ctx_.sim.silent_repeats(fire_timer_));
  }
  /// The drawn phase offset, in [0, periodSeconds); none while the kubelet has it off.
  [[nodiscard]] const std::optional<engine::Time>& phase() const noexcept { return phase_; }

 private:
  enum Token : std::uint64_t { kFire = 1, kAnswer = 2 };
  void on_event(std::uint64_t token) override;
  void fire();
  void conclude(bool success, ProbeFailure failure);
  void arm_next();
  /// After `failure`, answered at once and concluded, with the next fire armed: passes silently
  /// the fires that the target's answer is foreseen not to change (see the header comment).
  void pass_failures_silently(ProbeFailure failure);
  /// Counts the silent fires dispatched so far as the failures they were, and ends the silence:
  /// the next fire calls the probe.
  void count_silent();
  void count_pending() override { count_silent(); }
  [[nodiscard]] engine::Time first_grid_at_or_after(engine::Time t) const noexcept;
  /// Where a container's grid starts once its initial delay is over at `delay_over`.
  [[nodiscard]] engine::Time grid_origin(engine::Time delay_over);
  [[nodiscard]] Result initial_result() const noexcept;

  // Words first, then the small fields together: a container holds its readiness probe in place.
  const Context& ctx_;
  const ProbeSpec& spec_;
  ProbeTarget& target_;
  std::optional<engine::Time> phase_;            // the phase offset, when on
  engine::Time ticker_ = engine::Time::never();  // with it: a tick of the worker's ticker
  engine::Time origin_;                          // first grid point
  engine::Time fired_at_;                        // when the probe in flight (or last) was sent
  engine::Time natural_next_;                    // when the next probe is due without skipping
  engine::TimerId fire_timer_;
  engine::TimerId answer_timer_;
  std::uint64_t sent_ = 0;
  ProbeFailureSeries failure_series_;
  int run_ = 0;
  /// Silent fires not yet counted (the dispatched ones among them are counted by count_silent).
  std::uint32_t silent_left_ = 0;
  ProbeKind kind_;
  bool active_ = false;
  bool pending_success_ = false;
  ProbeFailure pending_failure_ = ProbeFailure::None;
  Result last_ = Result::Unknown;  // last single result, for the consecutive run
  Result committed_ = Result::Unknown;
};

}  // namespace wlsim::models

#pragma once
// One run of a scenario that advances step by step: run to a time, make a Workload API call as a
// notebook would, look at the status, run on. `run()` is a Session run straight to the end.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/api.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::scenarios {

/// Safe to use from several threads: its calls are serialised (a notebook may step it from a worker
/// thread while another cell asks for its status).
class Session {
 public:
  /// `scenario` and `options.sink` must outlive the session. The scenario's actions run at their
  /// times.
  Session(const Scenario& scenario, const RunOptions& options = {});
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  [[nodiscard]] engine::Time now() const;
  /// Runs every event up to and including `t` (a time before now does nothing). Throws
  /// ScenarioError for a time after the scenario's duration, and when the run exhausts its event
  /// budget (RunOptions::limits.max_events); after that the session stays where the budget stopped
  /// it.
  void run_until(engine::Time t);
  /// Ends the trace at now: writes the series of repeated events (models::EventSeries). Running
  /// to the scenario's duration, or out of the event budget, does it; a run that stops earlier
  /// calls it before its result.
  void finish();
  /// A Workload API call now: `endpoint` like "POST /workloads/wl-1/replacement", `body` JSON or
  /// YAML text ("" for none). Throws ScenarioError (naming "request" or "body.<field>") for a
  /// malformed call; the platform's own refusals (404, 422, ...) are answers, not exceptions.
  models::api::Response call(std::string_view endpoint, std::string_view body);
  /// The results so far, measured at now.
  [[nodiscard]] RunResult result(StatusFormat status = StatusFormat::None) const;
  /// result(), for a run that ends with it (run()): the API calls' texts move into the result,
  /// and the session's record of them is left empty.
  [[nodiscard]] RunResult take_result(StatusFormat status = StatusFormat::None);

 private:
  /// A model's limit error (replicas held at once) as the one-line error of this run, at now.
  [[nodiscard]] ScenarioError limit_error(const models::LimitExceeded& e) const;
  /// The results but for the API calls; the caller holds mutex_.
  [[nodiscard]] RunResult measured(StatusFormat status) const;

  mutable std::mutex mutex_;
  const Scenario& scenario_;
  std::uint64_t seed_;
  std::uint64_t max_events_;
  engine::Simulator sim_;
  engine::Trace trace_;
  models::ReplicaBudget replicas_;
  models::SurgeGauge surge_;
  /// The scenario's pool, else (a scenario without one) the run's own.
  std::shared_ptr<models::ContainerSpecPool> container_specs_;
  models::SojournMemo sojourn_memo_;
  models::Context ctx_;
  models::Platform platform_;
};

}  // namespace wlsim::scenarios

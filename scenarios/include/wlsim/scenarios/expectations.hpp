#pragma once
// A scenario's `expect` block: what a run of it must show, checked by `wlsim check` and
// wlsim.testing. Each expectation is one named condition (its name is its path in the block, e.g.
// "wl-1.timeToRunning", "at.10m.wl-1", "fleet.allRunning", "trace.neverErrored.wl-1"):
//   - per workload: a condition on its final status or on one scalar metric of its summary JSON
//     (summary.hpp), by name; nested metrics by their dotted path ("requestLatency.p99");
//   - fleet: allRunning, the number of workloads, how many ever showed errored, and the number
//     whose final status is a given status;
//   - at a time: a workload's status then, read from the trace;
//   - trace: a workload never showed errored; an object's states appear in a given order.
// The conditions read only the run's result and what an ExpectationWatcher kept of its trace (a
// few values per expectation), so checking costs no memory that grows with the run.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::scenarios {

struct Scenario;
struct RunResult;
struct RunOptions;

/// A comparison and the value it compares with: a number (seconds for a time), a flag, a name (a
/// status), or none (a metric without a value, such as timeToRunning of a workload never running).
struct Condition {
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge };
  struct None {
    friend bool operator==(None, None) = default;
  };
  Op op = Op::Eq;
  std::variant<None, double, bool, std::string> value;
  std::string text;         ///< as the scenario wrote it ("<= 70s"), for messages
  bool in_seconds = false;  ///< the value is a time (its actual value prints as "66.2s")
};

/// One expectation of the block.
struct Expectation {
  enum class Kind {
    Metric,        ///< `subject` (a workload id), `metric` (a summary name), `condition`
    Fleet,         ///< `metric` (allRunning, workloads, everErrored or a status), `condition`
    StatusAt,      ///< `subject` (a workload id), `at`, `condition` on its status then
    NeverErrored,  ///< `subject` (a workload id) never showed errored
    Sequence,      ///< `subject` (a trace object path), `trace_kind`: `states` in this order
  };
  Kind kind = Kind::Metric;
  std::string name;  ///< its path in the block, e.g. "wl-1.timeToRunning"
  std::string subject;
  std::string metric;
  engine::Time at;
  Condition condition;
  std::string trace_kind;
  std::vector<std::string> states;
};

/// The block, in the order the scenario wrote it.
using Expectations = std::vector<Expectation>;

/// What one expectation found: `expected` is the condition as written ("<= 60s"), `actual` the
/// run's value as text ("66.2s", "errored", "none").
struct ExpectationOutcome {
  std::string name;
  std::string expected;
  std::string actual;
  bool held = false;
};

/// The metric names of a workload's summary that an expectation may name, in summary order.
[[nodiscard]] std::vector<std::string> expectation_metric_names();

/// Keeps, as a run's trace goes by, what `expectations` read from it: each watched workload's
/// status at each expected time, the first time each workload showed errored, and how far each
/// expected sequence has got. Bounded by the number of expectations and workloads.
class ExpectationWatcher final : public engine::TraceSink {
 public:
  /// `expectations` must outlive the watcher.
  explicit ExpectationWatcher(const Expectations& expectations);
  void write(const engine::TraceView& r) override;

  /// The status of the StatusAt expectation `index` (into the expectations); none if the
  /// workload had no status record by then.
  [[nodiscard]] std::optional<std::string> status_at(std::size_t index) const;
  /// When `workload` first showed errored; none if it never did.
  [[nodiscard]] std::optional<engine::Time> first_errored(std::string_view workload) const;
  /// The number of workloads that ever showed errored.
  [[nodiscard]] std::size_t ever_errored() const noexcept { return errored_.size(); }
  /// How many states of the Sequence expectation `index` were seen in order, and the states its
  /// object went through (consecutive repeats merged; at most a few dozen, then "...").
  [[nodiscard]] std::size_t sequence_matched(std::size_t index) const;
  [[nodiscard]] const std::vector<std::string>& sequence_seen(std::size_t index) const;

 private:
  struct Progress {
    std::optional<std::string> status;  ///< StatusAt
    std::size_t matched = 0;            ///< Sequence
    std::vector<std::string> seen;      ///< Sequence
  };
  const Expectations* expectations_;
  std::vector<std::size_t> watched_;      ///< the StatusAt and Sequence expectations
  std::vector<engine::TraceCode> kinds_;  ///< per expectation: the kind of record it reads
  std::vector<Progress> progress_;
  std::map<std::string, engine::Time, std::less<>> errored_;
};

/// Every expectation's outcome for a run: `result` is the run's, `watcher` watched its trace.
[[nodiscard]] std::vector<ExpectationOutcome> evaluate(const Expectations& expectations,
                                                       const RunResult& result,
                                                       const ExpectationWatcher& watcher);

/// Runs `scenario` (with `options`; its sink, if any, still receives every record) and evaluates
/// its expectations. Throws ScenarioError if the run exhausts its event budget.
[[nodiscard]] std::vector<ExpectationOutcome> check(const Scenario& scenario,
                                                    const RunOptions& options);
[[nodiscard]] std::vector<ExpectationOutcome> check(const Scenario& scenario);

/// "<origin>: <name>: expected <expected>, got <actual>".
[[nodiscard]] std::string failure_line(std::string_view origin, const ExpectationOutcome& outcome);

}  // namespace wlsim::scenarios

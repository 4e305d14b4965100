#pragma once
// A run's summary as long rows: the one flattening of summary_value (summary.hpp) that every
// consumer reads (the sweep and replication tables, the result store, Python's frames), so that a
// metric has one name everywhere.
//
// Every scalar under `workloads.<id>` is a row, nested objects joined with '.'
// (`timeToRunningBreakdown.pulling`, `pendingTimeByCause.noCapacity`, `requests.dropped.timeout`);
// numbers are metric rows, booleans metric rows of 0 or 1, strings text rows. A null is a metric
// row without a value (a never-running workload's timeToRunning), except that a field which is
// text when set (a replacement's `outcome`, `autoscaler.policy`) gives a text row of "" and an
// object that is absent (`timeToRunningBreakdown`, `requestLatency`, `coldStarts.wait`) gives no
// row. `protons` are left out; each item of `replacements` gives its own rows with `replacement`
// set to its id. A top-level `fleet` object gives rows with workload "". Rows come in the
// summary's order.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::scenarios {

struct MetricRow {
  std::string workload;     ///< "" for the fleet
  std::string replacement;  ///< "" for a workload-level (or fleet) metric
  std::string metric;
  std::optional<double> value;  ///< none when the summary has null
  friend bool operator==(const MetricRow&, const MetricRow&) = default;
};

struct TextRow {
  std::string workload;
  std::string replacement;
  std::string field;  ///< status, outcome, requests.mode, ...
  std::string text;
  friend bool operator==(const TextRow&, const TextRow&) = default;
};

struct RunRows {
  std::vector<MetricRow> metrics;
  std::vector<TextRow> texts;
  friend bool operator==(const RunRows&, const RunRows&) = default;
};

/// Receives a run's rows one by one, in order, without their being made (a replication reads each
/// row once); the text is valid only during the call.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void metric(std::string_view workload, std::string_view replacement,
                      std::string_view metric, std::optional<double> value) = 0;
  virtual void text(std::string_view workload, std::string_view replacement, std::string_view field,
                    std::string_view text) = 0;
};

/// The rows of a summary value (summary_value's shape).
[[nodiscard]] RunRows summary_rows(const engine::Json& summary);
/// The rows of a run: summary_rows(summary_value(r)), written from the result without the JSON.
[[nodiscard]] RunRows run_rows(const RunResult& r);
/// The same rows, given to `sink`.
void run_rows(const RunResult& r, RowSink& sink);

}  // namespace wlsim::scenarios

#include "wlsim/scenarios/replications.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string_view>
#include <utility>

#include "parallel_runs.hpp"
#include "same_text.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/run_rows.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::scenarios {

namespace {

/// The first replication table's traffic names, kept in the JSON for those who read them: each is
/// a run row's metric under a shorter name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kFirstNames{{
    {"served", "requests.served"},
    {"meanWait", "requests.meanWait"},
    {"meanInFlight", "requests.meanInFlight"},
    {"latencyMean", "requestLatency.mean"},
    {"latencyP99", "requestLatency.p99"},
    {"coldStarts", "coldStarts.count"},
}};
/// ... and one that adds several: every drop of a request, whatever its cause.
constexpr std::string_view kDropped = "dropped";
constexpr std::string_view kDroppedPrefix = "requests.dropped.";

bool first_name(const std::string& name) {
  if (name == kDropped) return true;
  return std::any_of(kFirstNames.begin(), kFirstNames.end(),
                     [&](const auto& a) { return a.first == name; });
}

/// A metric's values over the runs.
struct Values {
  std::vector<double> values;
  int missing = 0;
  void add(const std::optional<double>& v) {
    if (v) {
      values.push_back(*v);
    } else {
      ++missing;
    }
  }
  [[nodiscard]] MetricStats stats() { return metric_stats(std::move(values), missing); }
};

engine::Json stats_json(const MetricStats& s) {
  const auto number = [&](double v) { return s.n > 0 ? engine::Json(v) : engine::Json(nullptr); };
  engine::Json j = engine::Json::object();
  j["n"] = s.n;
  j["missing"] = s.missing;
  j["mean"] = number(s.mean);
  j["stddev"] = number(s.stddev);
  j["ci95"] = number(s.ci95);
  j["min"] = number(s.min);
  j["p50"] = number(s.p50);
  j["p90"] = number(s.p90);
  j["max"] = number(s.max);
  return j;
}

engine::Json stats_map_json(const MetricStatsMap& m) {
  engine::Json j = engine::Json::object();
  for (const auto& [name, st] : m) j[name] = stats_json(st);
  return j;
}

/// The statistics across runs, from each run's rows in the runs' order.
class Collector final : public RowSink {
 public:
  void add(const RunResult& r) {
    next_ = 0;
    dropped_.clear();
    run_rows(r, *this);
    for (const auto& [id, v] : dropped_) workloads_[id][std::string(kDropped)].add(v);
  }

  void metric(std::string_view workload, std::string_view replacement, std::string_view metric,
              std::optional<double> value) override {
    // Runs of one scenario mostly have the same rows in the same order: a row that names what
    // the previous run's row at its index named is found without a lookup.
    if (next_ == seen_.size()) seen_.emplace_back();
    Seen& s = seen_[next_++];
    if (s.values == nullptr || !same_text(s.metric, metric) || !same_text(s.workload, workload) ||
        !same_text(s.replacement, replacement)) {
      s.workload.assign(workload);
      s.replacement.assign(replacement);
      s.metric.assign(metric);
      s.values = &values_of(s);
      s.dropped = !workload.empty() && replacement.empty() && metric.starts_with(kDroppedPrefix);
    }
    s.values->add(value);
    if (s.dropped && value) {
      std::optional<double>& d = dropped_[s.workload];
      d = d.value_or(0) + *value;
    }
  }
  void text(std::string_view, std::string_view, std::string_view, std::string_view) override {}

  void finish(ReplicationSummary& out) {
    for (auto& [id, metrics] : workloads_) {
      MetricStatsMap& m = out.workloads[id];
      for (auto& [name, v] : metrics) m[name] = v.stats();
      for (const auto& [first, row_name] : kFirstNames) {
        if (const auto it = m.find(std::string(row_name)); it != m.end()) {
          m[std::string(first)] = it->second;
        }
      }
    }
    for (auto& [id, reps] : replacements_) {
      for (auto& [rep, metrics] : reps) {
        for (auto& [name, v] : metrics) out.replacements[id][rep][name] = v.stats();
      }
    }
    for (auto& [name, v] : fleet_) out.fleet[name] = v.stats();
  }

 private:
  /// A row, and its metric's values.
  struct Seen {
    std::string workload;
    std::string replacement;
    std::string metric;
    Values* values = nullptr;
    bool dropped = false;  ///< a drop of a workload's requests: added up under kDropped too
  };

  Values& values_of(const Seen& row) {
    if (row.workload.empty()) return fleet_[row.metric];
    if (!row.replacement.empty()) return replacements_[row.workload][row.replacement][row.metric];
    return workloads_[row.workload][row.metric];
  }

  std::map<std::string, std::map<std::string, Values>> workloads_;
  std::map<std::string, std::map<std::string, std::map<std::string, Values>>> replacements_;
  std::map<std::string, Values> fleet_;
  std::vector<Seen> seen_;  ///< the rows of the runs so far, by index: the last run's
  std::size_t next_ = 0;    ///< the index of the current run's next row
  std::map<std::string, std::optional<double>> dropped_;  ///< the current run's, per workload
};

}  // namespace

MetricStats metric_stats(std::vector<double> values, int missing) {
  MetricStats s;
  s.n = static_cast<int>(values.size());
  s.missing = missing;
  if (values.empty()) return s;
  const Eigen::Map<const Eigen::ArrayXd> v(values.data(), static_cast<Eigen::Index>(values.size()));
  s.mean = v.mean();
  s.stddev = values.size() > 1
                 ? std::sqrt((v - s.mean).square().sum() / static_cast<double>(values.size() - 1))
                 : 0.0;
  s.ci95 = 1.96 * s.stddev / std::sqrt(static_cast<double>(values.size()));
  // The ranks by selection, not a sort: each is the value a sort would put there, found in linear
  // time (sorting each metric's values was a tenth of a replication's statistics).
  const auto index = [&](double q) {
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return std::clamp<std::size_t>(k, 1, values.size()) - 1;
  };
  const std::size_t i50 = index(0.5);
  const std::size_t i90 = index(0.9);
  const auto at = [&](std::size_t i) { return values.begin() + static_cast<std::ptrdiff_t>(i); };
  std::nth_element(values.begin(), at(i50), values.end());
  s.p50 = values[i50];
  std::nth_element(at(i50), at(i90), values.end());  // i90 >= i50: it lies in the upper part
  s.p90 = values[i90];
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

std::string stats_cell_text(double v) { return engine::number_text(std::round(v * 1000) / 1000); }

std::string column(const std::string& s, std::size_t width) {
  // Columns count characters, not bytes: "±" is two bytes of UTF-8.
  const auto chars = static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  return chars >= width ? s + " " : s + std::string(width - chars, ' ');
}

ReplicationSummary run_replications(const Scenario& scenario, std::uint64_t first_seed,
                                    int replications, int threads, const RunLimits& limits) {
  ReplicationSummary out;
  out.scenario = scenario.name;
  const auto count = static_cast<std::size_t>(std::max(1, replications));
  for (std::size_t i = 0; i < count; ++i) out.seeds.push_back(first_seed + i);
  out.runs.resize(count);
  detail::run_in_parallel(count, threads, [&](std::size_t i) {
    out.runs[i] = run(scenario, {.seed = out.seeds[i], .limits = limits});
  });
  Collector stats;
  for (const RunResult& r : out.runs) stats.add(r);
  stats.finish(out);
  return out;
}

std::string replications_json(const ReplicationSummary& s) {
  engine::Json workloads = engine::Json::object();
  for (const auto& [id, metrics] : s.workloads) workloads[id] = stats_map_json(metrics);
  engine::Json replacements = engine::Json::object();
  for (const auto& [id, reps] : s.replacements) {
    engine::Json rj = engine::Json::object();
    for (const auto& [rep, metrics] : reps) rj[rep] = stats_map_json(metrics);
    replacements[id] = std::move(rj);
  }
  engine::Json runs = engine::Json::array();
  for (const RunResult& r : s.runs) runs.push_back(summary_value(r));
  engine::Json j = engine::Json::object();
  j["scenario"] = s.scenario;
  j["replications"] = s.runs.size();
  j["seeds"] = s.seeds;
  j["workloads"] = std::move(workloads);
  j["replacements"] = std::move(replacements);
  if (!s.fleet.empty()) j["fleet"] = stats_map_json(s.fleet);
  j["runs"] = std::move(runs);
  return engine::to_text(j);
}

std::string replications_table(const ReplicationSummary& s) {
  // One line per (owner, metric): a workload, a workload's replacement (workload/replacement) or
  // the fleet.
  std::vector<std::pair<std::string, const MetricStatsMap*>> owners;
  if (!s.fleet.empty()) owners.emplace_back("(fleet)", &s.fleet);
  for (const auto& [id, metrics] : s.workloads) {
    owners.emplace_back(id, &metrics);
    if (const auto reps = s.replacements.find(id); reps != s.replacements.end()) {
      for (const auto& [rep, m] : reps->second) owners.emplace_back(id + "/" + rep, &m);
    }
  }
  std::size_t owner_w = 16;
  std::size_t metric_w = 16;
  for (const auto& [owner, metrics] : owners) {
    owner_w = std::max(owner_w, owner.size() + 2);
    for (const auto& [name, st] : *metrics) metric_w = std::max(metric_w, name.size() + 2);
  }
  std::ostringstream o;
  o << "scenario " << s.scenario << "  replications " << s.runs.size() << "  seeds "
    << s.seeds.front() << ".." << s.seeds.back() << "\n\n";
  o << column("workload", owner_w) << column("metric", metric_w) << column("n", 6)
    << column("missing", 9) << column("mean", 10) << column("±95%", 10) << column("p50", 10)
    << column("p90", 10) << "max\n";
  const auto cell = [](const MetricStats& st, double v) {
    return column(st.n > 0 ? stats_cell_text(v) : "-", 10);
  };
  for (const auto& [owner, metrics] : owners) {
    for (const auto& [name, st] : *metrics) {
      if (first_name(name)) continue;
      const std::string row =
          column(owner, owner_w) + column(name, metric_w) + column(std::to_string(st.n), 6) +
          column(std::to_string(st.missing), 9) + cell(st, st.mean) + cell(st, st.ci95) +
          cell(st, st.p50) + cell(st, st.p90) + (st.n > 0 ? stats_cell_text(st.max) : "-");
      o << row << "\n";
    }
  }
  bool header = false;
  for (const auto& [id, metrics] : s.workloads) {
    const auto ttr = metrics.find("timeToRunning");
    if (ttr == metrics.end() || ttr->second.missing == 0) continue;
    o << (header ? "" : "\nnever running (timeToRunning missing):\n") << "  " << id << " in "
      << ttr->second.missing << " of " << s.runs.size() << " replications\n";
    header = true;
  }
  return o.str();
}

}  // namespace wlsim::scenarios

#include "wlsim/scenarios/replications.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <sstream>
#include <thread>

#include "wlsim/engine/json_text.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::scenarios {

namespace {

MetricStats stats(std::vector<double> values) {
  MetricStats s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) return s;
  const Eigen::Map<const Eigen::ArrayXd> v(values.data(), static_cast<Eigen::Index>(values.size()));
  s.mean = v.mean();
  s.stddev = values.size() > 1 ? std::sqrt((v - s.mean).square().sum() / static_cast<double>(values.size() - 1)) : 0.0;
  s.ci95 = 1.96 * s.stddev / std::sqrt(static_cast<double>(values.size()));
  std::sort(values.begin(), values.end());
  // Nearest-rank quantiles: an observed value, the same on every platform.
  const auto rank = [&](double q) {
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(k, 1, values.size()) - 1];
  };
  s.min = values.front();
  s.p50 = rank(0.5);
  s.p90 = rank(0.9);
  s.max = values.back();
  return s;
}

std::string stats_json(const MetricStats& s) {
  using engine::json_number;
  return "{\"n\":" + std::to_string(s.n) + ",\"mean\":" + json_number(s.mean) + ",\"stddev\":" + json_number(s.stddev) +
         ",\"ci95\":" + json_number(s.ci95) + ",\"min\":" + json_number(s.min) + ",\"p50\":" + json_number(s.p50) +
         ",\"p90\":" + json_number(s.p90) + ",\"max\":" + json_number(s.max) + "}";
}

}  // namespace

ReplicationSummary run_replications(const Scenario& scenario, std::uint64_t first_seed, int replications, int threads,
                                    const RunLimits& limits) {
  ReplicationSummary out;
  out.scenario = scenario.name;
  const auto count = static_cast<std::size_t>(std::max(1, replications));
  for (std::size_t i = 0; i < count; ++i) out.seeds.push_back(first_seed + i);
  out.runs.resize(count);
  // Each worker takes the next seed; results land in their seed's slot, so thread timing cannot
  // change the output.
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) out.runs[i] = run(scenario, {.seed = out.seeds[i], .limits = limits});
  };
  std::vector<std::jthread> pool;
  const auto n_threads = static_cast<std::size_t>(std::clamp(threads, 1, static_cast<int>(count)));
  for (std::size_t t = 1; t < n_threads; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins

  std::map<std::string, std::map<std::string, std::vector<double>>> values;
  for (const RunResult& r : out.runs) {
    for (const WorkloadResult& w : r.workloads) {
      auto& m = values[w.id];
      if (w.time_to_running_s) m["timeToRunning"].push_back(*w.time_to_running_s);
      m["erroredDwell"].push_back(w.errored_dwell_s);
      m["pendingTime"].push_back(w.pending_s);
      m["restarts"].push_back(w.restarts);
    }
  }
  for (auto& [id, metrics] : values) {
    for (auto& [name, v] : metrics) out.workloads[id][name] = stats(std::move(v));
  }
  return out;
}

std::string replications_json(const ReplicationSummary& s) {
  std::ostringstream o;
  o << "{\"scenario\":" << engine::json_quote(s.scenario) << ",\"replications\":" << s.runs.size() << ",\"seeds\":[";
  for (std::size_t i = 0; i < s.seeds.size(); ++i) o << (i ? "," : "") << s.seeds[i];
  o << "],\"workloads\":{";
  bool first = true;
  for (const auto& [id, metrics] : s.workloads) {
    o << (first ? "" : ",") << engine::json_quote(id) << ":{";
    bool first_m = true;
    for (const auto& [name, st] : metrics) {
      o << (first_m ? "" : ",") << engine::json_quote(name) << ":" << stats_json(st);
      first_m = false;
    }
    o << "}";
    first = false;
  }
  o << "},\"runs\":[";
  for (std::size_t i = 0; i < s.runs.size(); ++i) o << (i ? "," : "") << summary_json(s.runs[i]);
  o << "]}";
  return o.str();
}

std::string replications_table(const ReplicationSummary& s) {
  std::ostringstream o;
  o << "scenario " << s.scenario << "  replications " << s.runs.size() << "  seeds " << s.seeds.front() << ".."
    << s.seeds.back() << "\n\n";
  o << "workload        metric          n     mean      ±95%      p50       p90       max\n";
  const auto cell = [](double v) {
    std::string t = engine::json_number(std::round(v * 1000) / 1000);
    return t + std::string(t.size() < 10 ? 10 - t.size() : 1, ' ');
  };
  for (const auto& [id, metrics] : s.workloads) {
    for (const auto& [name, st] : metrics) {
      std::string row = id + std::string(id.size() < 16 ? 16 - id.size() : 1, ' ') + name +
                        std::string(name.size() < 16 ? 16 - name.size() : 1, ' ');
      std::string n = std::to_string(st.n);
      o << row << n << std::string(n.size() < 6 ? 6 - n.size() : 1, ' ') << cell(st.mean) << cell(st.ci95) << cell(st.p50)
        << cell(st.p90) << cell(st.max) << "\n";
    }
  }
  return o.str();
}

}  // namespace wlsim::scenarios

#include "wlsim/scenarios/replications.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <sstream>
#include <thread>

#include "wlsim/engine/json.hpp"
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
  s.stddev = values.size() > 1
                 ? std::sqrt((v - s.mean).square().sum() / static_cast<double>(values.size() - 1))
                 : 0.0;
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

engine::Json stats_json(const MetricStats& s) {
  engine::Json j = engine::Json::object();
  j["n"] = s.n;
  j["mean"] = s.mean;
  j["stddev"] = s.stddev;
  j["ci95"] = s.ci95;
  j["min"] = s.min;
  j["p50"] = s.p50;
  j["p90"] = s.p90;
  j["max"] = s.max;
  return j;
}

}  // namespace

ReplicationSummary run_replications(const Scenario& scenario, std::uint64_t first_seed,
                                    int replications, int threads, const RunLimits& limits) {
  ReplicationSummary out;
  out.scenario = scenario.name;
  const auto count = static_cast<std::size_t>(std::max(1, replications));
  for (std::size_t i = 0; i < count; ++i) out.seeds.push_back(first_seed + i);
  out.runs.resize(count);
  // Each worker takes the next seed; results land in their seed's slot, so thread timing cannot
  // change the output.
  // An exception must not escape a worker (that would terminate the process): each run's error is
  // kept in its seed's slot, the other workers stop taking seeds, and the caller gets the error of
  // the lowest failing seed, the same error a single run with that seed gives, whatever the
  // threads.
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(count);
  const auto worker = [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      try {
        out.runs[i] = run(scenario, {.seed = out.seeds[i], .limits = limits});
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::jthread> pool;
  const auto n_threads = static_cast<std::size_t>(std::clamp(threads, 1, static_cast<int>(count)));
  for (std::size_t t = 1; t < n_threads; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }

  std::map<std::string, std::map<std::string, std::vector<double>>> values;
  for (const RunResult& r : out.runs) {
    for (const WorkloadResult& w : r.workloads) {
      auto& m = values[w.id];
      if (w.time_to_running_s) m["timeToRunning"].push_back(*w.time_to_running_s);
      m["erroredDwell"].push_back(w.errored_dwell_s);
      m["pendingTime"].push_back(w.pending_s);
      m["restarts"].push_back(w.restarts);
      if (w.traffic) {
        const TrafficResult& t = *w.traffic;
        m["served"].push_back(t.served);
        m["dropped"].push_back(t.dropped_timeout + t.dropped_activator_full + t.dropped_torn_down);
        m["meanWait"].push_back(t.mean_wait_s);
        m["meanInFlight"].push_back(t.mean_in_flight);
        if (t.latency) {
          m["latencyMean"].push_back(t.latency->mean);
          m["latencyP99"].push_back(t.latency->p99);
        }
        m["coldStarts"].push_back(t.cold_starts);
      }
      if (w.scaling) {
        m["scaleEvents"].push_back(w.scaling->scale_events);
        m["replicaSeconds"].push_back(w.replica_seconds);
      }
    }
  }
  for (auto& [id, metrics] : values) {
    for (auto& [name, v] : metrics) out.workloads[id][name] = stats(std::move(v));
  }
  return out;
}

std::string replications_json(const ReplicationSummary& s) {
  engine::Json workloads = engine::Json::object();
  for (const auto& [id, metrics] : s.workloads) {
    engine::Json mj = engine::Json::object();
    for (const auto& [name, st] : metrics) mj[name] = stats_json(st);
    workloads[id] = std::move(mj);
  }
  engine::Json runs = engine::Json::array();
  for (const RunResult& r : s.runs) runs.push_back(summary_value(r));
  engine::Json j = engine::Json::object();
  j["scenario"] = s.scenario;
  j["replications"] = s.runs.size();
  j["seeds"] = s.seeds;
  j["workloads"] = std::move(workloads);
  j["runs"] = std::move(runs);
  return engine::to_text(j);
}

std::string replications_table(const ReplicationSummary& s) {
  std::ostringstream o;
  o << "scenario " << s.scenario << "  replications " << s.runs.size() << "  seeds "
    << s.seeds.front() << ".." << s.seeds.back() << "\n\n";
  o << "workload        metric          n     mean      ±95%      p50       p90       max\n";
  const auto cell = [](double v) {
    std::string t = engine::number_text(std::round(v * 1000) / 1000);
    return t + std::string(t.size() < 10 ? 10 - t.size() : 1, ' ');
  };
  for (const auto& [id, metrics] : s.workloads) {
    for (const auto& [name, st] : metrics) {
      std::string row = id + std::string(id.size() < 16 ? 16 - id.size() : 1, ' ') + name +
                        std::string(name.size() < 16 ? 16 - name.size() : 1, ' ');
      std::string n = std::to_string(st.n);
      o << row << n << std::string(n.size() < 6 ? 6 - n.size() : 1, ' ') << cell(st.mean)
        << cell(st.ci95) << cell(st.p50) << cell(st.p90) << cell(st.max) << "\n";
    }
  }
  return o.str();
}

}  // namespace wlsim::scenarios

// The statistics of a sweep: each metric per variant, pooled over workloads × seeds, with the
// paired difference to the first variant; as a table and as JSON.

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/sweep.hpp"

namespace wlsim::scenarios {

namespace {

constexpr const char* kTimeToRunning = "timeToRunning";

/// The table's name of a row's metric: a replacement's and the fleet's are told apart from a
/// workload's of the same name.
std::string metric_name(const MetricRow& row) {
  if (row.workload.empty()) return "fleet." + row.metric;
  if (!row.replacement.empty()) return "replacement." + row.metric;
  return row.metric;
}

/// What pairs two variants' values: the same seed, the same workload (and replacement).
using PairKey = std::tuple<std::uint64_t, std::string, std::string>;

struct Pooled {
  std::vector<double> values;
  int missing = 0;
  std::vector<double> differences;
};

std::vector<const SweepRun*> in_order(const std::vector<SweepRun>& runs) {
  std::vector<const SweepRun*> out;
  out.reserve(runs.size());
  for (const SweepRun& r : runs) out.push_back(&r);
  std::sort(out.begin(), out.end(), [](const SweepRun* a, const SweepRun* b) {
    return std::tie(a->variant, a->seed) < std::tie(b->variant, b->seed);
  });
  return out;
}

std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  if (seeds.empty()) return "no seeds";
  bool consecutive = true;
  for (std::size_t i = 1; i < seeds.size(); ++i) consecutive &= seeds[i] == seeds[i - 1] + 1;
  std::string count = std::to_string(seeds.size()) + (seeds.size() == 1 ? " seed" : " seeds");
  if (consecutive) {
    return count + " (" + std::to_string(seeds.front()) +
           (seeds.size() > 1 ? ".." + std::to_string(seeds.back()) : "") + ")";
  }
  return count;
}

engine::Json stats_json(const MetricStats& s, bool with_quantiles) {
  const auto number = [&](double v) { return s.n > 0 ? engine::Json(v) : engine::Json(nullptr); };
  engine::Json j = engine::Json::object();
  j["n"] = s.n;
  if (with_quantiles) j["missing"] = s.missing;
  j["mean"] = number(s.mean);
  j["ci95"] = number(s.ci95);
  if (with_quantiles) {
    j["p50"] = number(s.p50);
    j["p90"] = number(s.p90);
  }
  return j;
}

}  // namespace

SweepStats sweep_stats(const SweepResults& r) {
  const std::size_t nv = r.variants.size();
  SweepStats out;
  out.never_running.assign(nv, 0);
  out.workload_seeds.assign(nv, 0);
  std::vector<std::string> order;
  std::map<std::string, std::vector<Pooled>> pooled;
  std::map<std::string, std::map<PairKey, double>> baseline;  // variant 0's values
  for (const SweepRun* run : in_order(r.runs)) {
    if (run->variant >= nv) continue;
    for (const MetricRow& row : run->rows.metrics) {
      const std::string name = metric_name(row);
      auto [it, added] = pooled.try_emplace(name, nv);
      if (added) order.push_back(name);
      Pooled& p = it->second[run->variant];
      if (name == kTimeToRunning) {
        ++out.workload_seeds[run->variant];
        if (!row.value) ++out.never_running[run->variant];
      }
      if (!row.value) {
        ++p.missing;
        continue;
      }
      p.values.push_back(*row.value);
      const PairKey key{run->seed, row.workload, row.replacement};
      if (run->variant == 0) {
        baseline[name][key] = *row.value;
      } else if (const auto b = baseline[name].find(key); b != baseline[name].end()) {
        p.differences.push_back(*row.value - b->second);
      }
    }
  }
  for (const std::string& name : order) {
    std::vector<Pooled>& per_variant = pooled.at(name);
    if (std::all_of(per_variant.begin(), per_variant.end(),
                    [](const Pooled& p) { return p.values.empty(); })) {
      continue;
    }
    SweepMetric m{.name = name, .variants = {}};
    for (std::size_t v = 0; v < nv; ++v) {
      Pooled& p = per_variant[v];
      VariantMetric vm{.stats = metric_stats(std::move(p.values), p.missing), .difference = {}};
      if (v > 0) vm.difference = metric_stats(std::move(p.differences));
      m.variants.push_back(vm);
    }
    out.metrics.push_back(std::move(m));
  }
  return out;
}

std::string sweep_table(const SweepResults& r) {
  const SweepStats st = sweep_stats(r);
  std::ostringstream o;
  o << "scenario " << r.scenario << "  sweep of " << r.variants.size()
    << (r.variants.size() == 1 ? " variant" : " variants") << " × " << seeds_text(r.seeds) << "\n"
    << "each metric pooled over workloads × seeds (a replacement's over replacements × seeds);\n"
    << "Δ: the paired difference to variant 0 (same seed, same workload) with its 95% interval\n\n";
  o << column("variant", 9) << "overrides\n";
  for (std::size_t v = 0; v < r.variants.size(); ++v) {
    o << column(std::to_string(v), 9) << variant_text(r.variants[v]) << "\n";
  }
  std::size_t metric_w = 16;
  for (const SweepMetric& m : st.metrics) metric_w = std::max(metric_w, m.name.size() + 2);
  o << "\n"
    << column("metric", metric_w) << column("variant", 9) << column("n", 8) << column("mean", 12)
    << column("±95%", 12) << column("p50", 12) << column("p90", 12) << column("Δ mean", 12)
    << "Δ ±95%\n";
  const auto cell = [](const MetricStats& s, double v) {
    return column(s.n > 0 ? stats_cell_text(v) : "-", 12);
  };
  for (const SweepMetric& m : st.metrics) {
    for (std::size_t v = 0; v < m.variants.size(); ++v) {
      const VariantMetric& vm = m.variants[v];
      std::string line = column(v == 0 ? m.name : "", metric_w) + column(std::to_string(v), 9) +
                         column(std::to_string(vm.stats.n), 8) + cell(vm.stats, vm.stats.mean) +
                         cell(vm.stats, vm.stats.ci95) + cell(vm.stats, vm.stats.p50) +
                         cell(vm.stats, vm.stats.p90);
      if (vm.difference && vm.difference->n > 0) {
        line +=
            column(stats_cell_text(vm.difference->mean), 12) + stats_cell_text(vm.difference->ci95);
      } else {
        line += column("-", 12) + "-";
      }
      o << line << "\n";
    }
  }
  o << "\nnever running (timeToRunning missing):";
  for (std::size_t v = 0; v < r.variants.size(); ++v) {
    o << (v == 0 ? " " : "; ") << "variant " << v << ": " << st.never_running[v] << " of "
      << st.workload_seeds[v];
  }
  o << "\n";
  return o.str();
}

std::string sweep_json(const SweepResults& r) {
  const SweepStats st = sweep_stats(r);
  engine::Json variants = engine::Json::array();
  for (std::size_t v = 0; v < r.variants.size(); ++v) {
    engine::Json overrides = engine::Json::object();
    for (const Override& o : r.variants[v].overrides) overrides[o.path] = o.value;
    variants.push_back({{"variant", v},
                        {"overrides", std::move(overrides)},
                        {"neverRunning", st.never_running[v]},
                        {"workloadSeeds", st.workload_seeds[v]}});
  }
  engine::Json metrics = engine::Json::array();
  for (const SweepMetric& m : st.metrics) {
    engine::Json per = engine::Json::array();
    for (const VariantMetric& vm : m.variants) {
      engine::Json j = stats_json(vm.stats, true);
      j["difference"] = vm.difference ? stats_json(*vm.difference, false) : engine::Json(nullptr);
      per.push_back(std::move(j));
    }
    metrics.push_back({{"metric", m.name}, {"variants", std::move(per)}});
  }
  engine::Json j = engine::Json::object();
  j["scenario"] = r.scenario;
  j["seeds"] = r.seeds;
  j["pooledOver"] = "workloads × seeds";
  j["variants"] = std::move(variants);
  j["metrics"] = std::move(metrics);
  return engine::to_text(j);
}

}  // namespace wlsim::scenarios

// Studies: a run's rows, sweeps of variants × seeds, and the result store, as columns (one list per
// field) that pandas builds frames from cheaply. The Python package's study functions sit on these.

#include <pybind11/stl.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/result_store.hpp"
#include "wlsim/scenarios/run_rows.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/sweep.hpp"

namespace wlsim::bindings {

namespace {

using scenarios::SweepRun;

constexpr const char* kInMemory = ":memory:";

/// Columns of the rows of `runs`; with `keys`, each row also names its run's variant and seed.
py::dict metric_columns(const std::vector<const SweepRun*>& runs, bool keys) {
  py::list variant, seed, workload, replacement, metric, value;
  for (const SweepRun* r : runs) {
    for (const scenarios::MetricRow& row : r->rows.metrics) {
      if (keys) {
        variant.append(r->variant);
        seed.append(r->seed);
      }
      workload.append(row.workload);
      replacement.append(row.replacement);
      metric.append(row.metric);
      value.append(row.value ? py::object(py::float_(*row.value)) : py::object(py::none()));
    }
  }
  py::dict out;
  if (keys) {
    out["variant"] = variant;
    out["seed"] = seed;
  }
  out["workload"] = workload;
  out["replacement"] = replacement;
  out["metric"] = metric;
  out["value"] = value;
  return out;
}

py::dict text_columns(const std::vector<const SweepRun*>& runs, bool keys) {
  py::list variant, seed, workload, replacement, field, text;
  for (const SweepRun* r : runs) {
    for (const scenarios::TextRow& row : r->rows.texts) {
      if (keys) {
        variant.append(r->variant);
        seed.append(r->seed);
      }
      workload.append(row.workload);
      replacement.append(row.replacement);
      field.append(row.field);
      text.append(row.text);
    }
  }
  py::dict out;
  if (keys) {
    out["variant"] = variant;
    out["seed"] = seed;
  }
  out["workload"] = workload;
  out["replacement"] = replacement;
  out["field"] = field;
  out["text"] = text;
  return out;
}

py::dict run_fields(const SweepRun& r) {
  py::dict out;
  out["trace_hash"] = engine::hash_hex(r.trace_hash);
  out["events"] = r.events;
  out["simulated_seconds"] = r.simulated_seconds;
  return out;
}

/// A sweep's (or store's) runs as {metrics, texts, runs} columns, in (variant, seed, row) order.
py::dict sweep_columns(const std::vector<SweepRun>& runs) {
  std::vector<const SweepRun*> ordered;
  for (const SweepRun& r : runs) ordered.push_back(&r);
  py::list variant, seed, trace_hash, events, simulated;
  for (const SweepRun& r : runs) {
    variant.append(r.variant);
    seed.append(r.seed);
    trace_hash.append(engine::hash_hex(r.trace_hash));
    events.append(r.events);
    simulated.append(r.simulated_seconds);
  }
  py::dict run_columns;
  run_columns["variant"] = variant;
  run_columns["seed"] = seed;
  run_columns["trace_hash"] = trace_hash;
  run_columns["events"] = events;
  run_columns["simulated_seconds"] = simulated;
  py::dict out;
  out["metrics"] = metric_columns(ordered, true);
  out["texts"] = text_columns(ordered, true);
  out["runs"] = run_columns;
  return out;
}

py::dict run_rows(const ScenarioHandle& handle, std::uint64_t seed,
                  std::optional<std::uint64_t> max_events) {
  std::shared_ptr<const scenarios::Scenario> scenario = handle.scenario;
  const scenarios::RunLimits limits = run_limits(max_events);
  SweepRun r;
  {
    py::gil_scoped_release release;
    r = scenarios::sweep_run(0, scenarios::run(*scenario, {.seed = seed, .limits = limits}));
  }
  py::dict out;
  out["metrics"] = metric_columns({&r}, false);
  out["texts"] = text_columns({&r}, false);
  out["run"] = run_fields(r);
  return out;
}

/// Variants from Python: a list of {path: YAML value text}, each dict's order kept (overrides
/// apply in order).
std::vector<scenarios::Variant> variants_of(const py::list& given) {
  if (given.empty()) throw py::value_error("variants: give at least one (an empty dict: none)");
  if (given.size() > scenarios::kMaxVariants) {
    throw py::value_error("variants: more than " + std::to_string(scenarios::kMaxVariants));
  }
  std::vector<scenarios::Variant> out;
  for (const py::handle item : given) {
    if (!py::isinstance<py::dict>(item)) {
      throw py::type_error("variants: each variant is a dict {path: value text}");
    }
    scenarios::Variant v;
    for (const auto& [k, value] : item.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k) || !py::isinstance<py::str>(value)) {
        throw py::type_error("variants: a variant maps a path (str) to a YAML value text (str)");
      }
      v.overrides.push_back({k.cast<std::string>(), value.cast<std::string>()});
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<std::uint64_t> seeds_of(const std::vector<std::uint64_t>& seeds) {
  std::set<std::uint64_t> seen;
  for (const std::uint64_t s : seeds) {
    if (!seen.insert(s).second) {
      throw py::value_error("seeds: " + std::to_string(s) + " is given twice");
    }
  }
  return seeds;
}

scenarios::SweepIdentity identity(const ScenarioHandle& h, std::vector<scenarios::Variant> variants,
                                  std::vector<std::uint64_t> seeds) {
  return {.scenario = h.scenario->name,
          .source_text = h.source->text,
          .base = h.overrides,
          .variants = std::move(variants),
          .seeds = std::move(seeds)};
}

py::dict sweep(const ScenarioHandle& handle, const py::list& variants,
               const std::vector<std::uint64_t>& seeds, int threads,
               const std::optional<std::string>& store, std::optional<std::uint64_t> max_events) {
  if (threads < 1) throw py::value_error("threads must be >= 1");
  const scenarios::SweepIdentity sweep = identity(handle, variants_of(variants), seeds_of(seeds));
  const scenarios::RunLimits limits = run_limits(max_events);
  const ScenarioHandle h = handle;  // keeps the source alive without the GIL
  std::vector<SweepRun> runs;
  {
    py::gil_scoped_release release;
    const std::vector<scenarios::Scenario> loaded =
        scenarios::load_variants(*h.source, h.overrides, sweep.variants, h.scenario->limits);
    scenarios::ResultStore results(store.value_or(kInMemory), sweep);
    scenarios::run_sweep(loaded, sweep.seeds, threads, limits, results.done(),
                         [&](const SweepRun& r) { results.add(r); });
    runs = results.read();
  }
  return sweep_columns(runs);
}

/// A value column's item: None (or NaN, as pandas writes a missing float) is no value.
std::optional<double> value_of(py::handle v) {
  if (v.is_none()) return std::nullopt;
  const double d = v.cast<double>();
  if (std::isnan(d)) return std::nullopt;
  return d;
}

/// A run as run_rows returns it, back in C++.
SweepRun run_of(std::size_t variant, std::uint64_t seed, const py::dict& rows) {
  SweepRun r;
  r.variant = variant;
  r.seed = seed;
  const auto column = [](const py::dict& d, const char* name) { return d[name].cast<py::list>(); };
  const auto m = rows["metrics"].cast<py::dict>();
  const py::list mw = column(m, "workload"), mr = column(m, "replacement"),
                 mm = column(m, "metric"), mv = column(m, "value");
  for (std::size_t i = 0; i < mw.size(); ++i) {
    r.rows.metrics.push_back({mw[i].cast<std::string>(), mr[i].cast<std::string>(),
                              mm[i].cast<std::string>(), value_of(mv[i])});
  }
  const auto t = rows["texts"].cast<py::dict>();
  const py::list tw = column(t, "workload"), tr = column(t, "replacement"), tf = column(t, "field"),
                 tt = column(t, "text");
  for (std::size_t i = 0; i < tw.size(); ++i) {
    r.rows.texts.push_back({tw[i].cast<std::string>(), tr[i].cast<std::string>(),
                            tf[i].cast<std::string>(), tt[i].cast<std::string>()});
  }
  const auto run = rows["run"].cast<py::dict>();
  const auto hash = run["trace_hash"].cast<std::string>();
  const auto [end, ec] = std::from_chars(hash.data(), hash.data() + hash.size(), r.trace_hash, 16);
  if (ec != std::errc() || end != hash.data() + hash.size()) {
    throw py::value_error("rows: trace_hash '" + hash + "' is not 16 hex digits");
  }
  r.events = run["events"].cast<std::uint64_t>();
  r.simulated_seconds = run["simulated_seconds"].cast<double>();
  return r;
}

/// The store as Python holds it: a sweep's parent writes runs as they arrive from elsewhere.
class StoreHandle {
 public:
  StoreHandle(const std::string& path, const ScenarioHandle& h, const py::list& variants,
              const std::vector<std::uint64_t>& seeds)
      : store_(path, identity(h, variants_of(variants), seeds_of(seeds))) {}

  [[nodiscard]] std::vector<std::pair<std::size_t, std::uint64_t>> done() const {
    const std::set<scenarios::RunKey> d = store_.done();
    return {d.begin(), d.end()};
  }
  void add(std::size_t variant, std::uint64_t seed, const py::dict& rows) {
    store_.add(run_of(variant, seed, rows));
  }
  [[nodiscard]] py::dict read() const { return sweep_columns(store_.read()); }

 private:
  scenarios::ResultStore store_;
};

}  // namespace

void bind_study(py::module_& m) {
  py::register_exception<scenarios::StoreError>(m, "StoreError", PyExc_ValueError);

  m.def("run_rows", &run_rows, py::arg("scenario"), py::arg("seed"),
        py::arg("max_events") = py::none(),
        "Runs a scenario with the GIL released and returns its summary as long rows: {metrics: "
        "columns workload, replacement, metric, value (None when missing), texts: columns "
        "workload, replacement, field, text, run: {trace_hash, events, simulated_seconds}}. "
        "Workload \"\" is the fleet; replacement \"\" a workload-level row.");
  m.def("sweep", &sweep, py::arg("scenario"), py::arg("variants"), py::arg("seeds"),
        py::arg("threads") = 1, py::arg("store") = py::none(), py::arg("max_events") = py::none(),
        "Runs every variant ({path: YAML value text}, applied after the scenario's own overrides) "
        "on every seed (the same seeds for every variant) on `threads` threads with the GIL "
        "released. Returns {metrics, texts, runs} columns with variant (index) and seed, sorted "
        "by variant, seed and row. With store (an SQLite file), runs are written as they finish "
        "and a sweep of a store that holds some of them runs only the rest.");
  py::class_<StoreHandle>(m, "ResultStore",
                          "A sweep's SQLite result store (docs/studies.md), opened or created for "
                          "this scenario, variants and seeds; another sweep's store is refused "
                          "(StoreError).")
      .def(py::init<const std::string&, const ScenarioHandle&, const py::list&,
                    const std::vector<std::uint64_t>&>(),
           py::arg("path"), py::arg("scenario"), py::arg("variants"), py::arg("seeds"))
      .def("done", &StoreHandle::done, "The (variant, seed) runs already stored, sorted.")
      .def("add", &StoreHandle::add, py::arg("variant"), py::arg("seed"), py::arg("rows"),
           "Writes one run, given as run_rows returns it, in one transaction.")
      .def("read", &StoreHandle::read, "Every stored run, in the shape sweep returns.");
}

}  // namespace wlsim::bindings

// Scenarios area: loading scenario files/text into an immutable shared Scenario, and running it.

#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/probe_spec.hpp"
#include "wlsim/scenarios/expectations.hpp"
#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/scenario.hpp"
#include "wlsim/scenarios/session.hpp"
#include "wlsim/scenarios/status_report.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::bindings {

namespace {

using scenarios::Scenario;

/// A run's trace records, kept in C++ until Python asks for them as columns (Result.events).
struct TraceHandle {
  std::shared_ptr<const engine::MemorySink> sink;
};

/// scenarios::Limits from a Python dict of field names; an unknown name or a value out of range is
/// a ValueError that lists the allowed names.
scenarios::Limits limits_from(const std::optional<py::dict>& given, bool ignore_unsupported) {
  scenarios::Limits l;
  l.ignore_unsupported = ignore_unsupported;
  if (!given) return l;
  const auto positive = [](const std::string& key, py::handle v) {
    const auto n = v.cast<std::int64_t>();
    if (n < 1) throw py::value_error("limits[" + key + "]: " + std::to_string(n) + " is not >= 1");
    return n;
  };
  for (const auto& [k, v] : *given) {
    const auto key = k.cast<std::string>();
    if (key == "max_file_bytes") {
      l.max_file_bytes = positive(key, v);
    } else if (key == "max_list_length") {
      l.max_list_length = positive(key, v);
    } else if (key == "max_depth") {
      l.max_depth = static_cast<int>(std::min<std::int64_t>(positive(key, v), 1'000'000));
    } else if (key == "max_replicas_per_group") {
      l.max_replicas_per_group = positive(key, v);
    } else if (key == "max_replicas_total") {
      l.max_replicas_total = positive(key, v);
    } else if (key == "max_nodes") {
      l.max_nodes = positive(key, v);
    } else if (key == "max_bytes") {
      l.max_bytes = positive(key, v);
    } else if (key == "max_duration_seconds") {
      l.max_duration = engine::Time::from_seconds(positive(key, v));
    } else {
      throw py::value_error(
          "limits: unknown limit '" + key +
          "' (allowed: max_file_bytes, max_list_length, max_depth, max_replicas_per_group, "
          "max_replicas_total, max_nodes, max_bytes, max_duration_seconds)");
    }
  }
  return l;
}

ScenarioHandle load_source(std::shared_ptr<const scenarios::Source> source,
                           std::vector<scenarios::Override> overrides,
                           const scenarios::Limits& limits) {
  std::shared_ptr<const Scenario> s;
  {
    py::gil_scoped_release release;
    s = std::make_shared<const Scenario>(scenarios::load_source(*source, overrides, limits));
  }
  return ScenarioHandle{std::move(s), std::move(source), std::move(overrides)};
}

ScenarioHandle load_file(const std::string& path, const std::optional<py::dict>& limits,
                         bool ignore_unsupported) {
  const scenarios::Limits l = limits_from(limits, ignore_unsupported);
  std::shared_ptr<const scenarios::Source> source;
  {
    py::gil_scoped_release release;
    source = std::make_shared<const scenarios::Source>(scenarios::read_source(path, l));
  }
  return load_source(std::move(source), {}, l);
}

ScenarioHandle load_text(const std::string& text, const std::string& origin,
                         const std::optional<py::dict>& limits, bool ignore_unsupported) {
  return load_source(
      std::make_shared<const scenarios::Source>(scenarios::text_source(text, origin)), {},
      limits_from(limits, ignore_unsupported));
}

/// The scenario with more overrides after its own: {path: value}, each value a Python object
/// written as JSON (which is YAML), so that a str is always text, never parsed.
ScenarioHandle with_overrides(const ScenarioHandle& h, const py::dict& more) {
  if (more.size() > scenarios::kMaxOverrides) {
    throw scenarios::ScenarioError(h.source->origin + ": " + std::to_string(more.size()) +
                                   " overrides are over the limit of " +
                                   std::to_string(scenarios::kMaxOverrides) + " in one load");
  }
  const py::object dumps = py::module_::import("json").attr("dumps");
  std::vector<scenarios::Override> overrides = h.overrides;
  for (const auto& [k, v] : more) {
    if (!py::isinstance<py::str>(k)) {
      throw py::type_error("with_overrides: a path must be a str, not " +
                           std::string(py::str(py::type::of(k).attr("__name__"))));
    }
    std::string value;
    try {
      value = dumps(v, py::arg("allow_nan") = false).cast<std::string>();
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_ValueError)) throw;
      throw scenarios::ScenarioError(
          h.source->origin + ": override '" + k.cast<std::string>() +
          "': the value is not representable as JSON: " + std::string(py::str(e.value())));
    }
    overrides.push_back({k.cast<std::string>(), std::move(value)});
  }
  return load_source(h.source, std::move(overrides), h.scenario->limits);
}

/// The scenario with more overrides after its own, each (path, YAML value text) exactly as the
/// CLI's --set gives them, so that a Python command reads --set as every other command does.
ScenarioHandle with_yaml_overrides(const ScenarioHandle& h,
                                   const std::vector<std::pair<std::string, std::string>>& more) {
  if (more.size() > scenarios::kMaxOverrides) {
    throw scenarios::ScenarioError(h.source->origin + ": " + std::to_string(more.size()) +
                                   " overrides are over the limit of " +
                                   std::to_string(scenarios::kMaxOverrides) + " in one load");
  }
  std::vector<scenarios::Override> overrides = h.overrides;
  for (const auto& [path, value] : more) overrides.push_back({path, value});
  return load_source(h.source, std::move(overrides), h.scenario->limits);
}

/// Every bound, as whole numbers in a fixed order (a pickle's), then ignore_unsupported.
py::tuple limits_state(const scenarios::Limits& l) {
  return py::make_tuple(l.max_file_bytes, l.max_list_length, l.max_depth, l.max_replicas_per_group,
                        l.max_replicas_total, l.max_nodes, l.max_duration.us(), l.max_bytes,
                        l.max_bytes_per_second, l.max_cpu_milli, l.max_gpu,
                        static_cast<int>(l.ignore_unsupported));
}

scenarios::Limits limits_of_state(const py::tuple& t) {
  if (t.size() != 12)
    throw py::value_error("Scenario pickle: a limits tuple of 12 numbers expected");
  scenarios::Limits l;
  l.max_file_bytes = t[0].cast<std::int64_t>();
  l.max_list_length = t[1].cast<std::int64_t>();
  l.max_depth = t[2].cast<int>();
  l.max_replicas_per_group = t[3].cast<std::int64_t>();
  l.max_replicas_total = t[4].cast<std::int64_t>();
  l.max_nodes = t[5].cast<std::int64_t>();
  l.max_duration = engine::Time::from_us(t[6].cast<std::int64_t>());
  l.max_bytes = t[7].cast<std::int64_t>();
  l.max_bytes_per_second = t[8].cast<std::int64_t>();
  l.max_cpu_milli = t[9].cast<std::int64_t>();
  l.max_gpu = t[10].cast<std::int64_t>();
  l.ignore_unsupported = t[11].cast<int>() != 0;
  return l;
}

py::list overrides_list(const std::vector<scenarios::Override>& overrides) {
  py::list out;
  for (const auto& o : overrides) out.append(py::make_tuple(o.path, o.value));
  return out;
}

/// A pickle holds what the scenario was loaded from, not the loaded scenario: loading it again
/// gives the same scenario, checked as the first load was.
py::tuple scenario_state(const ScenarioHandle& h) {
  return py::make_tuple(1, h.source->text, h.source->origin, h.source->base_dir,
                        overrides_list(h.overrides), limits_state(h.scenario->limits));
}

ScenarioHandle scenario_of_state(const py::tuple& t) {
  if (t.size() != 6 || t[0].cast<int>() != 1) {
    throw py::value_error("Scenario pickle: not one this version of wlsim wrote");
  }
  auto source = std::make_shared<const scenarios::Source>(scenarios::Source{
      t[1].cast<std::string>(), t[2].cast<std::string>(), t[3].cast<std::string>()});
  std::vector<scenarios::Override> overrides;
  for (const auto& o : t[4].cast<py::list>()) {
    const auto pair = o.cast<py::tuple>();
    overrides.push_back({pair[0].cast<std::string>(), pair[1].cast<std::string>()});
  }
  return load_source(std::move(source), std::move(overrides),
                     limits_of_state(t[5].cast<py::tuple>()));
}

// The replica timeline of every workload that has one, as columns (workload, time, desired,
// current, ready, mode): Result.replicas builds its DataFrame from them.
py::dict replica_columns(const scenarios::RunResult& r) {
  py::list workload, time, desired, current, ready, mode;
  for (const scenarios::WorkloadResult& w : r.workloads) {
    for (const scenarios::ReplicaCountPoint& p : w.replica_timeline) {
      workload.append(w.id);
      time.append(p.at_s);
      desired.append(p.desired);
      current.append(p.current);
      ready.append(p.ready);
      mode.append(p.mode);
    }
  }
  py::dict out;
  out["workload"] = workload;
  out["time"] = time;
  out["desired"] = desired;
  out["current"] = current;
  out["ready"] = ready;
  out["mode"] = mode;
  return out;
}

py::dict run(const ScenarioHandle& handle, std::optional<std::uint64_t> seed, bool collect_events,
             std::optional<std::uint64_t> max_events) {
  // Keep the scenario alive for the run even if Python drops its last reference meanwhile.
  std::shared_ptr<const Scenario> scenario = handle.scenario;
  auto sink = collect_events ? std::make_shared<engine::MemorySink>() : nullptr;
  scenarios::RunResult result;
  std::string summary;
  scenarios::RunOptions options;
  options.seed = seed;
  options.sink = sink.get();
  options.limits = run_limits(max_events);
  {
    py::gil_scoped_release release;
    result = scenarios::run(*scenario, options);
    summary = scenarios::summary_json(result);
  }
  py::dict out;
  out["summary"] = std::move(summary);
  out["trace_hash"] = engine::hash_hex(result.trace_hash);
  out["seed"] = result.seed;
  out["events"] = sink ? py::cast(TraceHandle{std::move(sink)}) : py::object(py::none());
  out["replicas"] = replica_columns(result);
  return out;
}

std::string status(const ScenarioHandle& handle, double at_seconds,
                   std::optional<std::uint64_t> seed) {
  std::shared_ptr<const Scenario> scenario = handle.scenario;
  const engine::Time at = engine::Time::from_seconds_f(at_seconds);
  if (!std::isfinite(at_seconds) || at < engine::Time::zero() || at > scenario->duration) {
    throw py::value_error("at must be between 0 and the scenario's duration (" +
                          engine::format_duration(scenario->duration) + ")");
  }
  py::gil_scoped_release release;
  scenarios::RunOptions options;
  options.seed = seed;
  options.until = at;
  options.status = scenarios::StatusFormat::Json;
  return scenarios::run(*scenario, options).status;
}

/// A run that advances step by step; it keeps its scenario alive and collects the trace if asked.
/// Safe from several Python threads: every call takes the handle's lock (with the GIL released
/// while it waits, so a thread that holds the lock and runs without the GIL is never blocked by one
/// that waits with it).
class SessionHandle {
 public:
  SessionHandle(const ScenarioHandle& h, std::optional<std::uint64_t> seed, bool collect_events,
                std::optional<std::uint64_t> max_events)
      : scenario_(h.scenario), collect_(collect_events) {
    scenarios::RunOptions options;
    options.seed = seed;
    options.sink = collect_events ? &sink_ : nullptr;
    options.limits = run_limits(max_events);
    session_ = std::make_unique<scenarios::Session>(*scenario_, options);
  }

  [[nodiscard]] double now() {
    const auto lock = locked();
    return session_->now().seconds();
  }

  void run_until(double seconds) {
    if (!std::isfinite(seconds)) {
      throw py::value_error("run_until: " + std::string(py::str(py::float_(seconds))) +
                            " is not a finite time (seconds, or a duration text such as '10m')");
    }
    const engine::Time t = engine::Time::from_seconds_f(seconds);
    py::gil_scoped_release release;
    const std::scoped_lock lock(mutex_);
    session_->run_until(t);
  }

  py::dict call(const std::string& endpoint, const std::string& body) {
    models::api::Response r;
    {
      py::gil_scoped_release release;
      const std::scoped_lock lock(mutex_);
      r = session_->call(endpoint, body);
    }
    py::dict out;
    out["status"] = r.status;
    out["body"] = r.body;
    return out;
  }

  py::dict result(bool with_status) {
    scenarios::RunResult r;
    std::string summary;
    std::shared_ptr<engine::MemorySink> records;
    {
      py::gil_scoped_release release;
      const std::scoped_lock lock(mutex_);
      r = session_->result(with_status ? scenarios::StatusFormat::Json
                                       : scenarios::StatusFormat::None);
      summary = scenarios::summary_json(r);
      // A snapshot: the session runs on and keeps appending to its own sink.
      if (collect_) records = std::make_shared<engine::MemorySink>(sink_);
    }
    py::dict out;
    out["summary"] = std::move(summary);
    out["trace_hash"] = engine::hash_hex(r.trace_hash);
    out["seed"] = r.seed;
    out["status"] = r.status;
    out["events"] = records ? py::cast(TraceHandle{std::move(records)}) : py::object(py::none());
    out["replicas"] = replica_columns(r);
    return out;
  }

 private:
  [[nodiscard]] std::unique_lock<std::mutex> locked() {
    std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
    py::gil_scoped_release release;
    lock.lock();
    return lock;
  }

  std::mutex mutex_;
  std::shared_ptr<const Scenario> scenario_;
  engine::MemorySink sink_;
  bool collect_;
  std::unique_ptr<scenarios::Session> session_;
};

/// Runs the scenario and evaluates its expect block: one (name, expected, actual, held) tuple per
/// expectation, in the block's order.
py::list check(const ScenarioHandle& handle, std::optional<std::uint64_t> seed,
               std::optional<std::uint64_t> max_events) {
  std::shared_ptr<const Scenario> scenario = handle.scenario;
  scenarios::RunOptions options;
  options.seed = seed;
  options.limits = run_limits(max_events);
  std::vector<scenarios::ExpectationOutcome> outcomes;
  {
    py::gil_scoped_release release;
    outcomes = scenarios::check(*scenario, options);
  }
  py::list out;
  for (const auto& o : outcomes) out.append(py::make_tuple(o.name, o.expected, o.actual, o.held));
  return out;
}

const char* profile_name(models::Profile p) {
  switch (p) {
    case models::Profile::Platform:
      return "platform";
    case models::Profile::Kubernetes:
      return "kubernetes";
  }
  return "unknown";
}

}  // namespace

scenarios::RunLimits run_limits(std::optional<std::uint64_t> max_events) {
  scenarios::RunLimits l;
  if (max_events) {
    if (*max_events < 1) throw py::value_error("max_events must be >= 1");
    l.max_events = *max_events;
  }
  return l;
}

void bind_scenarios(py::module_& m) {
  py::register_exception<scenarios::ScenarioError>(m, "ScenarioError", PyExc_ValueError);

  py::class_<ScenarioHandle>(
      m, "Scenario",
      "A loaded scenario: immutable, shared by every run and thread that uses "
      "it. Create one with wlsim.load().")
      .def_property_readonly(
          "name", [](const ScenarioHandle& h) { return h.scenario->name; }, "The scenario's name.")
      .def_property_readonly(
          "seed", [](const ScenarioHandle& h) { return h.scenario->seed; },
          "The scenario's own seed, used by runs that do not pass one.")
      .def_property_readonly(
          "duration_seconds",
          [](const ScenarioHandle& h) { return h.scenario->duration.seconds(); },
          "Simulated time a run covers, in seconds.")
      .def_property_readonly(
          "profile",
          [](const ScenarioHandle& h) { return std::string(profile_name(h.scenario->profile)); },
          "'platform' or 'kubernetes': whose defaults the scenario uses.")
      .def_property_readonly(
          "workload_ids",
          [](const ScenarioHandle& h) {
            py::list ids;
            for (const auto& w : h.scenario->platform.workloads) ids.append(w.id);
            return py::tuple(ids);
          },
          "The workloads' ids, in scenario order.")
      .def_property_readonly(
          "warnings",
          [](const ScenarioHandle& h) {
            py::list out;
            for (const auto& w : h.scenario->warnings) out.append(w);
            return py::tuple(out);
          },
          "What the load skipped with ignore_unsupported=True: one line per field not simulated, "
          "sorted; empty otherwise.")
      .def_property_readonly(
          "overrides",
          [](const ScenarioHandle& h) { return py::tuple(overrides_list(h.overrides)); },
          "The overrides applied to the source, in order: (path, value as YAML text) pairs.")
      .def("with_overrides", &with_overrides, py::arg("overrides"),
           "A new Scenario: this one with more overrides by path, {path: value}, e.g. "
           "{'artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds': "
           "10}. A path walks the file's structure (list items by [index] or [id]); a value is a "
           "Python object (number, str, bool, None, list, dict) put there as is. Every override "
           "is checked as the file is; one that names nothing raises ScenarioError naming it.")
      .def("_with_yaml_overrides", &with_yaml_overrides, py::arg("overrides"),
           "A new Scenario with more overrides given as (path, YAML value text) pairs, as the "
           "CLI's --set PATH=VALUE gives them (see wlsim._core.parse_override).")
      .def(
          "to_dict",
          [](const ScenarioHandle& h) {
            std::string json;
            {
              py::gil_scoped_release release;
              json = scenarios::source_json(*h.source, h.overrides, h.scenario->limits);
            }
            return py::module_::import("json").attr("loads")(json);
          },
          "The scenario in the file format: its source document with the overrides applied, as "
          "plain dicts, lists and scalars (wlsim.load() of it gives the same scenario).")
      .def(py::pickle(&scenario_state, &scenario_of_state))
      .def("__repr__", [](const ScenarioHandle& h) {
        return "<wlsim.Scenario name=" + std::string(py::repr(py::str(h.scenario->name))) +
               " seed=" + std::to_string(h.scenario->seed) +
               " duration=" + engine::format_duration(h.scenario->duration) + ">";
      });

  py::class_<TraceHandle>(m, "_Trace", "A run's trace records, kept until asked for.")
      .def("__len__", [](const TraceHandle& t) { return t.sink->records().size(); })
      .def(
          "columns", [](const TraceHandle& t) { return trace_columns(t.sink->records()); },
          "The records as columns: {time, object, kind, from, to, reason, message}; time a "
          "float64 array of seconds, each text column a tuple (codes, texts): a numpy array of "
          "unsigned codes and the list of distinct str in order of first appearance.");

  m.def(
      "parse_override",
      [](const std::string& text) {
        try {
          const scenarios::Override o = scenarios::parse_override(text);
          return py::make_tuple(o.path, o.value);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
      },
      py::arg("text"),
      "'PATH=VALUE' as (path, YAML value text), split as the CLI's --set splits it: at the first "
      "'=' outside brackets. Raises ValueError without '=' or with an empty path.");
  m.def(
      "load_file", &load_file, py::arg("path"), py::arg("limits") = py::none(),
      py::arg("ignore_unsupported") = false,
      "Loads a scenario file (YAML or JSON). Raises ScenarioError naming the field path. limits: a "
      "dict raising (or lowering) the input bounds, e.g. {'max_replicas_per_group': 500000}. "
      "ignore_unsupported: skip fields wlsim does not simulate (Scenario.warnings lists them).");
  m.def("load_text", &load_text, py::arg("text"), py::arg("origin") = "<scenario>",
        py::arg("limits") = py::none(), py::arg("ignore_unsupported") = false,
        "Loads scenario text (YAML or JSON); origin names it in error messages. Raises "
        "ScenarioError.");
  m.def(
      "run", &run, py::arg("scenario"), py::arg("seed") = py::none(),
      py::arg("collect_events") = true, py::arg("max_events") = py::none(),
      "Runs a scenario to its duration with the GIL released. seed None uses the scenario's own. "
      "Returns a dict: summary (the CLI's JSON text), trace_hash (16 hex digits), seed, and events "
      "(a _Trace, or None when collect_events is false). A run past max_events raises "
      "ScenarioError.");
  py::class_<SessionHandle>(m, "_Session")
      .def(py::init<const ScenarioHandle&, std::optional<std::uint64_t>, bool,
                    std::optional<std::uint64_t>>(),
           py::arg("scenario"), py::arg("seed") = py::none(), py::arg("collect_events") = true,
           py::arg("max_events") = py::none())
      .def_property_readonly("now", &SessionHandle::now, "Current simulated time, seconds.")
      .def("run_until", &SessionHandle::run_until, py::arg("seconds"),
           "Runs every event up to and including this time (GIL released).")
      .def("call", &SessionHandle::call, py::arg("endpoint"), py::arg("body") = "",
           "A Workload API call now; returns {status, body (JSON text)}. Raises ScenarioError if "
           "malformed.")
      .def("result", &SessionHandle::result, py::arg("with_status") = false,
           "The results so far: {summary (JSON text), trace_hash, seed, status (JSON text or ''), "
           "events}.");
  m.def("check", &check, py::arg("scenario"), py::arg("seed") = py::none(),
        py::arg("max_events") = py::none(),
        "Runs a scenario with the GIL released and evaluates its expect block: a list of (name, "
        "expected, actual, held) tuples, one per expectation (as `wlsim check` prints them).");
  m.def("status", &status, py::arg("scenario"), py::arg("at_seconds"), py::arg("seed") = py::none(),
        "Runs a scenario up to at_seconds with the GIL released and returns the status-details "
        "snapshot as JSON text (the same as `wlsim status FILE --at T --format json`).");
}

}  // namespace wlsim::bindings

// Scenarios area: loading scenario files/text into an immutable shared Scenario, and running it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/probe_spec.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/scenario.hpp"
#include "wlsim/scenarios/session.hpp"
#include "wlsim/scenarios/status_report.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::bindings {

namespace {

using scenarios::Scenario;

/// What Python holds: a loaded scenario, immutable and shared by every run and thread that uses it.
struct ScenarioHandle {
  std::shared_ptr<const Scenario> scenario;
};

ScenarioHandle load_file(const std::string& path) {
  std::shared_ptr<const Scenario> s;
  {
    py::gil_scoped_release release;
    s = std::make_shared<const Scenario>(scenarios::load_file(path));
  }
  return ScenarioHandle{std::move(s)};
}

ScenarioHandle load_text(const std::string& text, const std::string& origin) {
  std::shared_ptr<const Scenario> s;
  {
    py::gil_scoped_release release;
    s = std::make_shared<const Scenario>(scenarios::load_text(text, origin));
  }
  return ScenarioHandle{std::move(s)};
}

py::dict run(const ScenarioHandle& handle, std::optional<std::uint64_t> seed, bool collect_events) {
  // Keep the scenario alive for the run even if Python drops its last reference meanwhile.
  std::shared_ptr<const Scenario> scenario = handle.scenario;
  engine::MemorySink sink;
  scenarios::RunResult result;
  std::string summary;
  {
    py::gil_scoped_release release;
    scenarios::RunOptions options;
    options.seed = seed;
    options.sink = collect_events ? &sink : nullptr;
    result = scenarios::run(*scenario, options);
    summary = scenarios::summary_json(result);
  }
  py::dict out;
  out["summary"] = std::move(summary);
  out["trace_hash"] = engine::hash_hex(result.trace_hash);
  out["seed"] = result.seed;
  if (collect_events) {
    out["events"] = trace_columns(sink.records());
  } else {
    out["events"] = py::none();
  }
  return out;
}

std::string status(const ScenarioHandle& handle, double at_seconds, std::optional<std::uint64_t> seed) {
  std::shared_ptr<const Scenario> scenario = handle.scenario;
  const engine::Time at = engine::Time::from_seconds_f(at_seconds);
  if (at < engine::Time::zero() || at > scenario->duration) {
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
class SessionHandle {
 public:
  SessionHandle(const ScenarioHandle& h, std::optional<std::uint64_t> seed, bool collect_events)
      : scenario_(h.scenario), collect_(collect_events) {
    scenarios::RunOptions options;
    options.seed = seed;
    options.sink = collect_events ? &sink_ : nullptr;
    session_ = std::make_unique<scenarios::Session>(*scenario_, options);
  }

  [[nodiscard]] double now() const { return session_->now().seconds(); }

  void run_until(double seconds) {
    const engine::Time t = engine::Time::from_seconds_f(seconds);
    py::gil_scoped_release release;
    session_->run_until(t);
  }

  py::dict call(const std::string& endpoint, const std::string& body) {
    models::api::Response r;
    {
      py::gil_scoped_release release;
      r = session_->call(endpoint, body);
    }
    py::dict out;
    out["status"] = r.status;
    out["body"] = r.body;
    return out;
  }

  py::dict result(bool with_status) const {
    scenarios::RunResult r;
    std::string summary;
    {
      py::gil_scoped_release release;
      r = session_->result(with_status ? scenarios::StatusFormat::Json : scenarios::StatusFormat::None);
      summary = scenarios::summary_json(r);
    }
    py::dict out;
    out["summary"] = std::move(summary);
    out["trace_hash"] = engine::hash_hex(r.trace_hash);
    out["seed"] = r.seed;
    out["status"] = r.status;
    out["events"] = collect_ ? py::object(trace_columns(sink_.records())) : py::object(py::none());
    return out;
  }

 private:
  std::shared_ptr<const Scenario> scenario_;
  engine::MemorySink sink_;
  bool collect_;
  std::unique_ptr<scenarios::Session> session_;
};

const char* profile_name(models::Profile p) {
  switch (p) {
    case models::Profile::Platform: return "platform";
    case models::Profile::Kubernetes: return "kubernetes";
  }
  return "unknown";
}

}  // namespace

void bind_scenarios(py::module_& m) {
  py::register_exception<scenarios::ScenarioError>(m, "ScenarioError", PyExc_ValueError);

  py::class_<ScenarioHandle>(m, "Scenario",
                             "A loaded scenario: immutable, shared by every run and thread that uses "
                             "it. Create one with wlsim.load().")
      .def_property_readonly(
          "name", [](const ScenarioHandle& h) { return h.scenario->name; }, "The scenario's name.")
      .def_property_readonly(
          "seed", [](const ScenarioHandle& h) { return h.scenario->seed; },
          "The scenario's own seed, used by runs that do not pass one.")
      .def_property_readonly(
          "duration_seconds", [](const ScenarioHandle& h) { return h.scenario->duration.seconds(); },
          "Simulated time a run covers, in seconds.")
      .def_property_readonly(
          "profile", [](const ScenarioHandle& h) { return std::string(profile_name(h.scenario->profile)); },
          "'platform' or 'kubernetes': whose defaults the scenario uses.")
      .def_property_readonly(
          "workload_ids",
          [](const ScenarioHandle& h) {
            py::list ids;
            for (const auto& w : h.scenario->platform.workloads) ids.append(w.id);
            return py::tuple(ids);
          },
          "The workloads' ids, in scenario order.")
      .def("__repr__", [](const ScenarioHandle& h) {
        return "<wlsim.Scenario name=" + std::string(py::repr(py::str(h.scenario->name))) +
               " seed=" + std::to_string(h.scenario->seed) +
               " duration=" + engine::format_duration(h.scenario->duration) + ">";
      });

  m.def("load_file", &load_file, py::arg("path"),
        "Loads a scenario file (YAML or JSON). Raises ScenarioError naming the field path.");
  m.def("load_text", &load_text, py::arg("text"), py::arg("origin") = "<scenario>",
        "Loads scenario text (YAML or JSON); origin names it in error messages. Raises ScenarioError.");
  m.def("run", &run, py::arg("scenario"), py::arg("seed") = py::none(),
        py::arg("collect_events") = true,
        "Runs a scenario to its duration with the GIL released. seed None uses the scenario's own. "
        "Returns a dict: summary (the CLI's JSON text), trace_hash (16 hex digits), seed, and events "
        "(trace records as columns, or None when collect_events is false).");
  py::class_<SessionHandle>(m, "_Session")
      .def(py::init<const ScenarioHandle&, std::optional<std::uint64_t>, bool>(), py::arg("scenario"),
           py::arg("seed") = py::none(), py::arg("collect_events") = true)
      .def_property_readonly("now", &SessionHandle::now, "Current simulated time, seconds.")
      .def("run_until", &SessionHandle::run_until, py::arg("seconds"),
           "Runs every event up to and including this time (GIL released).")
      .def("call", &SessionHandle::call, py::arg("endpoint"), py::arg("body") = "",
           "A Workload API call now; returns {status, body (JSON text)}. Raises ScenarioError if malformed.")
      .def("result", &SessionHandle::result, py::arg("with_status") = false,
           "The results so far: {summary (JSON text), trace_hash, seed, status (JSON text or ''), events}.");
  m.def("status", &status, py::arg("scenario"), py::arg("at_seconds"), py::arg("seed") = py::none(),
        "Runs a scenario up to at_seconds with the GIL released and returns the status-details "
        "snapshot as JSON text (the same as `wlsim status FILE --at T --format json`).");
}

}  // namespace wlsim::bindings

#pragma once
// Declarations shared by the bind_*.cpp files; module.cpp assembles them into wlsim._core.

#include <pybind11/pybind11.h>

#include <vector>

#include "wlsim/engine/trace.hpp"

namespace wlsim::bindings {

namespace py = pybind11;

/// Engine helpers: durations, hash formatting.
void bind_engine(py::module_& m);
/// Scenario loading and running; registers ScenarioError.
void bind_scenarios(py::module_& m);

/// Trace records as columns, one list per field ("time" in seconds as floats, the rest str), keyed
/// time, object, kind, from, to, reason, message: the shape pandas.DataFrame builds from cheaply.
/// Needs the GIL.
[[nodiscard]] py::dict trace_columns(const std::vector<engine::TraceRecord>& records);

}  // namespace wlsim::bindings

#pragma once
// Declarations shared by the bind_*.cpp files; module.cpp assembles them into wlsim._core.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::bindings {

namespace py = pybind11;

/// What Python holds as a Scenario: a loaded scenario, immutable and shared by every run and thread
/// that uses it, with what it was loaded from (its source and overrides) for Scenario.to_dict,
/// with_overrides, pickling and sweeps.
struct ScenarioHandle {
  std::shared_ptr<const scenarios::Scenario> scenario;
  std::shared_ptr<const scenarios::Source> source;
  std::vector<scenarios::Override> overrides;
};

/// A run's event budget from Python's max_events (None: the default); below 1 is a ValueError.
[[nodiscard]] scenarios::RunLimits run_limits(std::optional<std::uint64_t> max_events);

/// Engine helpers: durations, hash formatting.
void bind_engine(py::module_& m);
/// Scenario loading and running; registers ScenarioError.
void bind_scenarios(py::module_& m);
/// Studies: run rows, sweeps and the result store; registers StoreError.
void bind_study(py::module_& m);

/// Trace records as columns keyed time, object, kind, from, to, reason, message: "time" a numpy
/// float64 array of seconds, each text column dictionary-encoded as a tuple (codes, texts): a numpy
/// array of unsigned codes (the narrowest that fits) and the list of distinct str in order of first
/// appearance, so that texts[codes] is the column. Needs the GIL (released while encoding).
[[nodiscard]] py::dict trace_columns(const std::vector<engine::TraceRecord>& records);

}  // namespace wlsim::bindings

#pragma once
// Reading a scenario's `expect` block (expectations.hpp) with the loader's field paths. Private to
// scenarios/: the loader calls it once the rest of the scenario is read, so that it can check the
// workload ids, times and states the block names.

#include "wlsim/scenarios/expectations.hpp"
#include "wlsim/scenarios/scenario.hpp"
#include "yaml_reader.hpp"

namespace wlsim::scenarios::detail {

/// The block at `v` (the field `expect`) of `scenario`, whose workloads, actions and duration are
/// already read. Throws FieldError naming the field path.
[[nodiscard]] Expectations read_expectations(const Value& v, const Scenario& scenario);

}  // namespace wlsim::scenarios::detail

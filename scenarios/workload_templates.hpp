#pragma once
// Templates in a scenario's lists (docs/scenario-format.md): a `workloads` item with `count: N`
// stands for N workloads, its index i (0 … N-1) written into every string value that has `{i}` (or
// `{i:0W}`, zero-padded to W digits), such as its id `wl-{i:03}`; an `actions` item with `count`
// stands for N calls, the i-th at `at + i × stagger`. The loader reads the expanded items like
// written ones, each under its template's field path; the document itself keeps the template, so
// overrides and `Scenario.to_dict()` see the file as written.

#include <string>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "yaml_reader.hpp"

namespace wlsim::scenarios {

/// `text` with each `{i}` and `{i:0W}` replaced by `i`; other text, `{id}` included, as is. Throws
/// std::invalid_argument for a `{i:...}` of another form.
[[nodiscard]] std::string fill_index(const std::string& text, std::int64_t i);

/// The `workloads` list with every template expanded, in order. Throws FieldError: a count out of
/// bounds, a count whose id has no `{i}`, an `{i}` in an id without count, more workloads in all
/// than one list may hold.
[[nodiscard]] std::vector<Value> expand_workloads(const Value& list);

/// An `actions` item as read: its value (without count and stagger) and its offset from `at`.
struct ActionItem {
  Value value;
  engine::Time offset;
  /// The field to blame when `at` plus the offset passes the scenario's duration.
  Value offset_field;
};
/// The `actions` list with every template expanded, in order. Throws FieldError as
/// expand_workloads does, and for a stagger without count.
[[nodiscard]] std::vector<ActionItem> expand_actions(const Value& list);

}  // namespace wlsim::scenarios

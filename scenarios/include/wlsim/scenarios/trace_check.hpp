#pragma once
// The trace validator: checks every state change a run recorded against the legal-transition graphs
// of models/transitions.hpp. Records whose kind is a status machine ("container", "phase",
// "replica", "proton", "workload", "replacement") are checked per (object, kind):
//   - the record's from-state is the previous record's to-state ("" for the object's first record);
//   - from → to is an edge of the machine's graph (so both are states of the machine);
//   - nothing follows a terminal state.
// Other records ("event", "pod" conditions, "ready", "role", "api", "fault", ...) are not checked.

#include <span>
#include <string>
#include <vector>

#include "wlsim/engine/trace.hpp"

namespace wlsim::scenarios {

/// One record that breaks the rules, and why.
struct TraceViolation {
  engine::TraceRecord record;
  /// One line naming the object, time and transition, e.g.
  /// "proton wl-1/p1 at 95s, errored -> launching: not a legal proton transition"
  /// ("(start)" stands for the empty from-state of an object's first record, "#N" for a state code
  /// N that the vocabulary does not name).
  /// Several problems with one record are joined by "; ".
  std::string problem;
};

/// Every violation in `records` (in trace order), empty for a legal trace. After a violation the
/// object is taken to be in the record's to-state, so one bad record is reported once.
[[nodiscard]] std::vector<TraceViolation> check_trace(std::span<const engine::TraceRecord> records);

}  // namespace wlsim::scenarios

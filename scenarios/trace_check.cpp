#include "wlsim/scenarios/trace_check.hpp"

#include <map>
#include <utility>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/trace_kinds.hpp"
#include "wlsim/models/transitions.hpp"

namespace wlsim::scenarios {

namespace {

/// A state as the problem text shows it: "(start)" for the start of the object's records, "#code"
/// for a code the vocabulary does not name.
std::string shown(models::TraceKind kind, models::TraceState s) {
  if (s.is_start()) return "(start)";
  const std::string_view name = models::state_name(kind, s);
  if (!name.empty()) return std::string(name);
  std::string code(1, '#');  // appended, not operator+: GCC 12 warns falsely (-Wrestrict) on that
  code += std::to_string(s.code());
  return code;
}

}  // namespace

std::vector<TraceViolation> check_trace(std::span<const engine::TraceRecord> records) {
  std::vector<TraceViolation> out;
  // (kind, object) → the state its last record left it in.
  std::map<std::pair<engine::TraceCode, std::string>, models::TraceState, std::less<>> current;
  for (const engine::TraceRecord& r : records) {
    const auto kind = static_cast<models::TraceKind>(r.kind);
    const std::optional<models::Machine> machine = models::machine_for_kind(kind);
    if (!machine) continue;
    const models::TransitionGraph& graph = models::transition_graph(*machine);
    const auto from = models::TraceState::from_code(r.from);
    const auto to = models::TraceState::from_code(r.to);

    auto [it, first] = current.try_emplace({r.kind, r.object}, models::TraceState{});
    const models::TraceState previous = it->second;
    it->second = to;

    // Named by the vocabulary, so that a code the machine does not have is named too.
    const auto name = [kind](models::TraceState s) { return shown(kind, s); };
    std::vector<std::string> problems;
    if (!first && graph.is_terminal(previous)) {
      problems.push_back("a record after the terminal state " + name(previous));
    } else {
      if (from != previous) {
        problems.push_back(
            first ? std::string("the first record of the object must start from (start)")
                  : "the previous state is " + name(previous));
      }
      const bool from_known = from.is_start() || graph.has_state(from);
      if (!from_known) problems.push_back(name(from) + " is not a " + graph.name() + " state");
      if (!graph.has_state(to)) {
        problems.push_back(name(to) + " is not a " + graph.name() + " state");
      } else if (from_known && !graph.allows(from, to)) {
        problems.push_back("not a legal " + graph.name() + " transition");
      }
    }
    if (problems.empty()) continue;

    std::string text = std::string(r.kind_name()) + " " + r.object + " at " +
                       engine::seconds_text(r.time) + "s, " + name(from) + " -> " + name(to) + ": ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (i > 0) text += "; ";
      text += problems[i];
    }
    out.push_back({r, std::move(text)});
  }
  return out;
}

}  // namespace wlsim::scenarios

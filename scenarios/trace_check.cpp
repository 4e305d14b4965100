#include "wlsim/scenarios/trace_check.hpp"

#include <map>
#include <utility>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/transitions.hpp"

namespace wlsim::scenarios {

namespace {

/// A state as the problem text shows it: "" is the start of the object's records.
std::string shown(const std::string& s) { return s.empty() ? "(start)" : s; }

}  // namespace

std::vector<TraceViolation> check_trace(std::span<const engine::TraceRecord> records) {
  std::vector<TraceViolation> out;
  // (kind, object) → the state its last record left it in.
  std::map<std::pair<std::string, std::string>, std::string, std::less<>> current;
  for (const engine::TraceRecord& r : records) {
    const std::optional<models::Machine> machine = models::machine_for_kind(r.kind);
    if (!machine) continue;
    const models::TransitionGraph& graph = models::transition_graph(*machine);

    auto [it, first] = current.try_emplace({r.kind, r.object}, std::string{});
    const std::string previous = it->second;
    it->second = r.to;

    std::vector<std::string> problems;
    if (!first && graph.is_terminal(previous)) {
      problems.push_back("a record after the terminal state " + previous);
    } else {
      if (r.from != previous) {
        problems.push_back(first ? std::string("the first record of the object must start from (start)")
                                 : "the previous state is " + shown(previous));
      }
      const bool from_known = r.from.empty() || graph.has_state(r.from);
      if (!from_known) problems.push_back(r.from + " is not a " + graph.name() + " state");
      if (!graph.has_state(r.to)) {
        problems.push_back(shown(r.to) + " is not a " + graph.name() + " state");
      } else if (from_known && !graph.allows(r.from, r.to)) {
        problems.push_back("not a legal " + graph.name() + " transition");
      }
    }
    if (problems.empty()) continue;

    std::string text = r.kind + " " + r.object + " at " + engine::seconds_text(r.time) + "s, " +
                       shown(r.from) + " -> " + shown(r.to) + ": ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (i > 0) text += "; ";
      text += problems[i];
    }
    out.push_back({r, std::move(text)});
  }
  return out;
}

}  // namespace wlsim::scenarios

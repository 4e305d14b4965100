#include "wlsim/scenarios/summary.hpp"

#include <algorithm>
#include <sstream>

#include "wlsim/engine/json_text.hpp"

namespace wlsim::scenarios {

using engine::json_number;
using engine::json_quote;

std::string summary_json(const RunResult& r) {
  std::ostringstream o;
  o << "{\"scenario\":" << json_quote(r.scenario) << ",\"seed\":" << r.seed
    << ",\"simulatedSeconds\":" << json_number(r.simulated.seconds()) << ",\"events\":" << r.events
    << ",\"traceRecords\":" << r.trace_records << ",\"traceHash\":" << json_quote(engine::hash_hex(r.trace_hash))
    << ",\"workloads\":{";
  bool first = true;
  for (const WorkloadResult& w : r.workloads) {
    o << (first ? "" : ",") << json_quote(w.id) << ":{\"status\":" << json_quote(w.status)
      << ",\"timeToRunning\":" << (w.time_to_running_s ? json_number(*w.time_to_running_s) : "null")
      << ",\"timeToRunningBreakdown\":";
    if (w.breakdown) {
      o << "{\"pending\":" << json_number(w.breakdown->pending_s)
        << ",\"provisioning\":" << json_number(w.breakdown->provisioning_s)
        << ",\"pulling\":" << json_number(w.breakdown->pulling_s)
        << ",\"starting\":" << json_number(w.breakdown->starting_s)
        << ",\"probing\":" << json_number(w.breakdown->probing_s) << "}";
    } else {
      o << "null";
    }
    o << ",\"pendingTime\":" << json_number(w.pending_s) << ",\"erroredDwell\":" << json_number(w.errored_dwell_s)
      << ",\"erroredRecovered\":" << (w.errored_recovered ? "true" : "false") << ",\"restarts\":" << w.restarts
      << ",\"oomKills\":" << w.oom_kills << ",\"replicas\":" << w.replicas
      << ",\"replicasRunning\":" << w.replicas_running << "}";
    first = false;
  }
  o << "}}";
  return o.str();
}

namespace {
std::string seconds_cell(double s) { return json_number(s) + "s"; }
std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); }
}  // namespace

std::string summary_table(const RunResult& r) {
  std::ostringstream o;
  o << "scenario " << r.scenario << "  seed " << r.seed << "  simulated " << seconds_cell(r.simulated.seconds())
    << "  events " << r.events << "  trace " << engine::hash_hex(r.trace_hash) << "\n\n";
  std::size_t idw = 8;
  for (const auto& w : r.workloads) idw = std::max(idw, w.id.size() + 2);
  o << pad("workload", idw) << pad("status", 11) << pad("timeToRunning", 15) << pad("pendingTime", 13)
    << pad("erroredDwell", 14) << pad("restarts", 10) << pad("oomKills", 10) << "running\n";
  for (const auto& w : r.workloads) {
    o << pad(w.id, idw) << pad(w.status, 11)
      << pad(w.time_to_running_s ? seconds_cell(*w.time_to_running_s) : "-", 15)
      << pad(seconds_cell(w.pending_s), 13) << pad(seconds_cell(w.errored_dwell_s), 14)
      << pad(std::to_string(w.restarts), 10) << pad(std::to_string(w.oom_kills), 10) << w.replicas_running << "/"
      << w.replicas << "\n";
  }
  return o.str();
}

}  // namespace wlsim::scenarios

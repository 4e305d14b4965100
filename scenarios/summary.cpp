#include "wlsim/scenarios/summary.hpp"

#include <algorithm>
#include <sstream>

#include "wlsim/engine/json_text.hpp"

namespace wlsim::scenarios {

using engine::json_number;
using engine::json_quote;

namespace {
std::string optional_number(const std::optional<double>& v) { return v ? json_number(*v) : "null"; }

std::string amounts_json(const ResourceAmounts& a) {
  return "{\"cpu\":" + json_number(a.cpu) + ",\"memory\":" + json_number(a.memory_bytes) + ",\"gpu\":" + json_number(a.gpu) + "}";
}

std::string replacement_json(const ReplacementResult& r) {
  return "{\"id\":" + json_quote(r.id) + ",\"artifactId\":" + json_quote(r.artifact_id) + ",\"status\":" +
         json_quote(r.status) + ",\"outcome\":" + (r.outcome.empty() ? "null" : json_quote(r.outcome)) +
         ",\"message\":" + json_quote(r.message) + ",\"runtimeOnly\":" + (r.runtime_only ? "true" : "false") +
         ",\"postedAt\":" + json_number(r.posted_at_s) + ",\"replacementDuration\":" +
         optional_number(r.replacement_duration_s) + ",\"timeToSwitch\":" + optional_number(r.time_to_switch_s) +
         ",\"candidateTimeToRunning\":" + optional_number(r.candidate_time_to_running_s) +
         ",\"candidateErroredDwell\":" + json_number(r.candidate_errored_dwell_s) +
         ",\"peakSurge\":" + amounts_json(r.peak_surge) + "}";
}

std::string proton_json(const ProtonResult& p) {
  return "{\"id\":" + json_quote(p.id) + ",\"artifactId\":" + json_quote(p.artifact_id) + ",\"role\":" +
         json_quote(p.role) + ",\"status\":" + json_quote(p.status) + ",\"timeToRunning\":" +
         optional_number(p.time_to_running_s) + ",\"erroredDwell\":" + json_number(p.errored_dwell_s) + "}";
}
}  // namespace

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
      << ",\"replicasRunning\":" << w.replicas_running << ",\"peakHeld\":" << amounts_json(w.peak_held)
      << ",\"replicaSeconds\":" << json_number(w.replica_seconds)
      << ",\"resourceSeconds\":" << amounts_json(w.resource_seconds) << ",\"protons\":[";
    for (std::size_t i = 0; i < w.protons.size(); ++i) o << (i ? "," : "") << proton_json(w.protons[i]);
    o << "],\"replacements\":[";
    for (std::size_t i = 0; i < w.replacements.size(); ++i) o << (i ? "," : "") << replacement_json(w.replacements[i]);
    o << "]}";
    first = false;
  }
  o << "},\"actions\":[";
  for (std::size_t i = 0; i < r.calls.size(); ++i) {
    const CallResult& c = r.calls[i];
    o << (i ? "," : "") << "{\"at\":" << json_number(c.at_s) << ",\"request\":" << json_quote(c.endpoint)
      << ",\"status\":" << c.status << ",\"body\":" << c.body << "}";
  }
  o << "]}";
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
  bool any = false;
  for (const auto& w : r.workloads) any = any || !w.replacements.empty();
  if (any) {
    o << "\n" << pad("replacement", idw + 6) << pad("artifact", 14) << pad("outcome", 11) << pad("duration", 10)
      << pad("toSwitch", 10) << pad("candidateRunning", 18) << "peakSurge cpu/memory\n";
    for (const auto& w : r.workloads) {
      for (const auto& rep : w.replacements) {
        const auto cell = [](const std::optional<double>& v) { return v ? seconds_cell(*v) : std::string("-"); };
        o << pad(w.id + "/" + rep.id, idw + 6) << pad(rep.artifact_id, 14)
          << pad(rep.outcome.empty() ? rep.status : rep.outcome, 11) << pad(cell(rep.replacement_duration_s), 10)
          << pad(cell(rep.time_to_switch_s), 10) << pad(cell(rep.candidate_time_to_running_s), 18)
          << json_number(rep.peak_surge.cpu) << " / " << json_number(rep.peak_surge.memory_bytes / 1e9) << "GB\n";
      }
    }
  }
  if (!r.calls.empty()) {
    o << "\naction calls\n";
    for (const auto& c : r.calls) o << "  " << pad(seconds_cell(c.at_s), 9) << pad(c.endpoint, 44) << c.status << "\n";
  }
  return o.str();
}

}  // namespace wlsim::scenarios

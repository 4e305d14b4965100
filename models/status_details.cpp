#include "wlsim/models/status_details.hpp"

#include <sstream>

#include "wlsim/engine/json_text.hpp"

namespace wlsim::models {

using engine::json_quote;
using engine::seconds_text;

namespace {

// Pod conditions as the kubelet reports them, derived from the replica's state.
}  // namespace

std::vector<PodCondition> pod_conditions(const Replica& r) {

  std::vector<PodCondition> out;
  out.push_back(r.node() != nullptr ? PodCondition{"PodScheduled", true, "", ""}
                                    : PodCondition{"PodScheduled", false, r.unschedulable_message().empty() ? "" : "Unschedulable",
                                                r.unschedulable_message()});
  out.push_back({"Initialized", !r.set_up_at().is_never(), "", ""});
  std::string unready;
  for (const Container& c : r.containers()) {
    if (!c.ready()) unready += (unready.empty() ? "" : " ") + c.spec().name;
  }
  const bool ready = unready.empty() && !r.containers().empty() && !r.set_up_at().is_never();
  const std::string why = ready ? "" : "ContainersNotReady";
  const std::string msg = ready ? "" : "containers with unready status: [" + unready + "]";
  out.push_back({"ContainersReady", ready, why, msg});
  out.push_back({"Ready", ready, ready ? "" : "ContainersNotReady", msg});
  return out;
}

namespace {

std::string last_segment(const std::string& path) { return path.substr(path.rfind('/') + 1); }

void container_json(std::ostringstream& o, const Container& c) {
  o << "{\"name\":" << json_quote(c.spec().name) << ",\"primary\":" << (c.spec().primary ? "true" : "false")
    << ",\"image\":" << json_quote(c.spec().image_uri) << ",\"state\":" << json_quote(to_string(c.state()))
    << ",\"reason\":" << json_quote(c.reason()) << ",\"message\":" << json_quote(c.message())
    << ",\"ready\":" << (c.ready() ? "true" : "false") << ",\"restartCount\":" << c.restart_count()
    << ",\"lastState\":";
  if (c.last_exit_code()) {
    o << "{\"terminated\":{\"reason\":" << json_quote(c.last_termination_reason())
      << ",\"exitCode\":" << *c.last_exit_code() << "}}";
  } else {
    o << "null";
  }
  o << "}";
}

void replica_json(std::ostringstream& o, const Replica& r) {
  o << "{\"name\":" << json_quote(last_segment(r.path())) << ",\"status\":" << json_quote(to_string(r.status()))
    << ",\"phase\":" << json_quote(to_string(r.phase()))
    << ",\"node\":" << (r.node() != nullptr ? json_quote(r.node()->name()) : "null") << ",\"conditions\":[";
  bool first = true;
  for (const PodCondition& c : pod_conditions(r)) {
    o << (first ? "" : ",") << "{\"type\":" << json_quote(c.type) << ",\"status\":" << json_quote(c.status ? "True" : "False")
      << ",\"reason\":" << json_quote(c.reason) << ",\"message\":" << json_quote(c.message) << "}";
    first = false;
  }
  o << "],\"containers\":[";
  first = true;
  for (const Container& c : r.containers()) {
    o << (first ? "" : ",");
    container_json(o, c);
    first = false;
  }
  o << "],\"messages\":[";
  first = true;
  r.recent_events().for_each([&o, &first](const engine::TraceRecord& e) {
    o << (first ? "" : ",") << "{\"time\":" << seconds_text(e.time) << ",\"type\":" << json_quote(e.to_name())
      << ",\"reason\":" << json_quote(e.reason_name()) << ",\"object\":" << json_quote(e.object)
      << ",\"message\":" << json_quote(e.message) << "}";
    first = false;
  });
  o << "]}";
}

}  // namespace

std::string status_details_json(const Proton& p) {
  std::ostringstream o;
  o << "{\"id\":" << json_quote(p.id()) << ",\"role\":" << json_quote(to_string(p.role()))
    << ",\"status\":" << json_quote(to_string(p.status())) << ",\"artifactId\":" << json_quote(p.artifact().id)
    << ",\"replicas\":[";
  bool first = true;
  for (const Replica& r : p.replicas()) {
    o << (first ? "" : ",");
    replica_json(o, r);
    first = false;
  }
  o << "]}";
  return o.str();
}

}  // namespace wlsim::models

#include "wlsim/scenarios/status_report.hpp"

#include <sstream>
#include <vector>

#include "wlsim/engine/json_text.hpp"

namespace wlsim::scenarios {

using engine::json_quote;
using engine::seconds_text;

void RecentEvents::write(const engine::TraceRecord& r) {
  if (r.kind != "event") return;
  // Pod paths are workload/proton/replica; a container's event belongs to its pod.
  std::size_t slashes = 0;
  std::size_t end = r.object.size();
  for (std::size_t i = 0; i < r.object.size(); ++i) {
    if (r.object[i] == '/' && ++slashes == 3) {
      end = i;
      break;
    }
  }
  if (slashes < 2) return;
  auto& q = by_pod_[r.object.substr(0, end)];
  q.push_back(r);
  if (q.size() > kKeep) q.pop_front();
}

const std::deque<engine::TraceRecord>* RecentEvents::of(const std::string& pod) const {
  const auto it = by_pod_.find(pod);
  return it == by_pod_.end() ? nullptr : &it->second;
}

namespace {

struct Condition {
  std::string type;
  bool status;
  std::string reason;
  std::string message;
};

// Pod conditions as the kubelet reports them, derived from the replica's state.
std::vector<Condition> conditions(const models::Replica& r) {
  std::vector<Condition> out;
  out.push_back(r.node() != nullptr ? Condition{"PodScheduled", true, "", ""}
                                    : Condition{"PodScheduled", false, r.unschedulable_message().empty() ? "" : "Unschedulable",
                                                r.unschedulable_message()});
  out.push_back({"Initialized", !r.set_up_at().is_never(), "", ""});
  std::string unready;
  for (const models::Container& c : r.containers()) {
    if (!c.ready()) unready += (unready.empty() ? "" : " ") + c.spec().name;
  }
  const bool ready = unready.empty() && !r.containers().empty() && !r.set_up_at().is_never();
  const std::string why = ready ? "" : "ContainersNotReady";
  const std::string msg = ready ? "" : "containers with unready status: [" + unready + "]";
  out.push_back({"ContainersReady", ready, why, msg});
  out.push_back({"Ready", ready, ready ? "" : "ContainersNotReady", msg});
  return out;
}

std::string last_segment(const std::string& path) { return path.substr(path.rfind('/') + 1); }

void container_json(std::ostringstream& o, const models::Container& c) {
  o << "{\"name\":" << json_quote(c.spec().name) << ",\"primary\":" << (c.spec().primary ? "true" : "false")
    << ",\"image\":" << json_quote(c.spec().image_uri) << ",\"state\":" << json_quote(models::to_string(c.state()))
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

void replica_json(std::ostringstream& o, const models::Replica& r, const RecentEvents& events) {
  o << "{\"name\":" << json_quote(last_segment(r.path())) << ",\"status\":" << json_quote(models::to_string(r.status()))
    << ",\"phase\":" << json_quote(models::to_string(r.phase()))
    << ",\"node\":" << (r.node() != nullptr ? json_quote(r.node()->name()) : "null") << ",\"conditions\":[";
  bool first = true;
  for (const Condition& c : conditions(r)) {
    o << (first ? "" : ",") << "{\"type\":" << json_quote(c.type) << ",\"status\":" << json_quote(c.status ? "True" : "False")
      << ",\"reason\":" << json_quote(c.reason) << ",\"message\":" << json_quote(c.message) << "}";
    first = false;
  }
  o << "],\"containers\":[";
  first = true;
  for (const models::Container& c : r.containers()) {
    o << (first ? "" : ",");
    container_json(o, c);
    first = false;
  }
  o << "],\"messages\":[";
  first = true;
  if (const auto* recent = events.of(r.path())) {
    for (const engine::TraceRecord& e : *recent) {
      o << (first ? "" : ",") << "{\"time\":" << seconds_text(e.time) << ",\"type\":" << json_quote(e.to)
        << ",\"reason\":" << json_quote(e.reason) << ",\"object\":" << json_quote(e.object)
        << ",\"message\":" << json_quote(e.message) << "}";
      first = false;
    }
  }
  o << "]}";
}

}  // namespace

std::string status_json(const models::Platform& platform, const RecentEvents& events, engine::Time at) {
  std::ostringstream o;
  o << "{\"at\":" << seconds_text(at) << ",\"workloads\":[";
  bool first_w = true;
  for (const models::Workload& w : platform.workloads()) {
    o << (first_w ? "" : ",") << "{\"id\":" << json_quote(w.id()) << ",\"status\":" << json_quote(models::to_string(w.status()))
      << ",\"artifactId\":" << json_quote(w.spec().artifact_id)
      << ",\"importance\":" << json_quote(models::to_string(w.spec().importance)) << ",\"protons\":[";
    first_w = false;
    bool first_p = true;
    for (const models::Proton& p : w.protons()) {
      o << (first_p ? "" : ",") << "{\"id\":" << json_quote(last_segment(p.path()))
        << ",\"role\":" << json_quote(models::to_string(p.role())) << ",\"status\":" << json_quote(models::to_string(p.status()))
        << ",\"artifactId\":" << json_quote(p.artifact().id) << ",\"replicas\":[";
      first_p = false;
      bool first_r = true;
      for (const models::Replica& r : p.replicas()) {
        o << (first_r ? "" : ",");
        replica_json(o, r, events);
        first_r = false;
      }
      o << "]}";
    }
    o << "]}";
  }
  o << "]}";
  return o.str();
}

std::string status_table(const models::Platform& platform, const RecentEvents& events, engine::Time at) {
  std::ostringstream o;
  o << "status at " << seconds_text(at) << "s\n";
  for (const models::Workload& w : platform.workloads()) {
    o << "\nworkload " << w.id() << "  " << models::to_string(w.status()) << "  (artifact " << w.spec().artifact_id
      << ", importance " << models::to_string(w.spec().importance) << ")\n";
    for (const models::Proton& p : w.protons()) {
      o << "  proton " << last_segment(p.path()) << "  " << models::to_string(p.role()) << "  "
        << models::to_string(p.status()) << "\n";
      for (const models::Replica& r : p.replicas()) {
        o << "    replica " << last_segment(r.path()) << "  " << models::to_string(r.status()) << "  phase "
          << models::to_string(r.phase()) << "  node " << (r.node() != nullptr ? r.node()->name() : "-") << "\n";
        for (const Condition& c : conditions(r)) {
          o << "      " << c.type << "=" << (c.status ? "True" : "False")
            << (c.reason.empty() ? "" : "  " + c.reason) << (c.message.empty() ? "" : ": " + c.message) << "\n";
        }
        for (const models::Container& c : r.containers()) {
          o << "      container " << c.spec().name << "  " << c.state_text() << "  ready " << (c.ready() ? "true" : "false")
            << "  restarts " << c.restart_count();
          if (c.last_exit_code()) o << "  last exit " << *c.last_exit_code() << " (" << c.last_termination_reason() << ")";
          o << "\n";
        }
        if (const auto* recent = events.of(r.path())) {
          for (const engine::TraceRecord& e : *recent) {
            o << "      " << seconds_text(e.time) << "s  " << e.to << "  " << e.reason << "  " << e.message << "\n";
          }
        }
      }
    }
  }
  return o.str();
}

}  // namespace wlsim::scenarios

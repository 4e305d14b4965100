#include "wlsim/scenarios/status_report.hpp"

#include <sstream>

#include "wlsim/engine/json.hpp"
#include "wlsim/models/api_json.hpp"
#include "wlsim/models/status_details.hpp"

namespace wlsim::scenarios {

using engine::seconds_text;

namespace {
// What the autoscaler shows: the counts of the proton holding the traffic, the policy whose
// recommendation won, and whether the KPA is in panic.
engine::Json autoscaler_json(const models::Workload& w) {
  const models::ReplicaCounts& c = w.replica_timeline().back();
  engine::Json j = engine::Json::object();
  j["desired"] = c.desired;
  j["current"] = c.current;
  j["ready"] = c.ready;
  j["policy"] = w.autoscaler().policy().empty()
                    ? engine::Json(nullptr)
                    : engine::Json(std::string(w.autoscaler().policy()));
  j["mode"] = std::string(models::state_name(models::TraceKind::Replicas, c.mode));
  j["scaleEvents"] = w.autoscaler().scale_events();
  return j;
}
}  // namespace

std::string status_json(const models::Platform& platform, engine::Time at) {
  engine::Json workloads = engine::Json::array();
  for (const models::Workload& w : platform.workloads()) {
    engine::Json protons = engine::Json::array();
    for (const models::Proton& p : w.protons()) {
      protons.push_back(models::api::to_json(models::status_details(p)));
    }
    engine::Json wj = engine::Json::object();
    wj["id"] = w.id();
    wj["status"] = std::string(models::to_string(w.status()));
    wj["artifactId"] = w.artifact_id();
    wj["importance"] = models::to_string(w.spec().importance);
    wj["protons"] = std::move(protons);
    if (!w.replica_timeline().empty()) wj["autoscaler"] = autoscaler_json(w);
    workloads.push_back(std::move(wj));
  }
  engine::Json j = engine::Json::object();
  j["at"] = engine::json_seconds(at);
  j["workloads"] = std::move(workloads);
  return engine::to_text(j);
}

std::string status_table(const models::Platform& platform, engine::Time at) {
  std::ostringstream o;
  o << "status at " << seconds_text(at) << "s\n";
  for (const models::Workload& w : platform.workloads()) {
    o << "\nworkload " << w.id() << "  " << models::to_string(w.status()) << "  (artifact "
      << w.spec().artifact_id << ", importance " << models::to_string(w.spec().importance) << ")\n";
    if (!w.replica_timeline().empty()) {
      const models::ReplicaCounts& c = w.replica_timeline().back();
      o << "  replicas desired " << c.desired << ", current " << c.current << ", ready " << c.ready
        << "  (" << models::state_name(models::TraceKind::Replicas, c.mode);
      if (!w.autoscaler().policy().empty()) o << ", policy " << w.autoscaler().policy();
      o << ", " << w.autoscaler().scale_events() << " rescales)\n";
    }
    for (const models::Proton& p : w.protons()) {
      o << "  proton " << p.id() << "  " << models::to_string(p.role()) << "  "
        << models::to_string(p.status()) << "\n";
      p.for_each_replica([&](const models::Replica& r) {
        if (!models::shown_in_status(p, r)) return;
        o << "    replica " << r.path().substr(r.path().rfind('/') + 1) << "  "
          << models::to_string(r.status()) << "  phase " << models::to_string(r.phase())
          << "  node " << (r.node() != nullptr ? r.node()->name() : "-") << "\n";
        for (const models::PodCondition& c : models::pod_conditions(r)) {
          o << "      " << c.type << "=" << (c.status ? "True" : "False")
            << (c.reason.empty() ? "" : "  " + c.reason)
            << (c.message.empty() ? "" : ": " + c.message) << "\n";
        }
        for (const models::Container& c : r.containers()) {
          o << "      container " << c.spec().name << "  " << c.state_text() << "  ready "
            << (c.ready() ? "true" : "false") << "  restarts " << c.restart_count();
          if (c.last_exit_code())
            o << "  last exit " << *c.last_exit_code() << " (" << c.last_termination_reason()
              << ")";
          o << "\n";
        }
        r.recent_events().for_each([&o](const engine::KeptRecord& e) {
          o << "      " << seconds_text(e.time()) << "s  " << e.to_name() << "  " << e.reason_name()
            << "  " << e.message() << "\n";
        });
      });
    }
  }
  return o.str();
}

}  // namespace wlsim::scenarios

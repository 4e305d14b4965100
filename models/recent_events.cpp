#include "wlsim/models/recent_events.hpp"

namespace wlsim::models {

void RecentEvents::write(const engine::TraceRecord& r) {
  if (r.kind == "workload" || r.kind == "proton" || r.kind == "replacement" || r.kind == "role") {
    auto& q = by_workload_[r.object.substr(0, r.object.find('/'))];
    q.push_back(r);
    if (q.size() > kKeepPerWorkload) q.pop_front();
  }
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

const std::deque<engine::TraceRecord>* RecentEvents::of_workload(const std::string& workload) const {
  const auto it = by_workload_.find(workload);
  return it == by_workload_.end() ? nullptr : &it->second;
}

const std::deque<engine::TraceRecord>* RecentEvents::of(const std::string& pod) const {
  const auto it = by_pod_.find(pod);
  return it == by_pod_.end() ? nullptr : &it->second;
}

}  // namespace wlsim::models

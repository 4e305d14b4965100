#include "wlsim/models/scheduler.hpp"

#include <algorithm>
#include <map>

namespace wlsim::models {

Scheduler::Scheduler(const Context& ctx, Cluster& cluster) : ctx_(ctx), cluster_(cluster) {}

Scheduler::~Scheduler() { ctx_.sim.cancel(pass_); }

void Scheduler::submit(Schedulable& pod) {
  pending_.push_back({pod.priority(), next_seq_++, &pod});
  request_pass();
}

void Scheduler::withdraw(Schedulable& pod) {
  std::erase_if(pending_, [&](const Pending& p) { return p.pod == &pod; });
  if (in_pass_) withdrawn_in_pass_.push_back(&pod);
}

void Scheduler::capacity_changed() {
  if (!pending_.empty()) request_pass();
}

void Scheduler::request_pass() {
  if (!ctx_.sim.is_pending(pass_)) pass_ = ctx_.sim.schedule_in(engine::Time::zero(), *this, 0);
}

Node* Scheduler::best_node(const Resources& request) {
  Node* best = nullptr;
  double best_score = -1.0;
  for (Node& n : cluster_.nodes()) {
    if (!request.fits_in(n.free())) continue;
    // LeastAllocated: the mean free fraction of cpu and memory after placing the pod.
    const Resources after = n.free() - request;
    const auto frac = [](std::int64_t free, std::int64_t total) {
      return total > 0 ? static_cast<double>(free) / static_cast<double>(total) : 0.0;
    };
    const double score = (frac(after.cpu_milli, n.allocatable().cpu_milli) +
                          frac(after.memory_bytes, n.allocatable().memory_bytes)) / 2.0;
    if (score > best_score) {
      best = &n;
      best_score = score;
    }
  }
  return best;
}

std::string Scheduler::unschedulable_message(const std::deque<Node>& nodes, const Resources& request) {
  if (nodes.empty()) return "no nodes available to schedule pods";
  std::map<std::string, int> reasons;  // sorted, as Kubernetes prints them
  for (const Node& n : nodes) {
    const Resources free = n.free();
    if (request.cpu_milli > free.cpu_milli) ++reasons["Insufficient cpu"];
    if (request.memory_bytes > free.memory_bytes) ++reasons["Insufficient memory"];
    if (request.gpu > free.gpu) ++reasons["Insufficient nvidia.com/gpu"];
  }
  std::string msg = "0/" + std::to_string(nodes.size()) + " nodes are available: ";
  bool first = true;
  for (const auto& [reason, count] : reasons) {
    if (!first) msg += ", ";
    msg += std::to_string(count) + " " + reason;
    first = false;
  }
  return msg + ".";
}

void Scheduler::on_event(std::uint64_t) {
  pass_ = {};
  std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
    return a.priority != b.priority ? a.priority > b.priority : a.seq < b.seq;
  });
  std::vector<Pending> still;
  std::vector<Pending> tried = std::move(pending_);
  pending_.clear();
  in_pass_ = true;
  for (const Pending& p : tried) {
    if (std::find(withdrawn_in_pass_.begin(), withdrawn_in_pass_.end(), p.pod) != withdrawn_in_pass_.end()) continue;
    const Resources req = p.pod->request();
    if (Node* n = best_node(req)) {
      n->reserve(req);
      p.pod->on_bound(*n);
    } else {
      still.push_back(p);
      p.pod->on_unschedulable(unschedulable_message(cluster_.nodes(), req));
    }
  }
  in_pass_ = false;
  std::erase_if(still, [&](const Pending& p) {
    return std::find(withdrawn_in_pass_.begin(), withdrawn_in_pass_.end(), p.pod) != withdrawn_in_pass_.end();
  });
  withdrawn_in_pass_.clear();
  // Pods submitted by the callbacks above joined pending_ meanwhile; keep arrival order.
  still.insert(still.end(), pending_.begin(), pending_.end());
  pending_ = std::move(still);
}

}  // namespace wlsim::models

#include "wlsim/models/preemption.hpp"

#include <algorithm>

namespace wlsim::models {

namespace {

struct Candidate {
  Schedulable* pod;
  int priority;
  engine::Time start;
  std::uint64_t ticket;  // bind order on the node: the tie-break between equal start times
  Resources request;
};

}  // namespace

std::optional<Victims> select_victims(const Node& node, std::size_t node_index,
                                      const Resources& request, int priority) {
  if (!node.schedulable() || !request.fits_in(node.allocatable())) return std::nullopt;
  std::vector<Candidate> lower;
  Resources room = node.schedulable_free();
  Resources could_free;
  for (const auto& [ticket, pod] : node.pods()) {
    const int p = pod->priority();
    if (p >= priority || p >= kCriticalPriority || pod->deleting()) continue;
    lower.push_back({pod, p, pod->start_time(), ticket, pod->request()});
    could_free += pod->request();
  }
  if (lower.empty() || !request.fits_in(room + could_free)) return std::nullopt;
  // Removal order: lowest priority first, then the most recently started.
  std::sort(lower.begin(), lower.end(), [](const Candidate& a, const Candidate& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.start != b.start) return a.start > b.start;
    return a.ticket > b.ticket;
  });
  std::vector<Candidate> taken;
  for (const Candidate& c : lower) {
    if (request.fits_in(room)) break;
    room += c.request;
    taken.push_back(c);
  }
  // Reprieve: the most important victims first (highest priority, then the earliest started).
  std::sort(taken.begin(), taken.end(), [](const Candidate& a, const Candidate& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.start != b.start) return a.start < b.start;
    return a.ticket < b.ticket;
  });
  Victims v;
  v.node = node_index;
  for (const Candidate& c : taken) {
    if (request.fits_in(room - c.request)) {
      room -= c.request;  // not needed: it stays
      continue;
    }
    v.pods.push_back(c.pod);
    v.priority_sum += c.priority + 1;
    if (v.pods.size() == 1 || c.priority > v.highest_priority) {
      v.highest_priority = c.priority;
      v.earliest_top_start = c.start;
    } else if (c.priority == v.highest_priority) {
      v.earliest_top_start = std::min(v.earliest_top_start, c.start);
    }
  }
  return v;
}

bool less_harm(const Victims& a, const Victims& b) noexcept {
  if (a.highest_priority != b.highest_priority) return a.highest_priority < b.highest_priority;
  if (a.priority_sum != b.priority_sum) return a.priority_sum < b.priority_sum;
  if (a.pods.size() != b.pods.size()) return a.pods.size() < b.pods.size();
  if (a.earliest_top_start != b.earliest_top_start)
    return a.earliest_top_start > b.earliest_top_start;
  return a.node < b.node;
}

}  // namespace wlsim::models

#pragma once
// The status-details snapshot of every workload at one simulated time, shaped like the platform's
// GET /workloads/{id}/protons/{proton_id}/statusDetails: protons → replicas (pod phase, conditions,
// node, last messages) → containers (state, reason, message, ready, restartCount, last exit).

#include <deque>
#include <map>
#include <string>

#include "wlsim/engine/trace.hpp"
#include "wlsim/models/platform.hpp"

namespace wlsim::scenarios {

/// A trace sink that keeps the last few events of each pod, for the snapshot's "messages".
class RecentEvents final : public engine::TraceSink {
 public:
  static constexpr std::size_t kKeep = 5;
  void write(const engine::TraceRecord& r) override;
  /// The last events about `pod` or its containers, oldest first.
  [[nodiscard]] const std::deque<engine::TraceRecord>* of(const std::string& pod) const;

 private:
  std::map<std::string, std::deque<engine::TraceRecord>> by_pod_;
};

/// The snapshot as one JSON object: {"at": seconds, "workloads": [...]}.
[[nodiscard]] std::string status_json(const models::Platform& platform, const RecentEvents& events,
                                      engine::Time at);

/// The same snapshot as an indented, human-readable listing.
[[nodiscard]] std::string status_table(const models::Platform& platform, const RecentEvents& events,
                                       engine::Time at);

}  // namespace wlsim::scenarios

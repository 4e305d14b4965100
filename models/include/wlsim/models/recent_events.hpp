#pragma once
// A trace sink that keeps the last events of each pod (statusDetails "messages") and of each workload
// (GET /workloads/{id}/events: its lifecycle events, state changes of the workload, its protons and
// replacements included).

#include <deque>
#include <map>
#include <string>

#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

class RecentEvents final : public engine::TraceSink {
 public:
  static constexpr std::size_t kKeep = 5;
  static constexpr std::size_t kKeepPerWorkload = 100;
  void write(const engine::TraceRecord& r) override;
  /// The last events about `pod` or its containers, oldest first; null if none.
  [[nodiscard]] const std::deque<engine::TraceRecord>* of(const std::string& pod) const;
  /// The last lifecycle records of a workload, oldest first; null if none.
  [[nodiscard]] const std::deque<engine::TraceRecord>* of_workload(const std::string& workload) const;

 private:
  std::map<std::string, std::deque<engine::TraceRecord>> by_pod_;
  std::map<std::string, std::deque<engine::TraceRecord>> by_workload_;
};

}  // namespace wlsim::models

#pragma once
// A trace sink that keeps the last few events of each pod, for the statusDetails "messages".

#include <deque>
#include <map>
#include <string>

#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

class RecentEvents final : public engine::TraceSink {
 public:
  static constexpr std::size_t kKeep = 5;
  void write(const engine::TraceRecord& r) override;
  /// The last events about `pod` or its containers, oldest first; null if none.
  [[nodiscard]] const std::deque<engine::TraceRecord>* of(const std::string& pod) const;

 private:
  std::map<std::string, std::deque<engine::TraceRecord>> by_pod_;
};

}  // namespace wlsim::models

#pragma once
// The platform under simulation: the cluster, the scheduler and every workload of one run. It owns
// the run's mutable state; the PlatformSpec it reads is immutable and may be shared by many runs.

#include <deque>
#include <map>
#include <string>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/cluster.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/workload.hpp"

namespace wlsim::models {

class Platform final : public engine::EventHandler {
 public:
  /// `spec` must outlive the platform. Throws std::invalid_argument if a workload names an unknown
  /// artifact (the scenario loader checks this first, with the field path).
  Platform(const Context& ctx, const PlatformSpec& spec);
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;
  ~Platform();

  /// Schedules the creation of every workload at its `created_at`.
  void start();

  [[nodiscard]] const std::deque<Workload>& workloads() const noexcept { return workloads_; }
  [[nodiscard]] const Cluster& cluster() const noexcept { return cluster_; }
  [[nodiscard]] const Scheduler& scheduler() const noexcept { return scheduler_; }

 private:
  // Tokens: kCreate | workload index, kOutageBegin/kOutageEnd | fault index.
  static constexpr std::uint64_t kCreate = 0;
  static constexpr std::uint64_t kOutageBegin = 1ULL << 32;
  static constexpr std::uint64_t kOutageEnd = 2ULL << 32;
  void on_event(std::uint64_t token) override;

  const Context& ctx_;
  const PlatformSpec& spec_;
  Cluster cluster_;
  Scheduler scheduler_;
  std::deque<Workload> workloads_;
  std::vector<engine::TimerId> timers_;
};

}  // namespace wlsim::models

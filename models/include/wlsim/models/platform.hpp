#pragma once
// The platform under simulation: the cluster, the scheduler, the artifact store and every workload
// of one run, and the Workload API that changes them. It owns the run's mutable state; the
// PlatformSpec it starts from is immutable and may be shared by many runs.

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/api.hpp"
#include "wlsim/models/api_results.hpp"
#include "wlsim/models/artifact_store.hpp"
#include "wlsim/models/cluster.hpp"
#include "wlsim/models/cluster_autoscaler.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/workload.hpp"

namespace wlsim::models {

/// One API call as it happened: when, what, and the answer.
struct CallRecord {
  engine::Time at;
  std::string endpoint;
  api::Response response;
};

class Platform final : public engine::EventHandler {
 public:
  /// `spec` must outlive the platform.
  Platform(const Context& ctx, const PlatformSpec& spec);
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;
  ~Platform();

  /// Schedules the scenario's faults, initial workloads and actions.
  void start();
  /// Answers one API call now, as the platform would; recorded in the trace (kind "api").
  api::Response call(const api::Call& c);

  [[nodiscard]] const std::deque<Workload>& workloads() const noexcept { return workloads_; }
  [[nodiscard]] const Cluster& cluster() const noexcept { return cluster_; }
  [[nodiscard]] const Scheduler& scheduler() const noexcept { return scheduler_; }
  /// The cluster autoscaler, when some node pool may grow or shrink; else none.
  [[nodiscard]] const ClusterAutoscaler* cluster_autoscaler() const noexcept {
    return cluster_autoscaler_ ? &*cluster_autoscaler_ : nullptr;
  }
  [[nodiscard]] const std::vector<CallRecord>& calls() const noexcept { return calls_; }
  /// The calls so far, moved out: calls() is empty after.
  [[nodiscard]] std::vector<CallRecord> take_calls() noexcept { return std::exchange(calls_, {}); }
  /// Nodes that went NotReady by a node-failure fault so far.
  [[nodiscard]] int node_failures() const noexcept {
    return static_cast<int>(node_outages_.size());
  }
  [[nodiscard]] const ArtifactSpec* artifact(const std::string& id) const;

 private:
  // Tokens: the kind in the high 32 bits, an index in the low 32.
  static constexpr std::uint64_t kCreate = 0;
  static constexpr std::uint64_t kOutageBegin = 1ULL << 32;
  static constexpr std::uint64_t kOutageEnd = 2ULL << 32;
  static constexpr std::uint64_t kAction = 3ULL << 32;
  static constexpr std::uint64_t kNodeFailure = 4ULL << 32;
  static constexpr std::uint64_t kNodeRecovery = 5ULL << 32;
  static constexpr std::uint64_t kNodeEviction = 6ULL << 32;
  void on_event(std::uint64_t token) override;
  /// call() without the copy for the caller: the answer as recorded.
  const api::Response& answer(const api::Call& c);
  // Node failures (SEMANTICS.md §5, node_faults.cpp).
  void fail_nodes(std::size_t fault);
  void recover_nodes(std::size_t fault);
  void evict_lost_pods(std::size_t outage);

  /// One node down for one fault: its pods are evicted at the pod eviction timeout unless it came
  /// back first.
  struct NodeOutage {
    Node* node;
    std::size_t fault;
    bool over = false;
  };

  // The Workload API's handlers (workload_api.cpp).
  api::Answer handle(const api::Request& r);
  api::Answer handle(const api::CreateArtifact& r);
  api::Answer handle(const api::PatchArtifact& r);
  api::Answer handle(const api::CloneArtifact& r);
  api::Answer handle(const api::CreateWorkload& r);
  api::Answer handle(const api::PatchWorkload& r);
  api::Answer handle(const api::StartReplacement& r);
  api::Answer handle(const api::WorkloadCall& r);
  api::Answer handle(const api::StatusDetails& r);
  [[nodiscard]] Workload* find_workload(const std::string& id);
  Workload& add_workload(const WorkloadSpec& spec);

  const Context& ctx_;
  const PlatformSpec& spec_;
  Cluster cluster_;
  Scheduler scheduler_;
  std::optional<ClusterAutoscaler> cluster_autoscaler_;  // only when some pool is autoscaled
  ArtifactStore artifacts_;
  std::deque<Workload> workloads_;
  std::map<std::string, std::size_t> workload_index_;
  std::map<std::string, const TrafficSpec*> traffic_index_;
  std::vector<CallRecord> calls_;
  std::vector<engine::TimerId> timers_;
  std::vector<NodeOutage> node_outages_;
};

}  // namespace wlsim::models

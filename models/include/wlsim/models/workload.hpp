#pragma once
// A workload: a stable identity around its protons. It shows its active proton's status and records
// when it first ran.

#include <deque>
#include <string>

#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/proton.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

class Workload final : public ProtonOwner {
 public:
  Workload(const Context& ctx, const WorkloadSpec& spec, const ArtifactSpec& artifact, Scheduler& scheduler);
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  /// Creates the first proton (p1, active) and its replicas.
  void create();

  [[nodiscard]] const WorkloadSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::string& id() const noexcept { return spec_.id; }
  [[nodiscard]] Status status() const noexcept { return status_; }
  [[nodiscard]] const std::deque<Proton>& protons() const noexcept { return protons_; }
  [[nodiscard]] engine::Time created_at() const noexcept { return created_at_; }
  /// Created → first `running`; never if it has not run yet.
  [[nodiscard]] engine::Time time_to_running() const noexcept { return time_to_running_; }
  /// Total time spent `errored` up to `now`.
  [[nodiscard]] engine::Time errored_dwell(engine::Time now) const noexcept;
  /// Whether it was errored and later ran again.
  [[nodiscard]] bool errored_recovered() const noexcept { return errored_recovered_; }
  [[nodiscard]] bool ever_errored() const noexcept { return ever_errored_; }
  /// The replica whose readiness completed the workload's first `running` (none if not yet).
  [[nodiscard]] const Replica* first_running_replica() const noexcept { return first_running_replica_; }

  void on_proton_changed(Proton& p) override;

 private:
  const Context& ctx_;
  const WorkloadSpec& spec_;
  const ArtifactSpec& artifact_;
  Scheduler& scheduler_;
  std::deque<Proton> protons_;
  Proton* active_ = nullptr;
  Status status_ = Status::Unknown;
  engine::Time created_at_ = engine::Time::never();
  engine::Time time_to_running_ = engine::Time::never();
  engine::Time errored_since_ = engine::Time::never();
  engine::Time errored_total_;
  bool ever_errored_ = false;
  bool errored_recovered_ = false;
  const Replica* first_running_replica_ = nullptr;
};

}  // namespace wlsim::models

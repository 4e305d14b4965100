#pragma once
// A proton: one running instance of (artifact, runtime), with its replicas. Its status is the worst
// replica's, and errored is sticky (SEMANTICS.md §6, through status.hpp).

#include <deque>
#include <string>
#include <vector>

#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/replica.hpp"
#include "wlsim/models/scheduler.hpp"
#include "wlsim/models/status.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

class Proton;

/// The workload, told whenever a proton's status changes.
class ProtonOwner {
 public:
  virtual void on_proton_changed(Proton& p) = 0;

 protected:
  ~ProtonOwner() = default;
};

enum class ProtonRole { Active, Candidate };
[[nodiscard]] const char* to_string(ProtonRole r) noexcept;

class Proton final : public ReplicaOwner {
 public:
  Proton(const Context& ctx, std::string path, const ArtifactSpec& artifact, const RuntimeSpec& runtime,
         Importance importance, ProtonRole role, Scheduler& scheduler, ProtonOwner& owner);
  Proton(const Proton&) = delete;
  Proton& operator=(const Proton&) = delete;

  /// Creates the replicas and submits them to the scheduler.
  void start();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const ArtifactSpec& artifact() const noexcept { return artifact_; }
  [[nodiscard]] ProtonRole role() const noexcept { return role_; }
  [[nodiscard]] Status status() const noexcept { return status_; }
  [[nodiscard]] const std::deque<Replica>& replicas() const noexcept { return replicas_; }
  /// The resources one replica requests.
  [[nodiscard]] Resources replica_request() const noexcept;

  void on_replica_changed(Replica& r) override;

 private:
  void update();

  const Context& ctx_;
  std::string path_;
  const ArtifactSpec& artifact_;
  RuntimeSpec runtime_;
  Importance importance_;
  ProtonRole role_;
  Scheduler& scheduler_;
  ProtonOwner& owner_;
  std::vector<ContainerSpec> containers_;  // the artifact's, with the runtime's resource overrides
  std::deque<Replica> replicas_;
  Status status_ = Status::Unknown;
};

}  // namespace wlsim::models

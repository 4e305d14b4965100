#pragma once
// The artifacts of one run: those the scenario declares, and those the Workload API adds or clones.
// It holds the artifact rules: ids are unique, locking is one-way, only a locked artifact is
// cloned, and a draft backs at most one workload.

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/models/api.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/workload.hpp"

namespace wlsim::models {

class ArtifactStore {
 public:
  /// The scenario's artifacts, copied: the run changes them (locking) and adds to them.
  explicit ArtifactStore(const std::vector<ArtifactSpec>& initial);

  [[nodiscard]] const ArtifactSpec* find(const std::string& id) const;
  /// Adds `a`; 409 if its id is taken.
  [[nodiscard]] std::optional<api::Error> add(ArtifactSpec a);
  /// PATCH status: 404 if unknown, 422 to unlock (locking is one-way).
  [[nodiscard]] std::optional<api::Error> set_status(const std::string& id, ArtifactStatus status);
  /// A draft copy of locked artifact `id` as `new_id`: 404 if unknown, 422 for a draft, 409 if
  /// `new_id` is taken.
  [[nodiscard]] std::optional<api::Error> clone(const std::string& id, const std::string& new_id);

  /// A draft backs at most one workload: the workload other than `except` among `workloads` that
  /// draft `artifact_id` already backs (as its artifact or as the target of its replacement in
  /// progress); none if it backs none, or the artifact is locked (shared freely) or unknown.
  [[nodiscard]] const Workload* draft_user(const std::string& artifact_id,
                                           const std::deque<Workload>& workloads,
                                           const Workload* except) const;

 private:
  ArtifactSpec* find_mutable(const std::string& id);

  std::deque<ArtifactSpec> artifacts_;  // a deque: pointers handed out stay valid as it grows
  std::map<std::string, std::size_t> index_;
};

}  // namespace wlsim::models

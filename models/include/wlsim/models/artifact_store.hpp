#pragma once
// The artifacts of one run: those the scenario declares, and those the Workload API adds or clones.
// It holds the artifact rules: ids are unique, locking is one-way, only a locked artifact is
// cloned, and a draft backs at most one workload.
//
// A scenario's locked artifacts never change (locking is one-way, and only a draft's status
// moves), so the store reads them where the scenario holds them: a run copies only its drafts and
// what the API adds.

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/models/api.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/workload.hpp"

namespace wlsim::models {

class ArtifactStore {
 public:
  /// The scenario's artifacts; `initial` must outlive the store. Its drafts are copied (the run
  /// may lock them); its locked ones are read in place.
  explicit ArtifactStore(const std::vector<ArtifactSpec>& initial);
  explicit ArtifactStore(std::vector<ArtifactSpec>&& initial) = delete;  // would not outlive it

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

  /// Where an artifact is: in the scenario (locked, read only; `own` is null) or among the run's
  /// own (`own` is `spec`).
  struct Entry {
    const ArtifactSpec* spec;
    ArtifactSpec* own;
  };
  /// Stores `e` under its artifact's id, unless the id is taken.
  void index(Entry e);
  // Each on its own: pointers handed out stay valid as the store grows (and a run with no draft
  // and no API-made artifact allocates nothing here, as an empty deque would).
  std::vector<std::unique_ptr<ArtifactSpec>> own_;
  // Keyed by a view of the artifact's own id: both homes keep their artifacts in place, and an
  // artifact's id never changes once stored.
  std::map<std::string_view, Entry, std::less<>> index_;
};

}  // namespace wlsim::models

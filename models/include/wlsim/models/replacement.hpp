#pragma once
// A rolling replacement: the move of a workload to a new proton (SEMANTICS.md §7). The candidate
// comes up beside the active proton (both hold resources: 1× + surge); once every candidate replica
// is ready the warm-up (warmupDurationMinutes) runs; then traffic flips, the old proton drains for
// keepOldVersionMinutes and is torn down. Status: submitted → initializing → promoting → finalizing
// → completed; a failing candidate ends it `errored` (the workload stays on its old proton); DELETE
// cancels it: deleting → finalizing → completed, outcome `cancelled`.

#include <optional>
#include <string>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/api.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/proton.hpp"
#include "wlsim/models/replacement_spec.hpp"
#include "wlsim/models/resources.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

/// The replace rules (SEMANTICS.md §7), in the order the platform checks them, for a workload on an
/// artifact of status `current` asked to move to artifact `target_id` (`target`: its status, none
/// if it does not exist): a stopped workload (422), a replacement in progress (422), an unknown
/// artifact (404), then statuses must match (400): draft→draft and locked→locked are allowed, a
/// draft is promoted rather than replaced by a locked artifact, and a locked workload takes no
/// draft.
[[nodiscard]] std::optional<api::Error> replace_refusal(
    const std::string& workload_id, bool stopped, std::optional<ReplacementStatus> in_progress,
    ArtifactStatus current, const std::string& target_id, std::optional<ArtifactStatus> target);

class Replacement;

/// The workload, which moves traffic and learns when a replacement ends.
class ReplacementHost {
 public:
  /// Traffic flips to `candidate`: it becomes active, the old active proton retires (drains).
  virtual void switch_traffic(Proton& candidate) = 0;
  /// A rollback: traffic flips back to `kept`, the old proton still kept, which is active again.
  virtual void switch_back(Proton& kept) = 0;
  virtual void replacement_ended(Replacement& r) = 0;
  /// The workload's last lifecycle records, where a replacement keeps its status records.
  [[nodiscard]] virtual WorkloadRecords& lifecycle_records() = 0;

 protected:
  ~ReplacementHost() = default;
};

class Replacement final : public engine::EventHandler {
 public:
  /// `deadline`: the candidate must be running within it, or the replacement errors (never: no
  /// limit).
  Replacement(const Context& ctx, std::string path, ReplacementRequest request, Proton& old,
              Proton& candidate, engine::Time deadline, ReplacementHost& host);
  Replacement(const Replacement&) = delete;
  Replacement& operator=(const Replacement&) = delete;
  ~Replacement();

  /// Accepted: submitted, then initializing with the candidate started.
  void begin();
  /// The candidate proton's status changed.
  void on_candidate_changed();
  /// DELETE: cancels if the traffic has not flipped yet; false if it cannot be cancelled any more.
  bool cancel();
  /// DELETE in the keep-old window (finalizing, the old proton still kept): if every replica of the
  /// old proton is still ready, traffic flips back to it at once, the candidate is torn down and
  /// the replacement ends completed with outcome `rolledBack` (SEMANTICS.md §7). Returns why not
  /// when it cannot.
  [[nodiscard]] std::optional<std::string> roll_back();
  /// The workload is stopped or deleted under it: ends as cancelled, candidate torn down.
  void abandon();
  /// The resources the workload holds now, to track this replacement's peak surge.
  void observe_held(const Resources& held) noexcept;

  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  [[nodiscard]] const ReplacementRequest& request() const noexcept { return request_; }
  [[nodiscard]] ReplacementStatus status() const noexcept { return status_; }
  [[nodiscard]] bool active() const noexcept;
  /// "completed", "errored", "cancelled", or "" while active.
  [[nodiscard]] const std::string& outcome() const noexcept { return outcome_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const Proton& candidate() const noexcept { return candidate_; }
  [[nodiscard]] const Proton& old() const noexcept { return old_; }
  [[nodiscard]] engine::Time posted_at() const noexcept { return posted_at_; }
  [[nodiscard]] engine::Time switched_at() const noexcept { return switched_at_; }
  [[nodiscard]] engine::Time ended_at() const noexcept { return ended_at_; }
  [[nodiscard]] const Resources& peak_surge() const noexcept { return peak_surge_; }

 private:
  enum Token : std::uint64_t { kFlip = 1, kTearDown = 2, kDeadline = 3 };
  void on_event(std::uint64_t token) override;
  void set_status(ReplacementStatus s, std::string_view message = {});
  void flip();
  void fail(const std::string& why);
  void finish(ReplacementStatus s, std::string outcome);

  const Context& ctx_;
  std::string path_;
  std::string id_;
  ReplacementRequest request_;
  Proton& old_;
  Proton& candidate_;
  engine::Time deadline_;
  ReplacementHost& host_;
  ReplacementStatus status_ = ReplacementStatus::Unknown;
  std::string outcome_;
  std::string message_;
  bool warm_up_over_ = false;
  engine::Time posted_at_;
  engine::Time switched_at_ = engine::Time::never();
  engine::Time ended_at_ = engine::Time::never();
  Resources peak_surge_;
  engine::TimerId timer_;
  engine::TimerId deadline_timer_;
};

}  // namespace wlsim::models

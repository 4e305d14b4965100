#include "wlsim/models/replacement.hpp"

#include <algorithm>

namespace wlsim::models {

using engine::Time;

const char* to_string(ReplacementStatus s) noexcept {
  switch (s) {
    case ReplacementStatus::Unknown:
      return "unknown";
    case ReplacementStatus::Submitted:
      return "submitted";
    case ReplacementStatus::Initializing:
      return "initializing";
    case ReplacementStatus::Promoting:
      return "promoting";
    case ReplacementStatus::Finalizing:
      return "finalizing";
    case ReplacementStatus::Deleting:
      return "deleting";
    case ReplacementStatus::Completed:
      return "completed";
    case ReplacementStatus::Errored:
      return "errored";
  }
  return "unknown";
}

Replacement::Replacement(const Context& ctx, std::string path, ReplacementRequest request,
                         Proton& old, Proton& candidate, Time deadline, ReplacementHost& host)
    : ctx_(ctx),
      path_(std::move(path)),
      id_(path_.substr(path_.rfind('/') + 1)),
      request_(std::move(request)),
      old_(old),
      candidate_(candidate),
      deadline_(deadline),
      host_(host),
      posted_at_(ctx.now()) {}

Replacement::~Replacement() {
  ctx_.sim.cancel(timer_);
  ctx_.sim.cancel(deadline_timer_);
}

bool Replacement::active() const noexcept {
  return status_ != ReplacementStatus::Completed && status_ != ReplacementStatus::Errored;
}

void Replacement::set_status(ReplacementStatus s, std::string_view message) {
  host_.lifecycle_records().add(
      ctx_.record(path_, TraceKind::Replacement, status_, s, {}, message));
  status_ = s;
}

void Replacement::begin() {
  // Written in the run's text buffer: a replacement's messages are made once each, never kept.
  std::string& message = ctx_.text_buffer;
  message = "candidate ";
  message += candidate_.id();
  message += " of artifact ";
  message += request_.artifact_id;
  message += " beside ";
  message += old_.id();
  set_status(ReplacementStatus::Submitted, message);
  set_status(ReplacementStatus::Initializing);
  if (!deadline_.is_never()) deadline_timer_ = ctx_.sim.schedule_in(deadline_, *this, kDeadline);
  candidate_.start();
}

void Replacement::on_candidate_changed() {
  if (status_ != ReplacementStatus::Initializing && status_ != ReplacementStatus::Promoting) return;
  const Status base = candidate_.base_status();
  if (base == Status::Errored) {
    fail("candidate proton " + candidate_.id() + " errored");
    return;
  }
  if (status_ == ReplacementStatus::Initializing && base == Status::Running) {
    // Every candidate replica is ready: the warm-up starts now.
    ctx_.sim.cancel_and_reset(deadline_timer_);
    set_status(ReplacementStatus::Promoting);
    candidate_.set_warming(true);
    timer_ = ctx_.sim.schedule_in(request_.config.warmup, *this, kFlip);
  } else if (status_ == ReplacementStatus::Promoting && warm_up_over_ && base == Status::Running) {
    flip();
  }
}

void Replacement::on_event(std::uint64_t token) {
  switch (token) {
    case kFlip:
      timer_ = {};
      warm_up_over_ = true;
      // A replica that went unready during the warm-up holds the flip until it is ready again.
      if (candidate_.base_status() == Status::Running) flip();
      break;
    case kTearDown:
      timer_ = {};
      old_.tear_down();
      finish(ReplacementStatus::Completed, "completed");
      break;
    case kDeadline:
      deadline_timer_ = {};
      fail("candidate proton " + candidate_.id() + " was not running within " +
           engine::format_duration(deadline_));
      break;
    default:
      break;
  }
}

void Replacement::flip() {
  switched_at_ = ctx_.now();
  // Finalizing first: the switch changes the candidate's status, which notifies this replacement
  // again.
  std::string& message = ctx_.text_buffer;
  message = "traffic switched to ";
  message += candidate_.id();
  message += "; ";
  message += old_.id();
  message += " drains for ";
  message += engine::format_duration(request_.config.keep_old);
  set_status(ReplacementStatus::Finalizing, message);
  host_.switch_traffic(candidate_);
  timer_ = ctx_.sim.schedule_in(request_.config.keep_old, *this, kTearDown);
}

bool Replacement::cancel() {
  if (status_ != ReplacementStatus::Submitted && status_ != ReplacementStatus::Initializing &&
      status_ != ReplacementStatus::Promoting) {
    return false;
  }
  ctx_.sim.cancel_and_reset(timer_);
  ctx_.sim.cancel_and_reset(deadline_timer_);
  set_status(ReplacementStatus::Deleting);
  candidate_.tear_down();
  set_status(ReplacementStatus::Finalizing, "candidate " + candidate_.id() + " reverted");
  finish(ReplacementStatus::Completed, "cancelled");
  return true;
}

std::optional<std::string> Replacement::roll_back() {
  if (status_ != ReplacementStatus::Finalizing || switched_at_.is_never() || old_.torn_down()) {
    return "replacement " + id_ + " is " + to_string(status_) + ": there is nothing to roll back";
  }
  const int ready = old_.ready_count();
  if (old_.base_status() != Status::Running || ready < old_.scale()) {
    return "replacement " + id_ + " cannot roll back: the kept proton " + old_.id() + " has " +
           std::to_string(ready) + " of " + std::to_string(old_.scale()) +
           " replicas ready, and takes the traffic back only with all of them";
  }
  ctx_.sim.cancel_and_reset(timer_);  // the old proton's teardown: it is kept, active again
  set_status(ReplacementStatus::Deleting);
  host_.switch_back(old_);
  candidate_.tear_down();
  set_status(ReplacementStatus::Finalizing, "traffic flipped back to " + old_.id() +
                                                "; candidate " + candidate_.id() + " torn down");
  finish(ReplacementStatus::Completed, "rolledBack");
  return std::nullopt;
}

void Replacement::abandon() {
  if (!active()) return;
  if (cancel()) return;
  // Already switched: the move happened; the stop or delete only cuts the old proton's drain short.
  ctx_.sim.cancel_and_reset(timer_);
  finish(ReplacementStatus::Completed, "completed");
}

void Replacement::fail(const std::string& why) {
  ctx_.sim.cancel_and_reset(timer_);
  ctx_.sim.cancel_and_reset(deadline_timer_);
  message_ = why;
  // Ended first, so that the teardown's status changes are no longer this replacement's business.
  finish(ReplacementStatus::Errored, "errored");
  candidate_.tear_down();
}

void Replacement::finish(ReplacementStatus s, std::string outcome) {
  ended_at_ = ctx_.now();
  outcome_ = std::move(outcome);
  if (message_.empty()) {
    std::string& message = ctx_.text_buffer;
    message = "outcome ";
    message += outcome_;
    set_status(s, message);
  } else {
    set_status(s, message_);
  }
  host_.replacement_ended(*this);
}

void Replacement::observe_held(const Resources& held) noexcept {
  if (!active()) return;
  peak_surge_.cpu_milli = std::max(peak_surge_.cpu_milli, held.cpu_milli);
  peak_surge_.memory_bytes = std::max(peak_surge_.memory_bytes, held.memory_bytes);
  peak_surge_.gpu = std::max(peak_surge_.gpu, held.gpu);
}

std::optional<api::Error> replace_refusal(const std::string& workload_id, bool stopped,
                                          std::optional<ReplacementStatus> in_progress,
                                          ArtifactStatus current, const std::string& target_id,
                                          std::optional<ArtifactStatus> target) {
  if (stopped) return api::Error{422, "workload " + workload_id + " is stopped"};
  if (in_progress) {
    return api::Error{422, "a replacement is already in progress for workload " + workload_id +
                               " (status " + to_string(*in_progress) + ")"};
  }
  if (!target) return api::Error{404, "artifact " + target_id + " not found"};
  if (current == ArtifactStatus::Draft && *target == ArtifactStatus::Locked) {
    return api::Error{400,
                      "Artifact status mismatch: a draft workload cannot be replaced by a locked "
                      "artifact; use POST /workloads/" +
                          workload_id + "/promote"};
  }
  if (current == ArtifactStatus::Locked && *target == ArtifactStatus::Draft) {
    return api::Error{
        400, "Artifact status mismatch: a locked workload cannot be replaced by a draft artifact"};
  }
  return std::nullopt;
}

}  // namespace wlsim::models

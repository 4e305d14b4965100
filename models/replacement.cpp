#include "wlsim/models/replacement.hpp"

#include <algorithm>

#include "wlsim/engine/json_text.hpp"

namespace wlsim::models {

using engine::Time;

const char* to_string(ReplacementStatus s) noexcept {
  switch (s) {
    case ReplacementStatus::Unknown: return "unknown";
    case ReplacementStatus::Submitted: return "submitted";
    case ReplacementStatus::Initializing: return "initializing";
    case ReplacementStatus::Promoting: return "promoting";
    case ReplacementStatus::Finalizing: return "finalizing";
    case ReplacementStatus::Deleting: return "deleting";
    case ReplacementStatus::Completed: return "completed";
    case ReplacementStatus::Errored: return "errored";
  }
  return "unknown";
}

Replacement::Replacement(const Context& ctx, std::string path, ReplacementRequest request, Proton& old,
                         Proton& candidate, Time deadline, ReplacementHost& host)
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
  host_.lifecycle_records().add(ctx_.record(path_, TraceKind::Replacement, status_, s, {}, message));
  status_ = s;
}

void Replacement::begin() {
  set_status(ReplacementStatus::Submitted,
             "candidate " + candidate_.id() + " of artifact " + request_.artifact_id + " beside " + old_.id());
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
      fail("candidate proton " + candidate_.id() + " was not running within " + engine::format_duration(deadline_));
      break;
    default: break;
  }
}

void Replacement::flip() {
  switched_at_ = ctx_.now();
  // Finalizing first: the switch changes the candidate's status, which notifies this replacement again.
  set_status(ReplacementStatus::Finalizing, "traffic switched to " + candidate_.id() + "; " + old_.id() +
                                                " drains for " + engine::format_duration(request_.config.keep_old));
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
  set_status(s, message_.empty() ? "outcome " + outcome_ : message_);
  host_.replacement_ended(*this);
}

void Replacement::observe_held(const Resources& held) noexcept {
  if (!active()) return;
  peak_surge_.cpu_milli = std::max(peak_surge_.cpu_milli, held.cpu_milli);
  peak_surge_.memory_bytes = std::max(peak_surge_.memory_bytes, held.memory_bytes);
  peak_surge_.gpu = std::max(peak_surge_.gpu, held.gpu);
}

std::string Replacement::to_json() const {
  using engine::json_quote;
  const auto seconds_or_null = [](Time t) { return t.is_never() ? std::string("null") : engine::seconds_text(t); };
  std::string s = "{\"id\":" + json_quote(id_) + ",\"artifactId\":" + json_quote(request_.artifact_id) +
                  ",\"strategy\":" + json_quote(request_.strategy) +
                  ",\"config\":{\"warmupDurationMinutes\":" + engine::json_number(request_.config.warmup.seconds() / 60) +
                  ",\"keepOldVersionMinutes\":" + engine::json_number(request_.config.keep_old.seconds() / 60) +
                  "},\"status\":" + json_quote(to_string(status_)) + ",\"outcome\":" +
                  (outcome_.empty() ? "null" : json_quote(outcome_)) + ",\"message\":" + json_quote(message_) +
                  ",\"candidateProtonId\":" + json_quote(candidate_.id()) + ",\"runtimeOnly\":" +
                  (request_.from_settings ? "true" : "false") + ",\"postedAt\":" + engine::seconds_text(posted_at_) +
                  ",\"switchedAt\":" + seconds_or_null(switched_at_) + ",\"endedAt\":" + seconds_or_null(ended_at_) + "}";
  return s;
}

}  // namespace wlsim::models

#include "wlsim/models/proton.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace wlsim::models {

const char* to_string(ProtonRole r) noexcept {
  switch (r) {
    case ProtonRole::Active:
      return "active";
    case ProtonRole::Candidate:
      return "candidate";
    case ProtonRole::Retiring:
      return "retiring";
  }
  return "?";
}

Proton::Proton(const Context& ctx, std::string path, const ArtifactSpec& artifact,
               RuntimeSpec runtime, Importance importance, ProtonRole role, Scheduler& scheduler,
               ProtonOwner& owner)
    : ctx_(ctx),
      path_(std::move(path)),
      id_(path_.substr(path_.rfind('/') + 1)),
      artifact_{.id = artifact.id,
                .status = artifact.status,
                .type = artifact.type,
                .containers = {}},  // containers_ holds them (see artifact())
      runtime_(std::move(runtime)),
      importance_(importance),
      role_(role),
      scheduler_(scheduler),
      owner_(owner),
      created_at_(ctx.now()) {
  // A bundle places the group on its pool and gives the containers without a resourceAllocation
  // its resources (SEMANTICS.md §5).
  const ResourceBundleSpec* bundle =
      runtime_.bundle.empty() ? nullptr : scheduler_.cluster().spec().bundle(runtime_.bundle);
  if (bundle != nullptr) pool_ = bundle->pool;
  // What the runtime gives container `c` instead of its own resources: its override, else the
  // bundle's when it sets none; null if neither applies.
  const auto given = [&](const ContainerSpec& c) -> const Resources* {
    if (auto it = runtime_.resource_overrides.find(c.name);
        it != runtime_.resource_overrides.end()) {
      return &it->second;
    }
    return bundle != nullptr && !c.resources_set ? &bundle->resources : nullptr;
  };
  // Through the run's pool when it has one (a list is copied or moved in only if it is new).
  const auto share = [&](auto&& specs) -> ContainerSpecs {
    using Specs = decltype(specs);
    return ctx_.container_specs != nullptr
               ? ctx_.container_specs->intern(std::forward<Specs>(specs))
               : std::make_shared<const std::vector<ContainerSpec>>(std::forward<Specs>(specs));
  };
  if (std::none_of(artifact.containers.begin(), artifact.containers.end(),
                   [&](const ContainerSpec& c) { return given(c) != nullptr; })) {
    containers_ = share(artifact.containers);
  } else {
    std::vector<ContainerSpec> containers = artifact.containers;
    for (ContainerSpec& c : containers) {
      if (const Resources* r = given(c)) c.resources = *r;
    }
    containers_ = share(std::move(containers));
  }
}

const ContainerSpec& Proton::primary() const noexcept {
  for (const ContainerSpec& c : *containers_) {
    if (c.primary) return c;
  }
  return containers_->front();  // the loader guarantees one primary container
}

Resources Proton::replica_request() const noexcept {
  Resources r;
  for (const ContainerSpec& c : *containers_) r += c.resources;
  return r;
}

void Proton::start() {
  update();  // initializing, even when there are no replicas to wait for
  if (ctx_.replicas != nullptr) ctx_.replicas->add(runtime_.replica_count);
  started_ = true;
  replicas_.reserve(static_cast<std::size_t>(runtime_.replica_count));
  live_.reserve(static_cast<std::size_t>(runtime_.replica_count));
  for (int i = 0; i < runtime_.replica_count; ++i) add_replica();
  // By index over the first ones: a submission may add a replica (the vector may move) or fold
  // one (its slot becomes null).
  for (std::size_t i = 0, n = replicas_.size(); i < n; ++i) {  // NOLINT(modernize-loop-convert)
    if (replicas_[i]) replicas_[i]->submit();
  }
  if (replicas_.empty()) update();
}

Replica& Proton::add_replica() {
  const std::size_t index = replicas_.size();
  live_.push_back(index);
  return *replicas_.emplace_back(std::make_unique<Replica>(
      ctx_, path_ + "/r" + std::to_string(index), *containers_, static_cast<int>(importance_),
      scheduler_, *this, static_cast<int>(index), pool_));
}

void Proton::compact(std::size_t index) {
  Replica* r = replicas_[index].get();
  if (r == nullptr || !r->deleting()) return;
  if (r->terminating()) {
    r->fold_when_gone();
  } else {
    fold(index);
  }
}

void Proton::on_replica_gone(Replica& r) { fold(static_cast<std::size_t>(r.index())); }

std::vector<Proton::Folded>::const_iterator Proton::folded_from(std::size_t index) const noexcept {
  return std::lower_bound(folded_.begin(), folded_.end(), index,
                          [](const Folded& x, std::size_t i) { return x.index < i; });
}

const Proton::Folded* Proton::find_folded(std::size_t index) const noexcept {
  const auto at = folded_from(index);
  return at != folded_.end() && at->index == index ? &*at : nullptr;
}

void Proton::fold(std::size_t index) {
  const Replica& r = *replicas_[index];
  Folded f{index, r.figures(ctx_.now()), r.milestones()};
  if (!f.figures.none() || milestones_kept_ == kAllMilestones || milestones_kept_ == index) {
    folded_.insert(folded_from(index), f);
  }
  replicas_[index].reset();
}

ReplicaFigures Proton::figures(std::size_t index, engine::Time now) const noexcept {
  if (const Replica* r = replicas_[index].get()) return r->figures(now);
  const Folded* f = find_folded(index);
  return f != nullptr ? f->figures : ReplicaFigures{};
}

ReplicaMilestones Proton::milestones(std::size_t index) const noexcept {
  if (const Replica* r = replicas_[index].get()) return r->milestones();
  const Folded* f = find_folded(index);
  return f != nullptr ? f->milestones : ReplicaMilestones{};
}

std::optional<std::size_t> Proton::choose_breakdown_replica() {
  const auto running_since = [this](std::size_t i) {
    const Replica* r = replicas_[i].get();
    return r != nullptr ? r->running_since() : engine::Time::never();  // a folded one was removed
  };
  std::optional<std::size_t> chosen;
  for (std::size_t i = 0; i < replicas_.size(); ++i) {
    if (!chosen || running_since(i) > running_since(*chosen)) chosen = i;
  }
  milestones_kept_ = chosen.value_or(kNoMilestones);
  std::erase_if(
      folded_, [this](const Folded& f) { return f.index != milestones_kept_ && f.figures.none(); });
  folded_.shrink_to_fit();
  return chosen;
}

void Proton::forget_milestones() {
  milestones_kept_ = kNoMilestones;
  std::erase_if(folded_, [](const Folded& f) { return f.figures.none(); });
  folded_.shrink_to_fit();
}

void Proton::scale_to(int count) {
  if (torn_down_ || !started_ || count < 0 || count == runtime_.replica_count) return;
  if (count > runtime_.replica_count) {
    const int more = count - runtime_.replica_count;
    if (ctx_.replicas != nullptr) ctx_.replicas->add(more);
    runtime_.replica_count = count;
    for (int i = 0; i < more; ++i) add_replica().submit();
    return;
  }
  int fewer = runtime_.replica_count - count;
  if (ctx_.replicas != nullptr) ctx_.replicas->remove(fewer);
  runtime_.replica_count = count;
  // Victims: the not-ready ones, newest first, then the newest ready ones. A scale event walks the
  // live replicas once; no event does so otherwise.
  std::vector<std::size_t> victims;
  for (auto it = live_.rbegin(); it != live_.rend() && fewer > 0; ++it) {
    if (replicas_[*it]->status() != Status::Running) {
      victims.push_back(*it);
      --fewer;
    }
  }
  for (auto it = live_.rbegin(); it != live_.rend() && fewer > 0; ++it) {
    if (replicas_[*it]->status() == Status::Running) {
      victims.push_back(*it);
      --fewer;
    }
  }
  scaling_ = true;
  for (const std::size_t i : victims) {
    if (!replicas_[i]) continue;
    replicas_[i]->remove();
    compact(i);
  }
  scaling_ = false;
}

void Proton::on_replica_evicted(Replica& r, EvictionCause) {
  if (torn_down_ || tearing_down_) return;
  // The failing pod replaced: errored is computed from the live replicas again (§6).
  const bool was_failing = std::erase(failing_, static_cast<std::size_t>(r.index())) > 0;
  if (was_failing && failing_.empty()) unstick_ = true;
  // A new pod in its place: it inherits neither restarts nor errored stickiness (§5).
  add_replica().submit();
  if (unstick_) update();
}

void Proton::tear_down() {
  if (torn_down_) return;
  if (ctx_.replicas != nullptr && started_) ctx_.replicas->remove(runtime_.replica_count);
  tearing_down_ = true;
  for (const std::size_t i : std::vector<std::size_t>(live_)) {
    if (!replicas_[i]) continue;
    replicas_[i]->remove();
    // Only statusDetails lists a torn-down proton's pods: without it they keep their figures only.
    if (!ctx_.keep_recent.pod_details) compact(i);
  }
  tearing_down_ = false;
  torn_down_ = true;
  update();
}

void Proton::set_role(ProtonRole r) {
  if (r == role_) return;
  owner_.lifecycle_records().add(ctx_.record(path_, TraceKind::Role, role_, r));
  role_ = r;
  if (r != ProtonRole::Candidate) warming_ = false;
  update();
}

void Proton::set_warming(bool warming) {
  warming_ = warming;
  update();
}

engine::Time Proton::errored_dwell(engine::Time now) const noexcept { return errored_.total(now); }

namespace {
// Unknown (not yet submitted) and terminated replicas take no part in the roll-up.
bool counts_in_roll_up(Status s) noexcept {
  return s != Status::Unknown && s != Status::Terminated;
}
}  // namespace

void Proton::on_replica_changed(Replica& r, Status previous) {
  if (r.status() == Status::Terminated) {
    std::erase(live_, static_cast<std::size_t>(r.index()));
    // A failing pod deleted for good (scaled down, not replaced) leaves errored as it is.
    if (!r.evicted_by()) std::erase(failing_, static_cast<std::size_t>(r.index()));
  }
  if (r.status() == Status::Errored &&
      std::find(failing_.begin(), failing_.end(), static_cast<std::size_t>(r.index())) ==
          failing_.end()) {
    failing_.push_back(static_cast<std::size_t>(r.index()));
  }
  const bool was_ready = previous == Status::Running;
  const bool ready = r.status() == Status::Running;
  if (counts_in_roll_up(previous)) {
    const auto s = static_cast<std::size_t>(previous);
    if (--replicas_by_status_[s] == 0) present_ &= ~(std::uint32_t{1} << s);
  }
  if (counts_in_roll_up(r.status())) {
    const auto s = static_cast<std::size_t>(r.status());
    if (++replicas_by_status_[s] == 1) present_ |= std::uint32_t{1} << s;
  }
  if (was_ready != ready) owner_.on_replica_readiness(*this, r, ready);
  // An evicted pod's replacement comes at once (on_replica_evicted): the roll-up waits for it, so
  // that the proton does not show a state it has for no time.
  const bool replaced = r.status() == Status::Terminated && r.evicted_by() && !torn_down_;
  if (!tearing_down_ && !replaced) update();
}

void Proton::update() {
  // The distinct statuses present stand for the replicas: replicas only take statuses of distinct
  // severities, so the worst of the distinct ones is the worst of them all.
  std::array<Status, kStatusCount> held{};
  std::size_t distinct = 0;
  for (std::uint32_t bits = present_; bits != 0; bits &= bits - 1) {
    held[distinct++] = static_cast<Status>(std::countr_zero(bits));
  }
  const std::span<const Status> present(held.data(), distinct);
  // Before its first replica reports, a proton is being set up; once torn down, its base is final.
  const Status computed = !started_ || (present.empty() && runtime_.replica_count > 0)
                              ? Status::Initializing
                              : worst_of(present);
  const Status base = torn_down_ ? base_ : unstick_ ? computed : sticky(base_, computed);
  unstick_ = false;
  const engine::Time now = ctx_.now();
  if (base != base_) {
    if (base == Status::Errored) {
      errored_.enter(now);
    } else {
      errored_.leave(now);
      failing_.clear();  // every failing pod recovered or was replaced
    }
    if (base == Status::Running && time_to_running_.is_never())
      time_to_running_ = now - created_at_;
    base_ = base;
  }
  Status shown = base_;
  if (torn_down_) {
    shown = Status::Terminated;
    errored_.leave(now);
  } else if (role_ == ProtonRole::Retiring) {
    shown = Status::Draining;
  } else if (warming_ && base_ == Status::Running) {
    shown = Status::Warming;
  }
  if (shown == shown_) return;
  owner_.lifecycle_records().add(ctx_.record(path_, TraceKind::Proton, shown_, shown));
  shown_ = shown;
  owner_.on_proton_changed(*this);
}

}  // namespace wlsim::models

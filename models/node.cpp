#include "wlsim/models/node.hpp"

#include <algorithm>

namespace wlsim::models {

Node::Node(const Context& ctx, std::string name, Resources allocatable, engine::Time pod_setup,
           Registry& registry, std::size_t pool)
    : ctx_(ctx),
      name_(std::move(name)),
      pool_(pool),
      allocatable_(allocatable),
      pod_setup_(pod_setup),
      registry_(registry) {
  schedulable_free_ = room();
}

Node::~Node() {
  for (auto it = queue_.begin(); it != queue_.end() && it->running; ++it)
    ctx_.sim.cancel(it->latency_timer);
}

Resources Node::room() const noexcept { return schedulable() ? free() - nominated_ : kNoRoom; }

template <class F>
void Node::changing_room(F&& change) {
  const Resources before = schedulable_free_;
  change();
  schedulable_free_ = room();
  if (observer_ != nullptr && !(schedulable_free_ == before))
    observer_->on_free_changed(observer_key_, before);
}

void Node::change_requested(const Resources& r, int sign) {
  changing_room([&] {
    if (sign > 0) {
      requested_ += r;
    } else {
      requested_ -= r;
    }
  });
}

void Node::set_ready(bool ready) {
  changing_room([&] { ready_ = ready; });
}

void Node::cordon() {
  changing_room([&] { cordoned_ = true; });
}

void Node::mark_deleted() {
  changing_room([&] { deleted_ = true; });
}

void Node::nominate(const Resources& r) {
  changing_room([&] { nominated_ += r; });
}

void Node::unnominate(const Resources& r) {
  changing_room([&] { nominated_ -= r; });
}

std::uint64_t Node::add_pod(Schedulable& pod) {
  const std::uint64_t ticket = next_pod_ticket_++;
  pods_.emplace_back(ticket, &pod);
  return ticket;
}

void Node::remove_pod(std::uint64_t ticket) {
  const auto it = std::lower_bound(pods_.begin(), pods_.end(), ticket,
                                   [](const auto& p, std::uint64_t t) { return p.first < t; });
  if (it != pods_.end() && it->first == ticket) pods_.erase(it);
}

std::vector<Schedulable*> Node::pod_list() const {
  std::vector<Schedulable*> pods;
  pods.reserve(pods_.size());
  for (const auto& [ticket, pod] : pods_) pods.push_back(pod);
  return pods;
}

void Node::evict_pods(EvictionCause cause, std::string_view message) const {
  for (Schedulable* pod : pod_list()) pod->evict(cause, message);
}

std::size_t Node::slots() const noexcept {
  if (ctx_.kubelet.serialize_image_pulls) return 1;
  return static_cast<std::size_t>(std::max(1, ctx_.kubelet.max_parallel_image_pulls));
}

void Node::request_image(ImageRequester& who, const std::string& uri, std::int64_t size_bytes,
                         PullPolicy policy, ImageError error) {
  if (policy != PullPolicy::Always && has_image(uri)) {
    who.on_image_ready(false);
    return;
  }
  if (policy == PullPolicy::Never) {
    who.on_image_failed("Container image \"" + uri + "\" is not present with pull policy of Never");
    return;
  }
  Request& request = queue_.emplace_back();
  request.who = &who;
  request.uri = intern(uri);
  request.size = size_bytes;
  request.policy = policy;
  request.error = error;
  request.id = next_request_++;
  start_waiting();
}

void Node::cancel_requests(ImageRequester& who) {
  std::vector<Entry> theirs;  // in request order, as the queue is
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->who == &who) theirs.push_back(it);
  }
  if (theirs.empty()) return;
  std::vector<std::string_view> orphaned;  // images whose transfer is dropped under their riders
  bool freed = false;
  for (const Entry request : theirs) {
    if (request->running) {
      ctx_.sim.cancel(request->latency_timer);
      if (request->transfer != 0) {
        registry_.abort(request->transfer);
        orphaned.push_back(request->uri);
      }
      --running_;
      freed = true;
    }
    queue_.erase(request);
  }
  for (const std::string_view uri : orphaned) hand_over(uri);
  if (freed) start_waiting();
}

Node::Entry Node::running_with(std::uint64_t Request::*field, std::uint64_t value) {
  for (auto it = queue_.begin(); it != queue_.end() && it->running; ++it) {
    if ((*it).*field == value) return it;
  }
  return queue_.end();
}

Node::Entry Node::first_rider(std::string_view uri) {
  for (auto it = queue_.begin(); it != queue_.end() && it->running; ++it) {
    if (it->riding && it->uri == uri) return it;
  }
  return queue_.end();
}

Node::Request Node::remove(Entry request) {
  if (request->running) --running_;
  Request removed = *request;  // trivially copyable: its uri is a view of the node's copy
  queue_.erase(request);
  return removed;
}

void Node::start_waiting() {
  // Requesters may call back into the node from their callbacks: every step looks afresh.
  while (running_ < slots()) {
    auto next = queue_.begin();
    while (next != queue_.end() && next->running) ++next;
    if (next == queue_.end()) return;
    if (next->policy != PullPolicy::Always && has_image(next->uri)) {
      // Pulled meanwhile by an earlier request of the queue.
      ImageRequester* who = next->who;
      (void)remove(next);
      who->on_image_ready(false);
      continue;
    }
    next->running = true;
    ++running_;
    next->latency_timer = ctx_.sim.schedule_in(registry_.spec().latency, *this, next->id);
    next->who->on_pull_started();
  }
}

void Node::on_event(std::uint64_t token) {
  const Entry request = running_with(&Request::id, token);
  if (request == queue_.end()) return;
  request->latency_timer = {};
  const std::string_view uri = request->uri;
  if (!registry_.available()) {
    fail(request, "rpc error: code = Unavailable desc = failed to resolve reference \"" +
                      std::string(uri) + "\": dial tcp: connect: connection refused");
    return;
  }
  if (request->error == ImageError::NotFound) {
    fail(request, "rpc error: code = NotFound desc = failed to resolve reference \"" +
                      std::string(uri) + "\": not found");
    return;
  }
  if (request->error == ImageError::Unauthorized) {
    fail(request, "rpc error: code = Unknown desc = failed to resolve reference \"" +
                      std::string(uri) +
                      "\": pull access denied, repository does not exist or may require "
                      "authorization");
    return;
  }
  // Always, with the image cached; or pulled by another request while this one paid its latency.
  const bool digest_only = has_image(uri);
  if (digest_only || request->size <= 0 || registry_.spec().bandwidth_bytes_per_s <= 0) {
    finish(request, !digest_only);
    return;
  }
  for (auto it = queue_.begin(); it != queue_.end() && it->running; ++it) {
    if (it->transfer != 0 && it->uri == uri) {
      request->riding = true;
      return;
    }
  }
  request->transfer = registry_.begin(request->size, *this);
}

void Node::on_transfer_done(std::uint64_t transfer) {
  const Entry request = running_with(&Request::transfer, transfer);
  if (request == queue_.end()) return;
  request->transfer = 0;
  finish(request, true);
}

void Node::on_transfer_failed(std::uint64_t transfer) {
  const Entry request = running_with(&Request::transfer, transfer);
  if (request == queue_.end()) return;
  fail(request, "rpc error: code = Unavailable desc = failed to pull and unpack image \"" +
                    std::string(request->uri) +
                    "\": failed to copy: read tcp: connection reset by peer");
}

void Node::hand_over(std::string_view uri) {
  for (Entry rider = first_rider(uri); rider != queue_.end(); rider = first_rider(uri)) {
    rider->riding = false;
    if (registry_.available()) {
      rider->transfer = registry_.begin(rider->size, *this);
      return;
    }
    fail(rider, "rpc error: code = Unavailable desc = failed to resolve reference \"" +
                    std::string(uri) + "\": dial tcp: connect: connection refused");
  }
}

void Node::fail(Entry request, const std::string& cause) {
  const bool had_transfer = request->transfer != 0;  // it failed under its riders
  const Request failed = remove(request);
  failed.who->on_image_failed(cause);
  if (had_transfer) hand_over(failed.uri);
  start_waiting();
}

std::string_view Node::intern(const std::string& uri) {
  // A node's pods mostly ask for the image the last one asked for (a proton's replicas share it).
  if (last_interned_ == uri) return last_interned_;
  const auto it = images_.lower_bound(uri);
  last_interned_ = it != images_.end() && *it == uri ? *it : *images_.insert(it, uri);
  return last_interned_;
}

void Node::finish(Entry request, bool pulled) {
  const Request done = remove(request);
  cache_.insert(done.uri);
  if (pulled) ++pulls_;
  done.who->on_image_ready(pulled);
  // Its riders have the image too, told one at a time in queue order: a callback may drop others.
  for (Entry rider = first_rider(done.uri); rider != queue_.end(); rider = first_rider(done.uri)) {
    ImageRequester* who = remove(rider).who;
    ++pulls_;
    who->on_image_ready(true);
  }
  start_waiting();
}

}  // namespace wlsim::models

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
      registry_(registry) {}

Node::~Node() { ctx_.sim.cancel(latency_timer_); }

Resources Node::schedulable_free() const noexcept {
  return schedulable() ? free() - nominated_ : kNoRoom;
}

template <class F>
void Node::changing_room(F&& change) {
  const Resources before = schedulable_free();
  change();
  if (observer_ != nullptr && !(schedulable_free() == before))
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
  pods_.emplace(ticket, &pod);
  return ticket;
}

void Node::remove_pod(std::uint64_t ticket) { pods_.erase(ticket); }

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
  queue_.push_back({&who, uri, size_bytes, policy, error});
  queued_by_[&who].push_back(std::prev(queue_.end()));
  if (!busy_) start_next();
}

void Node::cancel_requests(ImageRequester& who) {
  const bool head_is_theirs = busy_ && !queue_.empty() && queue_.front().who == &who;
  if (head_is_theirs) {
    ctx_.sim.cancel_and_reset(latency_timer_);
    if (transfer_ != 0) registry_.abort(transfer_);
    transfer_ = 0;
    (void)pop_head();
    busy_ = false;
  }
  if (const auto it = queued_by_.find(&who); it != queued_by_.end()) {
    for (const auto& request : it->second) queue_.erase(request);
    queued_by_.erase(it);
  }
  if (head_is_theirs) start_next();
}

Node::Request Node::pop_head() {
  const auto it = queued_by_.find(queue_.front().who);
  std::erase(it->second, queue_.begin());
  if (it->second.empty()) queued_by_.erase(it);
  Request head = std::move(queue_.front());
  queue_.pop_front();
  return head;
}

void Node::start_next() {
  while (!queue_.empty()) {
    const Request& head = queue_.front();
    if (head.policy != PullPolicy::Always && has_image(head.uri)) {
      // Pulled meanwhile by an earlier request of the queue.
      ImageRequester* who = head.who;
      (void)pop_head();
      who->on_image_ready(false);
      continue;
    }
    busy_ = true;
    latency_timer_ = ctx_.sim.schedule_in(registry_.spec().latency, *this, 0);
    head.who->on_pull_started();
    return;
  }
  busy_ = false;
}

void Node::on_event(std::uint64_t) {
  latency_timer_ = {};
  const Request& head = queue_.front();
  if (!registry_.available()) {
    fail_head("rpc error: code = Unavailable desc = failed to resolve reference \"" + head.uri +
              "\": dial tcp: connect: connection refused");
    return;
  }
  if (head.error == ImageError::NotFound) {
    fail_head("rpc error: code = NotFound desc = failed to resolve reference \"" + head.uri +
              "\": not found");
    return;
  }
  if (head.error == ImageError::Unauthorized) {
    fail_head("rpc error: code = Unknown desc = failed to resolve reference \"" + head.uri +
              "\": pull access denied, repository does not exist or may require authorization");
    return;
  }
  const bool digest_only = has_image(head.uri);  // Always, with the image cached
  if (digest_only || head.size <= 0 || registry_.spec().bandwidth_bytes_per_s <= 0) {
    finish_head(!digest_only);
    return;
  }
  transfer_ = registry_.begin(head.size, *this);
}

void Node::on_transfer_done(std::uint64_t transfer) {
  if (transfer != transfer_) return;
  transfer_ = 0;
  finish_head(true);
}

void Node::on_transfer_failed(std::uint64_t transfer) {
  if (transfer != transfer_) return;
  transfer_ = 0;
  const std::string uri = queue_.front().uri;
  fail_head("rpc error: code = Unavailable desc = failed to pull and unpack image \"" + uri +
            "\": failed to copy: read tcp: connection reset by peer");
}

void Node::fail_head(const std::string& cause) {
  Request head = pop_head();
  busy_ = false;
  head.who->on_image_failed(cause);
  if (!busy_) start_next();
}

void Node::finish_head(bool pulled) {
  Request head = pop_head();
  cache_.insert(head.uri);
  if (pulled) ++pulls_;
  busy_ = false;
  head.who->on_image_ready(pulled);
  if (!busy_) start_next();
}

}  // namespace wlsim::models

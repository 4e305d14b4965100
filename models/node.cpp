#include "wlsim/models/node.hpp"

#include <algorithm>

namespace wlsim::models {

Node::Node(const Context& ctx, std::string name, Resources allocatable, engine::Time pod_setup,
           Registry& registry)
    : ctx_(ctx), name_(std::move(name)), allocatable_(allocatable), pod_setup_(pod_setup), registry_(registry) {}

Node::~Node() { ctx_.sim.cancel(latency_timer_); }

void Node::request_image(ImageRequester& who, const std::string& uri, std::int64_t size_bytes,
                         PullPolicy policy) {
  if (policy != PullPolicy::Always && has_image(uri)) {
    who.on_image_ready(false);
    return;
  }
  queue_.push_back({&who, uri, size_bytes, policy});
  if (!busy_) start_next();
}

void Node::cancel_requests(ImageRequester& who) {
  const bool head_is_theirs = busy_ && !queue_.empty() && queue_.front().who == &who;
  if (head_is_theirs) {
    ctx_.sim.cancel_and_reset(latency_timer_);
    if (transfer_ != 0) registry_.abort(transfer_);
    transfer_ = 0;
    queue_.pop_front();
    busy_ = false;
  }
  std::erase_if(queue_, [&](const Request& r) { return r.who == &who; });
  if (head_is_theirs) start_next();
}

void Node::start_next() {
  while (!queue_.empty()) {
    const Request& head = queue_.front();
    if (head.policy != PullPolicy::Always && has_image(head.uri)) {
      // Pulled meanwhile by an earlier request of the queue.
      ImageRequester* who = head.who;
      queue_.pop_front();
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

void Node::finish_head(bool pulled) {
  Request head = std::move(queue_.front());
  queue_.pop_front();
  cache_.insert(head.uri);
  if (pulled) ++pulls_;
  busy_ = false;
  head.who->on_image_ready(pulled);
  if (!busy_) start_next();
}

}  // namespace wlsim::models

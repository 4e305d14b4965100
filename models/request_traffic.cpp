#include "wlsim/models/request_traffic.hpp"

#include <algorithm>
#include <functional>
#include <numeric>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/models/proton.hpp"

namespace wlsim::models {

using engine::Time;

namespace {
// Requests handed back go to the router oldest first; ties keep their order.
template <class Requests>
void oldest_first(Requests& requests) {
  std::stable_sort(requests.begin(), requests.end(),
                   [](const auto& a, const auto& b) { return a.arrived < b.arrived; });
}
}  // namespace

RequestTraffic::Server::Server(RequestTraffic& t, const Proton& p, int replica_index,
                               int concurrency)
    : traffic(t),
      proton(&p),
      index(replica_index),
      slots(static_cast<std::size_t>(std::max(concurrency, 1))) {
  free_slots.resize(slots.size());
  std::iota(free_slots.begin(), free_slots.end(), std::size_t{0});  // ascending: a min-heap
}

RequestTraffic::Server::~Server() {
  traffic.ctx_.sim.cancel(timeout);
  for (Slot& s : slots) traffic.ctx_.sim.cancel(s.done);
}

RequestTraffic::RequestTraffic(const Context& ctx, const TrafficSpec& spec,
                               const ActivatorParams& activator, const std::string& workload_id,
                               LoadListener* listener)
    : ctx_(ctx),
      spec_(spec),
      activator_params_(activator),
      listener_(listener),
      arrivals_(spec.rate, spec.arrivals, ctx.stream(workload_id, "arrivals")),
      service_stream_(ctx.stream(workload_id, "service")),
      accounted_until_(ctx.now()) {}

RequestTraffic::~RequestTraffic() {
  ctx_.sim.cancel(arrival_timer_);
  ctx_.sim.cancel(activator_timer_);
}

void RequestTraffic::account() {
  const Time now = ctx_.now();
  const double dt = (now - accounted_until_).seconds();
  in_flight_integral_ += static_cast<double>(in_flight_) * dt;
  busy_integral_ += static_cast<double>(busy_) * dt;
  accounted_until_ = now;
}

double RequestTraffic::in_flight_integral() {
  account();
  return in_flight_integral_;
}

double RequestTraffic::busy_integral() {
  account();
  return busy_integral_;
}

void RequestTraffic::hold(Proton& holder) {
  if (!begun_) {
    // Arrivals start with the workload: the ones the curve places before it are not sent.
    begun_ = true;
    next_arrival_ = arrivals_.next();
    while (next_arrival_ < ctx_.now()) next_arrival_ = arrivals_.next();
    if (!next_arrival_.is_never())
      arrival_timer_ = ctx_.sim.schedule_at(next_arrival_, *this, kArrival);
  }
  released_ = false;
  if (holder_ == &holder) return;
  const Proton* previous = holder_;
  holder_ = &holder;
  cold_start_ = false;
  for (Server* s : std::vector<Server*>(routable_.begin(), routable_.end()))
    set_routable(*s, false);
  holder.for_each_replica([&](const Replica& r) {
    if (r.status() == Status::Running) set_routable(server(holder, r), true);
  });
  // What waits for the previous holder's replicas moves; what they serve finishes there.
  std::vector<Request> moved;
  for (auto& [key, s] : servers_) {
    if (s.proton != previous || s.queue.empty()) continue;
    ctx_.sim.cancel_and_reset(s.timeout);
    moved.insert(moved.end(), s.queue.begin(), s.queue.end());
    s.queue.clear();
  }
  oldest_first(moved);
  for (const Request& r : moved) route(r);
  drain_activator();
}

void RequestTraffic::release() {
  released_ = true;
  holder_ = nullptr;
  cold_start_ = false;
  routable_.clear();
  account();
  for (auto& [key, s] : servers_) {
    const std::size_t held = empty_server(s).size();
    for (std::size_t i = 0; i < held; ++i) done(totals_.dropped_torn_down);
  }
  servers_.clear();
  ctx_.sim.cancel_and_reset(activator_timer_);
  for (std::size_t i = 0; i < activator_.size(); ++i) done(totals_.dropped_torn_down);
  activator_.clear();
  if (listener_ != nullptr) listener_->on_load_changed();
}

RequestTraffic::Server& RequestTraffic::server(const Proton& p, const Replica& r) {
  const ServerKey key{p.id(), r.index()};
  auto it = servers_.find(key);
  if (it == servers_.end()) {
    it = servers_
             .try_emplace(key, *this, p, r.index(), std::max(1, p.primary().behavior.concurrency))
             .first;
  }
  return it->second;
}

void RequestTraffic::set_routable(Server& s, bool routable) {
  if (s.routable == routable) return;
  if (routable) {
    s.routable = true;
    routable_.insert(&s);
  } else {
    routable_.erase(&s);
    s.routable = false;
  }
}

template <class F>
void RequestTraffic::reweigh(Server& s, F&& change) {
  // The router's set is ordered by load: take the server out while its load changes.
  const bool routable = s.routable;
  if (routable) routable_.erase(&s);
  change();
  if (routable) routable_.insert(&s);
}

void RequestTraffic::on_event(std::uint64_t token) {
  if (token == kArrival) {
    arrival_timer_ = {};
    arrive();
    next_arrival_ = arrivals_.next();
    if (!next_arrival_.is_never())
      arrival_timer_ = ctx_.sim.schedule_at(next_arrival_, *this, kArrival);
  } else {
    activator_timer_ = {};
    expire(activator_, activator_timer_, *this, kActivatorTimeout);
  }
}

void RequestTraffic::arrive() {
  account();
  totals_.arrived += 1;
  ++in_flight_;
  const Time service = engine::sample_duration(spec_.service_time, service_stream_);
  if (released_) {
    done(totals_.dropped_torn_down);
    return;
  }
  route(Request{ctx_.now(), service, false});
  if (listener_ != nullptr) listener_->on_load_changed();
}

void RequestTraffic::route(Request r) {
  if (released_) {
    done(totals_.dropped_torn_down);
    return;
  }
  if (routable_.empty()) {
    to_activator(r);
    return;
  }
  assign(**routable_.begin(), r);
}

void RequestTraffic::to_activator(Request r) {
  if (ctx_.now() - r.arrived >= activator_params_.request_timeout) {
    done(totals_.dropped_timeout);
    return;
  }
  if (static_cast<std::int64_t>(activator_.size()) >= activator_params_.capacity) {
    done(totals_.dropped_full);
    return;
  }
  if (holder_ != nullptr && holder_->scale() == 0 && !cold_start_ && listener_ != nullptr &&
      listener_->scale_from_zero(static_cast<double>(in_flight_))) {
    cold_start_ = true;
    totals_.cold_starts += 1;
  }
  if (cold_start_ && !r.cold) {
    r.cold = true;
    totals_.cold_start_requests += 1;
  }
  activator_.push_back(r);
  if (activator_.size() == 1) arm(activator_, activator_timer_, *this, kActivatorTimeout);
}

void RequestTraffic::drain_activator() {
  if (routable_.empty() || activator_.empty()) return;
  ctx_.sim.cancel_and_reset(activator_timer_);
  std::deque<Request> waiting;
  waiting.swap(activator_);
  for (const Request& r : waiting) {
    if (r.cold) cold_wait_.add((ctx_.now() - r.arrived).seconds());
    route(r);
  }
}

void RequestTraffic::assign(Server& s, Request r) {
  reweigh(s, [&] {
    if (s.busy < static_cast<int>(s.slots.size())) {
      start_service(s, r);
    } else {
      s.queue.push_back(r);
      if (s.queue.size() == 1) arm(s.queue, s.timeout, s, 0);
    }
  });
}

void RequestTraffic::start_service(Server& s, Request r) {
  account();
  if (s.free_slots.empty()) return;
  std::pop_heap(s.free_slots.begin(), s.free_slots.end(), std::greater<>());
  const std::size_t i = s.free_slots.back();
  s.free_slots.pop_back();
  Slot& slot = s.slots[i];
  slot.busy = true;
  slot.request = r;
  slot.done = ctx_.sim.schedule_in(r.service, s, i + 1);
  ++s.busy;
  ++busy_;
}

void RequestTraffic::on_server_event(Server& s, std::uint64_t token) {
  if (token == 0) {
    s.timeout = {};
    reweigh(s, [&] { expire(s.queue, s.timeout, s, 0); });
    if (listener_ != nullptr) listener_->on_load_changed();
    return;
  }
  Slot& slot = s.slots[token - 1];
  slot.done = {};
  account();
  slot.busy = false;
  s.free_slots.push_back(token - 1);
  std::push_heap(s.free_slots.begin(), s.free_slots.end(), std::greater<>());
  --busy_;
  latency_.add((ctx_.now() - slot.request.arrived).seconds());
  totals_.service_sum += slot.request.service.seconds();
  reweigh(s, [&] {
    --s.busy;
    done(totals_.served);
    // The next in line, unless its wait has reached the timeout (its timer is due now too).
    expire(s.queue, s.timeout, s, 0);
    if (!s.queue.empty()) {
      const Request next = s.queue.front();
      s.queue.pop_front();
      ctx_.sim.cancel_and_reset(s.timeout);
      arm(s.queue, s.timeout, s, 0);
      start_service(s, next);
    }
  });
  if (listener_ != nullptr) listener_->on_load_changed();
  forget_if_drained(s);
}

void RequestTraffic::forget_if_drained(Server& s) {
  if (!s.retired || s.busy > 0 || !s.queue.empty()) return;
  servers_.erase(ServerKey{s.proton->id(), s.index});
}

void RequestTraffic::expire(std::deque<Request>& queue, engine::TimerId& timer,
                            engine::EventHandler& handler, std::uint64_t token) {
  const Time now = ctx_.now();
  bool dropped = false;
  while (!queue.empty() && now - queue.front().arrived >= activator_params_.request_timeout) {
    queue.pop_front();
    done(totals_.dropped_timeout);
    dropped = true;
  }
  if (dropped) {
    ctx_.sim.cancel_and_reset(timer);
    arm(queue, timer, handler, token);
  }
}

void RequestTraffic::arm(const std::deque<Request>& queue, engine::TimerId& timer,
                         engine::EventHandler& handler, std::uint64_t token) {
  if (queue.empty() || ctx_.sim.is_pending(timer)) return;
  timer = ctx_.sim.schedule_at(queue.front().arrived + activator_params_.request_timeout, handler,
                               token);
}

void RequestTraffic::done(double& counter) {
  account();
  counter += 1;
  --in_flight_;
}

std::vector<RequestTraffic::Request> RequestTraffic::empty_server(Server& s) {
  account();
  std::vector<Request> held;
  for (Slot& slot : s.slots) {
    if (!slot.busy) continue;
    ctx_.sim.cancel_and_reset(slot.done);
    slot.busy = false;
    held.push_back(slot.request);
    --busy_;
  }
  s.busy = 0;
  s.free_slots.resize(s.slots.size());
  std::iota(s.free_slots.begin(), s.free_slots.end(), std::size_t{0});
  held.insert(held.end(), s.queue.begin(), s.queue.end());
  s.queue.clear();
  ctx_.sim.cancel_and_reset(s.timeout);
  oldest_first(held);
  return held;
}

void RequestTraffic::on_replica_readiness(Proton& p, Replica& r, bool ready) {
  if (ready) {
    if (&p != holder_ || released_) return;
    set_routable(server(p, r), true);
    cold_start_ = false;
    drain_activator();
    if (listener_ != nullptr) listener_->on_load_changed();
    return;
  }
  const auto it = servers_.find(ServerKey{p.id(), r.index()});
  if (it == servers_.end()) return;
  Server& s = it->second;
  set_routable(s, false);
  std::vector<Request> held;
  if (r.status() == Status::Terminated) {
    // Deleted (a scale-down, a proton torn down): it finishes what it serves, as a pod does in
    // its termination grace period, and hands back its queue.
    ctx_.sim.cancel_and_reset(s.timeout);
    held.assign(s.queue.begin(), s.queue.end());
    s.queue.clear();
    s.retired = true;
  } else {
    // Not ready any more (its app crashed, hung or fails readiness): it hands back everything.
    held = empty_server(s);
    servers_.erase(it);
  }
  for (const Request& req : held) route(req);
  if (r.status() == Status::Terminated) forget_if_drained(it->second);
  if (listener_ != nullptr) listener_->on_load_changed();
}

}  // namespace wlsim::models

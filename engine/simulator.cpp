#include "wlsim/engine/simulator.hpp"

#include <stdexcept>
#include <string>

namespace wlsim::engine {

namespace {
constexpr std::size_t kArity = 4;  // a 4-ary heap: shallower than binary, children share a cache line
}

TimerId Simulator::schedule_at(Time at, EventHandler& handler, std::uint64_t token) {
  if (at < now_) {
    throw std::logic_error("timer scheduled in the past: " + std::to_string(at.us()) + "us < now " +
                           std::to_string(now_.us()) + "us");
  }
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.handler = &handler;
  s.token = token;
  s.time = at.us();
  s.live = true;
  ++live_;
  const Entry e{at.us(), next_seq_++, slot, s.generation};
  if (top_is_spent_) {
    top_is_spent_ = false;
    heap_.front() = e;
    sift_down(0);
  } else {
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }
  return TimerId{slot, s.generation};
}

bool Simulator::cancel(TimerId id) noexcept {
  if (!is_pending(id)) return false;
  release(id.slot);  // its heap entry becomes stale and is skipped when it reaches the top
  return true;
}

bool Simulator::is_pending(TimerId id) const noexcept {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].live &&
         slots_[id.slot].generation == id.generation;
}

Time Simulator::when(TimerId id) const noexcept {
  return is_pending(id) ? Time::from_us(slots_[id.slot].time) : Time::never();
}

void Simulator::release(std::uint32_t slot) noexcept {
  Slot& s = slots_[slot];
  s.live = false;
  ++s.generation;
  free_slots_.push_back(slot);
  --live_;
}

void Simulator::sift_up(std::size_t i) noexcept {
  const Entry e = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void Simulator::sift_down(std::size_t i) noexcept {
  const std::size_t n = heap_.size();
  const Entry e = heap_[i];
  for (;;) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    const std::size_t last = first + kArity < n ? first + kArity : n;
    std::size_t best = first;
    for (std::size_t c = first + 1; c < last; ++c) {
      if (before(heap_[c], heap_[best])) best = c;
    }
    if (!before(heap_[best], e)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
}

void Simulator::pop_top() noexcept {
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
}

RunOutcome Simulator::loop(Time limit) {
  stop_requested_ = false;
  while (!heap_.empty()) {
    const Entry top = heap_.front();
    Slot& s = slots_[top.slot];
    if (!s.live || s.generation != top.generation) {  // cancelled
      pop_top();
      continue;
    }
    if (top.time > limit.us()) {
      if (limit > now_) now_ = limit;
      return RunOutcome::TimeLimit;
    }
    now_ = Time::from_us(top.time);
    EventHandler* handler = s.handler;
    const std::uint64_t token = s.token;
    release(top.slot);
    top_is_spent_ = true;
    ++dispatched_;
    try {
      handler->on_event(token);
    } catch (...) {
      // The event is consumed either way; leave the queue consistent for whoever catches this.
      if (top_is_spent_) {
        top_is_spent_ = false;
        pop_top();
      }
      throw;
    }
    if (top_is_spent_) {
      top_is_spent_ = false;
      pop_top();
    }
    if (stop_requested_) return RunOutcome::Stopped;
  }
  if (!limit.is_never() && limit > now_) now_ = limit;
  return RunOutcome::QueueEmpty;
}

RunOutcome Simulator::run_until(Time limit) { return loop(limit); }

RunOutcome Simulator::run() { return loop(Time::never()); }

}  // namespace wlsim::engine

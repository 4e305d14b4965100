#include "wlsim/engine/simulator.hpp"

#include <bit>
#include <stdexcept>
#include <string>

#include "wlsim/engine/prefetch.hpp"

// The queue is a radix heap. It relies on the clock being monotone: no timer is ever scheduled
// before now, so every queued time is >= base_, the last minimum taken out (base_ <= now_). An
// entry lives in bucket bit_width(time ^ base_). Entries in a lower bucket are earlier than entries
// in a higher one, and a bucket b >= 1 holds times that share base_'s bits from b up. Bucket 0
// (time == base_) is consumed from the front. When it runs dry, the lowest non-empty bucket is
// emptied: its minimum becomes the new base_ and its entries move to strictly lower buckets, so an
// entry moves at most 63 times in all, usually a few. Each bucket's minimum is kept on insert
// (least_), so that is one pass over the bucket. Times are >= 0 (the clock starts at zero and never
// goes back), so bit 63 never differs and 64 buckets are enough.
//
// Equal times must run in scheduling order, and the heap needs no sequence numbers for that: every
// bucket is always in scheduling order. A new timer is the latest so far and is appended; a
// redistribution goes from the lowest non-empty bucket into buckets that are all empty (the lower
// ones are, by choice, and bucket 0 has run dry), scanning in order, so each target receives an
// ordered subsequence. Equal times always share a bucket, hence they come out in order.
//
// Cancellation is lazy: the slot's generation is bumped and the entry is skipped when it comes out.
//
// The per-event helpers below are `inline` (only this file uses them): the library is built
// with -fPIC, and GCC does not inline an ordinary external function there, since it could be
// interposed; that alone cost about 20 ns per hold at 1e4 pending. (The build now says
// -fno-semantic-interposition for every target, CMakeLists.txt; `inline` keeps this true for a
// build without it.)

namespace wlsim::engine {

inline int Simulator::bucket_of(std::int64_t time) const noexcept {
  return std::bit_width(static_cast<std::uint64_t>(time ^ base_));
}

inline void Simulator::insert(const Entry& e) {
  const int b = bucket_of(e.time);
  buckets_[b].push_back(e);
  occupied_ |= std::uint64_t{1} << b;                   // bit 0 is set too and ignored
  least_[b] = e.time < least_[b] ? e.time : least_[b];  // so refill never scans for the minimum
}

TimerId Simulator::schedule_at(Time at, EventHandler& handler, std::uint64_t token) {
  if (at < now_) {
    throw std::logic_error("timer scheduled in the past: " + std::to_string(at.us()) + "us < now " +
                           std::to_string(now_.us()) + "us");
  }
  const bool reuse = !free_slots_.empty();
  const std::uint32_t slot = reuse ? free_slots_.back() : static_cast<std::uint32_t>(slots_.size());
  if (!reuse) slots_.emplace_back();
  Slot& s = slots_[slot];
  insert(Entry{at.us(), slot, s.generation});  // first: if it throws, no timer was created
  if (reuse) free_slots_.pop_back();
  s.handler = &handler;
  s.token = token;
  s.time = at.us();
  s.live = true;
  ++live_;
  return TimerId{slot, s.generation};
}

bool Simulator::cancel(TimerId id) noexcept {
  if (!is_pending(id)) return false;
  release(id.slot);  // its queue entry becomes stale and is skipped when it comes out
  return true;
}

bool Simulator::is_pending(TimerId id) const noexcept {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].live &&
         slots_[id.slot].generation == id.generation;
}

Time Simulator::when(TimerId id) const noexcept {
  return is_pending(id) ? Time::from_us(slots_[id.slot].time) : Time::never();
}

bool Simulator::repeat_silently(TimerId id, Time period, std::uint32_t count) noexcept {
  if (!is_pending(id)) return false;
  Slot& s = slots_[id.slot];
  const std::int64_t p = period.us();
  if (count == 0) {
    s.repeats = 0;
    return true;
  }
  if (p <= 0 || p > std::int64_t{UINT32_MAX} || (kNoTime - 1 - s.time) / p < count) return false;
  s.repeats = count;
  s.period_us = static_cast<std::uint32_t>(p);
  return true;
}

std::uint32_t Simulator::silent_repeats(TimerId id) const noexcept {
  return is_pending(id) ? slots_[id.slot].repeats : 0;
}

inline void Simulator::release(std::uint32_t slot) noexcept {
  Slot& s = slots_[slot];
  s.live = false;
  s.repeats = 0;
  ++s.generation;
  free_slots_.push_back(slot);
  --live_;
}

// Bucket 0 has run dry: moves base_ to the earliest queued time (cancelled entries included) and
// redistributes its bucket. Does nothing and returns false if that time is past `limit`: base_ must
// not pass the clock, since run_until leaves the clock at `limit` and timers may then be scheduled
// between the two. O(1) in that case, so run_until in small steps costs nothing extra.
inline bool Simulator::refill(std::int64_t limit) {
  buckets_[0].clear();
  head_ = 0;
  const std::uint64_t rest = occupied_ & ~std::uint64_t{1};
  if (rest == 0) return false;
  const int from = std::countr_zero(rest);
  Bucket& src = buckets_[from];
  const std::int64_t least = least_[from];
  if (least > limit) return false;
  base_ = least;
  for (const Entry& e : src) {
#if defined(__GNUC__)
    // An entry at the new base is dispatched next: start loading its slot (a cache miss with many
    // timers pending) while the other entries are moved.
    if (e.time == least) __builtin_prefetch(&slots_[e.slot]);
#endif
    insert(e);  // lands in a bucket below `from`
  }
  src.clear();
  occupied_ &= ~(std::uint64_t{1} << from);
  least_[from] = kNoTime;
  return true;
}

// Only cancelled entries are left: forgets them at once instead of draining them one by one.
void Simulator::drop_queue() noexcept {
  for (Bucket& b : buckets_) b.clear();
  head_ = 0;
  occupied_ = 0;
  least_.fill(kNoTime);
}

RunOutcome Simulator::loop(Time limit) {
  stop_requested_ = false;
  for (;;) {
    if (live_ == 0) {
      drop_queue();
      if (!limit.is_never() && limit > now_) now_ = limit;
      base_ = now_.us();  // it may have passed the clock on cancelled entries; the queue is empty
      return RunOutcome::QueueEmpty;
    }
    // base_ > limit with bucket 0 non-empty: run_until was given a limit before the clock.
    if ((head_ == buckets_[0].size() && !refill(limit.us())) || base_ > limit.us()) {
      if (limit > now_) now_ = limit;
      return RunOutcome::TimeLimit;
    }
    const Entry e = buckets_[0][head_];
    // Equal times are common (tick grids): start loading the next handler while this one runs.
    // Its slot was asked for when refill moved it here; its object is most of a dispatch's misses
    // (a stale one, of a cancelled timer, is only a wasted hint).
    if (head_ + 1 < buckets_[0].size()) {
      constexpr std::size_t kHandlerBytes = 128;
      prefetch(slots_[buckets_[0][head_ + 1].slot].handler, kHandlerBytes);
    }
    Slot& s = slots_[e.slot];
    if (s.generation != e.generation) {  // cancelled
      ++head_;
      continue;
    }
    if (dispatched_ >= budget_) return RunOutcome::BudgetExhausted;  // the entry stays queued
    ++head_;
    now_ = Time::from_us(e.time);
    if (s.repeats != 0) {
      // Due again a period later: appended now, as its handler would have scheduled it.
      const std::int64_t next = s.time + s.period_us;
      insert(Entry{next, e.slot, s.generation});
      s.time = next;
      --s.repeats;
      ++dispatched_;
      ++silent_;
      continue;
    }
    EventHandler* handler = s.handler;
    const std::uint64_t token = s.token;
    release(e.slot);
    ++dispatched_;
    // The entry is already consumed and base_ == now_, so if the handler throws the queue is
    // consistent as it stands: no try/catch on the per-event path.
    handler->on_event(token);
    if (stop_requested_) return RunOutcome::Stopped;
  }
}

RunOutcome Simulator::run_until(Time limit) { return loop(limit); }

RunOutcome Simulator::run() { return loop(Time::never()); }

}  // namespace wlsim::engine

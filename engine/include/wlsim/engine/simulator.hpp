#pragma once
// The event kernel: a virtual clock and a queue of timers ordered by (time, insertion sequence), so
// equal times run in the order they were scheduled and a run is a pure function of its inputs.
//
// A timer names an EventHandler and a 64-bit token; the handler decodes the token. No std::function
// and no per-event allocation in steady state: slots for live timers are recycled, and the queue's
// buckets are vectors that keep their capacity.

#include <array>
#include <boost/container/small_vector.hpp>
#include <cstdint>

#include "wlsim/engine/time.hpp"

namespace wlsim::engine {

/// Receives the timers it scheduled. `token` is whatever the scheduler passed in.
class EventHandler {
 public:
  virtual void on_event(std::uint64_t token) = 0;

 protected:
  EventHandler() = default;
  EventHandler(const EventHandler&) = default;
  EventHandler& operator=(const EventHandler&) = default;
  ~EventHandler() = default;
};

/// Handle to a scheduled timer; stays safe to cancel after the timer fired or was cancelled.
struct TimerId {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  [[nodiscard]] constexpr bool valid() const noexcept { return slot != UINT32_MAX; }
};

/// Why a run call returned.
enum class RunOutcome { QueueEmpty, TimeLimit, Stopped, BudgetExhausted };

class Simulator {
 public:
  Simulator() = default;

  /// The current virtual time.
  [[nodiscard]] Time now() const noexcept { return now_; }

  /// Schedules `handler.on_event(token)` at `at` (>= now). The handler must outlive the timer or
  /// cancel it. Throws std::logic_error for a time in the past.
  TimerId schedule_at(Time at, EventHandler& handler, std::uint64_t token);
  TimerId schedule_in(Time delay, EventHandler& handler, std::uint64_t token) {
    return schedule_at(now_ + delay, handler, token);
  }

  /// Cancels a pending timer in O(1); returns false if it already fired or was cancelled.
  bool cancel(TimerId id) noexcept;
  /// Cancels `id` if pending and resets it to the invalid handle.
  void cancel_and_reset(TimerId& id) noexcept {
    cancel(id);
    id = TimerId{};
  }
  [[nodiscard]] bool is_pending(TimerId id) const noexcept;
  /// When a pending timer fires; Time::never() if it is not pending.
  [[nodiscard]] Time when(TimerId id) const noexcept;

  /// The pending timer `id` comes due `count` more times without calling its handler: each time
  /// it only counts as dispatched and comes due again `period` later, in the queue's order as if
  /// its handler had scheduled it again and done nothing else; the time after that calls the
  /// handler. For a handler that knows in advance that its next few calls would change nothing,
  /// and catches up on them when something asks (silent_repeats() tells how many are left).
  /// `count` 0 ends the repeats. Returns false, and changes nothing, if `id` is not pending or the
  /// period is not positive, above 2^32 - 1 us, or would carry the timer past the largest time.
  bool repeat_silently(TimerId id, Time period, std::uint32_t count) noexcept;
  /// The silent repeats the pending timer `id` has left (0 if it is not pending).
  [[nodiscard]] std::uint32_t silent_repeats(TimerId id) const noexcept;

  /// Runs every event with time <= limit, then sets the clock to `limit` (unless stopped).
  RunOutcome run_until(Time limit);
  /// Runs until no timer is pending or a stop is requested.
  RunOutcome run();
  /// At most this many events are dispatched in all; then run/run_until return BudgetExhausted
  /// before the next one (the clock stays at the last event dispatched). Unlimited by default.
  void set_event_budget(std::uint64_t max_dispatched) noexcept { budget_ = max_dispatched; }
  /// Makes the running run/run_until return after the current event.
  void request_stop() noexcept { stop_requested_ = true; }

  /// Timers still pending (cancelled ones excluded).
  [[nodiscard]] std::size_t pending() const noexcept { return live_; }
  /// Events dispatched so far.
  [[nodiscard]] std::uint64_t dispatched() const noexcept { return dispatched_; }
  /// Of them, silent repeats (repeat_silently).
  [[nodiscard]] std::uint64_t dispatched_silently() const noexcept { return silent_; }

 private:
  struct Entry {  // 16 bytes: the queue moves these, not the slots
    std::int64_t time;
    std::uint32_t slot;
    std::uint32_t generation;  // a mismatch with the slot's means the timer was cancelled
  };
  struct Slot {
    EventHandler* handler = nullptr;
    std::uint64_t token = 0;
    std::int64_t time = 0;
    std::uint32_t generation = 0;
    std::uint32_t repeats = 0;    // silent repeats left (repeat_silently)
    std::uint32_t period_us = 0;  // between them
    bool live = false;
  };

  // The queue is a radix heap over the times (see simulator.cpp): 64 buckets, where an entry lives
  // in bucket bit_width(time ^ base_), i.e. one past the highest bit where its time differs from
  // base_, the last minimum taken out; bucket 0 holds the entries whose time equals base_.
  static constexpr int kBuckets = 64;
  static constexpr std::int64_t kNoTime = INT64_MAX;
  // The per-event helpers are inline though only simulator.cpp defines and uses them; see there.
  [[nodiscard]] inline int bucket_of(std::int64_t time) const noexcept;
  inline void insert(const Entry& e);
  inline bool refill(std::int64_t limit);
  inline void release(std::uint32_t slot) noexcept;
  void drop_queue() noexcept;
  RunOutcome loop(Time limit);

  // A few entries of each bucket, and of the slots, live inside the simulator: a small run (a
  // replication of a Monte Carlo study) then allocates nothing for its queue; a fresh one grew
  // its vectors two dozen times.
  static constexpr std::size_t kInlineEntries = 4;
  static constexpr std::size_t kInlineSlots = 16;
  using Bucket = boost::container::small_vector<Entry, kInlineEntries>;
  std::array<Bucket, kBuckets> buckets_;
  std::size_t head_ = 0;        // bucket 0 is consumed from the front; head_ is the next entry
  std::uint64_t occupied_ = 0;  // bit b set iff buckets_[b] is non-empty, for b >= 1
  std::int64_t base_ = 0;       // every queued time is >= base_, and base_ <= now_ between events
  // least_[b]: the earliest time in buckets_[b] (cancelled entries included), kNoTime if empty;
  // meaningful for b >= 1.
  std::array<std::int64_t, kBuckets> least_ = [] {
    std::array<std::int64_t, kBuckets> a{};
    a.fill(kNoTime);
    return a;
  }();
  boost::container::small_vector<Slot, kInlineSlots> slots_;
  boost::container::small_vector<std::uint32_t, kInlineSlots> free_slots_;
  Time now_{};
  std::uint64_t dispatched_ = 0;
  std::uint64_t silent_ = 0;
  std::uint64_t budget_ = UINT64_MAX;
  std::size_t live_ = 0;
  bool stop_requested_ = false;
};

}  // namespace wlsim::engine

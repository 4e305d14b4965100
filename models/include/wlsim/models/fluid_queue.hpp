#pragma once
// One workload's requests in fluid mode (SEMANTICS.md §8): rates instead of requests. Between two
// calls of set() the offered load, the servers and the mean service time are constant; the queue
// then follows the M/M/c queue (erlang.hpp) when it can keep up, and a fluid backlog when it
// cannot (no server: requests wait at the activator; overload: the backlog grows), with the drops
// the activator's capacity and the request timeout impose. Counts are expected values.
//
// The regimes (c = servers, S = mean service time, mu = c / S, lambda = rate):
// - Stationary: no backlog, c > 0 and lambda x S < c x (1 - 1e-6). The M/M/c queue at its
//   stationary state: in service lambda x S, in flight Erlang's L; every arrival is served (served
//   == arrived; the few waits beyond the timeout, C x exp(-(mu - lambda) x timeout), are
//   neglected). Closer to saturation with no backlog (lambda <= mu) the fluid limit: in service
//   and in flight lambda x S, no wait.
// - Backlog: otherwise. The backlog is an exact FIFO fluid: the requests waiting beyond the
//   stationary queue, held as runs of arrival times with their density. New arrivals join its tail
//   (at the activator when c = 0, else in the replicas' queues); c > 0 serves its head at mu (all c
//   busy); the head leaves as a timeout when its age reaches the timeout. With c = 0 the backlog
//   also holds at most `activator_capacity`; an arrival that finds it full is dropped (full). So
//   under a constant load it grows at lambda - mu up to lambda x timeout (every arrival of the
//   last timeout seconds), then the excess lambda - mu times out; with c = 0 the activator's
//   capacity may bind first. With lambda < mu it drains at mu - lambda, and the stationary regime
//   resumes when it is empty. A served request waited its age at the head. A backlog above the
//   capacity when the servers go (their queues back at the activator) is kept, not cut: arrivals
//   find the activator full until it is below.
//   In this regime busy = c (0 with no server) and in flight = busy + backlog.
// - The stationary queue's content appears and vanishes with the load (fluid: no transient); the
//   counts do not carry it: arrived = served + dropped_timeout + dropped_full + backlog() at all
//   times (drop_all()'s loss aside, which the caller counts).
// Latencies (if `latency` is set): each integration step adds its served requests as 16 weighted
// samples, the conditional means of 16 strata of the step's latency distribution (narrow around
// p50, p90 and p99), so that their weighted mean is exact. Stationary: the M/M/c sojourn (Erlang
// C's exponential wait + an exponential service). Backlog: the head's age, uniform between its
// values at the step's two ends, + an exponential service. Service is taken as exponential (the
// M in M/M/c): fluid mode knows only its mean.

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/latency_stats.hpp"
#include "wlsim/models/latency_strata.hpp"
#include "wlsim/models/sojourn_memo.hpp"

namespace wlsim::models {

struct FluidTotals {
  double arrived = 0;
  double served = 0;  ///< requests whose service ended (fluid: counted as their service starts)
  double dropped_timeout = 0;
  double dropped_full = 0;        ///< found the activator full
  double in_flight_integral = 0;  ///< request-seconds in flight (waiting anywhere or served)
  double busy_integral = 0;       ///< request-seconds in service (cpu use follows it)
};

class FluidQueue {
 public:
  /// The leading bytes of the object that a step reads and writes (its members say which).
  static constexpr std::size_t kHotBytes = std::size_t{3} * 64;
  /// `latency` (may be null, must outlive the queue) receives the latencies of served requests as
  /// weighted samples, in step order; those of stationary steps in batches (read it after
  /// flush_latency()). `activator_capacity` >= 0 (may be infinite), `request_timeout` >= 0;
  /// throws std::invalid_argument otherwise. Time starts at zero with no load.
  /// `memo` (may be null, must outlive the queue) keeps the sojourn strata of the loads met, for
  /// every queue that shares it.
  FluidQueue(double activator_capacity, engine::Time request_timeout, LatencyStats* latency,
             SojournMemo* memo = nullptr);
  /// Not copied or moved: the batch of latencies refers to the queue's own strata.
  FluidQueue(const FluidQueue&) = delete;
  FluidQueue& operator=(const FluidQueue&) = delete;

  /// From `now` on (>= the last call): arrivals at `rate` per second, `servers` requests served at
  /// once (ready replicas x concurrency; 0: none ready, requests wait at the activator), service
  /// times of mean `mean_service_s` (> 0). Integrates up to `now` first. Throws
  /// std::invalid_argument unless 0 <= rate <= 1e12 (a rate below 1e-12 counts as 0), servers >= 0
  /// and 1e-9 <= mean_service_s <= 1e9, or if `now` is before the last call.
  void set(engine::Time now, double rate, int servers, double mean_service_s);
  /// Integrates up to `now` under the current load (`now` >= the last call).
  void advance(engine::Time now);
  /// The next instant the backlog's slope changes on its own under the current load (it empties,
  /// reaches its cap, its head starts timing out or reaches arrivals of another rate), rounded up
  /// to the microsecond (never before the instant itself, always after the last call); never if
  /// nothing will change. The caller calls advance() or set() then.
  [[nodiscard]] engine::Time next_change() const noexcept;

  /// Whether the queue keeps up with its load with no backlog: until the next set() every
  /// advance() is then one stationary step, so its in-flight integral can be foreseen.
  [[nodiscard]] bool steady() const noexcept { return keeps_up(); }
  /// Under a steady load: writes to `integral[i]` what totals().in_flight_integral would be after
  /// advance(at[0]), ..., advance(at[i]) in turn (`at` increasing, after the last call; as many
  /// as `integral` holds), bit for bit, without moving; in_flight() at each is steady_in_flight().
  void foresee(std::span<const engine::Time> at, std::span<double> integral) const noexcept;
  /// advance(at[0]), ..., advance(at[i]) in turn (`at` non-decreasing, not before the last call),
  /// writing totals().in_flight_integral and in_flight() after each to `integral[i]` and
  /// `in_flight[i]` (as many as both hold). Under a steady load, the same steps without asking at
  /// each whether the queue keeps up (a stationary step changes nothing that the answer depends
  /// on).
  void advance_steady(std::span<const engine::Time> at, std::span<double> integral,
                      std::span<double> in_flight);
  /// In flight while steady (after time has passed under the load).
  [[nodiscard]] double steady_in_flight() const noexcept {
    return stationary_ ? stationary_in_flight_ : rate_ * service_s_;
  }
  [[nodiscard]] double in_flight() const noexcept;  ///< now: in service + waiting
  [[nodiscard]] double busy() const noexcept;       ///< now: in service
  [[nodiscard]] double backlog() const noexcept;    ///< now: waiting beyond the stationary queue
  [[nodiscard]] const FluidTotals& totals() const noexcept { return totals_; }

  /// Hands the latencies of the stationary steps still held to `latency`, as add_strata() calls in
  /// step order (each a call the step would have made itself: `latency` ends exactly as if they
  /// had been made at once).
  void flush_latency();

  /// Every request waiting or in service is lost (the workload stopped or deleted); advances to
  /// `now` first and returns how many (backlog + stationary queue + in service). The queue is then
  /// empty: in_flight() is 0 until the next set() or until time passes under a load.
  double drop_all(engine::Time now);

 private:
  /// Waiting requests that arrived in [from_s, to_s) at `density` per second.
  struct Run {
    double from_s;
    double to_s;
    double density;
  };
  /// The waiting runs, oldest first: a vector and the index of its head (the front is consumed,
  /// the back extended), so that a queue without a backlog holds no memory for one.
  class Runs {
   public:
    [[nodiscard]] bool empty() const noexcept { return head_ == runs_.size(); }
    [[nodiscard]] std::size_t size() const noexcept { return runs_.size() - head_; }
    [[nodiscard]] Run& front() noexcept { return runs_[head_]; }
    [[nodiscard]] const Run& front() const noexcept { return runs_[head_]; }
    [[nodiscard]] Run& back() noexcept { return runs_.back(); }
    [[nodiscard]] const Run& back() const noexcept { return runs_.back(); }
    [[nodiscard]] const Run* begin() const noexcept { return runs_.data() + head_; }
    [[nodiscard]] const Run* end() const noexcept { return runs_.data() + runs_.size(); }
    void push_back(const Run& r);
    void pop_front() noexcept;
    void clear() noexcept;

   private:
    std::vector<Run> runs_;
    std::size_t head_ = 0;
  };
  using Stratum = LatencyStrata::Stratum;
  using Strata = LatencyStrata;
  struct Plan;  // the rates and the next event of one integration step (fluid_queue.cpp)

  [[nodiscard]] bool keeps_up() const noexcept;
  /// The in-flight integral after a stationary step from `from_s` to `to_s` at `level` in flight:
  /// the one sum that advance() and foresee() both make.
  [[nodiscard]] static double steady_step(double integral, double level, double from_s,
                                          double to_s) noexcept {
    return integral + level * (to_s - from_s);
  }
  [[nodiscard]] Plan plan(double t) const noexcept;
  void integrate_to(double t_end);
  /// advance(); `keeping_up`: known to keep up (keeps_up() true), so its step is stationary.
  void advance_to(engine::Time now, bool keeping_up);
  /// in_flight(), keeps_up() being `keeping_up`.
  [[nodiscard]] double in_flight_when(bool keeping_up) const noexcept;
  /// One stationary step from `t` to `t_end` (> t), the queue keeping up throughout.
  void stationary_step(double t, double t_end);
  void sample_latency(std::span<const Stratum> strata, double wait_s, double served);
  [[nodiscard]] const Strata& service_strata();
  /// A stationary step's sample (no wait) under `strata`, held until the batch is flushed.
  void defer_latency(const Strata& strata, double served);
  /// The M/M/c metrics of the current load, computed again only when the load differs from the
  /// one they were computed for; the sojourn strata are then made again when first needed.
  void update_stationary();
  /// The sojourn strata of the current stationary load, from the memo if it has them.
  [[nodiscard]] Strata sojourn_strata() const;

  /// Stationary steps' samples (served requests, in step order) under one set of strata, waiting
  /// for flush_latency(): a step (a KPA tick reads the queue at each) then touches this line only,
  /// not the strata and `latency`. Flushed before the strata change and before any other sample.
  /// Equal steps in a row are one run (a KPA tick every 2 s under a steady load serves the same
  /// count each time), handed over as one: LatencyStats fast-forwards a run exactly.
  struct Pending {
    const Strata* strata = nullptr;
    std::size_t count = 0;  ///< runs held
    std::array<LatencyStats::Steps, 3> runs{};
  };

  // What a step reads and writes comes first, together (kHotBytes: the fleet's queues do not fit
  // in the caches, and each step of each queue starts cold).
  LatencyStats* latency_;
  engine::Time now_;
  double rate_ = 0;
  double service_s_ = 1;
  int servers_ = 0;
  bool stationary_ = false;  ///< the M/M/c metrics below apply when there is no backlog
  bool emptied_ = false;     ///< drop_all() just ran: nothing is held until time passes or set()
  double stationary_in_flight_ = 0;
  Runs backlog_;
  FluidTotals totals_;
  Pending pending_;

  double activator_capacity_;
  engine::Time timeout_;
  double stationary_p_wait_ = 0;
  /// The load (rate, servers, service) that the stationary figures above and sojourn_strata_
  /// were computed for; servers 0: none yet.
  double stationary_rate_ = 0;
  int stationary_servers_ = 0;
  double stationary_service_s_ = 0;
  Strata sojourn_strata_;  ///< stationary; empty until a step serves under the load
  SojournMemo* memo_;
  /// The service time's strata (service_strata_s_ its mean), made when first needed: only the
  /// fluid limit and a backlog's narrow steps use them, so most queues never hold them.
  std::unique_ptr<Strata> service_strata_;
  double service_strata_s_ = 0;
};

}  // namespace wlsim::models

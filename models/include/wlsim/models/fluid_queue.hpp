#pragma once
// One workload's requests in fluid mode (SEMANTICS.md §8): rates instead of requests. Between two
// calls of set() the offered load, the servers and the mean service time are constant; the queue
// then follows the M/M/c queue (erlang.hpp) when it can keep up, and a fluid backlog when it
// cannot (no server: requests wait at the activator; overload: the backlog grows), with the drops
// the activator's capacity and the request timeout impose. Counts are expected values.

#include "wlsim/engine/time.hpp"
#include "wlsim/models/latency_stats.hpp"

namespace wlsim::models {

struct FluidTotals {
  double arrived = 0;
  double served = 0;  ///< requests whose service ended
  double dropped_timeout = 0;
  double dropped_full = 0;        ///< found the activator full
  double in_flight_integral = 0;  ///< request-seconds in flight (waiting anywhere or served)
  double busy_integral = 0;       ///< request-seconds in service (cpu use follows it)
};

class FluidQueue {
 public:
  /// `latency` (may be null, must outlive the queue) receives the latencies of served requests as
  /// weighted samples.
  FluidQueue(double activator_capacity, engine::Time request_timeout, LatencyStats* latency);

  /// From `now` on (>= the last call): arrivals at `rate` per second, `servers` requests served at
  /// once (ready replicas x concurrency; 0: none ready, requests wait at the activator), service
  /// times of mean `mean_service_s` (> 0). Integrates up to `now` first.
  void set(engine::Time now, double rate, int servers, double mean_service_s);
  /// Integrates up to `now` under the current load.
  void advance(engine::Time now);
  /// When the backlog next changes regime on its own (empties, or reaches its cap) under the
  /// current load; never if it will not. The caller calls advance() or set() then.
  [[nodiscard]] engine::Time next_change() const noexcept;

  [[nodiscard]] double in_flight() const noexcept;  ///< now: in service + waiting
  [[nodiscard]] double busy() const noexcept;       ///< now: in service
  [[nodiscard]] double backlog() const noexcept;    ///< now: waiting beyond the stationary queue
  [[nodiscard]] const FluidTotals& totals() const noexcept { return totals_; }

  /// Every request waiting or in service is lost (the workload stopped or deleted); returns how
  /// many.
  double drop_all(engine::Time now);

 private:
  double activator_capacity_;
  engine::Time timeout_;
  LatencyStats* latency_;
  engine::Time now_;
  double rate_ = 0;
  int servers_ = 0;
  double service_s_ = 1;
  double backlog_ = 0;
  FluidTotals totals_;
};

}  // namespace wlsim::models

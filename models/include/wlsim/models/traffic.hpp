#pragma once
// A workload's traffic (SEMANTICS.md §8): what every mode shares. Requests go only to the ready
// replicas of the proton that holds the traffic (the workload's active proton); while it has none
// they wait at the activator. Two implementations: every request simulated (request_traffic.hpp)
// and rates instead of requests (fluid_traffic.hpp).

#include <cstddef>
#include <span>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/latency_stats.hpp"

namespace wlsim::models {

class Proton;
class Replica;

/// What the traffic has done so far. Counts are expected values (fractions) in fluid mode.
struct TrafficTotals {
  double arrived = 0;
  double served = 0;
  double dropped_timeout = 0;      ///< waited longer than the request timeout
  double dropped_full = 0;         ///< found the activator full
  double dropped_torn_down = 0;    ///< held when the workload stopped or was deleted
  double cold_starts = 0;          ///< scale-ups from zero replicas that a request set off
  double cold_start_requests = 0;  ///< requests that waited at the activator for one
  double service_sum = 0;          ///< seconds of service of the served requests
};

/// Where the traffic reports the load: the workload's autoscaler.
class LoadListener {
 public:
  /// The load changed (an arrival, a departure, a new rate): a resting autoscaler looks again.
  virtual void on_load_changed() = 0;
  /// Requests (`in_flight` of them) wait and the proton holding the traffic has no replica: the
  /// activator asks for a scale from zero. Returns whether replicas are now on their way.
  virtual bool scale_from_zero(double in_flight) = 0;
  /// The traffic is about to move or be read: readings the listener let pass silently, because
  /// it foresaw them (Traffic::foresee), are taken first, at their own instants.
  virtual void catch_up() = 0;

 protected:
  ~LoadListener() = default;
};

/// What an autoscaler's tick reads of the traffic at one instant.
struct LoadReading {
  double in_flight_integral = 0;  ///< as Traffic::in_flight_integral()
  double in_flight = 0;           ///< as Traffic::in_flight()
};

/// The cores a request uses and what a replica serves at once, from the proton's primary
/// container.
struct ServingProfile {
  int concurrency = 1;
  double cpu_per_request = 0;  ///< cores
  double cpu_request = 0;      ///< cores the primary container requests
};
[[nodiscard]] ServingProfile serving_profile(const Proton& p);

class Traffic {
 public:
  virtual ~Traffic() = default;
  /// `holder` now holds the traffic: at creation, at a start after a stop, at a replacement's flip.
  /// Requests waiting for the previous holder move to it; requests in service finish where they
  /// are.
  virtual void hold(Proton& holder) = 0;
  /// The workload stopped or was deleted: every request held is dropped (torn down), and so is
  /// every arrival until hold() is called again.
  virtual void release() = 0;
  /// A replica of `p` became ready or stopped being ready.
  virtual void on_replica_readiness(Proton& p, Replica& r, bool ready) = 0;

  /// Up to now: the integral of the requests in flight (waiting anywhere or in service), and of
  /// those in service, in request-seconds.
  [[nodiscard]] virtual double in_flight_integral() = 0;
  [[nodiscard]] virtual double busy_integral() = 0;
  /// Requests in flight now.
  [[nodiscard]] virtual double in_flight() = 0;
  /// Both at `at` (>= the last reading, <= now): a listener's reading of an instant it let pass.
  /// Other readings and changes tell the listener to catch up first (LoadListener::catch_up), so
  /// this one is taken in its turn.
  /// A traffic that foresees nothing is read at now only: this default reads both now.
  [[nodiscard]] virtual LoadReading read_load(engine::Time at) {
    static_cast<void>(at);
    const double integral = in_flight_integral();
    return {integral, in_flight()};
  }
  /// read_load at each of `at` in turn (increasing), into `out` (as long as `at`): a listener's
  /// readings of the instants it let pass, taken together.
  virtual void read_loads(std::span<const engine::Time> at, std::span<LoadReading> out) {
    for (std::size_t i = 0; i < at.size() && i < out.size(); ++i) out[i] = read_load(at[i]);
  }
  /// The readings read_load would give at `at` (increasing, after now), bit for bit, if nothing
  /// else moved or read the traffic before them, as far as the traffic can tell: it fills `out`
  /// from the start and returns how many (0: it cannot foresee; never past its own next change).
  [[nodiscard]] virtual std::size_t foresee(std::span<const engine::Time> at,
                                            std::span<LoadReading> out) {
    static_cast<void>(at);
    static_cast<void>(out);
    return 0;
  }
  /// Up to now.
  [[nodiscard]] virtual const TrafficTotals& totals() = 0;
  /// Latency (waiting + service) of served requests, and the activator wait of cold-start ones.
  /// Not const, like totals(): fluid mode hands it the samples it still holds first.
  [[nodiscard]] virtual const LatencyStats& latency() = 0;
  [[nodiscard]] virtual const LatencyStats& cold_start_wait() const = 0;
  /// The bytes from the object's address that a reading above touches, for a reader that asks
  /// for them early (engine/prefetch.hpp); 0: not worth it.
  [[nodiscard]] virtual std::size_t reading_bytes() const noexcept { return 0; }
};

}  // namespace wlsim::models

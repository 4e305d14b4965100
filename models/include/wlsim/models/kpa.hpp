#pragma once
// The Knative Pod Autoscaler for `httpRequestsConcurrency` (SEMANTICS.md §8): one policy's
// recommender. At each tick it is given the running integral of the proton's requests in flight
// and its replica counts, keeps the windows itself, and returns the count it wants.

#include <deque>
#include <string>

#include "wlsim/engine/time.hpp"

namespace wlsim::models {

struct KpaParams {
  engine::Time tick = engine::Time::from_seconds(2);
  engine::Time stable_window = engine::Time::from_seconds(60);
  engine::Time panic_window = engine::Time::from_seconds(6);
  double panic_threshold = 2.0;  ///< panic desired / ready at or above it starts panic
  double max_scale_up_rate = 1000;
  double max_scale_down_rate = 2;
  engine::Time scale_to_zero_grace = engine::Time::from_seconds(30);
  double target_utilization = 1.0;  ///< Knative's own default is 0.7
};

/// What the KPA sees at one tick.
struct KpaObservation {
  engine::Time now;
  /// Integral of the requests in flight (in replicas and at the activator) over time, in
  /// request-seconds, from the moment observation began; non-decreasing. Its value between two
  /// ticks is interpolated linearly, which is exact when the ticks in between were skipped
  /// because nothing changed.
  double in_flight_integral = 0;
  int current = 0;  ///< replicas the proton has (its scale)
  int ready = 0;    ///< of them, ready
};

struct KpaDecision {
  int desired = 0;     ///< after the rate limits and the bounds
  bool panic = false;  ///< in panic after this tick
  /// Words for the SuccessfulRescale event; used only when desired differs from current.
  std::string reason;
};

class Kpa {
 public:
  /// `target`: requests in flight per replica; `start`: when observation begins (integral 0).
  Kpa(const KpaParams& params, double target, int min_count, int max_count, engine::Time start);

  /// One tick. Averages over the stable and panic windows (or over all that was observed when that
  /// is shorter); desired = ceil(average / (target x target_utilization)); panic starts when the
  /// panic desired / ready >= panic_threshold and ends once a stable window has passed without it;
  /// in panic the count never goes down; up at most x max_scale_up_rate, down at most
  /// / max_scale_down_rate (of max(ready, 1), as Knative); with nothing in flight for a whole
  /// stable window the count goes to zero once scale_to_zero_grace has passed as well (min_count 0
  /// only; until then it holds at least one replica).
  [[nodiscard]] KpaDecision tick(const KpaObservation& o);

  /// The count to scale to at once when a request finds no replica (the activator's poke):
  /// max(1, min_count, ceil(in_flight / (target x target_utilization))), at most max_count.
  [[nodiscard]] int activate(double in_flight) const;

  [[nodiscard]] bool panicking() const noexcept { return panic_; }
  /// Whether a tick at `now` with the same inputs as the last one would change nothing: the windows
  /// hold one constant value, no panic, no scale to zero pending. The autoscaler may then skip
  /// ticks until an input changes.
  [[nodiscard]] bool settled() const noexcept;

 private:
  struct Sample {
    engine::Time at;
    double integral;
  };
  KpaParams params_;
  double target_;
  int min_;
  int max_;
  engine::Time start_;
  std::deque<Sample> samples_;  ///< the last stable window of ticks, oldest first
  bool panic_ = false;
  engine::Time panic_since_ = engine::Time::never();  ///< last tick that was over the threshold
  engine::Time idle_since_ = engine::Time::never();   ///< first tick of an idle stable window
  bool settled_ = false;
};

}  // namespace wlsim::models

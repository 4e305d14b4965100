#pragma once
// The Knative Pod Autoscaler for `httpRequestsConcurrency` (SEMANTICS.md §8): one policy's
// recommender. At each tick it is given the running integral of the proton's requests in flight
// and its replica counts, keeps the windows itself, and returns the count it wants.

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <string_view>

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
  /// Requests in flight at this instant. A request that has just arrived has added nothing to the
  /// integral yet, but the activator has reported it (Knative's bucket of this second holds it):
  /// the proton is not idle.
  double in_flight = 0;
};

struct KpaDecision {
  int desired = 0;     ///< after the rate limits and the bounds
  bool panic = false;  ///< in panic after this tick
  /// Words for the SuccessfulRescale event (a constant: a tick allocates nothing); used only when
  /// desired differs from current.
  std::string_view reason;
  /// What the tick found, kept so that it can be retaken (Kpa::retake): the panic window's count
  /// at or over the threshold; idle (the stable window's average and the in-flight count 0).
  bool over_threshold = false;
  bool idle = false;
  bool settled = false;  ///< settled() after the tick
};

class Kpa {
 public:
  /// `target`: requests in flight per replica; `start`: when observation begins (integral 0).
  Kpa(const KpaParams& params, double target, int min_count, int max_count, engine::Time start);

  /// One tick. Averages over the stable and panic windows (or over all that was observed when that
  /// is shorter; a tick at `start` itself, with nothing observed, keeps the count); desired =
  /// ceil(average / (target x target_utilization)), up to ceil(max_scale_up_rate x max(ready, 1))
  /// and down to floor(max(ready, 1) / max_scale_down_rate), as Knative. Panic starts when the
  /// panic window's count reaches panic_threshold x max(ready, 1) and ends at the first tick a
  /// whole stable window after the last tick that was over it; in panic the count is the largest
  /// of the stable and panic counts and the count the previous tick decided (never down). Idle:
  /// the stable window's average is exactly 0 and a whole stable window has been observed; from
  /// the first idle tick, once scale_to_zero_grace has passed, the count may reach zero (min_count
  /// 0 only); until then a proton that has replicas keeps one. Clamped to [min_count, max_count].
  /// Ticks must come in non-decreasing time.
  [[nodiscard]] KpaDecision tick(const KpaObservation& o);

  /// The count to scale to at once when a request finds no replica (the activator's poke):
  /// max(1, min_count, ceil(in_flight / (target x target_utilization))), at most max_count.
  [[nodiscard]] int activate(double in_flight) const;

  [[nodiscard]] bool panicking() const noexcept { return panic_; }
  /// Whether a later tick with the same inputs (same concurrency, current and ready) would decide
  /// the same, so that the autoscaler may skip ticks until an input changes. True when the last
  /// tick: had observed a whole stable window; found every sampled segment that overlaps the stable
  /// window at one slope (the same concurrency, relative 1e-9, exactly 0 for 0) so both windows'
  /// averages equal the concurrency of the last two samples; was not in panic; had no scale to
  /// zero waiting for its grace period; and decided `current`. When it resumes after skipping, the
  /// autoscaler should tick first at the last tick time before the input changed (deciding the
  /// settled count again): interpolation across a segment is exact only while concurrency is
  /// constant over it.
  [[nodiscard]] bool settled() const noexcept;

  /// The tick `o` again, on a KPA in the state it had before `o` was ticked on a copy of it that
  /// decided `d` (for an autoscaler that foresaw the tick on a copy and let it pass): the same
  /// state as tick(o), without deciding again. Not for the tick at `start`.
  void retake(const KpaObservation& o, const KpaDecision& d);

  /// A reading of the integral between ticks, without a decision: the autoscaler takes one when
  /// an input changes after it skipped ticks, so the windows stay exact across the skipped span.
  void observe(engine::Time now, double in_flight_integral) { record(now, in_flight_integral); }

 private:
  struct Sample {
    engine::Time at;
    double integral;
  };
  /// The samples, oldest first, side by side in one buffer: a tick appends one at the end and drops
  /// those that left the window from the front; when the end reaches the buffer's, the samples
  /// move back to its start (or, if they fill most of it, to a buffer twice as large). So a tick's
  /// scans and searches walk plain memory, and a copy (a foreseen tick, Autoscaler) copies the
  /// live samples only. (A ring computed a wrapped index at every access, and the KPA's ticks are
  /// about a quarter of a 5,000-workload fleet-day's instructions.) The default window's buffer
  /// (60 s of 2 s ticks) lies inside the Kpa, so a tick reads its workload's autoscaler in one
  /// place: in a large fleet each separate block was a cache miss.
  class Samples {
   public:
    /// kpa.cpp's buffer_capacity() of the default parameters: 1.5 x (60 s / 2 s ticks + 3).
    static constexpr std::size_t kInline = 49;
    using Buffer = boost::container::small_vector<Sample, kInline>;
    explicit Samples(std::size_t capacity) : buffer_(capacity, boost::container::default_init) {}
    Samples(const Samples& other);
    Samples& operator=(const Samples& other);
    Samples(Samples&&) noexcept = default;
    Samples& operator=(Samples&&) noexcept = default;
    ~Samples() = default;
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// The samples, oldest first: data()[0, size()).
    [[nodiscard]] const Sample* data() const noexcept { return buffer_.data() + head_; }
    [[nodiscard]] const Sample& operator[](std::size_t i) const noexcept { return data()[i]; }
    [[nodiscard]] const Sample& front() const noexcept { return data()[0]; }
    [[nodiscard]] Sample& back() noexcept { return buffer_[head_ + size_ - 1]; }
    [[nodiscard]] const Sample& back() const noexcept { return data()[size_ - 1]; }
    void push_back(const Sample& s) {
      if (head_ + size_ == buffer_.size()) make_room();
      buffer_[head_ + size_] = s;
      ++size_;
    }
    void pop_front() noexcept {
      ++head_;
      --size_;
    }
    /// The index of the first sample from `first` on whose time is at or after `t` (size() if
    /// none).
    [[nodiscard]] std::size_t lower_bound(std::size_t first, engine::Time t) const noexcept;

   private:
    /// At the buffer's end: moves the samples to its start, or to a larger buffer. Apart from
    /// push_back, so that an append that needs neither is a few instructions inline.
    void make_room();
    Buffer buffer_;  ///< its size is the buffer's capacity
    std::size_t head_ = 0;
    std::size_t size_ = 0;
  };
  void record(engine::Time now, double integral);
  /// A tick's marks: panic starts or ends, the idle span starts or ends.
  void mark(engine::Time now, bool over_threshold, bool idle);
  /// The integral at `t`, linear between the samples around it.
  [[nodiscard]] double integral_at(engine::Time t) const;
  /// Mean concurrency over [max(start, now - window), now].
  [[nodiscard]] double average(engine::Time now, engine::Time window) const;
  /// The event's words for going from `current` to `desired`; `wanted`: before the bounds.
  [[nodiscard]] std::string_view reason(int current, int wanted, int desired, bool panic) const;
  /// Whether every sampled segment overlapping [now - stable_window, now] has the same slope.
  [[nodiscard]] bool constant_over_stable_window(engine::Time now) const;
  KpaParams params_;
  double target_;
  int min_;
  int max_;
  engine::Time start_;
  /// The ticks of the last stable window and the one before it (to interpolate at the window's
  /// start), oldest first; begins with (start, 0).
  Samples samples_;
  bool panic_ = false;
  engine::Time panic_since_ = engine::Time::never();  ///< last tick that was over the threshold
  engine::Time idle_since_ = engine::Time::never();   ///< first tick of an idle stable window
  bool settled_ = false;
  int last_desired_ = -1;  ///< what the previous tick decided; -1 before the first tick
  /// The rate limits for a ready count: up to ceil(max_scale_up_rate x max(ready, 1)), down to
  /// floor(max(ready, 1) / max_scale_down_rate); ready -1 before the first tick.
  struct RateLimits {
    int ready = -1;
    int up_to = 0;
    int down_to = 0;
  };
  RateLimits limits_;
};

}  // namespace wlsim::models

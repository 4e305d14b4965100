#pragma once
// Traffic in fluid mode (SEMANTICS.md §8): rates instead of requests, for fleets. The offered load
// is held constant between changes of rate (arrival_process.hpp's staircase) and changes of the
// ready replicas; in between, the fluid queue (fluid_queue.hpp) integrates it. A day costs events
// per change of rate or replicas, never per request.

#include <string>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/arrival_process.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/fluid_queue.hpp"
#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/traffic.hpp"
#include "wlsim/models/traffic_spec.hpp"

namespace wlsim::models {

class FluidTraffic final : public Traffic, public engine::EventHandler {
 public:
  /// `spec` must outlive it; `listener` (may be null) is told about load and scale from zero.
  FluidTraffic(const Context& ctx, const TrafficSpec& spec, const ActivatorParams& activator,
               LoadListener* listener);
  FluidTraffic(const FluidTraffic&) = delete;
  FluidTraffic& operator=(const FluidTraffic&) = delete;
  ~FluidTraffic() override;

  void hold(Proton& holder) override;
  void release() override;
  void on_replica_readiness(Proton& p, Replica& r, bool ready) override;
  [[nodiscard]] double in_flight_integral() override;
  [[nodiscard]] double busy_integral() override;
  [[nodiscard]] double in_flight() override;
  [[nodiscard]] LoadReading read_load(engine::Time at) override;
  /// The queue's readings at each instant, taken in one call (FluidQueue::advance_steady).
  void read_loads(std::span<const engine::Time> at, std::span<LoadReading> out) override;
  /// Foresees while the queue is steady, up to its next change of rate, at most kMostForeseen.
  [[nodiscard]] std::size_t foresee(std::span<const engine::Time> at,
                                    std::span<LoadReading> out) override;
  static constexpr std::size_t kMostForeseen = 64;
  [[nodiscard]] const TrafficTotals& totals() override;
  [[nodiscard]] const LatencyStats& latency() override {
    catch_up_listener();
    queue_.flush_latency();
    return latency_;
  }
  [[nodiscard]] const LatencyStats& cold_start_wait() const override { return cold_wait_; }
  /// Up to the queue's hot members: a reading advances the queue.
  [[nodiscard]] std::size_t reading_bytes() const noexcept override {
    return static_cast<std::size_t>(reinterpret_cast<const char*>(&queue_) -
                                    reinterpret_cast<const char*>(this)) +
           FluidQueue::kHotBytes;
  }

 private:
  static constexpr std::uint64_t kRateChange = 0;
  static constexpr std::uint64_t kQueueChange = 1;
  void on_event(std::uint64_t token) override;
  /// Applies the load from now on: rate, servers, and what follows from them.
  void refresh();
  void end_cold_start();
  /// Before the queue moves or is read for anyone but the listener's own readings.
  void catch_up_listener() {
    if (listener_ != nullptr) listener_->catch_up();
  }
  /// The queue brought to now, for anyone but the listener: the listener catches up first.
  void advance_to_now() {
    catch_up_listener();
    queue_.advance(ctx_.now());
  }

  const Context& ctx_;
  const TrafficSpec& spec_;
  LoadListener* listener_;
  double service_s_;
  FluidQueue queue_;
  LatencyStats latency_;
  LatencyStats cold_wait_;
  Proton* holder_ = nullptr;
  bool begun_ = false;
  bool released_ = false;
  engine::Time released_since_;
  double rate_ = 0;
  FluidStep step_;  ///< of the rate curve, read at step_from_
  engine::Time step_from_;
  engine::TimerId rate_timer_;
  engine::TimerId queue_timer_;
  bool cold_start_ = false;
  engine::Time cold_since_;
  double cold_arrived_ = 0;      ///< arrivals when the cold start began
  double stopped_arrivals_ = 0;  ///< arrivals while stopped, before the last restart
  double torn_down_ = 0;         ///< held when the workload stopped
  TrafficTotals totals_;
};

}  // namespace wlsim::models

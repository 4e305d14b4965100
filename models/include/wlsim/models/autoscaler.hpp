#pragma once
// A workload's autoscaler (SEMANTICS.md §8): the policies of the proton that holds the traffic,
// each recommending a count at its own period (the HPA's sync, the KPA's tick); the largest
// recommendation wins and becomes the proton's scale. A candidate's own policies start at the
// flip (§7), when it becomes the holder. The KPA rests while nothing it sees changes (no idle
// ticks), and wakes on the next change of load or readiness, on its tick grid.

#include <boost/container/small_vector.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/autoscaling_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/hpa.hpp"
#include "wlsim/models/kpa.hpp"
#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/traffic.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models {

class Proton;

/// The count a proton starts with: `count` when autoscaling is off, else clamped to the policies'
/// bounds (the largest minCount .. the largest maxCount).
[[nodiscard]] int initial_scale(const RuntimeSpec& runtime, int count);

/// The workload, told after the autoscaler changed something it shows (desired, scale, mode).
class AutoscalerOwner {
 public:
  virtual void on_autoscaled() = 0;

 protected:
  ~AutoscalerOwner() = default;
};

class Autoscaler final : public engine::EventHandler, public LoadListener {
 public:
  Autoscaler(const Context& ctx, const PlatformSettings& settings, AutoscalerOwner& owner);
  Autoscaler(const Autoscaler&) = delete;
  Autoscaler& operator=(const Autoscaler&) = delete;
  ~Autoscaler();

  /// `holder` now holds the traffic; its runtime's policies act from now on (none when its
  /// autoscaling is off). `traffic` (may be null) supplies the metrics.
  void attach(Proton& holder, Traffic* traffic);
  /// The workload stopped or was deleted.
  void detach();

  // LoadListener
  void on_load_changed() override;
  bool scale_from_zero(double in_flight) override;
  void catch_up() override;

  [[nodiscard]] bool active() const noexcept { return holder_ != nullptr && !policies_.empty(); }
  /// The count it last decided (the holder's scale when it has not decided yet).
  [[nodiscard]] int desired() const noexcept { return desired_; }
  /// The metric of the policy whose recommendation won the last decision ("" before any).
  [[nodiscard]] std::string_view policy() const noexcept { return policy_; }
  /// Whether a KPA policy is in panic.
  [[nodiscard]] bool panic() const noexcept;
  /// SuccessfulRescale events so far.
  [[nodiscard]] int scale_events() const noexcept { return scale_events_; }

 private:
  struct Policy {
    ScalingPolicy spec;
    std::variant<Hpa, Kpa> recommender;
    int recommended = 0;
    std::string_view reason;  ///< the recommender's words: a constant
    [[nodiscard]] Hpa* hpa() noexcept { return std::get_if<Hpa>(&recommender); }
    [[nodiscard]] Kpa* kpa() noexcept { return std::get_if<Kpa>(&recommender); }
    [[nodiscard]] const Kpa* kpa() const noexcept { return std::get_if<Kpa>(&recommender); }
  };
  static constexpr std::uint64_t kHpaSync = 0;
  static constexpr std::uint64_t kKpaTick = 1;
  void on_event(std::uint64_t token) override;
  void sync_hpa();
  void tick_kpa();
  /// Takes the ticks the KPA's timer let pass silently since the last one taken.
  void take_silent_ticks();
  /// After a tick that goes on ticking: the ticks that the traffic lets it foresee and that would
  /// change nothing (the same count, the same mode, not settling) pass silently.
  void foresee_ticks();
  /// The largest recommendation becomes the holder's scale.
  void decide();
  void rescale(int count, std::string_view reason);
  [[nodiscard]] bool has(ScalingMetric m) const noexcept {
    return m == ScalingMetric::CpuAverageUtilization ? has_hpa_ : has_kpa_;
  }

  const Context& ctx_;
  const PlatformSettings& settings_;
  AutoscalerOwner& owner_;
  Proton* holder_ = nullptr;
  Traffic* traffic_ = nullptr;
  std::size_t traffic_bytes_ = 0;  ///< traffic_->reading_bytes(), kept here: asked every tick
  /// Inline for the usual single policy: a tick then reads the policy and its KPA window where
  /// it reads the autoscaler (in a large fleet a separate block was a cache miss per tick).
  boost::container::small_vector<Policy, 1> policies_;
  bool has_hpa_ = false;  ///< a policy of policies_ is an HPA (kept with it: asked every tick)
  bool has_kpa_ = false;
  engine::Time anchor_;  ///< the tick grids start here
  engine::TimerId hpa_timer_;
  engine::TimerId kpa_timer_;
  bool kpa_resting_ = false;
  /// Ticks let pass silently (Simulator::repeat_silently on kpa_timer_) because the last tick
  /// foresaw that they change nothing; a large fleet's KPAs tick through their stable windows
  /// mostly so, and each tick read the workload's objects from memory. They are taken, at their
  /// own instants and in their turn, when something moves or reads the traffic
  /// (LoadListener::catch_up) or when the timer next calls; they decide with the counts they were
  /// foreseen with, since any change of those comes with a change of load.
  /// Each is retaken (Kpa::retake) from what its foresight found, so that it costs its reading
  /// of the traffic and a sample in the window, not a decision again.
  struct Foresight {
    static constexpr std::size_t kMost = 32;  ///< about a stable window of the default ticks
    /// While the ready count differs from the scale: 4 wasted at most when a replica's readiness
    /// ends the foresight, and nearly as many ticks silent as with kMost (99.4 % at 5,000
    /// workloads; 0 would take 6 % of the silent ticks one by one).
    static constexpr std::size_t kMostWhileStarting = 4;
    std::uint32_t silent = 0;  ///< asked of kpa_timer_ and not taken yet
    std::uint32_t taken = 0;   ///< of those foreseen, taken already
    std::uint32_t over_threshold = 0;  ///< bit i: Kpa::tick found it at the i-th tick foreseen
    std::uint32_t idle = 0;            ///< bit i: likewise
    int current = 0;
    int ready = 0;
    bool panic = false;
  };
  Foresight foresight_;
  engine::Time last_kpa_tick_ = engine::Time::never();
  engine::Time last_sync_;
  double last_busy_ = 0;
  double kpa_base_ = 0;  ///< the traffic's in-flight integral when the KPA began observing
  int desired_ = 0;
  std::string_view policy_;  ///< to_string() of a metric: a constant
  int scale_events_ = 0;
};

}  // namespace wlsim::models

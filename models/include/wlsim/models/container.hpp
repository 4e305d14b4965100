#pragma once
// A container of a replica: waits for its image (with the pull back-off of SEMANTICS.md §3),
// starts, runs the simulated application of its `behavior`, is probed (§2), and exits, crashes,
// hangs or is OOM-killed; it always restarts (restartPolicy Always) under the crash back-off of §4.
// Its state and readiness feed the replica's roll-up.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/backoff.hpp"
#include "wlsim/models/container_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/node.hpp"
#include "wlsim/models/probe.hpp"
#include "wlsim/models/recent_events.hpp"
#include "wlsim/models/status.hpp"

namespace wlsim::models {

class Container;

/// The replica, told whenever one of its containers changes state or readiness.
class ContainerOwner {
 public:
  virtual void on_container_changed(Container& c) = 0;
  /// The pod's name, for Kubernetes-style messages.
  [[nodiscard]] virtual const std::string& pod_name() const = 0;
  /// The pod's last events, where a container keeps the events it records.
  [[nodiscard]] virtual PodEvents& pod_events() = 0;

 protected:
  ~ContainerOwner() = default;
};

/// Kubernetes' container state.
enum class ContainerState { Waiting, Running, Terminated };
[[nodiscard]] const char* to_string(ContainerState s) noexcept;

/// A container's state with its reason, as one state of the container machine: the code its trace
/// records carry ("waiting:CrashLoopBackOff").
enum class ContainerStateCode : engine::TraceCode {};
[[nodiscard]] constexpr ContainerStateCode state_code(ContainerState s, Reason r) noexcept {
  return static_cast<ContainerStateCode>(static_cast<engine::TraceCode>(s) << 8 |
                                         static_cast<engine::TraceCode>(r));
}
/// "waiting:ContainerCreating", "running", "terminated:Error"; "" for a pair no container shows.
[[nodiscard]] std::string_view state_text(ContainerStateCode c) noexcept;

/// What a container contributes to its replica: errored while it waits in an error back-off
/// (CrashLoopBackOff, ImagePullBackOff, ErrImagePull), ready once running and ready, else
/// launching.
[[nodiscard]] ContainerCondition container_condition(ContainerState s, Reason r,
                                                     bool ready) noexcept;

class Container final : public engine::EventHandler, public ProbeTarget, public ImageRequester {
 public:
  Container(const Context& ctx, const ContainerSpec& spec, std::string path, ContainerOwner& owner);
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;
  ~Container();

  /// The pod is set up on `node`: fetch the image, then start.
  void create_on(Node& node);
  /// The pod is going away at once: stop everything, release the node's image queue.
  void remove();
  /// The pod is deleted (SEMANTICS.md §5): a running process gets SIGTERM and exits `shutdown`
  /// later (143) or is SIGKILLed at the end of the termination grace period (137); a container
  /// without a running process, or a grace period of 0, stops at once. No restart follows. Returns
  /// whether the pod must wait for the process (see deleting()).
  bool delete_gracefully();
  /// Deleted, its process not exited yet.
  [[nodiscard]] bool deleting() const noexcept { return deleting_; }
  /// Its node's kubelet is gone: everything stops where it is, silently (not ready, no probe, no
  /// restart, no exit recorded); only remove() follows.
  void abandon();

  [[nodiscard]] const ContainerSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] ContainerState state() const noexcept { return state_; }
  /// Kubernetes' reason for the current state (ContainerCreating, CrashLoopBackOff, OOMKilled;
  /// None while running).
  [[nodiscard]] Reason state_reason() const noexcept { return reason_; }
  /// The reason's name, for the API's JSON ("" while running).
  [[nodiscard]] std::string_view reason() const noexcept { return to_string(reason_); }
  /// The state as the trace writes it: "waiting:ContainerCreating", "running", "terminated:Error".
  [[nodiscard]] std::string_view state_text() const noexcept {
    return models::state_text(state_code(state_, reason_));
  }
  /// The last message about the state (the back-off, the pull error, the exit code); kept only
  /// where statusDetails can be asked (Context::keep_recent.pod_details), else empty.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] bool ready() const noexcept { return ready_; }
  [[nodiscard]] bool started_once() const noexcept { return !first_started_at_.is_never(); }
  [[nodiscard]] int restart_count() const noexcept { return restart_count_; }
  [[nodiscard]] int oom_kills() const noexcept { return oom_kills_; }
  /// Exit code of the last termination; none if it never terminated.
  [[nodiscard]] std::optional<int> last_exit_code() const noexcept { return last_exit_code_; }
  /// The reason of the last termination's name (Error, OOMKilled, Completed; "" if none).
  [[nodiscard]] std::string_view last_termination_reason() const noexcept {
    return to_string(last_reason_);
  }
  [[nodiscard]] ContainerCondition condition() const noexcept;
  /// Milestones of the first start, for the time-to-running breakdown (never if not reached).
  [[nodiscard]] engine::Time first_image_ready_at() const noexcept { return first_image_ready_at_; }
  [[nodiscard]] engine::Time first_up_at() const noexcept { return first_up_at_; }

  // ProbeTarget
  ProbeAnswer answer(const ProbeSpec& spec, ProbeKind kind) override;
  [[nodiscard]] engine::Time answer_fixed_until(const ProbeSpec& spec,
                                                ProbeKind kind) const override;
  void on_probe_committed(ProbeKind kind, bool success) override;
  void on_probe_failed(ProbeKind kind, const ProbeSpec& spec, ProbeFailure failure,
                       ProbeFailureSeries& series) override;

  // ImageRequester
  void on_pull_started() override;
  void on_image_ready(bool pulled) override;
  void on_image_failed(const std::string& message) override;

 private:
  enum Token : std::uint64_t { kEnd = 1, kRestart = 2, kRetryPull = 3, kKill = 4 };
  enum class End { None, CrashOnStart, Exit, OomKill, Sigterm };

  void on_event(std::uint64_t token) override;
  void fetch_image();
  void start();
  /// The process ended with `exit_code`, for `cause` if any ("exit code 143 (pod deleted)").
  void terminate(Reason reason, int exit_code, std::string_view cause = {});
  /// SIGTERM to the running process (once per run); `why` goes in the exit message.
  void send_sigterm(std::string why);
  void schedule_end(engine::Time at, End why, int code);
  void restart();
  void stop_probes();
  void set_state(ContainerState s, Reason reason, std::string_view message = {});
  void set_ready(bool ready);
  [[nodiscard]] bool up(engine::Time t) const noexcept { return t >= up_at_; }
  [[nodiscard]] bool hung(engine::Time t) const noexcept { return t >= hang_at_; }

  const Context& ctx_;
  const ContainerSpec& spec_;
  std::string path_;
  ContainerOwner& owner_;
  Node* node_ = nullptr;
  // One random stream per purpose: a draw for one cause never shifts another's.
  engine::RandomStream startup_rng_;
  engine::RandomStream latency_rng_;
  // What few containers use (an exit, crash or hang of their behaviour, a shutdown, a crash loop,
  // a failed pull): made on first use, so that the many that never do hold one pointer. A stream
  // made late draws the same: it is a function of (seed, path, purpose) alone.
  struct Rare {
    Rare(const Context& ctx, std::string_view path);
    engine::RandomStream exit_rng;
    engine::RandomStream crash_rng;
    engine::RandomStream hang_rng;
    engine::RandomStream shutdown_rng;
    Backoff crash_backoff;
    Backoff pull_backoff;
  };
  std::unique_ptr<Rare> rare_;
  Rare& rare() {
    if (!rare_) rare_ = std::make_unique<Rare>(ctx_, path_);
    return *rare_;
  }
  /// A draw of `d` from the stream `stream` of Rare; a constant needs no stream, so a fixed
  /// shutdown or exit makes no Rare.
  [[nodiscard]] engine::Time draw(const engine::Distribution& d,
                                  engine::RandomStream Rare::*stream) {
    return d.is_constant() ? engine::constant_duration(d)
                           : engine::sample_duration(d, rare().*stream);
  }

  ContainerState state_ = ContainerState::Waiting;
  Reason reason_ = Reason::ContainerCreating;
  std::string message_;
  bool ready_ = false;
  bool created_ = false;
  bool awaiting_image_ = false;
  bool deleting_ = false;   // the pod is deleted: its process is exiting, no restart follows
  bool abandoned_ = false;  // the node's kubelet is gone
  int restart_count_ = 0;
  int oom_kills_ = 0;
  std::optional<int> last_exit_code_;
  Reason last_reason_ = Reason::None;

  // The current run (from the last start).
  engine::Time started_at_ = engine::Time::never();
  engine::Time up_at_ = engine::Time::never();
  engine::Time hang_at_ = engine::Time::never();
  engine::Time exited_at_ = engine::Time::never();
  End end_ = End::None;
  int end_code_ = 0;
  engine::Time end_at_ = engine::Time::never();
  engine::TimerId end_timer_;
  // After SIGTERM: SIGKILL at the end of the grace period, unless the process exits before.
  std::string kill_cause_;  // empty: no SIGTERM sent in this run
  engine::TimerId kill_timer_;
  engine::TimerId wait_timer_;  // a crash-loop or image-pull back-off

  engine::Time pull_started_at_ = engine::Time::never();  // asked the node for the image
  engine::Time pull_began_at_ = engine::Time::never();    // its turn in the node's queue came
  engine::Time first_image_ready_at_ = engine::Time::never();
  engine::Time first_started_at_ = engine::Time::never();
  engine::Time first_up_at_ = engine::Time::never();

  std::optional<Probe> readiness_;
  // Rare, so on the heap when present: in place they would cost every container 2 x 176 bytes.
  std::unique_ptr<Probe> liveness_;
  std::unique_ptr<Probe> startup_;
};

}  // namespace wlsim::models

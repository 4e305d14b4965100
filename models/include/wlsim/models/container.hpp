#pragma once
// A container of a replica: waits for its image, starts, runs the simulated application of its
// `behavior`, and is probed. Its readiness feeds the replica's roll-up.

#include <memory>
#include <optional>
#include <string>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/container_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/node.hpp"
#include "wlsim/models/probe.hpp"
#include "wlsim/models/status.hpp"

namespace wlsim::models {

class Container;

/// The replica, told whenever one of its containers changes state or readiness.
class ContainerOwner {
 public:
  virtual void on_container_changed(Container& c) = 0;

 protected:
  ~ContainerOwner() = default;
};

/// Kubernetes' container state.
enum class ContainerState { Waiting, Running, Terminated };
[[nodiscard]] const char* to_string(ContainerState s) noexcept;

class Container final : public engine::EventHandler, public ProbeTarget, public ImageRequester {
 public:
  Container(const Context& ctx, const ContainerSpec& spec, std::string path, ContainerOwner& owner);
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;
  ~Container();

  /// The pod is set up on `node`: fetch the image, then start.
  void create_on(Node& node);
  /// The pod is going away: stop everything, release the node's image queue.
  void remove();

  [[nodiscard]] const ContainerSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] ContainerState state() const noexcept { return state_; }
  /// Kubernetes' reason for the current state ("ContainerCreating", "" when running).
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
  [[nodiscard]] bool ready() const noexcept { return ready_; }
  [[nodiscard]] int restart_count() const noexcept { return restart_count_; }
  [[nodiscard]] ContainerCondition condition() const noexcept;
  /// When the image became available and when the container last started (never if not yet).
  [[nodiscard]] engine::Time image_ready_at() const noexcept { return image_ready_at_; }
  [[nodiscard]] engine::Time started_at() const noexcept { return started_at_; }

  // ProbeTarget
  ProbeAnswer answer(const ProbeSpec& spec) override;
  [[nodiscard]] engine::Time answer_fixed_until(const ProbeSpec& spec) const override;
  void on_probe_committed(ProbeKind kind, bool success) override;
  void on_probe_failed(ProbeKind kind, const std::string& failure) override;

  // ImageRequester
  void on_pull_started() override;
  void on_image_ready(bool pulled) override;

 private:
  void on_event(std::uint64_t token) override;
  void start();
  void set_state(ContainerState s, std::string reason, std::string_view message = {});
  void set_ready(bool ready);
  [[nodiscard]] bool app_up(engine::Time t) const noexcept { return t >= up_at_; }

  const Context& ctx_;
  const ContainerSpec& spec_;
  std::string path_;
  ContainerOwner& owner_;
  Node* node_ = nullptr;
  engine::RandomStream startup_rng_;
  ContainerState state_ = ContainerState::Waiting;
  std::string reason_ = "ContainerCreating";
  bool ready_ = false;
  int restart_count_ = 0;
  engine::Time pull_started_at_ = engine::Time::never();  // asked the node for the image
  engine::Time pull_began_at_ = engine::Time::never();    // its turn in the node's queue came
  engine::Time image_ready_at_ = engine::Time::never();
  engine::Time started_at_ = engine::Time::never();
  engine::Time up_at_ = engine::Time::never();
  std::optional<Probe> readiness_;
  std::optional<Probe> liveness_;
  std::optional<Probe> startup_;
};

}  // namespace wlsim::models

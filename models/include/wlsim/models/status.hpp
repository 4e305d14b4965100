#pragma once
// The platform's lifecycle statuses and the roll-up of SEMANTICS.md §6, in one place:
// container → replica (most severe container wins) → proton (worst replica wins, errored is sticky)
// → workload (shows its active proton).

#include <cstddef>
#include <span>
#include <string_view>

namespace wlsim::models {

/// Statuses of replicas, protons and workloads. Declaration order is not severity; see severity().
enum class Status {
  Unknown,
  Submitted,
  Provisioning,
  Initializing,
  Launching,
  Warming,
  Running,
  Draining,
  Restarting,
  Errored,
  Stopping,
  Stopped,
  Suspended,
  Interrupted,
  Terminated,
};
/// How many statuses there are (for arrays indexed by a status).
inline constexpr std::size_t kStatusCount = static_cast<std::size_t>(Status::Terminated) + 1;

[[nodiscard]] std::string_view to_string(Status s) noexcept;

/// How bad a replica contribution is: errored > submitted > provisioning > launching > running.
/// The "worst" of several is the one with the highest severity.
[[nodiscard]] int severity(Status s) noexcept;

/// What a container contributes to its replica: launching while pulling, starting or not yet ready;
/// errored while in an error back-off; running once ready.
enum class ContainerCondition { Launching, Ready, Errored };

/// What a pod contributes, before its containers are looked at.
enum class PodStage { Unscheduled, SettingUp, ContainersStarted, Failed };

/// A replica's status from its pod stage and its containers (most severe wins).
[[nodiscard]] Status replica_status(PodStage stage,
                                    std::span<const ContainerCondition> containers) noexcept;

/// The worst of several replica statuses; `running` for none (a proton scaled to zero serves
/// nothing but is not failing).
[[nodiscard]] Status worst_of(std::span<const Status> replicas) noexcept;

/// Errored is sticky: from errored, only running (every container ready again) moves a status on.
[[nodiscard]] Status sticky(Status previous, Status computed) noexcept;

}  // namespace wlsim::models

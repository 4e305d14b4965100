#pragma once
// The trace's vocabulary: the kinds of record, the reasons, the states that are not a model's own
// status enum, and the one table that names them for the edges (trace sinks, JSON, Python). Models
// record and decide with these enums; the text exists only in the names.
//
// A record's from- and to-states are codes of its kind's state enum: Status for workload, proton
// and replica records, ProtonRole for role, ReplacementStatus, PodPhase for phase, a container's
// state and reason (container.hpp) for container, and the enums below for the other kinds.

#include <optional>
#include <string_view>
#include <type_traits>

#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

/// What a trace record is about.
enum class TraceKind : engine::TraceCode {
  Workload,     ///< a workload's status
  Proton,       ///< a proton's status
  Role,         ///< a proton's role (active, candidate, retiring)
  Replacement,  ///< a replacement's status
  Replica,      ///< a replica's status
  Phase,        ///< a pod's phase
  Pod,          ///< a pod condition (PodScheduled)
  Container,    ///< a container's state and reason
  Ready,        ///< a container's readiness
  Event,        ///< a Kubernetes event ("Normal" or "Warning")
  Fault,        ///< a fault injected by the scenario (the registry outage)
  Api,          ///< a Workload API call: from the request line, to the HTTP status
  Replicas,     ///< a proton's replica counts (desired, current, ready) in the message
};

/// Kubernetes' short machine-readable reasons: of container states, pod conditions, events and
/// faults. None is the empty reason.
enum class Reason : engine::TraceCode {
  None,
  ContainerCreating,
  ErrImagePull,
  ImagePullBackOff,
  CrashLoopBackOff,
  Error,
  OOMKilled,
  Completed,
  Unschedulable,
  Scheduled,
  FailedScheduling,
  Pulling,
  Pulled,
  Failed,
  BackOff,
  Killing,
  Unhealthy,
  RegistryOutage,
  RegistryRecovered,
  SuccessfulRescale,
  ColdStart,
  Preempted,             ///< event: a pod deleted by preemption (SEMANTICS.md §5)
  Nominated,             ///< event: a preemptor nominated to a node, waiting for its victims
  NodeNotReady,          ///< event: a pod's node went NotReady
  TaintManagerEviction,  ///< event: a pod of a NotReady node deleted after the eviction timeout
  ScaleDown,             ///< event: a pod deleted by the cluster autoscaler's node scale-down
};

/// The to-state of an event record.
enum class EventType : engine::TraceCode { Normal, Warning };
/// The to-state of a pod record: "PodScheduled=False", "PodScheduled=True".
enum class PodScheduled : engine::TraceCode { False, True };
/// The states of a ready record: "false", "true".
enum class Readiness : engine::TraceCode { False, True };
/// The states of a fault record about the registry: "available", "outage".
enum class RegistryState : engine::TraceCode { Available, Outage };
/// The states of a replicas record: who sets the count (a fixed replicaCount, the autoscaler in its
/// stable mode, or in panic).
enum class ScaleMode : engine::TraceCode { Fixed, Stable, Panic };
/// The to-state of an api record: the enumerator's value is the HTTP status (100 to 599).
enum class HttpStatus : engine::TraceCode {};

[[nodiscard]] std::string_view to_string(TraceKind k) noexcept;
[[nodiscard]] std::string_view to_string(Reason r) noexcept;
[[nodiscard]] std::string_view to_string(EventType t) noexcept;

/// A from- or to-state of a record: a value of its kind's state enum, or the start (no state: an
/// object's first record, a plain event). An enum's Unknown (Status, ReplacementStatus) is the
/// status an object has before its first record, so it is the start too.
class TraceState {
 public:
  /// The code of the start; named "".
  static constexpr engine::TraceCode kStart = 0xFFFE;

  constexpr TraceState() noexcept = default;
  template <class E>
  requires std::is_enum_v<E>
  constexpr TraceState(E e) noexcept  // NOLINT(google-explicit-constructor): any state enum
      : code_(static_cast<engine::TraceCode>(e)) {
    if constexpr (requires { E::Unknown; }) {
      if (e == E::Unknown) code_ = kStart;
    }
  }

  /// The state whose code is `code` (as a record carries it).
  [[nodiscard]] static constexpr TraceState from_code(engine::TraceCode code) noexcept {
    TraceState s;
    s.code_ = code;
    return s;
  }

  [[nodiscard]] constexpr engine::TraceCode code() const noexcept { return code_; }
  [[nodiscard]] constexpr bool is_start() const noexcept { return code_ == kStart; }
  friend constexpr bool operator==(TraceState, TraceState) noexcept = default;

 private:
  engine::TraceCode code_ = kStart;
};

/// The names of every code the models record; immutable, shared by every run.
[[nodiscard]] const engine::TraceVocabulary& trace_vocabulary() noexcept;

/// The name of a state of `kind` ("" for the start); "" as well for a code that is no state of it.
[[nodiscard]] std::string_view state_name(TraceKind kind, TraceState state) noexcept;

// The names read back, for the edges that receive text (tests, tools): none for an unknown name.
[[nodiscard]] std::optional<TraceKind> parse_kind(std::string_view name) noexcept;
[[nodiscard]] std::optional<Reason> parse_reason(std::string_view name) noexcept;
/// "" is the start.
[[nodiscard]] std::optional<TraceState> parse_state(TraceKind kind, std::string_view name) noexcept;

/// A record built from its text, as a sink would have written it; for tests and tools. Throws
/// std::invalid_argument for a name the vocabulary does not have (an api record's from-state is
/// free text and always accepted).
[[nodiscard]] engine::TraceRecord trace_record(engine::Time time, std::string object,
                                               std::string_view kind, std::string_view from,
                                               std::string_view to, std::string_view reason,
                                               std::string message);

}  // namespace wlsim::models

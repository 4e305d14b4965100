#pragma once
// The legal transitions of every status machine a run records, each one a directed graph
// (Boost.Graph) built in one place (transitions.cpp): container state, pod phase, replica status,
// proton status, workload status (SEMANTICS.md §4, §6) and replacement status (§7). The trace
// validator (scenarios/trace_check.hpp) checks every state change of a run against them, `wlsim
// graph KIND` prints them as Graphviz DOT, and tests ask reachability questions of them.
//
// Vertices are the states of the machine's enum (Status, PodPhase, ReplacementStatus, a container's
// state and reason), each with the name the trace spells it by ("waiting:CrashLoopBackOff",
// "Pending", "errored"), plus one start vertex named "" (TraceState{}, the from-state of an
// object's first record; "start" in DOT), so an object's first record is checked like any other.
// The trace validator asks by code; tests and tools may ask by name. Self-loops are never edges: a
// record always changes the state.
//
// Reachability and errored's stickiness. SEMANTICS.md §6 says an errored proton does not go back to
// launching. Read literally as "no path errored → launching" it would contradict running →
// launching (a running container that crashes restarts not ready), so the rule is pinned as:
// launching (and submitted, provisioning, initializing) is unreachable from errored on any path
// that avoids running — the only way out of errored towards progress is through running. In the
// workload graph a stop and a fresh start (stopping → stopped → initializing) is the other way
// back; it is a new start, not a recovery, so the workload rule avoids stopped as well. reachable()
// takes the avoided states as an argument so that tests state exactly which rule they pin.

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/models/trace_kinds.hpp"

namespace wlsim::models {

/// The status machines of a run, one per kind of state-change trace record.
enum class Machine { Container, Phase, Replica, Proton, Workload, Replacement };

/// Every machine, in declaration order.
inline constexpr std::array<Machine, 6> kAllMachines{Machine::Container, Machine::Phase,
                                                     Machine::Replica,   Machine::Proton,
                                                     Machine::Workload,  Machine::Replacement};

/// "container", "phase", "replica", "proton", "workload", "replacement": the trace kind and the CLI
/// name.
[[nodiscard]] std::string_view to_string(Machine m) noexcept;

/// The machine whose states a trace record of this kind carries; none for kinds that are not state
/// machines (event, ready, pod conditions, api, fault) nor for role (a proton's role is recorded
/// only when it changes, from the role it had: not a machine with a start vertex).
[[nodiscard]] std::optional<Machine> machine_for_kind(TraceKind kind) noexcept;
/// The kind of the trace records whose states the machine describes.
[[nodiscard]] TraceKind trace_kind(Machine m) noexcept;

/// The machine named on the command line (`wlsim graph KIND`): container, phase, replica, proton,
/// workload, replacement. None for anything else.
[[nodiscard]] std::optional<Machine> parse_machine(std::string_view name) noexcept;

/// One machine's legal transitions. Immutable once built; cheap to query.
class TransitionGraph {
 public:
  /// One state and its name.
  struct NamedState {
    TraceState state;
    std::string_view name;
  };
  /// One legal transition; from TraceState{} is the start vertex.
  struct Edge {
    TraceState from;
    TraceState to;
  };

  /// Builds a graph over `states` (in this order; neither the start TraceState{} nor the name ""
  /// may be among them: the start vertex is implicit) with the given edges, some states terminal.
  /// The platform's graphs are built once in transitions.cpp (see transition_graph()); this
  /// constructor is public so that tests can build small ones. Throws std::invalid_argument for an
  /// edge naming an unknown state, a duplicate state (code or name) or edge, a self-loop, an edge
  /// into the start vertex or out of a terminal state.
  TransitionGraph(std::string_view name, std::span<const NamedState> states,
                  std::span<const Edge> edges, std::span<const TraceState> terminal);
  ~TransitionGraph();
  TransitionGraph(TransitionGraph&&) noexcept;
  TransitionGraph& operator=(TransitionGraph&&) noexcept;
  TransitionGraph(const TransitionGraph&) = delete;
  TransitionGraph& operator=(const TransitionGraph&) = delete;

  /// The graph's name ("proton"); the DOT graph carries it.
  [[nodiscard]] const std::string& name() const noexcept;

  // The queries, by state (as records carry them) and by name (as the trace spells them; "" is the
  // start vertex).

  /// Whether `state` is one of the machine's states (the start vertex is not a state).
  [[nodiscard]] bool has_state(TraceState state) const noexcept;
  [[nodiscard]] bool has_state(std::string_view state) const noexcept;

  /// Whether from → to is a legal transition; from the start asks whether `to` may be an object's
  /// first state. False for unknown states.
  [[nodiscard]] bool allows(TraceState from, TraceState to) const noexcept;
  [[nodiscard]] bool allows(std::string_view from, std::string_view to) const noexcept;

  /// Whether a path of zero or more edges leads from `from` to `to` whose intermediate states are
  /// none of `avoiding` (the endpoints themselves are not checked against it). False for unknown
  /// states.
  [[nodiscard]] bool reachable(TraceState from, TraceState to,
                               std::span<const TraceState> avoiding = {}) const;
  [[nodiscard]] bool reachable(std::string_view from, std::string_view to,
                               std::span<const std::string_view> avoiding = {}) const;

  /// Whether `state` is terminal: once in it, an object records no further state of this machine.
  /// Terminal states have no outgoing edges.
  [[nodiscard]] bool is_terminal(TraceState state) const noexcept;
  [[nodiscard]] bool is_terminal(std::string_view state) const noexcept;

  /// The name of a state of the machine ("" for the start vertex and for unknown states).
  [[nodiscard]] std::string_view name_of(TraceState state) const noexcept;

  /// The states in declaration order, without the start vertex.
  [[nodiscard]] std::vector<std::string> states() const;

  /// The states one edge away from `from` ("" for the start vertex), in declaration order of edges.
  [[nodiscard]] std::vector<std::string> successors(std::string_view from) const;

  /// Graphviz DOT ("digraph <name> { ... }"), in declaration order so that it is the same text on
  /// every call: the start vertex is drawn as "start", terminal states with a double border.
  [[nodiscard]] std::string to_dot() const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

/// The legal transitions of one machine, built once on first use (thread-safe) and never changed.
[[nodiscard]] const TransitionGraph& transition_graph(Machine m);

}  // namespace wlsim::models

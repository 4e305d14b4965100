#include "wlsim/models/transitions.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/pending/queue.hpp>
#include <map>
#include <stdexcept>

#include "wlsim/models/container.hpp"
#include "wlsim/models/replacement.hpp"
#include "wlsim/models/replica.hpp"
#include "wlsim/models/status.hpp"

namespace wlsim::models {

std::string_view to_string(Machine m) noexcept {
  // A machine is named after the kind of its records.
  return to_string(trace_kind(m));
}

std::optional<Machine> parse_machine(std::string_view name) noexcept {
  for (const Machine m : kAllMachines) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

std::optional<Machine> machine_for_kind(TraceKind kind) noexcept {
  for (const Machine m : kAllMachines) {
    if (trace_kind(m) == kind) return m;
  }
  return std::nullopt;
}

TraceKind trace_kind(Machine m) noexcept {
  switch (m) {
    case Machine::Container:
      return TraceKind::Container;
    case Machine::Phase:
      return TraceKind::Phase;
    case Machine::Replica:
      return TraceKind::Replica;
    case Machine::Proton:
      return TraceKind::Proton;
    case Machine::Workload:
      return TraceKind::Workload;
    case Machine::Replacement:
      return TraceKind::Replacement;
  }
  return TraceKind::Container;
}

// ---------------------------------------------------------------------------------------------------
// The graph type and its queries.

namespace {

struct VertexProps {
  TraceState state;    ///< the state; TraceState{} for the start vertex
  std::string name;    ///< the state as the trace spells it; "" for the start vertex
  std::string dot_id;  ///< the DOT node id: the name, "start" for the start vertex
  bool terminal = false;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

constexpr TraceState kStart{};

/// A DOT identifier: bare when it is a plain name, else double-quoted ("waiting:ErrImagePull").
std::string dot_id(std::string_view id) {
  const bool bare = !id.empty() && !(id[0] >= '0' && id[0] <= '9') &&
                    std::all_of(id.begin(), id.end(), [](char c) {
                      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '_';
                    });
  if (bare) return std::string(id);
  std::string out = "\"";
  for (const char c : id) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

struct TransitionGraph::Impl {
  std::string name;
  Graph graph;
  std::map<std::string, Vertex, std::less<>> by_name;  ///< state name → vertex, the start too
  std::map<engine::TraceCode, Vertex> by_code;         ///< state code → vertex, the start too

  [[nodiscard]] std::optional<Vertex> find(std::string_view state) const {
    const auto it = by_name.find(state);
    if (it == by_name.end()) return std::nullopt;
    return it->second;
  }
  [[nodiscard]] std::optional<Vertex> find(TraceState state) const {
    const auto it = by_code.find(state.code());
    if (it == by_code.end()) return std::nullopt;
    return it->second;
  }

  template <class State>
  [[nodiscard]] bool allows(State from, State to) const noexcept {
    const auto u = find(from);
    const auto v = find(to);
    return u && v && boost::edge(*u, *v, graph).second;
  }

  template <class State>
  [[nodiscard]] bool reachable(State from, State to, std::span<const State> avoiding) const {
    const auto s = find(from);
    const auto t = find(to);
    if (!s || !t) return false;
    if (*s == *t) return true;
    // Avoided states start black, so the search never enters them; the endpoints are exempt.
    std::vector<boost::default_color_type> color(boost::num_vertices(graph), boost::white_color);
    for (const State a : avoiding) {
      const auto v = find(a);
      if (v && *v != *s && *v != *t) color[*v] = boost::black_color;
    }
    boost::queue<Vertex> queue;
    boost::breadth_first_visit(
        graph, *s, queue, boost::default_bfs_visitor{},
        boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, graph)));
    return color[*t] != boost::white_color;
  }

  template <class State>
  [[nodiscard]] bool is_terminal(State state) const noexcept {
    const auto v = find(state);
    return v && graph[*v].terminal;
  }
};

TransitionGraph::TransitionGraph(std::string_view name, std::span<const NamedState> states,
                                 std::span<const Edge> edges,
                                 std::span<const TraceState> terminal) {
  auto impl = std::make_unique<Impl>();
  impl->name = std::string(name);
  const auto fail = [&](const std::string& what) {
    throw std::invalid_argument("transition graph " + std::string(name) + ": " + what);
  };

  // add_vertex(g) then the properties: add_vertex(properties, g) draws a -Wuninitialized false
  // positive from Boost's named_graph at -O1 and above.
  const auto add_state = [&impl](const NamedState& s, std::string_view id) {
    const Vertex v = boost::add_vertex(impl->graph);
    impl->graph[v] = VertexProps{s.state, std::string(s.name), std::string(id), false};
    const bool new_name = impl->by_name.emplace(std::string(s.name), v).second;
    const bool new_code = impl->by_code.emplace(s.state.code(), v).second;
    return new_name && new_code;
  };
  add_state({kStart, ""}, "start");
  const auto shown = [&impl](TraceState s) {
    if (const auto v = impl->find(s)) return impl->graph[*v].dot_id;
    std::string code(1, '#');  // appended, not operator+: GCC 12 warns falsely (-Wrestrict) on that
    code += std::to_string(s.code());
    return code;
  };
  for (const NamedState& s : states) {
    if (s.name.empty() || s.state.is_start()) fail("the start vertex is implicit, not a state");
    if (!add_state(s, s.name)) fail("duplicate state " + std::string(s.name));
  }
  for (const TraceState s : terminal) {
    const auto v = impl->find(s);
    if (!v || s.is_start()) fail("terminal state " + shown(s) + " is not a state");
    impl->graph[*v].terminal = true;
  }
  for (const Edge& e : edges) {
    const std::string text = "edge " + shown(e.from) + " -> " + shown(e.to);
    const auto u = impl->find(e.from);
    const auto v = impl->find(e.to);
    if (!u || !v) fail(text + " names an unknown state");
    if (*u == *v) fail(text + " is a self-loop");
    if (e.to.is_start()) fail(text + " enters the start vertex");
    if (impl->graph[*u].terminal) fail(text + " leaves a terminal state");
    if (boost::edge(*u, *v, impl->graph).second) fail("duplicate " + text);
    boost::add_edge(*u, *v, impl->graph);
  }
  impl_ = std::move(impl);
}

TransitionGraph::~TransitionGraph() = default;
TransitionGraph::TransitionGraph(TransitionGraph&&) noexcept = default;
TransitionGraph& TransitionGraph::operator=(TransitionGraph&&) noexcept = default;

const std::string& TransitionGraph::name() const noexcept { return impl_->name; }

bool TransitionGraph::has_state(TraceState state) const noexcept {
  return !state.is_start() && impl_->find(state).has_value();
}

bool TransitionGraph::has_state(std::string_view state) const noexcept {
  return !state.empty() && impl_->find(state).has_value();
}

bool TransitionGraph::allows(TraceState from, TraceState to) const noexcept {
  return impl_->allows(from, to);
}

bool TransitionGraph::allows(std::string_view from, std::string_view to) const noexcept {
  return impl_->allows(from, to);
}

bool TransitionGraph::reachable(TraceState from, TraceState to,
                                std::span<const TraceState> avoiding) const {
  return impl_->reachable(from, to, avoiding);
}

bool TransitionGraph::reachable(std::string_view from, std::string_view to,
                                std::span<const std::string_view> avoiding) const {
  return impl_->reachable(from, to, avoiding);
}

bool TransitionGraph::is_terminal(TraceState state) const noexcept {
  return impl_->is_terminal(state);
}

bool TransitionGraph::is_terminal(std::string_view state) const noexcept {
  return impl_->is_terminal(state);
}

std::string_view TransitionGraph::name_of(TraceState state) const noexcept {
  const auto v = impl_->find(state);
  return v ? std::string_view(impl_->graph[*v].name) : std::string_view{};
}

std::vector<std::string> TransitionGraph::states() const {
  std::vector<std::string> out;
  for (const Vertex v : boost::make_iterator_range(boost::vertices(impl_->graph))) {
    if (!impl_->graph[v].name.empty()) out.push_back(impl_->graph[v].name);
  }
  return out;
}

std::vector<std::string> TransitionGraph::successors(std::string_view from) const {
  std::vector<std::string> out;
  const auto u = impl_->find(from);
  if (!u) return out;
  for (const Vertex v : boost::make_iterator_range(boost::adjacent_vertices(*u, impl_->graph))) {
    out.push_back(impl_->graph[v].name);
  }
  return out;
}

std::string TransitionGraph::to_dot() const {
  // Written here rather than with boost::write_graphviz, whose edge iterator draws GCC 12
  // -Wmaybe-uninitialized false positives at -O2; the text is the same shape.
  const Graph& g = impl_->graph;
  std::string out = "digraph " + dot_id(impl_->name) + " {\n";
  for (const Vertex v : boost::make_iterator_range(boost::vertices(g))) {
    const VertexProps& p = g[v];
    out += "  " + dot_id(p.dot_id) + " [label=" + dot_id(p.dot_id);
    if (p.name.empty()) out += ", shape=plaintext";
    if (p.terminal) out += ", peripheries=2";
    out += "];\n";
  }
  for (const Vertex u : boost::make_iterator_range(boost::vertices(g))) {
    for (const Vertex v : boost::make_iterator_range(boost::adjacent_vertices(u, g))) {
      out += "  " + dot_id(g[u].dot_id) + " -> " + dot_id(g[v].dot_id) + ";\n";
    }
  }
  out += "}\n";
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The platform's machines: every legal transition, in one place.

namespace {

using Edge = TransitionGraph::Edge;
using NamedState = TransitionGraph::NamedState;

void add(std::vector<Edge>& edges, TraceState from, std::initializer_list<TraceState> to) {
  for (const TraceState t : to) edges.push_back({from, t});
}

/// A machine's graph over `states`, each named as the machine's trace records spell it.
TransitionGraph build(Machine m, std::span<const TraceState> states, std::span<const Edge> edges,
                      std::span<const TraceState> terminal) {
  std::vector<NamedState> named;
  for (const TraceState s : states) named.push_back({s, state_name(trace_kind(m), s)});
  return TransitionGraph(to_string(m), named, edges, terminal);
}

// SEMANTICS.md §3, §4. A container is created waiting (ContainerCreating: pulling its image or
// starting); a failed pull shows ErrImagePull, then ImagePullBackOff until the retry; a crash or
// OOM kill terminates it and restartPolicy Always restarts it at once or after a CrashLoopBackOff
// wait. A restart may have to fetch its image again (ContainerCreating or ErrImagePull). Exiting 0
// is terminated:Completed and restarts too, so no container state is terminal: a container ends by
// no longer appearing (its pod removed); a container being removed while waiting shows Completed.
TransitionGraph build_container() {
  using enum ContainerState;
  constexpr TraceState creating = state_code(Waiting, Reason::ContainerCreating);
  constexpr TraceState err_pull = state_code(Waiting, Reason::ErrImagePull);
  constexpr TraceState pull_backoff = state_code(Waiting, Reason::ImagePullBackOff);
  constexpr TraceState crash_backoff = state_code(Waiting, Reason::CrashLoopBackOff);
  constexpr TraceState running = state_code(Running, Reason::None);
  constexpr TraceState error = state_code(Terminated, Reason::Error);
  constexpr TraceState oom = state_code(Terminated, Reason::OOMKilled);
  constexpr TraceState completed = state_code(Terminated, Reason::Completed);
  const std::array<TraceState, 8> states{creating, err_pull, pull_backoff, crash_backoff,
                                         running,  error,    oom,          completed};
  std::vector<Edge> edges;
  add(edges, kStart, {creating});
  add(edges, creating, {running, err_pull, completed});
  add(edges, err_pull, {pull_backoff, completed});
  add(edges, pull_backoff, {running, err_pull, completed});
  add(edges, running, {error, oom, completed});
  for (const TraceState t : {error, oom, completed}) {
    add(edges, t, {running, crash_backoff, creating, err_pull});
  }
  add(edges, crash_backoff, {running, creating, err_pull, completed});
  return build(Machine::Container, states, edges, {});
}

// The pod phase (Kubernetes): Pending until every container has started, then Running; Succeeded or
// Failed are final. A phase never goes back to Pending.
TransitionGraph build_phase() {
  using enum PodPhase;
  const std::array<TraceState, 4> states{Pending, Running, Succeeded, Failed};
  std::vector<Edge> edges;
  add(edges, kStart, {Pending});
  add(edges, Pending, {Running, Failed});
  add(edges, Running, {Succeeded, Failed});
  const std::array<TraceState, 2> terminal{Succeeded, Failed};
  return build(Machine::Phase, states, edges, terminal);
}

// SEMANTICS.md §6, one replica: submitted (no node) → provisioning (pod set-up) → launching →
// running, errored while a container backs off or the pod failed. A replica is not sticky: a crash
// of a running replica makes it launching or errored, and recovery goes back to launching or
// running. A pod whose node fails or that is evicted is rescheduled as the same replica: back to
// submitted. Set-up always shows provisioning, even when it takes zero time, so submitted →
// launching is not an edge; the containers may all be ready the instant set-up ends, so
// provisioning → running is. A pod deleted (its proton torn down) ends the replica terminated, from
// any state.
TransitionGraph build_replica() {
  using enum Status;
  const std::array<TraceState, 6> states{Submitted, Provisioning, Launching,
                                         Running,   Errored,      Terminated};
  std::vector<Edge> edges;
  add(edges, kStart, {Submitted});
  add(edges, Submitted, {Provisioning, Terminated});
  add(edges, Provisioning, {Launching, Errored, Running, Submitted, Terminated});
  add(edges, Launching, {Running, Errored, Submitted, Terminated});
  add(edges, Running, {Launching, Errored, Submitted, Terminated});
  add(edges, Errored, {Launching, Running, Submitted, Terminated});
  const std::array<TraceState, 1> terminal{Terminated};
  return build(Machine::Replica, states, edges, terminal);
}

constexpr std::array<TraceState, 4> kProgress{Status::Submitted, Status::Provisioning,
                                              Status::Launching, Status::Running};

/// Worst-of over replicas: a proton (and so a workload) can jump anywhere among the progress
/// states, in either direction (a replica added by a scale-up starts at submitted), and become
/// errored. Errored is sticky: it leaves only for running (every container ready again), or for
/// submitted when the failing pod is replaced by a new pending one (SEMANTICS.md §6).
void add_progress(std::vector<Edge>& edges) {
  using enum Status;
  add(edges, kStart, {Initializing});
  add(edges, Initializing, {Submitted, Provisioning, Launching, Running, Errored});
  for (const TraceState from : kProgress) {
    for (const TraceState to : kProgress) {
      if (from != to) edges.push_back({from, to});
    }
    add(edges, from, {Errored});
  }
  add(edges, Errored, {Running});
  // The failing pod replaced (evicted and recreated as a new, pending pod): the roll-up starts
  // afresh, at the new pod's submitted.
  add(edges, Errored, {Submitted});
}

// SEMANTICS.md §6, §7, a proton: initializing until its first replica reports, then the worst of
// its replicas (add_progress). Errored is sticky: it leaves only for running, draining or
// terminated, or for submitted when its failing pod is replaced.
//
// A rolling replacement's candidate shows warming instead of running during its warm-up: warming is
// running with a flag, so it is entered from and left for the progress states as running is (a
// replica that goes unready during the warm-up shows launching, and warming again once ready), but
// never from errored (the replacement fails an errored candidate at once) nor from initializing
// (the warm-up starts only once the candidate has been running). At the flip the candidate becomes
// the active proton: warming → running.
//
// At the flip the old proton drains, whatever it showed (but initializing, which never lasts beyond
// the instant of its start, and warming, which only a candidate shows); a draining proton shows
// draining until it is torn down, or until a rollback makes it active again (running: every replica
// of it is ready, or there is no rollback). Any non-terminal proton may be torn down (the old one
// after keepOldVersionMinutes; a cancelled or failed candidate; every proton of a stopped or
// deleted workload).
TransitionGraph build_proton() {
  using enum Status;
  const std::array<TraceState, 9> states{Initializing, Submitted, Provisioning, Launching, Running,
                                         Warming,      Errored,   Draining,     Terminated};
  std::vector<Edge> edges;
  add_progress(edges);
  for (const TraceState from : kProgress) add(edges, from, {Warming});
  add(edges, Warming, {Submitted, Provisioning, Launching, Running, Errored});
  for (const TraceState from : kProgress) add(edges, from, {Draining});
  add(edges, Errored, {Draining});
  // A rollback in the keep-old window: the kept proton, every replica still ready, is active again.
  add(edges, Draining, {Running});
  for (const TraceState from :
       {Initializing, Submitted, Provisioning, Launching, Running, Warming, Errored, Draining}) {
    add(edges, from, {Terminated});
  }
  const std::array<TraceState, 1> terminal{Terminated};
  return build(Machine::Proton, states, edges, terminal);
}

// A workload shows its active proton, so it moves as a proton does (add_progress) — but never
// warming (only a candidate warms up, and the flip makes it active and running) nor draining (only
// a proton that is no longer active drains). Stopped from any state of its proton (stopping →
// stopped, every proton torn down), started again (stopped → initializing, a fresh proton),
// deleted: a running workload through stopping (X → stopping → terminated), a stopped one at once
// (stopped → terminated). A stopped workload is not stopped again: stopped → stopping is not an
// edge.
TransitionGraph build_workload() {
  using enum Status;
  const std::array<TraceState, 9> states{Initializing, Submitted, Provisioning, Launching, Running,
                                         Errored,      Stopping,  Stopped,      Terminated};
  std::vector<Edge> edges;
  add_progress(edges);
  for (const TraceState from :
       {Initializing, Submitted, Provisioning, Launching, Running, Errored}) {
    add(edges, from, {Stopping});
  }
  add(edges, Stopping, {Stopped, Terminated});
  add(edges, Stopped, {Initializing, Terminated});
  const std::array<TraceState, 1> terminal{Terminated};
  return build(Machine::Workload, states, edges, terminal);
}

// SEMANTICS.md §7, a replacement: submitted and initializing at the POST (the candidate starts);
// promoting once every candidate replica is ready (the warm-up); finalizing when traffic flips;
// completed once the old proton is torn down. The candidate erroring, or not running within the
// deadline, ends it errored (from initializing or promoting). DELETE before the flip cancels it:
// deleting, the candidate reverted, finalizing, completed; DELETE in the keep-old window
// (finalizing) rolls it back the same way, outcome rolledBack. A stop or delete of the workload
// after the flip ends a finalizing replacement completed. `unknown` is never recorded, so it is not
// a state.
TransitionGraph build_replacement() {
  using enum ReplacementStatus;
  const std::array<TraceState, 7> states{Submitted, Initializing, Promoting, Finalizing,
                                         Deleting,  Completed,    Errored};
  std::vector<Edge> edges;
  add(edges, kStart, {Submitted});
  add(edges, Submitted, {Initializing, Deleting});
  add(edges, Initializing, {Promoting, Errored, Deleting});
  add(edges, Promoting, {Finalizing, Errored, Deleting});
  add(edges, Deleting, {Finalizing});
  // DELETE in the keep-old window rolls back: finalizing, deleting, finalizing, completed.
  add(edges, Finalizing, {Completed, Deleting});
  const std::array<TraceState, 2> terminal{Completed, Errored};
  return build(Machine::Replacement, states, edges, terminal);
}

}  // namespace

const TransitionGraph& transition_graph(Machine m) {
  // Built once, on first use (a function-local static is initialised exactly once, thread-safely),
  // and immutable afterwards.
  static const std::array<TransitionGraph, kAllMachines.size()> graphs{
      build_container(), build_phase(),    build_replica(),
      build_proton(),    build_workload(), build_replacement()};
  return graphs[static_cast<std::size_t>(m)];
}

}  // namespace wlsim::models

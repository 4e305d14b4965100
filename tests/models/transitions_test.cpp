// SEMANTICS.md §4, §6, §7: the legal transitions of every status machine, and the reachability
// rules.
#include "wlsim/models/transitions.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace wlsim::models;

namespace {
const TransitionGraph& container() { return transition_graph(Machine::Container); }
const TransitionGraph& phase() { return transition_graph(Machine::Phase); }
const TransitionGraph& replica() { return transition_graph(Machine::Replica); }
const TransitionGraph& proton() { return transition_graph(Machine::Proton); }
const TransitionGraph& workload() { return transition_graph(Machine::Workload); }
const TransitionGraph& replacement() { return transition_graph(Machine::Replacement); }

/// Whether every consecutive pair of `states`, from the start vertex, is an edge of `g`.
bool is_path(const TransitionGraph& g, std::initializer_list<std::string_view> states) {
  std::string_view from;
  for (const std::string_view to : states) {
    if (!g.allows(from, to)) return false;
    from = to;
  }
  return true;
}

// States of toy graphs: any codes will do.
constexpr TraceState kA = TraceState::from_code(1);
constexpr TraceState kB = TraceState::from_code(2);
constexpr TraceState kC = TraceState::from_code(3);
constexpr TraceState kNope = TraceState::from_code(9);

// The progress states a stuck-after-errored status must not reach without passing running.
constexpr std::array<std::string_view, 4> kBeforeRunning{"initializing", "submitted",
                                                         "provisioning", "launching"};
}  // namespace

TEST_CASE("trace kinds and CLI names map to machines", "[transitions]") {
  CHECK(machine_for_kind(TraceKind::Container) == Machine::Container);
  CHECK(machine_for_kind(TraceKind::Phase) == Machine::Phase);
  CHECK(machine_for_kind(TraceKind::Replica) == Machine::Replica);
  CHECK(machine_for_kind(TraceKind::Proton) == Machine::Proton);
  CHECK(machine_for_kind(TraceKind::Workload) == Machine::Workload);
  CHECK(machine_for_kind(TraceKind::Replacement) == Machine::Replacement);
  CHECK(parse_machine("replacement") == Machine::Replacement);
  CHECK_FALSE(machine_for_kind(TraceKind::Event));
  // A proton's role is recorded only when it changes (never from the start vertex); API calls and
  // faults are not state machines.
  CHECK_FALSE(machine_for_kind(TraceKind::Role));
  CHECK_FALSE(machine_for_kind(TraceKind::Api));
  CHECK_FALSE(machine_for_kind(TraceKind::Fault));
  CHECK_FALSE(machine_for_kind(TraceKind::Pod));
  CHECK_FALSE(machine_for_kind(TraceKind::Ready));
  for (const Machine m : kAllMachines) {
    CHECK(parse_machine(to_string(m)) == m);
    CHECK(transition_graph(m).name() == to_string(m));
    // The machine's name is its records' kind.
    CHECK(to_string(trace_kind(m)) == to_string(m));
    CHECK(machine_for_kind(trace_kind(m)) == m);
  }
  CHECK_FALSE(parse_machine("Proton"));
  CHECK_FALSE(parse_machine("pods"));
}

TEST_CASE("the graphs are built once", "[transitions]") {
  CHECK(&transition_graph(Machine::Proton) == &transition_graph(Machine::Proton));
}

TEST_CASE(
    "an object's first state: containers start waiting:ContainerCreating, pods Pending, "
    "replicas submitted, protons and workloads initializing",
    "[transitions]") {
  CHECK(container().successors("") == std::vector<std::string>{"waiting:ContainerCreating"});
  CHECK(phase().successors("") == std::vector<std::string>{"Pending"});
  CHECK(replica().successors("") == std::vector<std::string>{"submitted"});
  CHECK(proton().successors("") == std::vector<std::string>{"initializing"});
  CHECK(workload().successors("") == std::vector<std::string>{"initializing"});
  CHECK(replacement().successors("") == std::vector<std::string>{"submitted"});
  CHECK_FALSE(proton().has_state(""));
  CHECK_FALSE(proton().allows("", "running"));
}

TEST_CASE("container: a crash goes through terminated, then restarts at once or backs off",
          "[transitions]") {
  CHECK(container().allows("running", "terminated:Error"));
  CHECK(container().allows("running", "terminated:OOMKilled"));
  CHECK_FALSE(container().allows("running", "waiting:CrashLoopBackOff"));
  CHECK_FALSE(container().allows("running", "waiting:ContainerCreating"));
  for (const std::string_view t :
       {"terminated:Error", "terminated:OOMKilled", "terminated:Completed"}) {
    INFO(t);
    CHECK(container().allows(t, "running"));
    CHECK(container().allows(t, "waiting:CrashLoopBackOff"));
    CHECK(container().allows(t, "waiting:ContainerCreating"));
    CHECK(container().allows(t, "waiting:ErrImagePull"));
  }
  CHECK(container().allows("waiting:CrashLoopBackOff", "running"));
  CHECK_FALSE(container().allows("waiting:CrashLoopBackOff", "terminated:Error"));
}

TEST_CASE("container: a failed pull shows ErrImagePull, then ImagePullBackOff until the retry",
          "[transitions]") {
  CHECK(container().allows("waiting:ContainerCreating", "waiting:ErrImagePull"));
  CHECK(container().allows("waiting:ErrImagePull", "waiting:ImagePullBackOff"));
  CHECK_FALSE(container().allows("waiting:ErrImagePull", "running"));
  CHECK(container().allows("waiting:ImagePullBackOff", "waiting:ErrImagePull"));
  CHECK(container().allows("waiting:ImagePullBackOff", "running"));
  CHECK_FALSE(container().allows("waiting:ContainerCreating", "waiting:ImagePullBackOff"));
}

TEST_CASE("container: no state is terminal; exiting 0 restarts under restartPolicy Always",
          "[transitions]") {
  for (const std::string& s : container().states()) {
    INFO(s);
    CHECK_FALSE(container().is_terminal(s));
  }
  CHECK(container().states().size() == 8);
}

TEST_CASE("container: running is reachable from every state", "[transitions]") {
  for (const std::string& s : container().states()) {
    INFO(s);
    CHECK(container().reachable(s, "running"));
  }
  CHECK(container().reachable("", "running"));
}

TEST_CASE("phase: Pending, then Running, then Succeeded or Failed; never back to Pending",
          "[transitions]") {
  CHECK(phase().allows("Pending", "Running"));
  CHECK(phase().allows("Pending", "Failed"));
  CHECK(phase().allows("Running", "Succeeded"));
  CHECK(phase().allows("Running", "Failed"));
  CHECK_FALSE(phase().allows("Running", "Pending"));
  CHECK_FALSE(phase().reachable("Running", "Pending"));
  CHECK(phase().is_terminal("Succeeded"));
  CHECK(phase().is_terminal("Failed"));
  CHECK_FALSE(phase().is_terminal("Running"));
  CHECK(phase().successors("Failed").empty());
}

TEST_CASE("replica: set-up always shows provisioning; a rescheduled pod goes back to submitted",
          "[transitions]") {
  CHECK(replica().allows("submitted", "provisioning"));
  CHECK_FALSE(replica().allows("submitted", "launching"));
  CHECK_FALSE(replica().allows("submitted", "running"));
  CHECK(replica().allows("provisioning", "running"));
  for (const std::string_view s : {"provisioning", "launching", "running", "errored"}) {
    INFO(s);
    CHECK(replica().allows(s, "submitted"));
  }
}

TEST_CASE("replica: a deleted pod ends its replica terminated, from any state", "[transitions]") {
  for (const std::string_view s :
       {"submitted", "provisioning", "launching", "running", "errored"}) {
    INFO(s);
    CHECK(replica().allows(s, "terminated"));
  }
  CHECK_FALSE(replica().allows("", "terminated"));
}

TEST_CASE("replica: not sticky; a crash of a running replica relaunches it", "[transitions]") {
  CHECK(replica().allows("running", "launching"));
  CHECK(replica().allows("running", "errored"));
  CHECK(replica().allows("errored", "launching"));
  CHECK(replica().allows("errored", "running"));
  CHECK(replica().is_terminal("terminated"));
  CHECK(replica().successors("terminated").empty());
}

TEST_CASE("proton: worst-of may jump between any two progress states, in either direction",
          "[transitions]") {
  const std::array<std::string_view, 4> progress{"submitted", "provisioning", "launching",
                                                 "running"};
  for (const std::string_view a : progress) {
    for (const std::string_view b : progress) {
      INFO(a << " -> " << b);
      CHECK(proton().allows(a, b) == (a != b));
    }
  }
  for (const std::string_view s :
       {"initializing", "submitted", "provisioning", "launching", "running", "warming"}) {
    INFO(s);
    CHECK(proton().allows(s, "errored"));
  }
}

TEST_CASE("proton: any state but terminated may be torn down", "[transitions]") {
  for (const std::string& s : proton().states()) {
    INFO(s);
    CHECK(proton().allows(s, "terminated") == (s != "terminated"));
  }
}

TEST_CASE(
    "proton: errored leaves only for running, draining, terminated, or submitted when the failing "
    "pod is replaced",
    "[transitions]") {
  CHECK(proton().successors("errored") ==
        std::vector<std::string>{"running", "submitted", "draining", "terminated"});
  CHECK_FALSE(proton().allows("errored", "launching"));
  CHECK_FALSE(proton().allows("errored", "provisioning"));
  CHECK(proton().allows("errored", "submitted"));
  CHECK_FALSE(workload().allows("errored", "launching"));
  CHECK(workload().allows("errored", "submitted"));
}

TEST_CASE("proton: the old proton drains from whatever it showed at the flip, then is torn down",
          "[transitions]") {
  for (const std::string_view s :
       {"submitted", "provisioning", "launching", "running", "errored"}) {
    INFO(s);
    CHECK(proton().allows(s, "draining"));
  }
  // Only a candidate warms up, and a candidate never drains; initializing lasts an instant.
  CHECK_FALSE(proton().allows("warming", "draining"));
  CHECK_FALSE(proton().allows("initializing", "draining"));
  // A draining proton shows draining until it is torn down, or a rollback makes it active again.
  CHECK(proton().successors("draining") == std::vector<std::string>{"running", "terminated"});
  CHECK(proton().is_terminal("terminated"));
  CHECK_FALSE(proton().is_terminal("draining"));
}

TEST_CASE(
    "proton: a candidate warms up once running, flips to running, and may go unready and back",
    "[transitions]") {
  CHECK(is_path(proton(), {"initializing", "submitted", "provisioning", "launching", "running",
                           "warming", "running"}));
  // A replica unready during the warm-up, ready again; a replica that crashes into a back-off.
  CHECK(is_path(proton(), {"initializing", "submitted", "provisioning", "launching", "running",
                           "warming", "launching", "warming", "errored", "terminated"}));
  // Cancelled during the warm-up; rescheduled during the warm-up.
  CHECK(proton().allows("warming", "terminated"));
  CHECK(proton().allows("warming", "submitted"));
  CHECK(proton().allows("warming", "provisioning"));
  // The warm-up starts once the candidate has been running, and an errored candidate fails the
  // replacement at once: never warming straight from initializing or errored.
  CHECK_FALSE(proton().allows("initializing", "warming"));
  CHECK_FALSE(proton().allows("errored", "warming"));
  // Only through running, or through a replacement pod that starts afresh at submitted.
  const std::array<std::string_view, 2> running{"running", "submitted"};
  CHECK_FALSE(proton().reachable("errored", "warming", running));
}

TEST_CASE(
    "errored is sticky: launching is unreachable from errored except through running or a "
    "replacement pod (submitted)",
    "[transitions]") {
  const std::array<std::string_view, 2> running{"running", "submitted"};
  for (const std::string_view s : kBeforeRunning) {
    INFO(s);
    if (s != "submitted") CHECK_FALSE(proton().reachable("errored", s, running));
    // Through running it is reachable: a running container that crashes restarts not ready.
    CHECK(proton().reachable("errored", s) == (s != "initializing"));
  }
  CHECK(proton().reachable("errored", "launching"));
}

TEST_CASE("errored is sticky for a workload too, unless it is stopped and started afresh",
          "[transitions]") {
  const std::array<std::string_view, 1> running{"running"};
  const std::array<std::string_view, 3> running_stopped{"running", "stopped", "submitted"};
  for (const std::string_view s : kBeforeRunning) {
    INFO(s);
    if (s != "submitted") CHECK_FALSE(workload().reachable("errored", s, running_stopped));
    // A stop and a fresh start is the other way back (not a recovery).
    CHECK(workload().reachable("errored", s, running));
  }
}

TEST_CASE("errored is sticky for replicas not at all, for replacements for good", "[transitions]") {
  CHECK(replica().allows("errored", "launching"));
  CHECK(replacement().is_terminal("errored"));
  CHECK_FALSE(replacement().reachable("errored", "completed"));
}

TEST_CASE("workload: stoppable from any state of its proton; stopped starts again initializing",
          "[transitions]") {
  for (const std::string_view s :
       {"initializing", "submitted", "provisioning", "launching", "running", "errored"}) {
    INFO(s);
    CHECK(workload().allows(s, "stopping"));
    CHECK_FALSE(proton().has_state("stopping"));
  }
  CHECK(workload().allows("stopping", "stopped"));
  CHECK(workload().allows("stopped", "initializing"));
  CHECK_FALSE(workload().allows("stopped", "running"));
  // A stopped workload is not stopped again.
  CHECK_FALSE(workload().allows("stopped", "stopping"));
  CHECK(workload().is_terminal("terminated"));
  CHECK_FALSE(workload().is_terminal("stopped"));
  CHECK(is_path(workload(),
                {"initializing", "submitted", "provisioning", "launching", "running", "stopping",
                 "stopped", "initializing", "running", "stopping", "stopped", "terminated"}));
}

TEST_CASE("workload: a delete goes through stopping unless the workload is stopped",
          "[transitions]") {
  CHECK(is_path(workload(), {"initializing", "launching", "running", "stopping", "terminated"}));
  CHECK(workload().allows("stopped", "terminated"));
  for (const std::string_view s :
       {"initializing", "submitted", "provisioning", "launching", "running", "errored"}) {
    INFO(s);
    CHECK_FALSE(workload().allows(s, "terminated"));
  }
}

TEST_CASE("workload: shows its active proton, which is never warming nor draining",
          "[transitions]") {
  CHECK_FALSE(workload().has_state("warming"));
  CHECK_FALSE(workload().has_state("draining"));
  CHECK(proton().has_state("warming"));
  CHECK(proton().has_state("draining"));
}

TEST_CASE("replacement: every status sequence of SEMANTICS.md §7 is a path", "[transitions]") {
  // Rolling, to the end.
  CHECK(is_path(replacement(),
                {"submitted", "initializing", "promoting", "finalizing", "completed"}));
  // The candidate errored, or was not running within the deadline.
  CHECK(is_path(replacement(), {"submitted", "initializing", "errored"}));
  CHECK(is_path(replacement(), {"submitted", "initializing", "promoting", "errored"}));
  // Cancelled (DELETE) before the flip.
  CHECK(is_path(replacement(), {"submitted", "deleting", "finalizing", "completed"}));
  CHECK(
      is_path(replacement(), {"submitted", "initializing", "deleting", "finalizing", "completed"}));
  CHECK(is_path(replacement(),
                {"submitted", "initializing", "promoting", "deleting", "finalizing", "completed"}));
}

TEST_CASE(
    "replacement: completed and errored are terminal; no way back; after the flip only a "
    "rollback (deleting)",
    "[transitions]") {
  CHECK(replacement().is_terminal("completed"));
  CHECK(replacement().is_terminal("errored"));
  for (const std::string& s : replacement().states()) {
    INFO(s);
    CHECK(replacement().is_terminal(s) == (s == "completed" || s == "errored"));
  }
  CHECK_FALSE(replacement().reachable("errored", "completed"));
  CHECK_FALSE(replacement().reachable("completed", "errored"));
  CHECK_FALSE(replacement().allows("finalizing", "promoting"));
  CHECK(replacement().allows("finalizing", "deleting"));  // the rollback window (§7)
  CHECK_FALSE(replacement().allows("finalizing", "errored"));
  CHECK_FALSE(replacement().allows("deleting", "errored"));
  CHECK_FALSE(replacement().allows("deleting", "completed"));
  CHECK_FALSE(replacement().allows("submitted", "promoting"));
  CHECK_FALSE(replacement().reachable("promoting", "initializing"));
  CHECK(replacement().successors("finalizing") ==
        std::vector<std::string>{"completed", "deleting"});
  // unknown exists in the API's enum but is never recorded.
  CHECK_FALSE(replacement().has_state("unknown"));
  CHECK(replacement().states().size() == 7);
}

// Draining reaches running only by a rollback in the keep-old window (§7), else it is torn down.
TEST_CASE(
    "running (a replacement: completed) is reachable from every non-terminal state; draining only "
    "directly, by a rollback",
    "[transitions]") {
  for (const Machine m : kAllMachines) {
    const TransitionGraph& g = transition_graph(m);
    const std::string running = m == Machine::Phase         ? "Running"
                                : m == Machine::Replacement ? "completed"
                                                            : "running";
    REQUIRE(g.has_state(running));
    CHECK(g.reachable("", running));
    for (const std::string& s : g.states()) {
      INFO(g.name() << ": " << s);
      if (g.is_terminal(s)) {
        CHECK(g.successors(s).empty());
        if (s != running) CHECK_FALSE(g.reachable(s, running));
      } else if (s == "draining") {
        CHECK(g.successors(s) == std::vector<std::string>{"running", "terminated"});
      } else {
        CHECK(g.reachable(s, running));
      }
    }
  }
}

TEST_CASE(
    "reachable: zero-length paths count, endpoints are exempt from avoiding, unknown states "
    "reach nothing",
    "[transitions]") {
  const std::array<TransitionGraph::NamedState, 3> states{{{kA, "a"}, {kB, "b"}, {kC, "c"}}};
  const std::array<TransitionGraph::Edge, 3> edges{{{{}, kA}, {kA, kB}, {kB, kC}}};
  const TransitionGraph g("toy", states, edges, {});
  const std::array<std::string_view, 1> avoid_b{"b"};
  const std::array<std::string_view, 2> avoid_ac{"a", "c"};
  CHECK(g.reachable("a", "a"));
  CHECK(g.reachable("a", "c"));
  CHECK_FALSE(g.reachable("c", "a"));
  CHECK_FALSE(g.reachable("a", "c", avoid_b));
  CHECK(g.reachable("a", "c", avoid_ac));
  CHECK(g.reachable("", "c"));
  CHECK_FALSE(g.reachable("a", "nope"));
  CHECK_FALSE(g.reachable("nope", "nope"));
  CHECK_FALSE(g.allows("nope", "a"));
  // The same questions by state.
  const std::array<TraceState, 1> avoid_kb{kB};
  CHECK(g.reachable(kA, kC));
  CHECK_FALSE(g.reachable(kA, kC, avoid_kb));
  CHECK(g.reachable(TraceState{}, kC));
  CHECK_FALSE(g.reachable(kA, kNope));
  CHECK(g.allows(kA, kB));
  CHECK_FALSE(g.allows(kA, kC));
  CHECK(g.name_of(kC) == "c");
  CHECK(g.name_of(kNope).empty());
}

TEST_CASE("a malformed graph is refused when it is built", "[transitions]") {
  const std::array<TransitionGraph::NamedState, 2> states{{{kA, "a"}, {kB, "b"}}};
  const std::array<TraceState, 1> terminal_b{kB};
  const std::array<TransitionGraph::Edge, 1> unknown{{{kA, kNope}}};
  const std::array<TransitionGraph::Edge, 1> loop{{{kA, kA}}};
  const std::array<TransitionGraph::Edge, 1> into_start{{{kA, {}}}};
  const std::array<TransitionGraph::Edge, 1> out_of_terminal{{{kB, kA}}};
  const std::array<TransitionGraph::Edge, 2> twice{{{kA, kB}, {kA, kB}}};
  const std::array<TransitionGraph::NamedState, 2> duplicate{{{kA, "a"}, {kA, "a"}}};
  const std::array<TransitionGraph::NamedState, 2> duplicate_name{{{kA, "a"}, {kB, "a"}}};
  const std::array<TransitionGraph::NamedState, 2> duplicate_code{{{kA, "a"}, {kA, "b"}}};
  const std::array<TransitionGraph::NamedState, 1> start_state{{{TraceState{}, "s"}}};
  const std::array<TransitionGraph::NamedState, 1> unnamed{{{kA, ""}}};
  CHECK_THROWS_AS(TransitionGraph("t", duplicate_name, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", duplicate_code, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", start_state, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", unnamed, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", states, unknown, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", states, loop, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", states, into_start, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", states, out_of_terminal, terminal_b), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", states, twice, {}), std::invalid_argument);
  CHECK_THROWS_AS(TransitionGraph("t", duplicate, {}, {}), std::invalid_argument);
}

TEST_CASE("DOT output names the machine, every state and every edge, the same on every call",
          "[transitions]") {
  for (const Machine m : kAllMachines) {
    const TransitionGraph& g = transition_graph(m);
    const std::string dot = g.to_dot();
    INFO(dot);
    CHECK(dot.starts_with("digraph " + std::string(to_string(m)) + " {\n"));
    CHECK(dot.ends_with("}\n"));
    CHECK(dot.find("  start [label=start, shape=plaintext];\n") != std::string::npos);
    for (const std::string& s : g.states()) {
      INFO(s);
      CHECK(dot.find("label=" + (s.find(':') != std::string::npos ? "\"" + s + "\"" : s)) !=
            std::string::npos);
    }
    CHECK(dot == g.to_dot());
  }
  const std::string dot = proton().to_dot();
  CHECK(dot.find("  errored -> running;\n") != std::string::npos);
  CHECK(dot.find("errored -> launching") == std::string::npos);
  CHECK(dot.find("  terminated [label=terminated, peripheries=2];\n") != std::string::npos);
  CHECK(container().to_dot().find("  \"waiting:CrashLoopBackOff\" -> running;\n") !=
        std::string::npos);
  const std::string rep = replacement().to_dot();
  CHECK(rep.starts_with("digraph replacement {\n"));
  CHECK(rep.find("  start -> submitted;\n") != std::string::npos);
  CHECK(rep.find("  completed [label=completed, peripheries=2];\n") != std::string::npos);
  CHECK(rep.find("  errored [label=errored, peripheries=2];\n") != std::string::npos);
}

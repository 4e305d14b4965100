// The trace's vocabulary (models/trace_kinds.hpp): models record enums, the names exist only for
// the edges, read back to the same codes, and hash as the text they stand for; the container's
// errored decision and the recent-records rings work from the enums.
#include "wlsim/models/trace_kinds.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/container.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/recent_events.hpp"
#include "wlsim/models/replacement.hpp"
#include "wlsim/models/replica.hpp"
#include "wlsim/models/status.hpp"
#include "wlsim/models/transitions.hpp"

using wlsim::engine::MemorySink;
using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using wlsim::engine::TraceCode;
using wlsim::engine::TraceRecord;
using namespace wlsim::models;

namespace {

constexpr TraceCode kLastKind = static_cast<TraceCode>(TraceKind::Node);
constexpr TraceCode kLastReason = static_cast<TraceCode>(Reason::NodeLost);

struct Rig {
  Simulator sim;
  Trace trace;
  MemorySink sink;
  Context ctx{sim, trace, 1};
  Rig() { trace.add_sink(sink); }
};

}  // namespace

TEST_CASE("every kind and reason name reads back to its enum, and the names are distinct",
          "[trace_kinds]") {
  std::set<std::string_view> kinds;
  for (TraceCode c = 0; c <= kLastKind; ++c) {
    const auto k = static_cast<TraceKind>(c);
    INFO(to_string(k));
    CHECK_FALSE(to_string(k).empty());
    CHECK(parse_kind(to_string(k)) == k);
    CHECK(trace_vocabulary().kind(c) == to_string(k));
    CHECK(kinds.insert(to_string(k)).second);
  }
  std::set<std::string_view> reasons;
  for (TraceCode c = 0; c <= kLastReason; ++c) {
    const auto r = static_cast<Reason>(c);
    INFO(to_string(r));
    CHECK(parse_reason(to_string(r)) == r);
    CHECK(trace_vocabulary().reason(c) == to_string(r));
    CHECK(reasons.insert(to_string(r)).second);
  }
  CHECK(to_string(Reason::None).empty());
  CHECK(to_string(Reason::CrashLoopBackOff) == "CrashLoopBackOff");
  CHECK_FALSE(parse_kind("Container"));
  CHECK_FALSE(parse_reason("crashloopbackoff"));
  // Codes beyond the enums have no name.
  CHECK(trace_vocabulary().kind(kLastKind + 1).empty());
  CHECK(trace_vocabulary().reason(kLastReason + 1).empty());
}

TEST_CASE(
    "every state name of every kind reads back to its code, and no two states of a kind share "
    "a name",
    "[trace_kinds]") {
  for (TraceCode k = 0; k <= kLastKind; ++k) {
    const auto kind = static_cast<TraceKind>(k);
    std::set<std::string_view> names;
    int named = 0;
    for (TraceCode c = 0; c < 1024; ++c) {
      const std::string_view name = state_name(kind, TraceState::from_code(c));
      if (name.empty()) continue;
      ++named;
      INFO(to_string(kind) << " " << name);
      CHECK(parse_state(kind, name) == TraceState::from_code(c));
      CHECK(trace_vocabulary().state(k, c) == name);
      CHECK(names.insert(name).second);
    }
    CHECK(named > 0);
    CHECK(parse_state(kind, "") == TraceState{});
    CHECK(trace_vocabulary().state(k, TraceState::kStart).empty());
  }
  CHECK(state_name(TraceKind::Container,
                   state_code(ContainerState::Waiting, Reason::CrashLoopBackOff)) ==
        "waiting:CrashLoopBackOff");
  CHECK(state_name(TraceKind::Container, state_code(ContainerState::Running, Reason::None)) ==
        "running");
  CHECK(state_name(TraceKind::Phase, PodPhase::Running) == "Running");
  CHECK(state_name(TraceKind::Proton, Status::Warming) == "warming");
  CHECK(state_name(TraceKind::Replacement, ReplacementStatus::Promoting) == "promoting");
  CHECK(state_name(TraceKind::Pod, PodScheduled::False) == "PodScheduled=False");
  CHECK(state_name(TraceKind::Ready, Readiness::True) == "true");
  CHECK(state_name(TraceKind::Event, EventType::Warning) == "Warning");
  CHECK(state_name(TraceKind::Fault, RegistryState::Outage) == "outage");
  CHECK(state_name(TraceKind::Api, static_cast<HttpStatus>(422)) == "422");
  CHECK(state_name(TraceKind::Api, static_cast<HttpStatus>(99)).empty());
  // A state of one kind is no state of another.
  CHECK(state_name(TraceKind::Phase, static_cast<PodPhase>(7)).empty());
  CHECK_FALSE(parse_state(TraceKind::Replica, "Running"));
  CHECK_FALSE(parse_state(TraceKind::Container, "waiting"));
}

TEST_CASE("a status enum's Unknown is the start: an object's first record starts from \"\"",
          "[trace_kinds]") {
  CHECK(TraceState(Status::Unknown).is_start());
  CHECK(TraceState(ReplacementStatus::Unknown).is_start());
  CHECK(TraceState(Status::Unknown) == TraceState{});
  CHECK_FALSE(TraceState(Status::Submitted).is_start());
  CHECK_FALSE(TraceState(PodPhase::Pending).is_start());  // Pending is 0, and a state
  CHECK(state_name(TraceKind::Replica, Status::Unknown).empty());
}

TEST_CASE("every machine's states are the vocabulary's states of its kind", "[trace_kinds]") {
  for (const Machine m : kAllMachines) {
    const TransitionGraph& g = transition_graph(m);
    for (const std::string& name : g.states()) {
      INFO(to_string(m) << " " << name);
      const auto state = parse_state(trace_kind(m), name);
      REQUIRE(state);
      CHECK(g.has_state(*state));
      CHECK(g.name_of(*state) == name);
    }
  }
  // The graphs answer by enum.
  const TransitionGraph& proton = transition_graph(Machine::Proton);
  CHECK(proton.allows(Status::Running, Status::Warming));
  CHECK_FALSE(proton.allows(Status::Errored, Status::Launching));
  CHECK(proton.allows(TraceState{}, Status::Initializing));
  CHECK(proton.allows(Status::Unknown, Status::Initializing));
  const TransitionGraph& container = transition_graph(Machine::Container);
  CHECK(container.allows(state_code(ContainerState::Running, Reason::None),
                         state_code(ContainerState::Terminated, Reason::OOMKilled)));
  CHECK_FALSE(container.has_state(state_code(ContainerState::Waiting, Reason::Pulled)));
  CHECK(transition_graph(Machine::Replacement).is_terminal(ReplacementStatus::Errored));
}

// The same records as text, hashed by tests/engine/trace_test.cpp's "the hash of a trace is the
// same on every run", whose records are text: the codes hash as the names they stand for.
TEST_CASE("typed records hash as their text: the trace hash of a run is unchanged by the codes",
          "[trace_kinds]") {
  Rig rig;
  rig.sim.run_until(Time::from_seconds(95));
  rig.ctx.record("wl-1/p1/r0/app", TraceKind::Container,
                 state_code(ContainerState::Running, Reason::None),
                 state_code(ContainerState::Terminated, Reason::OOMKilled), Reason::OOMKilled,
                 "exit code 137 (OOMKilled)");
  CHECK(wlsim::engine::hash_hex(rig.trace.hash()) == "d7c15f014239c8f6");
  rig.ctx.event("wl-1/p1/r0/app", EventType::Warning, Reason::BackOff,
                "Back-off restarting failed container app in pod wl-1/p1/r0");
  CHECK(wlsim::engine::hash_hex(rig.trace.hash()) == "acbea3c1b8f242cd");
  rig.ctx.api_call("POST /workloads/wl-1/replacement", 202, "{}");
  CHECK(wlsim::engine::hash_hex(rig.trace.hash()) == "8992b9c08dde0f41");

  REQUIRE(rig.sink.records().size() == 3);
  const TraceRecord& api = rig.sink.records()[2];
  CHECK(api.kind_name() == "api");
  CHECK(api.from_name() == "POST /workloads/wl-1/replacement");
  CHECK(api.to_name() == "202");
  CHECK(api.reason_name().empty());
  // The same record built from its text is the same record.
  const TraceRecord text = trace_record(Time::from_seconds(95), "api", "api",
                                        "POST /workloads/wl-1/replacement", "202", "", "{}");
  CHECK(text.kind == api.kind);
  CHECK(text.from == api.from);
  CHECK(text.text == api.text);
  CHECK(text.to == api.to);
  const TraceRecord& event = rig.sink.records()[1];
  CHECK(event.from_name().empty());
  CHECK(event.to_name() == "Warning");
  CHECK(event.reason == static_cast<TraceCode>(Reason::BackOff));
  CHECK_THROWS_AS(trace_record(Time::zero(), "x", "pods", "", "", "", ""), std::invalid_argument);
  CHECK_THROWS_AS(trace_record(Time::zero(), "x", "event", "", "Normal", "Nope", ""),
                  std::invalid_argument);
  CHECK_THROWS_AS(trace_record(Time::zero(), "x", "proton", "", "Running", "", ""),
                  std::invalid_argument);
}

// SEMANTICS.md §6: a container contributes errored while it waits in an error back-off.
TEST_CASE(
    "the container's errored decision: waiting in CrashLoopBackOff, ImagePullBackOff or "
    "ErrImagePull",
    "[trace_kinds][container]") {
  using enum ContainerState;
  for (const bool ready : {false, true}) {
    INFO("ready " << ready);
    CHECK(container_condition(Waiting, Reason::CrashLoopBackOff, ready) ==
          ContainerCondition::Errored);
    CHECK(container_condition(Waiting, Reason::ImagePullBackOff, ready) ==
          ContainerCondition::Errored);
    CHECK(container_condition(Waiting, Reason::ErrImagePull, ready) == ContainerCondition::Errored);
    CHECK(container_condition(Waiting, Reason::ContainerCreating, ready) ==
          ContainerCondition::Launching);
    // Terminated is not waiting, whatever the reason: it restarts at once or backs off next.
    CHECK(container_condition(Terminated, Reason::Error, ready) == ContainerCondition::Launching);
    CHECK(container_condition(Terminated, Reason::OOMKilled, ready) ==
          ContainerCondition::Launching);
  }
  CHECK(container_condition(Running, Reason::None, true) == ContainerCondition::Ready);
  CHECK(container_condition(Running, Reason::None, false) == ContainerCondition::Launching);
}

TEST_CASE("recent records keep the last N, oldest first, and hold nothing until a record comes",
          "[trace_kinds][recent]") {
  RecentRecords<3> ring;
  CHECK(ring.empty());
  const auto at = [](int s) {
    TraceRecord r;
    r.time = Time::from_seconds(s);
    return r;
  };
  const auto times = [&ring] {
    std::vector<double> out;
    ring.for_each(
        [&out](const wlsim::engine::KeptRecord& r) { out.push_back(r.time().seconds()); });
    return out;
  };
  ring.add(at(1));
  ring.add(at(2));
  CHECK(times() == std::vector<double>{1, 2});
  ring.add(at(3));
  ring.add(at(4));
  CHECK(times() == std::vector<double>{2, 3, 4});
  for (int s = 5; s <= 11; ++s) ring.add(at(s));
  CHECK(times() == std::vector<double>{9, 10, 11});
  CHECK(ring.size() == 3);
  CHECK(ring[0].time() == Time::from_seconds(9));
  CHECK(PodEvents::kKeep == 5);
  CHECK(WorkloadRecords::kKeep == 100);
}

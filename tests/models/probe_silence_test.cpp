// probe.hpp: a probe whose failure is committed passes the fires that the container's answer is
// foreseen not to change silently (Simulator::repeat_silently) and counts them in later, by its
// event series' ticket, as the failures they were. The run must be the same run as one that
// fires every probe (Context::pass_silently off): the same records, counts, times and hash, and
// the same events dispatched.
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "one_node_rig.hpp"

using wlsim::engine::Distribution;
using wlsim::engine::Time;
using namespace wlsim::models;

namespace {
Time s(double seconds) { return Time::from_seconds(seconds); }

/// One node with room for 16 replicas; the app serves `startup` after its start and has a readiness
/// probe every 5 s. Its pods keep no events, as in a run that no statusDetails can read.
struct Rig : testing::OneNodeRig {
  std::unique_ptr<Proton> proton;

  Rig(bool silently, const Distribution& startup, int replicas) : OneNodeRig(16, 7) {
    ctx.pass_silently = silently;
    ctx.keep_recent.pod_details = false;
    behavior().startup = startup;
    behavior().shutdown = Distribution::constant(1e6);
    ProbeSpec ready;
    ready.path = "/ready";
    ready.period = s(5);
    ready.timeout = s(1);
    artifact.containers[0].readiness = ready;
    proton = make_proton(replicas);
  }
};

/// Every field of every record, and how the run went.
using Row = std::tuple<std::int64_t, std::string, std::string, std::string, std::string,
                       std::string, std::uint64_t, std::int64_t, std::int64_t>;
struct Outcome {
  std::vector<Row> rows;
  std::uint64_t hash = 0;
  std::uint64_t dispatched = 0;
  std::uint64_t silent = 0;
};

Outcome outcome(const Rig& r) {
  Outcome o;
  for (const auto& x : r.sink.records()) {
    o.rows.emplace_back(x.time.us(), x.object, std::string(x.kind_name()), std::string(x.to_name()),
                        std::string(x.reason_name()), x.message, x.count, x.first.us(),
                        x.last.us());
  }
  o.hash = r.trace.hash();
  o.dispatched = r.sim.dispatched();
  o.silent = r.sim.dispatched_silently();
  return o;
}

/// The series record of `object`'s Unhealthy event (the one with a count above 1).
const Row* unhealthy_series(const Outcome& o, const std::string& object) {
  for (const Row& row : o.rows) {
    if (std::get<1>(row) == object && std::get<4>(row) == "Unhealthy" && std::get<6>(row) > 1)
      return &row;
  }
  return nullptr;
}

/// Runs `script` on a rig made each way and checks that both runs are the same; returns the
/// silent one's outcome.
template <class Script>
Outcome both_ways(const Distribution& startup, int replicas, Script script) {
  Rig one_by_one(false, startup, replicas);
  script(one_by_one);
  Rig silently(true, startup, replicas);
  script(silently);
  const Outcome a = outcome(one_by_one);
  const Outcome b = outcome(silently);
  CHECK(a.silent == 0);
  CHECK(b.rows == a.rows);
  CHECK(b.hash == a.hash);
  CHECK(b.dispatched == a.dispatched);
  return b;
}

}  // namespace

TEST_CASE(
    "a starting container's failing readiness probes pass silently and count as the same "
    "failures",
    "[probe][silent]") {
  const Outcome o = both_ways(Distribution::constant(62e6), 1, [](Rig& r) {
    r.proton->start();
    r.sim.run_until(s(200));
    r.ctx.finish();
  });
  // Fires at 0, 5, ..., 60 fail (13), 65 succeeds: the first failure is recorded (and its series
  // begun, with a ticket), the 12 after it pass silently.
  CHECK(o.silent == 12);
  const Row* series = unhealthy_series(o, "wl/p1/r0/app");
  REQUIRE(series != nullptr);
  CHECK(std::get<6>(*series) == 13);
  CHECK(std::get<7>(*series) == 0);
  CHECK(std::get<8>(*series) == s(60).us());
}

TEST_CASE("a probe stopped while its fires pass silently counts those that happened before",
          "[probe][silent]") {
  const Outcome o = both_ways(Distribution::constant(62e6), 1, [](Rig& r) {
    r.proton->start();
    r.sim.run_until(s(31));
    r.proton->tear_down();  // the container gets SIGTERM: its probes stop at once
    r.sim.run_until(s(200));
    r.ctx.finish();
  });
  CHECK(o.silent == 6);  // 5 to 30
  const Row* series = unhealthy_series(o, "wl/p1/r0/app");
  REQUIRE(series != nullptr);
  CHECK(std::get<6>(*series) == 7);  // 0 to 30
  CHECK(std::get<8>(*series) == s(30).us());
}

TEST_CASE("a run that ends while fires pass silently counts those that happened, at its end",
          "[probe][silent]") {
  const Outcome o = both_ways(Distribution::constant(62e6), 1, [](Rig& r) {
    r.proton->start();
    r.sim.run_until(s(42));
    r.ctx.finish();
  });
  const Row* series = unhealthy_series(o, "wl/p1/r0/app");
  REQUIRE(series != nullptr);
  CHECK(std::get<0>(*series) == s(42).us());
  CHECK(std::get<6>(*series) == 9);  // 0 to 40
}

TEST_CASE("the event series counts silent fires in before its generations turn",
          "[probe][silent][event_series]") {
  // Generations of 1 to 4 distinct events turn many times while three replicas start at random
  // times; each turn counts the silent fires in and ends their silence, and they must still be
  // the same run.
  for (const std::size_t k : {1, 2, 3, 4, 64}) {
    INFO("K " << k);
    const Outcome o = both_ways(Distribution::uniform(20e6, 90e6), 3, [k](Rig& r) {
      r.ctx.event_series = EventSeries(k);
      r.proton->start();
      r.sim.run_until(s(300));
      r.ctx.finish();
    });
    if (k == 64) CHECK(o.silent > 0);
  }
}

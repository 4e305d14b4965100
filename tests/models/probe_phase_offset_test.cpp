// SEMANTICS.md §2 and §9: with the probe phase offset on, a probe's grid is its prober worker's
// ticker, shifted by a phase drawn once per container and probe kind, uniform in [0, period), from
// the container's own stream for that kind; the ticker is kept across container restarts.
#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "wlsim/models/probe.hpp"

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
Time s(std::int64_t secs) { return Time::from_seconds(secs); }

// Always fails at once, so that every grid point is a probe; logs the sends.
struct FailingTarget final : ProbeTarget {
  const Context& ctx;
  std::vector<Time> sent;
  explicit FailingTarget(const Context& c) : ctx(c) {}
  ProbeAnswer answer(const ProbeSpec&, ProbeKind) override {
    sent.push_back(ctx.now());
    return {false, Time::zero(), ProbeFailure::NotFound};
  }
  Time answer_fixed_until(const ProbeSpec&, ProbeKind) const override { return ctx.now(); }
  void on_probe_committed(ProbeKind, bool) override {}
  void on_probe_failed(ProbeKind, const ProbeSpec&, ProbeFailure, ProbeFailureSeries&) override {}
};

KubeletParams phase_offset(bool on) {
  KubeletParams k;
  k.probe_phase_offset = on;
  return k;
}

struct Rig {
  explicit Rig(bool offset, std::uint64_t seed = 1)
      : ctx{sim, trace, seed, nullptr, phase_offset(offset)} {}
  Simulator sim;
  Trace trace;
  Context ctx;
  FailingTarget target{ctx};
};

constexpr const char* kContainer = "w/p1/r0/app";
}  // namespace

TEST_CASE("without the phase offset a probe draws nothing and runs on today's grid",
          "[probe][phase]") {
  Rig r(false);
  const ProbeSpec spec = default_probe(Profile::Platform, "/h");
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target, kContainer);
  CHECK_FALSE(p.phase().has_value());
  r.sim.run_until(s(5));
  p.start(s(5));
  r.sim.run_until(s(100));
  CHECK(r.target.sent == std::vector<Time>{s(35), s(65), s(95)});
}

TEST_CASE("the phase is drawn from the container's stream for the probe kind, within the period",
          "[probe][phase]") {
  Rig r(true);
  const ProbeSpec spec = default_probe(Profile::Platform, "/h");  // 30 s delay, 30 s period
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target, kContainer);
  wlsim::engine::RandomStream own = r.ctx.stream(kContainer, "probe-phase-Readiness");
  const auto expected = static_cast<std::int64_t>(own.next_unit() * 30e6);
  REQUIRE(p.phase().has_value());
  const Time phase = *p.phase();
  CHECK(phase == Time::from_us(expected));
  CHECK(phase >= Time::zero());
  CHECK(phase < s(30));
  r.sim.run_until(s(5));
  p.start(s(5));
  r.sim.run_until(s(96) + phase);
  // First probe initialDelaySeconds + the phase after the start, then every period.
  CHECK(r.target.sent == std::vector<Time>{s(35) + phase, s(65) + phase, s(95) + phase});
}

TEST_CASE("the same seed draws the same phases; each probe kind and container has its own",
          "[probe][phase]") {
  const ProbeSpec spec = default_probe(Profile::Kubernetes, "/h");  // 10 s period
  Rig a(true, 7), b(true, 7);
  Probe pa(a.ctx, ProbeKind::Liveness, spec, a.target, kContainer);
  Probe pb(b.ctx, ProbeKind::Liveness, spec, b.target, kContainer);
  CHECK(*pa.phase() == *pb.phase());
  pa.start(Time::zero());
  pb.start(Time::zero());
  a.sim.run_until(s(60));
  b.sim.run_until(s(60));
  CHECK(a.target.sent == b.target.sent);
  CHECK(a.target.sent.front() == *pa.phase());

  Probe readiness(a.ctx, ProbeKind::Readiness, spec, a.target, kContainer);
  Probe other(a.ctx, ProbeKind::Liveness, spec, a.target, "w/p1/r1/app");
  CHECK(*readiness.phase() != *pa.phase());
  CHECK(*other.phase() != *pa.phase());
}

TEST_CASE("phases over many seeds stay below the period and spread over it", "[probe][phase]") {
  const ProbeSpec spec = default_probe(Profile::Kubernetes, "/h");
  std::set<std::int64_t> tenths;  // which tenth of the period each phase falls in
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rig r(true, seed);
    Probe p(r.ctx, ProbeKind::Startup, spec, r.target, kContainer);
    const Time phase = *p.phase();
    CHECK(phase >= Time::zero());
    CHECK(phase < s(10));
    tenths.insert(phase / s(1));
  }
  CHECK(tenths.size() == 10);
}

TEST_CASE(
    "the worker's ticker is kept across restarts: a restarted container is probed on its "
    "first tick once initialDelaySeconds have passed",
    "[probe][phase]") {
  Rig r(true);
  const ProbeSpec spec = default_probe(Profile::Platform, "/h");  // 30 s delay, 30 s period
  Probe p(r.ctx, ProbeKind::Liveness, spec, r.target, kContainer);
  const Time phase = *p.phase();
  p.start(Time::zero());
  r.sim.run_until(s(50));
  p.stop();
  r.sim.run_until(s(100));
  p.start(s(100));
  r.sim.run_until(s(200));
  // Ticks at 30 s + phase + k × 30 s; after the restart at 100 s the first one at or after 130 s.
  Time first_after_restart = s(30) + phase;
  while (first_after_restart < s(130)) first_after_restart += s(30);
  std::vector<Time> expected;
  if (s(30) + phase <= s(50)) expected.push_back(s(30) + phase);
  for (Time t = first_after_restart; t <= s(200); t += s(30)) expected.push_back(t);
  CHECK(r.target.sent == expected);
  CHECK(first_after_restart - s(130) < s(30));
}

TEST_CASE(
    "with the phase offset a startup probe still holds the others off until it succeeds, "
    "and they then probe on their own ticker",
    "[probe][phase]") {
  Rig r(true);
  const ProbeSpec spec = default_probe(Profile::Kubernetes, "/h");  // no delay, 10 s period
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target, kContainer);
  const Time phase = *p.phase();
  r.sim.run_until(s(45));
  p.start(Time::zero(), s(45));  // the startup probe succeeded at 45 s
  r.sim.run_until(s(80));
  Time first = phase;
  while (first < s(45)) first += s(10);
  CHECK(r.target.sent.front() == first);
  CHECK(r.target.sent.size() == static_cast<std::size_t>((s(80) - first) / s(10) + 1));
}

// SEMANTICS.md §2: probe timing and thresholds, against a scripted target.
#include "wlsim/models/probe.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
Time s(std::int64_t secs) { return Time::from_seconds(secs); }

struct Sent {
  Time at;
};

// A target whose answer is a function of time; it logs sends, failures and commits.
struct ScriptedTarget final : ProbeTarget {
  const Context& ctx;
  std::function<ProbeAnswer(Time)> script;
  std::function<Time(Time)> fixed_until = [this](Time) { return ctx.now(); };
  std::vector<Time> sent;
  std::vector<std::pair<Time, bool>> commits;
  int failures = 0;
  explicit ScriptedTarget(const Context& c) : ctx(c) {}
  ProbeAnswer answer(const ProbeSpec&, ProbeKind) override {
    sent.push_back(ctx.now());
    return script(ctx.now());
  }
  Time answer_fixed_until(const ProbeSpec&, ProbeKind) const override {
    return fixed_until(ctx.now());
  }
  void on_probe_committed(ProbeKind, bool ok) override { commits.emplace_back(ctx.now(), ok); }
  void on_probe_failed(ProbeKind, const ProbeSpec&, ProbeFailure, ProbeFailureSeries&) override { ++failures; }
};

ProbeAnswer ok(Time latency = Time::zero()) { return {true, latency, {}}; }
ProbeAnswer bad() { return {false, Time::zero(), ProbeFailure::NotFound}; }

struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  ScriptedTarget target{ctx};
};
}  // namespace

TEST_CASE("platform probe defaults are 30/30/30/3/1 and Kubernetes' are 0/10/1/3/1", "[probe]") {
  const ProbeSpec p = default_probe(Profile::Platform, "/h");
  CHECK(p.initial_delay == s(30));
  CHECK(p.period == s(30));
  CHECK(p.timeout == s(30));
  CHECK(p.failure_threshold == 3);
  CHECK(p.success_threshold == 1);
  const ProbeSpec k = default_probe(Profile::Kubernetes, "/h");
  CHECK(k.initial_delay == s(0));
  CHECK(k.period == s(10));
  CHECK(k.timeout == s(1));
  CHECK(k.failure_threshold == 3);
}

TEST_CASE(
    "probes run on a grid: first at initialDelaySeconds after start, then every periodSeconds",
    "[probe]") {
  Rig r;
  r.target.script = [](Time) { return bad(); };
  ProbeSpec spec = default_probe(Profile::Platform, "/h");
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target);
  r.sim.run_until(s(5));
  p.start(s(5));
  r.sim.run_until(s(200));
  REQUIRE(r.target.sent.size() >= 4);
  CHECK(r.target.sent[0] == s(35));
  CHECK(r.target.sent[1] == s(65));
  CHECK(r.target.sent[2] == s(95));
  CHECK(r.target.sent[3] == s(125));
}

TEST_CASE(
    "readiness starts failed and commits success after successThreshold consecutive successes",
    "[probe]") {
  Rig r;
  r.target.script = [](Time t) { return t >= Time::from_seconds(40) ? ok() : bad(); };
  ProbeSpec spec = default_probe(Profile::Kubernetes, "/h");
  spec.success_threshold = 2;
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target);
  CHECK(p.committed() == Probe::Result::Failure);
  p.start(Time::zero());
  r.sim.run_until(s(100));
  // Successes at 40 and 50: committed at the second.
  REQUIRE(r.target.commits.size() == 1);
  CHECK(r.target.commits[0] == std::pair{s(50), true});
}

TEST_CASE("a result changes only after failureThreshold consecutive failures", "[probe]") {
  Rig r;
  // Healthy until 100 s, one blip at 120 s, then failing from 200 s.
  r.target.script = [](Time t) {
    if (t == Time::from_seconds(120)) return bad();
    return t < Time::from_seconds(200) ? ok() : bad();
  };
  ProbeSpec spec = default_probe(Profile::Kubernetes, "/h");
  Probe p(r.ctx, ProbeKind::Liveness, spec, r.target);
  CHECK(p.committed() == Probe::Result::Success);  // liveness starts as success
  p.start(Time::zero());
  r.sim.run_until(s(400));
  // The single failure at 120 s commits nothing; failures at 200, 210, 220 commit at 220.
  REQUIRE(r.target.commits.size() == 1);
  CHECK(r.target.commits[0] == std::pair{s(220), false});
}

TEST_CASE("startup probes start unknown", "[probe]") {
  Rig r;
  const ProbeSpec spec = default_probe(Profile::Platform, "/h");
  Probe p(r.ctx, ProbeKind::Startup, spec, r.target);
  CHECK(p.committed() == Probe::Result::Unknown);
}

TEST_CASE("a slow answer is known when it arrives; slower than timeoutSeconds fails at the timeout",
          "[probe]") {
  Rig r;
  r.target.script = [](Time t) {
    return ok(t < Time::from_seconds(60) ? Time::from_seconds(45) : Time::from_seconds(3));
  };
  ProbeSpec spec = default_probe(Profile::Platform, "/h");  // timeout 30 s
  spec.initial_delay = Time::zero();
  spec.failure_threshold = 1;
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target);
  p.start(Time::zero());
  r.sim.run_until(s(200));
  // Sent at 0 (times out at 30 s: failure, already the initial result), at 30 (times out at 60),
  // at 60 (answers at 63: success).
  REQUIRE(r.target.sent.size() >= 3);
  CHECK(r.target.sent[0] == s(0));
  CHECK(r.target.sent[1] == s(30));
  CHECK(r.target.sent[2] == s(60));
  CHECK(r.target.failures >= 2);
  REQUIRE(!r.target.commits.empty());
  CHECK(r.target.commits[0] == std::pair{s(63), true});
}

TEST_CASE(
    "probes never overlap: one outlasting a grid point is followed at once by the next, then the "
    "grid resumes",
    "[probe]") {
  Rig r;
  // The first probe takes 25 s with a 10 s period (timeout 30 s): the next is sent when it answers,
  // at 25 s; that one is fast, and the following is back on the grid at 30 s.
  r.target.script = [](Time t) {
    return ok(t == Time::zero() ? Time::from_seconds(25) : Time::zero());
  };
  ProbeSpec spec = default_probe(Profile::Kubernetes, "/h");
  spec.timeout = s(30);
  Probe p(r.ctx, ProbeKind::Liveness, spec,
          r.target);  // liveness: committed success, but not saturated
  p.start(Time::zero());
  r.sim.run_until(s(45));
  REQUIRE(r.target.sent.size() >= 3);
  CHECK(r.target.sent[0] == s(0));
  CHECK(r.target.sent[1] == s(25));
  CHECK(r.target.sent[2] == s(30));
}

TEST_CASE(
    "a probe does not tick while its target says nothing can change, and the grid phase survives "
    "the skip",
    "[probe]") {
  Rig r;
  r.target.script = [](Time) { return ok(); };
  r.target.fixed_until = [](Time) { return Time::from_seconds(1000); };
  ProbeSpec spec = default_probe(Profile::Platform, "/h");
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target);
  p.start(Time::zero());
  r.sim.run_until(s(1100));
  // Ready at 30 s; the next probe that can see a change is on the grid at or after 1000 s: 1020 s.
  REQUIRE(r.target.sent.size() >= 2);
  CHECK(r.target.sent[0] == s(30));
  CHECK(r.target.sent[1] == s(1020));
}

TEST_CASE("a poked probe probes again on the next grid point", "[probe]") {
  Rig r;
  bool healthy = true;
  r.target.script = [&](Time) { return healthy ? ok() : bad(); };
  r.target.fixed_until = [](Time) { return Time::never(); };
  ProbeSpec spec = default_probe(Profile::Platform, "/h");
  spec.failure_threshold = 1;
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target);
  p.start(Time::zero());
  r.sim.run_until(s(100));
  CHECK(r.target.sent.size() == 1);  // idle after the success at 30 s
  healthy = false;
  p.poke();
  r.sim.run_until(s(200));
  REQUIRE(r.target.sent.size() >= 2);
  CHECK(r.target.sent[1] == s(120));
  REQUIRE(r.target.commits.size() == 2);
  CHECK(r.target.commits[1] == std::pair{s(120), false});
}

TEST_CASE("a stopped probe sends nothing and returns to its initial result", "[probe]") {
  Rig r;
  r.target.script = [](Time) { return ok(); };
  const ProbeSpec spec = default_probe(Profile::Platform, "/h");
  Probe p(r.ctx, ProbeKind::Readiness, spec, r.target);
  p.start(Time::zero());
  r.sim.run_until(s(31));
  CHECK(p.committed() == Probe::Result::Success);
  p.stop();
  CHECK(p.committed() == Probe::Result::Failure);
  const auto n = r.target.sent.size();
  r.sim.run_until(s(500));
  CHECK(r.target.sent.size() == n);
}

TEST_CASE("a failed probe's text is Kubernetes' for each reason, made from the probe's spec",
          "[probe][messages]") {
  ProbeSpec spec;
  spec.path = "/healthz";
  spec.port = 8080;
  const auto text = [&spec](ProbeFailure f) {
    std::string out = "Readiness probe failed: ";
    append_failure_text(out, f, spec);
    return out;
  };
  CHECK(text(ProbeFailure::None) == "Readiness probe failed: ");
  CHECK(text(ProbeFailure::ConnectionRefused) ==
        "Readiness probe failed: Get \"http://10.0.0.1:8080/healthz\": dial tcp 10.0.0.1:8080: "
        "connect: connection refused");
  CHECK(text(ProbeFailure::Timeout) ==
        "Readiness probe failed: Get \"HTTP://:8080/healthz\": context deadline exceeded "
        "(Client.Timeout exceeded while awaiting headers)");
  CHECK(text(ProbeFailure::HttpToTls) ==
        "Readiness probe failed: HTTP probe failed with statuscode: 400");
  CHECK(text(ProbeFailure::NotFound) ==
        "Readiness probe failed: HTTP probe failed with statuscode: 404");
  CHECK(text(ProbeFailure::NotReady) ==
        "Readiness probe failed: HTTP probe failed with statuscode: 503");
  // A probe that names its host and scheme is quoted with them.
  spec.host = "svc.local";
  spec.scheme = Scheme::Https;
  CHECK(text(ProbeFailure::TlsToHttp) ==
        "Readiness probe failed: Get \"https://svc.local:8080/healthz\": http: server gave HTTP "
        "response to HTTPS client");
  CHECK(text(ProbeFailure::ConnectionRefused) ==
        "Readiness probe failed: Get \"https://svc.local:8080/healthz\": dial tcp "
        "svc.local:8080: connect: connection refused");
  CHECK(text(ProbeFailure::Timeout) ==
        "Readiness probe failed: Get \"HTTPS://:8080/healthz\": context deadline exceeded "
        "(Client.Timeout exceeded while awaiting headers)");
}

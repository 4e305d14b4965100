// SEMANTICS.md §8, traffic: the router, the replicas' queues, the activator, timeouts and drops,
// requests at a replacement's flip, and the loader's rules for `traffic`.

#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"
#include "traffic_scenario.hpp"
#include "wlsim/scenarios/summary.hpp"

using namespace wlsim;
using wlsim::testing::error_of;
using wlsim::testing::run_yaml;
using wlsim::testing::served;
using wlsim::testing::Served;

namespace {
const scenarios::TrafficResult& traffic_of(const testing::Traced& t) {
  REQUIRE(t.result.workloads.front().traffic.has_value());
  return *t.result.workloads.front().traffic;
}
}  // namespace

TEST_CASE("requests wait at the activator until a replica is ready, never sent to one that is not",
          "[traffic][activator]") {
  // The app takes 30 s to start; one request a second from 1 s. The first waits from 1 s until the
  // replica is ready at 30 s, then is served in 0.5 s.
  Served s;
  s.traffic = "rate: 1/s, arrivals: even, serviceTime: 500ms";
  s.behavior = "{startup: 30s, concurrency: 100}";
  s.duration = "40s";
  const auto t = run_yaml(served(s));
  const auto& tr = traffic_of(t);
  CHECK(t.first("wl/p1/r0", "replica", "running")->time.seconds() == 30.0);
  CHECK(tr.arrived == 40);
  CHECK(tr.latency->max == Approx(30.0 - 1.0 + 0.5).epsilon(1e-12));
  // Requests 1..29 waited for the replica; 30..39 were served at once; 40 is still in service.
  CHECK(tr.served == 39);
  CHECK(tr.in_flight == 1);
  CHECK(tr.mean_wait_s == Approx((29.0 * 30.0 / 2.0) / 39.0).epsilon(1e-9));
}

TEST_CASE(
    "the router sends a request to the ready replica with the fewest requests, ties to the "
    "lowest index",
    "[traffic][router]") {
  // Three replicas serving one request at a time, 10 s each; four requests at 1, 2, 3 and 4 s.
  // The fourth finds every replica holding one and queues on r0 (lowest index), which frees at
  // 11 s: it waits 7 s, 17 s in all. Sent to r2 it would have taken 19 s.
  Served s;
  s.traffic = "rate: \"steps([0s, 1/s], [4500ms, 0/s])\", arrivals: even, serviceTime: 10s";
  s.replicas = 3;
  s.duration = "1m";
  const auto t = run_yaml(served(s));
  const auto& tr = traffic_of(t);
  CHECK(tr.served == 4);
  CHECK(tr.latency->max == 17.0);
  CHECK(tr.latency->p50 == 10.0);
  CHECK(tr.mean_wait_s == Approx(7.0 / 4.0).epsilon(1e-12));
}

TEST_CASE(
    "with concurrency 1 and a load above capacity the queue grows and requests past the "
    "timeout are dropped",
    "[traffic][timeout]") {
  // One replica, one request at a time, 1 s each, two arrivals a second, a 10 s timeout.
  Served s;
  s.traffic = "rate: 2/s, arrivals: even, serviceTime: 1s";
  s.platform = "{kpa: {targetUtilization: 1}, activator: {requestTimeout: 10s}}";
  s.duration = "100s";
  const auto t = run_yaml(served(s));
  const auto& tr = traffic_of(t);
  CHECK(tr.arrived == 200);
  CHECK(tr.dropped_timeout > 50);
  CHECK(tr.dropped_activator_full == 0);
  // No request waits past the timeout: the slowest served one waited less than 10 s.
  CHECK(tr.latency->max < 11.0);
  CHECK(tr.latency->max >= 10.0);
  CHECK(tr.served + tr.dropped_timeout + tr.in_flight == tr.arrived);
  // The replica never idles once the queue has formed: about one served a second.
  CHECK(tr.served >= 98);
  CHECK(tr.served <= 100);
}

TEST_CASE(
    "the activator holds up to its capacity; one more is dropped, and a request that waits "
    "the timeout is dropped",
    "[traffic][activator]") {
  // The replica never becomes ready (its readiness path is not served). Arrivals at 1..20 s; the
  // activator holds 5 and times them out after 10 s: 1-5 are held, 6-10 find it full, 1-5 time out
  // at 11-15 s as 11-15 take their places, 16-20 find it full again.
  Served s;
  s.traffic = "rate: 1/s, arrivals: even, serviceTime: 1s";
  s.behavior = "{serves: [/other]}";
  s.platform = "{kpa: {targetUtilization: 1}, activator: {capacity: 5, requestTimeout: 10s}}";
  s.duration = "20500ms";
  const auto t = run_yaml(served(s));
  const auto& tr = traffic_of(t);
  CHECK(tr.arrived == 20);
  CHECK(tr.served == 0);
  CHECK(tr.dropped_activator_full == 10);
  CHECK(tr.dropped_timeout == 5);
  CHECK(tr.in_flight == 5);
  CHECK_FALSE(tr.latency.has_value());
}

TEST_CASE("requests move to the new proton at the flip; those in service finish on the old one",
          "[traffic][replacement]") {
  Served s;
  s.traffic = "rate: 5/s, arrivals: even, serviceTime: 100ms";
  s.behavior = "{concurrency: 10}";
  s.duration = "5m";
  s.extra_top =
      "actions:\n  - {at: 1m, request: POST /workloads/wl/replacement, body: {artifactId: a2, "
      "strategy: rolling, config: {warmupDurationMinutes: 1, keepOldVersionMinutes: 1}}}\n";
  const auto t = run_yaml(served(s));
  const auto& tr = traffic_of(t);
  // Nothing is lost across the flip and the old proton's teardown.
  CHECK(tr.arrived == 1500);
  CHECK(tr.dropped_timeout + tr.dropped_activator_full + tr.dropped_torn_down == 0);
  CHECK(tr.served + tr.in_flight == 1500);
  CHECK(tr.latency->max == Approx(0.1));
  CHECK(t.result.workloads.front().replacements.front().outcome == "completed");
}

TEST_CASE(
    "requests held when the workload stops are dropped as torn down, and so are arrivals "
    "while it is stopped",
    "[traffic][stop]") {
  Served s;
  s.traffic = "rate: 1/s, arrivals: even, serviceTime: 5s";
  s.behavior = "{concurrency: 100}";
  s.duration = "60s";
  s.extra_top = "actions:\n  - {at: 30500ms, request: POST /workloads/wl/stop}\n";
  const auto t = run_yaml(served(s));
  const auto& tr = traffic_of(t);
  CHECK(tr.arrived == 60);
  // Served: those that finished by 30.5 s (arrived at 1..25 s); 26..30 were in service.
  CHECK(tr.served == 25);
  CHECK(tr.dropped_torn_down == 35);
}

TEST_CASE("same scenario and seed give the same hash with Poisson traffic, in both modes",
          "[traffic][determinism]") {
  for (const char* mode : {"requests", "fluid"}) {
    Served s;
    s.traffic = std::string(
                    "rate: \"daily(peak=40/s, trough=5/s, peakAt=14h)\", serviceTime: "
                    "exponential(200ms), mode: ") +
                mode;
    s.behavior = "{concurrency: 4}";
    s.autoscaling =
        "{enabled: true, policies: [{scalingMetric: httpRequestsConcurrency, target: 1, minCount: "
        "1, maxCount: 20}]}";
    s.duration = "30m";
    const auto a = run_yaml(served(s));
    const auto b = run_yaml(served(s));
    const auto c = run_yaml(served(s), 6);
    INFO(mode);
    // The replica counts follow the random load, so the trace (and its hash) follows the seed; the
    // requests are not in the trace, so the summaries are compared too.
    CHECK(a.result.trace_hash == b.result.trace_hash);
    CHECK(scenarios::summary_json(a.result) == scenarios::summary_json(b.result));
    if (std::string(mode) == "requests") {
      CHECK(a.result.trace_hash != c.result.trace_hash);
      CHECK(scenarios::summary_json(a.result) != scenarios::summary_json(c.result));
    } else {
      // Fluid mode draws nothing: its rates are expected values, the same for every seed.
      CHECK(a.result.trace_hash == c.result.trace_hash);
    }
  }
}

TEST_CASE("traffic entries are checked: the workload, one entry each, rate or trace, service time",
          "[traffic][loader][bad-input]") {
  Served s;
  s.traffic = "rate: 10/s, serviceTime: 1s";
  std::string y = served(s);
  CHECK(error_of(y) == "(no error)");
  s.traffic = "rate: fast, serviceTime: 1s";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].rate:") && Catch::Contains("N/s"));
  s.traffic = "serviceTime: 1s";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].rate: is required"));
  s.traffic = "rate: 10/s";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].serviceTime"));
  s.traffic = "rate: 10/s, serviceTime: 1s, mode: batch";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].mode") &&
                                      Catch::Contains("requests") && Catch::Contains("fluid"));
  s.traffic = "rate: 10/s, serviceTime: 0s, mode: fluid";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].serviceTime: must have a mean"));
  s.traffic = "rate: 10/s, serviceTime: 1s, trace: {file: x.csv, row: 0}";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].trace: gives the rate a second"));
  s.traffic = "rate: 10/s, serviceTime: 1s";
  s.platform.clear();  // traffic is the last section: a second entry can be appended
  y = served(s);
  CHECK_THAT(error_of(y + "  - {workload: wl, rate: 1/s, serviceTime: 1s}\n"),
             Catch::Contains("traffic[1].workload: 'wl' already has a traffic entry"));
  CHECK_THAT(error_of(y + "  - {workload: nope, rate: 1/s, serviceTime: 1s}\n"),
             Catch::Contains("traffic[1].workload: 'nope' is not the id of a workload"));
  s.traffic = "serviceTime: 1s, trace: {file: no-such-file.csv, row: 0}";
  CHECK_THAT(error_of(served(s)), Catch::Contains("traffic[0].trace.file:"));
}

TEST_CASE("fluid mode on the fleet example stays under the fleet budget of bench/README.md: at most "
          "10,000 events per workload-day",
          "[traffic][fluid][budget]") {
  // Events, not wall time: the count is deterministic, the time is the benchmark's to measure.
  const auto t = testing::run_example("azure-day-fluid.yaml");
  const double workload_days =
      static_cast<double>(t.result.workloads.size()) * t.result.simulated.seconds() / 86400.0;
  CHECK(workload_days == 10.0);
  CHECK(static_cast<double>(t.result.events) <= 10000.0 * workload_days);
  // And a fluid day costs events per change, not per request: far fewer events than requests.
  double served = 0;
  for (const auto& w : t.result.workloads) served += w.traffic->served;
  CHECK(static_cast<double>(t.result.events) < served / 10);
}

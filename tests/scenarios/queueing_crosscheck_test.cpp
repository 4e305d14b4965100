// Analytic cross-checks of SEMANTICS.md §8's traffic: request mode on a stationary M/M/c load
// against Erlang C and Little's law, within the 95 % confidence interval of replicated runs; and
// fluid mode against request mode on mean concurrency and the replica count under the KPA.

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "traffic_scenario.hpp"
#include "wlsim/models/erlang.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/replications.hpp"

using namespace wlsim;
using wlsim::testing::served;
using wlsim::testing::Served;

namespace {

struct Case {
  int servers;  ///< one replica serving this many requests at once: one shared FIFO queue
  double rate;  ///< arrivals per second
};

constexpr double kService = 0.1;  // seconds, exponential
constexpr int kReplications = 16;

}  // namespace

TEST_CASE(
    "request mode on a stationary M/M/c load matches Erlang C's mean wait and Little's law "
    "within the 95 % confidence interval",
    "[traffic][erlang][crosscheck]") {
  // c = 1, 2, 4, 8 at utilisations 0.5, 0.7, 0.8, 0.75. The replica's queue is the M/M/c queue:
  // Poisson arrivals, exponential service, c served at once, FIFO. 1000 s per run, 16 runs.
  for (const Case c : {Case{1, 5.0}, Case{2, 14.0}, Case{4, 32.0}, Case{8, 60.0}}) {
    Served s;
    s.traffic =
        "rate: " + std::to_string(static_cast<int>(c.rate)) + "/s, serviceTime: exponential(100ms)";
    s.behavior = "{concurrency: " + std::to_string(c.servers) + "}";
    s.duration = "1000s";
    const scenarios::Scenario scenario = scenarios::load_text(served(s), "<mmc>");
    const auto r = scenarios::run_replications(scenario, 1, kReplications, 2);
    const models::MmcMetrics theory = models::mmc(c.rate, kService, c.servers);
    const auto& m = r.workloads.at("wl");
    INFO("c = " << c.servers << ", rho = " << theory.utilization << ": Wq " << theory.mean_wait_s
                << " vs " << m.at("meanWait").mean << " ± " << m.at("meanWait").ci95 << "; L "
                << theory.mean_in_system << " vs " << m.at("meanInFlight").mean << " ± "
                << m.at("meanInFlight").ci95);
    CHECK(m.at("meanWait").n == kReplications);
    CHECK(std::abs(m.at("meanWait").mean - theory.mean_wait_s) <= m.at("meanWait").ci95);
    CHECK(std::abs(m.at("meanInFlight").mean - theory.mean_in_system) <= m.at("meanInFlight").ci95);
    // The interval is narrow enough to mean something: within 10 % of the value.
    CHECK(m.at("meanWait").ci95 < 0.1 * theory.mean_wait_s);
  }
}

TEST_CASE(
    "fluid mode agrees with request mode on mean concurrency and on the replica count below "
    "80 % utilisation",
    "[traffic][fluid][crosscheck]") {
  // 170 requests a second, 100 ms each (17 in flight), a replica serves 10 at once, the KPA
  // targets 5 in flight per replica: 4 replicas (17 / 40 = 43 % busy).
  Served s;
  s.traffic = "rate: 170/s, serviceTime: exponential(100ms), mode: requests";
  s.behavior = "{concurrency: 10}";
  s.autoscaling =
      "{enabled: true, policies: [{scalingMetric: httpRequestsConcurrency, target: 5, minCount: "
      "1, maxCount: 20}]}";
  s.duration = "20m";
  const auto requests =
      scenarios::run_replications(scenarios::load_text(served(s), "<requests>"), 1, 4, 2);
  s.traffic = "rate: 170/s, serviceTime: exponential(100ms), mode: fluid";
  const auto fluid =
      scenarios::run_replications(scenarios::load_text(served(s), "<fluid>"), 1, 1, 1);
  const auto& rq = requests.workloads.at("wl");
  const auto& fl = fluid.workloads.at("wl");
  INFO("in flight: requests " << rq.at("meanInFlight").mean << ", fluid "
                              << fl.at("meanInFlight").mean << "; replica-seconds: requests "
                              << rq.at("replicaSeconds").mean << ", fluid "
                              << fl.at("replicaSeconds").mean);
  CHECK(fl.at("meanInFlight").mean == Approx(rq.at("meanInFlight").mean).epsilon(0.05));
  CHECK(fl.at("replicaSeconds").mean == Approx(rq.at("replicaSeconds").mean).epsilon(0.05));
  // And the path itself: both settle at 4 replicas.
  CHECK(fluid.runs.front().workloads.front().scaling->current == 4);
  for (const auto& run : requests.runs) CHECK(run.workloads.front().scaling->current == 4);
}

// Replications: many seeds over one shared scenario, in threads, with statistics across them.
#include "wlsim/scenarios/replications.hpp"

#include <catch2/catch.hpp>
#include <numeric>

#include "scenario_fixture.hpp"

using namespace wlsim::scenarios;
using wlsim::testing::one_workload;

namespace {
Scenario random_startups() {
  return load_text(one_workload({.container = "behavior: {startup: \"uniform(0s, 100s)\"}",
                                 .top = "profile: kubernetes\n",
                                 .replicas = 1}));
}
}  // namespace

TEST_CASE("replications give the same runs and statistics whatever the number of threads",
          "[replications][determinism]") {
  const Scenario s = random_startups();
  const auto one = run_replications(s, 5, 12, 1);
  const auto four = run_replications(s, 5, 12, 4);
  CHECK(replications_json(one) == replications_json(four));
  CHECK(one.seeds.front() == 5);
  CHECK(one.seeds.back() == 16);
  // Each run is the single run of its seed.
  CHECK(one.runs[3].trace_hash == run(s, {.seed = 8}).trace_hash);
}

TEST_CASE("replication statistics are those of the individual runs", "[replications]") {
  const auto r = run_replications(random_startups(), 1, 40, 2);
  std::vector<double> ttr;
  for (const auto& run : r.runs) ttr.push_back(*run.workloads[0].time_to_running_s);
  const auto& st = r.workloads.at("wl").at("timeToRunning");
  CHECK(st.n == 40);
  CHECK(st.mean == Approx(std::accumulate(ttr.begin(), ttr.end(), 0.0) / 40));
  CHECK(st.min == *std::min_element(ttr.begin(), ttr.end()));
  CHECK(st.max == *std::max_element(ttr.begin(), ttr.end()));
  CHECK(st.ci95 > 0);
  // Start-up uniform on [0, 100 s], probes every 10 s from 0: running on the first probe after
  // start-up.
  CHECK(st.min >= 0);
  CHECK(st.max <= 100);
  for (double v : ttr) CHECK(std::fmod(v, 10.0) == 0.0);
}

TEST_CASE("an error in one replication reaches the caller as the error of a single run",
          "[replications][bounds]") {
  const Scenario s = load_text(
      one_workload({.container = "behavior: {exit: {after: 5s, code: 1}}", .duration = "1000d"}));
  std::string single;
  try {
    (void)run(s, {.seed = 3, .limits = {.max_events = 200}});
  } catch (const ScenarioError& e) {
    single = e.what();
  }
  REQUIRE_FALSE(single.empty());
  for (const int threads : {1, 2, 4}) {
    try {
      (void)run_replications(s, 3, 8, threads, {.max_events = 200});
      FAIL("no error");
    } catch (const ScenarioError& e) {
      CHECK(std::string(e.what()) == single);
    }
  }
}

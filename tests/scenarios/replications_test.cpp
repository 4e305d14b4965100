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

// A scenario keeps its container specs across runs (Scenario::container_specs): every replication
// after the first finds its protons' specs made, and gets the run it would get alone.
TEST_CASE("replications share their scenario's container specs and run as with their own",
          "[replications]") {
  const Scenario s = random_startups();
  Scenario alone = s;
  alone.container_specs = nullptr;  // each run holds its own
  const auto first = run(s, {.seed = 3});
  REQUIRE(s.container_specs->size() == 1);
  const auto r = run_replications(s, 1, 8, 2);
  CHECK(s.container_specs->size() == 1);
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    CAPTURE(i);
    CHECK(r.runs[i].trace_hash == run(alone, {.seed = r.seeds[i]}).trace_hash);
  }
  CHECK(first.trace_hash == run(alone, {.seed = 3}).trace_hash);

  // A copy changed after the runs began shares the pool, which tells its specs apart by content.
  Scenario changed = s;
  changed.platform.artifacts.front().containers.front().image_uri = "registry.example/other:2";
  Scenario changed_alone = changed;
  changed_alone.container_specs = nullptr;
  const auto c = run(changed, {.seed = 3});
  CHECK(s.container_specs->size() == 2);
  CHECK(c.trace_hash == run(changed_alone, {.seed = 3}).trace_hash);
  CHECK(c.trace_hash != first.trace_hash);
}

// Sweeps: variants from --set value lists, every variant on the same seeds, and the statistics
// table with the paired difference to the first variant.
#include "wlsim/scenarios/sweep.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "cli_harness.hpp"
#include "scenario_fixture.hpp"
#include "wlsim/scenarios/replications.hpp"

using namespace wlsim::scenarios;
using wlsim::testing::Cli;
using wlsim::testing::example;
using wlsim::testing::one_workload;

namespace {

const std::string kReplicas = "workloads[wl].runtime.containerGroups[0].replicaCount";

Source random_startups() {
  return text_source(one_workload({.container = "behavior: {startup: \"uniform(0s, 100s)\"}",
                                   .top = "profile: kubernetes\n",
                                   .replicas = 2}),
                     "<test>");
}

/// Every run of a sweep, in (variant, seed) order.
std::vector<SweepRun> sweep_runs(const std::vector<Scenario>& variants,
                                 const std::vector<std::uint64_t>& seeds, int threads) {
  std::vector<SweepRun> runs;
  run_sweep(variants, seeds, threads, {}, {}, [&](const SweepRun& r) { runs.push_back(r); });
  std::sort(runs.begin(), runs.end(), [](const SweepRun& a, const SweepRun& b) {
    return std::tie(a.variant, a.seed) < std::tie(b.variant, b.seed);
  });
  return runs;
}

MetricRow row(const std::string& workload, const std::string& metric, std::optional<double> v) {
  return {workload, "", metric, v};
}

SweepRun hand_run(std::size_t variant, std::uint64_t seed, std::vector<MetricRow> metrics) {
  SweepRun r;
  r.variant = variant;
  r.seed = seed;
  r.rows.metrics = std::move(metrics);
  return r;
}

}  // namespace

TEST_CASE("common random numbers: seed s of every variant is exactly seed s",
          "[sweep][determinism]") {
  const Source source = random_startups();
  // Two variants with the same overrides are the same scenario, so their runs must be identical.
  const std::vector<Variant> variants{{{{kReplicas, "2"}}}, {{{kReplicas, "2"}}}};
  const std::vector<Scenario> loaded = load_variants(source, {}, variants, {});
  const std::vector<std::uint64_t> seeds{3, 4, 5, 6};
  const std::vector<SweepRun> runs = sweep_runs(loaded, seeds, 3);
  REQUIRE(runs.size() == 8);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const SweepRun& a = runs[i];
    const SweepRun& b = runs[seeds.size() + i];
    CHECK(a.seed == seeds[i]);
    CHECK(b.seed == seeds[i]);
    CHECK(a.rows == b.rows);
    CHECK(a.trace_hash == b.trace_hash);
    // ... and each is the plain run of that seed.
    const RunResult plain = run(load_source(source, {}), {.seed = seeds[i]});
    CHECK(a.rows == run_rows(plain));
    CHECK(a.trace_hash == plain.trace_hash);
    CHECK(a.events == plain.events);
  }
  // The seeds differ from each other (the startups are random).
  CHECK(runs[0].trace_hash != runs[1].trace_hash);
}

TEST_CASE("a sweep gives the same runs whatever the number of threads", "[sweep][determinism]") {
  const std::vector<Scenario> loaded =
      load_variants(random_startups(), {}, cartesian_variants({kReplicas + "=1,2,3"}), {});
  CHECK(sweep_runs(loaded, {1, 2, 3}, 1) == sweep_runs(loaded, {1, 2, 3}, 4));
}

TEST_CASE("the variants are the cartesian product, the first --set varying slowest", "[sweep]") {
  const auto v = cartesian_variants({"a=1,2", "b=x", "c=p,q,r"});
  REQUIRE(v.size() == 6);
  const auto text = [&](std::size_t i) { return variant_text(v[i]); };
  CHECK(text(0) == "a=1, b=x, c=p");
  CHECK(text(1) == "a=1, b=x, c=q");
  CHECK(text(2) == "a=1, b=x, c=r");
  CHECK(text(3) == "a=2, b=x, c=p");
  CHECK(text(5) == "a=2, b=x, c=r");
  CHECK(cartesian_variants({}).size() == 1);
  CHECK(variant_text(cartesian_variants({}).front()) == "(no overrides)");
  CHECK_THROWS_WITH(cartesian_variants({"a=1", "a=2"}),
                    "'a' is set twice (give its values in one list)");
  CHECK_THROWS_WITH(cartesian_variants({"a=1,2,3,4,5,6,7,8,9,10", "b=1,2,3,4,5,6,7,8,9,10",
                                        "c=1,2,3,4,5,6,7,8,9,10", "d=1,2,3,4,5,6,7,8,9,10",
                                        "e=1,2,3,4,5,6,7,8,9,10", "f=1,2"}),
                    "the values make more than 100000 variants");
}

TEST_CASE("a value list splits at commas outside brackets, braces and quotes", "[sweep]") {
  CHECK(split_values("5, 10,20") == std::vector<std::string>{"5", "10", "20"});
  CHECK(split_values(R"([a, b],{cpu: 2, memory: 4Gi}, 'x,y', "p,\"q", it's)") ==
        std::vector<std::string>{"[a, b]", "{cpu: 2, memory: 4Gi}", "'x,y'", R"("p,\"q")", "it's"});
  CHECK(split_values("'a'',b'") == std::vector<std::string>{"'a'',b'"});
  CHECK(split_values("[[1, 2], [3]]") == std::vector<std::string>{"[[1, 2], [3]]"});
  CHECK_THROWS_WITH(split_values("1,,2"),
                    "value list '1,,2': an empty value (write null for the field's default)");
  CHECK_THROWS_WITH(split_values("[1, 2"), "value list '[1, 2': a bracket is never closed");
  CHECK_THROWS_WITH(split_values("1]"), "value list '1]': a ']' without its opening bracket");
  CHECK_THROWS_WITH(split_values("'a, b"), "value list ''a, b': a ' is never closed");
}

TEST_CASE("a variant that does not load is named by its overrides", "[sweep][errors]") {
  try {
    (void)load_variants(random_startups(), {}, cartesian_variants({kReplicas + "=1,-1"}), {});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "variant 1 (" + kReplicas +
              "=-1): <test>: workloads[0].runtime.containerGroups[0].replicaCount: -1 is not >= 0");
  }
}

TEST_CASE("the paired difference pairs by seed and workload (hand-computed)", "[sweep][stats]") {
  SweepResults r;
  r.scenario = "hand";
  r.variants = cartesian_variants({"x=1,2"});
  r.seeds = {1, 2};
  // Variant 0: seed 1 {w1: 1, w2: 2}, seed 2 {w1: 3, w2: never running}.
  // Variant 1: seed 1 {w1: 2, w2: 5}, seed 2 {w1: 6, w2: 4}.
  // Pairs: (1, w1) 2 - 1 = 1, (1, w2) 5 - 2 = 3, (2, w1) 6 - 3 = 3; (2, w2) has no pair.
  r.runs = {hand_run(1, 2, {row("w1", "timeToRunning", 6), row("w2", "timeToRunning", 4)}),
            hand_run(0, 1,
                     {row("w1", "timeToRunning", 1), row("w2", "timeToRunning", 2),
                      row("w1", "empty", std::nullopt)}),
            hand_run(0, 2, {row("w1", "timeToRunning", 3), row("w2", "timeToRunning", {})}),
            hand_run(1, 1, {row("w1", "timeToRunning", 2), row("w2", "timeToRunning", 5)})};
  const SweepStats st = sweep_stats(r);
  // A metric without any value is left out.
  REQUIRE(st.metrics.size() == 1);
  const SweepMetric& m = st.metrics[0];
  CHECK(m.name == "timeToRunning");
  const MetricStats& v0 = m.variants[0].stats;
  CHECK(v0.n == 3);
  CHECK(v0.missing == 1);
  CHECK(v0.mean == 2);
  CHECK(v0.p50 == 2);
  CHECK(v0.p90 == 3);
  CHECK_FALSE(m.variants[0].difference);
  const MetricStats& v1 = m.variants[1].stats;
  CHECK(v1.n == 4);
  CHECK(v1.mean == 4.25);
  CHECK(v1.p50 == 4);
  CHECK(v1.p90 == 6);
  REQUIRE(m.variants[1].difference);
  const MetricStats& d = *m.variants[1].difference;
  CHECK(d.n == 3);
  CHECK(d.mean == Approx(7.0 / 3).epsilon(1e-15));
  // Sample standard deviation of {1, 3, 3}: sqrt(((4/3)^2 + 2 (2/3)^2) / 2) = sqrt(4/3); the
  // interval's half-width 1.96 sqrt(4/3) / sqrt(3) = 1.96 · 2/3.
  CHECK(d.stddev == Approx(std::sqrt(4.0 / 3)).epsilon(1e-15));
  CHECK(d.ci95 == Approx(1.96 * 2 / 3).epsilon(1e-15));
  CHECK(st.never_running == std::vector<int>{1, 0});
  CHECK(st.workload_seeds == std::vector<int>{4, 4});

  const std::string table = sweep_table(r);
  // ±95% of {1, 2, 3}: 1.96 · 1 / sqrt(3) = 1.132; of {2, 5, 6, 4}: 1.96 · sqrt(8.75 / 3) / 2 =
  // 1.674.
  CHECK_THAT(table, Catch::StartsWith("scenario hand  sweep of 2 variants × 2 seeds (1..2)\n"));
  CHECK_THAT(table, Catch::Contains("\n0        x=1\n1        x=2\n"));
  CHECK_THAT(table,
             Catch::Contains("\ntimeToRunning   0        3       2           1.132       2       "
                             "    3           -           -\n"
                             "                1        4       4.25        1.674       4       "
                             "    6           2.333       1.307\n"));
  CHECK_THAT(table, Catch::EndsWith(
                        "\nnever running (timeToRunning missing): variant 0: 1 of 4; variant 1: "
                        "0 of 4\n"));
  CHECK_THAT(
      sweep_json(r),
      Catch::Contains(R"({"metric":"timeToRunning","variants":[{"n":3,"missing":1,"mean":2,)"));
}

TEST_CASE("replacement and fleet metrics are told apart from a workload's of the same name",
          "[sweep][stats]") {
  SweepResults r;
  r.scenario = "names";
  r.variants = cartesian_variants({});
  r.seeds = {1};
  SweepRun run = hand_run(0, 1, {row("w", "status", 1), row("", "status", 2)});
  run.rows.metrics.push_back({"w", "r-1", "status", 3});
  r.runs = {run};
  const SweepStats st = sweep_stats(r);
  REQUIRE(st.metrics.size() == 3);
  CHECK(st.metrics[0].name == "status");
  CHECK(st.metrics[1].name == "fleet.status");
  CHECK(st.metrics[2].name == "replacement.status");
}

TEST_CASE("the replication table keeps workloads that never run and says how many",
          "[replications][sweep]") {
  const Scenario s =
      load_text(one_workload({.resources = "{cpu: 100, memory: 1GB}", .duration = "10m"}));
  const ReplicationSummary r = run_replications(s, 1, 4, 2);
  const MetricStats& ttr = r.workloads.at("wl").at("timeToRunning");
  CHECK(ttr.n == 0);
  CHECK(ttr.missing == 4);
  CHECK(r.workloads.at("wl").at("pendingTime").n == 4);
  const std::string table = replications_table(r);
  CHECK_THAT(
      table,
      Catch::Contains("\nwl              timeToRunning                         0     4        -"));
  CHECK_THAT(table, Catch::EndsWith("\nnever running (timeToRunning missing):\n"
                                    "  wl in 4 of 4 replications\n"));
  CHECK_THAT(replications_json(r),
             Catch::Contains(R"("timeToRunning":{"n":0,"missing":4,"mean":null,)"));
}

TEST_CASE("the replication table has every metric of the run rows", "[replications]") {
  const auto r = run_replications(load_file(example("memory-leak.yaml")), 1, 2, 1);
  const std::string table = replications_table(r);
  for (const char* name : {"oomKills", "restarts", "peakHeld.memory", "evictions.nodeFailure",
                           "timeToRunningBreakdown.pulling"}) {
    CHECK_THAT(table, Catch::Contains(std::string(" ") + name + " "));
  }
  const auto rep = run_replications(load_file(example("rolling-replacement.yaml")), 1, 2, 1);
  CHECK_FALSE(rep.replacements.empty());
  CHECK_THAT(replications_table(rep), Catch::Contains(" peakSurge.cpu "));
}

TEST_CASE("wlsim sweep prints the same table when resumed from its store", "[sweep][cli]") {
  const Cli wlsim;
  const std::string db = (wlsim.dir() / "results.db").string();
  const std::string probe =
      " --set 'artifacts[app-v1].containerGroups[0].containers[app].readinessProbe."
      "periodSeconds=5,10,30'";
  const auto first =
      wlsim("sweep " + example("hello.yaml") + probe + " --replications 3 --threads 2 --out " + db);
  REQUIRE(first.code == 0);
  CHECK(first.err.empty());  // no progress bar when stderr is not a terminal
  CHECK_THAT(first.out,
             Catch::StartsWith("scenario hello  sweep of 3 variants × 3 seeds (42..44)\n"));
  CHECK_THAT(first.out, Catch::Contains("\ntimeToRunning "));
  const auto again =
      wlsim("sweep " + example("hello.yaml") + probe + " --replications 3 --out " + db);
  CHECK(again.code == 0);
  CHECK(again.out == first.out);
  const auto memory = wlsim("sweep " + example("hello.yaml") + probe + " --replications 3");
  CHECK(memory.out == first.out);
  const auto json =
      wlsim("sweep " + example("hello.yaml") + probe + " --replications 3 --format json");
  CHECK_THAT(json.out, Catch::StartsWith(R"({"scenario":"hello","seeds":[42,43,44],)"));
}

TEST_CASE("wlsim sweep refuses bad input with exit 2, one line and no output",
          "[sweep][cli][errors]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  const std::string probe =
      "'artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds";
  const auto check = [&](const std::string& args, const std::string& err) {
    const auto o = wlsim("sweep " + hello + " " + args);
    CHECK(o.code == 2);
    CHECK(o.out.empty());
    CHECK(o.err == err);
  };
  check("--replications 2",
        "wlsim: sweep needs at least one --set PATH=V1,V2,...\n"
        "Run 'wlsim sweep --help' for usage.\n");
  check("--replications 2 --set " + probe + "=5,,10'",
        "wlsim: --set: value list '5,,10': an empty value (write null for the field's "
        "default)\nRun 'wlsim sweep --help' for usage.\n");
  check("--replications 2 --set " + probe + "=5,10' --out " + (wlsim.dir() / "no/such.db").string(),
        "wlsim: --out: " + (wlsim.dir() / "no/such.db").string() +
            ": cannot open it: unable to open database file\n");
  const std::string db = (wlsim.dir() / "other.db").string();
  REQUIRE(wlsim("sweep " + hello + " --replications 1 --set " + probe + "=5' --out " + db).code ==
          0);
  check("--replications 2 --set " + probe + "=5' --out " + db,
        "wlsim: --out: " + db +
            ": holds the results of another sweep (scenario 'hello', 1 variants, 1 seeds from "
            "42); use another file, or remove it to start again\n");
}

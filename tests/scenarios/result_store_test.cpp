// The result store: whole runs written as they finish, a stopped sweep resumed to exactly the
// rows and table of an uninterrupted one, and a store of another sweep refused.
#include "wlsim/scenarios/result_store.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"
#include "temp_dir.hpp"

using namespace wlsim::scenarios;
using wlsim::testing::one_workload;
using wlsim::testing::TempDir;

namespace {

const std::string kReplicas = "workloads[wl].runtime.containerGroups[0].replicaCount";

struct Study {
  Source source =
      text_source(one_workload({.container = "behavior: {startup: \"uniform(0s, 100s)\"}",
                                .top = "profile: kubernetes\n",
                                .replicas = 2}),
                  "<test>");
  std::vector<Variant> variants = cartesian_variants({kReplicas + "=1,2,3"});
  std::vector<std::uint64_t> seeds{7, 8, 9, 10};
  std::vector<Scenario> loaded = load_variants(source, {}, variants, {});

  [[nodiscard]] SweepIdentity identity() const {
    return {.scenario = "t",
            .source_text = source.text,
            .base = {},
            .variants = variants,
            .seeds = seeds};
  }
  /// Runs what `store` does not hold; stops (throws) after `stop_after` runs if given.
  void run_into(ResultStore& store, std::optional<std::size_t> stop_after = {}) const {
    std::size_t added = 0;
    run_sweep(loaded, seeds, 2, {}, store.done(), [&](const SweepRun& r) {
      if (stop_after && added == *stop_after) throw std::runtime_error("stopped");
      store.add(r);
      ++added;
    });
  }
  [[nodiscard]] std::string table(const ResultStore& store) const {
    return sweep_table(
        {.scenario = "t", .variants = variants, .seeds = seeds, .runs = store.read()});
  }
};

/// A table of the file, every column of every row as text, in the order of `order_by`.
std::string dump(const std::string& path, const std::string& table, const std::string& order_by) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  const std::string sql = "SELECT * FROM " + table + " ORDER BY " + order_by;
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const auto* t = sqlite3_column_text(stmt, c);
      out += t == nullptr ? "NULL" : reinterpret_cast<const char*>(t);
      out += '|';
    }
    out += '\n';
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("a stopped sweep resumed from its store gives exactly the rows of an uninterrupted one",
          "[store][sweep]") {
  const TempDir dir("result_store_test");
  const Study study;
  const std::string whole = dir.path("whole.db");
  const std::string resumed = dir.path("resumed.db");
  {
    ResultStore store(whole, study.identity());
    study.run_into(store);
  }
  {
    ResultStore store(resumed, study.identity());
    CHECK_THROWS_WITH(study.run_into(store, 5), "stopped");
    CHECK(store.done().size() == 5);
  }
  {
    ResultStore store(resumed, study.identity());
    CHECK(store.done().size() == 5);
    study.run_into(store);
    CHECK(store.done().size() == 12);
  }
  const ResultStore a(whole, study.identity());
  const ResultStore b(resumed, study.identity());
  CHECK(a.read().size() == 12);
  CHECK(a.read() == b.read());
  CHECK(study.table(a) == study.table(b));
  CHECK_THAT(study.table(a), Catch::Contains("\ntimeToRunning "));
  for (const auto& [table, order] :
       std::vector<std::pair<std::string, std::string>>{{"sweep", "key"},
                                                        {"variants", "variant"},
                                                        {"runs", "variant, seed"},
                                                        {"metrics", "variant, seed, position"},
                                                        {"texts", "variant, seed, position"}}) {
    CHECK(dump(whole, table, order) == dump(resumed, table, order));
  }
  CHECK_THAT(dump(whole, "variants", "variant"),
             Catch::StartsWith("0|{\"" + kReplicas + "\":\"1\"}|\n"));
  // One metric row per run × workload × metric: timeToRunning of the one workload, 12 runs.
  CHECK(dump(whole, "metrics", "variant").find("|wl||timeToRunning|") != std::string::npos);
}

TEST_CASE("the store's rows are the run rows of each (variant, seed)", "[store][sweep]") {
  const Study study;
  ResultStore store(":memory:", study.identity());
  study.run_into(store);
  const std::vector<SweepRun> runs = store.read();
  REQUIRE(runs.size() == 12);
  CHECK(runs[5].variant == 1);
  CHECK(runs[5].seed == 8);
  const RunResult plain = run(study.loaded[1], {.seed = 8});
  CHECK(runs[5].rows == run_rows(plain));
  CHECK(runs[5].trace_hash == plain.trace_hash);
  CHECK(runs[5].events == plain.events);
  CHECK(runs[5].simulated_seconds == plain.simulated.seconds());
}

TEST_CASE("a store holds only whole runs of its own sweep", "[store][errors]") {
  const TempDir dir("result_store_test");
  const Study study;
  const std::string path = dir.path("s.db");
  ResultStore store(path, study.identity());
  SweepRun r = sweep_run(0, run(study.loaded[0], {.seed = 7}));
  store.add(r);
  CHECK_THROWS_WITH(store.add(r), path + ": run (variant 0, seed 7) is already stored");
  r.variant = 3;
  CHECK_THROWS_WITH(store.add(r), path + ": run (variant 3, seed 7): the sweep has 3 variants");
  r.variant = 0;
  r.seed = 11;
  CHECK_THROWS_WITH(store.add(r), path + ": run (variant 0, seed 11): not a seed of the sweep");
  CHECK(store.done() == std::set<RunKey>{{0, 7}});
  CHECK(store.read().front().rows == r.rows);
}

TEST_CASE("a store of another sweep is refused", "[store][errors]") {
  const TempDir dir("result_store_test");
  const Study study;
  const std::string path = dir.path("s.db");
  { ResultStore store(path, study.identity()); }
  const std::string refused =
      path +
      ": holds the results of another sweep (scenario 't', 3 variants, 4 seeds from 7); use "
      "another file, or remove it to start again";
  SweepIdentity more_seeds = study.identity();
  more_seeds.seeds.push_back(11);
  CHECK_THROWS_WITH(ResultStore(path, more_seeds), refused);
  SweepIdentity other_variants = study.identity();
  other_variants.variants.pop_back();
  CHECK_THROWS_WITH(ResultStore(path, other_variants), refused);
  SweepIdentity other_text = study.identity();
  other_text.source_text += "# a comment\n";
  CHECK_THROWS_WITH(ResultStore(path, other_text), refused);
  SweepIdentity other_base = study.identity();
  other_base.base = {{"duration", "2h"}};
  CHECK_THROWS_WITH(ResultStore(path, other_base), refused);
  // The same sweep opens it.
  CHECK_NOTHROW(ResultStore(path, study.identity()));

  const std::string text = dir.file("text.db",
                                    "not a database, just text that is long enough to "
                                    "have a header of a hundred bytes, which SQLite "
                                    "reads first to see what the file is.\n");
  CHECK_THROWS_WITH(ResultStore(text, study.identity()),
                    text + ": not a wlsim result store (not an SQLite file)");
}

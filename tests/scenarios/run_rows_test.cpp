// scenarios/run_rows.cpp: a run's rows are written from its result without the summary's JSON; they
// must be exactly the rows of that JSON (summary_rows), row for row and in order.
#include "wlsim/scenarios/run_rows.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace fs = std::filesystem;
using namespace wlsim::scenarios;

TEST_CASE("a run's rows are its summary's rows, for every example", "[run_rows]") {
  int examples = 0;
  for (const auto& e :
       fs::directory_iterator(fs::path(WLSIM_SOURCE_DIR) / "scenarios" / "examples")) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".expected.json") ||
        (e.path().extension() != ".yaml" && e.path().extension() != ".json")) {
      continue;
    }
    INFO(name);
    ++examples;
    const RunResult r = run(load_file(e.path().string()));
    const RunRows rows = run_rows(r);
    CHECK(rows == summary_rows(summary_metrics_value(r)));
    CHECK(rows == summary_rows(summary_value(r)));
  }
  CHECK(examples >= 10);
}

TEST_CASE("a replacement's rows carry its id, not as a row of their own; protons give none",
          "[run_rows]") {
  RunResult r;
  WorkloadResult w;
  w.id = "wl";
  w.status = "running";
  w.protons.push_back({"wl/p1", "app-1", "active", "running", 5.0, 0.0});
  ReplacementResult rep;
  rep.id = "r1";
  rep.status = "succeeded";
  rep.time_to_switch_s = 17.5;
  w.replacements.push_back(rep);
  r.workloads.push_back(w);
  const RunRows rows = run_rows(r);
  CHECK(rows == summary_rows(summary_metrics_value(r)));
  int switch_rows = 0;
  for (const MetricRow& m : rows.metrics) {
    if (m.workload.empty()) continue;  // the fleet's
    if (m.metric == "timeToSwitch") {
      ++switch_rows;
      CHECK(m.replacement == "r1");
      CHECK(m.value == 17.5);
    }
    CHECK(m.metric.find("protons") == std::string::npos);
  }
  CHECK(switch_rows == 1);
  for (const TextRow& t : rows.texts) {
    CHECK(t.field != "id");
    if (t.field == "outcome") CHECK(t.text.empty());  // null: a text row of ""
  }
}

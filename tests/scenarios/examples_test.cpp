// The conformance kit: every scenario in scenarios/examples/ loads, runs twice with the same trace
// hash, has metrics that add up, and matches its golden summary (<name>.expected.json beside it).
// A new example is a new test for free. After an intended change, regenerate the goldens with
//   WLSIM_UPDATE_GOLDEN=1 ./build/release/tests/wlsim_scenarios_tests "[examples]"
// and review the diff.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "foresight_check.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace fs = std::filesystem;
using namespace wlsim::scenarios;

namespace {
std::vector<fs::path> examples() {
  std::vector<fs::path> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(WLSIM_SOURCE_DIR) / "scenarios" / "examples")) {
    if (e.path().extension() == ".yaml" || e.path().extension() == ".json") {
      if (e.path().string().ends_with(".expected.json")) continue;
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("there are example scenarios", "[examples]") { CHECK(examples().size() >= 2); }

TEST_CASE("every example runs twice with the same hash, adds up, and matches its golden summary",
          "[examples]") {
  for (const fs::path& file : examples()) {
    SECTION(file.filename().string()) {
      const Scenario s = load_file(file.string());
      const RunResult a = run(s);
      const RunResult b = run(s);
      CHECK(a.trace_hash == b.trace_hash);
      CHECK(a.events == b.events);
      CHECK(a.simulated == s.duration);
      for (const WorkloadResult& w : a.workloads) {
        INFO(w.id);
        CHECK(w.replicas_running <= w.replicas);
        // The pending time is the sum of its causes (a deleted workload has 0 replicas left, and
        // evictions make new ones: no bound by the replica count holds).
        CHECK(w.pending_s ==
              Approx(w.pending_no_capacity_s + w.pending_for_victims_s + w.pending_for_node_s));
        CHECK(w.evictions_preemption == w.preempted);
        CHECK(w.degraded_s <= a.simulated.seconds());
        if (w.status == "running") CHECK(w.time_to_running_s.has_value());
        if (w.time_to_running_s) CHECK(*w.time_to_running_s <= a.simulated.seconds());
      }
      const fs::path golden = fs::path(file).replace_extension(".expected.json");
      const std::string actual = summary_json(a) + "\n";
      if (std::getenv("WLSIM_UPDATE_GOLDEN") != nullptr) std::ofstream(golden) << actual;
      REQUIRE(fs::exists(golden));
      CHECK(read(golden) == actual);
    }
  }
}

TEST_CASE(
    "events passed silently change nothing: every example runs the same with them taken one by "
    "one",
    "[examples][foresight]") {
  // The autoscaler lets ticks it foresees to change nothing pass silently and takes them later
  // (autoscaler.hpp, Foresight), and a failing probe its fires before the app comes up
  // (probe.hpp): the same decisions, the same trace, the same figures, the same count of events.
  // Some example must let events pass, or this shows nothing.
  std::uint64_t silent = 0;
  for (const fs::path& file : examples()) {
    INFO(file.filename().string());
    silent += run_both_ways(load_file(file.string())).silent_events;
  }
  CHECK(silent > 0);
}

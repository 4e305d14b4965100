// The --max-* options reach the loader (Limits) and the runner (RunLimits::max_events) on every
// command that loads or runs a scenario. hello.yaml holds 3 replicas of one group on 3 nodes, and
// its longest list has 2 items (serves); a limit at that size passes and one below fails with one
// line, exit 2 and nothing on stdout. (The size limit also bounds the number of values, one per 256
// bytes, so a file passes only well above its own size.)
// Tagged [needs-loader-limits]: the failures need the loader's enforcement of Limits;
// [needs-runner-budget]: they need the runner's event budget.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cli_harness.hpp"

using wlsim::testing::Cli;
using wlsim::testing::entries;
using wlsim::testing::example;
using wlsim::testing::Outcome;
using wlsim::testing::slurp;

namespace {

const std::vector<std::string> kLoading{"run", "validate", "trace", "status --at 1m"};
const std::vector<std::string> kRunning{"run", "trace", "status --at 1m",
                                        "run --replications 2 --threads 1",
                                        "run --replications 8 --threads 2"};

/// Exit 2, nothing on stdout, and one line from `origin` naming the limit `value` that was passed.
void check_limit_error(const Outcome& o, const std::string& origin, const std::string& value) {
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK_THAT(o.err, Catch::StartsWith("wlsim: " + origin + ": ") &&
                        Catch::Contains("limit of " + value + " "));
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
}

struct LimitCase {
  std::string flag;
  std::string passes;
  std::string below;  ///< fails
};

}  // namespace

TEST_CASE("each scenario limit reaches the loader from every command that loads a scenario",
          "[cli][limits][needs-loader-limits]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  const auto size = std::filesystem::file_size(hello);
  const std::vector<LimitCase> cases{
      {"--max-file-size", "1000000", std::to_string(size - 1)},
      {"--max-list-length", "2", "1"},
      {"--max-depth", "64", "2"},
      {"--max-replicas", "3", "2"},
      {"--max-total-replicas", "3", "2"},
      {"--max-nodes", "3", "2"},
  };
  for (const auto& command : kLoading) {
    for (const auto& [flag, passes, below] : cases) {
      INFO("wlsim " << command << " " << flag);
      CHECK(wlsim(command + " " + hello + " " + flag + " " + passes).code == 0);
      check_limit_error(wlsim(command + " " + hello + " " + flag + " " + below), hello, below);
    }
  }
}

TEST_CASE("a scenario read from standard input is bounded by --max-file-size",
          "[cli][limits][stdin][needs-loader-limits]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  CHECK(wlsim("validate - --max-file-size 1000000 <" + hello).code == 0);
  check_limit_error(wlsim("validate - --max-file-size 100 <" + hello), "<stdin>", "100");
  // An endless input is read no further than the limit.
  check_limit_error(wlsim("validate - --max-file-size 1000 </dev/zero"), "<stdin>", "1000");
}

TEST_CASE("every command that runs a scenario passes --max-events to the runner",
          "[cli][limits][needs-runner-budget]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  for (const auto& command : kRunning) {
    INFO("wlsim " << command);
    CHECK(wlsim(command + " " + hello + " --max-events 100000").code == 0);
    const auto o = wlsim(command + " " + hello + " --max-events 5");
    CHECK(o.code == 2);
    CHECK(o.out.empty() == (command != "trace"));
    CHECK_THAT(o.err, Catch::StartsWith("wlsim: "));
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
  }
}

TEST_CASE("a trace that exhausts its event budget keeps the records before the error",
          "[cli][limits][streaming][needs-runner-budget]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  const std::string full = wlsim("trace " + hello).out;
  const auto o = wlsim("trace " + hello + " --max-events 5");
  CHECK(o.code == 2);
  CHECK_THAT(o.out,
             Catch::StartsWith("time,object,kind,from,to,reason,message,count,first,last\n"));
  CHECK(o.out.size() < full.size());
  CHECK(full.compare(0, o.out.size(), o.out) == 0);
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
}

TEST_CASE("run --out that exhausts its event budget leaves no partial output",
          "[cli][limits][out][needs-runner-budget]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  const auto dir = wlsim.dir() / "results";
  const auto o = wlsim("run " + hello + " --out " + dir.string() + " --max-events 5");
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK(entries(dir).empty());
  REQUIRE(wlsim("run " + hello + " --out " + dir.string()).code == 0);
  const std::string trace = slurp(dir / "trace.csv");
  CHECK(wlsim("run " + hello + " --out " + dir.string() + " --max-events 5").code == 2);
  CHECK(entries(dir) == std::set<std::string>{"summary.json", "trace.csv"});
  CHECK(slurp(dir / "trace.csv") == trace);
}

// wlsim check: one line per failed expectation, exit 1 when any fails, 0 when all hold, 2 for
// invalid input; --junit writes the outcomes for CI.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cli_harness.hpp"

using wlsim::testing::Cli;
using wlsim::testing::example;
using wlsim::testing::slurp;

namespace {
/// hello.yaml with its own expect block replaced by `expect`.
std::string hello_expecting(const std::string& expect) {
  std::string text = slurp(example("hello.yaml"));
  text.resize(text.find("\nexpect:") + 1);
  return text + "expect: " + expect + "\n";
}

/// Every example's path, each after a space, and how many there are.
std::pair<std::string, int> every_example() {
  std::string files;
  int count = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples")) {
    if (e.path().extension() == ".yaml") {
      files += ' ';
      files += e.path().string();
      ++count;
    }
  }
  return {files, count};
}
}  // namespace

TEST_CASE("wlsim check exits 0 on the examples, every expectation holding", "[cli][check]") {
  const Cli wlsim;
  const auto [files, count] = every_example();
  const auto o = wlsim("check" + files);
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::Matches("all [0-9]+ expectations hold \\(" + std::to_string(count) +
                                   " files\\)\n"));
}

TEST_CASE("wlsim check exits 1 on a false expectation and names it", "[cli][check]") {
  const Cli wlsim;
  const std::string file = wlsim.write(
      "slow.yaml", hello_expecting("{wl-1: {timeToRunning: \"<= 60s\", status: running}}"));
  const auto o = wlsim("check " + file + " " + example("crash-loop.yaml"));
  CHECK(o.code == 1);
  CHECK(o.out == file + ": wl-1.timeToRunning: expected <= 60s, got 66.2s\n" +
                     "1 of 9 expectations failed (2 files)\n");
  CHECK(o.err.empty());
}

TEST_CASE("wlsim check --junit writes one testsuite per file, one testcase per expectation",
          "[cli][check]") {
  const Cli wlsim;
  const std::string file = wlsim.write(
      "slow.yaml", hello_expecting("{wl-1: {timeToRunning: \"<= 60s\", status: running}}"));
  const auto report = wlsim.dir() / "reports" / "junit.xml";
  const auto o = wlsim("check " + file + " --junit " + report.string());
  CHECK(o.code == 1);
  CHECK(slurp(report) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"wlsim check\" tests=\"2\" failures=\"1\">\n"
        "  <testsuite name=\"" +
            file +
            "\" tests=\"2\" failures=\"1\">\n"
            "    <testcase classname=\"" +
            file +
            "\" name=\"wl-1.timeToRunning\">\n"
            "      <failure message=\"expected &lt;= 60s, got 66.2s\">" +
            file +
            ": wl-1.timeToRunning: expected &lt;= 60s, got 66.2s</failure>\n"
            "    </testcase>\n"
            "    <testcase classname=\"" +
            file +
            "\" name=\"wl-1.status\"/>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

TEST_CASE("wlsim check exits 2 on invalid input before running anything", "[cli][check]") {
  const Cli wlsim;
  const std::string bad = wlsim.write("bad.yaml", hello_expecting("{wl-1: {timeToRun: 1s}}"));
  const auto report = wlsim.dir() / "junit.xml";
  const auto o =
      wlsim("check " + example("hello.yaml") + " " + bad + " --junit " + report.string());
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK_THAT(o.err, Catch::StartsWith("wlsim: " + bad +
                                      ": expect.wl-1.timeToRun: 'timeToRun' is "
                                      "not a metric of a workload's summary (allowed: status,"));
  CHECK_FALSE(std::filesystem::exists(report));
  const auto none = wlsim("check");
  CHECK(none.code == 2);
  CHECK_THAT(none.err,
             Catch::StartsWith(
                 "wlsim: check needs at least one scenario FILE (or - for standard input)\n"));
}

TEST_CASE("wlsim check says so on stderr for a file without an expect block", "[cli][check]") {
  const Cli wlsim;
  const auto o = wlsim("check " + example("kpa-burst.yaml"));
  CHECK(o.code == 0);
  CHECK(o.out == "all 0 expectations hold (1 file)\n");
  CHECK(o.err == "wlsim: " + example("kpa-burst.yaml") + ": no expect block, nothing to check\n");
}

TEST_CASE("wlsim check takes - for standard input, once, beside files", "[cli][check][stdin]") {
  const Cli wlsim;
  const std::string slow = hello_expecting("{wl-1: {timeToRunning: \"<= 60s\"}}");
  const std::string file = wlsim.write("slow.yaml", slow);
  const auto o = wlsim("check - " + example("crash-loop.yaml") + " <" + file);
  CHECK(o.code == 1);
  CHECK(o.out ==
        "<stdin>: wl-1.timeToRunning: expected <= 60s, got 66.2s\n"
        "1 of 8 expectations failed (2 files)\n");
  const auto twice = wlsim("check - - <" + file);
  CHECK(twice.code == 2);
  CHECK(twice.out.empty());
  CHECK_THAT(twice.err, Catch::StartsWith("wlsim: check reads standard input (-) once only\n"));
}

TEST_CASE("wlsim check applies --set to every file and honours the --max-* limits",
          "[cli][check][overrides][limits]") {
  const Cli wlsim;
  const std::string file = wlsim.write(
      "slow.yaml", hello_expecting("{wl-1: {timeToRunning: \"<= 60s\", status: running}}"));
  // A smaller image makes the false expectation hold: 36.2 s of hello's 66.2 s is pulling.
  const auto faster = wlsim(
      "check " + file +
      " --set 'artifacts[app-v1].containerGroups[0].containers[app].behavior.imageSize=100MB'");
  CHECK(faster.err.empty());
  CHECK(faster.code == 0);
  const auto limited = wlsim("check " + example("hello.yaml") + " --max-file-size 10");
  CHECK(limited.code == 2);
  CHECK(limited.out.empty());
  CHECK_THAT(limited.err, Catch::Contains("over the limit of 10 bytes of scenario text"));
}

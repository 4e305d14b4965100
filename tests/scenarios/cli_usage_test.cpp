// Usage as a Git or kubectl user expects it: --help on every command, --version, and a usage error
// that is one line naming the problem plus one line pointing to the command's --help, exit 2, with
// nothing on stdout.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli_harness.hpp"

using wlsim::testing::Cli;
using wlsim::testing::example;

namespace {
/// The exact two lines of a usage error of `command` ("" for the top level).
std::string usage_error(const std::string& message, const std::string& command) {
  return "wlsim: " + message + "\nRun 'wlsim" + (command.empty() ? "" : " " + command) +
         " --help' for usage.\n";
}
}  // namespace

TEST_CASE("wlsim --version prints the program's name and version", "[cli][usage]") {
  const Cli wlsim;
  const auto o = wlsim("--version");
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::Matches("wlsim [0-9]+\\.[0-9]+\\.[0-9]+\n"));
  CHECK(o.err.empty());
}

TEST_CASE("every command has --help, and help COMMAND is the same", "[cli][usage]") {
  const Cli wlsim;
  for (const std::string cmd : {"run", "validate", "trace", "status", "graph"}) {
    const auto o = wlsim(cmd + " --help");
    CHECK(o.code == 0);
    CHECK(o.err.empty());
    CHECK_THAT(o.out, Catch::StartsWith("usage: wlsim " + cmd + " [options] "));
    CHECK(wlsim(cmd + " -h").out == o.out);
    CHECK(wlsim("help " + cmd).out == o.out);
  }
  const auto top = wlsim("--help");
  CHECK(top.code == 0);
  CHECK_THAT(top.out, Catch::StartsWith("usage: wlsim [options] [COMMAND]\n"));
  for (const char* line :
       {"\n  run ", "\n  validate ", "\n  trace ", "\n  status ", "\n  graph "}) {
    CHECK_THAT(top.out, Catch::Contains(line));
  }
  CHECK(wlsim("help").out == top.out);
}

TEST_CASE("the help of commands that load a scenario lists every limit", "[cli][usage][limits]") {
  const Cli wlsim;
  for (const std::string cmd : {"run", "validate", "trace", "status"}) {
    const auto o = wlsim(cmd + " --help");
    for (const char* flag :
         {"--max-file-size BYTES=67108864", "--max-list-length N=100000", "--max-depth N=64",
          "--max-replicas N=100000", "--max-total-replicas N=1000000", "--max-nodes N=100000"}) {
      CHECK_THAT(o.out, Catch::Contains(flag));
    }
    CHECK((o.out.find("--max-events N=20000000") != std::string::npos) == (cmd != "validate"));
  }
  CHECK_THAT(wlsim("trace --help").out,
             Catch::Contains("stops with an error after the records so far"));
}

TEST_CASE("a usage error is one line and a hint to the command's --help",
          "[cli][usage][bad-input]") {
  const Cli wlsim;
  const std::string hello = example("hello.yaml");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"run " + hello + " --seed x",
       usage_error("--seed: 'x' is not a non-negative integer", "run")},
      {"run " + hello + " --seed -3",
       usage_error("--seed: '-3' is not a non-negative integer", "run")},
      {"trace " + hello + " --seed 18446744073709551616",
       usage_error("--seed: '18446744073709551616' is not a non-negative integer", "trace")},
      {"run " + hello + " --format xml",
       usage_error("--format: 'xml' is not one of: table, json", "run")},
      {"trace " + hello + " --format table",
       usage_error("--format: 'table' is not one of: csv, jsonl", "trace")},
      {"run " + hello + " --seed", usage_error("--seed needs a value", "run")},
      {"run " + hello + " --bogus 1", usage_error("unknown option --bogus for run", "run")},
      {"validate " + hello + " --seed 1",
       usage_error("unknown option --seed for validate", "validate")},
      {"run " + hello + " extra.yaml", usage_error("unexpected argument 'extra.yaml'", "run")},
      {"run", usage_error("run needs a scenario FILE (or - for standard input)", "run")},
      {"frobnicate x",
       usage_error(
           "unknown command 'frobnicate' (allowed: run, sweep, validate, trace, status, check, "
           "graph, params, report, export)",
           "")},
      {"--bogus", usage_error("unknown option --bogus", "")},
      {"",
       usage_error("missing command (run, sweep, validate, trace, status, check, graph, params, "
                   "report, export)",
                   "")},
      {"run " + hello + " --threads 2", usage_error("--threads needs --replications", "run")},
      {"run " + hello + " --replications 0",
       usage_error("--replications: '0' is not a whole number from 1 to 999999", "run")},
      {"run " + hello + " --replications 2 --out x",
       usage_error("--out writes one run's trace; leave it out with --replications", "run")},
      {"run " + hello + " --max-events 0",
       usage_error("--max-events: '0' is not a whole number from 1 to 18446744073709551615",
                   "run")},
      {"validate " + hello + " --max-depth 2147483648",
       usage_error("--max-depth: '2147483648' is not a whole number from 1 to 2147483647",
                   "validate")},
      {"status " + example("crash-loop.yaml"),
       usage_error("status needs --at TIME (e.g. --at 10m)", "status")},
      {"status " + example("crash-loop.yaml") + " --at 2h",
       usage_error("--at: 2h is after the scenario's duration (12m)", "status")},
      {"graph",
       usage_error("graph needs a KIND (container, phase, replica, proton, workload, replacement)",
                   "graph")},
      {"graph pods",
       usage_error(
           "graph: 'pods' is not one of: container, phase, replica, proton, workload, replacement",
           "graph")},
  };
  for (const auto& [args, expected] : cases) {
    INFO("wlsim " << args);
    const auto o = wlsim(args);
    CHECK(o.code == 2);
    CHECK(o.out.empty());
    CHECK(o.err == expected);
  }
}

TEST_CASE("a bad --at is a usage error that says why", "[cli][usage][status][bad-input]") {
  const Cli wlsim;
  const auto o = wlsim("status " + example("crash-loop.yaml") + " --at soon");
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK_THAT(o.err, Catch::StartsWith("wlsim: --at: ") &&
                        Catch::EndsWith("\nRun 'wlsim status --help' for usage.\n"));
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 2);
}

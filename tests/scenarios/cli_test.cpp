// The CLI contract: exit 0 with output on success; exit 2 with one message on stderr and nothing on
// stdout for invalid input.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <string>

#include "cli_harness.hpp"

using wlsim::testing::Cli;
using wlsim::testing::example;

namespace {
long lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }
}  // namespace

TEST_CASE("wlsim run prints the summary table and exits 0", "[cli]") {
  const Cli wlsim;
  const auto o = wlsim("run " + example("hello.yaml"));
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::Contains("workload"));
  CHECK_THAT(o.out, Catch::Contains("wl-1"));
  CHECK(o.err.empty());
}

TEST_CASE("wlsim run --format json prints one object with the contract's keys", "[cli]") {
  const Cli wlsim;
  const auto o = wlsim("run " + example("hello.yaml") + " --format json --seed 5");
  CHECK(o.code == 0);
  for (const char* key :
       {"\"scenario\":", "\"seed\":5", "\"simulatedSeconds\":", "\"events\":", "\"traceHash\":",
        "\"workloads\":{\"wl-1\":{\"status\":", "\"timeToRunning\":"}) {
    CHECK_THAT(o.out, Catch::Contains(key));
  }
  CHECK(o.out.front() == '{');
  CHECK(lines(o.out) == 1);
}

TEST_CASE("the same scenario and seed give the same traceHash from the CLI", "[cli][determinism]") {
  const Cli wlsim;
  const auto a = wlsim("run " + example("hello.yaml") + " --format json");
  const auto b = wlsim("run " + example("hello.yaml") + " --format json");
  CHECK(a.out == b.out);
  const auto c = wlsim("run " + example("hello.yaml") + " --format json --seed 43");
  CHECK(a.out != c.out);
}

TEST_CASE("wlsim run reads --seed in base 10 and a repeated option takes its last value", "[cli]") {
  const Cli wlsim;
  const auto ten = wlsim("run " + example("hello.yaml") + " --format json --seed 10");
  CHECK_THAT(ten.out, Catch::Contains("\"seed\":10,"));
  CHECK(wlsim("run " + example("hello.yaml") + " --format json --seed 010").out == ten.out);
  CHECK(wlsim("run " + example("hello.yaml") + " --format json --seed=3 --seed 10").out == ten.out);
  CHECK_THAT(
      wlsim("run " + example("hello.yaml") + " --format json --seed 18446744073709551615").out,
      Catch::Contains("\"seed\":18446744073709551615,"));
}

TEST_CASE("wlsim trace prints CSV or JSON lines", "[cli]") {
  const Cli wlsim;
  const auto csv = wlsim("trace " + example("hello.yaml"));
  CHECK(csv.code == 0);
  CHECK_THAT(csv.out,
             Catch::StartsWith("time,object,kind,from,to,reason,message,count,first,last\n"));
  const auto jl = wlsim("trace " + example("hello.yaml") + " --format jsonl");
  CHECK(jl.code == 0);
  CHECK_THAT(jl.out, Catch::StartsWith("{\"time\":0,"));
}

TEST_CASE("wlsim run --out writes the summary and the trace", "[cli]") {
  const Cli wlsim;
  const auto dir = wlsim.dir() / "out";
  const auto o = wlsim("run " + example("hello.yaml") + " --out " + dir.string());
  CHECK(o.code == 0);
  CHECK_THAT(wlsim::testing::slurp(dir / "summary.json"),
             Catch::StartsWith("{\"scenario\":\"hello\""));
  CHECK_THAT(wlsim::testing::slurp(dir / "trace.csv"), Catch::StartsWith("time,object,kind"));
}

TEST_CASE("wlsim validate says what the scenario holds", "[cli]") {
  const Cli wlsim;
  const auto o = wlsim("validate " + example("hello.yaml"));
  CHECK(o.code == 0);
  CHECK(o.out ==
        example("hello.yaml") +
            ": valid scenario 'hello': 1 workload(s), 1 artifact(s), 3 node(s), duration 10m\n");
}

TEST_CASE("FILE - reads the scenario from standard input", "[cli][stdin]") {
  const Cli wlsim;
  const auto from_file = wlsim("run " + example("hello.yaml") + " --format json");
  const auto from_stdin = wlsim("run - --format json <" + example("hello.yaml"));
  CHECK(from_stdin.code == 0);
  CHECK(from_stdin.out == from_file.out);
  CHECK(wlsim("trace - <" + example("hello.yaml")).out ==
        wlsim("trace " + example("hello.yaml")).out);
  CHECK(wlsim("status - --at 30s <" + example("crash-loop.yaml")).out ==
        wlsim("status " + example("crash-loop.yaml") + " --at 30s").out);
  CHECK(wlsim("validate - <" + example("hello.yaml")).out ==
        "<stdin>: valid scenario 'hello': 1 workload(s), 1 artifact(s), 3 node(s), duration 10m\n");
}

TEST_CASE("an invalid scenario on standard input is named <stdin>", "[cli][stdin][bad-input]") {
  const Cli wlsim;
  const auto o = wlsim("validate - <" + wlsim.write("bad.yaml", "name: x\nduration: -1h\n"));
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK_THAT(o.err, Catch::StartsWith("wlsim: <stdin>: duration: '-1h' is negative"));
  CHECK(lines(o.err) == 1);
  const auto empty = wlsim("run - </dev/null");
  CHECK(empty.code == 2);
  CHECK(empty.out.empty());
  CHECK_THAT(empty.err, Catch::StartsWith("wlsim: <stdin>: "));
  CHECK(lines(empty.err) == 1);
}

TEST_CASE("invalid input exits 2 with one line on stderr and nothing on stdout",
          "[cli][bad-input]") {
  const Cli wlsim;
  const std::array<std::pair<std::string, std::string>, 4> cases{{
      {"run /nonexistent.yaml", "cannot open the file"},
      {"run " + wlsim.write("bad.yaml", "name: x\nduration: -1h\n"), "duration: '-1h' is negative"},
      {"trace " + wlsim.write("bad2.yaml", "name: [\n"), "malformed YAML"},
      {"validate " + wlsim.write("bad3.yaml", "name: x\nduration: 1h\nbogus: 1\n"),
       "cluster: is required"},
  }};
  for (const auto& [args, message] : cases) {
    const auto o = wlsim(args);
    CHECK(o.code == 2);
    CHECK(o.out.empty());
    CHECK_THAT(o.err, Catch::StartsWith("wlsim: ") && Catch::Contains(message));
    CHECK(lines(o.err) == 1);
  }
}

TEST_CASE("wlsim status prints the status details at a simulated time", "[cli][status]") {
  const Cli wlsim;
  const auto o = wlsim("status " + example("crash-loop.yaml") + " --at 30s");
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::StartsWith("status at 30s\n"));
  CHECK_THAT(
      o.out,
      Catch::Contains(
          "container app  waiting:CrashLoopBackOff  ready false  restarts 2  last exit 1 (Error)"));
  CHECK_THAT(
      o.out,
      Catch::Contains(
          "ContainersReady=False  ContainersNotReady: containers with unready status: [app]"));
  const auto j = wlsim("status " + example("crash-loop.yaml") + " --at 30s --format json");
  CHECK(j.code == 0);
  CHECK_THAT(j.out, Catch::StartsWith(
                        "{\"at\":30,\"workloads\":[{\"id\":\"crasher\",\"status\":\"errored\""));
  CHECK_THAT(j.out, Catch::Contains("\"restartCount\":2,\"lastState\":{\"terminated\":{\"reason\":"
                                    "\"Error\",\"exitCode\":1}}"));
}

TEST_CASE("wlsim graph prints the transitions as Graphviz DOT", "[cli][graph]") {
  const Cli wlsim;
  for (const char* kind : {"container", "phase", "replica", "proton", "workload", "replacement"}) {
    const auto o = wlsim(std::string("graph ") + kind);
    CHECK(o.code == 0);
    CHECK_THAT(o.out, Catch::StartsWith(std::string("digraph ") + kind + " {"));
  }
  const auto proton = wlsim("graph proton");
  CHECK_THAT(proton.out, Catch::Contains("errored -> running"));
  CHECK_THAT(proton.out, !Catch::Contains("errored -> launching"));
}

TEST_CASE("wlsim run --replications prints statistics across seeds", "[cli][replications]") {
  const Cli wlsim;
  const auto o = wlsim("run " + example("hello.yaml") + " --replications 6 --threads 2");
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::StartsWith("scenario hello  replications 6  seeds 42..47\n"));
  CHECK_THAT(o.out,
             Catch::Contains("wl-1            timeToRunning                         6     0 "));
  const auto j = wlsim("run " + example("hello.yaml") + " --replications 3 --format json --seed 7");
  CHECK_THAT(j.out,
             Catch::StartsWith(
                 "{\"scenario\":\"hello\",\"replications\":3,\"seeds\":[7,8,9],\"workloads\":{"));
}

TEST_CASE(
    "wlsim params prints every platform parameter with its default under the profile and "
    "its source",
    "[cli][params]") {
  const Cli wlsim;
  const auto platform = wlsim("params");
  CHECK(platform.code == 0);
  CHECK_THAT(platform.out, Catch::Contains("crashBackoff.initial") &&
                               Catch::Contains("kpa.targetUtilization") &&
                               Catch::Contains("activator.requestTimeout"));
  CHECK_THAT(platform.out,
             Catch::Matches("(.|\n)*kpa\\.targetUtilization +1 +docs/traffic-autoscaling\\.md; the "
                            "platform's(.|\n)*"));
  const auto kubernetes = wlsim("params --profile kubernetes --format json");
  CHECK(kubernetes.code == 0);
  CHECK_THAT(
      kubernetes.out,
      Catch::Contains(
          R"({"name":"kpa.targetUtilization","value":"0.7","source":"docs/traffic-autoscaling.md; knative)"));
  CHECK_THAT(
      kubernetes.out,
      Catch::Contains(
          R"({"name":"crashBackoff.max","value":"5m","source":"docs/restarts.md; kubernetes)"));
  const auto bad = wlsim("params --profile nope");
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
  CHECK_THAT(bad.err, Catch::Contains("--profile") && Catch::Contains("kubernetes"));
}

// The CLI contract: exit 0 with output on success; exit 2 with one message on stderr and nothing on
// stdout for invalid input.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace {
struct Outcome {
  int code;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Outcome wlsim(const std::string& args) {
  const std::string out = "/tmp/wlsim_cli_test.out";
  const std::string err = "/tmp/wlsim_cli_test.err";
  const int status = std::system((std::string(WLSIM_CLI) + " " + args + " >" + out + " 2>" + err).c_str());
  return {WEXITSTATUS(status), slurp(out), slurp(err)};
}

std::string example(const std::string& name) { return std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples/" + name; }

std::string write(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/wlsim_cli_test_" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("wlsim run prints the summary table and exits 0", "[cli]") {
  const auto o = wlsim("run " + example("hello.yaml"));
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::Contains("workload"));
  CHECK_THAT(o.out, Catch::Contains("wl-1"));
  CHECK(o.err.empty());
}

TEST_CASE("wlsim run --format json prints one object with the contract's keys", "[cli]") {
  const auto o = wlsim("run " + example("hello.yaml") + " --format json --seed 5");
  CHECK(o.code == 0);
  for (const char* key : {"\"scenario\":", "\"seed\":5", "\"simulatedSeconds\":", "\"events\":", "\"traceHash\":",
                          "\"workloads\":{\"wl-1\":{\"status\":", "\"timeToRunning\":"}) {
    CHECK_THAT(o.out, Catch::Contains(key));
  }
  CHECK(o.out.front() == '{');
  CHECK(std::count(o.out.begin(), o.out.end(), '\n') == 1);
}

TEST_CASE("the same scenario and seed give the same traceHash from the CLI", "[cli][determinism]") {
  const auto a = wlsim("run " + example("hello.yaml") + " --format json");
  const auto b = wlsim("run " + example("hello.yaml") + " --format json");
  CHECK(a.out == b.out);
  const auto c = wlsim("run " + example("hello.yaml") + " --format json --seed 43");
  CHECK(a.out != c.out);
}

TEST_CASE("wlsim trace prints CSV or JSON lines", "[cli]") {
  const auto csv = wlsim("trace " + example("hello.yaml"));
  CHECK(csv.code == 0);
  CHECK_THAT(csv.out, Catch::StartsWith("time,object,kind,from,to,reason,message\n"));
  const auto jl = wlsim("trace " + example("hello.yaml") + " --format jsonl");
  CHECK(jl.code == 0);
  CHECK_THAT(jl.out, Catch::StartsWith("{\"time\":0,"));
}

TEST_CASE("wlsim run --out writes the summary and the trace", "[cli]") {
  std::system("rm -rf /tmp/wlsim_cli_test_outdir");
  const auto o = wlsim("run " + example("hello.yaml") + " --out /tmp/wlsim_cli_test_outdir");
  CHECK(o.code == 0);
  CHECK_THAT(slurp("/tmp/wlsim_cli_test_outdir/summary.json"), Catch::StartsWith("{\"scenario\":\"hello\""));
  CHECK_THAT(slurp("/tmp/wlsim_cli_test_outdir/trace.csv"), Catch::StartsWith("time,object,kind"));
}

TEST_CASE("wlsim validate says what the scenario holds", "[cli]") {
  const auto o = wlsim("validate " + example("hello.yaml"));
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::Contains("valid scenario 'hello'"));
}

TEST_CASE("every command has --help", "[cli]") {
  for (const char* cmd : {"run", "validate", "trace"}) {
    const auto o = wlsim(std::string(cmd) + " --help");
    CHECK(o.code == 0);
    CHECK_THAT(o.out, Catch::StartsWith(std::string("usage: wlsim ") + cmd));
  }
  CHECK(wlsim("--help").code == 0);
}

TEST_CASE("invalid input exits 2 with one line on stderr and nothing on stdout", "[cli][bad-input]") {
  const std::array<std::pair<std::string, std::string>, 4> cases{{
      {"run /nonexistent.yaml", "cannot open the file"},
      {"run " + write("bad.yaml", "name: x\nduration: -1h\n"), "duration: '-1h' is negative"},
      {"trace " + write("bad2.yaml", "name: [\n"), "malformed YAML"},
      {"validate " + write("bad3.yaml", "name: x\nduration: 1h\nbogus: 1\n"), "cluster: is required"},
  }};
  for (const auto& [args, message] : cases) {
    const auto o = wlsim(args);
    CHECK(o.code == 2);
    CHECK(o.out.empty());
    CHECK_THAT(o.err, Catch::Contains(message));
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
  }
}

TEST_CASE("usage errors exit 2 and name the allowed values", "[cli][bad-input]") {
  const auto o = wlsim("run " + example("hello.yaml") + " --format xml");
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK_THAT(o.err, Catch::Contains("--format: 'xml' is not one of: table, json"));
  CHECK(wlsim("frobnicate x").code == 2);
  CHECK(wlsim("run " + example("hello.yaml") + " --seed -3").code == 2);
}

TEST_CASE("wlsim status prints the status details at a simulated time", "[cli][status]") {
  const auto o = wlsim("status " + example("crash-loop.yaml") + " --at 30s");
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::StartsWith("status at 30s\n"));
  CHECK_THAT(o.out, Catch::Contains("container app  waiting:CrashLoopBackOff  ready false  restarts 2  last exit 1 (Error)"));
  CHECK_THAT(o.out, Catch::Contains("ContainersReady=False  ContainersNotReady: containers with unready status: [app]"));
  const auto j = wlsim("status " + example("crash-loop.yaml") + " --at 30s --format json");
  CHECK(j.code == 0);
  CHECK_THAT(j.out, Catch::StartsWith("{\"at\":30,\"workloads\":[{\"id\":\"crasher\",\"status\":\"errored\""));
  CHECK_THAT(j.out, Catch::Contains("\"restartCount\":2,\"lastState\":{\"terminated\":{\"reason\":\"Error\",\"exitCode\":1}}"));
}

TEST_CASE("wlsim status needs a time within the run", "[cli][status][bad-input]") {
  const auto missing = wlsim("status " + example("crash-loop.yaml"));
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("status needs --at TIME"));
  const auto late = wlsim("status " + example("crash-loop.yaml") + " --at 2h");
  CHECK(late.code == 2);
  CHECK(late.out.empty());
  CHECK_THAT(late.err, Catch::Contains("is after the scenario's duration (12m)"));
  CHECK(wlsim("status " + example("crash-loop.yaml") + " --at soon").code == 2);
}

TEST_CASE("wlsim graph prints the transitions as Graphviz DOT", "[cli][graph]") {
  for (const char* kind : {"container", "phase", "replica", "proton", "workload", "replacement"}) {
    const auto o = wlsim(std::string("graph ") + kind);
    CHECK(o.code == 0);
    CHECK_THAT(o.out, Catch::StartsWith(std::string("digraph ") + kind + " {"));
  }
  const auto proton = wlsim("graph proton");
  CHECK_THAT(proton.out, Catch::Contains("errored -> running"));
  CHECK_THAT(proton.out, !Catch::Contains("errored -> launching"));
  const auto bad = wlsim("graph pods");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("'pods' is not one of: container, phase, replica, proton, workload, replacement"));
}

TEST_CASE("wlsim run --replications prints statistics across seeds", "[cli][replications]") {
  const auto o = wlsim("run " + example("hello.yaml") + " --replications 6 --threads 2");
  CHECK(o.code == 0);
  CHECK_THAT(o.out, Catch::StartsWith("scenario hello  replications 6  seeds 42..47\n"));
  CHECK_THAT(o.out, Catch::Contains("wl-1            timeToRunning   6"));
  const auto j = wlsim("run " + example("hello.yaml") + " --replications 3 --format json --seed 7");
  CHECK_THAT(j.out, Catch::StartsWith("{\"scenario\":\"hello\",\"replications\":3,\"seeds\":[7,8,9],\"workloads\":{"));
  CHECK(wlsim("run " + example("hello.yaml") + " --threads 2").code == 2);
  CHECK(wlsim("run " + example("hello.yaml") + " --replications 0").code == 2);
  CHECK(wlsim("run " + example("hello.yaml") + " --replications 2 --out /tmp/x").code == 2);
}

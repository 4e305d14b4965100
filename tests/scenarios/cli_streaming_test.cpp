// `wlsim trace` and `wlsim run --out` stream the trace as the run goes: what they write is exactly
// the run's records, and --out's files appear whole, under their own names, or not at all.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "cli_harness.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

using wlsim::testing::Cli;
using wlsim::testing::entries;
using wlsim::testing::example;
using wlsim::testing::slurp;

namespace {

/// The trace of one in-process run of `path`, as CSV or JSON lines.
std::string trace_of(const std::string& path, bool csv) {
  std::ostringstream out;
  wlsim::engine::CsvSink csv_sink(out);
  std::ostringstream jsonl_out;
  wlsim::engine::JsonLinesSink jsonl_sink(jsonl_out);
  wlsim::engine::TraceSink& sink =
      csv ? static_cast<wlsim::engine::TraceSink&>(csv_sink) : jsonl_sink;
  (void)wlsim::scenarios::run(wlsim::scenarios::load_file(path), {.sink = &sink});
  return csv ? out.str() : jsonl_out.str();
}

std::set<std::string> example_scenarios() {
  std::set<std::string> names;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples")) {
    if (e.path().extension() == ".yaml") names.insert(e.path().filename().string());
  }
  return names;
}

}  // namespace

TEST_CASE("wlsim trace prints exactly the records of a run", "[cli][trace][streaming]") {
  const Cli wlsim;
  const auto names = example_scenarios();
  REQUIRE_FALSE(names.empty());
  for (const auto& name : names) {
    INFO(name);
    const auto csv = wlsim("trace " + example(name));
    CHECK(csv.code == 0);
    CHECK(csv.err.empty());
    CHECK(csv.out == trace_of(example(name), true));
    CHECK(wlsim("trace " + example(name) + " --format jsonl").out ==
          trace_of(example(name), false));
  }
}

TEST_CASE("wlsim run --out writes the trace and the summary of the run and nothing else",
          "[cli][out][streaming]") {
  const Cli wlsim;
  const auto dir = wlsim.dir() / "results";
  const auto o =
      wlsim("run " + example("crash-loop.yaml") + " --out " + dir.string() + " --format json");
  CHECK(o.code == 0);
  CHECK(o.err.empty());
  CHECK(entries(dir) == std::set<std::string>{"summary.json", "trace.csv"});
  CHECK(slurp(dir / "summary.json") == o.out);
  CHECK(slurp(dir / "trace.csv") == trace_of(example("crash-loop.yaml"), true));
  // A second run into the same directory replaces both files and still leaves nothing else.
  const auto again = wlsim("run " + example("hello.yaml") + " --out " + dir.string());
  CHECK(again.code == 0);
  CHECK(entries(dir) == std::set<std::string>{"summary.json", "trace.csv"});
  CHECK(slurp(dir / "trace.csv") == trace_of(example("hello.yaml"), true));
}

TEST_CASE("wlsim run --out writes nothing for invalid input", "[cli][out][bad-input]") {
  const Cli wlsim;
  const auto dir = wlsim.dir() / "results";
  const auto bad = wlsim("run " + wlsim.write("bad.yaml", "name: x\nduration: -1h\n") + " --out " +
                         dir.string());
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
  CHECK_FALSE(std::filesystem::exists(dir));
  // Earlier results stay as they were.
  REQUIRE(wlsim("run " + example("hello.yaml") + " --out " + dir.string()).code == 0);
  const std::string summary = slurp(dir / "summary.json");
  CHECK(wlsim("run " + wlsim.write("bad2.yaml", "name: [\n") + " --out " + dir.string()).code == 2);
  CHECK(entries(dir) == std::set<std::string>{"summary.json", "trace.csv"});
  CHECK(slurp(dir / "summary.json") == summary);
}

TEST_CASE("wlsim run --out into a directory that cannot be made is one line, exit 2",
          "[cli][out][bad-input]") {
  const Cli wlsim;
  const std::string file = wlsim.write("not-a-directory", "x");
  const auto o = wlsim("run " + example("hello.yaml") + " --out " + file + "/results");
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK_THAT(o.err,
             Catch::StartsWith("wlsim: --out: cannot create directory '" + file + "/results': "));
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
}

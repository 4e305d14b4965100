// Malformed input of every kind is one line of error, never a crash, a second line or silence: what
// the message echoes of the user's text is escaped.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "scenario_fixture.hpp"
#include "temp_dir.hpp"

using wlsim::scenarios::load_file;
using wlsim::scenarios::load_text;
using wlsim::scenarios::parse_call;
using wlsim::scenarios::ScenarioError;
using wlsim::testing::error_of;
using wlsim::testing::one_workload;

namespace {
std::string file_error_of(const std::string& path) {
  try {
    (void)load_file(path);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

using wlsim::testing::TempDir;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
Outcome run_cli(const TempDir& dir, const std::string& args) {
  const std::string out = dir.path("stdout");
  const std::string err = dir.path("stderr");
  const int status =
      std::system((std::string(WLSIM_CLI) + " " + args + " >" + out + " 2>" + err).c_str());
  return {WEXITSTATUS(status), slurp(out), slurp(err)};
}
/// The CLI's contract for invalid input: exit 2, nothing on stdout, exactly one line on stderr.
void check_one_line_error(const Outcome& o, const std::string& fragment) {
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
  CHECK_THAT(o.err, Catch::Contains(fragment));
}
}  // namespace

TEST_CASE("a directory given as the scenario file is one error", "[loader][hygiene]") {
  const TempDir d("wlsim_hygiene");
  CHECK(file_error_of(d.dir()) == d.dir() + ": is a directory, not a scenario file");
}

TEST_CASE("a device is refused before it is read", "[loader][hygiene]") {
  CHECK(file_error_of("/dev/zero") == "/dev/zero: is a character device, not a scenario file");
}

TEST_CASE("a pipe is read only up to the size bound", "[loader][hygiene]") {
  const TempDir d("wlsim_hygiene");
  const std::string fifo = d.path("fifo");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // A writer that never stops: the loader must stop after max_file_bytes + 1 bytes.
  const int writer = std::system(("(yes name: > " + fifo + " 2>/dev/null &)").c_str());
  REQUIRE(writer == 0);
  try {
    (void)load_file(fifo, {.max_file_bytes = 1000});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == fifo +
                                       ": the file is over the limit of 1000 bytes of scenario "
                                       "text (raise it with --max-file-size)");
  }
}

TEST_CASE("a regular file over the size bound is refused", "[loader][hygiene]") {
  const TempDir d("wlsim_hygiene");
  const std::string big = d.file("big.yaml", std::string(2000, '#'));
  try {
    (void)load_file(big, {.max_file_bytes = 1999});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == big +
                                       ": the file is over the limit of 1999 bytes of scenario "
                                       "text (raise it with --max-file-size)");
  }
  CHECK(file_error_of(big) == big + ": the scenario is empty");
}

TEST_CASE("an empty file is one error", "[loader][hygiene]") {
  const TempDir d("wlsim_hygiene");
  const std::string p = d.file("empty.yaml", "");
  CHECK(file_error_of(p) == p + ": the scenario is empty");
  CHECK(error_of("# only a comment\n") == "f.yaml: the scenario is empty");
}

TEST_CASE("a second YAML document is refused", "[loader][hygiene]") {
  const std::string y = one_workload({});
  const auto second = std::count(y.begin(), y.end(), '\n') + 1;
  CHECK(error_of(y + "---\nname: other\n") ==
        "f.yaml: line " + std::to_string(second) +
            ", column 1: a second YAML document (after '---') is not allowed: a scenario is one "
            "document");
  // One document with its start marker is fine.
  CHECK(error_of("---\n" + one_workload({})) == "(no error)");
}

TEST_CASE("a stray ',' at the top level is malformed text, not an endless run of documents",
          "[loader][hygiene]") {
  // yaml-cpp's LoadAll returns empty documents for ever after this line.
  CHECK(error_of("# c\n, b\nname: x\n") ==
        "f.yaml: malformed YAML/JSON at line 2, column 1: unexpected text after the end of the "
        "document");
}

TEST_CASE("a byte that is not UTF-8 is named with its line and column", "[loader][hygiene]") {
  CHECK(error_of("name: t\nduration: 1h\xff\n") ==
        "f.yaml: line 2, column 13: byte \\xff is not UTF-8 (scenario text must be UTF-8)");
  // Columns count characters, not bytes.
  CHECK(error_of("name: \xc3\xa9t\xc3\xa9\xc0\n") ==
        "f.yaml: line 1, column 10: byte \\xc0 is not UTF-8 (scenario text must be UTF-8)");
  // A truncated sequence, an overlong form and a surrogate are not UTF-8 either.
  CHECK_THAT(error_of("name: \xe2\x82\n"),
             Catch::StartsWith("f.yaml: line 1, column 7: byte \\xe2 is not UTF-8"));
  CHECK_THAT(error_of("name: \xc0\xaf\n"),
             Catch::StartsWith("f.yaml: line 1, column 7: byte \\xc0 is not UTF-8"));
  CHECK_THAT(error_of("name: \xed\xa0\x80\n"),
             Catch::StartsWith("f.yaml: line 1, column 7: byte \\xed is not UTF-8"));
}

TEST_CASE("a NUL byte or another control character in the text is refused", "[loader][hygiene]") {
  CHECK(error_of(std::string("name: t\0x\n", 10)) ==
        "f.yaml: line 1, column 8: control character \\x00 is not allowed in scenario text (write "
        "it as an escape "
        "in a double-quoted string)");
  CHECK_THAT(error_of("name: \x1b[31mred\n"),
             Catch::StartsWith("f.yaml: line 1, column 7: control character \\x1b"));
}

TEST_CASE("a newline in a key or a value is escaped in the message", "[loader][hygiene]") {
  CHECK(error_of(one_workload({.container = "\"col\\nour\": blue"})) ==
        "f.yaml: artifacts[0].containerGroups[0].containers[0].col\\nour: is not a known field "
        "(allowed: "
        "behavior, description, environmentVars, imagePullPolicy, imageUri, livenessProbe, name, "
        "port, primary, "
        "readinessProbe, resourceAllocation, startupProbe)");
  CHECK(error_of(one_workload({.top = "profile: \"gke\\nx\\u0000\\t\"\n"})) ==
        "f.yaml: profile: 'gke\\nx\\x00\\t' is not one of: platform, kubernetes");
  // A name or an id may not hold control characters at all.
  CHECK(error_of("name: \"a\\r\\nb\"\n") ==
        "f.yaml: name: 'a\\r\\nb' contains a control character, which names and ids may not");
  CHECK(error_of("name: \"a\\u2028b\"\n") ==
        "f.yaml: name: 'a\\u2028b' contains a control character, which names and ids may not");
}

TEST_CASE("a file name with a newline is escaped too", "[loader][hygiene]") {
  CHECK(file_error_of("/nonexistent/a\nb.yaml") ==
        "/nonexistent/a\\nb.yaml: cannot open the file (does it exist?)");
}

TEST_CASE("a call's endpoint and body are escaped", "[loader][hygiene][api]") {
  try {
    (void)parse_call("POST /x\n", "", wlsim::models::Profile::Platform);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "call: request: 'POST /x\\n' contains a control character, which names and ids may not");
  }
  try {
    (void)parse_call("GET /workloads/wl", "a: 1\n---\nb: 2\n", wlsim::models::Profile::Platform);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "call: body: line 2, column 1: a second YAML document (after '---') is not allowed: a "
          "scenario is one document");
  }
}

TEST_CASE("a key that is not text is one error", "[loader][hygiene]") {
  CHECK(error_of("? [a, b]\n: 1\n") ==
        "f.yaml: (top level): has a key that is a list; keys are field names");
}

TEST_CASE("environmentVars items are validated", "[loader][hygiene]") {
  const std::string at = "f.yaml: artifacts[0].containerGroups[0].containers[0].environmentVars";
  CHECK(error_of(one_workload(
            {.container = "environmentVars: [{name: A, value: x}, {name: B, value: 5}, {name: C}, "
                          "{name: D, source: dr-credential, drCredentialId: c1, key: token}]"})) ==
        "(no error)");
  CHECK(error_of(one_workload({.container = "environmentVars: [A=1]"})) ==
        at + "[0]: 'A=1' is not a mapping");
  CHECK(error_of(one_workload({.container = "environmentVars: [{value: x}]"})) ==
        at + "[0].name: is required");
  CHECK(error_of(one_workload({.container = "environmentVars: [{name: A=B, value: x}]"})) ==
        at + "[0].name: 'A=B' contains '=' (a name is printable ASCII without '=')");
  CHECK(error_of(one_workload({.container = "environmentVars: [{name: \"\\u00e9\", value: x}]"})) ==
        at + "[0].name: '\xc3\xa9' is not printable ASCII (a name is printable ASCII without '=')");
  CHECK(error_of(one_workload({.container = "environmentVars: [{name: \"A\\nB\", value: x}]"})) ==
        at + "[0].name: 'A\\nB' is not printable ASCII (a name is printable ASCII without '=')");
  CHECK(error_of(one_workload({.container = "environmentVars: [{name: A, value: [x]}]"})) ==
        at + "[0].value: a list is not a scalar value");
  CHECK(error_of(one_workload({.container = "environmentVars: [{name: A, valeu: x}]"})) ==
        at + "[0].valeu: is not a known field (allowed: name, source, value)");
  CHECK(error_of(one_workload({.container = "environmentVars: [{name: A, source: vault}]"})) ==
        at + "[0].source: 'vault' is not one of: dr-credential");
  CHECK(error_of(one_workload(
            {.container = "environmentVars: [{name: A, source: dr-credential, key: k}]"})) ==
        at + "[0].drCredentialId: is required");
}

TEST_CASE("cpu finer than a millicore is an error, not zero", "[loader][units]") {
  const std::string cpu =
      "f.yaml: artifacts[0].containerGroups[0].containers[0].resourceAllocation.cpu: ";
  CHECK(error_of(one_workload({.resources = "{cpu: 0.0001}"})) ==
        cpu + "'0.0001' is not a whole number of millicores (the precision is 1m = 0.001 cores)");
  CHECK(error_of(one_workload({.resources = "{cpu: 1.5m}"})) ==
        cpu + "'1.5m' is not a whole number of millicores (the precision is 1m = 0.001 cores)");
  const auto s = load_text(one_workload({.resources = "{cpu: 0.0010}"}));
  CHECK(s.platform.artifacts[0].containers[0].resources.cpu_milli == 1);
  CHECK(load_text(one_workload({.resources = "{cpu: 2.000m}"}))
            .platform.artifacts[0]
            .containers[0]
            .resources.cpu_milli == 2);
}

TEST_CASE("the CLI answers malformed input with exit 2 and one line", "[cli][hygiene]") {
  const TempDir d("wlsim_hygiene");
  check_one_line_error(run_cli(d, "run " + d.dir()), ": is a directory, not a scenario file");
  check_one_line_error(run_cli(d, "run /dev/zero"),
                       "/dev/zero: is a character device, not a scenario file");
  check_one_line_error(run_cli(d, "run " + d.file("deep.yaml", std::string(100000, '['))),
                       "nesting is deeper than the limit of 64 levels (raise it with --max-depth)");
  check_one_line_error(run_cli(d, "run " + d.file("utf8.yaml", "name: \xff\n")),
                       "line 1, column 7: byte \\xff is not UTF-8");
  check_one_line_error(run_cli(d, "run " + d.file("two.yaml", one_workload({}) + "---\n{}\n")),
                       "a second YAML document (after '---') is not allowed");
  check_one_line_error(
      run_cli(d, "run " + d.file("key.yaml", one_workload({.container = "\"a\\nb\": 1"}))),
      "containers[0].a\\nb: is not a known field");
  check_one_line_error(
      run_cli(d, "run " + d.file("replicas.yaml", one_workload({.replicas = 200000}))),
      "replicaCount: 200000 is over the limit of 100000 replicas per group (raise it with "
      "--max-replicas)");
  check_one_line_error(
      run_cli(d, "run " + d.file("cpu.yaml", one_workload({.resources = "{cpu: 0.0001}"}))),
      "'0.0001' is not a whole number of millicores");
  check_one_line_error(run_cli(d, "run " + d.file("empty.yaml", "")),
                       "empty.yaml: the scenario is empty");
}

// Every input the fuzzer ever broke (tests/fuzz/regression/) and every seed of its corpus goes
// through the fuzzer's own check: a one-line ScenarioError, or a bounded run that is reproducible
// and legal. Inputs that still break it wait in tests/fuzz/regression/pending/ (not replayed) until
// fixed; moving one up a level makes it a test.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"

namespace fs = std::filesystem;

namespace {
/// The regular files directly in `folder` (not its subfolders), sorted.
std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.is_regular_file() && e.path().filename() != "README.md") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const fs::path kFuzzDir = fs::path(WLSIM_SOURCE_DIR) / "tests" / "fuzz";
}  // namespace

TEST_CASE("every fuzz regression input passes the fuzz check", "[fuzz]") {
  for (const fs::path& p : files_in(kFuzzDir / "regression")) {
    INFO(p.filename().string());
    CHECK(wlsim::fuzz::fuzz_check(read_bytes(p)) == "");
  }
}

TEST_CASE("every fuzz seed passes the fuzz check", "[fuzz]") {
  const auto seeds = files_in(kFuzzDir / "corpus");
  // The corpus holds at least every example scenario.
  REQUIRE(seeds.size() >= 15);
  for (const fs::path& p : seeds) {
    INFO(p.filename().string());
    CHECK(wlsim::fuzz::fuzz_check(read_bytes(p)) == "");
  }
}

TEST_CASE("the fuzz check rejects an error message of two lines", "[fuzz]") {
  CHECK(wlsim::fuzz::one_line_problem("load error", "a: b") == "");
  CHECK(wlsim::fuzz::one_line_problem("load error", "") == "load error: empty message");
  CHECK(wlsim::fuzz::one_line_problem("load error", "a\nb") ==
        "load error: message spans lines: a\nb");
  CHECK(wlsim::fuzz::one_line_problem("run error", "a\rb") ==
        "run error: message spans lines: a\rb");
}

TEST_CASE("the fuzz check passes a malformed file and an example", "[fuzz]") {
  CHECK(wlsim::fuzz::fuzz_check("{") == "");
  CHECK(wlsim::fuzz::fuzz_check(read_bytes(kFuzzDir / "corpus" / "example-hello.yaml")) == "");
}

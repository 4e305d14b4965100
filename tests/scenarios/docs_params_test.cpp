// The documentation a user's clone carries agrees with `wlsim params`: every platform parameter's
// source names a docs/ page, and that page has a table row with the parameter and its default.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wlsim/scenarios/parameters.hpp"

namespace {

namespace fs = std::filesystem;
using wlsim::models::Profile;
using wlsim::scenarios::Parameter;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// The page a source cites first: "docs/restarts.md; kubernetes ..." gives docs/restarts.md.
std::string cited_page(const std::string& source) {
  if (source.rfind("docs/", 0) != 0) return {};
  return source.substr(0, source.find(';'));
}

// A Markdown table row whose first cell is the parameter's name in backticks and that shows the
// default, also in backticks, in a later cell ("`1` (platform), `0.7` (kubernetes)" shows both).
bool documents(const std::string& page, const Parameter& p) {
  std::istringstream lines(page);
  const std::string name = "`" + p.name + "`";
  const std::string value = "`" + p.value + "`";
  for (std::string line; std::getline(lines, line);) {
    line = trim(line);
    if (line.empty() || line.front() != '|') continue;
    const auto first_end = line.find('|', 1);
    if (first_end == std::string::npos) continue;
    if (trim(line.substr(1, first_end - 1)) != name) continue;
    if (line.find(value, first_end) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every platform parameter is documented with its default on the page its source names",
          "[docs][params]") {
  const fs::path root(WLSIM_SOURCE_DIR);
  for (const Profile profile : {Profile::Platform, Profile::Kubernetes}) {
    const auto params =
        wlsim::scenarios::parameters(wlsim::scenarios::default_settings(profile), profile);
    REQUIRE_FALSE(params.empty());
    for (const Parameter& p : params) {
      INFO((profile == Profile::Platform ? "platform: " : "kubernetes: ")
           << p.name << " = " << p.value << " (" << p.source << ")");
      const std::string page = cited_page(p.source);
      REQUIRE_FALSE(page.empty());
      REQUIRE(fs::is_regular_file(root / page));
      CHECK(documents(read_text(root / page), p));
    }
  }
}

TEST_CASE("a parameter row is found only with its exact name and its exact default",
          "[docs][params]") {
  const std::string page =
      "| name | default |\n"
      "|---|---|\n"
      "| `crashBackoff.max` | `5m` |\n"
      "| `kpa.targetUtilization` | `1` (platform), `0.7` (kubernetes) |\n";
  CHECK(documents(page, {"crashBackoff.max", "5m", ""}));
  CHECK_FALSE(documents(page, {"crashBackoff.max", "6m", ""}));
  CHECK_FALSE(documents(page, {"crashBackoff", "5m", ""}));
  CHECK(documents(page, {"kpa.targetUtilization", "0.7", ""}));
  CHECK(documents(page, {"kpa.targetUtilization", "1", ""}));
  CHECK_FALSE(documents(page, {"kpa.tick", "2s", ""}));
  CHECK(cited_page("docs/restarts.md; kubernetes pkg/kubelet/kubelet.go") == "docs/restarts.md");
  CHECK(cited_page("SEMANTICS.md §4 (kubernetes)").empty());
}

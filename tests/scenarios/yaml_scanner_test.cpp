// The YAML scanner (scenarios/yaml_scanner.hpp): it reads the scenario subset into yaml-cpp's
// Document, marks included, and refuses everything else. Its agreement with yaml-cpp on every
// scenario file and on the tricky texts is in document_text_test.cpp.

#include "../../scenarios/yaml_scanner.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "../../bench/fleet_scenario.hpp"
#include "cli_harness.hpp"
#include "fuzz/document_agreement.hpp"

namespace {

using wlsim::fuzz::Marks;
using wlsim::scenarios::Limits;
using wlsim::scenarios::NodeRef;
using wlsim::scenarios::read_yaml_scanned;

// The scanner's reading dumped with marks, or "refused".
std::string scanned(const std::string& text, const Limits& limits = Limits{}) {
  const auto doc = read_yaml_scanned(text, limits);
  return doc ? wlsim::fuzz::dump_document(*doc, Marks::Compare) : "refused";
}

std::string reference(const std::string& text, const Limits& limits = Limits{}) {
  return wlsim::fuzz::reference_reading(text, limits, Marks::Compare);
}

}  // namespace

TEST_CASE("the YAML scanner reads every example scenario as yaml-cpp does, marks included",
          "[yaml_scanner]") {
  int read = 0;
  for (const std::filesystem::path& path : wlsim::testing::example_scenarios()) {
    INFO(path.string());
    const std::string text = wlsim::testing::slurp(path);
    CHECK(scanned(text) == reference(text));
    ++read;
  }
  CHECK(read > 20);
}

TEST_CASE("the YAML scanner reads the fleet-day text, both forms, as yaml-cpp does",
          "[yaml_scanner]") {
  using wlsim::bench::FleetForm;
  for (const FleetForm form : {FleetForm::Expanded, FleetForm::Template}) {
    const std::string text = wlsim::bench::fleet_day_yaml(50, form);
    CHECK(scanned(text) == reference(text));
  }
}

TEST_CASE("the YAML scanner resolves quotes, escapes and nulls as yaml-cpp does",
          "[yaml_scanner]") {
  const auto doc = read_yaml_scanned(
      "a: 'it''s'\nb: \"\\x41\\u00e9\\t\\\"\"\nc: ~\nd: 'null'\ne: [x y, 'z']\n", Limits{});
  REQUIRE(doc);
  const NodeRef root = doc->root();
  REQUIRE(root.size() == 5);
  CHECK(root.value(0).scalar() == "it's");
  CHECK_FALSE(root.value(0).plain());
  CHECK(root.value(1).scalar() == "A\xC3\xA9\t\"");
  CHECK(root.value(2).is_null());
  CHECK(root.value(3).scalar() == "null");
  CHECK(root.value(4).item(0).scalar() == "x y");
  CHECK(root.value(4).item(0).plain());
  CHECK_FALSE(root.value(4).item(1).plain());
  // A mapping is marked at its first key, a block list at its first dash, a flow collection at
  // its bracket, a quoted scalar at its quote.
  const auto marks = read_yaml_scanned("k:\n  - a: 'x'\n    b: [1]\n", Limits{});
  REQUIRE(marks);
  const NodeRef item = marks->root().value(0).item(0);
  CHECK(marks->root().value(0).mark().line == 1);
  CHECK(marks->root().value(0).mark().column == 2);
  CHECK(item.mark().column == 4);
  CHECK(item.value(0).mark().column == 7);
  CHECK(item.value(1).mark().line == 2);
  CHECK(item.value(1).mark().column == 7);
}

TEST_CASE("the YAML scanner leaves what lies outside its subset to the other readers",
          "[yaml_scanner]") {
  const std::vector<std::string> outside = {
      "",
      "# only a comment\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: |\n  x\n",
      "a: >\n  x\n",
      "a: x\n  y\n",
      "a: 'x\n  y'\n",
      "a: \"x\n  y\"\n",
      "a:\n",
      "a: {b: }\n",
      "- \n",
      "a:\t1\n",
      "a: 1\r\n",
      "\xEF\xBB\xBF"
      "a: 1\n",
      "%YAML 1.2\n---\na: 1\n",
      "a: 1\n---\nb: 2\n",
      "a: 1\n...\n",
      "? a\n: b\n",
      "[a, b]: c\n",
      "a: [k: v]\n",
      "a: [x,]\n",
      "a: [1\n  , 2]\n",
      "a: [1,\n2]\n",
      "a: url?x\n",
      "a: x:[y]\n",
      "a: \"\\e\"\n",
      "a: \"\\u0001\"\n",
      "{\"a\":1}\n",
      "a: x # c\n  # deeper\nb: 1\n",
      "caf\xC3\xA9: [x]\n",
      "a: " + std::string(1, '-') + " b\n",
      std::string(1001, 'k') + ": v\n",
  };
  for (const std::string& text : outside) {
    INFO(wlsim::scenarios::escape_for_message(text));
    CHECK(scanned(text) == "refused");
  }
}

TEST_CASE("the YAML scanner refuses text over parse_document's bounds, which then words them",
          "[yaml_scanner]") {
  Limits tight;
  tight.max_file_bytes = 2048;  // 8 values
  tight.max_depth = 3;
  CHECK(scanned("[1, 2, 3, 4, 5, 6, 7]\n", tight) != "refused");
  CHECK(scanned("[1, 2, 3, 4, 5, 6, 7, 8]\n", tight) == "refused");
  CHECK(scanned("a:\n  b:\n    c: 1\n", tight) != "refused");
  CHECK(scanned("a:\n  b:\n    c:\n      d: 1\n", tight) == "refused");
  CHECK(scanned("a: [[[1]]]\n", tight) == "refused");
}

// The fast readers of scenario text (read_document: simdjson for JSON; the scanner
// for YAML), together and each alone, against yaml-cpp's reading (to_document(parse_document)):
// the same Document for every text both accept, the same message for every text parse_document
// refuses.

#include "../../scenarios/document_text.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "../../scenarios/override_tree.hpp"
#include "../../scenarios/scenario_text.hpp"
#include "../../scenarios/yaml_cpp_document.hpp"
#include "cli_harness.hpp"
#include "fuzz/document_agreement.hpp"

namespace {

using wlsim::scenarios::Document;
using wlsim::scenarios::Limits;
using wlsim::scenarios::NodeRef;

using wlsim::fuzz::Marks;

std::string reference(const std::string& text, const Limits& limits, Marks marks) {
  return wlsim::fuzz::reference_reading(text, limits, marks);
}

std::string fast(const std::string& text, const Limits& limits, Marks marks) {
  return wlsim::fuzz::fast_reading(text, limits, marks);
}

// "" when read_document and each fast reader alone read `text` as yaml-cpp does.
std::string disagreement(const std::string& text, const Limits& limits) {
  return wlsim::fuzz::reading_disagreement(text, limits);
}

// Every scenario text the repository holds: the examples, the tests' YAML and JSON files, and the
// fuzzer's seeds and regressions.
std::vector<std::filesystem::path> scenario_files() {
  namespace fs = std::filesystem;
  const fs::path root = WLSIM_SOURCE_DIR;
  std::vector<fs::path> files;
  for (const char* dir : {"scenarios/examples", "tests", "docs"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (!e.is_regular_file()) continue;
      const fs::path& p = e.path();
      const std::string ext = p.extension().string();
      const std::string parent = p.parent_path().filename().string();
      const bool fuzz_input = parent == "corpus" || parent == "regression" || parent == "pending";
      if (ext == ".yaml" || ext == ".yml" || ext == ".json" || fuzz_input) files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The JSON a YAML document would be written as: plain numbers and booleans bare, other scalars as
// strings (keys always), null as null.
void to_json(NodeRef n, bool key, std::string& out) {
  const auto quoted = [&](std::string_view s) {
    out += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
    out += '"';
  };
  switch (n.kind()) {
    case NodeRef::Kind::Null:
      out += key ? "\"\"" : "null";
      return;
    case NodeRef::Kind::Scalar: {
      const std::string_view s = n.scalar();
      const bool number =
          !s.empty() && s.find_first_not_of("0123456789.-+eE") == std::string::npos &&
          (std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '-') &&
          std::isdigit(static_cast<unsigned char>(s.back())) &&
          !(s.size() > 1 && s[0] == '0' && std::isdigit(static_cast<unsigned char>(s[1]))) &&
          std::count(s.begin(), s.end(), '.') <= 1 && s.find("--") == std::string::npos;
      if (!key && n.plain() && (number || s == "true" || s == "false")) {
        out += s;
      } else {
        quoted(s);
      }
      return;
    }
    case NodeRef::Kind::Sequence:
      out += key ? "\"[]\"" : "[";
      if (key) return;
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        if (i > 0) out += ", ";
        to_json(n.item(i), false, out);
      }
      out += "]";
      return;
    case NodeRef::Kind::Map:
      out += key ? "\"{}\"" : "{";
      if (key) return;
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        if (i > 0) out += ",\n";
        to_json(n.key(i), true, out);
        out += ": ";
        to_json(n.value(i), false, out);
      }
      out += "}";
      return;
  }
}

Limits small_limits() {
  Limits l;
  l.max_file_bytes = 64 << 10;
  return l;
}

}  // namespace

namespace {
/// `open`, a key of `n` k's, `close`: built by appending (GCC 12 warns falsely of an overlapping
/// copy for the same text built with +).
std::string long_key(std::string_view open, std::size_t n, std::string_view close) {
  std::string s(open);
  s.append(n, 'k');
  s.append(close);
  return s;
}
}  // namespace

TEST_CASE(
    "read_document builds the same document as yaml-cpp, or gives the same message, on every "
    "scenario file in the repository",
    "[document_text]") {
  const auto files = scenario_files();
  REQUIRE(files.size() > 40);
  for (const auto& p : files) {
    INFO(p.string());
    const std::string text = wlsim::testing::slurp(p);
    for (const Limits& limits : {Limits{}, small_limits()}) {
      CHECK(disagreement(text, limits) == "");
    }
  }
}

TEST_CASE("read_document keeps yaml-cpp's marks on YAML", "[document_text]") {
  const std::filesystem::path examples =
      std::filesystem::path(WLSIM_SOURCE_DIR) / "scenarios/examples";
  for (const char* name : {"hello.yaml", "fleet-rollout.yaml", "settings-and-lifecycle.yaml"}) {
    INFO(name);
    const std::string text = wlsim::testing::slurp(examples / name);
    CHECK(fast(text, Limits{}, Marks::Compare) == reference(text, Limits{}, Marks::Compare));
  }
  // A node with an anchor or a tag is marked where they begin; a quoted scalar at its quote.
  for (const std::string text :
       {"anchors: [&a 1, &b two, *a, *b]\n", "a: !!str 5\nb: ! 5\nc: '5'\nd: \"5\"\n",
        "base: &b {x: 1}\nuse: *b\nseq: &s\n  - 1\n", "a: &x !!str 1\nb: !!str &y 2\n"}) {
    INFO(wlsim::scenarios::escape_for_message(text));
    CHECK(fast(text, Limits{}, Marks::Compare) == reference(text, Limits{}, Marks::Compare));
  }
}

TEST_CASE(
    "read_document reads every example's JSON form through simdjson into the same document as "
    "yaml-cpp",
    "[document_text]") {
  int read = 0;
  for (const std::filesystem::path& path : wlsim::testing::example_scenarios()) {
    INFO(path.string());
    const Document yaml = wlsim::scenarios::to_document(
        wlsim::scenarios::parse_document(wlsim::testing::slurp(path), Limits{}));
    std::string json;
    to_json(yaml.root(), false, json);
    // The JSON path, not the YAML one, reads it.
    REQUIRE(wlsim::scenarios::read_json_fast(json, Limits{}).has_value());
    CHECK(fast(json, Limits{}, Marks::Ignore) == reference(json, Limits{}, Marks::Ignore));
    // Compact JSON (no space after ':' or ','), as a program writes it.
    std::string compact;
    bool in_string = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
      const char c = json[i];
      if (c == '"' && (i == 0 || json[i - 1] != '\\')) in_string = !in_string;
      if (!in_string && (c == ' ' || c == '\n')) continue;
      compact += c;
    }
    REQUIRE(wlsim::scenarios::read_json_fast(compact, Limits{}).has_value());
    CHECK(fast(compact, Limits{}, Marks::Ignore) == reference(compact, Limits{}, Marks::Ignore));
    // What `wlsim validate --format json` writes (document_json): read alike by both readers, and
    // into the same document as this test's writer.
    const std::string written = wlsim::scenarios::document_json(yaml.root());
    REQUIRE(wlsim::scenarios::read_json_fast(written, Limits{}).has_value());
    CHECK(fast(written, Limits{}, Marks::Ignore) == reference(written, Limits{}, Marks::Ignore));
    CHECK(fast(written, Limits{}, Marks::Ignore) == fast(json, Limits{}, Marks::Ignore));
    ++read;
  }
  CHECK(read > 20);
}

TEST_CASE("read_document reads the YAML details as yaml-cpp does", "[document_text]") {
  const std::vector<std::string> texts = {
      "",
      "# only a comment\n",
      "---\n",
      "--- \n...\n",
      "a: 1\n",
      "a:\n",
      "a: ~\nb: null\nc: Null\nd: NULL\ne: nULL\nf: ''\ng: \"\"\nh: !!str\ni: !!null ~\n",
      "a: !!str 5\nb: !!int 5\nc: ! 5\nd: !custom x\ne: '5'\nf: \"5\"\n",
      "<<: {a: 1}\nb: 2\n",
      "base: &b {x: 1, y: [1, 2]}\nuse: *b\nmore: [*b, *b]\ns: &s text\nt: *s\n",
      "a: &n\nb: *n\n",
      "a: &x 1\nb: &x 2\nc: *x\n",
      "- [a, b, {c: d}]\n- {e: [f, g], h: }\n- [k: v, m]\n",
      "lit: |\n  one\n  two\n\n\nclip: |\n  x\n\nstrip: |-\n  y\n\nkeep: |+\n  z\n\n",
      "fold: >\n  one\n  two\n\n  three\nfold2: >-\n  a\n   b\n  c\n",
      "ind: |2\n   indented\n  less\n",
      "plain: one\n  two\n\n  three\nq: 'it''s\n  folded'\nd: \"esc \\t \\u00e9 \\x41\n  folded "
      "\\\n  joined\"\n",
      "# head\na: 1 # tail\n# between\nb: [1, # in flow\n  2]\n",
      "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
      "a:\t1\nb: \"tab\there\"\n",
      "\xEF\xBB\xBF"
      "a: 1\n",
      "? complex\n: value\n? [a, b]\n: seq key\n",
      "a: 1\na: 2\n",
      "key with spaces: value with spaces\n'quoted key': x\n",
      "- - - a\n    - b\n  - c\n- d\n",
      "a: -1.50\nb: 0x1F\nc: 1e3\nd: .inf\ne: yes\nf: 010\n",
      "a: 'x' # c\nb: \"y\"#c\n",
      "%YAML 1.2\n---\na: 1\n",
      "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
      "a: !<tag:yaml.org,2002:str> 1\n",
      "[1, 2, 3]\n",
      "just a scalar\n",
      "'quoted root'\n",
      "a: b: c\n",
      "a: 1\n---\nb: 2\n",
      "a: 1\n...\n---\nb: 2\n",
      "a: 1\n...\ngarbage\n",
      "a: *undefined\n",
      "a: &x [1, *x]\n",
      "a: [1, 2\n",
      "a: {b: 1\n",
      "a: \"unterminated\n",
      "- a\nb: c\n",
      "a:\n  - 1\n - 2\n",
      "a: |\n  x\n y\n",
      "a: 1\n  b: 2\n",
      "\ta: 1\n",
      "a: @x\n",
      "a: `x\n",
      "{\"a\": 1}\n",
      "{a: 1, b: [x, y]}\n",
      "{\"a\": 1} trailing\n",
      "{\"a\": 1}\n---\n{\"b\": 2}\n",
      "a: \"\\ud83d\\ude00\"\n",
      "a: \"\\/\"\n",
      "a: 'x\n\n  y'\n",
      "a: -\n",
      "- \n- x\n-\n",
      "a: [ , ]\n",
      "a: {,}\n",
      "a: [a,b,]\n",
      "a: x\n\n\n",
      "a: &anchor\n  b: 1\nc: *anchor\n",
      "anchors: [&a 1, &b two, *a, *b]\n",
      "a: \"multi\n\n  line\"\n",
      "a: >\n\n  leading blank\n",
      "a: |\n\n\n",
      "a: |\n",
      "a: >+\n  k\n\n\nb: 1\n",
      "- !!map {a: 1}\n- !!seq [1]\n- !!str\n- !\n",
      "a: :b\nc: d:e\nf: -g\n",
      "a: 'a #b'\nc: d #e\nf: g#h\n",
      "url: http://x.y/z?a=1#frag\n",
      "a: |2+\n  k\n\n",
      "a: |\n",
      "a: >\n",
      "a: |-\n",
      "a: |\nb: 1\n",
      "a: 1 + 2\nb: '|+'\n",
      "a: &x !!str 1\nb: !!str &y 2\n",
      "a: {trace :{file: x}, b :[1]}\n",
      "- {id: a, status: locked}\n-\tid: v2\n",
      "{\"a\", {\"b\": 1}}\n",
      "{!!str \n  \"cpu\": 1}\n",
      "{a: b\rc}\n",
      "{n?me: 1, x: /h?}\n",
      "{key\n  on two lines: 1}\n",
      "   a:\n   b\n",
      "a:\nb\n",
      "a:\n  b\n",
      "a: {x:\n b}\n",
      // Runs of '' escapes (libfyaml 0.7.12, once a reader here, misread them).
      "a: 'x''''y'\n",
      "{a: 'x''''''''''''''''''''''''''y', b: 'it''s', c: ''}\n",
      "- '''a'''\n- ''''\n",
      // The scanner's edges (yaml_scanner.cpp): what it reads and what it leaves to the others.
      "a: steps([0s, 3/s], [1h, 0/s])\nb: x,y\nc: x]y}\n",
      "a: [1,\n  2]\nb: {c: 1,\n  d: [x,\n    y]}\n",
      "a: [1,\n2]\n",
      "a: [\n  1\n]\n",
      "a: [\n  1\n  ]\n",
      "a: [1\n  , 2]\n",
      "a:\n- 1\n- 2\nb: 3\n",
      "- a: 1\n  b: 2\n- c: 3\n-   d: 4\n    e: [x]\n",
      "- - a\n  - b\n- - - c\n",
      "a: x # c\n  # deeper\nb: 1\n",
      "a:\n  # deeper\n  b: 1\n",
      "a: [1] # c\n    # deeper\nb: 2\n",
      "a: \"\\x41\\u00e9\\U0001F600 \\\" \\\\ \\/ \\b\\f\\r\\n\"\n",
      "a: \"\\x7f\"\nb: \"\\u0000\"\nc: \"\\e\\N\\_\"\n",
      "caf\xC3\xA9: [x, \xC3\xA9, y]\nb: {\xC3\xA9: 1, c: 2}\n",
      "--- # c\na: 1\n",
      "---\n",
      "--- a\n",
      "a: ---\nb: ...\n",
      "a: 1\n--- \n",
      "a: [x]y\n",
      "a: x\n  y\n",
      "a: x\n\n  y\n",
      "a:    \n  b: 1\n",
      "key : v\n",
      "'k':v\n",
      "'k': v\n\"l\": w\n",
      "a: -1\nb: -.5\nc: - x\n",
      "a: 1 #c\nb: [1, 2] #c\nc: {x: 1}#c\nd: [1, 2]#c\n",
      "a: b#c\nd: [a#b, c]\n",
      "[a, b]: c\n",
      "{a: 1}: b\n",
      "? a\n",
      "a: x:y\nb: [x:y]\nc: {k: x:y}\n",
      "a: [x:, y]\n",
      "a: [x, y:]\n",
      "a: [x, 'y':z]\n",
      "{'a':1}\n",
      "a: C:\\dir\n",
      "a: {b: }\n",
      "a: {b}\n",
      "a: [b, {c: d}, [e]]\nf: {}\ng: []\n",
      "a:\n  - b\n  -\n    c: d\n  - - e\n",
      "a: x\nb:\n",
      "- a\n-\n",
      "a:\n  b: 1\n c: 2\n",
      "a:\n  - 1\n  b: 2\n",
      "   a: 1\n   b: [2]\n",
      "a: 'x' y\n",
      "a: \"x\"y\n",
      "a: [\"x\"y]\n",
      "...\n",
      "a: 1\n...\n",
      "a: ~\nb: [~, null, Null, NULL, nulL]\nc: {~: 1}\n",
      "1: 2\ntrue: [false, yes]\n",
      // A tag or an anchor on a line before its collection (the first found by the fuzzer).
      "!!stllllll,llllllllures\nduration: 1h\ncluer:\n  nodel: uniform(llllures\n",
      "!!str\na: 1\n",
      "&a\nb: 1\n",
      "a: !!map\n  b: 1\n",
      "a: &x\n  - 1\nb: *x\n",
      // An item on a line after its lone '-', no deeper than it (the second the fuzzer found).
      "# c\n-\n\n\ns on a line\n",
      "-\nx\n",
      "- a\n-\n*x\n",
      "-\n{a: 1}\n",
      "-\na: 1\n",
      "a:\n  -\n  b\n",
      // A flow mapping's value on a later line than its key (the fourth the fuzzer found).
      "{rs-9223372036854775808\n: 1}\n",
      "{a\n: [1]}\n",
      "a: {b\n  : c}\n",
      "{a: 1, b:\n  2}\n",
      // A document end marker before the only document (the fifth the fuzzer found).
      "# c\n\n...\n\ns on a line\n",
      "...\na: 1\n",
      // A quoted scalar over many blank lines (the sixth the fuzzer found).
      "'a b" + std::string(80, '\n') + "'",
      "a: \"x" + std::string(40, '\n') + "  y\"\n",
      // A block scalar at the end of text without a final line break (the seventh).
      "|\n  \"[aoed#",
      "a: >\n  x\n  y",
      // Anchor names and what ends them (the eighth).
      "#  \nname: &\\n\"oP{id: cwhilif}\n",
      "a: &x{b: 1}\n",
      "a: &x.y-z_1 [1]\nb: *x.y-z_1\n",
      "a: &x 1\nb: [*x]\nc: {d: *x}\n",
      "a: &x 1\nb: *x}\n",
      // Keys near YAML's bound of 1024 characters.
      long_key("", 1022, ": 1\n"),
      long_key("", 1025, ": 1\n"),
      long_key("'", 1021, "': 1\n"),
      long_key("{", 1023, ": 1}\n"),
      long_key("{'", 1022, "': 1}\n"),
      // A quoted scalar on the line after a key, at the key's column (the fuzzer's eleventh).
      "nool+3++:\n\"\\n\"",
      "a:\n''\n",
      "a:\n'x'\n",
      "a:\n 'x'\n",
  };
  for (const std::string& text : texts) {
    INFO(wlsim::scenarios::escape_for_message(text));
    CHECK(disagreement(text, Limits{}) == "");
  }
}

TEST_CASE("read_document reads JSON details as yaml-cpp does", "[document_text]") {
  const std::vector<std::string> texts = {
      "{}",
      "  \n{\"a\": 1.50, \"b\": -0, \"c\": 1e5, \"d\": 1E-2, \"e\": 12345678901234567890123}",
      "{\"t\": true, \"f\": false, \"n\": null, \"s\": \"null\", \"e\": \"\"}",
      "{\"esc\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u0041\"}",
      "{\"a\": [1, [2, [3, {\"b\": []}]], {}]}",
      "{\"a\":1,\"a\":2}",
      "{\"k\\u00e9y\": \"v\"}",
      "{\"a\": \"\\ud83d\\ude00\"}",
      "{\"\\ud83d\\ude00\": 1}",
      "{\"a\": 01}",
      "{\"a\": 1.}",
      "{\"a\": tru}",
      "{\"a\": [1, 2,]}",
      "{\"a\": 1,}",
      "{\"a\": \"x\ty\"}",
      "{\"a\": 1} {\"b\": 2}",
      "{\"a\": 1}\n# comment\n",
      "{\"a\": \"multi\nline\"}",
      "{\"a\": 1e400}",
      "{\"a\": -}",
      "{\"a\":[true,false,null]}",
      // A value On Demand would skip unread, and with it what follows (found by the fuzzer).
      "{\"name\":\"oups\":_{\"name\"_me\":\"c\",\"i\":\"i\",\"- e\":{apt\":\"a\"}]}\n",
      "{\"a\": \"x\" \"y\"}",
      "{\"a\": \"x\\\"y\", \"b\": \"\"}",
      // Keys near YAML's bound of 1024 characters (the fuzzer's ninth).
      "{\"" + std::string(1021, 'k') + "\": 1}",
      "{\"" + std::string(1023, 'k') + "\": 1}",
      "{\"" + std::string(1030, 'k') + "\": 1}",
      "{\"" + std::string(500, 'k') + "\\u00e9" + std::string(500, 'k') + "\": 1}",
      "{\"" + std::string(990, 'k') + "\": 1}",
  };
  for (const std::string& text : texts) {
    INFO(wlsim::scenarios::escape_for_message(text));
    CHECK(disagreement(text, Limits{}) == "");
  }
}

TEST_CASE("read_document gives parse_document's message for malformed and over-limit text",
          "[document_text]") {
  Limits tight;
  tight.max_file_bytes = 2048;  // 8 values
  tight.max_depth = 3;
  const std::vector<std::string> texts = {
      "a: [1, 2\n",
      "a: 1\n---\nb: 2\n",
      "a: &x [1, *x]\n",
      "a: *nope\n",
      "a: \x01\n",
      "a: \xff\n",
      "[[[[1]]]]\n",
      "a:\n  b:\n    c:\n      d: 1\n",
      "a: &x [[1]]\nb:\n  c: *x\n",
      "[1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
      "a: &x [1, 2, 3]\nb: [*x, *x, *x]\n",
      "{\"a\": [[[1]]]}",
      "{\"a\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}",
      "{\"a\": 1",
      std::string(3000, ' '),
      "a: caf\xc3\xa9 \xc2\x80\n",
      "name: x\nabcdefghijklmnop\x7f\n",
      "abcdefghijklmnop: \x01\n",
      "a: \xc3\n",
      "a: \xed\xa0\x80\n",
      "a: \xf4\x90\x80\x80\n",
      "a: \xc0\xaf\n",
  };
  for (const std::string& text : texts) {
    INFO(wlsim::scenarios::escape_for_message(text));
    const std::string expected = reference(text, tight, Marks::Ignore);
    CHECK(expected.starts_with("error: "));
    CHECK(fast(text, tight, Marks::Ignore) == expected);
    CHECK(disagreement(text, tight) == "");
  }
}

// The schema readers over a Document (yaml_reader.hpp): a value's field path is made only when
// asked, from links that outlive the lists and objects that led to it, and comes out exactly as
// the readers have always written it; known keys are marked by entry, however many a mapping has.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "../../scenarios/override_tree.hpp"
#include "../../scenarios/scenario_text.hpp"
#include "../../scenarios/workload_templates.hpp"
#include "../../scenarios/yaml_cpp_document.hpp"
#include "../../scenarios/yaml_reader.hpp"
#include "scenario_fixture.hpp"

namespace {

using wlsim::scenarios::Document;
using wlsim::scenarios::FieldError;
using wlsim::scenarios::IgnoredFields;
using wlsim::scenarios::Limits;
using wlsim::scenarios::Object;
using wlsim::scenarios::ReadContext;
using wlsim::scenarios::Value;

Document document_of(const std::string& yaml) {
  return wlsim::scenarios::to_document(wlsim::scenarios::parse_document(yaml, Limits{}));
}

/// The FieldError `read` throws, as "path: message".
template <typename Read>
std::string field_error(Read&& read) {
  try {
    read();
  } catch (const FieldError& e) {
    return e.path + ": " + e.message;
  }
  return "(no error)";
}

/// "k" and `i` (appended piece by piece: GCC 12's -Wrestrict false positive).
std::string key_name(int i) {
  std::string out = "k";
  out += std::to_string(i);
  return out;
}

/// A mapping of `n` keys k0 ... k(n-1), each with the value 1, and then `extra` (YAML).
std::string many_keys(int n, const std::string& extra = "") {
  std::string out = "{";
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += key_name(i);
    out += ": 1";
  }
  return out + extra + "}";
}

}  // namespace

TEST_CASE("a value's path is made when asked, after the lists that led to it are gone",
          "[reader]") {
  Document doc = document_of("a:\n  - {b: [x, {c: {d: [1, 2, bad]}}]}\n");
  const Limits limits;
  ReadContext ctx(doc, limits);
  Object top{Value(ctx)};
  std::vector<Value> leaves;
  // Each as_list() below is a temporary that dies before its loop's body runs.
  for (const Value& item : top.required("a").as_list()) {
    Object o(item);
    const Value b1 = o.required("b").as_list()[1];
    Object c(Object(b1).required("c"));
    for (const Value& d : c.required("d").as_list()) leaves.push_back(d);
  }
  REQUIRE(leaves.size() == 3);
  CHECK(leaves[0].path() == "a[0].b[1].c.d[0]");
  CHECK(leaves[2].path() == "a[0].b[1].c.d[2]");
  CHECK(leaves[2].path() == leaves[2].path());
  CHECK(field_error([&] { (void)leaves[2].as_int(0, 10); }) ==
        "a[0].b[1].c.d[2]: 'bad' is not an integer");
}

TEST_CASE("a deep error in a scenario names the whole path, indices and fields", "[reader]") {
  const std::string yaml = R"(name: t
duration: 1h
cluster:
  nodePools: [{name: n, count: 2, allocatable: {cpu: 8, memory: 32GB}}]
artifacts:
  - id: a
    status: locked
    containerGroups:
      - name: default
        containers: [{name: app, imageUri: r/app:1, readinessProbe: {path: /healthz}, resourceAllocation: {cpu: 1, memory: 1GB}}]
workloads:
  - {id: w0, artifactId: a}
  - id: w1
    artifactId: a
    runtime:
      containerGroups:
        - name: default
          autoscaling:
            policies:
              - {scalingMetric: httpRequestsConcurrency, target: 5, minCount: 1, maxCount: 2}
              - {scalingMetric: httpRequestsConcurrency, target: lots, minCount: 1, maxCount: 2}
)";
  CHECK(wlsim::testing::error_of(yaml) ==
        "f.yaml: workloads[1].runtime.containerGroups[0].autoscaling.policies[1].target: 'lots' "
        "is not a number");
}

TEST_CASE("a field that is absent has a null value at its path", "[reader]") {
  Document doc = document_of("outer: {inner: 1}\n");
  const Limits limits;
  ReadContext ctx(doc, limits);
  const Value outer = Object(Value(ctx)).required("outer");
  const Value missing = outer.field("nothing");
  CHECK(missing.node().is_null());
  CHECK(missing.path() == "outer.nothing");
  CHECK(outer.field("inner").path() == "outer.inner");
  CHECK(outer.field("inner").as_int(0, 5) == 1);
}

TEST_CASE("finish() lists every key asked for, sorted, whatever the mapping's size", "[reader]") {
  const Limits limits;
  for (const int n : {3, 70}) {
    Document doc = document_of(many_keys(n, ", zz: 2"));
    ReadContext ctx(doc, limits);
    Object o{Value(ctx)};
    // Keys are kept as views: the document's own text outlives the Object.
    for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(n); ++i) {
      CHECK(o.required(doc.root().key(i).scalar()).as_int(1, 1) == 1);
    }
    (void)o.has("absent");
    std::string allowed = "absent";
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i) keys.push_back(key_name(i));
    std::sort(keys.begin(), keys.end());
    for (const std::string& k : keys) allowed += ", " + k;
    CHECK(field_error([&] { o.finish(); }) ==
          "zz: is not a known field (allowed: " + allowed + ")");
  }
}

TEST_CASE("a key given twice is refused at its second place, in a short or a long mapping",
          "[reader]") {
  const Limits limits;
  for (const int n : {5, 40}) {
    Document doc = document_of(many_keys(n, ", k3: 2, k4: 2"));
    ReadContext ctx(doc, limits);
    CHECK(field_error([&] { Object o{Value(ctx)}; }) == "k3: is given twice");
  }
}

TEST_CASE("unknown fields of many items are one ignored entry, counted, with the first path",
          "[reader]") {
  Document doc = document_of("items: [{a: 1, extra: x}, {a: 2, extra: y}, {a: 3}]\n");
  const Limits limits;
  IgnoredFields ignored;
  ReadContext ctx(doc, limits, &ignored);
  Object top{Value(ctx)};
  for (const Value& item : top.required("items").as_list()) {
    Object o(item);
    (void)o.required("a");
    o.finish();
  }
  top.finish();
  CHECK(ignored.messages() ==
        std::vector<std::string>{"items[*].extra: not a field wlsim reads; ignored (2 times, "
                                 "first at items[0].extra)"});
}

TEST_CASE("a template's copies are new nodes at the template's path; the template is unchanged",
          "[reader][templates]") {
  Document doc = document_of(
      "workloads:\n  - {id: 'wl-{i}', count: 2, artifactId: a, labels: [x, 'y{i}'], fixed: {k: "
      "v}}\n");
  const std::string before = wlsim::scenarios::document_json(doc.root());
  const Limits limits;
  ReadContext ctx(doc, limits);
  const std::vector<Value> items =
      wlsim::scenarios::expand_workloads(Object(Value(ctx)).required("workloads"));
  REQUIRE(items.size() == 2);
  CHECK(items[1].path() == "workloads[0]");
  CHECK(wlsim::scenarios::document_json(items[1].node()) ==
        R"({"id":"wl-1","artifactId":"a","labels":["x","y1"],"fixed":{"k":"v"}})");
  CHECK(wlsim::scenarios::document_json(doc.root()) == before);
  // What has no {i} under it is shared by the copies, not copied.
  CHECK(items[0].node().value(2).item(0).index() == items[1].node().value(2).item(0).index());
  CHECK(items[0].node().value(3).index() == items[1].node().value(3).index());
}

TEST_CASE("a bad {i} deep in a template names its path in the template", "[reader][templates]") {
  Document doc = document_of(
      "workloads:\n  - {id: 'wl-{i}', count: 2, runtime: {containerGroups: [{name: 'g{i:7}'}]}}\n");
  const Limits limits;
  ReadContext ctx(doc, limits);
  CHECK(field_error([&] {
          (void)wlsim::scenarios::expand_workloads(Object(Value(ctx)).required("workloads"));
        }) ==
        "workloads[0].runtime.containerGroups[0].name: '{i:7}' is not an index (allowed: {i}, or "
        "{i:0W} for W digits with leading zeros, W 1 to 9)");
}

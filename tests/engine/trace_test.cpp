// Tests for engine/trace.hpp: the running hash fingerprints the exact sequence of records (any
// field, any order, any field boundary), sinks receive every record, CSV and JSON-lines output read
// back to the records written, and seconds_text is exact. Records are written here as text (Text)
// and coded through a vocabulary that gives every text a code: what the engine hashes and writes is
// the text the codes stand for.

#include "wlsim/engine/trace.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "wlsim/engine/decimal.hpp"
#include "wlsim/engine/hash64.hpp"
#include "wlsim/engine/random.hpp"
#include "wlsim/engine/time.hpp"

using wlsim::engine::CsvSink;
using wlsim::engine::hash_hex;
using wlsim::engine::JsonLinesSink;
using wlsim::engine::MemorySink;
using wlsim::engine::RandomStream;
using wlsim::engine::scale_decimal;
using wlsim::engine::seconds_text;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using wlsim::engine::TraceCode;
using wlsim::engine::TraceRecord;
using wlsim::engine::TraceVocabulary;

namespace {

/// Every text gets a code the first time it is seen; kinds, states and reasons share one table.
class Interned final : public TraceVocabulary {
 public:
  TraceCode code(const std::string& text) {
    const auto [it, added] = codes_.try_emplace(text, static_cast<TraceCode>(names_.size()));
    if (added) names_.push_back(text);
    return it->second;
  }
  [[nodiscard]] std::string_view kind(TraceCode c) const noexcept override { return names_[c]; }
  [[nodiscard]] std::string_view state(TraceCode, TraceCode c) const noexcept override {
    return names_[c];
  }
  [[nodiscard]] std::string_view reason(TraceCode c) const noexcept override { return names_[c]; }

 private:
  std::deque<std::string> names_;  // a deque: the names' addresses stay put as it grows
  std::map<std::string, TraceCode> codes_;
};

Interned& interned() {
  static Interned vocabulary;  // test-only: shared by every test of this file, only ever added to
  return vocabulary;
}

/// A record as text, the fields in the order of a sink's columns.
struct Text {
  Time time;
  std::string object;
  std::string kind;
  std::string from;
  std::string to;
  std::string reason;
  std::string message;
};

TraceRecord typed(const Text& t) {
  Interned& v = interned();
  return TraceRecord{t.time,         t.object,     v.code(t.kind),
                     v.code(t.from), v.code(t.to), v.code(t.reason),
                     t.message,      {},           &v};
}

Text sample_record(int i = 0) {
  return Text{Time::from_ms(1500 + i),
              "wl-1/p1/r0/app",
              "container",
              "Waiting",
              "Running",
              "Started",
              "Started container app " + std::to_string(i)};
}

std::vector<Text> sample_records() {
  std::vector<Text> out;
  for (int i = 0; i < 5; ++i) out.push_back(sample_record(i));
  out[2].from = "";
  out[3].message = "";
  return out;
}

std::uint64_t hash_of(const std::vector<Text>& records) {
  Trace t;
  for (const auto& r : records) t.record(typed(r));
  return t.hash();
}

// The 10 fields of a record as text, in header order; times as seconds_text. A record made from
// Text happened once: count 1, first and last its time.
std::vector<std::string> fields(const Text& r) {
  return {seconds_text(r.time),
          r.object,
          r.kind,
          r.from,
          r.to,
          r.reason,
          r.message,
          "1",
          seconds_text(r.time),
          seconds_text(r.time)};
}
std::vector<std::string> fields(const TraceRecord& r) {
  return {seconds_text(r.time),
          r.object,
          std::string(r.kind_name()),
          std::string(r.from_name()),
          std::string(r.to_name()),
          std::string(r.reason_name()),
          r.message,
          std::to_string(r.count),
          seconds_text(r.first),
          seconds_text(r.last)};
}

std::string* field(Text& r, int i) {
  switch (i) {
    case 0:
      return &r.object;
    case 1:
      return &r.kind;
    case 2:
      return &r.from;
    case 3:
      return &r.to;
    case 4:
      return &r.reason;
    default:
      return &r.message;
  }
}

/// RFC 4180 reader: fields separated by ',', records by "\n" or "\r\n"; quoted fields may contain
/// ',', '"' (doubled) and line breaks. A bare '\r' or '"' in an unquoted field is an error.
struct CsvResult {
  bool ok = true;
  std::vector<std::vector<std::string>> rows;
};
CsvResult read_csv(const std::string& text) {
  CsvResult out;
  std::vector<std::string> row;
  std::string f;
  std::size_t i = 0;
  bool field_started = false;
  while (i < text.size()) {
    if (!field_started && text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) return {false, {}};
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            f += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f += text[i++];
      }
      field_started = true;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
        return {false, {}};
      continue;
    }
    const char c = text[i];
    if (c == ',') {
      row.push_back(f);
      f.clear();
      field_started = false;
      ++i;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      row.push_back(f);
      f.clear();
      field_started = false;
      out.rows.push_back(row);
      row.clear();
      i += c == '\r' ? 2 : 1;
    } else if (c == '\r' || c == '"') {
      return {false, {}};
    } else {
      f += c;
      field_started = true;
      ++i;
    }
  }
  if (field_started || !row.empty())
    return {false, {}};  // the last record must end with a line break
  return out;
}

}  // namespace

// -------------------------------------------------------------------------------------------------
// The running hash

TEST_CASE("the same records give the same hash", "[trace]") {
  CHECK(hash_of(sample_records()) == hash_of(sample_records()));
  Trace with_sinks;
  MemorySink memory;
  std::ostringstream csv_out;
  CsvSink csv(csv_out);
  with_sinks.add_sink(memory);
  with_sinks.add_sink(csv);
  for (const auto& r : sample_records()) with_sinks.record(typed(r));
  CHECK(with_sinks.hash() == hash_of(sample_records()));  // sinks do not affect the hash
}

TEST_CASE("recording a record changes the hash", "[trace]") {
  Trace t;
  const std::uint64_t empty = t.hash();
  t.record(typed(sample_record()));
  CHECK(t.hash() != empty);
  const std::uint64_t one = t.hash();
  t.record(typed(sample_record()));  // even an identical record again
  CHECK(t.hash() != one);
  Trace blank;
  blank.record(typed(Text{}));
  CHECK(blank.hash() != empty);  // an all-empty record still counts
}

TEST_CASE("changing any field of any record changes the hash", "[trace]") {
  const auto base = sample_records();
  const std::uint64_t h = hash_of(base);
  std::set<std::uint64_t> seen{h};
  for (std::size_t r = 0; r < base.size(); ++r) {
    for (int f = 0; f < 6; ++f) {
      auto changed = base;
      *field(changed[r], f) += "x";
      INFO("record " << r << " field " << f);
      CHECK(seen.insert(hash_of(changed)).second);
      changed = base;
      std::string& s = *field(changed[r], f);
      if (!s.empty()) {
        s.back() ^= 1;  // a one-bit change
        CHECK(seen.insert(hash_of(changed)).second);
      }
    }
    for (const std::int64_t delta : {1LL, 256LL, 1LL << 40, -1LL}) {
      auto changed = base;
      changed[r].time += Time::from_us(delta);
      INFO("record " << r << " time + " << delta);
      CHECK(seen.insert(hash_of(changed)).second);
    }
  }
}

TEST_CASE("reordering records changes the hash", "[trace]") {
  const auto base = sample_records();
  auto swapped = base;
  std::swap(swapped[1], swapped[3]);
  CHECK(hash_of(swapped) != hash_of(base));
  // Same two records, either order.
  CHECK(hash_of({sample_record(1), sample_record(2)}) !=
        hash_of({sample_record(2), sample_record(1)}));
}

TEST_CASE("moving text across a field boundary changes the hash", "[trace]") {
  for (int f = 0; f < 5; ++f) {
    Text a;
    Text b;
    *field(a, f) = "ab";
    *field(a, f + 1) = "c";
    *field(b, f) = "a";
    *field(b, f + 1) = "bc";
    INFO("fields " << f << " and " << f + 1);
    CHECK(hash_of({a}) != hash_of({b}));
    // And into an empty neighbour.
    Text c;
    Text d;
    *field(c, f) = "abc";
    *field(d, f + 1) = "abc";
    CHECK(hash_of({c}) != hash_of({d}));
  }
  // Across records: the end of one record's message versus the start of the next record's object.
  Text r1{Time::zero(), "o", "k", "f", "t", "r", "ab"};
  Text r2{Time::zero(), "c", "k", "f", "t", "r", "m"};
  Text s1 = r1;
  Text s2 = r2;
  s1.message = "a";
  s2.object = "bc";
  CHECK(hash_of({r1, r2}) != hash_of({s1, s2}));
}

// Regression: with a separator byte (0x1F) between fields instead of an unambiguous encoding,
// ("a\x1F", "b") and ("a", "\x1Fb") hashed identically. Field text comes from scenario files.
TEST_CASE("field boundaries stay unambiguous whatever bytes the fields hold", "[trace]") {
  Text a;
  Text b;
  a.object = "a\x1f";
  a.kind = "b";
  b.object = "a";
  b.kind =
      "\x1f"
      "b";
  CHECK(hash_of({a}) != hash_of({b}));
  // Exhaustively likely: short fields over an alphabet of ordinary, separator-like and NUL bytes.
  // Distinct records must give distinct hashes.
  RandomStream rng(5, "trace", "ambiguity");
  const char alphabet[] = {'a', 'b', '\x1f', '\0', ','};
  std::map<std::uint64_t, std::vector<std::string>> seen;
  for (int i = 0; i < 20000; ++i) {
    Text r;
    r.time = Time::from_us(static_cast<std::int64_t>(rng.next_u64() % 3));
    for (int f = 0; f < 6; ++f) {
      const auto len = rng.next_u64() % 4;
      for (std::uint64_t k = 0; k < len; ++k)
        *field(r, f) += alphabet[rng.next_u64() % sizeof alphabet];
    }
    const std::uint64_t h = hash_of({r});
    const auto key = fields(r);
    const auto [it, inserted] = seen.emplace(h, key);
    if (!inserted) {
      INFO("two records share hash " << hash_hex(h));
      REQUIRE(it->second == key);
    }
  }
  CHECK(seen.size() > 10000);  // many distinct records were compared
}

// The hash folds the hash of the text each code stands for (hash64.hpp), so it does not depend on
// the numbers the codes happen to have: the reference below folds the text alone.
TEST_CASE("the hash of coded records folds the text their codes stand for", "[trace]") {
  using wlsim::engine::hash64::fold;
  const Text a{Time::from_seconds(95),
               "wl-1/p1/r0/app",
               "container",
               "running",
               "terminated:OOMKilled",
               "OOMKilled",
               "exit code 137 (OOMKilled)"};
  const Text b{Time::from_seconds(96),
               "wl-1/p1/r0/app",
               "event",
               "",
               "Warning",
               "BackOff",
               "Back-off restarting failed container app in pod wl-1/p1/r0"};
  using wlsim::engine::hash64::record;
  using wlsim::engine::hash64::text;
  std::uint64_t h = 0;
  for (const Text& r : {a, b}) {
    const auto us = static_cast<std::uint64_t>(r.time.us());
    h = fold(h, record({us, text(r.kind), text(r.from), text(r.to), text(r.reason), 1, us, us},
                       r.object, r.message));
  }
  Trace t;
  t.record(typed(a));
  t.record(typed(b));
  CHECK(t.hash() == h);
}

// The value is pinned: every golden trace hash of the examples rests on it. It changed on purpose
// from FNV-1a byte by byte to a chain of wyhash steps, then to records hashed side by side and
// folded once each (hash64::record; both issue 11).
TEST_CASE("the hash of a trace is the same on every run", "[trace]") {
  Trace t;
  t.record(typed({Time::from_seconds(95), "wl-1/p1/r0/app", "container", "running",
                  "terminated:OOMKilled", "OOMKilled", "exit code 137 (OOMKilled)"}));
  CHECK(hash_hex(t.hash()) == "d7c15f014239c8f6");
  t.record(typed({Time::from_seconds(95), "wl-1/p1/r0/app", "event", "", "Warning", "BackOff",
                  "Back-off restarting failed container app in pod wl-1/p1/r0"}));
  CHECK(hash_hex(t.hash()) == "acbea3c1b8f242cd");
}

TEST_CASE("a record's hash changes when its count, first or last time changes", "[trace]") {
  TraceRecord r = typed(sample_record());
  const auto hash = [](const TraceRecord& x) {
    Trace t;
    t.record(x);
    return t.hash();
  };
  std::set<std::uint64_t> seen{hash(r)};
  TraceRecord c = r;
  c.count = 2;
  CHECK(seen.insert(hash(c)).second);
  c = r;
  c.first -= Time::from_us(1);
  CHECK(seen.insert(hash(c)).second);
  c = r;
  c.last += Time::from_us(1);
  CHECK(seen.insert(hash(c)).second);
  c = r;
  c.from = TraceRecord::kTextState;
  c.text = "GET /workloads";
  CHECK(seen.insert(hash(c)).second);
  c.text = "GET /workloadz";
  CHECK(seen.insert(hash(c)).second);
}

TEST_CASE("hash64 reads text as little-endian 8-byte words after its length", "[trace]") {
  using wlsim::engine::hash64::fold;
  CHECK(fold(0, std::string_view("abcdefghij")) ==
        fold(fold(fold(0, std::uint64_t{10}), std::uint64_t{0x6867666564636261}),
             std::uint64_t{0x6A69}));
  CHECK(fold(0, std::string_view("")) == fold(0, std::uint64_t{0}));
  // A tail's zero padding is told apart by the length.
  CHECK(fold(0, std::string_view("a")) != fold(0, std::string_view("a\0", 2)));
}

TEST_CASE("a record a sink keeps owns its text; the view it received does not outlive the call",
          "[trace]") {
  Trace t;
  MemorySink sink;
  t.add_sink(sink);
  {
    std::string object = "wl-1/p1/r0";
    std::string message = "Started";
    Interned& v = interned();
    t.record(wlsim::engine::TraceView{Time::from_seconds(2),
                                      object,
                                      v.code("replica"),
                                      v.code("Pending"),
                                      v.code("Running"),
                                      v.code(""),
                                      message,
                                      {},
                                      &v,
                                      3,
                                      Time::from_seconds(1),
                                      Time::from_seconds(2)});
    object.assign(40, 'x');
    message.assign(40, 'y');
  }
  REQUIRE(sink.records().size() == 1);
  const TraceRecord& r = sink.records()[0];
  CHECK(r.object == "wl-1/p1/r0");
  CHECK(r.message == "Started");
  CHECK(r.count == 3);
  CHECK(r.first == Time::from_seconds(1));
  CHECK(r.last == Time::from_seconds(2));
  CHECK(r.view().object == "wl-1/p1/r0");
}

TEST_CASE("a kept record holds every field of the view it was made from, in one string",
          "[trace]") {
  Interned& v = interned();
  std::string object = "wl-00001/p1/r0/app";
  std::string message = "Readiness probe failed: HTTP probe failed with statuscode: 503";
  std::string text = "POST /workloads/wl-00001/replacement";
  const wlsim::engine::TraceView view{Time::from_seconds(7),
                                      object,
                                      v.code("container"),
                                      TraceRecord::kTextState,
                                      v.code("Running"),
                                      v.code("Unhealthy"),
                                      message,
                                      text,
                                      &v,
                                      4,
                                      Time::from_seconds(1),
                                      Time::from_seconds(6)};
  wlsim::engine::KeptRecord kept(view);
  object.assign(50, 'x');
  message.assign(70, 'y');
  text.assign(40, 'z');
  CHECK(kept.time() == Time::from_seconds(7));
  CHECK(kept.object() == "wl-00001/p1/r0/app");
  CHECK(kept.message() == "Readiness probe failed: HTTP probe failed with statuscode: 503");
  CHECK(kept.kind_name() == "container");
  CHECK(kept.from_name() == "POST /workloads/wl-00001/replacement");
  CHECK(kept.to_name() == "Running");
  CHECK(kept.reason_name() == "Unhealthy");
  CHECK(kept.count() == 4);
  CHECK(kept.first() == Time::from_seconds(1));
  CHECK(kept.last() == Time::from_seconds(6));
  // Reused for another record, it holds that one's fields only.
  kept.assign(wlsim::engine::TraceView{Time::from_seconds(9),
                                       "wl-2",
                                       v.code("workload"),
                                       v.code("launching"),
                                       v.code("running"),
                                       v.code(""),
                                       "",
                                       {},
                                       &v});
  CHECK(kept.object() == "wl-2");
  CHECK(kept.message().empty());
  CHECK(kept.from_name() == "launching");
  CHECK(kept.count() == 1);
  CHECK(kept.first() == Time::from_seconds(9));
  // Smaller than a TraceRecord: objects keep up to a hundred of these each.
  CHECK(sizeof(wlsim::engine::KeptRecord) < sizeof(TraceRecord));
}

TEST_CASE("a record's codes are named by its vocabulary; a text from-state by its text",
          "[trace]") {
  TraceRecord r = typed({Time::zero(), "o", "kind", "from", "to", "why", "m"});
  CHECK(r.kind_name() == "kind");
  CHECK(r.from_name() == "from");
  CHECK(r.to_name() == "to");
  CHECK(r.reason_name() == "why");
  r.from = TraceRecord::kTextState;
  r.text = "POST /workloads/wl-1/replacement";
  CHECK(r.from_name() == "POST /workloads/wl-1/replacement");
  CHECK(r.to_name() == "to");
  // No vocabulary: every code is named "" (the text still names a text from-state).
  r.vocabulary = nullptr;
  CHECK(r.kind_name().empty());
  CHECK(r.to_name().empty());
  CHECK(r.reason_name().empty());
  CHECK(r.from_name() == "POST /workloads/wl-1/replacement");
}

TEST_CASE("count is the number of records recorded", "[trace]") {
  Trace t;
  CHECK(t.count() == 0);
  for (int i = 0; i < 7; ++i) t.record(typed(sample_record(i)));
  CHECK(t.count() == 7);
}

TEST_CASE("hash_hex writes 16 lowercase hex digits that read back to the hash", "[trace]") {
  RandomStream rng(3, "trace", "hex");
  std::vector<std::uint64_t> values{
      0, 1, 0xABCDEFULL, ~0ULL, 0x8000000000000000ULL, hash_of(sample_records())};
  for (int i = 0; i < 1000; ++i) values.push_back(rng.next_u64());
  for (const std::uint64_t v : values) {
    const std::string h = hash_hex(v);
    INFO(h);
    REQUIRE(h.size() == 16);
    for (const char c : h) REQUIRE(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
    REQUIRE(std::strtoull(h.c_str(), nullptr, 16) == v);
  }
  CHECK(hash_hex(0) == "0000000000000000");
}

// -------------------------------------------------------------------------------------------------
// Sinks

TEST_CASE("MemorySink keeps every record in order", "[trace]") {
  Trace t;
  MemorySink sink;
  t.add_sink(sink);
  const auto records = sample_records();
  for (const auto& r : records) t.record(typed(r));
  REQUIRE(sink.records().size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i)
    CHECK(fields(sink.records()[i]) == fields(records[i]));
}

TEST_CASE("every sink added receives every record", "[trace]") {
  Trace t;
  MemorySink a;
  MemorySink b;
  t.record(typed(sample_record(0)));  // before any sink: not delivered later
  t.add_sink(a);
  t.record(typed(sample_record(1)));
  t.add_sink(b);
  t.record(typed(sample_record(2)));
  CHECK(a.records().size() == 2);
  CHECK(b.records().size() == 1);
  CHECK(t.count() == 3);
}

TEST_CASE("CsvSink writes the header row, then one row per record", "[trace]") {
  std::ostringstream out;
  {
    CsvSink sink(out);
    Trace t;
    t.add_sink(sink);
    for (const auto& r : sample_records()) t.record(typed(r));
  }
  const auto csv = read_csv(out.str());
  REQUIRE(csv.ok);
  REQUIRE(csv.rows.size() == 6);
  CHECK(csv.rows[0] == std::vector<std::string>{"time", "object", "kind", "from", "to", "reason",
                                                "message", "count", "first", "last"});
  const auto records = sample_records();
  for (std::size_t i = 0; i < records.size(); ++i) CHECK(csv.rows[i + 1] == fields(records[i]));
  CHECK(csv.rows[1][0] == "1.5");
}

TEST_CASE("CsvSink with no records writes just the header", "[trace]") {
  std::ostringstream out;
  CsvSink sink(out);
  CHECK(out.str() == "time,object,kind,from,to,reason,message,count,first,last\n");
}

TEST_CASE("CsvSink quotes fields with commas, quotes and newlines so they read back", "[trace]") {
  std::ostringstream out;
  CsvSink sink(out);
  const Text r{Time::from_seconds(30),       "a,b", "say \"hi\"", "line1\nline2", "\"", ",",
               "plain, \"quoted\"\nand more"};
  sink.write(typed(r).view());
  const std::string text = out.str();
  CHECK(text.find("\"a,b\"") != std::string::npos);
  CHECK(text.find("\"say \"\"hi\"\"\"") != std::string::npos);
  const auto csv = read_csv(text);
  REQUIRE(csv.ok);
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.rows[1] == fields(r));
  // Fields that need no quoting are written bare.
  std::ostringstream plain;
  CsvSink plain_sink(plain);
  plain_sink.write(typed(sample_record()).view());
  CHECK(plain.str().find('"') == std::string::npos);
}

// RFC 4180 requires quoting a field that contains a line break, '\r' included; unquoted, readers
// take it for the end of the record (Python's csv module: "new-line character seen in unquoted
// field").
TEST_CASE("CsvSink quotes a field containing a carriage return", "[trace]") {
  std::ostringstream out;
  CsvSink sink(out);
  Text r = sample_record();
  r.message = "first\rsecond";
  sink.write(typed(r).view());
  const auto csv = read_csv(out.str());
  REQUIRE(csv.ok);
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.rows[1] == fields(r));
}

TEST_CASE("JsonLinesSink writes one JSON object per line with the 10 keys", "[trace]") {
  std::ostringstream out;
  JsonLinesSink sink(out);
  Trace t;
  t.add_sink(sink);
  auto records = sample_records();
  records.push_back(Text{Time::from_us(1), "o\"q", "k\\b", "tab\there", "nl\nhere", "\x01\x1f",
                         "caf\xC3\xA9 / </script>"});
  records.push_back(Text{});
  for (const auto& r : records) t.record(typed(r));

  std::istringstream in(out.str());
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    REQUIRE(n < records.size());
    INFO(line);
    REQUIRE(nlohmann::ordered_json::accept(line));
    const auto obj = nlohmann::ordered_json::parse(line);
    REQUIRE(obj.is_object());
    REQUIRE(obj.size() == 10);
    const std::vector<std::string> keys{"time",   "object",  "kind",  "from",  "to",
                                        "reason", "message", "count", "first", "last"};
    const auto expected = fields(records[n]);
    // The times are numbers written as seconds_text, the count a number; the rest are strings.
    CHECK(line.rfind("{\"time\":" + expected[0] + ",", 0) == 0);
    CHECK(line.find(",\"first\":" + expected[8] + ",\"last\":" + expected[9] + "}") !=
          std::string::npos);
    std::size_t k = 0;
    for (const auto& [key, value] : obj.items()) {
      CHECK(key == keys[k]);
      const bool text = k != 0 && k < 7;
      CHECK(value.is_string() == text);
      if (text) CHECK(value.get<std::string>() == expected[k]);
      if (k == 7) CHECK(value.get<std::uint64_t>() == 1);
      ++k;
    }
    ++n;
  }
  CHECK(n == records.size());
  CHECK(out.str().back() == '\n');
}

// -------------------------------------------------------------------------------------------------
// seconds_text

TEST_CASE("seconds_text is exact and shortest", "[trace]") {
  CHECK(seconds_text(Time::from_seconds(30)) == "30");
  CHECK(seconds_text(Time::from_ms(250)) == "0.25");
  CHECK(seconds_text(Time::from_us(1)) == "0.000001");
  CHECK(seconds_text(Time::zero()) == "0");
  CHECK(seconds_text(Time::from_us(1'500'000)) == "1.5");
  CHECK(seconds_text(Time::from_us(12'000'010)) == "12.00001");
  CHECK(seconds_text(Time::from_seconds(-3)) == "-3");
  CHECK(seconds_text(Time::from_us(-1'500'000)) == "-1.5");
}

TEST_CASE("seconds_text reads back to the exact microsecond count", "[trace]") {
  RandomStream rng(4, "trace", "seconds");
  for (int i = 0; i < 20000; ++i) {
    const auto us = static_cast<std::int64_t>(rng.next_u64() % 10'000'000'000'000ULL) /
                    static_cast<std::int64_t>(1 + rng.next_u64() % 1000);
    const std::string text = seconds_text(Time::from_us(us));
    INFO(us << " us -> " << text);
    REQUIRE(text.find_first_of("eE") == std::string::npos);
    REQUIRE(nlohmann::json::accept(text));
    REQUIRE(nlohmann::json::parse(text).is_number());
    if (text.find('.') != std::string::npos) REQUIRE(text.back() != '0');  // no trailing zeros
    REQUIRE(scale_decimal(text, 1'000'000, text) == us);
  }
}

// Regression: the whole part of -0.5 s is 0, which has no sign; the sign must not be lost.
TEST_CASE("seconds_text keeps the sign of a negative time under one second", "[trace]") {
  CHECK(seconds_text(Time::from_ms(-500)) == "-0.5");
  CHECK(seconds_text(Time::from_us(-1)) == "-0.000001");
}

namespace {
/// Names every state "" except code 7, and counts how often it is asked for a state's name.
class CountingStates final : public TraceVocabulary {
 public:
  [[nodiscard]] std::string_view kind(TraceCode) const noexcept override { return "k"; }
  [[nodiscard]] std::string_view state(TraceCode, TraceCode c) const noexcept override {
    ++asked;
    return c == 7 ? "seven" : "";
  }
  [[nodiscard]] std::string_view reason(TraceCode) const noexcept override { return ""; }
  mutable int asked = 0;
};
}  // namespace

// A model's "start" state is its highest code but one, and nearly every first record and every
// event comes from it: its name is hashed once per kind, like the low codes, not per record.
TEST_CASE("a vocabulary keeps the hashes of low and of the two highest state codes", "[trace]") {
  CountingStates v;
  const auto record = [&](TraceCode kind, TraceCode from, TraceCode to) {
    Trace t;
    t.record(wlsim::engine::TraceView{Time::from_seconds(1), "o", kind, from, to, 0, "m", {}, &v});
    return t.hash();
  };
  const std::uint64_t first = record(2, 0xFFFE, 7);
  CHECK(v.asked == 2);
  CHECK(record(2, 0xFFFE, 7) == first);
  CHECK(v.asked == 2);  // both kept
  CHECK(record(3, 0xFFFE, 7) == record(3, 0xFFFE, 7));
  CHECK(v.asked == 4);  // kept per kind
  // A code in the middle is named afresh each time; the hash is the same.
  CHECK(record(2, 0x8000, 7) == first);
  CHECK(v.asked == 5);
  CHECK(record(2, 0x8000, 7) == first);
  CHECK(v.asked == 6);
}

// The text forms of a traffic entry's rate and the Azure Functions 2019 trace replay
// (SEMANTICS.md §8), read into rate curves.
#include "../../scenarios/rate_text.hpp"

#include <stdlib.h>  // mkdtemp

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "wlsim/models/arrival_process.hpp"

using wlsim::engine::Time;
using wlsim::models::RateCurve;
using wlsim::scenarios::parse_rate;
using wlsim::scenarios::read_trace_rate;

namespace {
Time s(std::int64_t n) { return Time::from_seconds(n); }
const Time kDay = s(86400);
const std::string kForms =
    "use N/s, steps([t, N/s], ...), ramp(N/s, N/s, T) or daily(peak=N/s, trough=N/s, peakAt=T)";
const std::string kShipped =
    std::string(WLSIM_SOURCE_DIR) + "/scenarios/data/azure-functions-2019/10_inv.csv";

struct Knot {
  std::int64_t at_us;
  double rate;
  bool operator==(const Knot&) const = default;
};
std::vector<Knot> knots(const RateCurve& c) {
  std::vector<Knot> out;
  for (const auto& k : c.knots) out.push_back({k.at.us(), k.per_second});
  return out;
}

std::string rate_error(const std::string& text) {
  try {
    (void)parse_rate(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}
std::string trace_error(const std::string& path, long row, double scale) {
  try {
    (void)read_trace_rate(path, row, scale);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

using wlsim::testing::TempDir;

std::string header() {
  std::string h = "HashFunction,HashApp,HashOwner";
  for (int m = 1; m <= 1440; ++m) h.append(",minute_").append(std::to_string(m));
  return h;
}
/// A row whose minute m (0-based) holds counts(m).
template <typename F>
std::string row(const std::string& name, F counts) {
  std::string r = name + "," + name + "," + name;
  for (int m = 0; m < 1440; ++m) r.append(",").append(std::to_string(counts(m)));
  return r;
}

/// The shipped file's counts, read here independently of the code under test.
std::vector<std::vector<std::int64_t>> shipped_counts() {
  std::ifstream in(kShipped);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::int64_t>> rows;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    std::vector<std::int64_t> counts;
    for (int col = 0; std::getline(fields, field, ','); ++col) {
      if (col >= 3) counts.push_back(std::stoll(field));
    }
    rows.push_back(counts);
  }
  return rows;
}
}  // namespace

TEST_CASE("rate text: a constant rate is N/s, N/m or N/h", "[rate]") {
  CHECK(knots(parse_rate("50/s")) == std::vector<Knot>{{0, 50}});
  CHECK(parse_rate("50/s").period == Time::never());
  CHECK(knots(parse_rate("3000/m")) == std::vector<Knot>{{0, 50}});
  CHECK(knots(parse_rate("10/h")) == std::vector<Knot>{{0, 10.0 / 3600}});
  CHECK(knots(parse_rate(" 0.5/s ")) == std::vector<Knot>{{0, 0.5}});
  CHECK(knots(parse_rate("0/s")) == std::vector<Knot>{{0, 0}});
  CHECK(knots(parse_rate("1000000000/s")) == std::vector<Knot>{{0, 1e9}});
}

TEST_CASE("rate text: steps: a jump at each step's time, the last value holding", "[rate]") {
  const RateCurve c = parse_rate("steps([0s, 10/s], [10m, 100/s])");
  CHECK(knots(c) == std::vector<Knot>{{0, 10}, {600000000, 10}, {600000000, 100}});
  CHECK(c.period == Time::never());
  CHECK(knots(parse_rate("steps([0s,1/s],[1m,2/s],[90s,3/m])")) ==
        std::vector<Knot>{{0, 1}, {60000000, 1}, {60000000, 2}, {90000000, 2}, {90000000, 0.05}});
  CHECK(knots(parse_rate("steps([0s, 7/s])")) == std::vector<Knot>{{0, 7}});
}

TEST_CASE("rate text: ramp: from the first rate at zero to the second over the duration",
          "[rate]") {
  const RateCurve c = parse_rate("ramp(10/s, 100/s, 30m)");
  CHECK(knots(c) == std::vector<Knot>{{0, 10}, {1800000000, 100}});
  CHECK(c.period == Time::never());
  CHECK(knots(parse_rate("ramp(100/s, 0/s, 1h)")) == std::vector<Knot>{{0, 100}, {3600000000, 0}});
}

TEST_CASE("rate text: daily: a cosine of period 24 h with a knot every minute", "[rate]") {
  const RateCurve c = parse_rate("daily(peak=120/s, trough=10/s, peakAt=14h)");
  REQUIRE(c.knots.size() == 1441);
  CHECK(c.period == kDay);
  for (std::size_t m = 0; m < c.knots.size(); ++m) {
    REQUIRE(c.knots[m].at == Time::from_minutes(static_cast<std::int64_t>(m)));
  }
  CHECK(c.knots[840].per_second == 120);         // 14h
  CHECK(c.knots[120].per_second == 10);          // 2h, twelve hours from the peak
  CHECK(c.knots[480].per_second == Approx(65));  // 8h, a quarter of a day from it
  CHECK(c.knots[1440].per_second == c.knots[0].per_second);
  // Any order of the arguments.
  CHECK(knots(parse_rate("daily(peakAt=14h, trough=10/s, peak=120/s)")) == knots(c));
  CHECK(parse_rate("daily(peak=1/s, trough=1/s, peakAt=0s)").knots[700].per_second == 1);
}

TEST_CASE("rate text: a rate names the allowed forms when it is not one of them", "[rate]") {
  CHECK(rate_error("fast") == "\"fast\" is not a rate: " + kForms);
  CHECK(rate_error("sine(1/s)") == "\"sine(1/s)\" is not a rate: " + kForms);
  CHECK(rate_error("") == "\"\" is not a rate: " + kForms);
  CHECK(rate_error("50") == "\"50\" is not a rate: '50' has no unit (N/s, N/m or N/h); " + kForms);
  CHECK(rate_error("50/d") == "\"50/d\" is not a rate: '50/d' is not per s, m or h; " + kForms);
  CHECK(rate_error("-5/s") ==
        "\"-5/s\" is not a rate: '-5/s' is negative (a rate is >= 0); " + kForms);
  CHECK(rate_error("1e3/s") ==
        "\"1e3/s\" is not a rate: '1e3/s': '1e3' is not a number; " + kForms);
  CHECK(rate_error("nan/s") ==
        "\"nan/s\" is not a rate: 'nan/s': 'nan' is not a number; " + kForms);
  CHECK(rate_error("1000000001/s") ==
        "\"1000000001/s\" is not a rate: '1000000001/s' is above 1e9/s; " + kForms);
}

TEST_CASE("rate text: steps: each malformed step is named", "[rate]") {
  const auto is = [](const std::string& text, const std::string& why) {
    return rate_error(text) == "\"" + text + "\" is not a rate: " + why + "; " + kForms;
  };
  CHECK(is("steps()", "steps need at least one [t, N/s]"));
  CHECK(is("steps([5s, 10/s])", "the first step is at 5s, not 0s"));
  CHECK(is("steps([0s, 10/s], [0s, 20/s])", "step times must increase (0s is not after 0s)"));
  CHECK(is("steps([0s, 10/s], [10m, 20/s], [5m, 1/s])",
           "step times must increase (5m is not after 10m)"));
  CHECK(is("steps([0s, 10/s] [1m, 2/s])", "steps are separated by commas"));
  CHECK(is("steps([0s, 10/s],)", "a comma ends the steps"));
  CHECK(is("steps([0s, 10/s], [1m])", "step 2 is not [t, N/s]"));
  CHECK(is("steps(0s, 10/s)", "step 1 is not [t, N/s]"));
  CHECK(is("steps([0s, fast])", "'fast' is not N/s"));
  CHECK(is("steps([0s, 10/s], [1m, 20/s]", "steps(...) does not end with ')'"));
  const std::string bad_time = rate_error("steps([0s, 10/s], [1x, 2/s])");
  CHECK_THAT(bad_time, Catch::StartsWith("\"steps([0s, 10/s], [1x, 2/s])\" is not a rate: "));
  CHECK_THAT(bad_time, Catch::Contains("(a duration is a number with a unit: us, ms, s, m, h, d)"));
  CHECK_THAT(bad_time, Catch::EndsWith(kForms));
}

TEST_CASE("rate text: ramp and daily: each malformed argument is named", "[rate]") {
  const auto is = [](const std::string& text, const std::string& why) {
    return rate_error(text) == "\"" + text + "\" is not a rate: " + why + "; " + kForms;
  };
  CHECK(is("ramp(10/s, 100/s)", "ramp takes a start rate, an end rate and a duration"));
  CHECK(is("ramp(10/s, 100/s, 0s)", "the ramp's duration must be > 0s"));
  CHECK(is("ramp(10/s, 100, 1m)", "'100' has no unit (N/s, N/m or N/h)"));
  CHECK(is("daily(peak=10/s, trough=120/s, peakAt=14h)", "the peak is below the trough"));
  CHECK(is("daily(peak=120/s, trough=10/s, peakAt=24h)", "peakAt is not within [0s, 24h)"));
  CHECK(is("daily(peak=120/s, trough=10/s)", "daily needs peak, trough and peakAt"));
  CHECK(is("daily(peak=120/s, trough=10/s, peakAt=1h, peak=3/s)", "peak is given twice"));
  CHECK(is("daily(peak=1/s, trough=0/s, at=1h)", "'at' is not peak, trough or peakAt"));
  CHECK(is("daily(peak=1/s, trough=0/s, 1h)", "'1h' is not name=value (peak, trough, peakAt)"));
  CHECK(is("daily(peak=2000000000/s, trough=0/s, peakAt=1h)", "'2000000000/s' is above 1e9/s"));
}

TEST_CASE("rate text: the shipped trace: row 0 holds its 1440 minutes and the file's total",
          "[rate][trace]") {
  const auto counts = shipped_counts();
  REQUIRE(counts.size() == 10);
  REQUIRE(counts[0].size() == 1440);
  const RateCurve c = read_trace_rate(kShipped, 0, 1.0);
  CHECK(c.period == kDay);
  CHECK(c.knots.front().at == Time::zero());
  CHECK(c.knots.back().at == kDay);
  std::int64_t total = 0;
  for (std::int64_t m = 0; m < 1440; ++m) {
    const auto count = counts[0][static_cast<std::size_t>(m)];
    total += count;
    REQUIRE(rate_at(c, Time::from_minutes(m) + s(30)) == static_cast<double>(count) / 60);
    REQUIRE(rate_at(c, Time::from_minutes(m)) == static_cast<double>(count) / 60);
  }
  CHECK(total == 4038);
  CHECK(expected_arrivals(c, Time::zero(), kDay) == Approx(total).epsilon(1e-12));
  // The day repeats.
  CHECK(expected_arrivals(c, kDay * 3, kDay * 5) == Approx(2 * total).epsilon(1e-12));
  CHECK(rate_at(c, kDay * 7 + s(30)) == rate_at(c, s(30)));
}

TEST_CASE("rate text: the shipped trace: every row loads, scaled", "[rate][trace]") {
  const auto counts = shipped_counts();
  for (long r = 0; r < 10; ++r) {
    std::int64_t total = 0;
    for (const auto n : counts[static_cast<std::size_t>(r)]) total += n;
    const RateCurve c = read_trace_rate(kShipped, r, 2.5);
    REQUIRE(expected_arrivals(c, Time::zero(), kDay) == Approx(2.5 * total).epsilon(1e-12));
  }
  const RateCurve silent = read_trace_rate(kShipped, 4, 0.0);
  CHECK(expected_arrivals(silent, Time::zero(), kDay) == 0);
}

TEST_CASE("rate text: trace steps: one minute each, a knot pair only where the count changes",
          "[rate][trace]") {
  TempDir dir("wlsim_rate_text");
  // 60 in minute 1, 60 in minute 2, 120 in minute 3, none after.
  const auto counts = [](int m) { return m < 2 ? 60 : m == 2 ? 120 : 0; };
  const std::string path = dir.file("t.csv", header() + "\r\n" + row("f", counts) + "\r\n");
  const RateCurve c = read_trace_rate(path, 0, 1.0);
  CHECK(knots(c) == std::vector<Knot>{{0, 1},
                                      {120000000, 1},
                                      {120000000, 2},
                                      {180000000, 2},
                                      {180000000, 0},
                                      {86400000000, 0}});
  CHECK(c.period == kDay);
  CHECK(next_rate_change(c, Time::zero()) == Time::from_minutes(2));
  CHECK(next_rate_change(c, Time::from_minutes(3)) == kDay);
  CHECK(fluid_rate(c, Time::from_minutes(2)) == 2);
}

TEST_CASE("rate text: trace errors say what is wrong with the file", "[rate][trace]") {
  TempDir dir("wlsim_rate_text");
  const auto ones = [](int) { return 1; };
  const std::string good = header() + "\n" + row("a", ones) + "\n" + row("b", ones) + "\n";
  const std::string two = dir.file("two.csv", good);

  CHECK(trace_error(two, 2, 1.0) ==
        "trace row 2 is out of range: trace file '" + two + "' has 2 rows (0 to 1)");
  CHECK(trace_error(two, -1, 1.0) ==
        "trace row -1 is negative (row 0 is the first function after the header)");
  CHECK(trace_error(two, 0, -1.0) == "a trace's scale must be a finite number >= 0");
  CHECK(trace_error(two, 0, std::nan("")) == "a trace's scale must be a finite number >= 0");
  CHECK(trace_error(two, 0, HUGE_VAL) == "a trace's scale must be a finite number >= 0");
  CHECK(trace_error(two, 0, 1e12) == "trace file '" + two +
                                         "', row 0, minute_1: 1 per minute times the scale is "
                                         "above 1e9/s");

  const std::string missing = dir.file("x", "") + ".absent";
  CHECK(trace_error(missing, 0, 1.0) == "trace file '" + missing + "' does not exist");
  const std::string empty = dir.file("empty.csv", "");
  CHECK_THAT(trace_error(empty, 0, 1.0),
             Catch::StartsWith("trace file '" + empty + "' is empty (the Azure Functions 2019"));
  const std::string only_header = dir.file("header.csv", header() + "\n");
  CHECK(trace_error(only_header, 0, 1.0) ==
        "trace row 0 is out of range: trace file '" + only_header + "' has 0 rows");

  std::string renamed = good;
  renamed.replace(renamed.find("minute_2,"), 8, "minute_X");
  const std::string bad_header = dir.file("bad_header.csv", renamed);
  CHECK_THAT(trace_error(bad_header, 0, 1.0),
             Catch::StartsWith("trace file '" + bad_header +
                               "': header column 5 is 'minute_X', not 'minute_2' (the Azure "
                               "Functions 2019 invocation format: HashFunction,HashApp,"));
  const std::string short_header = dir.file("short.csv", "HashFunction,HashApp\n");
  CHECK_THAT(
      trace_error(short_header, 0, 1.0),
      Catch::StartsWith("trace file '" + short_header + "': the header has 2 columns, not 1443"));

  const auto bad_count = [](const std::string& text) {
    std::string r = "f,f,f";
    for (int m = 0; m < 1440; ++m) r.append(",").append(m == 16 ? text : "3");
    return r;
  };
  for (const std::string text : {"x", "-1", "1.5", "", " 2"}) {
    const std::string path = dir.file("count.csv", header() + "\n" + bad_count(text) + "\n");
    CHECK(trace_error(path, 0, 1.0) == "trace file '" + path + "', row 0, minute_17: '" + text +
                                           "' is not a count (a whole number >= 0)");
  }
  const std::string short_row = dir.file("row.csv", header() + "\nf,f,f,1,2\n");
  CHECK_THAT(trace_error(short_row, 0, 1.0),
             Catch::StartsWith("trace file '" + short_row + "', row 0 has 5 columns, not 1443"));

  const std::string big = dir.file("big.csv", "");
  std::filesystem::resize_file(big, (64U << 20) + 1);  // sparse: nothing is written
  CHECK(trace_error(big, 0, 1.0) == "trace file '" + big + "' is larger than 64 MiB");
  CHECK(trace_error(std::filesystem::path(big).parent_path().string(), 0, 1.0) ==
        "trace file '" + std::filesystem::path(big).parent_path().string() +
            "' is not a regular file");
}

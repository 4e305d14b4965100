// The quantities users already write: Kubernetes' resource.Quantity for sizes and cpu (4Gi, 1.5G,
// 1e9, 500m) and Go's durations (1h30m, 1h0m0.5s), alongside wlsim's own spellings, all exact.
#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "wlsim/engine/time.hpp"
#include "wlsim/scenarios/units.hpp"

using wlsim::engine::parse_duration;
using wlsim::scenarios::parse_bytes;
using wlsim::scenarios::parse_bytes_per_second;
using wlsim::scenarios::parse_millicores;

namespace {
constexpr std::int64_t kKi = 1024;
constexpr std::int64_t kS = 1'000'000;

// The message `parse` throws for `text`, or "(no error)".
template <typename Parse>
std::string error(Parse parse, const std::string& text) {
  try {
    (void)parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}
std::string size_error(const std::string& text) { return error(parse_bytes, text); }
std::string cpu_error(const std::string& text) { return error(parse_millicores, text); }
std::string duration_error(const std::string& text) { return error(parse_duration, text); }

const std::string kSizeForms =
    " (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB; or Kubernetes' k, M, G, T, P, E, Ki, Mi, Gi, "
    "Ti, Pi, Ei; or an exponent of ten: 1e9)";
const std::string kDurationForms =
    " (a duration is a number with a unit: us, ms, s, m, h, d); several add up, as in 1h30m";
}  // namespace

TEST_CASE("Kubernetes' binary suffixes are powers of 1024", "[units][sizes]") {
  CHECK(parse_bytes("1Ki") == kKi);
  CHECK(parse_bytes("512Mi") == 512 * kKi * kKi);
  CHECK(parse_bytes("4Gi") == 4 * kKi * kKi * kKi);
  CHECK(parse_bytes("1.5Gi") == 1'610'612'736);
  CHECK(parse_bytes("0.5Ki") == 512);
  CHECK(parse_bytes("2Ti") == 2 * kKi * kKi * kKi * kKi);
  CHECK(parse_bytes("1Pi") == std::int64_t{1} << 50);
  CHECK(parse_bytes("7Ei") == std::int64_t{7} << 60);
}

TEST_CASE("Kubernetes' decimal suffixes are powers of 1000", "[units][sizes]") {
  CHECK(parse_bytes("1k") == 1000);
  CHECK(parse_bytes("2M") == 2'000'000);
  CHECK(parse_bytes("1.5G") == 1'500'000'000);
  CHECK(parse_bytes("3T") == 3'000'000'000'000);
  CHECK(parse_bytes("1P") == 1'000'000'000'000'000);
  CHECK(parse_bytes("1E") == 1'000'000'000'000'000'000);
  CHECK(parse_bytes("0.000001E") == 1'000'000'000'000);
}

TEST_CASE("a decimal exponent is a power of ten; E alone is exa", "[units][sizes]") {
  CHECK(parse_bytes("1e9") == 1'000'000'000);
  CHECK(parse_bytes("1E3") == 1000);
  CHECK(parse_bytes("1.5e3") == 1500);
  CHECK(parse_bytes("1e+3") == 1000);
  CHECK(parse_bytes("20e-1") == 2);
  CHECK(parse_bytes("1E") == 1'000'000'000'000'000'000);
}

TEST_CASE("wlsim's own size units keep their values, rounding below a byte as before",
          "[units][sizes]") {
  CHECK(parse_bytes("1.2GB") == 1'200'000'000);
  CHECK(parse_bytes("800MiB") == 800 * kKi * kKi);
  CHECK(parse_bytes("1.5GiB") == 1'610'612'736);
  CHECK(parse_bytes("7B") == 7);
  CHECK(parse_bytes("1.2345KB") == 1235);
  CHECK(parse_bytes("1 GB") == 1'000'000'000);
  CHECK(parse_bytes("2TB") == 2'000'000'000'000);
}

TEST_CASE("a bare number is not bytes: it is refused with a hint, except 0", "[units][sizes]") {
  CHECK(size_error("4096") ==
        "'4096' has no unit: write 4096Mi (mebibytes), 4096M (megabytes) or, for bytes, 4096B");
  CHECK(size_error("1.5") ==
        "'1.5' has no unit: write 1.5Mi (mebibytes), 1.5M (megabytes) or, for bytes, 1.5B");
  CHECK(parse_bytes("0") == 0);
  CHECK(parse_bytes("0.0") == 0);
}

TEST_CASE("Kubernetes' milli suffix on a size is refused with a hint", "[units][sizes]") {
  CHECK(size_error("512m") ==
        "'512m' is thousandths of a byte (m means milli): write 512Mi (mebibytes) or 512M "
        "(megabytes)");
}

TEST_CASE("a Kubernetes quantity that is not a whole number of bytes is refused",
          "[units][sizes]") {
  CHECK(size_error("0.1Ki") == "'0.1Ki' is not a whole number of bytes");
  CHECK(size_error("1.0001k") == "'1.0001k' is not a whole number of bytes");
  CHECK(size_error("25e-2") == "'25e-2' is not a whole number of bytes");
  CHECK(parse_bytes("1.000k") == 1000);
}

TEST_CASE("an unknown size unit is refused with the list of forms", "[units][sizes]") {
  for (const std::string text : {"4GX", "4K", "4u", "4n", "1e", "1e3Mi", "4 Gib", "1eX"}) {
    INFO(text);
    CHECK(size_error(text) == "'" + text + "' is not a size" + kSizeForms);
  }
}

TEST_CASE("a negative, malformed or overlarge size is refused", "[units][sizes]") {
  CHECK(size_error("-1Gi") == "'-1Gi' is negative");
  CHECK(size_error("1.2.3Gi") == "'1.2.3Gi' is not a number");
  CHECK(size_error("Gi") == "'Gi' does not start with a number");
  CHECK(size_error("8Ei") == "'8Ei' is too large");
  CHECK(size_error("1e19") == "'1e19' is too large");
  CHECK(size_error("1e999999") == "'1e999999' is too large");
  CHECK(size_error("1" + std::string(40, '0') + "k") ==
        "'1" + std::string(40, '0') + "k' has more than 36 significant digits");
  CHECK(parse_bytes("0e999999") == 0);
}

TEST_CASE("a rate is any size per second", "[units][rates]") {
  CHECK(parse_bytes_per_second("100Mi/s") == 100 * kKi * kKi);
  CHECK(parse_bytes_per_second("1.5G/s") == 1'500'000'000);
  CHECK(parse_bytes_per_second("100MB/s") == 100'000'000);
  CHECK(error(parse_bytes_per_second, "1000/s") ==
        "'1000' has no unit: write 1000Mi (mebibytes), 1000M (megabytes) or, for bytes, 1000B");
}

TEST_CASE("cpu is cores or any Kubernetes quantity, in whole millicores", "[units][cpu]") {
  CHECK(parse_millicores("500m") == 500);
  CHECK(parse_millicores("2") == 2000);
  CHECK(parse_millicores("0.5") == 500);
  CHECK(parse_millicores("1.5") == 1500);
  CHECK(parse_millicores("0.0010") == 1);
  CHECK(parse_millicores("2.000m") == 2);
  CHECK(parse_millicores("5e-1") == 500);
  CHECK(parse_millicores("1e3") == 1'000'000);
  CHECK(parse_millicores("1k") == 1'000'000);
  CHECK(parse_millicores("250000000n") == 250);
  CHECK(parse_millicores("500000u") == 500);
  CHECK(parse_millicores("0") == 0);
}

TEST_CASE("cpu finer than a millicore or in an unknown unit is refused", "[units][cpu]") {
  const std::string finer =
      " is not a whole number of millicores (the precision is 1m = 0.001 cores)";
  CHECK(cpu_error("0.0001") == "'0.0001'" + finer);
  CHECK(cpu_error("1.5m") == "'1.5m'" + finer);
  CHECK(cpu_error("1n") == "'1n'" + finer);
  CHECK(cpu_error("2 cores") ==
        "'2 cores' is not a cpu quantity (cores like 2 or 0.5, or millicores like 500m)");
  CHECK(cpu_error("-1") == "'-1' is negative");
  CHECK(cpu_error("10E") == "'10E' is too large");
}

TEST_CASE("Go's durations are sums of terms, each exact", "[units][durations]") {
  CHECK(parse_duration("1h30m").us() == 5400 * kS);
  CHECK(parse_duration("90s").us() == 90 * kS);
  CHECK(parse_duration("1.5h").us() == 5400 * kS);
  CHECK(parse_duration("2m30s").us() == 150 * kS);
  CHECK(parse_duration("500ms").us() == 500'000);
  CHECK(parse_duration("1h0m0.5s").us() == 3600 * kS + 500'000);
  CHECK(parse_duration("1d2h").us() == 26 * 3600 * kS);
  CHECK(parse_duration("1m30s250ms100us").us() == 90 * kS + 250'100);
  CHECK(parse_duration("1h 30m").us() == 5400 * kS);
  CHECK(parse_duration("1m1m").us() == 120 * kS);  // as Go: terms add up in any order
  CHECK(parse_duration("500\u00b5s").us() == 500);
  CHECK(parse_duration("1.5m").us() == 90 * kS);  // the forms of before
  CHECK(parse_duration("2d").us() == 2 * 86400 * kS);
  CHECK(parse_duration("250us").us() == 250);
}

TEST_CASE("each term of a duration rounds below a microsecond as a single duration does",
          "[units][durations]") {
  CHECK(parse_duration("1m0.0000004s").us() == 60 * kS);
  CHECK(parse_duration("1m0.0000006s").us() == 60 * kS + 1);
}

TEST_CASE("a malformed sum of terms is refused with the list of units", "[units][durations]") {
  for (const std::string text :
       {"1h30", "1h-30m", "1h+30m", "1h30x", "1e3s", "1h30mm", "h30m", "1h h"}) {
    INFO(text);
    const std::string e = duration_error(text);
    if (text == "h30m") {
      CHECK(e == "'h30m' does not start with a number" + kDurationForms);
    } else {
      CHECK(e == "'" + text + "' is not a duration" + kDurationForms);
    }
  }
  CHECK(duration_error("-1h30m") == "'-1h30m' is negative" + kDurationForms);
  CHECK(duration_error("1h1.2.3s") == "'1h1.2.3s' is not a number" + kDurationForms);
  CHECK(duration_error("106751991d106751991d") ==
        "'106751991d106751991d' is too large" + kDurationForms);
  CHECK(parse_duration("106751991d").us() == std::int64_t{106751991} * 86400 * kS);
}

#include "rate_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "wlsim/engine/time.hpp"

namespace wlsim::scenarios {

namespace {
using engine::Time;
using models::RateCurve;
using models::RateKnot;

constexpr std::string_view kForms =
    "use N/s, steps([t, N/s], ...), ramp(N/s, N/s, T) or daily(peak=N/s, trough=N/s, peakAt=T)";
constexpr double kMaxRate = 1e9;  // per second: a bound on input, far above any real service
constexpr Time kDay = Time::from_seconds(86400);

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Built without `"'" + std::string(...)`, which GCC 12 misreads as an overlapping copy
// (-Wrestrict).
std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

/// Every error names the text and the forms a rate may take.
[[noreturn]] void refuse(std::string_view whole, const std::string& why = {}) {
  std::string message = "\"" + std::string(whole) + "\" is not a rate: ";
  if (!why.empty()) message += why + "; ";
  throw std::invalid_argument(message + std::string(kForms));
}

/// A plain decimal ("50", "0.5"): no sign, no exponent, as the other quantities of a scenario.
std::optional<double> decimal(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789.") != std::string_view::npos ||
      s.find_first_of("0123456789") == std::string_view::npos || s.find('.') != s.rfind('.')) {
    return std::nullopt;
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// "50/s", "3000/m", "10/h" → requests per second.
double per_second(std::string_view atom, std::string_view whole) {
  atom = trim(atom);
  const auto slash = atom.find('/');
  const std::string_view number = trim(atom.substr(0, slash));
  if (slash == std::string_view::npos) {
    if (decimal(number)) refuse(whole, quoted(atom) + " has no unit (N/s, N/m or N/h)");
    refuse(whole, atom == trim(whole) ? std::string{} : quoted(atom) + " is not N/s");
  }
  const std::string_view unit = trim(atom.substr(slash + 1));
  double seconds = 0;
  if (unit == "s") {
    seconds = 1;
  } else if (unit == "m") {
    seconds = 60;
  } else if (unit == "h") {
    seconds = 3600;
  } else {
    refuse(whole, quoted(atom) + " is not per s, m or h");
  }
  if (!number.empty() && number.front() == '-') {
    refuse(whole, quoted(atom) + " is negative (a rate is >= 0)");
  }
  const auto n = decimal(number);
  if (!n) refuse(whole, quoted(atom) + ": " + quoted(number) + " is not a number");
  const double rate = *n / seconds;
  if (!(rate <= kMaxRate)) refuse(whole, quoted(atom) + " is above 1e9/s");
  return rate;
}

Time duration(std::string_view text, std::string_view whole) {
  try {
    return engine::parse_duration(trim(text));
  } catch (const std::invalid_argument& e) {
    refuse(whole, e.what());
  }
}

/// Comma-separated fields, as they are (the parsers of each field trim it); no nesting.
std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto comma = line.find(',');
    out.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

RateCurve constant(double rate) { return {{RateKnot{Time::zero(), rate}}, Time::never()}; }

RateCurve steps(std::string_view inner, std::string_view whole) {
  RateCurve curve;
  std::size_t count = 0;
  Time last;
  for (std::string_view rest = trim(inner); !rest.empty();) {
    ++count;
    const std::string which = "step " + std::to_string(count);
    const auto close = rest.find(']');
    if (rest.front() != '[' || close == std::string_view::npos) {
      refuse(whole, which + " is not [t, N/s]");
    }
    const auto parts = split(rest.substr(1, close - 1));
    if (parts.size() != 2) refuse(whole, which + " is not [t, N/s]");
    const Time at = duration(parts[0], whole);
    const double rate = per_second(parts[1], whole);
    if (count == 1 && at != Time::zero()) {
      refuse(whole, "the first step is at " + engine::format_duration(at) + ", not 0s");
    }
    if (count > 1) {
      if (!(last < at)) {
        refuse(whole, "step times must increase (" + engine::format_duration(at) +
                          " is not after " + engine::format_duration(last) + ")");
      }
      // The value before the step ends there: two knots at one instant are a jump.
      curve.knots.push_back({at, curve.knots.back().per_second});
    }
    curve.knots.push_back({at, rate});
    last = at;
    rest = trim(rest.substr(close + 1));
    if (rest.empty()) break;
    if (rest.front() != ',') refuse(whole, "steps are separated by commas");
    rest = trim(rest.substr(1));
    if (rest.empty()) refuse(whole, "a comma ends the steps");
  }
  if (count == 0) refuse(whole, "steps need at least one [t, N/s]");
  return curve;
}

RateCurve ramp(std::string_view inner, std::string_view whole) {
  const auto args = split(inner);
  if (args.size() != 3) refuse(whole, "ramp takes a start rate, an end rate and a duration");
  const double from = per_second(args[0], whole);
  const double to = per_second(args[1], whole);
  const Time over = duration(args[2], whole);
  if (over == Time::zero()) refuse(whole, "the ramp's duration must be > 0s");
  return {{RateKnot{Time::zero(), from}, RateKnot{over, to}}, Time::never()};
}

RateCurve daily(std::string_view inner, std::string_view whole) {
  std::optional<double> peak;
  std::optional<double> trough;
  std::optional<Time> peak_at;
  for (const std::string_view arg : split(inner)) {
    const auto eq = arg.find('=');
    const std::string_view name = trim(arg.substr(0, eq));
    const std::string_view value = eq == std::string_view::npos ? "" : arg.substr(eq + 1);
    const auto twice = [&] { refuse(whole, std::string(name) + " is given twice"); };
    if (eq == std::string_view::npos) {
      refuse(whole, quoted(trim(arg)) + " is not name=value (peak, trough, peakAt)");
    } else if (name == "peak") {
      if (peak) twice();
      peak = per_second(value, whole);
    } else if (name == "trough") {
      if (trough) twice();
      trough = per_second(value, whole);
    } else if (name == "peakAt") {
      if (peak_at) twice();
      peak_at = duration(value, whole);
    } else {
      refuse(whole, quoted(name) + " is not peak, trough or peakAt");
    }
  }
  if (!peak || !trough || !peak_at) refuse(whole, "daily needs peak, trough and peakAt");
  if (*peak < *trough) refuse(whole, "the peak is below the trough");
  if (*peak_at >= kDay) refuse(whole, "peakAt is not within [0s, 24h)");

  // A knot every minute, the last one equal to the first so that the day wraps without a jump.
  constexpr int kMinutes = 1440;
  const double day_us = static_cast<double>(kDay.us());
  std::vector<double> values(kMinutes);
  for (int m = 0; m < kMinutes; ++m) {
    const double since_peak = static_cast<double>((Time::from_minutes(m) - *peak_at).us());
    const double wave = (1 + std::cos(2 * std::numbers::pi * since_peak / day_us)) / 2;
    values[static_cast<std::size_t>(m)] = *trough + (*peak - *trough) * wave;
  }
  RateCurve curve;
  curve.period = kDay;
  curve.knots.reserve(kMinutes + 1);
  for (int m = 0; m <= kMinutes; ++m) {
    curve.knots.push_back({Time::from_minutes(m), values[static_cast<std::size_t>(m % kMinutes)]});
  }
  return curve;
}

// The Azure Functions 2019 invocation format.
constexpr std::size_t kTraceMinutes = 1440;
constexpr std::size_t kTraceLeading = 3;  // HashFunction, HashApp, HashOwner
constexpr std::size_t kTraceColumns = kTraceLeading + kTraceMinutes;
constexpr std::uintmax_t kMaxTraceBytes = 64ULL << 20;
constexpr std::string_view kTraceFormat =
    "the Azure Functions 2019 invocation format: HashFunction,HashApp,HashOwner,minute_1,...,"
    "minute_1440";

std::string column_name(std::size_t i) {
  static constexpr std::array<std::string_view, kTraceLeading> kLeading{"HashFunction", "HashApp",
                                                                        "HashOwner"};
  return i < kTraceLeading ? std::string(kLeading[i])
                           : "minute_" + std::to_string(i - kTraceLeading + 1);
}

void check_header(std::string_view line, const std::string& where) {
  const auto cols = split(line);
  if (cols.size() != kTraceColumns) {
    throw std::invalid_argument(where + ": the header has " + std::to_string(cols.size()) +
                                " columns, not " + std::to_string(kTraceColumns) + " (" +
                                std::string(kTraceFormat) + ")");
  }
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] != column_name(i)) {
      throw std::invalid_argument(where + ": header column " + std::to_string(i + 1) + " is '" +
                                  std::string(cols[i]) + "', not '" + column_name(i) + "' (" +
                                  std::string(kTraceFormat) + ")");
    }
  }
}

RateCurve trace_curve(std::string_view line, long row, double scale, const std::string& where) {
  const auto cols = split(line);
  const std::string which = where + ", row " + std::to_string(row);
  if (cols.size() != kTraceColumns) {
    throw std::invalid_argument(which + " has " + std::to_string(cols.size()) + " columns, not " +
                                std::to_string(kTraceColumns) + " (" + std::string(kTraceFormat) +
                                ")");
  }
  RateCurve curve;
  curve.period = kDay;
  double previous = 0;
  for (std::size_t m = 0; m < kTraceMinutes; ++m) {
    const std::string_view text = cols[kTraceLeading + m];
    std::uint64_t count = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
      throw std::invalid_argument(which + ", " + column_name(kTraceLeading + m) + ": '" +
                                  std::string(text) + "' is not a count (a whole number >= 0)");
    }
    const double rate = static_cast<double>(count) * scale / 60;
    if (!(rate <= kMaxRate)) {
      throw std::invalid_argument(which + ", " + column_name(kTraceLeading + m) + ": " +
                                  std::string(text) + " per minute times the scale is above 1e9/s");
    }
    // One-minute steps; a minute that repeats the last one's rate adds no knot.
    const Time at = Time::from_minutes(static_cast<std::int64_t>(m));
    if (m == 0) {
      curve.knots.push_back({at, rate});
    } else if (rate != previous) {
      curve.knots.push_back({at, previous});
      curve.knots.push_back({at, rate});
    }
    previous = rate;
  }
  curve.knots.push_back({kDay, previous});
  return curve;
}
}  // namespace

RateCurve parse_rate(std::string_view text) {
  const std::string_view t = trim(text);
  const auto open = t.find('(');
  if (open == std::string_view::npos) return constant(per_second(t, text));
  const std::string_view name = trim(t.substr(0, open));
  if (name != "steps" && name != "ramp" && name != "daily") refuse(text);
  if (t.back() != ')') refuse(text, std::string(name) + "(...) does not end with ')'");
  const std::string_view inner = t.substr(open + 1, t.size() - open - 2);
  if (name == "steps") return steps(inner, text);
  if (name == "ramp") return ramp(inner, text);
  return daily(inner, text);
}

RateCurve read_trace_rate(const std::string& path, long row, double scale) {
  const std::string where = "trace file '" + path + "'";
  if (!std::isfinite(scale) || scale < 0) {
    throw std::invalid_argument("a trace's scale must be a finite number >= 0");
  }
  if (row < 0) {
    throw std::invalid_argument("trace row " + std::to_string(row) +
                                " is negative (row 0 is the first function after the header)");
  }
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw std::invalid_argument(where + " does not exist");
  }
  if (ec) throw std::invalid_argument(where + " cannot be read (" + ec.message() + ")");
  if (!std::filesystem::is_regular_file(status)) {
    throw std::invalid_argument(where + " is not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxTraceBytes) {
    throw std::invalid_argument(where + " is larger than 64 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot open " + where);

  std::string line;
  const auto next_line = [&] {
    if (!std::getline(in, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  if (!next_line()) {
    throw std::invalid_argument(where + " is empty (" + std::string(kTraceFormat) + ")");
  }
  check_header(line, where);
  long rows = 0;
  while (next_line()) {
    if (line.empty()) continue;  // a blank line is not a function
    if (rows == row) return trace_curve(line, row, scale, where);
    ++rows;
  }
  if (in.bad()) throw std::invalid_argument("cannot read " + where);
  throw std::invalid_argument("trace row " + std::to_string(row) + " is out of range: " + where +
                              " has " + std::to_string(rows) + " rows" +
                              (rows > 0 ? " (0 to " + std::to_string(rows - 1) + ")" : ""));
}

}  // namespace wlsim::scenarios

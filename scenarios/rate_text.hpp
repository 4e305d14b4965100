#pragma once
// The text forms of a traffic entry's `rate` and its `trace` replay (SEMANTICS.md §8), read into a
// RateCurve. Errors are std::invalid_argument with a message that names the allowed forms; the
// loader adds the field path.

#include <string>
#include <string_view>

#include "wlsim/models/traffic_spec.hpp"

namespace wlsim::scenarios {

/// "50/s" (also "/m", "/h"), "steps([0s, 10/s], [10m, 100/s])", "ramp(10/s, 100/s, 30m)" (from
/// the first rate at time zero to the second over the duration, then holding), "daily(peak=120/s,
/// trough=10/s, peakAt=14h)" (a cosine wave of period 24h, knots every minute).
[[nodiscard]] models::RateCurve parse_rate(std::string_view text);

/// Row `row` (0 = the first function after the header) of a per-minute invocation-count file in
/// the Azure Functions 2019 format (HashFunction,HashApp,HashOwner,minute_1..minute_1440), each
/// count times `scale`, as a curve of one-minute steps that repeats every day.
[[nodiscard]] models::RateCurve read_trace_rate(const std::string& path, long row, double scale);

}  // namespace wlsim::scenarios

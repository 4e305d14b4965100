#pragma once
// JSON is nlohmann-json everywhere; this header is the one place that turns a JSON value into text,
// so that every JSON wlsim writes prints numbers the same way: a double as the shortest text that
// reads back to it (std::to_chars: 30 not 30.0, 66.2, 4e+09), NaN and infinities as null, and a
// simulated time as decimal seconds (json_seconds).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "wlsim/engine/time.hpp"

namespace wlsim::engine {

/// Keys keep the order they were inserted in: the JSON wlsim writes is a contract, order included.
using Json = nlohmann::ordered_json;

/// Compact text of `j` (no spaces). Strings are escaped by nlohmann-json; bytes that are not valid
/// UTF-8 become U+FFFD rather than an exception.
[[nodiscard]] std::string to_text(const Json& j);

/// A double as JSON writes it: the shortest text that reads back to it, fixed or exponent form
/// whichever is shorter (std::to_chars: 30, 66.2, 4e+09, 5e-04); NaN and infinities: null.
[[nodiscard]] std::string number_text(double v);

/// A number, or null when there is none (a metric without a value).
[[nodiscard]] inline Json optional_number(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

/// A time as JSON seconds: whole seconds as an integer (100000000, as seconds_text writes it),
/// others as a double; never → null. The text is seconds_text's except for a fractional time under
/// a millisecond, where the shorter exponent form wins (0.0005 s prints 5e-04), as for any double.
[[nodiscard]] Json json_seconds(Time t);

}  // namespace wlsim::engine

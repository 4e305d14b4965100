#pragma once
// JSON is nlohmann-json everywhere; this header is the one place that turns a JSON value into text,
// so that every JSON wlsim writes prints numbers the same way: a double as the shortest text that
// reads back to it (std::to_chars: 30 not 30.0, 66.2, 4e+09), NaN and infinities as null, and a
// simulated time as its exact decimal seconds (as seconds_text: 100000000, 0.000001).

#include <nlohmann/json.hpp>
#include <string>

#include "wlsim/engine/time.hpp"

namespace wlsim::engine {

/// Keys keep the order they were inserted in: the JSON wlsim writes is a contract, order included.
using Json = nlohmann::ordered_json;

/// Compact text of `j` (no spaces). Strings are escaped by nlohmann-json; bytes that are not valid
/// UTF-8 become U+FFFD rather than an exception.
[[nodiscard]] std::string to_text(const Json& j);

/// A double as JSON writes it: the shortest text that reads back to it, in fixed notation from 1e-6
/// up (an exponent only where shorter, and only for large values: 4e+09); NaN and infinities: null.
[[nodiscard]] std::string number_text(double v);

/// A time as JSON seconds, printing as seconds_text does: whole seconds as an integer, others as a
/// double; never → null.
[[nodiscard]] Json json_seconds(Time t);

}  // namespace wlsim::engine

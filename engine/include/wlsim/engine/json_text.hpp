#pragma once
// Minimal JSON text output: quoting strings and writing numbers the same way everywhere (trace sinks,
// the CLI's summary). Reading JSON is yaml-cpp's job in scenarios/.

#include <string>
#include <string_view>

namespace wlsim::engine {

/// `s` as a JSON string literal, with control characters escaped.
[[nodiscard]] std::string json_quote(std::string_view s);

/// A finite double as the shortest text that reads back to the same value; NaN/inf become null.
[[nodiscard]] std::string json_number(double v);

}  // namespace wlsim::engine

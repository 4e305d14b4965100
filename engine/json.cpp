#include "wlsim/engine/json.hpp"

#include <charconv>
#include <cmath>

namespace wlsim::engine {

namespace {

constexpr auto kInvalidUtf8 = Json::error_handler_t::replace;

void append_key(std::string& out, const std::string& key) {
  out += Json(key).dump(-1, ' ', false, kInvalidUtf8);
}

// nlohmann-json's own dump() writes an integral double as 30.0 and picks the exponent form by other
// rules than the text wlsim has always written; so the walk is here, and every leaf but a double
// is still written by nlohmann-json.
void append(std::string& out, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : j.items()) {
        if (!first) out += ',';
        first = false;
        append_key(out, key);
        out += ':';
        append(out, value);
      }
      out += '}';
      break;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& value : j) {
        if (!first) out += ',';
        first = false;
        append(out, value);
      }
      out += ']';
      break;
    }
    case Json::value_t::string:
      out += j.dump(-1, ' ', false, kInvalidUtf8);
      break;
    case Json::value_t::number_float:
      out += number_text(j.get<double>());
      break;
    default:  // null, booleans, integers: nlohmann's text is already wlsim's
      out += j.dump();
      break;
  }
}

}  // namespace

std::string number_text(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string to_text(const Json& j) {
  std::string out;
  append(out, j);
  return out;
}

Json json_seconds(Time t) {
  if (t.is_never()) return nullptr;
  // An integer for whole seconds keeps a large time exact and free of an exponent (1e+08), as
  // seconds_text writes it.
  if (t.us() % 1'000'000 == 0) return t.us() / 1'000'000;
  return t.seconds();
}

}  // namespace wlsim::engine

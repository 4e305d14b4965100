#include "wlsim/engine/json.hpp"

#include <charconv>
#include <cmath>

namespace wlsim::engine {

namespace {

void append_string(std::string& out, const std::string& s) {
  // nlohmann-json escapes; only numbers need wlsim's own form.
  out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append(std::string& out, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : j.items()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
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
      append_string(out, j.get_ref<const std::string&>());
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

#include "yaml_reader.hpp"

#include <limits>
#include <optional>
#include <stdexcept>

namespace wlsim::scenarios {

namespace {
std::string describe(const YAML::Node& n) {
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  if (n.IsNull()) return "null";
  return "'" + n.Scalar() + "'";
}
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
}  // namespace

void Value::fail(std::string_view message) const { throw FieldError{path_, std::string(message)}; }

std::string Value::as_scalar_text() const {
  if (!node_.IsScalar()) fail(describe(node_) + " is not a scalar value");
  return node_.Scalar();
}

std::string Value::as_string() const {
  const std::string s = as_scalar_text();
  if (s.empty()) fail("must not be empty");
  return s;
}

namespace {
// The whole text as a number of type T via `parse` (std::stoll, std::stod); nothing on failure.
template <typename T, typename Parse>
std::optional<T> whole_number(const std::string& s, Parse parse) {
  std::size_t used = 0;
  try {
    const T v = parse(s, &used);
    if (used == s.size()) return v;
  } catch (const std::logic_error&) {
  }
  return std::nullopt;
}
}  // namespace

std::int64_t Value::as_int(std::int64_t min, std::int64_t max) const {
  const std::string s = as_scalar_text();
  const auto parsed = whole_number<std::int64_t>(s, [](const std::string& t, std::size_t* n) { return std::stoll(t, n); });
  if (!parsed) fail("'" + s + "' is not an integer");
  const std::int64_t v = *parsed;
  if (v < min) fail(std::to_string(v) + " is not >= " + std::to_string(min));
  if (v > max) fail(std::to_string(v) + " is not <= " + std::to_string(max));
  return v;
}

bool Value::as_bool() const {
  const std::string s = as_scalar_text();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  fail("'" + s + "' is not a boolean (allowed: true, false)");
}

std::string Value::as_enum(const std::vector<std::string>& allowed) const {
  const std::string s = as_scalar_text();
  for (const auto& a : allowed) {
    if (s == a) return s;
  }
  fail("'" + s + "' is not one of: " + join(allowed));
}

engine::Time Value::as_duration() const {
  return parsed<engine::Time>([](std::string_view t) { return engine::parse_duration(t); });
}

double Value::as_fraction() const {
  const std::string s = as_scalar_text();
  const auto parsed = whole_number<double>(s, [](const std::string& t, std::size_t* n) { return std::stod(t, n); });
  if (!parsed) fail("'" + s + "' is not a number");
  const double v = *parsed;
  if (!(v >= 0.0 && v <= 1.0)) fail("'" + s + "' is not between 0 and 1");
  return v;
}

std::vector<Value> Value::as_list() const {
  if (!node_.IsSequence()) fail(describe(node_) + " is not a list");
  std::vector<Value> out;
  for (std::size_t i = 0; i < node_.size(); ++i) {
    out.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]");
  }
  return out;
}

Object::Object(const Value& v) : node_(v.node()), path_(v.path()) {
  if (!node_.IsMap()) v.fail(describe(node_) + " is not a mapping");
  // yaml-cpp keeps the first of two equal keys; a user who wrote both meant one of them.
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = kv.first.as<std::string>();
    if (!seen.insert(key).second) throw FieldError{child(key), "is given twice"};
  }
}

bool Object::has(const std::string& key) {
  known_.insert(key);
  const YAML::Node n = node_[key];
  return n.IsDefined() && !n.IsNull();
}

Value Object::required(const std::string& key) {
  if (!has(key)) throw FieldError{child(key), "is required"};
  return Value(node_[key], child(key));
}

std::optional<Value> Object::optional(const std::string& key) {
  if (!has(key)) return std::nullopt;
  return Value(node_[key], child(key));
}

void Object::unsupported(const std::string& key, std::string_view why) {
  if (has(key)) throw FieldError{child(key), std::string(why)};
}

void Object::finish() const {
  for (const auto& kv : node_) {
    const std::string key = kv.first.as<std::string>();
    if (!known_.contains(key)) {
      throw FieldError{child(key), "is not a known field (allowed: " +
                                       join(std::vector<std::string>(known_.begin(), known_.end())) + ")"};
    }
  }
}

}  // namespace wlsim::scenarios

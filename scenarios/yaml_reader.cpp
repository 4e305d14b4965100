#include "yaml_reader.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "scenario_text.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/units.hpp"

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

Value Value::field(const std::string& key) const {
  return Value(node_[key], path_ + "." + key, *limits_, ignored_);
}

std::string describe_millicores(std::int64_t milli) {
  if (milli % 1000 == 0) return std::to_string(milli / 1000) + " cores";
  return std::to_string(milli) + "m";
}

std::string Value::as_scalar_text() const {
  if (!node_.IsScalar()) fail(describe(node_) + " is not a scalar value");
  return node_.Scalar();
}

std::string Value::as_string() const {
  std::string s = as_scalar_text();
  if (s.empty()) fail("must not be empty");
  if (const auto bad = unprintable(s))
    fail("'" + s + "' contains " + *bad + ", which names and ids may not");
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
  const auto parsed = whole_number<std::int64_t>(
      s, [](const std::string& t, std::size_t* n) { return std::stoll(t, n); });
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
  std::string s = as_scalar_text();
  for (const auto& a : allowed) {
    if (s == a) return s;
  }
  fail("'" + s + "' is not one of: " + join(allowed));
}

engine::Time Value::as_duration() const {
  const engine::Time t =
      parsed<engine::Time>([](std::string_view text) { return engine::parse_duration(text); });
  if (t > limits_->max_duration) {
    fail("'" + as_scalar_text() + "' is over the limit of " +
         engine::format_duration(limits_->max_duration) + " on any duration or time");
  }
  return t;
}

std::int64_t Value::as_bytes() const {
  const std::int64_t b = parsed<std::int64_t>(parse_bytes);
  if (b > limits_->max_bytes) {
    fail("'" + as_scalar_text() + "' is over the limit of " + std::to_string(limits_->max_bytes) +
         " bytes on any size");
  }
  return b;
}

std::int64_t Value::as_bytes_per_second() const {
  const std::int64_t r = parsed<std::int64_t>(parse_bytes_per_second);
  if (r > limits_->max_bytes_per_second) {
    fail("'" + as_scalar_text() + "' is over the limit of " +
         std::to_string(limits_->max_bytes_per_second) + " bytes/s on any rate");
  }
  return r;
}

std::int64_t Value::as_millicores() const {
  const std::int64_t m = parsed<std::int64_t>(parse_millicores);
  if (m > limits_->max_cpu_milli) {
    fail("'" + as_scalar_text() + "' is over the limit of " +
         describe_millicores(limits_->max_cpu_milli) + " on any cpu amount");
  }
  return m;
}

double Value::as_number(double min, double max) const {
  const std::string s = as_scalar_text();
  const auto parsed =
      whole_number<double>(s, [](const std::string& t, std::size_t* n) { return std::stod(t, n); });
  if (!parsed || !std::isfinite(*parsed)) fail("'" + s + "' is not a number");
  const double v = *parsed;
  if (v < min) fail("'" + s + "' is not >= " + engine::number_text(min));
  if (v > max) fail("'" + s + "' is not <= " + engine::number_text(max));
  return v;
}

double Value::as_fraction() const {
  const std::string s = as_scalar_text();
  const auto parsed =
      whole_number<double>(s, [](const std::string& t, std::size_t* n) { return std::stod(t, n); });
  if (!parsed) fail("'" + s + "' is not a number");
  const double v = *parsed;
  if (!(v >= 0.0 && v <= 1.0)) fail("'" + s + "' is not between 0 and 1");
  return v;
}

std::vector<Value> Value::as_list() const {
  if (!node_.IsSequence()) fail(describe(node_) + " is not a list");
  if (static_cast<std::int64_t>(node_.size()) > limits_->max_list_length) {
    fail("has " + std::to_string(node_.size()) + " items, over the limit of " +
         std::to_string(limits_->max_list_length) +
         " items in one list (raise it with --max-list-length)");
  }
  std::vector<Value> out;
  out.reserve(node_.size());
  for (std::size_t i = 0; i < node_.size(); ++i) {
    out.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]", *limits_, ignored_);
  }
  return out;
}

Object::Object(const Value& v)
    : node_(v.node()), path_(v.path()), limits_(&v.limits()), ignored_(v.ignored()) {
  if (!node_.IsMap()) v.fail(describe(node_) + " is not a mapping");
  // yaml-cpp keeps the first of two equal keys; a user who wrote both meant one of them.
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar())
      v.fail("has a key that is " + describe(kv.first) + "; keys are field names");
    const std::string key = kv.first.Scalar();
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
  return Value(node_[key], child(key), *limits_, ignored_);
}

std::optional<Value> Object::optional(const std::string& key) {
  if (!has(key)) return std::nullopt;
  return Value(node_[key], child(key), *limits_, ignored_);
}

void Object::unsupported(const std::string& key, std::string_view why) {
  if (!has(key)) return;
  if (ignored_ == nullptr) throw FieldError{child(key), std::string(why)};
  ignored_->add(child(key), why);
}

void Object::finish() const {
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (known_.contains(key)) continue;
    if (ignored_ != nullptr) {
      ignored_->add(child(key), "not a field wlsim reads");
    } else {
      throw FieldError{child(key),
                       "is not a known field (allowed: " +
                           join(std::vector<std::string>(known_.begin(), known_.end())) + ")"};
    }
  }
}

void IgnoredFields::add(const std::string& path, std::string_view why) {
  // The field's place in the schema: every list index becomes [*].
  std::string field;
  for (std::size_t i = 0; i < path.size(); ++i) {
    field += path[i];
    if (path[i] != '[') continue;
    const std::size_t close = path.find(']', i);
    const bool index = close != std::string::npos && close > i + 1 &&
                       path.find_first_not_of("0123456789", i + 1) == close;
    if (index) {
      field += '*';
      i = close - 1;
    }
  }
  Field& f = fields_[field];
  if (f.count++ == 0) {
    f.first_path = path;
    f.why = std::string(why);
  }
}

std::vector<std::string> IgnoredFields::messages() const {
  std::vector<std::string> out;
  for (const auto& [field, f] : fields_) {
    if (f.count == 1) {
      out.push_back(f.first_path + ": " + f.why + "; ignored");
    } else {
      out.push_back(field + ": " + f.why + "; ignored (" + std::to_string(f.count) +
                    " times, first at " + f.first_path + ")");
    }
  }
  return out;
}

}  // namespace wlsim::scenarios

#include "yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_set>

#include "scenario_text.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/units.hpp"

namespace wlsim::scenarios {

namespace {
std::string describe(NodeRef n) {
  switch (n.kind()) {
    case NodeRef::Kind::Map:
      return "a mapping";
    case NodeRef::Kind::Sequence:
      return "a list";
    case NodeRef::Kind::Null:
      return "null";
    case NodeRef::Kind::Scalar:
      break;
  }
  return in_quotes(n.scalar());
}
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
/// The entry of the mapping `map` whose key is the scalar `key` (the first, as yaml-cpp finds it).
std::optional<std::uint32_t> entry_of(NodeRef map, std::string_view key) {
  if (!map.is_map()) return std::nullopt;
  const std::uint32_t n = map.size();
  for (std::uint32_t i = 0; i < n; ++i) {
    const NodeRef k = map.key(i);
    if (k.is_scalar() && k.scalar() == key) return i;
  }
  return std::nullopt;
}
}  // namespace

ReadContext::ReadContext(Document& doc, const Limits& limits, IgnoredFields* ignored)
    : doc_(&doc), limits_(&limits), ignored_(ignored) {
  links_.push_back(PathRef{});  // kTop: the empty path
}

ReadContext::PathId ReadContext::link(PathRef at) {
  if (at.step == PathRef::Step::None) return at.parent;
  if (links_.size() >= std::numeric_limits<PathId>::max()) {
    throw std::length_error("a scenario read holds more than 2^32 places");
  }
  links_.push_back(at);
  return static_cast<PathId>(links_.size() - 1);
}

PathRef ReadContext::named(PathId parent, std::string_view name) {
  names_.emplace_back(name);
  return PathRef{parent, static_cast<std::uint32_t>(names_.size() - 1), PathRef::Step::Name};
}

std::string ReadContext::path(PathRef at) const {
  std::vector<PathRef> chain;
  if (at.step != PathRef::Step::None) chain.push_back(at);
  for (PathId id = at.parent; id != kTop; id = links_[id].parent) chain.push_back(links_[id]);
  std::string out;
  std::reverse(chain.begin(), chain.end());  // from the top down
  for (const PathRef& part : chain) {
    if (part.step == PathRef::Step::Index) {
      out += '[';
      out += std::to_string(part.number);
      out += ']';
      continue;
    }
    // As the readers always wrote it: a field after another part gets its '.'.
    if (!out.empty()) out += '.';
    if (part.step == PathRef::Step::KeyNode) {
      out += NodeRef(doc_, part.number).scalar();
    } else {
      out += names_[part.number];
    }
  }
  return out;
}

void Value::fail(std::string_view message) const { throw FieldError{path(), std::string(message)}; }

Value Value::field(std::string_view key) const {
  const NodeRef n = node();
  if (const auto i = entry_of(n, key)) {
    return {*ctx_, n.value(*i),
            PathRef{ctx_->link(path_), n.key(*i).index(), PathRef::Step::KeyNode}};
  }
  return {*ctx_, ctx_->document().null_node(), ctx_->named(ctx_->link(path_), key)};
}

std::string in_quotes(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

std::string describe_millicores(std::int64_t milli) {
  if (milli % 1000 == 0) return std::to_string(milli / 1000) + " cores";
  return std::to_string(milli) + "m";
}

std::string_view Value::scalar_view() const {
  const NodeRef n = node();
  if (!n.is_scalar()) fail(describe(n) + " is not a scalar value");
  return n.scalar();
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
  const std::string_view s = scalar_view();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  fail(in_quotes(s) + " is not a boolean (allowed: true, false)");
}

std::string Value::as_enum(const std::vector<std::string>& allowed) const {
  const std::string_view s = scalar_view();
  for (const auto& a : allowed) {
    if (s == a) return a;
  }
  fail(in_quotes(s) + " is not one of: " + join(allowed));
}

engine::Time Value::as_duration() const {
  const engine::Time t =
      parsed<engine::Time>([](std::string_view text) { return engine::parse_duration(text); });
  if (t > limits().max_duration) {
    fail("'" + as_scalar_text() + "' is over the limit of " +
         engine::format_duration(limits().max_duration) + " on any duration or time");
  }
  return t;
}

std::int64_t Value::as_bytes() const {
  const std::int64_t b = parsed<std::int64_t>(parse_bytes);
  if (b > limits().max_bytes) {
    fail("'" + as_scalar_text() + "' is over the limit of " + std::to_string(limits().max_bytes) +
         " bytes on any size");
  }
  return b;
}

std::int64_t Value::as_bytes_per_second() const {
  const std::int64_t r = parsed<std::int64_t>(parse_bytes_per_second);
  if (r > limits().max_bytes_per_second) {
    fail("'" + as_scalar_text() + "' is over the limit of " +
         std::to_string(limits().max_bytes_per_second) + " bytes/s on any rate");
  }
  return r;
}

std::int64_t Value::as_millicores() const {
  const std::int64_t m = parsed<std::int64_t>(parse_millicores);
  if (m > limits().max_cpu_milli) {
    fail("'" + as_scalar_text() + "' is over the limit of " +
         describe_millicores(limits().max_cpu_milli) + " on any cpu amount");
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
  const NodeRef n = node();
  if (!n.is_sequence()) fail(describe(n) + " is not a list");
  const std::uint32_t size = n.size();
  if (static_cast<std::int64_t>(size) > limits().max_list_length) {
    fail("has " + std::to_string(size) + " items, over the limit of " +
         std::to_string(limits().max_list_length) +
         " items in one list (raise it with --max-list-length)");
  }
  std::vector<Value> out;
  out.reserve(size);
  const ReadContext::PathId base = ctx_->link(path_);
  for (std::uint32_t i = 0; i < size; ++i) {
    out.emplace_back(*ctx_, n.item(i), PathRef{base, i, PathRef::Step::Index});
  }
  return out;
}

Object::Object(const Value& v) : v_(v), node_(v.node()), base_(0) {
  if (!node_.is_map()) v.fail(describe(node_) + " is not a mapping");
  base_ = v.context().link(v.path_ref());
  // yaml-cpp keeps the first of two equal keys; a user who wrote both meant one of them. A few
  // keys are compared pairwise; many (an expect block's workloads) through a set.
  constexpr std::uint32_t kPairwise = 32;
  const std::uint32_t n = node_.size();
  std::unordered_set<std::string_view> seen;
  for (std::uint32_t j = 0; j < n; ++j) {
    const NodeRef k = node_.key(j);
    if (!k.is_scalar()) v.fail("has a key that is " + describe(k) + "; keys are field names");
    const std::string_view key = k.scalar();
    bool twice = false;
    if (n <= kPairwise) {
      for (std::uint32_t i = 0; i < j && !twice; ++i) twice = node_.key(i).scalar() == key;
    } else {
      twice = !seen.insert(key).second;
    }
    if (twice) throw FieldError{child_path(key), "is given twice"};
  }
  if (n > 64) known_large_.assign(n - 64, false);
}

bool Object::known(std::uint32_t i) const {
  return i < 64 ? (known_small_ >> i & 1U) != 0 : known_large_[i - 64];
}

std::uint32_t Object::ask(std::string_view key) {
  if (asked_count_ < kInlineAsked) {
    asked_[asked_count_++] = key;
  } else {
    asked_more_.push_back(key);
  }
  const auto i = entry_of(node_, key);
  if (!i) return kAbsent;
  if (*i < 64) {
    known_small_ |= std::uint64_t{1} << *i;
  } else {
    known_large_[*i - 64] = true;
  }
  return *i;
}

Value Object::entry(std::uint32_t i) const {
  return {v_.context(), node_.value(i),
          PathRef{base_, node_.key(i).index(), PathRef::Step::KeyNode}};
}

std::string Object::child_path(std::string_view key) const {
  std::string out = v_.path();
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

bool Object::has(std::string_view key) {
  const std::uint32_t i = ask(key);
  return i != kAbsent && !node_.value(i).is_null();
}

Value Object::required(std::string_view key) {
  const std::uint32_t i = ask(key);
  if (i == kAbsent || node_.value(i).is_null()) throw FieldError{child_path(key), "is required"};
  return entry(i);
}

std::optional<Value> Object::optional(std::string_view key) {
  const std::uint32_t i = ask(key);
  if (i == kAbsent || node_.value(i).is_null()) return std::nullopt;
  return entry(i);
}

void Object::unsupported(std::string_view key, std::string_view why) {
  if (!has(key)) return;
  if (v_.ignored() == nullptr) throw FieldError{child_path(key), std::string(why)};
  v_.ignored()->add(child_path(key), why);
}

void Object::finish() const {
  const std::uint32_t n = node_.size();
  for (std::uint32_t i = 0; i < n; ++i) {
    if (known(i)) continue;
    const std::string_view key = node_.key(i).scalar();
    if (v_.ignored() != nullptr) {
      v_.ignored()->add(child_path(key), "not a field wlsim reads");
      continue;
    }
    std::vector<std::string> allowed(asked_.begin(), asked_.begin() + asked_count_);
    allowed.insert(allowed.end(), asked_more_.begin(), asked_more_.end());
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    throw FieldError{child_path(key), "is not a known field (allowed: " + join(allowed) + ")"};
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

#pragma once
// A YAML node with its field path, for validation messages that say exactly where a problem is.
// Private to scenarios/: the loader's schema is written with these.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/scenarios/limits.hpp"

namespace wlsim::scenarios {

/// Thrown by the readers; the loader adds the origin (file name) in front.
struct FieldError {
  std::string path;
  std::string message;
};

/// The fields a load skipped under Limits::ignore_unsupported, one entry per field: the same field
/// of many list items (workloads[0].metadata, workloads[1].metadata, ...) is one entry.
class IgnoredFields {
 public:
  /// `why` is the reason given to the user; the first one of a field is kept.
  void add(const std::string& path, std::string_view why);
  /// One line per field, sorted by its path with list indices as [*]:
  /// "workloads[*].metadata: not a field wlsim reads; ignored (3 times, first at
  /// workloads[0].metadata)".
  [[nodiscard]] std::vector<std::string> messages() const;

 private:
  struct Field {
    std::string first_path;
    std::string why;
    std::int64_t count = 0;
  };
  std::map<std::string, Field> fields_;
};

/// A value with the limits that bound it; every value read from it (list items, fields) carries the
/// same limits, so each reader below enforces its own bound.
class Value {
 public:
  /// With `ignored`, unknown fields are recorded there instead of refused (--ignore-unsupported).
  Value(YAML::Node node, std::string path, const Limits& limits, IgnoredFields* ignored = nullptr)
      : node_(std::move(node)), path_(std::move(path)), limits_(&limits), ignored_(ignored) {}

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const YAML::Node& node() const noexcept { return node_; }
  [[nodiscard]] const Limits& limits() const noexcept { return *limits_; }
  [[nodiscard]] IgnoredFields* ignored() const noexcept { return ignored_; }
  /// The field `key` of this mapping (for pointing at a field already read).
  [[nodiscard]] Value field(const std::string& key) const;
  [[noreturn]] void fail(std::string_view message) const;

  /// A non-empty text that can name something: no control characters, valid UTF-8.
  [[nodiscard]] std::string as_string() const;
  [[nodiscard]] std::int64_t as_int(std::int64_t min, std::int64_t max) const;
  [[nodiscard]] bool as_bool() const;
  /// A finite number within [min, max].
  [[nodiscard]] double as_number(double min, double max) const;
  /// One of `allowed`; the error lists them.
  [[nodiscard]] std::string as_enum(const std::vector<std::string>& allowed) const;
  /// One of the named values; the error lists the names.
  template <typename E>
  [[nodiscard]] E as_choice(std::initializer_list<std::pair<std::string_view, E>> choices) const {
    std::vector<std::string> names;
    for (const auto& c : choices) names.emplace_back(c.first);
    const std::string chosen = as_enum(names);
    for (const auto& c : choices) {
      if (c.first == chosen) return c.second;
    }
    return choices.begin()->second;  // as_enum has already refused anything else
  }
  /// A duration up to limits().max_duration.
  [[nodiscard]] engine::Time as_duration() const;
  /// A size up to limits().max_bytes.
  [[nodiscard]] std::int64_t as_bytes() const;
  /// A size per second up to limits().max_bytes_per_second.
  [[nodiscard]] std::int64_t as_bytes_per_second() const;
  /// A cpu amount in whole millicores, up to limits().max_cpu_milli.
  [[nodiscard]] std::int64_t as_millicores() const;
  /// A number in [0, 1], such as odds.
  [[nodiscard]] double as_fraction() const;
  /// A scalar passed through `parse`, whose std::invalid_argument becomes a FieldError here.
  template <typename T>
  [[nodiscard]] T parsed(const std::function<T(std::string_view)>& parse) const {
    const std::string text = as_scalar_text();
    try {
      return parse(text);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
  /// The elements of a sequence, each with its indexed path; at most limits().max_list_length.
  [[nodiscard]] std::vector<Value> as_list() const;
  /// A scalar's text, possibly empty.
  [[nodiscard]] std::string as_scalar_text() const;

 private:
  YAML::Node node_;
  std::string path_;
  const Limits* limits_;
  IgnoredFields* ignored_;
};

/// An amount with its unit for messages: "1500m", "2 cores", "1000000 bytes".
[[nodiscard]] std::string describe_millicores(std::int64_t milli);

/// A mapping whose keys are checked: reading a key marks it known; finish() rejects the others.
class Object {
 public:
  explicit Object(const Value& v);
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] bool has(const std::string& key);
  [[nodiscard]] Value required(const std::string& key);
  /// The value, or nothing if the key is absent or null.
  [[nodiscard]] std::optional<Value> optional(const std::string& key);
  /// Marks a key as allowed but rejects it with `why` if present (for fields not simulated yet);
  /// when unknown fields are ignored, it is ignored too, with `why` as its warning.
  void unsupported(const std::string& key, std::string_view why);
  /// Fails on the first key that was never asked for, listing the allowed ones; or, when unknown
  /// fields are ignored, records each of them.
  void finish() const;

 private:
  [[nodiscard]] std::string child(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }
  YAML::Node node_;
  std::string path_;
  const Limits* limits_;
  IgnoredFields* ignored_;
  std::set<std::string> known_;
};

}  // namespace wlsim::scenarios

#pragma once
// A value of a scenario Document with its field path, for validation messages that say exactly
// where a problem is. Private to scenarios/: the loader's schema is written with these.
//
// Reading is cheap: a Value is a handle (its read, its node, its path as a link in the read's
// arena), and a path's text is made only when a message or a caller asks for it.

#include <array>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "document.hpp"
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

/// Where a value is: a step (a field, by its key node or by a name kept aside; a list index) from
/// a place already linked, or that place itself. Made for every value read, so it is three
/// numbers; its text is made only when asked.
struct PathRef {
  enum class Step : std::uint8_t { None, KeyNode, Name, Index };
  std::uint32_t parent = 0;
  /// The key's node in the document, the name's slot, or the index.
  std::uint32_t number = 0;
  Step step = Step::None;
};

/// One read of a document: the document (templates add their copies to it), the limits that bound
/// every value, where unknown fields go (--ignore-unsupported), and the places of the values read
/// that have values under them (mappings and lists), each linked to its parent's. It must outlive
/// every Value made from it, and not move.
class ReadContext {
 public:
  using PathId = std::uint32_t;
  /// The empty path, the document's top level.
  static constexpr PathId kTop = 0;

  /// With `ignored`, unknown fields are recorded there instead of refused.
  ReadContext(Document& doc, const Limits& limits, IgnoredFields* ignored = nullptr);
  ReadContext(const ReadContext&) = delete;
  ReadContext& operator=(const ReadContext&) = delete;

  [[nodiscard]] Document& document() const noexcept { return *doc_; }
  [[nodiscard]] const Limits& limits() const noexcept { return *limits_; }
  [[nodiscard]] IgnoredFields* ignored() const noexcept { return ignored_; }

  /// `at` as a place others can step from (a new link unless it is one already).
  [[nodiscard]] PathId link(PathRef at);
  /// The field `name` (of any lifetime: it is copied) under `parent`.
  [[nodiscard]] PathRef named(PathId parent, std::string_view name);
  /// The text: fields joined with '.' (none before the first), indices as [i].
  [[nodiscard]] std::string path(PathRef at) const;

 private:
  Document* doc_;
  const Limits* limits_;
  IgnoredFields* ignored_;
  std::vector<PathRef> links_;
  std::deque<std::string> names_;
};

/// A value with the read it belongs to; every value read from it (list items, fields) carries the
/// same limits, so each reader below enforces its own bound. A cheap handle (its read, its node and
/// its place): copy it freely, as long as its ReadContext lives.
class Value {
 public:
  /// The document's root, at the empty path.
  explicit Value(ReadContext& ctx) : Value(ctx, ctx.document().root(), PathRef{}) {}
  /// `node` (of the context's document) at `at`.
  Value(ReadContext& ctx, NodeRef node, PathRef at) : ctx_(&ctx), node_(node.index()), path_(at) {}

  /// The field path, made now (for a message, or a caller that keeps it).
  [[nodiscard]] std::string path() const { return ctx_->path(path_); }
  [[nodiscard]] PathRef path_ref() const noexcept { return path_; }
  [[nodiscard]] NodeRef node() const noexcept { return {&ctx_->document(), node_}; }
  [[nodiscard]] ReadContext& context() const noexcept { return *ctx_; }
  [[nodiscard]] const Limits& limits() const noexcept { return ctx_->limits(); }
  [[nodiscard]] IgnoredFields* ignored() const noexcept { return ctx_->ignored(); }
  /// The field `key` of this mapping (for pointing at a field already read); a null value where
  /// there is none.
  [[nodiscard]] Value field(std::string_view key) const;
  /// Another node at this value's path (a mapping's key, a template's copy).
  [[nodiscard]] Value with_node(NodeRef node) const { return {*ctx_, node, path_}; }
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
    const std::string_view s = scalar_view();
    for (const auto& c : choices) {
      if (c.first == s) return c.second;
    }
    std::vector<std::string> names;
    for (const auto& c : choices) names.emplace_back(c.first);
    (void)as_enum(names);  // refuses it, listing the names
    return choices.begin()->second;
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
  /// A scalar passed through `parse` (taking a std::string_view), whose std::invalid_argument
  /// becomes a FieldError here.
  template <typename T, typename Parse>
  [[nodiscard]] T parsed(const Parse& parse) const {
    const std::string_view text = scalar_view();
    try {
      return parse(text);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
  /// The elements of a sequence, each with its indexed path; at most limits().max_list_length.
  [[nodiscard]] std::vector<Value> as_list() const;
  /// A scalar's text, possibly empty.
  [[nodiscard]] std::string as_scalar_text() const { return std::string(scalar_view()); }
  /// The same, as a view into the document (valid while it lives).
  [[nodiscard]] std::string_view scalar_view() const;

 private:
  ReadContext* ctx_;
  std::uint32_t node_;
  PathRef path_;
};

/// `text` between single quotes, as messages show a value. (Built piece by piece: `"'" +
/// std::string(view)` trips GCC 12's -Wrestrict false positive.)
[[nodiscard]] std::string in_quotes(std::string_view text);

/// An amount with its unit for messages: "1500m", "2 cores", "1000000 bytes".
[[nodiscard]] std::string describe_millicores(std::int64_t milli);

/// A mapping whose keys are checked: reading a key marks it known; finish() rejects the others.
/// Keys asked for are kept as views, for finish()'s message: pass literals or text of the document.
class Object {
 public:
  explicit Object(const Value& v);
  [[nodiscard]] std::string path() const { return v_.path(); }
  [[nodiscard]] bool has(std::string_view key);
  [[nodiscard]] Value required(std::string_view key);
  /// The value, or nothing if the key is absent or null.
  [[nodiscard]] std::optional<Value> optional(std::string_view key);
  /// Marks a key as allowed but rejects it with `why` if present (for fields not simulated yet);
  /// when unknown fields are ignored, it is ignored too, with `why` as its warning.
  void unsupported(std::string_view key, std::string_view why);
  /// Fails on the first key that was never asked for, listing the allowed ones; or, when unknown
  /// fields are ignored, records each of them.
  void finish() const;

 private:
  static constexpr std::uint32_t kAbsent = UINT32_MAX;
  /// The entry whose key is `key`, marked known (kAbsent if none); the key is remembered as asked.
  std::uint32_t ask(std::string_view key);
  /// The entry's value at its path (the path links the document's own key text).
  [[nodiscard]] Value entry(std::uint32_t i) const;
  [[nodiscard]] std::string child_path(std::string_view key) const;
  [[nodiscard]] bool known(std::uint32_t i) const;

  // A mapping has a few entries and is asked a few dozen keys: both fit inline, almost always.
  static constexpr std::size_t kInlineAsked = 24;
  Value v_;
  NodeRef node_;
  ReadContext::PathId base_;       // the mapping's place, which its fields step from
  std::uint64_t known_small_ = 0;  // entries 0-63
  std::vector<bool> known_large_;  // entries from 64 on
  std::array<std::string_view, kInlineAsked> asked_{};
  std::size_t asked_count_ = 0;
  std::vector<std::string_view> asked_more_;
};

}  // namespace wlsim::scenarios

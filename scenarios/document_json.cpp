#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "document_text.hpp"
#include "fast_read_bounds.hpp"

// simdjson's On Demand API is kept in this file alone: its header is slow to compile.

namespace wlsim::scenarios {

namespace {

using Index = Document::Index;

// ---- JSON through simdjson On Demand ----

namespace od = simdjson::ondemand;

// A string yaml-cpp might read otherwise: a raw control character (a break inside a double-quoted
// YAML scalar folds, JSON refuses it). Escaped surrogates are caught before (needs_yaml_cpp).
bool json_string_differs(std::string_view raw) {
  return std::any_of(raw.begin(), raw.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// The same for a key, from its unescaped text (simdjson 3.0 gives no raw key): a control
// character, whether written raw or as an escape.
bool json_key_differs(std::string_view key) { return json_string_differs(key); }

// A string's text straight from the padded source (after its opening quote) when it holds no
// escape: simdjson would copy it into a buffer of its own, as much memory again as the strings
// hold. Nothing when it holds an escape (simdjson resolves those).
std::optional<std::string_view> text_without_escapes(const char* after_quote) {
  const char* p = after_quote;
  while (*p != '"') {
    if (*p == '\\') return std::nullopt;
    ++p;
  }
  return std::string_view(after_quote, static_cast<std::size_t>(p - after_quote));
}

// The bytes a string is written in, from after its opening quote to its closing one.
std::size_t source_length(const char* after_quote) {
  const char* p = after_quote;
  while (*p != '"') p += *p == '\\' ? 2 : 1;
  return static_cast<std::size_t>(p - after_quote);
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class JsonBuilder {
 public:
  explicit JsonBuilder(const Limits& limits) : bound_(limits) {
    levels_.resize(static_cast<std::size_t>(bound_.max_depth) + 2);
  }

  bool build(od::document& d) {
    od::object root;
    if (d.get_object().get(root) != simdjson::SUCCESS) return false;
    Index node = 0;
    if (!object(root, 1, node)) return false;
    doc_.set_root(node);
    // Anything after the object (On Demand reads lazily, so this is checked by hand).
    return d.current_location().error() == simdjson::OUT_OF_BOUNDS;
  }

  Document take() { return std::move(doc_); }

 private:
  bool count() { return ++values_ <= bound_.max_values; }

  // Sized once: a reference into it stays valid while deeper levels fill.
  std::vector<Index>& level(std::size_t depth) {
    levels_[depth].clear();
    return levels_[depth];
  }

  bool object(od::object obj, int depth, Index& out) {
    if (!count() || depth > bound_.max_depth) return false;
    std::vector<Index>& entries = level(static_cast<std::size_t>(depth));
    for (auto field_result : obj) {
      od::field field;
      if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
      std::string_view key;
      if (source_length(field.key().raw()) > kMaxKeySource) return false;
      if (const auto raw = text_without_escapes(field.key().raw())) {
        key = *raw;
      } else if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
        return false;
      }
      if (!count() || json_key_differs(key)) return false;
      entries.push_back(doc_.add_scalar(key, false));
      Index v = 0;
      if (!value(field.value(), depth, v)) return false;
      levels_[static_cast<std::size_t>(depth)].push_back(v);
    }
    out = doc_.add_map(levels_[static_cast<std::size_t>(depth)]);
    return true;
  }

  bool array(od::array arr, int depth, Index& out) {
    if (!count() || depth > bound_.max_depth) return false;
    level(static_cast<std::size_t>(depth));
    for (auto item_result : arr) {
      od::value item;
      if (item_result.get(item) != simdjson::SUCCESS) return false;
      Index v = 0;
      if (!value(item, depth, v)) return false;
      levels_[static_cast<std::size_t>(depth)].push_back(v);
    }
    out = doc_.add_sequence(levels_[static_cast<std::size_t>(depth)]);
    return true;
  }

  // `v` is a child of a collection at `depth`.
  bool value(od::value v, int depth, Index& out) {
    od::json_type type{};
    if (v.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::json_type::object: {
        od::object o;
        return v.get_object().get(o) == simdjson::SUCCESS && object(o, depth + 1, out);
      }
      case od::json_type::array: {
        od::array a;
        return v.get_array().get(a) == simdjson::SUCCESS && array(a, depth + 1, out);
      }
      case od::json_type::string: {
        const std::string_view raw = v.raw_json_token();
        if (json_string_differs(raw)) return false;
        std::string_view s;
        if (const auto text = text_without_escapes(raw.data() + 1)) {
          // Consumed all the same: On Demand skips a value left unread without checking what
          // follows it.
          od::raw_json_string consumed;
          if (v.get_raw_json_string().get(consumed) != simdjson::SUCCESS) return false;
          s = *text;
        } else if (v.get_string().get(s) != simdjson::SUCCESS) {
          return false;
        }
        if (!count()) return false;
        out = doc_.add_scalar(s, false);
        return true;
      }
      case od::json_type::number: {
        const std::string_view raw = v.raw_json_token();
        od::number n;
        if (v.get_number().get(n) != simdjson::SUCCESS || !count()) return false;
        out = doc_.add_scalar(trim_right(raw), true);
        return true;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b) != simdjson::SUCCESS || !count()) return false;
        out = doc_.add_scalar(b ? "true" : "false", true);
        return true;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null || !count()) return false;
        out = doc_.add_null();
        return true;
      }
    }
    return false;
  }

  FastBound bound_;
  Document doc_;
  std::vector<std::vector<Index>> levels_;  // levels_[d]: the children of the collection at depth d
  std::int64_t values_ = 0;
};

bool opens_with_brace(std::string_view text) {
  const std::size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && text[i] == '{';
}

}  // namespace

std::optional<Document> read_json_fast(std::string_view text, const Limits& limits) {
  if (!opens_with_brace(text) || needs_yaml_cpp(text)) return std::nullopt;
  const simdjson::padded_string padded(text);
  od::parser parser;
  od::document d;
  if (parser.iterate(padded).get(d) != simdjson::SUCCESS) return std::nullopt;
  JsonBuilder builder(limits);
  if (!builder.build(d)) return std::nullopt;
  return builder.take();
}

}  // namespace wlsim::scenarios

#include "workload_templates.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace wlsim::scenarios {

namespace {

constexpr std::string_view kAllowed = "{i}, or {i:0W} for W digits with leading zeros, W 1 to 9";

bool has_index(std::string_view text) {
  return text.find("{i}") != std::string_view::npos || text.find("{i:") != std::string_view::npos;
}

/// Copy `i` of a template's nodes, `{i}` filled into every string value (not into keys). Nodes
/// never change, so a node without `{i}` under it is shared by the copies, not copied: a copy
/// costs its filled values and the mappings and lists above them.
class Filler {
 public:
  Filler(Document& doc, std::int64_t i, const Value& item) : doc_(doc), i_(i), item_(item) {}

  /// `n` filled: a new node, or nothing when nothing under it has `{i}`.
  std::optional<Document::Index> fill(NodeRef n) {
    switch (n.kind()) {
      case NodeRef::Kind::Scalar: {
        const std::string_view text = n.scalar();
        if (!has_index(text)) return std::nullopt;
        try {
          return doc_.add_scalar(fill_index(std::string(text), i_), n.plain(), n.mark());
        } catch (const std::invalid_argument& e) {
          throw FieldError{trail_path(), e.what()};
        }
      }
      case NodeRef::Kind::Sequence: {
        std::vector<Document::Index> items;
        bool changed = false;
        for (std::uint32_t k = 0; k < n.size(); ++k) {
          trail_.push_back({true, k, {}});
          const std::optional<Document::Index> filled = fill(n.item(k));
          trail_.pop_back();
          changed = changed || filled.has_value();
          items.push_back(filled.value_or(n.item(k).index()));
        }
        if (!changed) return std::nullopt;
        return doc_.add_sequence(items, n.mark());
      }
      case NodeRef::Kind::Map: {
        std::vector<Document::Index> entries;
        const bool changed = fill_entries(n, {}, entries);
        if (!changed) return std::nullopt;
        return doc_.add_map(entries, n.mark());
      }
      case NodeRef::Kind::Null:
        break;
    }
    return std::nullopt;
  }

  /// The entries of the mapping `n` filled, into `entries` (key, value, ...), leaving out the first
  /// entry of each key in `dropped`; whether any value changed.
  bool fill_entries(NodeRef n, std::initializer_list<std::string_view> dropped,
                    std::vector<Document::Index>& entries) {
    std::vector<bool> drop(n.size(), false);
    for (const std::string_view key : dropped) {
      for (std::uint32_t e = 0; e < n.size(); ++e) {
        if (!drop[e] && n.key(e).is_scalar() && n.key(e).scalar() == key) {
          drop[e] = true;
          break;
        }
      }
    }
    bool changed = false;
    entries.reserve(2 * static_cast<std::size_t>(n.size()));
    for (std::uint32_t e = 0; e < n.size(); ++e) {
      if (drop[e]) continue;
      trail_.push_back({false, 0, n.key(e).scalar()});
      const std::optional<Document::Index> filled = fill(n.value(e));
      trail_.pop_back();
      changed = changed || filled.has_value();
      entries.push_back(n.key(e).index());
      entries.push_back(filled.value_or(n.value(e).index()));
    }
    return changed;
  }

 private:
  struct Step {
    bool is_index;
    std::uint32_t index;
    std::string_view key;
  };
  [[nodiscard]] std::string trail_path() const {
    std::string out = item_.path();
    for (const Step& s : trail_) {
      if (s.is_index) {
        out += "[" + std::to_string(s.index) + "]";
      } else {
        out += '.';
        out += s.key;
      }
    }
    return out;
  }

  Document& doc_;
  std::int64_t i_;
  const Value& item_;
  std::vector<Step> trail_;
};

/// The item's count, if it has one, within what one list may hold.
std::optional<std::int64_t> read_count(const Value& item, std::int64_t already) {
  if (!item.node().find("count")) return std::nullopt;
  const Value v = item.field("count");
  const std::int64_t max = item.limits().max_list_length;
  const std::int64_t n = v.as_int(1, std::max<std::int64_t>(1, max));
  if (n > max - already) {
    v.fail(std::to_string(n) + " brings the list to " + std::to_string(already + n) +
           " items, over the limit of " + std::to_string(max) +
           " items in one list (raise it with --max-list-length)");
  }
  return n;
}

/// Copy `i` of a template item (a mapping): count (and the other `dropped` keys) removed, `{i}`
/// filled in; new nodes of the document, at the template's path.
Value copy(const Value& item, std::int64_t i, std::initializer_list<std::string_view> dropped) {
  Document& doc = item.context().document();
  const NodeRef n = item.node();
  Filler filler(doc, i, item);
  std::vector<Document::Index> entries;
  (void)filler.fill_entries(n, dropped, entries);
  return item.with_node(NodeRef(&doc, doc.add_map(entries, n.mark())));
}

}  // namespace

std::string fill_index(const std::string& text, std::int64_t i) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = text.find("{i", at);
    if (open == std::string::npos) break;
    out.append(text, at, open - at);
    const std::size_t close = text.find('}', open);
    const std::string field =
        close == std::string::npos ? text.substr(open) : text.substr(open, close - open + 1);
    std::string digits = std::to_string(i);
    if (field == "{i}") {
      out += digits;
    } else if (field.rfind("{i:", 0) == 0) {
      // {i:0W}: a zero, then the width in one digit.
      if (field.size() != 6 || field[3] != '0' || field[4] < '1' || field[4] > '9' ||
          field[5] != '}') {
        throw std::invalid_argument("'" + field +
                                    "' is not an index (allowed: " + std::string(kAllowed) + ")");
      }
      const auto width = static_cast<std::size_t>(field[4] - '0');
      if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
      out += digits;
    } else {
      out += "{i";  // not a placeholder ({id}, {items}): kept as written
      at = open + 2;
      continue;
    }
    at = open + field.size();
  }
  out.append(text, at);
  return out;
}

std::vector<Value> expand_workloads(const Value& list) {
  std::vector<Value> out;
  for (const Value& item : list.as_list()) {
    const std::optional<NodeRef> id = item.node().find("id");
    const bool templated_id = id && id->is_scalar() && has_index(id->scalar());
    const std::optional<std::int64_t> count =
        read_count(item, static_cast<std::int64_t>(out.size()));
    if (!count) {
      if (templated_id) {
        item.field("id").fail(in_quotes(id->scalar()) +
                              " has {i}, which only a template has: add count: N to make N "
                              "workloads of this item, i from 0 to N-1");
      }
      out.push_back(item);
      continue;
    }
    if (!templated_id) {
      const std::string written = id && id->is_scalar() ? in_quotes(id->scalar()) : "the id";
      item.field("id").fail(written + " has no {i}: with count, each workload's id needs " +
                            std::string(kAllowed) + " to tell them apart");
    }
    for (std::int64_t i = 0; i < *count; ++i) out.push_back(copy(item, i, {"count"}));
  }
  return out;
}

std::vector<ActionItem> expand_actions(const Value& list) {
  std::vector<ActionItem> out;
  for (const Value& item : list.as_list()) {
    const bool staggered = item.node().find("stagger").has_value();
    const std::optional<std::int64_t> count =
        read_count(item, static_cast<std::int64_t>(out.size()));
    if (!count) {
      if (staggered) {
        item.field("stagger").fail(
            "staggers the copies of a template: add count: N to make N calls of this item");
      }
      out.push_back({item, engine::Time{}, item});
      continue;
    }
    engine::Time stagger{};
    Value stagger_field = item.field("count");
    if (staggered) {
      const Value v = item.field("stagger");
      stagger = v.as_duration();
      stagger_field = v;
      // Checked by division first, so that no offset computed below can overflow.
      const std::int64_t max_us = v.limits().max_duration.us();
      if (stagger.us() > 0 && *count - 1 > max_us / stagger.us()) {
        v.fail("puts the last of " + std::to_string(*count) + " calls over the limit of " +
               engine::format_duration(v.limits().max_duration) + " on any time");
      }
    }
    for (std::int64_t i = 0; i < *count; ++i) {
      out.push_back({copy(item, i, {"count", "stagger"}), engine::Time::from_us(stagger.us() * i),
                     stagger_field});
    }
  }
  return out;
}

}  // namespace wlsim::scenarios

#include "workload_templates.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace wlsim::scenarios {

namespace {

constexpr std::string_view kAllowed = "{i}, or {i:0W} for W digits with leading zeros, W 1 to 9";

bool has_index(const std::string& text) {
  return text.find("{i}") != std::string::npos || text.find("{i:") != std::string::npos;
}

/// Every string value of `node` (not its keys), `{i}` filled in.
void fill_node(YAML::Node node, std::int64_t i, const std::string& path) {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (!has_index(text)) return;
    try {
      node = fill_index(text, i);
    } catch (const std::invalid_argument& e) {
      throw FieldError{path, e.what()};
    }
  } else if (node.IsSequence()) {
    for (std::size_t k = 0; k < node.size(); ++k)
      fill_node(node[k], i, path + "[" + std::to_string(k) + "]");
  } else if (node.IsMap()) {
    for (auto kv : node) fill_node(kv.second, i, path + "." + kv.first.Scalar());
  }
}

/// The item's count, if it has one, within what one list may hold.
std::optional<std::int64_t> read_count(const Value& item, std::int64_t already) {
  if (!item.node().IsMap() || !item.node()["count"]) return std::nullopt;
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

/// Copy `i` of a template item: count (and the other `dropped` keys) removed, `{i}` filled in.
Value copy(const Value& item, std::int64_t i, std::initializer_list<const char*> dropped) {
  YAML::Node node = YAML::Clone(item.node());
  for (const char* key : dropped) node.remove(key);
  fill_node(node, i, item.path());
  return Value(node, item.path(), item.limits(), item.ignored());
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
    const YAML::Node id = item.node().IsMap() ? item.node()["id"] : YAML::Node();
    const bool templated_id = id && id.IsScalar() && has_index(id.Scalar());
    const std::optional<std::int64_t> count =
        read_count(item, static_cast<std::int64_t>(out.size()));
    if (!count) {
      if (templated_id) {
        item.field("id").fail("'" + id.Scalar() +
                              "' has {i}, which only a template has: add count: N to make N "
                              "workloads of this item, i from 0 to N-1");
      }
      out.push_back(item);
      continue;
    }
    if (!templated_id) {
      const std::string written = id && id.IsScalar() ? "'" + id.Scalar() + "'" : "the id";
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
    const bool staggered = item.node().IsMap() && item.node()["stagger"];
    const std::optional<std::int64_t> count =
        read_count(item, static_cast<std::int64_t>(out.size()));
    if (!count) {
      if (staggered) {
        item.field("stagger").fail(
            "staggers the copies of a template: add count: N to make N calls of this item");
      }
      out.push_back({item, engine::Time{}, {}});
      continue;
    }
    engine::Time stagger{};
    std::string stagger_path = item.field("count").path();
    if (staggered) {
      const Value v = item.field("stagger");
      stagger = v.as_duration();
      stagger_path = v.path();
      // Checked by division first, so that no offset computed below can overflow.
      const std::int64_t max_us = v.limits().max_duration.us();
      if (stagger.us() > 0 && *count - 1 > max_us / stagger.us()) {
        v.fail("puts the last of " + std::to_string(*count) + " calls over the limit of " +
               engine::format_duration(v.limits().max_duration) + " on any time");
      }
    }
    for (std::int64_t i = 0; i < *count; ++i) {
      out.push_back({copy(item, i, {"count", "stagger"}), engine::Time::from_us(stagger.us() * i),
                     stagger_path});
    }
  }
  return out;
}

}  // namespace wlsim::scenarios

#include "wlsim/scenarios/overrides.hpp"

#include <cstdio>
#include <regex>
#include <stdexcept>
#include <utility>

#include "override_tree.hpp"
#include "scenario_text.hpp"
#include "yaml_cpp_document.hpp"

namespace wlsim::scenarios {

namespace {

/// One step of a path: a field name, or the text between brackets (an index, an id or a key).
struct Step {
  bool bracketed;
  std::string text;
  /// The path up to and including this step, as messages show it.
  std::string shown;
};

/// A list of names in a message stays one short line, however long the list.
constexpr std::size_t kMaxNamesShown = 20;

// Appended piece by piece: `"'" + std::string(...)` trips GCC 12's -Wrestrict false positive.
std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out.append(text);
  out += '\'';
  return out;
}

std::string names_list(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxNamesShown; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > kMaxNamesShown) {
    out += ", ... (" + std::to_string(names.size()) + " in all)";
  }
  return out;
}

[[noreturn]] void path_error(std::string_view path, const std::string& problem) {
  throw std::invalid_argument("override " + quoted(path) + ": " + problem);
}

std::vector<Step> parse_path(std::string_view path) {
  if (path.empty()) path_error(path, "the path is empty");
  if (path.size() > kMaxOverridePathBytes) {
    throw std::invalid_argument("override path of " + std::to_string(path.size()) +
                                " bytes is over the limit of " +
                                std::to_string(kMaxOverridePathBytes));
  }
  std::vector<Step> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i + 1);
      if (close == std::string_view::npos) path_error(path, "a '[' is never closed");
      const std::string_view inside = path.substr(i + 1, close - i - 1);
      if (inside.empty()) path_error(path, "[] names nothing (write an index, an id or a key)");
      if (inside.find('[') != std::string_view::npos) path_error(path, "brackets do not nest");
      steps.push_back({true, std::string(inside), std::string(path.substr(0, close + 1))});
      i = close + 1;
    } else {
      const std::size_t end = path.find_first_of(".[]", i);
      const std::size_t stop = end == std::string_view::npos ? path.size() : end;
      if (stop == i) {
        path_error(path, path[i] == ']' ? "a ']' without its '['" : "a field name is empty");
      }
      steps.push_back(
          {false, std::string(path.substr(i, stop - i)), std::string(path.substr(0, stop))});
      i = stop;
    }
    if (i < path.size()) {
      if (path[i] == ']') path_error(path, "a ']' without its '['");
      if (path[i] == '.') {
        ++i;
        if (i == path.size() || path[i] == '.' || path[i] == '[') {
          path_error(path, "a field name is empty");
        }
      }
    }
  }
  return steps;
}

/// What a list item is called by: its `id`, or its `name` when it has no id.
std::optional<std::string> item_label(NodeRef item) {
  for (const char* field : {"id", "name"}) {
    const std::optional<NodeRef> v = item.find(field);
    if (v && v->is_scalar()) return std::string(v->scalar());
  }
  return std::nullopt;
}

std::optional<std::size_t> as_index(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoul(text));
}

class Applier {
 public:
  Applier(Document& doc, std::string_view path, const std::vector<Step>& steps,
          Document::Index value)
      : doc_(doc), path_(path), steps_(steps), value_(value) {}

  /// `node` (at step `k` of the path) with the value put where the rest of the path says: a new
  /// node, whose children are the old ones but on the path.
  [[nodiscard]] Document::Index apply(NodeRef node, std::size_t k) const {
    if (k == steps_.size()) return value_;
    if (node.is_map()) return in_map(node, k);
    if (node.is_sequence()) return in_list(node, k);
    path_error(path_, where(k) + " is " + (node.is_null() ? "empty" : "a single value") +
                          ", not a mapping or a list: " + quoted(steps_[k].text) +
                          " names nothing");
  }

 private:
  [[nodiscard]] std::string where(std::size_t k) const {
    return k == 0 ? std::string("the top level") : steps_[k - 1].shown;
  }

  [[nodiscard]] Document::Index in_map(NodeRef node, std::size_t k) const {
    const std::string& key = steps_[k].text;
    std::vector<Document::Index> entries;
    entries.reserve(2 * static_cast<std::size_t>(node.size()) + 2);
    bool found = false;
    std::vector<std::string> fields;
    for (std::uint32_t e = 0; e < node.size(); ++e) {
      const NodeRef key_node = node.key(e);
      const bool match = !found && key_node.is_scalar() && key_node.scalar() == key;
      if (key_node.is_scalar()) fields.emplace_back(key_node.scalar());
      entries.push_back(key_node.index());
      if (match) {
        found = true;
        entries.push_back(apply(node.value(e), k + 1));
      } else {
        entries.push_back(node.value(e).index());
      }
    }
    if (found) return doc_.add_map(entries, node.mark());
    // A field the file leaves out (its default) may be set; the schema then says whether it is
    // one.
    if (k + 1 == steps_.size()) {
      entries.push_back(doc_.add_scalar(key, false));
      entries.push_back(value_);
      return doc_.add_map(entries, node.mark());
    }
    path_error(path_, where(k) + " has no field " + quoted(key) +
                          " (its fields: " + names_list(fields) + ")");
  }

  [[nodiscard]] Document::Index in_list(NodeRef node, std::size_t k) const {
    const Step& step = steps_[k];
    std::vector<std::string> labels;
    for (std::uint32_t i = 0; i < node.size(); ++i) {
      if (auto label = item_label(node.item(i))) labels.push_back(*label);
    }
    const std::string items =
        labels.empty() ? std::string() : " (its items: " + names_list(labels) + ")";
    if (!step.bracketed) {
      path_error(path_, where(k) + " is a list: pick an item with [index] or [id] before " +
                            quoted(step.text) + items);
    }
    std::optional<std::size_t> chosen = as_index(step.text);
    if (chosen && *chosen >= node.size()) {
      path_error(path_, where(k) + " has " + std::to_string(node.size()) + " items, no [" +
                            step.text + "]" + items);
    }
    if (!chosen) {
      for (std::uint32_t i = 0; i < node.size(); ++i) {
        if (item_label(node.item(i)) == step.text) {
          chosen = i;
          break;
        }
      }
    }
    if (!chosen) {
      path_error(path_, where(k) + " has no item with id or name " + quoted(step.text) +
                            (labels.empty() ? " (its items have neither)" : items));
    }
    std::vector<Document::Index> items_out;
    items_out.reserve(node.size());
    for (std::uint32_t i = 0; i < node.size(); ++i) {
      items_out.push_back(i == *chosen ? apply(node.item(i), k + 1) : node.item(i).index());
    }
    return doc_.add_sequence(items_out, node.mark());
  }

  Document& doc_;
  std::string_view path_;
  const std::vector<Step>& steps_;
  Document::Index value_;
};

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

bool is_json_number(std::string_view s) {
  static const std::regex number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?)");
  return s.size() <= 40 && std::regex_match(s.begin(), s.end(), number);
}

void append_json(std::string& out, NodeRef node) {
  switch (node.kind()) {
    case NodeRef::Kind::Map: {
      out += '{';
      for (std::uint32_t e = 0; e < node.size(); ++e) {
        if (e > 0) out += ',';
        const NodeRef key = node.key(e);
        append_json_string(out, key.is_scalar() ? std::string(key.scalar()) : document_json(key));
        out += ':';
        append_json(out, node.value(e));
      }
      out += '}';
      return;
    }
    case NodeRef::Kind::Sequence: {
      out += '[';
      for (std::uint32_t i = 0; i < node.size(); ++i) {
        if (i > 0) out += ',';
        append_json(out, node.item(i));
      }
      out += ']';
      return;
    }
    case NodeRef::Kind::Scalar: {
      const std::string_view s = node.scalar();
      // Only a plain scalar is typed by its text; a quoted one is text as written.
      if (node.plain()) {
        if (s == "true" || s == "True" || s == "TRUE") {
          out += "true";
          return;
        }
        if (s == "false" || s == "False" || s == "FALSE") {
          out += "false";
          return;
        }
        if (is_json_number(s)) {
          out += s;
          return;
        }
      }
      append_json_string(out, s);
      return;
    }
    case NodeRef::Kind::Null:
      out += "null";
      return;
  }
}

}  // namespace

Override parse_override(std::string_view text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++depth;
    if (text[i] == ']' && depth > 0) --depth;
    if (text[i] == '=' && depth == 0) {
      if (i == 0) {
        throw std::invalid_argument("override " + quoted(escape_for_message(text)) +
                                    ": the path before '=' is empty");
      }
      return Override{std::string(text.substr(0, i)), std::string(text.substr(i + 1))};
    }
  }
  // An unclosed '[' hides every '=': the path's own check then says what is wrong with it.
  if (const std::size_t eq = text.find('='); eq != std::string_view::npos && eq > 0) {
    return Override{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  }
  throw std::invalid_argument(
      "override " + quoted(escape_for_message(text)) +
      ": expected PATH=VALUE, e.g. workloads[wl-1].runtime.containerGroups[0]"
      ".replicaCount=3");
}

void apply_overrides(Document& doc, const std::vector<Override>& overrides, const Limits& limits) {
  if (overrides.size() > kMaxOverrides) {
    throw TextError{std::to_string(overrides.size()) + " overrides are over the limit of " +
                        std::to_string(kMaxOverrides) + " in one load",
                    {}};
  }
  std::int64_t value_bytes = 0;
  for (const Override& o : overrides) {
    try {
      const std::vector<Step> steps = parse_path(o.path);
      value_bytes += static_cast<std::int64_t>(o.value.size());
      if (value_bytes > limits.max_file_bytes) {
        path_error(o.path, "the overrides' values are over the limit of " +
                               std::to_string(limits.max_file_bytes) +
                               " bytes of scenario text together (raise it with --max-file-size)");
      }
      // The value goes below `steps` levels of the document: its own nesting has what is left.
      Limits within = limits;
      within.max_depth = std::max(1, limits.max_depth - static_cast<int>(steps.size()));
      Document::Index value = 0;
      try {
        value = add_yaml_cpp(doc, parse_document(o.value, within));
      } catch (const TextError& e) {
        path_error(o.path, "value: " + e.message);
      }
      doc.set_root(Applier(doc, o.path, steps, value).apply(doc.root(), 0));
    } catch (const std::invalid_argument& e) {
      throw TextError{e.what(), {}};
    }
  }
}

std::string document_json(NodeRef root) {
  std::string out;
  append_json(out, root);
  return out;
}

}  // namespace wlsim::scenarios

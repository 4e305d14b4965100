#include "document_text.hpp"

#include <libfyaml.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fast_read_bounds.hpp"
#include "scenario_text.hpp"
#include "yaml_cpp_document.hpp"
#include "yaml_scanner.hpp"

namespace wlsim::scenarios {

namespace {

using Index = Document::Index;

bool is_null_text(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// ---- YAML through libfyaml's events ----

struct ParserFree {
  void operator()(fy_parser* p) const noexcept { fy_parser_destroy(p); }
};
struct DiagFree {
  void operator()(fy_diag* d) const noexcept { fy_diag_destroy(d); }
};

// libfyaml writes its errors to stderr unless given somewhere else: its words are never shown
// (yaml-cpp's are), so they go nowhere.
void discard_diagnostic(fy_diag* /*diag*/, void* /*user*/, const char* /*buf*/,
                        std::size_t /*len*/) {}

std::string_view token_text(fy_token* t) {
  std::size_t len = 0;
  const char* s = fy_token_get_text(t, &len);
  return s == nullptr ? std::string_view{} : std::string_view(s, len);
}

TextMark mark_of(fy_event* e) {
  const fy_mark* m = fy_event_start_mark(e);
  return m == nullptr ? TextMark{} : TextMark{m->line, m->column};
}

// yaml-cpp marks a node where its properties (anchor, tag) begin, libfyaml where its value does.
TextMark node_mark(fy_event* e, fy_token* anchor, fy_token* tag) {
  // libfyaml marks an anchor after its '&'.
  const fy_mark* a = anchor == nullptr ? nullptr : fy_token_start_mark(anchor);
  const fy_mark* t = tag == nullptr ? nullptr : fy_token_start_mark(tag);
  if (a != nullptr && a->column > 0 && (t == nullptr || a->input_pos <= t->input_pos)) {
    return TextMark{a->line, a->column - 1};
  }
  if (t != nullptr) return TextMark{t->line, t->column};
  return mark_of(e);
}

// Builds the Document from the events of one document, keeping parse_document's bounds. Every
// method returns false when the text must go to yaml-cpp instead.
class YamlBuilder {
 public:
  YamlBuilder(std::string_view text, const Limits& limits) : text_(text), bound_(limits) {
    levels_.resize(8);
  }

  bool on(fy_event* e) {
    switch (e->type) {
      case FYET_NONE:
      case FYET_STREAM_START:
      case FYET_STREAM_END:
      case FYET_DOCUMENT_END:
        return true;
      case FYET_DOCUMENT_START: {
        // One document; a %YAML or %TAG directive may make the readers differ, so yaml-cpp reads
        // it.
        fy_document_state* ds = e->document_start.document_state;
        return ++documents_ == 1 && (ds == nullptr || (!fy_document_state_version_explicit(ds) &&
                                                       !fy_document_state_tags_explicit(ds)));
      }
      case FYET_MAPPING_START:
        return open(e, true, e->mapping_start.anchor, e->mapping_start.tag);
      case FYET_SEQUENCE_START:
        return open(e, false, e->sequence_start.anchor, e->sequence_start.tag);
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END:
        return close();
      case FYET_SCALAR:
        return scalar(e);
      case FYET_ALIAS:
        return alias(e);
    }
    return false;
  }

  Document take() {
    doc_.set_root(root_);
    return std::move(doc_);
  }

 private:
  struct Open {
    bool map;
    bool flow;
    TextMark mark;
    std::string_view anchor;
    std::int64_t values_before;
    int child_height;
  };
  struct Anchor {
    Index node;
    std::int64_t values;
    int height;
    bool open;
  };

  bool count(std::int64_t values) {
    values_ += values;
    return values_ <= bound_.max_values;
  }

  // A finished node (a leaf, an alias or a closed collection) given to its parent.
  bool place(Index node, std::int64_t values, int height, std::string_view anchor) {
    if (static_cast<std::size_t>(height) + open_.size() >
        static_cast<std::size_t>(bound_.max_depth))
      return false;
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchor{node, values, height, false};
    if (open_.empty()) {
      if (placed_root_) return false;
      placed_root_ = true;
      root_ = node;
      return true;
    }
    Open& parent = open_.back();
    parent.child_height = std::max(parent.child_height, height);
    levels_[open_.size() - 1].push_back(node);
    return true;
  }

  bool open(fy_event* e, bool map, fy_token* anchor_token, fy_token* tag_token) {
    if (!count(1)) return false;
    // A list or a mapping as a key: libfyaml takes some in flow collections that yaml-cpp refuses.
    if (!open_.empty() && open_.back().map && levels_[open_.size() - 1].size() % 2 == 0) {
      return false;
    }
    // A tag: libfyaml takes some that yaml-cpp refuses (`!!!-`, `!!str` on a line over a
    // mapping), and scenario files have no use for them; yaml-cpp reads every one.
    if (tag_token != nullptr || !plain_property(anchor_token)) return false;
    // An anchor on a line before the root collection: the same.
    const fy_mark* start = fy_event_start_mark(e);
    if (below_its_list(start) || off_its_key_line(start)) return false;
    const fy_mark* at =
        anchor_token != nullptr && open_.empty() ? fy_token_start_mark(anchor_token) : nullptr;
    if (at != nullptr && (start == nullptr || at->line != start->line)) return false;
    const std::string_view anchor = anchor_token ? token_text(anchor_token) : std::string_view{};
    open_.push_back(Open{map, fy_event_get_node_style(e) == FYNS_FLOW,
                         node_mark(e, anchor_token, tag_token), anchor, values_ - 1, 0});
    if (open_.size() > static_cast<std::size_t>(bound_.max_depth)) return false;
    if (levels_.size() < open_.size()) levels_.resize(2 * open_.size());
    levels_[open_.size() - 1].clear();
    // An alias to a collection that is still open would hold itself: parse_document refuses it.
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchor{0, 0, 0, true};
    return true;
  }

  bool close() {
    if (open_.empty()) return false;
    const Open o = open_.back();
    std::vector<Index>& children = levels_[open_.size() - 1];
    Index node = 0;
    if (o.map) {
      if (children.size() % 2 != 0) return false;
      node = doc_.add_map(children, o.mark);
    } else {
      node = doc_.add_sequence(children, o.mark);
    }
    open_.pop_back();
    return place(node, values_ - o.values_before, o.child_height + 1, o.anchor);
  }

  bool scalar(fy_event* e) {
    if (!count(1)) return false;
    const fy_event_scalar_data& s = e->scalar;
    if (s.tag != nullptr || !plain_property(s.anchor)) return false;  // as for a collection
    const fy_scalar_style style = fy_token_scalar_style(s.value);
    // A single-quoted scalar holding a '' escape: libfyaml 0.7.12 reads a run of them wrongly
    // ('x''''y' as x''' instead of x''y) and never frees the text it formats for a long run, so
    // yaml-cpp reads every such scalar. Checked on the raw text, before libfyaml formats it.
    if (style == FYSS_SINGLE_QUOTED && holds_quote_escape(s.value)) return false;
    if (below_its_list(fy_token_start_mark(s.value)) ||
        off_its_key_line(fy_token_start_mark(s.value))) {
      return false;
    }
    const std::string_view anchor = s.anchor ? token_text(s.anchor) : std::string_view{};
    const std::string_view text = token_text(s.value);
    if (text.data() == nullptr && fy_token_get_text_length(s.value) != 0) return false;
    const bool plain = s.tag == nullptr && style == FYSS_PLAIN;
    // libfyaml gives a block scalar with no content at the end of the text a NUL character,
    // yaml-cpp nothing; one of nothing but blanks is left to yaml-cpp.
    constexpr std::string_view kBlank(" \t\r\n\0", 5);
    if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && !text.empty() &&
        text.find_first_not_of(kBlank) == std::string_view::npos) {
      return false;
    }
    // A block scalar in text without a final line break: libfyaml gives its last line one,
    // yaml-cpp not.
    if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && !text_.ends_with('\n')) return false;
    // A plain scalar holding an indicator: yaml-cpp ends a plain scalar in a flow collection at a
    // '?' and refuses some others where libfyaml reads on; all are left to it.
    if (style == FYSS_PLAIN && text.find_first_of("?`@\"'!&*|>%") != std::string_view::npos) {
      return false;
    }
    // An anchor or a tag on another line than its scalar: libfyaml takes some that yaml-cpp
    // refuses.
    for (fy_token* property : {s.anchor, s.tag}) {
      const fy_mark* at = property == nullptr ? nullptr : fy_token_start_mark(property);
      const fy_mark* value = fy_token_start_mark(s.value);
      if (at != nullptr && (value == nullptr || at->line != value->line)) return false;
    }
    // A key, or a plain or quoted scalar, written over several lines: libfyaml takes some in flow
    // collections that yaml-cpp refuses, and folds some otherwise (a quoted one over many blank
    // lines).
    const bool key =
        !open_.empty() && open_.back().map && levels_[open_.size() - 1].size() % 2 == 0;
    if (key || style == FYSS_PLAIN || style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) {
      const fy_mark* start = fy_token_start_mark(s.value);
      const fy_mark* end = fy_token_end_mark(s.value);
      if (start == nullptr || end == nullptr || start->line != end->line) return false;
      // A key near YAML's bound of 1024 characters: libfyaml takes some yaml-cpp refuses.
      if (key && end->input_pos - start->input_pos > kMaxKeySource) return false;
    }
    // A value on a line after its key, no deeper than the mapping: libfyaml reads it as the value,
    // yaml-cpp as the next key.
    // (libfyaml marks a quoted scalar after its quote.)
    const bool quoted = style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED;
    if (!key && !open_.empty() && open_.back().map && (!text.empty() || quoted)) {
      const NodeRef key_node(&doc_, levels_[open_.size() - 1].back());
      const fy_mark* value = fy_token_start_mark(s.value);
      if (value == nullptr || (value->line != key_node.mark().line &&
                               value->column - (quoted ? 1 : 0) <= open_.back().mark.column)) {
        return false;
      }
    }
    TextMark mark = node_mark(e, s.anchor, s.tag);
    // libfyaml marks a quoted scalar after its opening quote, yaml-cpp at the quote.
    if (s.tag == nullptr && s.anchor == nullptr &&
        (style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && mark.column > 0) {
      --mark.column;
    }
    const Index node =
        plain && is_null_text(text) ? doc_.add_null(mark) : doc_.add_scalar(text, plain, mark);
    return place(node, 1, 0, anchor);
  }

  // A node of a list on a later line than the list's start, no deeper than it: libfyaml takes
  // some as the item of a `-` alone on its line (`-` then `x` at column 0), yaml-cpp refuses them.
  bool below_its_list(const fy_mark* at) const {
    if (open_.empty() || open_.back().map) return false;
    const TextMark list = open_.back().mark;
    return at == nullptr || (at->line != list.line && at->column <= list.column);
  }

  // A value of a flow mapping on a later line than its key (`{k` then `: v`): libfyaml takes
  // some that yaml-cpp refuses.
  bool off_its_key_line(const fy_mark* at) const {
    if (open_.empty() || !open_.back().map || !open_.back().flow) return false;
    const std::vector<Index>& entries = levels_[open_.size() - 1];
    if (entries.size() % 2 == 0) return false;  // a key, not a value
    return at == nullptr || at->line != NodeRef(&doc_, entries.back()).mark().line;
  }

  // An anchor's or an alias's name of letters, digits, '-', '_' and '.', followed by a blank, a
  // line break, ',', ']' or '}': libfyaml takes other names and other ends (`&\n"oP{`) that
  // yaml-cpp refuses.
  bool plain_property(fy_token* property) const {
    if (property == nullptr) return true;
    const std::string_view name = token_text(property);
    if (name.empty() ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-_.") != std::string_view::npos) {
      return false;
    }
    const fy_mark* end = fy_token_end_mark(property);
    if (end == nullptr || end->input_pos > text_.size()) return false;
    return end->input_pos == text_.size() ||
           std::string_view(" \n,]}").find(text_[end->input_pos]) != std::string_view::npos;
  }

  // Whether the source of a quoted scalar (between its marks) holds two quotes in a row.
  bool holds_quote_escape(fy_token* value) const {
    const fy_mark* start = fy_token_start_mark(value);
    const fy_mark* end = fy_token_end_mark(value);
    if (start == nullptr || end == nullptr || start->input_pos > end->input_pos ||
        end->input_pos > text_.size()) {
      return true;
    }
    return text_.substr(start->input_pos, end->input_pos - start->input_pos).find("''") !=
           std::string_view::npos;
  }

  bool alias(fy_event* e) {
    if (below_its_list(fy_event_start_mark(e)) || off_its_key_line(fy_event_start_mark(e)) ||
        !plain_property(e->alias.anchor)) {
      return false;
    }
    const auto it = anchors_.find(std::string(token_text(e->alias.anchor)));
    if (it == anchors_.end() || it->second.open) return false;
    const Anchor a = it->second;
    if (!count(a.values)) return false;
    return place(a.node, a.values, a.height, {});
  }

  std::string_view text_;
  FastBound bound_;
  Document doc_;
  std::vector<Open> open_;
  std::vector<std::vector<Index>> levels_;  // levels_[d]: the children of open_[d] so far
  std::unordered_map<std::string, Anchor> anchors_;
  std::int64_t values_ = 0;
  int documents_ = 0;
  bool placed_root_ = false;
  Index root_ = 0;
};

// Whether a quote may stay open across a line break: a quoted scalar over several lines, or an
// apostrophe in a plain scalar (counted too, to keep this simple). libfyaml 0.7.12 crashes
// (reads far outside the text) while wording its error on some malformed ones, so such text is
// left to yaml-cpp; its multi-line quoted scalars are left to yaml-cpp anyway (scalar()).
bool quote_over_lines(std::string_view text) {
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote == 0) {
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n')) {
        i = std::min(text.find('\n', i), text.size());  // a comment, to the end of its line
      }
    } else if (c == '\n') {
      return true;
    } else if (quote == '"' && c == '\\') {
      ++i;
    } else if (c == quote) {
      quote = 0;
    }
  }
  return quote != 0;
}

}  // namespace

std::optional<Document> read_yaml_fast(std::string_view text, const Limits& limits) {
  // Tabs: libfyaml takes one after a '-' and in other places yaml-cpp refuses; a ':' right
  // before a '{' or a '[' is a value indicator to libfyaml, not to yaml-cpp.
  // A document end marker (`...`) at the start of a line: libfyaml sees no document before one
  // that ends an empty stream, yaml-cpp a second document after it.
  if (needs_yaml_cpp(text) || text.find('\t') != std::string_view::npos ||
      text.find(":{") != std::string_view::npos || text.find(":[") != std::string_view::npos ||
      text.starts_with("...") || text.find("\n...") != std::string_view::npos ||
      quote_over_lines(text)) {
    return std::nullopt;
  }
  fy_diag_cfg diag_cfg{};
  fy_diag_cfg_default(&diag_cfg);
  diag_cfg.fp = nullptr;
  diag_cfg.output_fn = discard_diagnostic;
  diag_cfg.level = FYET_ERROR;
  const std::unique_ptr<fy_diag, DiagFree> diag(fy_diag_create(&diag_cfg));
  if (!diag) return std::nullopt;
  fy_parse_cfg cfg{};
  cfg.diag = diag.get();
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS |
                                              FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_JSON_NONE);
  const std::unique_ptr<fy_parser, ParserFree> parser(fy_parser_create(&cfg));
  if (!parser) return std::nullopt;
  if (fy_parser_set_string(parser.get(), text.empty() ? "" : text.data(), text.size()) != 0) {
    return std::nullopt;
  }
  YamlBuilder builder(text, limits);
  bool ok = true;
  while (fy_event* e = fy_parser_parse(parser.get())) {
    ok = builder.on(e);
    fy_parser_event_free(parser.get(), e);
    if (!ok) return std::nullopt;
  }
  if (fy_parser_get_stream_error(parser.get())) return std::nullopt;
  return builder.take();
}

Document read_document(std::string_view text, const Limits& limits) {
  check_text(text, limits);
  if (auto doc = read_json_fast(text, limits)) return std::move(*doc);
  if (auto doc = read_yaml_scanned(text, limits)) return std::move(*doc);
  if (auto doc = read_yaml_fast(text, limits)) return std::move(*doc);
  return to_document(parse_checked_document(text, limits));
}

}  // namespace wlsim::scenarios

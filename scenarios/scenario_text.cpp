#include "scenario_text.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wlsim::scenarios {

namespace {

/// One code point decoded strictly (no overlong forms, no surrogates, nothing above U+10FFFF).
struct CodePoint {
  char32_t value;
  std::size_t length;
};

std::optional<CodePoint> decode(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return CodePoint{b0, 1};
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return CodePoint{cp, len};
}

std::string hex_byte(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(b));
  return buf;
}

bool is_control(char32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F); }

std::string position(std::int64_t line, std::int64_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string depth_problem(int max_depth) {
  return "nesting is deeper than the limit of " + std::to_string(max_depth) +
         " levels (raise it with --max-depth)";
}

// YAML allows tab, line feed, carriage return and NEL among the controls; everything else must be
// printable UTF-8. Columns count characters, as editors do.
void check_encoding(std::string_view text) {
  std::int64_t line = 1;
  std::int64_t column = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto cp = decode(text, i);
    if (!cp) {
      throw TextError{position(line, column) + ": byte " +
                          hex_byte(static_cast<unsigned char>(text[i])) +
                          " is not UTF-8 (scenario text must be UTF-8)",
                      {}};
    }
    const char32_t c = cp->value;
    if (is_control(c) && c != '\t' && c != '\n' && c != '\r' && c != 0x85) {
      throw TextError{
          position(line, column) + ": control character " +
              escape_for_message(text.substr(i, cp->length)) +
              " is not allowed in scenario text (write it as an escape in a double-quoted string)",
          {}};
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += cp->length;
  }
}

// check_encoding's question at memory speed, for the common text that passes: eight bytes at a time
// while they are printable ASCII, decoding only where they are not. Text it doubts goes to
// check_encoding, which finds the position and words the message.
bool encoding_clean(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w = 0;
      std::memcpy(&w, bytes + i, 8);
      const bool below_space = ((w - 0x20 * kOnes) & ~w & kHigh) != 0;
      if ((w & kHigh) == 0 && !below_space && !has_zero(w ^ (0x7F * kOnes))) {
        i += 8;
        continue;
      }
    }
    const unsigned char b = bytes[i];
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) return false;
      ++i;
      continue;
    }
    const auto cp = decode(text, i);
    if (!cp || (is_control(cp->value) && cp->value != 0x85)) return false;
    i += cp->length;
  }
  return true;
}

// A cheap pass over the text, before the YAML parser recurses into it: flow brackets and the
// sequences that "- - -" opens on one line nest without any indentation, so a short file can nest
// a million deep. It counts only what certainly nests (a bracket or a dash where a value begins),
// so it never refuses a file the exact check after parsing would accept.
void prescan_depth(std::string_view text, int max_depth) {
  int flow = 0;
  int dashes = 0;
  char quote = 0;
  int block_scalar_indent = -1;  // lines indented deeper than this belong to a `|` or `>` scalar
  std::int64_t line_no = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    ++line_no;
    start = end + 1;
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const bool blank = indent == line.size() || line[indent] == '\r';
    if (block_scalar_indent >= 0) {
      if (blank || static_cast<int>(indent) > block_scalar_indent) continue;
      block_scalar_indent = -1;
    }
    const bool continuing = quote != 0 || flow > 0;
    bool value_starts = !continuing || (flow > 0 && quote == 0);
    if (!continuing) dashes = 0;
    for (std::size_t i = continuing ? 0 : indent; i < line.size(); ++i) {
      const char c = line[i];
      const char next = i + 1 < line.size() ? line[i + 1] : ' ';
      if (quote == '\'') {
        if (c == '\'') {
          if (next == '\'')
            ++i;
          else
            quote = 0;
        }
        continue;
      }
      if (quote == '"') {
        if (c == '\\')
          ++i;
        else if (c == '"')
          quote = 0;
        continue;
      }
      const bool space = c == ' ' || c == '\t' || c == '\r';
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;  // a comment
      if (value_starts) {
        if (space) continue;
        if (c == '[' || c == '{') {
          if (++flow + dashes > max_depth) {
            throw TextError{position(line_no, static_cast<std::int64_t>(i) + 1) + ": " +
                                depth_problem(max_depth),
                            {}};
          }
          continue;
        }
        if (flow == 0 && c == '-' && (next == ' ' || next == '\t' || next == '\r')) {
          if (flow + ++dashes > max_depth) {
            throw TextError{position(line_no, static_cast<std::int64_t>(i) + 1) + ": " +
                                depth_problem(max_depth),
                            {}};
          }
          ++i;
          continue;
        }
        if (c == '&' || c == '!') {  // an anchor or a tag comes before the value it names
          while (i + 1 < line.size() && line[i + 1] != ' ' && line[i + 1] != '\t' &&
                 (flow == 0 || (line[i + 1] != ',' && line[i + 1] != '[' && line[i + 1] != '{'))) {
            ++i;
          }
          continue;
        }
        if (flow == 0 && (c == '|' || c == '>')) {
          block_scalar_indent = static_cast<int>(indent);
          break;
        }
        value_starts = false;
        if (c == '\'' || c == '"') {
          quote = c;
          continue;
        }
      }
      if (flow > 0) {
        if (c == ']' || c == '}') {
          --flow;
        } else if (c == ',' || c == ':') {
          value_starts = true;
        }
      } else if (c == ':' && (next == ' ' || next == '\t' || next == '\r')) {
        value_starts = true;
      }
    }
    if (end == text.size()) break;
  }
}

// The first document's events, counted before any tree is built: exact nesting depth and the number
// of values, both counted through aliases (an alias repeats its anchor's whole content for the
// readers), so neither deep nor aliased text can multiply the work of building and reading it.
// Also remembers where a second document begins.
class Bounds : public YAML::EventHandler {
 public:
  Bounds(std::int64_t max_file_bytes, int max_depth)
      : max_values_(max_file_bytes / kBytesPerValue), max_depth_(max_depth) {}

  std::optional<YAML::Mark> document_start;

  void OnDocumentStart(const YAML::Mark& mark) override { document_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    leaf(mark, anchor, {1, 0});
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor, {1, 0});
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw TextError{position(mark) + ": an alias refers to the list or mapping that holds it",
                      {}};
    }
    leaf(mark, 0, it->second);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Extent {
    std::int64_t values;
    int height;  // levels of lists and mappings, this one included
  };
  struct Open {
    YAML::anchor_t anchor;
    std::int64_t values_before;
    int child_height;
  };

  static std::string position(const YAML::Mark& m) {
    return "line " + std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1);
  }
  void count(const YAML::Mark& mark, std::int64_t values) {
    values_ += values;
    if (values_ > max_values_) {
      throw TextError{position(mark) + ": the text holds more than " + std::to_string(max_values_) +
                          " values (lists, mappings and scalars, counting what aliases repeat), "
                          "over the limit of one per " +
                          std::to_string(kBytesPerValue) +
                          " bytes of the size limit (raise it with --max-file-size)",
                      {}};
    }
  }
  void check_depth(const YAML::Mark& mark, std::size_t depth) const {
    if (depth > static_cast<std::size_t>(max_depth_)) {
      throw TextError{position(mark) + ": " + depth_problem(max_depth_), {}};
    }
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, Extent e) {
    count(mark, e.values);
    check_depth(mark, open_.size() + static_cast<std::size_t>(e.height));
    if (anchor != 0) anchors_[anchor] = e;
    if (!open_.empty()) open_.back().child_height = std::max(open_.back().child_height, e.height);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(mark, 1);
    open_.push_back({anchor, values_ - 1, 0});
    check_depth(mark, open_.size());
  }
  void close() {
    const Open o = open_.back();
    open_.pop_back();
    const Extent e{values_ - o.values_before, o.child_height + 1};
    if (o.anchor != 0) anchors_[o.anchor] = e;
    if (!open_.empty()) open_.back().child_height = std::max(open_.back().child_height, e.height);
  }

  std::int64_t max_values_;
  int max_depth_;
  std::int64_t values_ = 0;
  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, Extent> anchors_;
};

}  // namespace

void check_text(std::string_view text, const Limits& limits) {
  if (static_cast<std::int64_t>(text.size()) > limits.max_file_bytes) {
    throw TextError{"the text is " + std::to_string(text.size()) + " bytes, over the limit of " +
                        std::to_string(limits.max_file_bytes) +
                        " bytes of scenario text (raise it with --max-file-size)",
                    {}};
  }
  if (!encoding_clean(text)) check_encoding(text);
  prescan_depth(text, limits.max_depth);
}

YAML::Node parse_document(std::string_view text, const Limits& limits) {
  check_text(text, limits);
  return parse_checked_document(text, limits);
}

YAML::Node parse_checked_document(std::string_view text, const Limits& limits) {
  const std::string owned(text);
  YAML::Node root;
  std::optional<YAML::Mark> second;
  try {
    // The events first, bounded; the tree only for text that passed. YAML::LoadAll loops for ever
    // on some malformed text (an endless run of empty documents), so a second document is looked
    // for by hand: one more is enough to refuse.
    std::istringstream stream(owned);
    YAML::Parser parser(stream);
    Bounds bounds(limits.max_file_bytes, limits.max_depth);
    if (parser.HandleNextDocument(bounds)) {
      bounds.document_start.reset();
      if (parser.HandleNextDocument(bounds)) second = bounds.document_start;
    }
    if (!second) root = YAML::Load(owned);
  } catch (const YAML::DeepRecursion& e) {
    throw TextError{
        position(e.mark.line + 1, e.mark.column + 1) + ": " + depth_problem(limits.max_depth), {}};
  } catch (const YAML::Exception& e) {
    throw TextError{
        "malformed YAML/JSON at " + position(e.mark.line + 1, e.mark.column + 1) + ": " + e.msg,
        e.msg};
  }
  if (second) {
    const auto offset = static_cast<std::size_t>(std::max(second->pos, 0));
    const std::string where = position(second->line + 1, second->column + 1);
    if (text.substr(offset).starts_with("---")) {
      throw TextError{
          where +
              ": a second YAML document (after '---') is not allowed: a scenario is one document",
          {}};
    }
    throw TextError{
        "malformed YAML/JSON at " + where + ": unexpected text after the end of the document",
        "unexpected text after the end of the document"};
  }
  return root;
}

std::string escape_for_message(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto cp = decode(text, i);
    if (!cp) {
      out += hex_byte(static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    const char32_t c = cp->value;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += hex_byte(static_cast<unsigned char>(c));
    } else if ((c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
      char buf[16];  // 7 are used; GCC cannot always see that c <= 0x2029 (-Wformat-truncation)
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += text.substr(i, cp->length);
    }
    i += cp->length;
  }
  return out;
}

std::optional<std::string> unprintable(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto cp = decode(text, i);
    if (!cp) return "a byte that is not UTF-8";
    if (is_control(cp->value) || cp->value == 0x2028 || cp->value == 0x2029)
      return "a control character";
    i += cp->length;
  }
  return std::nullopt;
}

}  // namespace wlsim::scenarios

#include "yaml_scanner.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fast_read_bounds.hpp"

namespace wlsim::scenarios {

namespace {

using Index = Document::Index;

// Thrown anywhere below when the text leaves the subset; read_yaml_scanned turns it into nothing.
// A refusal ends the reading, so its cost does not matter and the readers' code stays straight.
struct Refuse {};

[[noreturn]] void refuse() { throw Refuse{}; }

enum CharClass : std::uint8_t {
  kOrdinary = 0,
  kSpace,     // ' '
  kBreak,     // '\n'
  kColon,     // ':'
  kComma,     // ',' (ends a plain scalar in a flow collection)
  kClose,     // ']' '}' (the same)
  kOpen,      // '[' '{' (inside a plain scalar in a flow collection: refused)
  kHash,      // '#'
  kRefused,   // characters yaml-cpp and YAML 1.2 may read otherwise in a plain scalar
  kNonAscii,  // a byte of a UTF-8 sequence: columns after it are no longer byte columns
};

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> c{};
  for (int i = 0; i < 256; ++i) c[static_cast<std::size_t>(i)] = i >= 0x80 ? kNonAscii : kOrdinary;
  for (int i = 0; i < 0x20; ++i) c[static_cast<std::size_t>(i)] = kRefused;
  c[0x7F] = kRefused;
  c[' '] = kSpace;
  c['\n'] = kBreak;
  c[':'] = kColon;
  c[','] = kComma;
  c[']'] = kClose;
  c['}'] = kClose;
  c['['] = kOpen;
  c['{'] = kOpen;
  c['#'] = kHash;
  for (const char r : std::string_view("?`@\"'!&*|>%\\"))
    c[static_cast<unsigned char>(r)] = kRefused;
  return c;
}

constexpr std::array<std::uint8_t, 256> kClass = make_classes();

bool is_null_text(std::string_view s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A scalar read but not yet added: a key and a value are told apart only by what follows them.
struct Scalar {
  std::string_view text;  // in the source, or in the scanner's scratch buffer until added
  bool plain;
  TextMark mark;
  std::size_t source = 0;  // bytes of text it was written in, quotes and escapes included
};

class Scanner {
 public:
  Scanner(std::string_view text, const Limits& limits) : t_(text), n_(text.size()), bound_(limits) {
    levels_.resize(static_cast<std::size_t>(bound_.max_depth) + 2);
  }

  Document read() {
    next_content_line(false, -1);
    if (indent_ < 0) refuse();  // empty text or only comments: left to the others
    // A leading `---` with nothing after it on its line.
    if (indent_ == 0 && t_.substr(p_).starts_with("---") &&
        (p_ + 3 == n_ || t_[p_ + 3] == ' ' || t_[p_ + 3] == '\n')) {
      p_ += 3;
      end_line();
      next_content_line(false, -1);
      if (indent_ < 0) refuse();
    }
    const Index root = block_node(indent_, -1);
    if (indent_ >= 0) refuse();  // anything left over
    doc_.set_root(root);
    return std::move(doc_);
  }

 private:
  // ---- lines ----

  [[nodiscard]] char at(std::size_t i) const { return i < n_ ? t_[i] : '\n'; }
  [[nodiscard]] int column() const { return static_cast<int>(p_ - line_start_); }

  TextMark mark() const {
    // Columns count bytes here, characters in yaml-cpp: after a multi-byte character they differ.
    if (non_ascii_) refuse();
    return TextMark{line_, column()};
  }

  void new_line(std::size_t start) {
    ++line_;
    line_start_ = start;
    non_ascii_ = false;
  }

  void skip_spaces() {
    while (p_ < n_ && t_[p_] == ' ') ++p_;
  }

  // The rest of the line holds nothing but spaces and a comment; moves to the next line.
  void end_line() {
    skip_spaces();
    if (p_ >= n_) return;
    if (t_[p_] == '#') {
      if (t_[p_ - 1] != ' ') refuse();
      while (p_ < n_ && t_[p_] != '\n') ++p_;
      if (p_ >= n_) return;
    }
    if (t_[p_] != '\n') refuse();
    ++p_;
    new_line(p_);
  }

  // From the start of a line, skips blank and comment lines; leaves p_ at the first character of
  // the next line with content and indent_ at its column, or indent_ at -1 at the end. After a
  // plain scalar, a comment deeper than `parent` might continue it for yaml-cpp: refused.
  void next_content_line(bool after_plain, int parent) {
    while (true) {
      if (p_ >= n_) {
        indent_ = -1;
        return;
      }
      std::size_t q = p_;
      while (q < n_ && t_[q] == ' ') ++q;
      if (q >= n_) {
        p_ = n_;
        indent_ = -1;
        return;
      }
      const char c = t_[q];
      const int ind = static_cast<int>(q - p_);
      if (c == '\n') {
        p_ = q + 1;
        new_line(p_);
        continue;
      }
      if (c == '#') {
        if (after_plain && ind > parent) refuse();
        while (q < n_ && t_[q] != '\n') ++q;
        if (q >= n_) {
          p_ = n_;
          indent_ = -1;
          return;
        }
        p_ = q + 1;
        new_line(p_);
        continue;
      }
      // A document marker or a directive: only one document, and no directives.
      if (ind == 0 && (t_.substr(q).starts_with("---") || t_.substr(q).starts_with("..."))) {
        refuse();
      }
      p_ = q;
      indent_ = ind;
      return;
    }
  }

  [[nodiscard]] bool at_dash_item() const {
    return t_[p_] == '-' && (p_ + 1 >= n_ || t_[p_ + 1] == ' ' || t_[p_ + 1] == '\n');
  }

  // ---- bounds ----

  void count() {
    if (++values_ > bound_.max_values) refuse();
  }

  // The children of a collection opening at the current depth.
  std::vector<Index>& open_level() {
    count();
    if (++depth_ > bound_.max_depth) refuse();
    std::vector<Index>& level = levels_[static_cast<std::size_t>(depth_)];
    level.clear();
    return level;
  }

  Index add(const Scalar& s) {
    count();
    if (s.plain && is_null_text(s.text)) return doc_.add_null(s.mark);
    return doc_.add_scalar(s.text, s.plain, s.mark);
  }

  Index add_key(const Scalar& s) {
    if (s.source > kMaxKeySource) refuse();
    return add(s);
  }

  // ---- scalars ----

  // A plain scalar at p_, in a flow collection or not; ends before what ends it, trailing spaces
  // not included.
  Scalar plain(bool flow) {
    const char first = t_[p_];
    const std::uint8_t first_class = kClass[static_cast<unsigned char>(first)];
    // Indicators may not begin a plain scalar; a '-' only before a digit or a point (a number).
    if (first == '-') {
      const char next = at(p_ + 1);
      if (!((next >= '0' && next <= '9') || next == '.')) refuse();
    } else if (first_class != kOrdinary && first_class != kNonAscii) {
      refuse();
    }
    const TextMark m = mark();
    const std::size_t start = p_;
    std::size_t end = p_;  // after the last character that is not a space
    while (p_ < n_) {
      const char c = t_[p_];
      switch (kClass[static_cast<unsigned char>(c)]) {
        case kOrdinary:
          ++p_;
          end = p_;
          continue;
        case kNonAscii:
          non_ascii_ = true;
          ++p_;
          end = p_;
          continue;
        case kSpace:
          if (at(p_ + 1) == '#') return Scalar{t_.substr(start, end - start), true, m};
          ++p_;
          continue;
        case kBreak:
          return Scalar{t_.substr(start, end - start), true, m};
        case kColon: {
          const char next = at(p_ + 1);
          if (next == ' ' || next == '\n') return Scalar{t_.substr(start, end - start), true, m};
          const std::uint8_t next_class = kClass[static_cast<unsigned char>(next)];
          if (next_class == kComma || next_class == kClose || next_class == kOpen ||
              next_class == kHash || next_class == kColon || next_class == kRefused) {
            refuse();
          }
          ++p_;
          end = p_;
          continue;
        }
        case kComma:
        case kClose:
          if (flow) return Scalar{t_.substr(start, end - start), true, m};
          ++p_;
          end = p_;
          continue;
        case kOpen:
          if (flow) refuse();
          ++p_;  // `steps([0s, 3/s])` outside a flow collection: one plain scalar
          end = p_;
          continue;
        case kHash:
          // Not after a space (that is a comment, above): part of the scalar.
          ++p_;
          end = p_;
          continue;
        default:
          refuse();
      }
    }
    return Scalar{t_.substr(start, end - start), true, m};
  }

  Scalar single_quoted() {
    const TextMark m = mark();
    const std::size_t start = ++p_;
    bool escaped = false;
    while (true) {
      if (p_ >= n_ || t_[p_] == '\n') refuse();  // a multi-line scalar folds: left to the others
      const char c = t_[p_];
      if (c == '\'') {
        if (at(p_ + 1) != '\'') break;
        escaped = true;
        p_ += 2;
        continue;
      }
      if (static_cast<unsigned char>(c) >= 0x80) non_ascii_ = true;
      ++p_;
    }
    const std::string_view raw = t_.substr(start, p_ - start);
    ++p_;
    if (!escaped) return Scalar{raw, false, m};
    scratch_.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      scratch_ += raw[i];
      if (raw[i] == '\'') ++i;
    }
    return Scalar{scratch_, false, m};
  }

  Scalar double_quoted() {
    const TextMark m = mark();
    const std::size_t start = ++p_;
    while (true) {
      if (p_ >= n_ || t_[p_] == '\n') refuse();
      const char c = t_[p_];
      if (c == '"') {
        const std::string_view raw = t_.substr(start, p_ - start);
        ++p_;
        return Scalar{raw, false, m};
      }
      if (c == '\\') break;
      if (static_cast<unsigned char>(c) >= 0x80) non_ascii_ = true;
      ++p_;
    }
    // Escapes: resolved into the scratch buffer.
    scratch_.assign(t_.substr(start, p_ - start));
    while (true) {
      if (p_ >= n_ || t_[p_] == '\n') refuse();
      const char c = t_[p_];
      if (c == '"') {
        ++p_;
        return Scalar{scratch_, false, m};
      }
      if (c != '\\') {
        if (static_cast<unsigned char>(c) >= 0x80) non_ascii_ = true;
        scratch_ += c;
        ++p_;
        continue;
      }
      const char e = at(p_ + 1);
      p_ += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          scratch_ += e;
          break;
        case 'n':
          scratch_ += '\n';
          break;
        case 't':
          scratch_ += '\t';
          break;
        case 'r':
          scratch_ += '\r';
          break;
        case 'b':
          scratch_ += '\b';
          break;
        case 'f':
          scratch_ += '\f';
          break;
        case 'x':
          hex_escape(2);
          break;
        case 'u':
          hex_escape(4);
          break;
        case 'U':
          hex_escape(8);
          break;
        default:
          refuse();  // the rarer escapes (and an escaped break) are left to the others
      }
    }
  }

  void hex_escape(int digits) {
    char32_t cp = 0;
    for (int i = 0; i < digits; ++i) {
      const int v = hex_value(at(p_));
      if (v < 0) refuse();
      cp = cp * 16 + static_cast<char32_t>(v);
      ++p_;
    }
    // Control characters, surrogates and what is no character: left to the others.
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp > 0x10FFFF) {
      refuse();
    }
    append_utf8(scratch_, cp);
  }

  Scalar scalar(bool flow) {
    const std::size_t start = p_;
    const char c = t_[p_];
    Scalar s = c == '\'' ? single_quoted() : c == '"' ? double_quoted() : plain(flow);
    s.source = p_ - start;
    return s;
  }

  // After a scalar: whether a ':' makes it a key (the ':' is then consumed).
  bool key_indicator() {
    skip_spaces();
    if (p_ < n_ && t_[p_] == ':' && (p_ + 1 >= n_ || t_[p_ + 1] == ' ' || t_[p_ + 1] == '\n')) {
      ++p_;
      return true;
    }
    return false;
  }

  // ---- flow collections ----

  // Spaces, comments and line breaks between the parts of a flow collection. A line inside one
  // must be indented deeper than the block collection around it (`block`).
  void flow_space(int block) {
    while (true) {
      skip_spaces();
      if (p_ >= n_) refuse();  // unterminated
      const char c = t_[p_];
      if (c == '#') {
        if (t_[p_ - 1] != ' ' && t_[p_ - 1] != '\n') refuse();
        while (p_ < n_ && t_[p_] != '\n') ++p_;
        continue;
      }
      if (c != '\n') return;
      ++p_;
      new_line(p_);
      std::size_t q = p_;
      while (q < n_ && t_[q] == ' ') ++q;
      const int ind = static_cast<int>(q - p_);
      if (q < n_ && t_[q] != '\n' && t_[q] != '#' && ind <= block) refuse();
      if (ind == 0 && (t_.substr(q).starts_with("---") || t_.substr(q).starts_with("..."))) {
        refuse();
      }
    }
  }

  // After a value in a flow collection: on the same line a ',' or the closing bracket; on a later
  // line only the closing bracket. Returns whether the collection goes on (a ',' was consumed).
  bool flow_next(char close, int block) {
    const int line = line_;
    flow_space(block);
    const char c = t_[p_];
    if (c == close) {
      ++p_;
      return false;
    }
    if (c != ',' || line_ != line) refuse();
    ++p_;
    flow_space(block);
    if (t_[p_] == ']' || t_[p_] == '}' || t_[p_] == ',') refuse();  // `[a,]`, `[a,,b]`
    return true;
  }

  Index flow_value(int block) {
    const char c = t_[p_];
    if (c == '[') return flow_sequence(block);
    if (c == '{') return flow_mapping(block);
    const Scalar s = scalar(true);
    skip_spaces();
    if (p_ < n_ && t_[p_] == ':') refuse();  // `[k: v]`, a pair in a list: left to the others
    return add(s);
  }

  Index flow_sequence(int block) {
    const TextMark m = mark();
    ++p_;
    std::vector<Index>& items = open_level();
    flow_space(block);
    if (t_[p_] == ']') {
      ++p_;
    } else {
      do {
        items.push_back(flow_value(block));
      } while (flow_next(']', block));
    }
    const Index node = doc_.add_sequence(items, m);
    --depth_;
    return node;
  }

  Index flow_mapping(int block) {
    const TextMark m = mark();
    ++p_;
    std::vector<Index>& entries = open_level();
    flow_space(block);
    if (t_[p_] == '}') {
      ++p_;
    } else {
      do {
        const char c = t_[p_];
        if (c == '[' || c == '{') refuse();  // a collection as a key
        const Scalar key = scalar(true);
        if (!key_indicator()) refuse();  // a key without a value, or `"k":v`
        entries.push_back(add_key(key));
        skip_spaces();
        if (p_ >= n_ || t_[p_] == '\n' || t_[p_] == ',' || t_[p_] == '}' || t_[p_] == '#') {
          refuse();  // an empty value, or one on a later line
        }
        entries.push_back(flow_value(block));
      } while (flow_next('}', block));
    }
    const Index node = doc_.add_map(entries, m);
    --depth_;
    return node;
  }

  // ---- block collections ----

  // A flow collection or a scalar that is a whole value, on the line where its key or dash is;
  // `parent` is the column of the block collection that holds it.
  Index line_value(int parent) {
    const char c = t_[p_];
    Index node = 0;
    bool after_plain = false;
    if (c == '[' || c == '{') {
      node = c == '[' ? flow_sequence(parent) : flow_mapping(parent);
      skip_spaces();
      if (p_ < n_ && t_[p_] == ':') refuse();
    } else {
      const Scalar s = scalar(false);
      if (key_indicator()) refuse();  // `a: b: c`
      after_plain = s.plain;
      node = add(s);
    }
    end_line();
    next_content_line(after_plain, parent);
    return node;
  }

  // The node that begins at p_ (column `col`), the first thing on its line, inside the block
  // collection at column `parent`.
  Index block_node(int col, int parent) {
    if (at_dash_item()) return block_sequence(col);
    const char c = t_[p_];
    if (c == '[' || c == '{') return line_value(parent);
    const Scalar s = scalar(false);
    if (key_indicator()) return block_mapping(col, s);
    const Index node = add(s);
    end_line();
    next_content_line(s.plain, parent);
    return node;
  }

  // A mapping at column `col` whose first key has been read (and its ':' consumed).
  Index block_mapping(int col, Scalar first_key) {
    std::vector<Index>& entries = open_level();
    const TextMark m = first_key.mark;
    entries.push_back(add_key(first_key));
    while (true) {
      skip_spaces();
      if (p_ >= n_ || t_[p_] == '\n' || t_[p_] == '#') {
        end_line();
        next_content_line(false, col);
        if (indent_ > col) {
          entries.push_back(block_node(indent_, col));
        } else if (indent_ == col && at_dash_item()) {
          entries.push_back(block_sequence(col));  // `key:` then `- item` at the key's column
        } else {
          refuse();  // an empty value (null): yaml-cpp marks it where the next token is
        }
      } else {
        if (at_dash_item()) refuse();  // `a: - b`
        entries.push_back(line_value(col));
      }
      if (indent_ < col) break;
      if (indent_ > col || at_dash_item()) refuse();
      const Scalar key = scalar(false);
      if (!key_indicator()) refuse();
      entries.push_back(add_key(key));
    }
    const Index node = doc_.add_map(entries, m);
    --depth_;
    return node;
  }

  // A sequence whose first '-' is at p_, column `col`.
  Index block_sequence(int col) {
    std::vector<Index>& items = open_level();
    const TextMark m = mark();
    while (true) {
      ++p_;  // the '-'
      skip_spaces();
      if (p_ >= n_ || t_[p_] == '\n' || t_[p_] == '#') {
        end_line();
        next_content_line(false, col);
        if (indent_ <= col) refuse();  // an empty item (null)
        items.push_back(block_node(indent_, col));
      } else if (at_dash_item()) {
        items.push_back(block_sequence(column()));  // `- - a`
      } else if (t_[p_] == '[' || t_[p_] == '{') {
        items.push_back(line_value(col));
      } else {
        const int item_col = column();
        const Scalar s = scalar(false);
        if (key_indicator()) {
          items.push_back(block_mapping(item_col, s));  // `- key: value`
        } else {
          items.push_back(add(s));
          end_line();
          next_content_line(s.plain, col);
        }
      }
      if (indent_ != col || !at_dash_item()) break;
    }
    if (indent_ > col) refuse();
    const Index node = doc_.add_sequence(items, m);
    --depth_;
    return node;
  }

  std::string_view t_;
  std::size_t n_;
  std::size_t p_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 0;
  int indent_ = -1;         // the column of the line p_ is on, -1 at the end of the text
  bool non_ascii_ = false;  // a multi-byte character on the current line, before p_
  FastBound bound_;
  Document doc_;
  std::vector<std::vector<Index>> levels_;  // levels_[d]: the children of the collection at depth d
  int depth_ = 0;
  std::int64_t values_ = 0;
  std::string scratch_;
};

}  // namespace

std::optional<Document> read_yaml_scanned(std::string_view text, const Limits& limits) {
  // What no YAML reader but yaml-cpp may read (fast_read_bounds.hpp), tabs (yaml-cpp refuses some
  // that YAML allows), carriage returns and a byte order mark: left to the others.
  if (needs_yaml_cpp(text) || text.find('\t') != std::string_view::npos ||
      text.find('\r') != std::string_view::npos || text.starts_with("\xEF\xBB\xBF")) {
    return std::nullopt;
  }
  try {
    return Scanner(text, limits).read();
  } catch (const Refuse&) {
    return std::nullopt;
  }
}

}  // namespace wlsim::scenarios

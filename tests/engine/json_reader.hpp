#pragma once
// A strict reader for the small subset of JSON the engine writes (string literals, numbers, and
// flat objects of them), so tests can check that output parses and reads back to what was written.
// Test-only; deliberately independent of the engine's writer.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wlsim::test {

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : s_(text) {}

  /// A complete JSON string literal (and nothing else); nullopt if it is not valid JSON.
  static std::optional<std::string> string_literal(std::string_view text) {
    JsonReader r(text);
    auto v = r.read_string();
    if (!v || r.i_ != r.s_.size()) return std::nullopt;
    return v;
  }

  /// Whether `text` is exactly one JSON number.
  static bool is_number(std::string_view text) {
    JsonReader r(text);
    return r.read_number().has_value() && r.i_ == r.s_.size();
  }

  struct Member {
    std::string key;
    bool is_string;
    std::string value;  ///< decoded string, or the number's text
  };

  /// A flat object whose values are strings or numbers, in member order; nullopt if invalid.
  static std::optional<std::vector<Member>> flat_object(std::string_view text) {
    JsonReader r(text);
    std::vector<Member> out;
    r.skip_ws();
    if (!r.eat('{')) return std::nullopt;
    r.skip_ws();
    if (r.eat('}')) return r.at_end() ? std::optional(out) : std::nullopt;
    for (;;) {
      r.skip_ws();
      auto key = r.read_string();
      if (!key) return std::nullopt;
      r.skip_ws();
      if (!r.eat(':')) return std::nullopt;
      r.skip_ws();
      Member m{*key, false, {}};
      if (r.peek() == '"') {
        auto v = r.read_string();
        if (!v) return std::nullopt;
        m.is_string = true;
        m.value = *v;
      } else {
        auto v = r.read_number();
        if (!v) return std::nullopt;
        m.value = *v;
      }
      out.push_back(std::move(m));
      r.skip_ws();
      if (r.eat(',')) continue;
      if (r.eat('}')) break;
      return std::nullopt;
    }
    return r.at_end() ? std::optional(out) : std::nullopt;
  }

 private:
  [[nodiscard]] char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool eat(char c) {
    if (peek() != c || i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool at_end() {
    skip_ws();
    return i_ == s_.size();
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<std::string> read_string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20)
        return std::nullopt;  // raw control characters are invalid
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return std::nullopt;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          if (i_ + 4 > s_.size()) return std::nullopt;
          unsigned cp = 0;
          for (int k = 0; k < 4; ++k) {
            const int h = hex(s_[i_++]);
            if (h < 0) return std::nullopt;
            cp = cp * 16 + static_cast<unsigned>(h);
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) return std::nullopt;  // surrogates: not needed here
          append_utf8(out, cp);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;  // unterminated
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::optional<std::string> read_number() {
    const std::size_t start = i_;
    const auto digit = [this] { return peek() >= '0' && peek() <= '9'; };
    eat('-');
    if (eat('0')) {
    } else if (peek() >= '1' && peek() <= '9') {
      while (digit()) ++i_;
    } else {
      return std::nullopt;
    }
    if (eat('.')) {
      if (!digit()) return std::nullopt;
      while (digit()) ++i_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      if (!eat('+')) eat('-');
      if (!digit()) return std::nullopt;
      while (digit()) ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace wlsim::test

#pragma once
// What the fast readers of scenario text (document_text.cpp: YAML; document_json.cpp: JSON) bound
// and leave to yaml-cpp alike. Private to scenarios/.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "scenario_text.hpp"
#include "wlsim/scenarios/limits.hpp"

namespace wlsim::scenarios {

// yaml-cpp refuses, with its own message, nesting deeper than its recursion guard holds (500 calls,
// more than one per level); the fast readers leave anything near that deep to it.
inline constexpr int kFastMaxDepth = 200;

// YAML bounds a key written without `?` to 1024 characters, quotes included, and the readers
// differ on keys near that: the fast readers leave a key of over 1000 bytes of text to yaml-cpp.
inline constexpr std::size_t kMaxKeySource = 1000;

// What both fast readers bound exactly as parse_document's event pass does: the values (counted
// through aliases) and the nesting depth (an alias as deep as its anchor's content).
struct FastBound {
  std::int64_t max_values;
  int max_depth;

  explicit FastBound(const Limits& limits)
      : max_values(limits.max_file_bytes / kBytesPerValue),
        max_depth(std::min(limits.max_depth, kFastMaxDepth)) {}
};

// What yaml-cpp and the fast readers may not read alike: a lone CR, the line breaks NEL, LS and PS
// (YAML 1.1 counts them as breaks, YAML 1.2 does not), a backslash before a carriage return (an
// escaped break to YAML 1.2, an unknown escape to yaml-cpp) and an escaped UTF-16 surrogate
// (simdjson joins a pair, yaml-cpp refuses it), the escapes \N, \_, \L and \P, and a
// block scalar that keeps its final line breaks (`|+`, `>2+`: yaml-cpp keeps one fewer). Text
// holding one is left to yaml-cpp.
inline bool needs_yaml_cpp(std::string_view text) {
  // A carriage return alone: a line break to YAML 1.2, not to yaml-cpp.
  for (std::size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1)) {
    if (i + 1 == text.size() || text[i + 1] != '\n') return true;
  }
  for (std::size_t i = text.find('+'); i != std::string_view::npos; i = text.find('+', i + 1)) {
    const auto indicator = [&](std::size_t k) { return text[k] == '|' || text[k] == '>'; };
    if (i >= 1 && indicator(i - 1)) return true;
    if (i >= 2 && text[i - 1] >= '1' && text[i - 1] <= '9' && indicator(i - 2)) return true;
  }
  for (std::size_t i = text.find('\\'); i != std::string_view::npos; i = text.find('\\', i + 1)) {
    if (i + 1 == text.size()) break;
    const char e = text[i + 1];
    // The escapes of NEL, no-break space, LS and PS: yaml-cpp writes the first two as one byte
    // each (not UTF-8), YAML 1.2 as UTF-8.
    if (e == '\r' || e == 'N' || e == '_' || e == 'L' || e == 'P') return true;
    if (e == 'u' && i + 3 < text.size() && (text[i + 2] == 'd' || text[i + 2] == 'D') &&
        std::string_view("89abAB").find(text[i + 3]) != std::string_view::npos) {
      return true;
    }
  }
  for (std::size_t i = text.find('\xC2'); i != std::string_view::npos;
       i = text.find('\xC2', i + 1)) {
    if (i + 1 < text.size() && text[i + 1] == '\x85') return true;
  }
  for (std::size_t i = text.find('\xE2'); i != std::string_view::npos;
       i = text.find('\xE2', i + 1)) {
    if (i + 2 < text.size() && text[i + 1] == '\x80' &&
        (text[i + 2] == '\xA8' || text[i + 2] == '\xA9'))
      return true;
  }
  return false;
}

}  // namespace wlsim::scenarios

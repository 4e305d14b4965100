#pragma once
// Scenario text before the schema sees it: bounded in size and depth, UTF-8 and printable, one YAML
// document whose aliases do not multiply it; and the escaping of anything echoed in an error
// message. Private to scenarios/.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "wlsim/scenarios/limits.hpp"

namespace wlsim::scenarios {

/// Text that cannot be read as one scenario document. `message` has no origin in front; for
/// malformed YAML `yaml_message` holds the parser's own words (call bodies quote them without a
/// position).
struct TextError {
  std::string message;
  std::string yaml_message;
};

/// The single document in `text` (a null node for empty text). Throws TextError.
[[nodiscard]] YAML::Node parse_document(std::string_view text, const Limits& limits);

/// The checks parse_document makes before any parser sees the text: its size, its encoding (UTF-8,
/// no control characters) and a first bound on its nesting. Throws TextError.
void check_text(std::string_view text, const Limits& limits);

/// parse_document for text that passed check_text (the fast reader's fallback, which has already
/// checked it).
[[nodiscard]] YAML::Node parse_checked_document(std::string_view text, const Limits& limits);

/// A bound on how much a YAML text may hold, taken from the size limit: yaml-cpp keeps several
/// hundred bytes per value in memory, so a text of many tiny values costs far more than its size.
/// Values are counted through aliases (an alias counts everything its anchor holds).
inline constexpr std::int64_t kBytesPerValue = 256;

/// `text` safe to show on one line: newlines, tabs and control characters as \n, \t, \xNN; C1
/// controls and line separators as \uNNNN; bytes that are not UTF-8 as \xNN. Everything else
/// unchanged.
[[nodiscard]] std::string escape_for_message(std::string_view text);

/// What makes `text` unfit for a name or an id: a control character or a byte that is not UTF-8.
[[nodiscard]] std::optional<std::string> unprintable(std::string_view text);

}  // namespace wlsim::scenarios

#pragma once
// Overrides by path: `PATH=VALUE` changes one value of a scenario document before it is read, so
// that a variant of a scenario is one line, not an edited copy. PATH walks the document's own
// structure: field names joined by '.', list items by [index] or by [id] (an item's `id`, or its
// `name` when it has no id), e.g.
//   artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds=10
// A map key that has '.' in it is written in brackets too: labels[topology.kubernetes.io/zone].
// VALUE is YAML (`10`, `30s`, `true`, `[a, b]`, `{cpu: 2}`; empty or `null` removes the field, so
// its default applies). The overridden document is then read like a file: every override is
// checked exactly as the file is.

#include <cstddef>
#include <string>
#include <string_view>

namespace wlsim::scenarios {

/// One override: a path into the document and the YAML text of its new value.
struct Override {
  std::string path;
  std::string value;
  friend bool operator==(const Override&, const Override&) = default;
};

/// Overrides of one load, at most: they are applied one by one to the document tree.
inline constexpr std::size_t kMaxOverrides = 1000;
/// Bytes of one override's path, at most (the value is bounded like scenario text).
inline constexpr std::size_t kMaxOverridePathBytes = 1000;

/// "PATH=VALUE" split at the first '=' outside brackets. Throws std::invalid_argument (one line,
/// naming the text) without an '=' or with an empty path.
[[nodiscard]] Override parse_override(std::string_view text);

}  // namespace wlsim::scenarios

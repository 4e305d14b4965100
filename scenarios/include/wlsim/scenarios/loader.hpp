#pragma once
// Reading scenario files (YAML or JSON; camelCase field names of the platform API) into a Scenario.
// Every error names the field path and the allowed values, e.g.
//   workloads[0].runtime.containerGroups[0].replicaCount: -1 is not >= 0
// Unknown fields are errors. Every input is bounded by a Limits (limits.hpp): text size, list
// length, nesting depth, replicas, nodes, durations and amounts; text must be UTF-8 and one YAML
// document. Whatever user text an error echoes is escaped, so every message is one line.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/models/api.hpp"
#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/overrides.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::scenarios {

/// Invalid scenario input; what() is one line: "<origin>: <field path>: <problem>".
class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Loads a file; YAML and JSON are both accepted. Throws ScenarioError.
[[nodiscard]] Scenario load_file(const std::string& path, const Limits& limits = {});
/// Loads scenario text; `origin` names it in error messages. Throws ScenarioError.
[[nodiscard]] Scenario load_text(std::string_view text, std::string_view origin = "<scenario>",
                                 const Limits& limits = {});

/// Scenario text and where it came from: all that a load reads, and all that a reload needs.
struct Source {
  std::string text;
  /// Names the text in error messages: a file's path, "<stdin>", "<dict>".
  std::string origin;
  /// Where the relative file names in it (traffic files) are found: its file's directory.
  std::string base_dir;
};

/// A file's text, within limits.max_file_bytes. Throws ScenarioError.
[[nodiscard]] Source read_source(const std::string& path, const Limits& limits = {});
/// Text whose relative file names are found from the current directory.
[[nodiscard]] Source text_source(std::string_view text, std::string_view origin);
/// Loads a source with the overrides applied to its document, in order, before the schema reads
/// it (overrides.hpp). Throws ScenarioError; an override's error names its path.
[[nodiscard]] Scenario load_source(const Source& source, const std::vector<Override>& overrides,
                                   const Limits& limits = {});
/// The source's document with the overrides applied, as JSON text: loading it gives the same
/// scenario. Throws ScenarioError as load_source does, the schema's errors aside.
[[nodiscard]] std::string source_json(const Source& source, const std::vector<Override>& overrides,
                                      const Limits& limits = {});

/// One Workload API call outside a scenario file (a notebook's): "METHOD /path" and a JSON or YAML
/// body ("" for none), read with the same rules and limits as a scenario's actions. Throws
/// ScenarioError.
[[nodiscard]] models::api::Call parse_call(std::string_view endpoint, std::string_view body,
                                           models::Profile profile, const Limits& limits = {});

}  // namespace wlsim::scenarios

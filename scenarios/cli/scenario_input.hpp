#pragma once
// What every command that loads a scenario shares: FILE (or `-` for standard input), the overrides
// (--set PATH=VALUE) and the limits on what the scenario may hold; and, for commands that run it,
// the event budget.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/overrides.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::cli {

class ScenarioInput {
 public:
  /// How many scenario files the command takes.
  enum class Files { one, many };
  /// Adds FILE (or FILE... for Files::many), --set, --ignore-unsupported and the --max-* limit
  /// options to `command`. This object must outlive the parse.
  void add_to(CLI::App& command, Files files = Files::one);
  /// Loads FILE with the overrides applied, within the limits. Throws UsageError without a FILE or
  /// for a --set without '=', ScenarioError for bad input (an override's names its path).
  [[nodiscard]] scenarios::Scenario load() const;
  /// Loads every FILE in order, like load(); `-` (standard input) may be given once.
  [[nodiscard]] std::vector<scenarios::Scenario> load_all() const;
  /// FILE's text, unloaded (a sweep loads it once per variant). Throws UsageError without a FILE,
  /// ScenarioError if it cannot be read.
  [[nodiscard]] scenarios::Source source() const;
  /// The --set options as given, and the limits.
  [[nodiscard]] const std::vector<std::string>& set_options() const noexcept { return overrides_; }
  [[nodiscard]] const scenarios::Limits& limits() const noexcept { return limits_; }
  /// FILE as error messages name it: the path, or "<stdin>".
  [[nodiscard]] std::string origin() const;
  /// Every FILE as error messages name it.
  [[nodiscard]] std::vector<std::string> origins() const;

 private:
  [[nodiscard]] scenarios::Scenario load(const std::string& file,
                                         const std::vector<scenarios::Override>& overrides) const;
  [[nodiscard]] std::vector<scenarios::Override> overrides() const;
  [[nodiscard]] scenarios::Source source(const std::string& file) const;
  /// FILE, or every FILE.
  [[nodiscard]] std::vector<std::string> files() const;

  std::string command_;
  Files mode_ = Files::one;
  std::string file_;                ///< Files::one
  std::vector<std::string> files_;  ///< Files::many
  std::vector<std::string> overrides_;
  scenarios::Limits limits_;
};

/// What a load skipped under --ignore-unsupported, on stderr: one warning per line.
void print_warnings(const std::vector<std::string>& warnings);

class RunBudget {
 public:
  /// Adds --max-events to `command`. This object must outlive the parse.
  void add_to(CLI::App& command);
  [[nodiscard]] const scenarios::RunLimits& limits() const noexcept { return limits_; }

 private:
  scenarios::RunLimits limits_;
};

}  // namespace wlsim::cli

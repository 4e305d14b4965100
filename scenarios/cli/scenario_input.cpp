#include "scenario_input.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <limits>
#include <stdexcept>

#include "option_values.hpp"
#include "usage_error.hpp"
#include "wlsim/scenarios/loader.hpp"

namespace wlsim::cli {

namespace {

constexpr const char* kStdin = "-";
constexpr const char* kStdinOrigin = "<stdin>";
constexpr const char* kLimits = "Limits (an input beyond one is an error naming it)";
constexpr auto kInt64Max = std::numeric_limits<std::int64_t>::max();

/// Standard input, but at most one byte more than the size limit: enough for the loader to reject
/// an oversized input by its limit without reading an endless one (`wlsim run - < /dev/zero`).
std::string read_stdin(std::int64_t max_bytes) {
  const auto cap = static_cast<std::size_t>(max_bytes) + 1;
  std::string text;
  std::array<char, 65536> buffer{};
  while (text.size() < cap) {
    std::cin.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    text.append(buffer.data(), static_cast<std::size_t>(std::cin.gcount()));
    if (!std::cin) break;
  }
  if (std::cin.bad()) {
    throw scenarios::ScenarioError(std::string(kStdinOrigin) + ": cannot read standard input");
  }
  if (text.size() > cap) text.resize(cap);
  return text;
}

}  // namespace

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) std::cerr << "wlsim: warning: " << w << '\n';
}

void ScenarioInput::add_to(CLI::App& command, Files files) {
  command_ = command.get_name();
  mode_ = files;
  if (files == Files::one) {
    // A string, not a list: a second FILE is left over and reported as unexpected.
    command.add_option("FILE", file_, "the scenario, YAML or JSON; - reads standard input")
        ->type_name("");
  } else {
    command.add_option("FILE", files_, "scenarios, YAML or JSON; - reads one from standard input")
        ->type_name("");
  }
  command
      .add_option(
          "--set", overrides_,
          "override a value of the scenario before it is checked (repeatable): PATH walks "
          "the file, list items by [index] or [id], VALUE is YAML, e.g. "
          "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds=10")
      ->type_name("PATH=VALUE")
      ->allow_extra_args(false);
  add_whole_number(command, "--max-file-size", limits_.max_file_bytes, 1, kInt64Max,
                   "bytes of scenario text")
      ->type_name("BYTES")
      ->group(kLimits);
  add_whole_number(command, "--max-list-length", limits_.max_list_length, 1, kInt64Max,
                   "items in any one list")
      ->group(kLimits);
  add_whole_number(command, "--max-depth", limits_.max_depth, 1, std::numeric_limits<int>::max(),
                   "nesting depth of maps and lists")
      ->group(kLimits);
  add_whole_number(command, "--max-replicas", limits_.max_replicas_per_group, 1, kInt64Max,
                   "replicas of one container group")
      ->group(kLimits);
  add_whole_number(command, "--max-total-replicas", limits_.max_replicas_total, 1, kInt64Max,
                   "replicas of every workload together")
      ->group(kLimits);
  add_whole_number(command, "--max-nodes", limits_.max_nodes, 1, kInt64Max,
                   "nodes of every node pool together")
      ->group(kLimits);
  command.add_flag("--ignore-unsupported", limits_.ignore_unsupported,
                   "skip fields wlsim does not read, warning once per field");
}

std::vector<std::string> ScenarioInput::files() const {
  if (!file_.empty()) return {file_};
  if (files_.empty()) {
    throw UsageError(command_ + (mode_ == Files::one ? " needs a" : " needs at least one") +
                     " scenario FILE (or - for standard input)");
  }
  return files_;
}

std::vector<scenarios::Override> ScenarioInput::overrides() const {
  std::vector<scenarios::Override> out;
  for (const std::string& o : overrides_) {
    try {
      out.push_back(scenarios::parse_override(o));
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--set: ") + e.what());
    }
  }
  return out;
}

scenarios::Source ScenarioInput::source(const std::string& file) const {
  return file == kStdin ? scenarios::text_source(read_stdin(limits_.max_file_bytes), kStdinOrigin)
                        : scenarios::read_source(file, limits_);
}

scenarios::Source ScenarioInput::source() const { return source(files().front()); }

scenarios::Scenario ScenarioInput::load(const std::string& file,
                                        const std::vector<scenarios::Override>& overrides) const {
  scenarios::Scenario s = scenarios::load_source(source(file), overrides, limits_);
  print_warnings(s.warnings);
  return s;
}

scenarios::Scenario ScenarioInput::load() const {
  const std::string file = files().front();
  return load(file, overrides());
}

std::vector<scenarios::Scenario> ScenarioInput::load_all() const {
  const std::vector<std::string> given = files();
  const auto o = overrides();
  if (std::count(given.begin(), given.end(), kStdin) > 1) {
    throw UsageError(command_ + " reads standard input (-) once only");
  }
  std::vector<scenarios::Scenario> out;
  out.reserve(given.size());
  for (const std::string& f : given) out.push_back(load(f, o));
  return out;
}

std::string ScenarioInput::origin() const { return origins().front(); }

std::vector<std::string> ScenarioInput::origins() const {
  const std::vector<std::string> given = files();
  std::vector<std::string> out;
  out.reserve(given.size());
  for (const std::string& f : given) out.emplace_back(f == kStdin ? kStdinOrigin : f);
  return out;
}

void RunBudget::add_to(CLI::App& command) {
  add_whole_number(command, "--max-events", limits_.max_events, std::uint64_t{1},
                   std::numeric_limits<std::uint64_t>::max(), "events a run may dispatch")
      ->group(kLimits);
}

}  // namespace wlsim::cli

#pragma once
// The subcommands of `wlsim`. Each registers itself and its options on the top-level CLI11 app and
// keeps the values CLI11 parses into it (so it must not move once registered); execute() runs it
// after a successful parse. Exit codes: 0 success; UsageError, OutputError and ScenarioError become
// exit 2 in main.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario_input.hpp"

namespace wlsim::cli {

/// A subcommand's registration and its parsed values.
class Command {
 public:
  Command() = default;
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;
  virtual ~Command() = default;
  /// Whether the command line chose this command.
  [[nodiscard]] bool selected() const { return app_->parsed(); }
  [[nodiscard]] const CLI::App& app() const { return *app_; }
  virtual int execute() const = 0;

 protected:
  CLI::App* app_ = nullptr;  ///< owned by the top-level app
};

/// wlsim run FILE: the summary of one run, or statistics over replications.
class RunCommand final : public Command {
 public:
  explicit RunCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  int run_replications(const scenarios::Scenario& s) const;
  int run_once(const scenarios::Scenario& s) const;

  ScenarioInput input_;
  RunBudget budget_;
  std::optional<std::uint64_t> seed_;
  std::string format_ = "table";
  std::string out_;
  int replications_ = 1;
  int threads_ = 1;
  CLI::Option* replications_option_ = nullptr;
  CLI::Option* threads_option_ = nullptr;
  CLI::Option* out_option_ = nullptr;
};

/// wlsim sweep FILE --set PATH=V1,V2,...: every variant on the same seeds, statistics per variant.
class SweepCommand final : public Command {
 public:
  explicit SweepCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  ScenarioInput input_;
  RunBudget budget_;
  std::optional<std::uint64_t> seed_;
  std::string format_ = "table";
  std::string out_;
  int replications_ = 1;
  int threads_ = 1;
};

/// wlsim validate FILE: what a valid scenario holds.
class ValidateCommand final : public Command {
 public:
  explicit ValidateCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  ScenarioInput input_;
};

/// wlsim trace FILE: every trace record, streamed to standard output as the run makes it.
class TraceCommand final : public Command {
 public:
  explicit TraceCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  ScenarioInput input_;
  RunBudget budget_;
  std::optional<std::uint64_t> seed_;
  std::string format_ = "csv";
};

/// wlsim status FILE --at TIME: the status details at a simulated time.
class StatusCommand final : public Command {
 public:
  explicit StatusCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  ScenarioInput input_;
  RunBudget budget_;
  std::optional<std::uint64_t> seed_;
  std::string format_ = "table";
  std::string at_;
};

/// wlsim check FILE...: runs each scenario and checks its expect block; exit 1 if any fails.
class CheckCommand final : public Command {
 public:
  explicit CheckCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  ScenarioInput input_;
  RunBudget budget_;
  std::optional<std::uint64_t> seed_;
  std::string junit_;
};

/// wlsim graph KIND: a state machine's legal transitions as Graphviz DOT.
class GraphCommand final : public Command {
 public:
  explicit GraphCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  std::string kind_;
};

/// wlsim params [--profile P]: every number a scenario's platform block may set, its default and
/// its source.
class ParamsCommand final : public Command {
 public:
  explicit ParamsCommand(CLI::App& wlsim);
  int execute() const override;

 private:
  std::string profile_ = "platform";
  std::string format_ = "table";
};

/// A command written in Python (wlsim report: matplotlib; wlsim export: pyarrow): hands its
/// arguments over to `python -m wlsim NAME` of the Python beside this executable (the package's
/// environment).
class PythonCommand final : public Command {
 public:
  /// `needs` names the extra to install when there is no Python beside this executable.
  PythonCommand(CLI::App& wlsim, std::string name, const std::string& description,
                std::string needs);
  int execute() const override;

 private:
  std::string name_;
  std::string needs_;
};

}  // namespace wlsim::cli

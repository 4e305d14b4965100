// The `wlsim` command: run, validate, trace and inspect scenario files.
// Exit codes: 0 success; 2 invalid input or usage (one line on stderr, plus a hint to --help for a
// usage error; nothing on stdout); 1 internal error, or for `wlsim check` a failed expectation.

#include <algorithm>
#include <array>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "help_formatter.hpp"
#include "usage_error.hpp"
#include "wlsim/scenarios/loader.hpp"

namespace {

using namespace wlsim::cli;

constexpr const char* kCommands =
    "run, sweep, validate, trace, status, check, graph, params, report, export";

/// `wlsim help [COMMAND]` means `wlsim [COMMAND] --help`, as in Git.
std::vector<std::string> arguments(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() >= 2 && args[1] == "help") {
    args.erase(args.begin() + 1);
    args.emplace_back("--help");
  }
  return args;
}

/// CLI11's own messages, in wlsim's words where they differ.
std::string usage_message(const CLI::ParseError& e) {
  std::string what = e.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr && what.ends_with(" missing")) {
    return what.substr(0, what.find(':')) + " needs a value";
  }
  return what;
}

/// wlsim reports what CLI11 leaves over itself, naming the command it was given to.
void reject_leftovers(const CLI::App& top, const Command* chosen) {
  if (const auto extra = top.remaining(); !extra.empty()) {
    if (extra.front().starts_with("-")) throw UsageError("unknown option " + extra.front());
    throw UsageError("unknown command '" + extra.front() + "' (allowed: " + kCommands + ")");
  }
  if (chosen == nullptr) throw UsageError(std::string("missing command (") + kCommands + ")");
  // A prefix command (report, export) hands its arguments over unread.
  if (const auto extra = chosen->app().remaining();
      !extra.empty() && !chosen->app().get_prefix_command()) {
    if (extra.front().starts_with("-") && extra.front() != "-") {
      throw UsageError("unknown option " + extra.front() + " for " + chosen->app().get_name());
    }
    throw UsageError("unexpected argument '" + extra.front() + "'");
  }
}

int execute(int argc, char** argv) {
  CLI::App top("A deterministic simulator of a container-workload platform on Kubernetes.",
               "wlsim");
  top.formatter(std::make_shared<HelpFormatter>());
  // As before CLI11: a repeated option takes its last value.
  top.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  top.set_help_flag("-h,--help", "print this help");
  top.set_version_flag("--version", std::string("wlsim ") + WLSIM_VERSION, "print the version");
  top.require_subcommand(0, 1);
  top.footer(
      "Run 'wlsim COMMAND --help' for one command. Exit status: 0 ok, 2 invalid input or usage,\n"
      "1 internal error.");
  const RunCommand run(top);
  const SweepCommand sweep(top);
  const ValidateCommand validate(top);
  const TraceCommand trace(top);
  const StatusCommand status(top);
  const CheckCommand check(top);
  const GraphCommand graph(top);
  const ParamsCommand params(top);
  const PythonCommand report(
      top, "report",
      "Write one self-contained HTML page of a run: its summary, fleet section and plots.\n\n"
      "wlsim report FILE --out report.html [--seed S] [--set PATH=VALUE ...]\n"
      "Needs the Python package (pip install 'wlsim[plot]'); 'wlsim report --help' is its help.",
      "plot");
  const PythonCommand exporter(
      top, "export",
      "Write a sweep's result store (wlsim sweep --out) as Parquet files, one per table.\n\n"
      "wlsim export STORE --parquet DIR\n"
      "Needs the Python package (pip install 'wlsim[parquet]'); 'wlsim export --help' is its help.",
      "parquet");
  const std::array<const Command*, 10> commands{&run,   &sweep, &validate, &trace,  &status,
                                                &check, &graph, &params,   &report, &exporter};
  // Left-over arguments are reported by reject_leftovers, in wlsim's words.
  top.allow_extras();
  for (CLI::App* sub : top.get_subcommands([](CLI::App*) { return true; })) {
    sub->allow_extras();
    if (sub->get_footer().empty())
      sub->footer("Exit status: 0 ok, 2 invalid input or usage, 1 internal error.");
  }

  std::string hint = "wlsim";
  try {
    try {
      std::vector<std::string> args = arguments(argc, argv);
      std::reverse(args.begin(), args.end());
      args.pop_back();  // the program's name
      top.parse(args);
    } catch (const CLI::Success& e) {
      return top.exit(e);  // --help, --version
    } catch (const CLI::ParseError& e) {
      for (const auto* sub : top.get_subcommands()) hint = "wlsim " + sub->get_name();
      throw UsageError(usage_message(e));
    }
    const Command* chosen = nullptr;
    for (const Command* c : commands) {
      if (c->selected()) {
        chosen = c;
        hint = "wlsim " + c->app().get_name();
      }
    }
    reject_leftovers(top, chosen);
    const int code = chosen->execute();
    if (!std::cout.flush()) {
      std::cerr << "wlsim: cannot write to standard output\n";
      return 1;
    }
    return code;
  } catch (const UsageError& e) {
    std::cerr << "wlsim: " << e.what() << "\nRun '" << hint << " --help' for usage.\n";
    return 2;
  } catch (const OutputError& e) {
    std::cerr << "wlsim: " << e.what() << "\n";
    return 2;
  } catch (const wlsim::scenarios::ScenarioError& e) {
    std::cout.flush();  // a streamed trace's records come before the error that stopped the run
    std::cerr << "wlsim: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // a streamed trace is written through std::cout alone
  try {
    return execute(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "wlsim: internal error: " << e.what() << "\n";
    return 1;
  }
}

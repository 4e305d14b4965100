#pragma once
// --help as a Git or kubectl user reads it: the usage line first, then what the command does, then
// its arguments and options.

#include <CLI/CLI.hpp>
#include <string>

namespace wlsim::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter();
  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;
  /// Every positional of wlsim is required (checked after parsing, for a clearer message), so the
  /// usage line shows FILE, not [FILE].
  std::string make_option_usage(const CLI::Option* opt) const override;
  /// A command's listing shows the first line of its description, its summary.
  std::string make_subcommand(const CLI::App* sub) const override;
};

}  // namespace wlsim::cli

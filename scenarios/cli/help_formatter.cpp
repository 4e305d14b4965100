#include "help_formatter.hpp"

#include <sstream>

namespace wlsim::cli {

HelpFormatter::HelpFormatter() {
  label("Usage", "usage");
  label("OPTIONS", "options");
  label("Positionals", "Arguments");
  label("REQUIRED", "");
  label("SUBCOMMAND", "COMMAND");
  label("Subcommands", "Commands");
  column_width(32);
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name,
                                     CLI::AppFormatMode mode) const {
  if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
  std::ostringstream out;
  out << make_usage(app, name) << "\n"
      << make_description(app) << make_positionals(app) << make_groups(app, mode)
      << make_subcommands(app, mode) << '\n'
      << make_footer(app);
  // CLI11 puts two blank lines between option groups.
  std::string text = out.str();
  for (auto at = text.find("\n\n\n"); at != std::string::npos; at = text.find("\n\n\n", at)) {
    text.erase(at, 1);
  }
  return text;
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
  std::ostringstream out;
  const std::string& description = sub->get_description();
  CLI::detail::format_help(out, sub->get_name(), description.substr(0, description.find('\n')),
                           get_column_width());
  return out.str();
}

std::string HelpFormatter::make_option_usage(const CLI::Option* opt) const {
  return opt->get_name(true, false);
}

}  // namespace wlsim::cli

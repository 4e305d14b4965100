// `wlsim report` is written in Python (wlsim.report: matplotlib and HTML); the C++ command hands
// its arguments over to the Python of its own environment, so that what users run stays `wlsim`.

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "commands.hpp"

namespace wlsim::cli {

namespace {

/// pip installs `wlsim` into the scripts directory of an environment, beside that environment's
/// interpreter; a plain C++ build has none beside it.
std::optional<std::filesystem::path> python_beside_this_executable() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  for (const char* name : {"python3", "python"}) {
    // Not canonicalised: a virtual environment's interpreter is a symbolic link, and it finds its
    // environment only when started through that link.
    auto candidate = exe.parent_path() / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace

ReportCommand::ReportCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "report",
      "Write one self-contained HTML page of a run: its summary, fleet section and plots.\n\n"
      "wlsim report FILE --out report.html [--seed S] [--set PATH=VALUE ...]\n"
      "Needs the Python package (pip install 'wlsim[plot]'); 'wlsim report --help' is its help.");
  // Every argument, --help included, is the Python command's to read.
  app_->prefix_command();
  app_->set_help_flag();
}

int ReportCommand::execute() const {
  const auto python = python_beside_this_executable();
  if (!python) {
    std::cerr << "wlsim report needs the Python package: pip install 'wlsim[plot]'\n";
    return 2;
  }
  std::vector<std::string> args{python->string(), "-m", "wlsim", "report"};
  for (auto& a : app_->remaining()) args.push_back(std::move(a));
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  ::execv(python->c_str(), argv.data());
  std::error_code err(errno, std::generic_category());
  std::cerr << "wlsim: cannot start " << python->string() << ": " << err.message() << "\n";
  return 2;
}

}  // namespace wlsim::cli

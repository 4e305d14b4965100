// `wlsim report` and `wlsim export` are written in Python (wlsim.report: matplotlib and HTML;
// wlsim.store: Parquet through pyarrow); the C++ command hands its arguments over to the Python of
// its own environment, so that what users run stays `wlsim`.

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
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

PythonCommand::PythonCommand(CLI::App& wlsim, std::string name, const std::string& description,
                             std::string needs)
    : name_(std::move(name)), needs_(std::move(needs)) {
  app_ = wlsim.add_subcommand(name_, description);
  // Every argument, --help included, is the Python command's to read.
  app_->prefix_command();
  app_->set_help_flag();
}

int PythonCommand::execute() const {
  const auto python = python_beside_this_executable();
  if (!python) {
    std::cerr << "wlsim " << name_ << " needs the Python package: pip install 'wlsim[" << needs_
              << "]'\n";
    return 2;
  }
  std::vector<std::string> args{python->string(), "-m", "wlsim", name_};
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

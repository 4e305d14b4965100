#pragma once
// Running the `wlsim` executable from a test. Each Cli owns a fresh directory (mkdtemp) for its
// captured output and any files the test writes, removed at the end, so tests share no file and can
// run in parallel (ctest -j).

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace wlsim::testing {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The example scenarios (scenarios/examples/*.yaml), in name order.
inline std::vector<std::filesystem::path> example_scenarios() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(WLSIM_SOURCE_DIR) /
                                                           "scenarios/examples")) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string example(const std::string& name) {
  return std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples/" + name;
}

/// The names of the entries of `dir` (hidden ones included).
inline std::set<std::string> entries(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.insert(e.path().filename().string());
  return names;
}

class Cli {
 public:
  Cli() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "wlsim_cli_test_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~Cli() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  /// Runs `wlsim ARGS` through the shell (so ARGS may redirect standard input).
  Outcome operator()(const std::string& args) const {
    const auto out = dir_ / "stdout";
    const auto err = dir_ / "stderr";
    const std::string command =
        std::string(WLSIM_CLI) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  /// Writes `text` to a file of this test's directory and returns its path.
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace wlsim::testing

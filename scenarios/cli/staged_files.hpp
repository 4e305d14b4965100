#pragma once
// Output files that appear whole or not at all: each is written into its directory under a
// temporary name and renamed to its own name only when every one of them is complete, so a run that
// fails part-way (an invalid input, an exhausted event budget, a full disk) leaves no partial
// output and keeps the previous run's files.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace wlsim::cli {

class StagedFiles {
 public:
  /// Creates `dir` if needed and opens a temporary file for each name. Throws OutputError.
  StagedFiles(std::filesystem::path dir, const std::vector<std::string>& names);
  /// Removes the temporary files unless commit() has renamed them.
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  /// The stream that will become `name` (one of the names given to the constructor).
  [[nodiscard]] std::ostream& operator[](const std::string& name);
  /// Closes every file and renames each to its own name. Throws OutputError if any write failed.
  void commit();

 private:
  struct File {
    std::string name;
    std::filesystem::path temporary;
    std::ofstream stream;
  };
  std::filesystem::path dir_;
  std::vector<File> files_;
  bool committed_ = false;
};

}  // namespace wlsim::cli

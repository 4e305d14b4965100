#include "staged_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <system_error>

#include "usage_error.hpp"

namespace wlsim::cli {

namespace {

/// The process id keeps two wlsim processes writing into one directory off each other's files; the
/// leading dot keeps an unfinished file out of a plain `ls`.
std::filesystem::path temporary_name(const std::filesystem::path& dir, const std::string& name) {
  return dir / ("." + name + ".wlsim-" + std::to_string(::getpid()) + ".tmp");
}

}  // namespace

StagedFiles::StagedFiles(std::filesystem::path dir, const std::vector<std::string>& names)
    : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw OutputError("cannot create directory '" + dir_.string() + "': " + ec.message());
  files_.reserve(names.size());
  for (const auto& name : names) {
    File& f = files_.emplace_back(File{name, temporary_name(dir_, name), {}});
    f.stream.open(f.temporary, std::ios::binary | std::ios::trunc);
    if (!f.stream) throw OutputError("cannot write to directory '" + dir_.string() + "'");
  }
}

StagedFiles::~StagedFiles() {
  if (committed_) return;
  for (File& f : files_) {
    f.stream.close();
    std::error_code ignored;  // a file that cannot be removed must not hide the run's own error
    std::filesystem::remove(f.temporary, ignored);
  }
}

std::ostream& StagedFiles::operator[](const std::string& name) {
  const auto it =
      std::find_if(files_.begin(), files_.end(), [&](const File& f) { return f.name == name; });
  return it->stream;
}

void StagedFiles::commit() {
  for (File& f : files_) {
    f.stream.close();
    if (!f.stream) throw OutputError("cannot write '" + (dir_ / f.name).string() + "'");
  }
  for (File& f : files_) {
    std::error_code ec;
    std::filesystem::rename(f.temporary, dir_ / f.name, ec);
    if (ec) throw OutputError("cannot write '" + (dir_ / f.name).string() + "': " + ec.message());
  }
  committed_ = true;
}

}  // namespace wlsim::cli

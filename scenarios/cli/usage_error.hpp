#pragma once
// The two ways a command line can be wrong, told apart because only one of them is helped by the
// command's --help.

#include <stdexcept>

namespace wlsim::cli {

/// A command line the user must correct (an unknown option, a value out of range, options that do
/// not go together): one line, then a hint to the command's --help. Exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A well-formed command whose output cannot be written (a --out directory that cannot be created
/// or written): one line, no hint. Exit 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wlsim::cli

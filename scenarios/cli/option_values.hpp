#pragma once
// Options whose values wlsim reads itself rather than through CLI11's conversions: whole numbers in
// base 10 only (CLI11 would read 010 as octal and 0x10 as hex) and choices from a fixed list, each
// rejected with a message that names the option, the value and what is allowed.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wlsim::cli {

/// `text` as a base-10 whole number: digits only, no sign, no overflow.
[[nodiscard]] std::optional<std::uint64_t> parse_whole_number(std::string_view text) noexcept;

/// Adds `--name N` that stores a whole number from `min` to `max` in `target` (left as it is when
/// the option is absent, so `target`'s initial value is the default shown in --help).
CLI::Option* add_whole_number(CLI::App& command, const std::string& name, std::int64_t& target,
                              std::int64_t min, std::int64_t max, const std::string& help);
CLI::Option* add_whole_number(CLI::App& command, const std::string& name, std::uint64_t& target,
                              std::uint64_t min, std::uint64_t max, const std::string& help);
CLI::Option* add_whole_number(CLI::App& command, const std::string& name, int& target, int min,
                              int max, const std::string& help);

/// Adds `--seed N`, any non-negative 64-bit integer; unset means the scenario's own seed.
CLI::Option* add_seed(CLI::App& command, std::optional<std::uint64_t>& target);

/// Adds `--name VALUE` that must be one of `allowed`; `target`'s initial value is the default.
CLI::Option* add_choice(CLI::App& command, const std::string& name, std::string& target,
                        std::vector<std::string> allowed, const std::string& help);

/// "a, b, c".
[[nodiscard]] std::string join(const std::vector<std::string>& items);

}  // namespace wlsim::cli

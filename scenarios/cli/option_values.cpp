#include "option_values.hpp"

#include <charconv>

namespace wlsim::cli {

namespace {

/// Checks a value against [min, max] with this message, before the option's callback stores it.
CLI::Validator whole_number_check(std::uint64_t min, std::uint64_t max, std::string range_text) {
  return CLI::Validator(
      [min, max, range_text = std::move(range_text)](std::string& text) -> std::string {
        const auto n = parse_whole_number(text);
        if (n && *n >= min && *n <= max) return {};
        return "'" + text + "' is not " + range_text;
      },
      "");
}

template <class T>
CLI::Option* add_bounded(CLI::App& command, const std::string& name, T& target, T min, T max,
                         const std::string& help) {
  const auto store = [&target](const CLI::results_t& results) {
    target = static_cast<T>(*parse_whole_number(results.front()));
    return true;
  };
  return command.add_option(name, store, help)
      ->type_name("N")
      ->type_size(1)
      ->expected(1)
      ->default_str(std::to_string(target))
      ->check(whole_number_check(
          static_cast<std::uint64_t>(min), static_cast<std::uint64_t>(max),
          "a whole number from " + std::to_string(min) + " to " + std::to_string(max)));
}

}  // namespace

std::optional<std::uint64_t> parse_whole_number(std::string_view text) noexcept {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

CLI::Option* add_whole_number(CLI::App& command, const std::string& name, std::int64_t& target,
                              std::int64_t min, std::int64_t max, const std::string& help) {
  return add_bounded(command, name, target, min, max, help);
}

CLI::Option* add_whole_number(CLI::App& command, const std::string& name, std::uint64_t& target,
                              std::uint64_t min, std::uint64_t max, const std::string& help) {
  return add_bounded(command, name, target, min, max, help);
}

CLI::Option* add_whole_number(CLI::App& command, const std::string& name, int& target, int min,
                              int max, const std::string& help) {
  return add_bounded(command, name, target, min, max, help);
}

CLI::Option* add_seed(CLI::App& command, std::optional<std::uint64_t>& target) {
  const auto store = [&target](const CLI::results_t& results) {
    target = parse_whole_number(results.front());
    return true;
  };
  const CLI::Validator check(
      [](std::string& text) -> std::string {
        return parse_whole_number(text) ? std::string{}
                                        : "'" + text + "' is not a non-negative integer";
      },
      "");
  return command.add_option("--seed", store, "overrides the scenario's seed")
      ->type_name("N")
      ->type_size(1)
      ->expected(1)
      ->check(check);
}

CLI::Option* add_choice(CLI::App& command, const std::string& name, std::string& target,
                        std::vector<std::string> allowed, const std::string& help) {
  const std::string list = join(allowed);
  std::string shown;
  for (const auto& a : allowed) shown += (shown.empty() ? "" : "|") + a;
  const CLI::Validator check(
      [allowed = std::move(allowed), list](std::string& text) -> std::string {
        for (const auto& a : allowed) {
          if (text == a) return {};
        }
        return "'" + text + "' is not one of: " + list;
      },
      "");
  const auto store = [&target](const CLI::results_t& results) {
    target = results.front();
    return true;
  };
  return command.add_option(name, store, help)
      ->type_name(shown)
      ->type_size(1)
      ->expected(1)
      ->default_str(target)
      ->check(check);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace wlsim::cli

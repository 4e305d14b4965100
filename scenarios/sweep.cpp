#include "wlsim/scenarios/sweep.hpp"

#include <mutex>
#include <stdexcept>

#include "parallel_runs.hpp"
#include "scenario_text.hpp"

namespace wlsim::scenarios {

namespace {

std::string trimmed(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

[[noreturn]] void bad_values(std::string_view text, const std::string& problem) {
  throw std::invalid_argument("value list '" + escape_for_message(text) + "': " + problem);
}

/// Where a quote opens a quoted scalar in YAML: at the start of a value, not inside a plain one
/// (`it's` is plain text).
bool opens_quote(std::string_view text, std::size_t i) {
  for (std::size_t j = i; j-- > 0;) {
    const char c = text[j];
    if (c == ' ' || c == '\t') continue;
    return c == ',' || c == '[' || c == '{' || c == ':';
  }
  return true;
}

}  // namespace

std::vector<std::string> split_values(std::string_view text) {
  std::vector<std::string> items;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  const auto take = [&](std::size_t end) {
    std::string item = trimmed(text.substr(start, end - start));
    if (item.empty()) bad_values(text, "an empty value (write null for the field's default)");
    items.push_back(std::move(item));
    start = end + 1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (quote == '"' && c == '\\') {
        ++i;  // the escaped character
      } else if (c == quote) {
        // In single quotes, '' is a quote character.
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
        } else {
          quote = 0;
        }
      }
      continue;
    }
    if ((c == '\'' || c == '"') && opens_quote(text, i)) {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth < 0) bad_values(text, std::string("a '") + c + "' without its opening bracket");
    } else if (c == ',' && depth == 0) {
      take(i);
    }
  }
  if (quote != 0) bad_values(text, std::string("a ") + quote + " is never closed");
  if (depth != 0) bad_values(text, "a bracket is never closed");
  take(text.size());
  return items;
}

std::vector<Variant> cartesian_variants(const std::vector<std::string>& options) {
  std::vector<std::string> paths;
  std::vector<std::vector<std::string>> values;
  std::size_t count = 1;
  for (const std::string& option : options) {
    const Override o = parse_override(option);
    for (const std::string& p : paths) {
      if (p == o.path) {
        throw std::invalid_argument("'" + escape_for_message(o.path) +
                                    "' is set twice (give its values in one list)");
      }
    }
    paths.push_back(o.path);
    values.push_back(split_values(o.value));
    count *= values.back().size();
    if (count > kMaxVariants) {
      throw std::invalid_argument("the values make more than " + std::to_string(kMaxVariants) +
                                  " variants");
    }
  }
  std::vector<Variant> variants(count);
  for (std::size_t v = 0; v < count; ++v) {
    // Variant v's digits in the mixed radix of the value counts, the first option most
    // significant.
    std::size_t rest = v;
    std::vector<std::size_t> digit(paths.size());
    for (std::size_t i = paths.size(); i-- > 0;) {
      digit[i] = rest % values[i].size();
      rest /= values[i].size();
    }
    for (std::size_t i = 0; i < paths.size(); ++i) {
      variants[v].overrides.push_back({paths[i], values[i][digit[i]]});
    }
  }
  return variants;
}

std::string variant_text(const Variant& v) {
  if (v.overrides.empty()) return "(no overrides)";
  std::string out;
  for (const Override& o : v.overrides) {
    if (!out.empty()) out += ", ";
    out += o.path + "=" + o.value;
  }
  return out;
}

std::vector<Scenario> load_variants(const Source& source, const std::vector<Override>& base,
                                    const std::vector<Variant>& variants, const Limits& limits) {
  std::vector<Scenario> out;
  out.reserve(variants.size());
  for (std::size_t i = 0; i < variants.size(); ++i) {
    std::vector<Override> overrides = base;
    overrides.insert(overrides.end(), variants[i].overrides.begin(), variants[i].overrides.end());
    try {
      out.push_back(load_source(source, overrides, limits));
    } catch (const ScenarioError& e) {
      throw ScenarioError("variant " + std::to_string(i) + " (" +
                          escape_for_message(variant_text(variants[i])) + "): " + e.what());
    }
  }
  return out;
}

SweepRun sweep_run(std::size_t variant, const RunResult& r) {
  return SweepRun{.variant = variant,
                  .seed = r.seed,
                  .trace_hash = r.trace_hash,
                  .events = r.events,
                  .simulated_seconds = r.simulated.seconds(),
                  .rows = run_rows(r)};
}

void run_sweep(const std::vector<Scenario>& variants, const std::vector<std::uint64_t>& seeds,
               int threads, const RunLimits& limits, const std::set<RunKey>& done,
               const std::function<void(const SweepRun&)>& on_done) {
  std::vector<RunKey> todo;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    for (const std::uint64_t seed : seeds) {
      if (!done.contains({v, seed})) todo.emplace_back(v, seed);
    }
  }
  std::mutex mutex;
  detail::run_in_parallel(todo.size(), threads, [&](std::size_t i) {
    const auto [v, seed] = todo[i];
    const SweepRun r = sweep_run(v, run(variants[v], {.seed = seed, .limits = limits}));
    const std::scoped_lock lock(mutex);
    on_done(r);
  });
}

}  // namespace wlsim::scenarios

#include <filesystem>
#include <iostream>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "option_values.hpp"
#include "staged_files.hpp"
#include "usage_error.hpp"
#include "wlsim/scenarios/expectations.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::cli {

namespace {

struct Checked {
  std::string file;
  std::vector<scenarios::ExpectationOutcome> outcomes;
};

/// Text safe in an XML attribute or element: the five specials as entities, and the control
/// characters XML 1.0 cannot carry at all as '?'.
std::string xml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::size_t failures(const std::vector<scenarios::ExpectationOutcome>& outcomes) {
  std::size_t n = 0;
  for (const auto& o : outcomes) n += o.held ? 0 : 1;
  return n;
}

/// One testsuite per file, one testcase per expectation (JUnit XML as CI servers read it).
void write_junit(std::ostream& out, const std::vector<Checked>& checked) {
  std::size_t tests = 0;
  std::size_t failed = 0;
  for (const Checked& c : checked) {
    tests += c.outcomes.size();
    failed += failures(c.outcomes);
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"wlsim check\" tests=\"" << tests << "\" failures=\"" << failed
      << "\">\n";
  for (const Checked& c : checked) {
    out << "  <testsuite name=\"" << xml(c.file) << "\" tests=\"" << c.outcomes.size()
        << "\" failures=\"" << failures(c.outcomes) << "\">\n";
    for (const auto& o : c.outcomes) {
      out << "    <testcase classname=\"" << xml(c.file) << "\" name=\"" << xml(o.name) << "\"";
      if (o.held) {
        out << "/>\n";
        continue;
      }
      const std::string message = "expected " + o.expected + ", got " + o.actual;
      out << ">\n      <failure message=\"" << xml(message) << "\">"
          << xml(scenarios::failure_line(c.file, o)) << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace

CheckCommand::CheckCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "check",
      "Run scenarios and check their expect blocks.\n\n"
      "Runs each FILE once (its own seed, or --seed) and evaluates its `expect` block: prints one\n"
      "line per failed expectation, FILE: NAME: expected X, got Y, then a line with the counts.\n"
      "Exit status 0 when every expectation holds, 1 when any fails, 2 for invalid input (every\n"
      "file is loaded before the first runs; --set applies to every file). --junit also writes "
      "the\n"
      "outcomes as JUnit XML: one testsuite per file, one testcase per expectation.");
  input_.add_to(*app_, ScenarioInput::Files::many);
  add_seed(*app_, seed_);
  app_->add_option("--junit", junit_, "also write the outcomes to this file as JUnit XML")
      ->type_name("FILE");
  budget_.add_to(*app_);
  app_->footer("Exit status: 0 every expectation holds, 1 one fails, 2 invalid input or usage.");
}

int CheckCommand::execute() const {
  const std::filesystem::path junit(junit_);
  if (!junit_.empty() && !junit.has_filename()) {
    throw UsageError("--junit needs a file name, not a directory ('" + junit_ + "')");
  }
  const std::vector<scenarios::Scenario> loaded = input_.load_all();
  const std::vector<std::string> files = input_.origins();
  std::vector<Checked> checked;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (loaded[i].expect.empty()) {
      std::cerr << "wlsim: " << files[i] << ": no expect block, nothing to check\n";
    }
    checked.push_back(
        {files[i], scenarios::check(loaded[i], {.seed = seed_, .limits = budget_.limits()})});
  }
  if (!junit_.empty()) {
    const std::filesystem::path& path = junit;
    try {
      const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
      StagedFiles staged(dir, {path.filename().string()});
      write_junit(staged[path.filename().string()], checked);
      staged.commit();
    } catch (const OutputError& e) {
      throw OutputError(std::string("--junit: ") + e.what());
    }
  }
  std::size_t total = 0;
  std::size_t failed = 0;
  for (const Checked& c : checked) {
    for (const auto& o : c.outcomes) {
      ++total;
      if (o.held) continue;
      ++failed;
      std::cout << scenarios::failure_line(c.file, o) << "\n";
    }
  }
  const std::string count =
      std::to_string(checked.size()) + " file" + (checked.size() == 1 ? "" : "s");
  if (failed == 0) {
    std::cout << "all " << total << " expectation" << (total == 1 ? "" : "s") << " hold (" << count
              << ")\n";
  } else {
    std::cout << failed << " of " << total << " expectation" << (total == 1 ? "" : "s")
              << " failed (" << count << ")\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace wlsim::cli

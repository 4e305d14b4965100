#include <algorithm>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "option_values.hpp"
#include "staged_files.hpp"
#include "usage_error.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/replications.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::cli {

namespace {
constexpr int kMaxCount = 999'999;

/// --top's value; the option has no variable of its own (its check has read the text already).
std::optional<std::size_t> top_of(const CLI::App& run) {
  const CLI::Option* option = run.get_option("--top");
  if (option->count() == 0) return std::nullopt;
  return static_cast<std::size_t>(*parse_whole_number(option->results().front()));
}
}  // namespace

RunCommand::RunCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "run",
      "Simulate a scenario to its duration and print the summary.\n\n"
      "The summary is a table, or with --format json one object {scenario, seed, "
      "simulatedSeconds,\n"
      "events, traceRecords, traceHash, workloads: {id: {status, timeToRunning, ...}}}.\n"
      "With --replications R, runs seeds N..N+R-1 and prints each workload's metrics across them:\n"
      "n, mean, 95% confidence half-width, p50, p90, max (json: also every run's summary).\n"
      "The table starts with the fleet section (every workload together); --top N lists only the\n"
      "worst N workloads: errored, then never running, then the longest timeToRunning.\n"
      "With --out DIR, also writes DIR/summary.json and DIR/trace.csv, the trace streamed as the "
      "run\n"
      "goes; both appear only when the run succeeds (a run that exhausts its event budget writes\n"
      "neither).");
  input_.add_to(*app_);
  add_seed(*app_, seed_);
  add_choice(*app_, "--format", format_, {"table", "json"}, "how to print the summary");
  out_option_ = app_->add_option("--out", out_,
                                 "also write DIR/summary.json and DIR/trace.csv (one run only)")
                    ->type_name("DIR");
  replications_option_ = add_whole_number(*app_, "--replications", replications_, 1, kMaxCount,
                                          "run seeds N..N+R-1 and print their statistics")
                             ->type_name("R");
  threads_ =
      static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, unsigned{kMaxCount}));
  threads_option_ = add_whole_number(*app_, "--threads", threads_, 1, kMaxCount,
                                     "replications on T threads (default: the cores); same output")
                        ->type_name("T")
                        ->default_str("");
  app_->add_option("--top",
                   "the table shows only the worst N workloads: errored, then never running, then "
                   "the longest timeToRunning (one run, --format table)")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const auto n = parse_whole_number(text);
            if (n && *n >= 1 && *n <= kMaxCount) return {};
            return "'" + text + "' is not a whole number from 1 to " + std::to_string(kMaxCount);
          },
          ""));
  budget_.add_to(*app_);
}

int RunCommand::execute() const {
  if (threads_option_->count() > 0 && replications_option_->count() == 0) {
    throw UsageError("--threads needs --replications");
  }
  if (top_of(*app_) && (format_ == "json" || replications_option_->count() > 0)) {
    throw UsageError(
        "--top picks the rows of one run's table; leave it out with --format json and with "
        "--replications");
  }
  if (replications_option_->count() > 0 && out_option_->count() > 0) {
    throw UsageError("--out writes one run's trace; leave it out with --replications");
  }
  const scenarios::Scenario s = input_.load();
  return replications_option_->count() > 0 ? run_replications(s) : run_once(s);
}

int RunCommand::run_replications(const scenarios::Scenario& s) const {
  const auto summary = scenarios::run_replications(s, seed_.value_or(s.seed), replications_,
                                                   threads_, budget_.limits());
  std::cout << (format_ == "json" ? scenarios::replications_json(summary) + "\n"
                                  : scenarios::replications_table(summary));
  return 0;
}

int RunCommand::run_once(const scenarios::Scenario& s) const {
  scenarios::RunOptions options{.seed = seed_, .limits = budget_.limits()};
  if (out_option_->count() == 0) {
    const scenarios::RunResult r = scenarios::run(s, options);
    std::cout << (format_ == "json" ? scenarios::summary_json(r) + "\n"
                                    : scenarios::summary_table(r, top_of(*app_)));
    return 0;
  }
  try {
    StagedFiles files(out_, {"trace.csv", "summary.json"});
    engine::CsvSink trace(files["trace.csv"]);
    options.sink = &trace;
    const scenarios::RunResult r = scenarios::run(s, options);
    const std::string json = scenarios::summary_json(r);
    files["summary.json"] << json << "\n";
    files.commit();
    std::cout << (format_ == "json" ? json + "\n" : scenarios::summary_table(r, top_of(*app_)));
  } catch (const OutputError& e) {
    throw OutputError(std::string("--out: ") + e.what());
  }
  return 0;
}

}  // namespace wlsim::cli

// wlsim sweep FILE --set PATH=V1,V2,... --replications R: every variant of the cartesian product
// on the same seeds, the runs written to a result store as they finish, and the statistics of
// each metric per variant read back from the store (so a resumed sweep prints what an
// uninterrupted one prints).

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <stdexcept>
#include <thread>

#include "commands.hpp"
#include "option_values.hpp"
#include "usage_error.hpp"
#include "wlsim/scenarios/result_store.hpp"
#include "wlsim/scenarios/sweep.hpp"

namespace wlsim::cli {

namespace {

constexpr int kMaxCount = 999'999;
constexpr const char* kInMemory = ":memory:";

/// A bar on stderr while runs finish, only when stderr is a terminal; cleared at the end.
class Progress {
 public:
  Progress(std::size_t total, std::size_t done) : total_(total), done_(done) {
    if (shown_ && done_ > 0) {
      std::cerr << "wlsim: resuming: " << done_ << " of " << total_ << " runs already stored\n";
    }
    draw();
  }
  ~Progress() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void tick() {
    ++done_;
    draw();
  }

 private:
  void draw() const {
    if (!shown_) return;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ == 0 ? kWidth : kWidth * done_ / total_;
    std::cerr << "\rsweep [" << std::string(filled, '#') << std::string(kWidth - filled, ' ')
              << "] " << done_ << "/" << total_ << " runs" << std::flush;
  }

  bool shown_ = ::isatty(STDERR_FILENO) == 1;
  std::size_t total_;
  std::size_t done_;
};

}  // namespace

SweepCommand::SweepCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "sweep",
      "Run every variant of a scenario on the same seeds and print each metric's statistics.\n\n"
      "Each --set PATH=V1,V2,... gives a parameter's values (a value with commas in [], {} or\n"
      "quotes is one value); the variants are the cartesian product, the first --set varying\n"
      "slowest. Every variant runs seeds N..N+R-1 (common random numbers), so the difference to\n"
      "variant 0 is paired by seed and workload. Per metric and variant: n, mean, 95% interval,\n"
      "p50, p90 over workloads × seeds, and the paired difference with its 95% interval.\n"
      "With --out FILE the runs go to an SQLite file as they finish; run the same command again\n"
      "to resume a sweep that was stopped (docs/studies.md has the tables).");
  input_.add_to(*app_);
  app_->get_option("--set")
      ->description(
          "a parameter's values (repeatable): PATH as for wlsim run --set, then YAML values "
          "separated by commas, e.g. "
          "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds=5,10")
      ->type_name("PATH=V1,V2,...");
  add_seed(*app_, seed_);
  add_whole_number(*app_, "--replications", replications_, 1, kMaxCount,
                   "seeds per variant: N..N+R-1")
      ->type_name("R")
      ->default_str("")
      ->required();
  threads_ =
      static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, unsigned{kMaxCount}));
  add_whole_number(*app_, "--threads", threads_, 1, kMaxCount,
                   "runs on T threads (default: the cores); same output")
      ->type_name("T")
      ->default_str("");
  app_->add_option("--out", out_,
                   "write the runs to this SQLite file as they finish, and resume from it")
      ->type_name("FILE");
  add_choice(*app_, "--format", format_, {"table", "json"}, "how to print the statistics");
  budget_.add_to(*app_);
}

int SweepCommand::execute() const {
  if (input_.set_options().empty()) {
    throw UsageError("sweep needs at least one --set PATH=V1,V2,...");
  }
  std::vector<scenarios::Variant> variants;
  try {
    variants = scenarios::cartesian_variants(input_.set_options());
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--set: ") + e.what());
  }
  const scenarios::Source source = input_.source();
  const std::vector<scenarios::Scenario> loaded =
      scenarios::load_variants(source, {}, variants, input_.limits());
  std::set<std::string> warnings;
  for (const scenarios::Scenario& s : loaded) warnings.insert(s.warnings.begin(), s.warnings.end());
  print_warnings(std::vector<std::string>(warnings.begin(), warnings.end()));

  const std::uint64_t first = seed_.value_or(loaded.front().seed);
  std::vector<std::uint64_t> seeds;
  seeds.reserve(static_cast<std::size_t>(replications_));
  for (int i = 0; i < replications_; ++i) seeds.push_back(first + static_cast<std::uint64_t>(i));

  try {
    scenarios::ResultStore store(out_.empty() ? kInMemory : out_, {.scenario = loaded.front().name,
                                                                   .source_text = source.text,
                                                                   .base = {},
                                                                   .variants = variants,
                                                                   .seeds = seeds});
    const std::set<scenarios::RunKey> done = store.done();
    {
      Progress progress(variants.size() * seeds.size(), done.size());
      scenarios::run_sweep(loaded, seeds, threads_, budget_.limits(), done,
                           [&](const scenarios::SweepRun& run) {
                             store.add(run);
                             progress.tick();
                           });
    }
    const scenarios::SweepResults results{.scenario = loaded.front().name,
                                          .variants = variants,
                                          .seeds = seeds,
                                          .runs = store.read()};
    std::cout << (format_ == "json" ? scenarios::sweep_json(results) + "\n"
                                    : scenarios::sweep_table(results));
  } catch (const scenarios::StoreError& e) {
    throw OutputError(std::string("--out: ") + e.what());
  }
  return 0;
}

}  // namespace wlsim::cli

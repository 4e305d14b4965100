#include <iostream>
#include <optional>

#include "commands.hpp"
#include "option_values.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::cli {

TraceCommand::TraceCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "trace",
      "Simulate a scenario and print every trace record.\n\n"
      "Prints the event log as the run goes: one record per state change or event (time, object,\n"
      "kind, from, to, reason, message, count, first, last). An event that repeats exactly is\n"
      "printed when it first happens and, when the run ends, once more as its series: count\n"
      "(every occurrence), first and last (their times), as Kubernetes aggregates events.\n"
      "Invalid input is found before the first record; a run that exhausts its event budget\n"
      "(--max-events) stops with an error after the records so far.");
  input_.add_to(*app_);
  add_seed(*app_, seed_);
  add_choice(*app_, "--format", format_, {"csv", "jsonl"}, "CSV with a header row, or JSON lines");
  budget_.add_to(*app_);
}

int TraceCommand::execute() const {
  const scenarios::Scenario s = input_.load();
  std::optional<engine::CsvSink> csv;
  std::optional<engine::JsonLinesSink> jsonl;
  engine::TraceSink& sink = format_ == "csv"
                                ? static_cast<engine::TraceSink&>(csv.emplace(std::cout))
                                : jsonl.emplace(std::cout);
  (void)scenarios::run(s, {.seed = seed_, .sink = &sink, .limits = budget_.limits()});
  return 0;
}

}  // namespace wlsim::cli

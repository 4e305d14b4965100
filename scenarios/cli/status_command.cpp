#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "option_values.hpp"
#include "usage_error.hpp"
#include "wlsim/engine/time.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::cli {

StatusCommand::StatusCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "status",
      "Simulate to a time and print every workload's status details.\n\n"
      "Simulates FILE up to --at TIME and prints each workload's protons, replicas (phase,\n"
      "conditions, node, last messages) and containers (state, reason, ready, restartCount, last\n"
      "exit), like the platform's statusDetails.");
  input_.add_to(*app_);
  app_->add_option("--at", at_, "a simulated time within the duration (e.g. 10m)")
      ->type_name("TIME");
  add_seed(*app_, seed_);
  add_choice(*app_, "--format", format_, {"table", "json"}, "how to print the details");
  budget_.add_to(*app_);
}

int StatusCommand::execute() const {
  if (app_->get_option("--at")->count() == 0)
    throw UsageError("status needs --at TIME (e.g. --at 10m)");
  engine::Time at;
  try {
    at = engine::parse_duration(at_);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--at: ") + e.what());
  }
  const scenarios::Scenario s = input_.load();
  if (at > s.duration) {
    throw UsageError("--at: " + at_ + " is after the scenario's duration (" +
                     engine::format_duration(s.duration) + ")");
  }
  const scenarios::RunOptions options{
      .seed = seed_,
      .until = at,
      .status = format_ == "json" ? scenarios::StatusFormat::Json : scenarios::StatusFormat::Table,
      .limits = budget_.limits()};
  const scenarios::RunResult r = scenarios::run(s, options);
  std::cout << r.status << (format_ == "json" ? "\n" : "");
  return 0;
}

}  // namespace wlsim::cli

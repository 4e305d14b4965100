#include <iostream>

#include "commands.hpp"
#include "wlsim/engine/time.hpp"

namespace wlsim::cli {

ValidateCommand::ValidateCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "validate",
      "Check a scenario and say what it holds.\n\n"
      "Checks FILE against the scenario format and the limits; prints what it holds, or the first\n"
      "error with its field path and the allowed values.");
  input_.add_to(*app_);
}

int ValidateCommand::execute() const {
  const scenarios::Scenario s = input_.load();
  std::int64_t nodes = 0;
  for (const auto& p : s.platform.cluster.node_pools) nodes += p.count;
  std::cout << input_.origin() << ": valid scenario '" << s.name
            << "': " << s.platform.workloads.size() << " workload(s), "
            << s.platform.artifacts.size() << " artifact(s), " << nodes << " node(s), duration "
            << engine::format_duration(s.duration) << "\n";
  return 0;
}

}  // namespace wlsim::cli

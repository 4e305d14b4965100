#include <iostream>

#include "commands.hpp"
#include "usage_error.hpp"
#include "wlsim/models/transitions.hpp"

namespace wlsim::cli {

namespace {
constexpr const char* kKinds = "container, phase, replica, proton, workload, replacement";
}

GraphCommand::GraphCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "graph", std::string("Print a state machine's legal transitions as Graphviz DOT.\n\n"
                           "KIND: ") +
                   kKinds + ".\nRender with: wlsim graph proton | dot -Tsvg > proton.svg");
  app_->add_option("KIND", kind_, "the state machine")->type_name("");
}

int GraphCommand::execute() const {
  if (kind_.empty()) throw UsageError(std::string("graph needs a KIND (") + kKinds + ")");
  const auto machine = models::parse_machine(kind_);
  if (!machine) throw UsageError("graph: '" + kind_ + "' is not one of: " + kKinds);
  std::cout << models::transition_graph(*machine).to_dot();
  return 0;
}

}  // namespace wlsim::cli

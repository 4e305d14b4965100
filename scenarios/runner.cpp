#include "wlsim/scenarios/runner.hpp"

#include "wlsim/scenarios/session.hpp"

namespace wlsim::scenarios {

RunResult run(const Scenario& scenario, const RunOptions& options) {
  RunOptions closed = options;
  closed.open_ended = false;
  Session session(scenario, closed);
  session.run_until(options.until.value_or(scenario.duration));
  session.finish();
  return session.take_result(options.status);
}

}  // namespace wlsim::scenarios

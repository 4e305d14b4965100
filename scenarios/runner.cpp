#include "wlsim/scenarios/runner.hpp"

#include "wlsim/scenarios/session.hpp"

namespace wlsim::scenarios {

RunResult run(const Scenario& scenario, const RunOptions& options) {
  Session session(scenario, options);
  session.run_until(options.until.value_or(scenario.duration));
  session.finish();
  return session.result(options.status);
}

}  // namespace wlsim::scenarios

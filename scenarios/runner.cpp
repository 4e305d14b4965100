#include "wlsim/scenarios/runner.hpp"

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform.hpp"

namespace wlsim::scenarios {

namespace {
WorkloadResult measure(const models::Workload& w, engine::Time end) {
  WorkloadResult r;
  r.id = w.id();
  r.status = std::string(models::to_string(w.status()));
  if (!w.time_to_running().is_never()) r.time_to_running_s = w.time_to_running().seconds();
  for (const models::Proton& p : w.protons()) {
    for (const models::Replica& rep : p.replicas()) {
      ++r.replicas;
      if (rep.status() == models::Status::Running) ++r.replicas_running;
      r.pending_s += rep.pending_time(end).seconds();
    }
  }
  return r;
}
}  // namespace

RunResult run(const Scenario& scenario, const RunOptions& options) {
  engine::Simulator sim;
  engine::Trace trace;
  if (options.sink != nullptr) trace.add_sink(*options.sink);
  const std::uint64_t seed = options.seed.value_or(scenario.seed);
  const models::Context ctx{sim, trace, seed};

  models::Platform platform(ctx, scenario.platform);
  platform.start();
  sim.run_until(scenario.duration);

  RunResult result;
  result.scenario = scenario.name;
  result.seed = seed;
  result.simulated = sim.now();
  result.events = sim.dispatched();
  result.trace_records = trace.count();
  result.trace_hash = trace.hash();
  for (const models::Workload& w : platform.workloads()) result.workloads.push_back(measure(w, sim.now()));
  return result;
}

}  // namespace wlsim::scenarios

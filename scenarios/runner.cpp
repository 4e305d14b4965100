#include "wlsim/scenarios/runner.hpp"

#include <algorithm>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform.hpp"
#include "wlsim/scenarios/status_report.hpp"

namespace wlsim::scenarios {

namespace {
using engine::Time;

// Successive milestones of the replica that completed the time to running, each clamped to be no
// earlier than the one before, so that the parts add up exactly.
TimeToRunningBreakdown breakdown(const models::Workload& w) {
  const models::Replica& r = *w.first_running_replica();
  Time images = Time::zero();
  Time up = Time::zero();
  for (const models::Container& c : r.containers()) {
    images = std::max(images, c.first_image_ready_at());
    up = std::max(up, c.first_up_at());
  }
  const Time done = w.created_at() + w.time_to_running();
  Time at = w.created_at();
  const auto part = [&](Time milestone) {
    const Time next = std::clamp(milestone, at, done);
    const double s = (next - at).seconds();
    at = next;
    return s;
  };
  TimeToRunningBreakdown b;
  b.pending_s = part(r.bound_at());
  b.provisioning_s = part(r.set_up_at());
  b.pulling_s = part(images);
  b.starting_s = part(up);
  b.probing_s = part(done);
  return b;
}

WorkloadResult measure(const models::Workload& w, Time end) {
  WorkloadResult r;
  r.id = w.id();
  r.status = std::string(models::to_string(w.status()));
  if (!w.time_to_running().is_never()) {
    r.time_to_running_s = w.time_to_running().seconds();
    r.breakdown = breakdown(w);
  }
  r.errored_dwell_s = w.errored_dwell(end).seconds();
  r.errored_recovered = w.errored_recovered();
  for (const models::Proton& p : w.protons()) {
    for (const models::Replica& rep : p.replicas()) {
      ++r.replicas;
      if (rep.status() == models::Status::Running) ++r.replicas_running;
      r.pending_s += rep.pending_time(end).seconds();
      r.restarts += rep.restarts();
      r.oom_kills += rep.oom_kills();
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
  sim.run_until(options.until.value_or(scenario.duration));

  RunResult result;
  result.scenario = scenario.name;
  result.seed = seed;
  result.simulated = sim.now();
  result.events = sim.dispatched();
  result.trace_records = trace.count();
  result.trace_hash = trace.hash();
  for (const models::Workload& w : platform.workloads()) result.workloads.push_back(measure(w, sim.now()));
  if (options.status == StatusFormat::Json) result.status = status_json(platform, sim.now());
  if (options.status == StatusFormat::Table) result.status = status_table(platform, sim.now());
  return result;
}

}  // namespace wlsim::scenarios

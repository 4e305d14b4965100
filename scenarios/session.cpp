#include "wlsim/scenarios/session.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <variant>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/status_report.hpp"

namespace wlsim::scenarios {

namespace {
using engine::Time;

// Successive milestones of the replica that completed the time to running, each clamped to be no
// earlier than the one before, so that the parts add up exactly.
TimeToRunningBreakdown breakdown(const models::Workload& w, const models::ReplicaMilestones& r) {
  const Time images = r.images_ready_at;
  const Time up = r.apps_up_at;
  const Time done = w.created_at() + w.time_to_running();
  Time at = w.created_at();
  const auto part = [&](Time milestone) {
    const Time next = std::clamp(milestone, at, done);
    const double s = (next - at).seconds();
    at = next;
    return s;
  };
  TimeToRunningBreakdown b;
  b.pending_s = part(r.bound_at);
  b.provisioning_s = part(r.set_up_at);
  b.pulling_s = part(images);
  b.starting_s = part(up);
  b.probing_s = part(done);
  return b;
}

std::optional<double> seconds_or_none(Time t) {
  return t.is_never() ? std::nullopt : std::optional<double>(t.seconds());
}

ResourceAmounts amounts(const models::Resources& r) {
  return {static_cast<double>(r.cpu_milli) / 1000.0, static_cast<double>(r.memory_bytes),
          static_cast<double>(r.gpu)};
}

ReplacementResult measure(const models::Replacement& rep, Time end) {
  ReplacementResult r;
  r.id = rep.id();
  r.artifact_id = rep.request().artifact_id;
  r.status = models::to_string(rep.status());
  r.outcome = rep.outcome();
  r.message = rep.message();
  r.runtime_only = rep.request().from_settings;
  r.posted_at_s = rep.posted_at().seconds();
  if (!rep.ended_at().is_never())
    r.replacement_duration_s = (rep.ended_at() - rep.posted_at()).seconds();
  if (!rep.switched_at().is_never())
    r.time_to_switch_s = (rep.switched_at() - rep.posted_at()).seconds();
  r.candidate_time_to_running_s = seconds_or_none(rep.candidate().time_to_running());
  r.candidate_errored_dwell_s = rep.candidate().errored_dwell(end).seconds();
  r.peak_surge = amounts(rep.peak_surge());
  return r;
}

LatencySummary latency_summary(const models::LatencyStats& l) {
  const std::vector<double> q = l.quantiles(std::array{0.5, 0.9, 0.99});
  return {l.mean(), q[0], q[1], q[2], l.max()};
}

TrafficResult measure(const models::Workload& w, models::Traffic& t,
                      const models::TrafficSpec& spec, Time end) {
  TrafficResult r;
  r.mode = spec.mode == models::TrafficMode::Fluid ? "fluid" : "requests";
  const models::TrafficTotals& totals = t.totals();
  r.arrived = totals.arrived;
  r.served = totals.served;
  r.dropped_timeout = totals.dropped_timeout;
  r.dropped_activator_full = totals.dropped_full;
  r.dropped_torn_down = totals.dropped_torn_down;
  r.in_flight = t.in_flight();
  const double span = (end - w.created_at()).seconds();
  r.mean_in_flight = span > 0 && !w.created_at().is_never() ? t.in_flight_integral() / span : 0;
  if (t.latency().count() > 0) {
    r.latency = latency_summary(t.latency());
    r.mean_wait_s = std::max(0.0, t.latency().mean() - totals.service_sum / totals.served);
  }
  r.cold_starts = totals.cold_starts;
  r.cold_start_requests = totals.cold_start_requests;
  if (t.cold_start_wait().count() > 0) r.cold_start_wait = latency_summary(t.cold_start_wait());
  return r;
}

WorkloadResult measure(const models::Workload& w, Time end, const models::TrafficSpec* traffic) {
  WorkloadResult r;
  r.id = w.id();
  r.status = std::string(models::to_string(w.status()));
  r.created_at_s = seconds_or_none(w.created_at());
  r.ever_errored = w.ever_errored();
  r.deleted = w.deleted();
  if (!w.time_to_running().is_never()) {
    r.time_to_running_s = w.time_to_running().seconds();
    // None for zero replicas.
    if (const auto m = w.first_running_milestones()) r.breakdown = breakdown(w, *m);
  }
  r.errored_dwell_s = w.errored_dwell(end).seconds();
  r.errored_recovered = w.errored_recovered();
  r.degraded_s = w.degraded_time(end).seconds();
  r.protons.reserve(w.protons().size());
  for (const models::Proton& p : w.protons()) {
    r.protons.push_back({p.id(), p.artifact().id, models::to_string(p.role()),
                         std::string(models::to_string(p.status())),
                         seconds_or_none(p.time_to_running()), p.errored_dwell(end).seconds()});
    // Every replica it ever had, in creation order (the sums are of doubles): a folded one that
    // left no figures adds zero.
    for (std::size_t i = 0; i < p.replicas_created(); ++i) {
      const models::ReplicaFigures rep = p.figures(i, end);
      r.pending_s += rep.pending_time().seconds();
      r.pending_no_capacity_s += rep.pending_time(models::PendingCause::NoCapacity).seconds();
      r.pending_for_victims_s +=
          rep.pending_time(models::PendingCause::WaitingForVictims).seconds();
      r.pending_for_node_s += rep.pending_time(models::PendingCause::WaitingForNode).seconds();
      r.restarts += rep.restarts;
      r.oom_kills += rep.oom_kills;
      if (rep.preempted_others) ++r.preemptor;
      if (const auto cause = rep.evicted_by) {
        switch (*cause) {
          case models::EvictionCause::Preemption:
            ++r.preempted;
            ++r.evictions_preemption;
            break;
          case models::EvictionCause::NodeFailure:
            ++r.evictions_node_failure;
            break;
          case models::EvictionCause::ScaleDown:
            ++r.evictions_scale_down;
            break;
        }
      }
    }
  }
  if (const models::Proton* active = w.active_proton(); active != nullptr && !active->torn_down()) {
    r.replicas = active->scale();
    r.replicas_running = active->ready_count();
  }
  r.peak_held = amounts(w.peak_held());
  const models::ResourceSeconds rs = w.resource_seconds(end);
  r.replica_seconds = rs.replica;
  r.resource_seconds = {rs.cpu, rs.memory_gb * 1e9, rs.gpu};
  r.replacements.reserve(w.replacements().size());
  for (const models::Replacement& rep : w.replacements())
    r.replacements.push_back(measure(rep, end));
  if (traffic != nullptr && w.traffic() != nullptr)
    r.traffic = measure(w, *w.traffic(), *traffic, end);
  if (!w.replica_timeline().empty()) {
    r.replica_timeline.reserve(w.replica_timeline().size());
    for (const models::ReplicaCounts& c : w.replica_timeline()) {
      r.replica_timeline.push_back({c.at.seconds(), c.desired, c.current, c.ready,
                                    models::state_name(models::TraceKind::Replicas, c.mode)});
    }
    const ReplicaCountPoint& last = r.replica_timeline.back();
    const models::Autoscaler& a = w.autoscaler();
    r.scaling =
        ScalingResult{a.scale_events(),        last.desired,          last.current, last.ready,
                      std::string(a.policy()), std::string(last.mode)};
  }
  return r;
}

ClusterResult measure_cluster(const models::PlatformSpec& spec, const models::Platform& platform,
                              Time end) {
  ClusterResult c;
  const models::Cluster& cluster = platform.cluster();
  const auto& pools = spec.cluster.node_pools;
  std::vector<int> peak(pools.size(), 0);
  for (const models::Cluster::NodeCountPoint& p : cluster.node_counts()) {
    peak[p.pool] = std::max(peak[p.pool], p.nodes);
    c.node_timeline.push_back({p.at.seconds(), pools[p.pool].name, p.nodes});
  }
  for (std::size_t i = 0; i < pools.size(); ++i) {
    c.pools.push_back({pools[i].name, cluster.pool_size(i), peak[i], cluster.node_seconds(i, end)});
    c.dynamic = c.dynamic || pools[i].autoscaled();
  }
  if (const models::ClusterAutoscaler* ca = platform.cluster_autoscaler(); ca != nullptr) {
    c.scale_ups = ca->scale_ups();
    c.scale_downs = ca->scale_downs();
  }
  c.node_failures = platform.node_failures();
  for (const models::FaultSpec& f : spec.faults)
    c.dynamic = c.dynamic || f.kind == models::FaultSpec::Kind::NodeFailure;
  return c;
}
}  // namespace

namespace {
/// What the objects must keep of their last records: only what a call or a report can read.
models::Context::KeepRecent keep_recent(const Scenario& scenario, const RunOptions& options) {
  if (options.open_ended) return {};
  models::Context::KeepRecent keep{.pod_details = options.status != StatusFormat::None,
                                   .workload_records = false};
  for (const models::ActionSpec& a : scenario.platform.actions) {
    if (std::holds_alternative<models::api::StatusDetails>(a.call.request)) keep.pod_details = true;
    if (const auto* w = std::get_if<models::api::WorkloadCall>(&a.call.request);
        w != nullptr && w->verb == models::api::WorkloadCall::Verb::Events) {
      keep.workload_records = true;
    }
  }
  return keep;
}
}  // namespace

Session::Session(const Scenario& scenario, const RunOptions& options)
    : scenario_(scenario),
      seed_(options.seed.value_or(scenario.seed)),
      max_events_(options.limits.max_events),
      replicas_(scenario.limits.max_replicas_total),
      container_specs_(scenario.container_specs != nullptr
                           ? scenario.container_specs
                           : std::make_shared<models::ContainerSpecPool>()),
      ctx_{sim_,
           trace_,
           seed_,
           &replicas_,
           scenario.platform.settings.kubelet,
           &surge_,
           keep_recent(scenario, options),
           container_specs_.get(),
           &sojourn_memo_,
           scenario.platform.settings.pass_silently},
      platform_(ctx_, scenario.platform) {
  // The platform records nothing until it starts, so the caller's sink sees every record.
  if (options.sink != nullptr) trace_.add_sink(*options.sink);
  sim_.set_event_budget(max_events_);
  platform_.start();
}

ScenarioError Session::limit_error(const models::LimitExceeded& e) const {
  return ScenarioError(scenario_.name + ": at " + engine::seconds_text(sim_.now()) + "s " +
                       e.what());
}

Time Session::now() const {
  const std::scoped_lock lock(mutex_);
  return sim_.now();
}

void Session::run_until(Time t) {
  const std::scoped_lock lock(mutex_);
  if (t > scenario_.duration) {
    throw ScenarioError("run_until: " + engine::format_duration(t) +
                        " is after the scenario's duration (" +
                        engine::format_duration(scenario_.duration) + ")");
  }
  engine::RunOutcome outcome{};
  try {
    outcome = sim_.run_until(std::max(t, sim_.now()));
  } catch (const models::LimitExceeded& e) {
    ctx_.finish();
    throw limit_error(e);
  }
  // The run ends at its horizon and where its budget stops it: the trace ends there too.
  if (outcome == engine::RunOutcome::BudgetExhausted || t == scenario_.duration) ctx_.finish();
  if (outcome == engine::RunOutcome::BudgetExhausted) {
    throw ScenarioError(
        scenario_.name + ": the run used its whole event budget of " + std::to_string(max_events_) +
        " events at " + engine::seconds_text(sim_.now()) +
        "s of simulated time (raise it with --max-events, or max_events= in Python)");
  }
}

void Session::finish() {
  const std::scoped_lock lock(mutex_);
  ctx_.finish();
}

models::api::Response Session::call(std::string_view endpoint, std::string_view body) {
  const std::scoped_lock lock(mutex_);
  const models::api::Call c = parse_call(endpoint, body, scenario_.profile, scenario_.limits);
  try {
    return platform_.call(c);
  } catch (const models::LimitExceeded& e) {
    ctx_.finish();
    throw limit_error(e);
  }
}

RunResult Session::result(StatusFormat status) const {
  const std::scoped_lock lock(mutex_);
  RunResult result = measured(status);
  result.calls.reserve(platform_.calls().size());
  for (const models::CallRecord& c : platform_.calls()) {
    result.calls.push_back({c.at.seconds(), c.endpoint, c.response.status, c.response.body});
  }
  return result;
}

RunResult Session::take_result(StatusFormat status) {
  const std::scoped_lock lock(mutex_);
  RunResult result = measured(status);
  std::vector<models::CallRecord> calls = platform_.take_calls();
  result.calls.reserve(calls.size());
  for (models::CallRecord& c : calls) {
    result.calls.push_back(
        {c.at.seconds(), std::move(c.endpoint), c.response.status, std::move(c.response.body)});
  }
  return result;
}

RunResult Session::measured(StatusFormat status) const {
  RunResult result;
  result.scenario = scenario_.name;
  result.seed = seed_;
  result.simulated = sim_.now();
  result.events = sim_.dispatched();
  result.silent_events = sim_.dispatched_silently();
  result.trace_records = trace_.count();
  result.trace_hash = trace_.hash();
  std::map<std::string_view, const models::TrafficSpec*> traffic;
  for (const models::TrafficSpec& t : scenario_.platform.traffic) traffic.emplace(t.workload, &t);
  result.workloads.reserve(platform_.workloads().size());
  for (const models::Workload& w : platform_.workloads()) {
    const auto it = traffic.find(w.id());
    result.workloads.push_back(measure(w, sim_.now(), it != traffic.end() ? it->second : nullptr));
  }
  result.cluster = measure_cluster(scenario_.platform, platform_, sim_.now());
  result.surge_peak = amounts(surge_.peak());
  if (status == StatusFormat::Json) result.status = status_json(platform_, sim_.now());
  if (status == StatusFormat::Table) result.status = status_table(platform_, sim_.now());
  return result;
}

}  // namespace wlsim::scenarios

// The `expect` block's schema: which names it takes, what each condition compares with, and the
// checks that make a typo an error at load time rather than a failed expectation after a run.

#include "expect_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <variant>

#include "wlsim/engine/json.hpp"
#include "wlsim/models/trace_kinds.hpp"

namespace wlsim::scenarios {

namespace {

/// What a metric's value is: how its condition is read and its value printed.
enum class MetricType {
  Seconds,  ///< a time: a number of seconds or a duration ("70s", "1m30s")
  Number,   ///< a count or an amount
  Flag,     ///< true or false
  Status,   ///< a workload status
  Text,     ///< a name (a mode, a policy)
};

struct Metric {
  std::string_view name;
  MetricType type;
};

// A workload's summary (summary.cpp), every scalar by its dotted path, in summary order. A test
// compares this list with the summaries of the examples, so a metric added there is added here.
constexpr std::array kMetrics{
    Metric{"status", MetricType::Status},
    Metric{"timeToRunning", MetricType::Seconds},
    Metric{"timeToRunningBreakdown.pending", MetricType::Seconds},
    Metric{"timeToRunningBreakdown.provisioning", MetricType::Seconds},
    Metric{"timeToRunningBreakdown.pulling", MetricType::Seconds},
    Metric{"timeToRunningBreakdown.starting", MetricType::Seconds},
    Metric{"timeToRunningBreakdown.probing", MetricType::Seconds},
    Metric{"pendingTime", MetricType::Seconds},
    Metric{"erroredDwell", MetricType::Seconds},
    Metric{"erroredRecovered", MetricType::Flag},
    Metric{"restarts", MetricType::Number},
    Metric{"oomKills", MetricType::Number},
    Metric{"replicas", MetricType::Number},
    Metric{"replicasRunning", MetricType::Number},
    Metric{"peakHeld.cpu", MetricType::Number},
    Metric{"peakHeld.memory", MetricType::Number},
    Metric{"peakHeld.gpu", MetricType::Number},
    Metric{"pendingTimeByCause.noCapacity", MetricType::Seconds},
    Metric{"pendingTimeByCause.waitingForVictims", MetricType::Seconds},
    Metric{"pendingTimeByCause.waitingForNode", MetricType::Seconds},
    Metric{"preemptions.asVictim", MetricType::Number},
    Metric{"preemptions.asPreemptor", MetricType::Number},
    Metric{"evictions.preemption", MetricType::Number},
    Metric{"evictions.nodeFailure", MetricType::Number},
    Metric{"evictions.scaleDown", MetricType::Number},
    Metric{"degradedTime", MetricType::Seconds},
    Metric{"replicaSeconds", MetricType::Number},
    Metric{"resourceSeconds.cpu", MetricType::Number},
    Metric{"resourceSeconds.memory", MetricType::Number},
    Metric{"resourceSeconds.gpu", MetricType::Number},
    Metric{"requests.mode", MetricType::Text},
    Metric{"requests.arrived", MetricType::Number},
    Metric{"requests.served", MetricType::Number},
    Metric{"requests.dropped.timeout", MetricType::Number},
    Metric{"requests.dropped.activatorFull", MetricType::Number},
    Metric{"requests.dropped.tornDown", MetricType::Number},
    Metric{"requests.inFlight", MetricType::Number},
    Metric{"requests.meanInFlight", MetricType::Number},
    Metric{"requests.meanWait", MetricType::Seconds},
    Metric{"requestLatency.mean", MetricType::Seconds},
    Metric{"requestLatency.p50", MetricType::Seconds},
    Metric{"requestLatency.p90", MetricType::Seconds},
    Metric{"requestLatency.p99", MetricType::Seconds},
    Metric{"requestLatency.max", MetricType::Seconds},
    Metric{"coldStarts.count", MetricType::Number},
    Metric{"coldStarts.requests", MetricType::Number},
    Metric{"coldStarts.wait.mean", MetricType::Seconds},
    Metric{"coldStarts.wait.p50", MetricType::Seconds},
    Metric{"coldStarts.wait.p90", MetricType::Seconds},
    Metric{"coldStarts.wait.p99", MetricType::Seconds},
    Metric{"coldStarts.wait.max", MetricType::Seconds},
    Metric{"scaleEvents", MetricType::Number},
    Metric{"autoscaler.desired", MetricType::Number},
    Metric{"autoscaler.current", MetricType::Number},
    Metric{"autoscaler.ready", MetricType::Number},
    Metric{"autoscaler.policy", MetricType::Text},
    Metric{"autoscaler.mode", MetricType::Text},
};

// The fleet's names besides the statuses (each status counts the workloads ending in it).
constexpr std::string_view kAllRunning = "allRunning";
constexpr std::string_view kWorkloads = "workloads";
constexpr std::string_view kEverErrored = "everErrored";
// Fleet-section times, and the replacements still under way at the end.
constexpr std::array<std::string_view, 2> kFleetTimes{"timeAllRunning", "rolloutMakespan"};
constexpr std::string_view kInFlight = "replacementsInFlight";

// The machines whose states a sequence may name (those trace_check.hpp checks).
constexpr std::array<std::string_view, 6> kSequenceKinds{"workload",  "proton", "replica",
                                                         "container", "phase",  "replacement"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::vector<std::string> states_of(models::TraceKind kind) {
  std::vector<std::string> out;
  // Every state code lies below 1024 (trace_kinds.cpp).
  for (engine::TraceCode c = 0; c < 1024; ++c) {
    const std::string_view name = models::state_name(kind, models::TraceState::from_code(c));
    if (!name.empty()) out.emplace_back(name);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The whole of `text` as a finite number; none otherwise.
std::optional<double> number(std::string_view text) {
  const std::string s(text);
  std::size_t used = 0;
  try {
    const double v = std::stod(s, &used);
    if (used == s.size() && std::isfinite(v)) return v;
  } catch (const std::logic_error&) {
  }
  return std::nullopt;
}

/// A condition on a value of `type`: "[OP] VALUE" with OP one of <=, >=, ==, !=, <, > (== when
/// absent), or `none` for a value that is missing. `names` (for Status) are the values allowed.
Condition read_condition(const Value& v, MetricType type, const std::vector<std::string>& names) {
  Condition c;
  c.text = v.as_scalar_text();
  c.in_seconds = type == MetricType::Seconds;
  std::string_view rest = trim(c.text);
  constexpr std::array<std::pair<std::string_view, Condition::Op>, 6> kOps{{
      {"<=", Condition::Op::Le},
      {">=", Condition::Op::Ge},
      {"==", Condition::Op::Eq},
      {"!=", Condition::Op::Ne},
      {"<", Condition::Op::Lt},
      {">", Condition::Op::Gt},
  }};
  for (const auto& [symbol, op] : kOps) {
    if (rest.starts_with(symbol)) {
      c.op = op;
      rest = trim(rest.substr(symbol.size()));
      break;
    }
  }
  const bool ordered = c.op != Condition::Op::Eq && c.op != Condition::Op::Ne;
  const std::string quoted = "'" + c.text + "'";
  if (rest.empty()) v.fail(quoted + " has no value to compare with");
  if (rest == "none") {
    if (ordered) v.fail(quoted + ": none compares only with == or !=");
    c.value = Condition::None{};
    return c;
  }
  switch (type) {
    case MetricType::Seconds:
      if (const auto n = number(rest)) {
        c.value = *n;
      } else {
        try {
          c.value = engine::parse_duration(rest).seconds();
        } catch (const std::invalid_argument&) {
          v.fail(quoted +
                 " is not a condition on a time (a duration such as 70s or a number of "
                 "seconds, after <=, >=, ==, !=, < or >)");
        }
      }
      break;
    case MetricType::Number:
      if (const auto n = number(rest)) {
        c.value = *n;
      } else {
        v.fail(quoted + " is not a condition on a number (a number, after <=, >=, ==, !=, < or >)");
      }
      break;
    case MetricType::Flag:
      if (ordered) v.fail(quoted + ": true or false compares only with == or !=");
      // As the loader reads any boolean (yaml_reader.cpp).
      if (rest == "true" || rest == "True" || rest == "TRUE") {
        c.value = true;
      } else if (rest == "false" || rest == "False" || rest == "FALSE") {
        c.value = false;
      } else {
        v.fail(quoted + " is not true or false");
      }
      break;
    case MetricType::Status:
    case MetricType::Text:
      if (ordered) v.fail(quoted + ": a name compares only with == or !=");
      if (type == MetricType::Status && std::find(names.begin(), names.end(), rest) == names.end())
        v.fail("'" + std::string(rest) + "' is not a workload status (allowed: " + join(names) +
               ")");
      c.value = std::string(rest);
      break;
  }
  return c;
}

const Metric* find_metric(std::string_view name) {
  for (const Metric& m : kMetrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

/// The block's context: the ids it may name and the bounds on its times.
struct Context {
  std::vector<std::string> workloads;
  std::vector<std::string> statuses;
  engine::Time duration;
};

/// Every workload id the scenario can have: its workloads and those its actions create.
std::vector<std::string> workload_ids(const Scenario& s) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  const auto add = [&](const std::string& id) {
    if (seen.insert(id).second) ids.push_back(id);
  };
  for (const models::WorkloadSpec& w : s.platform.workloads) add(w.id);
  for (const models::ActionSpec& a : s.platform.actions) {
    if (const auto* create = std::get_if<models::api::CreateWorkload>(&a.call.request))
      add(create->workload.id);
  }
  return ids;
}

std::string name_of(const Value& v) {
  constexpr std::string_view kPrefix = "expect.";
  const std::string p = v.path();
  return p.starts_with(kPrefix) ? p.substr(kPrefix.size()) : p;
}

const std::string& workload_id(const Value& v, const Context& ctx) {
  const std::string id = v.as_string();
  for (const std::string& w : ctx.workloads) {
    if (w == id) return w;
  }
  v.fail("'" + id + "' is not a workload of the scenario (workloads: " + join(ctx.workloads) + ")");
}

/// The keys of the mapping at `v`, each with its value; duplicate and non-scalar keys are refused.
std::vector<std::pair<Value, Value>> entries(const Value& v) {
  Object o(v);  // refuses a value that is not a mapping, and duplicate keys
  std::vector<std::pair<Value, Value>> out;
  const NodeRef map = v.node();
  for (std::uint32_t e = 0; e < map.size(); ++e) {
    const NodeRef key_node = map.key(e);
    const std::string_view key = key_node.scalar();  // text of the document: it outlives `o`
    (void)o.has(key);
    const Value value = v.field(key);
    if (value.node().is_null())
      value.fail("has no value (write none for a metric that must have none)");
    out.emplace_back(value.with_node(key_node), value);
  }
  return out;
}

void read_workload(const std::string& id, const Value& v, Expectations& out) {
  for (const auto& [key, value] : entries(v)) {
    const std::string name = key.as_scalar_text();
    const Metric* m = find_metric(name);
    if (m == nullptr) {
      std::vector<std::string> names;
      names.reserve(std::size(kMetrics));
      for (const Metric& x : kMetrics) names.emplace_back(x.name);
      key.fail("'" + name + "' is not a metric of a workload's summary (allowed: " + join(names) +
               ")");
    }
    Expectation e;
    e.kind = Expectation::Kind::Metric;
    e.name = name_of(value);
    e.subject = id;
    e.metric = name;
    const std::vector<std::string> statuses = m->type == MetricType::Status
                                                  ? states_of(models::TraceKind::Workload)
                                                  : std::vector<std::string>{};
    e.condition = read_condition(value, m->type, statuses);
    out.push_back(std::move(e));
  }
}

void read_fleet(const Value& v, const Context& ctx, Expectations& out) {
  for (const auto& [key, value] : entries(v)) {
    const std::string name = key.as_scalar_text();
    MetricType type = MetricType::Number;
    if (name == kAllRunning) {
      type = MetricType::Flag;
    } else if (std::find(kFleetTimes.begin(), kFleetTimes.end(), name) != kFleetTimes.end()) {
      type = MetricType::Seconds;
    } else if (name != kWorkloads && name != kEverErrored && name != kInFlight &&
               std::find(ctx.statuses.begin(), ctx.statuses.end(), name) == ctx.statuses.end()) {
      key.fail("'" + name + "' is not a fleet condition (allowed: " + std::string(kAllRunning) +
               ", " + std::string(kWorkloads) + ", " + std::string(kEverErrored) + ", " +
               std::string(kFleetTimes[0]) + ", " + std::string(kFleetTimes[1]) + ", " +
               std::string(kInFlight) +
               ", or a status counting the workloads that end in it: " + join(ctx.statuses) + ")");
    }
    Expectation e;
    e.kind = Expectation::Kind::Fleet;
    e.name = name_of(value);
    e.metric = name;
    e.condition = read_condition(value, type, {});
    out.push_back(std::move(e));
  }
}

void read_at(const Value& v, const Context& ctx, Expectations& out) {
  for (const auto& [key, times] : entries(v)) {
    const engine::Time at = key.as_duration();
    if (at > ctx.duration) {
      key.fail(engine::format_duration(at) + " is after the scenario's duration (" +
               engine::format_duration(ctx.duration) + ")");
    }
    for (const auto& [wkey, value] : entries(times)) {
      Expectation e;
      e.kind = Expectation::Kind::StatusAt;
      e.name = name_of(value);
      e.subject = workload_id(wkey, ctx);
      e.at = at;
      e.condition = read_condition(value, MetricType::Status, ctx.statuses);
      out.push_back(std::move(e));
    }
  }
}

void read_sequence(const Value& v, const Context& ctx, Expectations& out) {
  Object o(v);
  Expectation e;
  e.kind = Expectation::Kind::Sequence;
  const Value object_v = o.required("object");
  e.subject = object_v.as_string();
  const std::string owner = e.subject.substr(0, e.subject.find('/'));
  if (std::find(ctx.workloads.begin(), ctx.workloads.end(), owner) == ctx.workloads.end()) {
    object_v.fail("'" + e.subject +
                  "' is not a workload of the scenario or an object of one (a trace object path "
                  "such as wl-1, wl-1/p1 or wl-1/p1/r0/app; workloads: " +
                  join(ctx.workloads) + ")");
  }
  e.trace_kind = "workload";
  if (auto k = o.optional("kind")) {
    e.trace_kind =
        k->as_enum(std::vector<std::string>(kSequenceKinds.begin(), kSequenceKinds.end()));
  }
  const models::TraceKind kind = *models::parse_kind(e.trace_kind);
  const Value states_v = o.required("states");
  const std::vector<Value> states = states_v.as_list();
  if (states.empty()) states_v.fail("is empty (list the states in the order they must appear)");
  for (const Value& s : states) {
    const std::string name = s.as_string();
    if (!models::parse_state(kind, name)) {
      s.fail("'" + name + "' is not a state of a " + e.trace_kind +
             " (allowed: " + join(states_of(kind)) + ")");
    }
    e.states.push_back(name);
  }
  o.finish();
  e.name = "trace.sequence." + e.subject +
           (e.trace_kind == "workload" ? std::string() : " (" + e.trace_kind + ")");
  out.push_back(std::move(e));
}

void read_trace(const Value& v, const Context& ctx, Expectations& out) {
  Object o(v);
  if (auto never = o.optional("neverErrored")) {
    for (const Value& w : never->as_list()) {
      Expectation e;
      e.kind = Expectation::Kind::NeverErrored;
      e.subject = workload_id(w, ctx);
      e.name = "trace.neverErrored." + e.subject;
      out.push_back(std::move(e));
    }
  }
  if (auto seq = o.optional("sequence")) {
    if (seq->node().is_sequence()) {
      for (const Value& s : seq->as_list()) read_sequence(s, ctx, out);
    } else {
      read_sequence(*seq, ctx, out);
    }
  }
  o.finish();
}

}  // namespace

std::vector<std::string> expectation_metric_names() {
  std::vector<std::string> names;
  names.reserve(std::size(kMetrics));
  for (const Metric& m : kMetrics) names.emplace_back(m.name);
  return names;
}

namespace detail {

Expectations read_expectations(const Value& v, const Scenario& scenario) {
  const Context ctx{workload_ids(scenario), states_of(models::TraceKind::Workload),
                    scenario.duration};
  Expectations out;
  for (const auto& [key, value] : entries(v)) {
    const std::string name = key.as_scalar_text();
    if (name == "at") {
      read_at(value, ctx, out);
    } else if (name == "fleet") {
      read_fleet(value, ctx, out);
    } else if (name == "trace") {
      read_trace(value, ctx, out);
    } else if (std::find(ctx.workloads.begin(), ctx.workloads.end(), name) != ctx.workloads.end()) {
      read_workload(name, value, out);
    } else {
      key.fail("'" + name +
               "' is not a workload of the scenario nor at, fleet or trace (workloads: " +
               join(ctx.workloads) + ")");
    }
  }
  return out;
}

}  // namespace detail

}  // namespace wlsim::scenarios

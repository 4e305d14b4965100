#include "wlsim/scenarios/expectations.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "scenario_text.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/models/status.hpp"
#include "wlsim/models/trace_kinds.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/scenario.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace wlsim::scenarios {

namespace {

using Kind = Expectation::Kind;
using Actual = decltype(Condition::value);

// A sequence's failure shows the states its object went through; beyond this many, "...".
constexpr std::size_t kMaxSeen = 32;

engine::TraceCode code(models::TraceKind k) { return static_cast<engine::TraceCode>(k); }

/// Equal up to the rounding of sums of seconds (a pending time summed over replicas).
bool near(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

bool holds(const Condition& c, const Actual& actual) {
  using Op = Condition::Op;
  if (std::holds_alternative<Condition::None>(c.value) ||
      std::holds_alternative<Condition::None>(actual)) {
    const bool same = c.value.index() == actual.index();
    return c.op == Op::Ne ? !same : c.op == Op::Eq && same;
  }
  if (c.value.index() != actual.index()) return false;
  if (const auto* want = std::get_if<double>(&c.value)) {
    const double got = std::get<double>(actual);
    switch (c.op) {
      case Op::Eq:
        return near(got, *want);
      case Op::Ne:
        return !near(got, *want);
      case Op::Lt:
        return got < *want && !near(got, *want);
      case Op::Le:
        return got <= *want || near(got, *want);
      case Op::Gt:
        return got > *want && !near(got, *want);
      case Op::Ge:
        return got >= *want || near(got, *want);
    }
  }
  const bool equal = c.value == actual;
  return c.op == Op::Ne ? !equal : equal;
}

std::string text(const Actual& v, bool in_seconds) {
  if (const auto* d = std::get_if<double>(&v)) {
    // To the microsecond, the resolution of simulated time.
    return in_seconds ? engine::number_text(std::round(*d * 1e6) / 1e6) + "s"
                      : engine::number_text(*d);
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "none";
}

/// The scalar at the dotted `path` in a workload's summary; none if absent or null.
Actual metric(const engine::Json& workload, std::string_view path) {
  const engine::Json* j = &workload;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (!j->is_object() || !j->contains(key)) return Condition::None{};
    j = &(*j)[key];
  }
  if (j->is_boolean()) return j->get<bool>();
  if (j->is_number()) return j->get<double>();
  if (j->is_string()) return j->get<std::string>();
  return Condition::None{};
}

/// A fleet condition's value: counts from the run, times from the summary's fleet section.
Actual fleet(const std::string& name, const RunResult& r, const engine::Json& section,
             const ExpectationWatcher& w) {
  if (name == "allRunning") {
    return std::all_of(r.workloads.begin(), r.workloads.end(),
                       [](const WorkloadResult& x) { return x.status == "running"; });
  }
  if (name == "workloads") return static_cast<double>(r.workloads.size());
  if (name == "everErrored") return static_cast<double>(w.ever_errored());
  if (name == "timeAllRunning" || name == "rolloutMakespan" || name == "replacementsInFlight") {
    return metric(section, name);
  }
  return static_cast<double>(
      std::count_if(r.workloads.begin(), r.workloads.end(),
                    [&](const WorkloadResult& x) { return x.status == name; }));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// A condition's outcome: its text as written, the actual value.
void compare(ExpectationOutcome& o, const Condition& c, const Actual& actual) {
  o.expected = c.text;
  o.actual = text(actual, c.in_seconds);
  o.held = holds(c, actual);
}

/// A tee, so that a check keeps the caller's own sink.
class BothSinks final : public engine::TraceSink {
 public:
  BothSinks(engine::TraceSink& a, engine::TraceSink& b) : a_(a), b_(b) {}
  void write(const engine::TraceView& r) override {
    a_.write(r);
    b_.write(r);
  }

 private:
  engine::TraceSink& a_;
  engine::TraceSink& b_;
};

}  // namespace

ExpectationWatcher::ExpectationWatcher(const Expectations& expectations)
    : expectations_(&expectations),
      kinds_(expectations.size(), code(models::TraceKind::Workload)),
      progress_(expectations.size()) {
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    const Expectation& e = expectations[i];
    if (e.kind == Kind::Sequence) {
      kinds_[i] = code(models::parse_kind(e.trace_kind).value_or(models::TraceKind::Workload));
    }
    if (e.kind == Kind::StatusAt || e.kind == Kind::Sequence) watched_.push_back(i);
  }
}

void ExpectationWatcher::write(const engine::TraceView& r) {
  const engine::TraceCode workload = code(models::TraceKind::Workload);
  if (r.kind == workload && r.to == models::TraceState(models::Status::Errored).code())
    errored_.try_emplace(std::string(r.object), r.time);
  for (const std::size_t i : watched_) {
    if (r.kind != kinds_[i]) continue;
    const Expectation& e = (*expectations_)[i];
    if (r.object != e.subject) continue;
    Progress& p = progress_[i];
    const std::string_view to = r.to_name();
    if (e.kind == Kind::StatusAt) {
      // Records come in time order: the last one at or before the time is the status then.
      if (r.time <= e.at) p.status = std::string(to);
      continue;
    }
    if (p.matched < e.states.size() && to == e.states[p.matched]) ++p.matched;
    if (p.seen.size() < kMaxSeen) {
      if (p.seen.empty() || p.seen.back() != to) p.seen.emplace_back(to);
    } else if (p.seen.size() == kMaxSeen && p.seen.back() != to) {
      p.seen.emplace_back("...");
    }
  }
}

std::optional<std::string> ExpectationWatcher::status_at(std::size_t index) const {
  return progress_.at(index).status;
}

std::optional<engine::Time> ExpectationWatcher::first_errored(std::string_view workload) const {
  const auto it = errored_.find(workload);
  if (it == errored_.end()) return std::nullopt;
  return it->second;
}

std::size_t ExpectationWatcher::sequence_matched(std::size_t index) const {
  return progress_.at(index).matched;
}

const std::vector<std::string>& ExpectationWatcher::sequence_seen(std::size_t index) const {
  return progress_.at(index).seen;
}

std::vector<ExpectationOutcome> evaluate(const Expectations& expectations, const RunResult& result,
                                         const ExpectationWatcher& watcher) {
  const engine::Json summary = summary_value(result);
  const engine::Json& workloads = summary.at("workloads");
  std::vector<ExpectationOutcome> out;
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    const Expectation& e = expectations[i];
    ExpectationOutcome& o = out.emplace_back();
    o.name = e.name;
    switch (e.kind) {
      case Kind::Metric:
        compare(o, e.condition,
                workloads.contains(e.subject) ? metric(workloads.at(e.subject), e.metric)
                                              : Actual{Condition::None{}});
        break;
      case Kind::Fleet:
        compare(o, e.condition, fleet(e.metric, result, summary.at("fleet"), watcher));
        break;
      case Kind::StatusAt: {
        const std::optional<std::string> s = watcher.status_at(i);
        compare(o, e.condition, s ? Actual{*s} : Actual{Condition::None{}});
        break;
      }
      case Kind::NeverErrored: {
        const std::optional<engine::Time> t = watcher.first_errored(e.subject);
        o.expected = "never errored";
        o.actual = t ? "errored at " + engine::format_duration(*t) : "never errored";
        o.held = !t;
        break;
      }
      case Kind::Sequence: {
        const std::size_t matched = watcher.sequence_matched(i);
        const std::vector<std::string>& seen = watcher.sequence_seen(i);
        o.expected = joined(e.states) + " in this order";
        o.held = matched == e.states.size();
        if (seen.empty()) {
          o.actual = "no " + e.trace_kind + " record of " + e.subject;
        } else {
          o.actual = joined(seen);
          if (!o.held) {
            o.actual += " (no " + e.states[matched] +
                        (matched == 0 ? std::string() : " after " + e.states[matched - 1]) + ")";
          }
        }
        break;
      }
    }
  }
  return out;
}

std::vector<ExpectationOutcome> check(const Scenario& scenario, const RunOptions& options) {
  ExpectationWatcher watcher(scenario.expect);
  RunOptions o = options;
  std::optional<BothSinks> both;
  o.sink = options.sink != nullptr ? &both.emplace(*options.sink, watcher)
                                   : static_cast<engine::TraceSink*>(&watcher);
  const RunResult r = run(scenario, o);
  return evaluate(scenario.expect, r, watcher);
}

std::vector<ExpectationOutcome> check(const Scenario& scenario) { return check(scenario, {}); }

std::string failure_line(std::string_view origin, const ExpectationOutcome& outcome) {
  return escape_for_message(std::string(origin) + ": " + outcome.name + ": expected " +
                            outcome.expected + ", got " + outcome.actual);
}

}  // namespace wlsim::scenarios

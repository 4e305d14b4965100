#pragma once
// Helpers for tests that run small scenarios written inline.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "wlsim/engine/trace.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace wlsim::testing {

struct Traced {
  scenarios::RunResult result;
  std::vector<engine::TraceRecord> records;

  /// The first record of `object` and `kind` whose to-state is `to`, if any.
  [[nodiscard]] std::optional<engine::TraceRecord> first(const std::string& object,
                                                         const std::string& kind,
                                                         const std::string& to) const {
    for (const auto& r : records) {
      if (r.object == object && r.kind_name() == kind && r.to_name() == to) return r;
    }
    return std::nullopt;
  }
  /// Times (seconds) at which `object` entered `to` for `kind`.
  [[nodiscard]] std::vector<double> times(const std::string& object, const std::string& kind,
                                          const std::string& to) const {
    std::vector<double> out;
    for (const auto& r : records) {
      if (r.object == object && r.kind_name() == kind && r.to_name() == to)
        out.push_back(r.time.seconds());
    }
    return out;
  }
  /// Every to-state `object` went through for `kind`, in order.
  [[nodiscard]] std::vector<std::string> states(const std::string& object,
                                                const std::string& kind) const {
    std::vector<std::string> out;
    for (const auto& r : records) {
      if (r.object == object && r.kind_name() == kind) out.emplace_back(r.to_name());
    }
    return out;
  }
};

/// The result of workload `id` (the test fails if there is none).
inline const scenarios::WorkloadResult& workload(const Traced& t, const std::string& id) {
  for (const auto& w : t.result.workloads) {
    if (w.id == id) return w;
  }
  throw std::logic_error("no workload " + id);
}

/// The one-line error of loading `yaml` (origin "f.yaml"), or "(no error)".
inline std::string error_of(const std::string& yaml, const scenarios::Limits& limits = {}) {
  try {
    (void)scenarios::load_text(yaml, "f.yaml", limits);
  } catch (const scenarios::ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

inline Traced run_yaml(const std::string& yaml, std::optional<std::uint64_t> seed = std::nullopt) {
  const scenarios::Scenario s = scenarios::load_text(yaml, "<test>");
  engine::MemorySink sink;
  Traced t;
  t.result = scenarios::run(s, {.seed = seed, .sink = &sink});
  t.records = sink.records();
  return t;
}

/// Runs scenarios/examples/<name> with its trace kept.
inline Traced run_example(const std::string& name) {
  const scenarios::Scenario s =
      scenarios::load_file(std::string(WLSIM_SOURCE_DIR) + "/scenarios/examples/" + name);
  engine::MemorySink sink;
  Traced t;
  t.result = scenarios::run(s, {.sink = &sink});
  t.records = sink.records();
  return t;
}

/// The parts of a one-workload scenario that tests vary (YAML flow-style snippets).
struct OneWorkload {
  std::string container{};  ///< extra fields of the container, e.g. "behavior: {startup: 45s}"
  std::string cluster =
      "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32GB}, cachedImages: "
      "[reg/app:1]}]}";
  std::string top{};  ///< extra top-level lines, e.g. "profile: kubernetes\n"
  int replicas = 1;
  std::string resources = "{cpu: 1, memory: 1GB}";
  std::string probe = "{path: /healthz}";
  std::string duration = "1h";
};

inline std::string one_workload(const OneWorkload& o) {
  return "name: t\nduration: " + o.duration + "\n" + o.top + "cluster: " + o.cluster +
         "\nartifacts:\n  - id: a\n    status: locked\n    containerGroups:\n      - name: "
         "default\n"
         "        containers:\n          - {name: app, imageUri: reg/app:1, readinessProbe: " +
         o.probe + ", resourceAllocation: " + o.resources +
         (o.container.empty() ? "" : ", " + o.container) +
         "}\nworkloads:\n  - {id: wl, artifactId: a, runtime: {containerGroups: [{name: default, "
         "replicaCount: " +
         std::to_string(o.replicas) + "}]}}\n";
}

}  // namespace wlsim::testing

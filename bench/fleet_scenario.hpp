#pragma once
// The fleet-day of issue 11, generated: N workloads of 3 replicas on N/5 nodes for 24 h, each with
// its own day of fluid traffic under the KPA, every workload replaced once within the first 30
// minutes (one staggered replace action each). Header-only so that the golden test
// (tests/scenarios/fleet_day_golden_test.cpp) pins exactly what bench/fleet_day_bench.cpp measures.
//
// The same fleet comes in two forms that load to the same scenario: `Template` writes the
// workloads and the rollout as one templated item each (`count:` with `{i}`, `stagger:`), so the
// file is small; `Expanded` writes every workload and every replace action as its own line, as a
// tool exporting a fleet would. Traffic has no template form, so both carry one line per workload.
// Everything that varies between workloads (their rates and the hours of their day) is drawn
// from a fixed seed: the text is a pure function of (workloads, form).

#include <cstdint>
#include <cstdio>
#include <string>

namespace wlsim::bench {

enum class FleetForm { Template, Expanded };

/// splitmix64: a tiny fixed generator, so the text never depends on a library's distributions.
class FleetRandom {
 public:
  explicit FleetRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// An integer in [lo, hi].
  int uniform(int lo, int hi) {
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

 private:
  std::uint64_t state_;
};

inline constexpr int kFleetReplicasPerWorkload = 3;
inline constexpr int kFleetWorkloadsPerNode = 5;
/// The rollout: the first replace action at 1 min, the last one before 30 min.
inline constexpr long kFleetRolloutStartMs = 60'000;
inline constexpr long kFleetRolloutSpanMs = 29L * 60'000;

[[nodiscard]] inline int fleet_nodes(int workloads) {
  return (workloads + kFleetWorkloadsPerNode - 1) / kFleetWorkloadsPerNode;
}

/// Milliseconds between two replace actions: the whole wave within the span.
[[nodiscard]] inline long fleet_stagger_ms(int workloads) {
  return workloads > 1 ? kFleetRolloutSpanMs / workloads : 0;
}

[[nodiscard]] inline std::string fleet_workload_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "wl-%05d", i);
  return id;
}

/// A request rate in tenths of a request per second, as rate text.
[[nodiscard]] inline std::string fleet_rate(int tenths) {
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "/s";
}

/// Workload i's day: a trough at night, a morning ramp, a peak, an evening shoulder, each step a
/// few hours long and shifted by up to 2 h per workload, so the fleet's changes spread over the
/// day. Peaks of 30-80 requests/s at 200 ms take 6-16 requests in flight: above what 3 replicas
/// hold at target 5 and the kubernetes profile's 0.7 utilisation, so the KPA scales most workloads
/// up at their peak and back down after it.
[[nodiscard]] inline std::string fleet_traffic_line(FleetRandom& rng, const std::string& id) {
  const int shift_min = rng.uniform(0, 120);
  const int trough = rng.uniform(20, 80);
  const int shoulder = rng.uniform(150, 300);
  const int peak = rng.uniform(300, 800);
  const auto at = [shift_min](int hour) { return std::to_string(hour * 60 + shift_min) + "m"; };
  return "  - {workload: " + id + ", rate: \"steps([0s, " + fleet_rate(trough) + "], [" + at(6) +
         ", " + fleet_rate(shoulder) + "], [" + at(10) + ", " + fleet_rate(peak) + "], [" + at(16) +
         ", " + fleet_rate(shoulder) + "], [" + at(20) + ", " + fleet_rate(trough) +
         "])\", serviceTime: exponential(200ms), mode: fluid}\n";
}

/// Every workload's runtime: 3 replicas, the KPA on requests in flight between 3 and 6.
inline constexpr const char* kFleetRuntime =
    "runtime: {containerGroups: [{name: default, replicaCount: 3, autoscaling: {enabled: true, "
    "policies: [{scalingMetric: httpRequestsConcurrency, target: 5, minCount: 3, maxCount: 6}]}}]}";

/// The fleet-day scenario text of `workloads` workloads (>= 1) in the given form.
[[nodiscard]] inline std::string fleet_day_yaml(int workloads, FleetForm form) {
  std::string y;
  y.reserve(static_cast<std::size_t>(workloads) * (form == FleetForm::Expanded ? 480 : 190) + 2048);
  y += "name: fleet-day-" + std::to_string(workloads) +
       "\nseed: 11\nduration: 24h\nprofile: kubernetes\ncluster:\n"
       "  registry: {latency: 500ms, bandwidth: 2GB/s}\n"
       "  nodePools: [{name: n, count: " +
       std::to_string(fleet_nodes(workloads)) +
       ", allocatable: {cpu: 32, memory: 128GB}, cachedImages: [registry.example/app:1]}]\n";
  // v1 is cached everywhere; v2 is pulled once per node by the rollout. Start-up outlasts the
  // probe's first periods, so every new replica fails a few readiness probes first.
  y += "artifacts:\n";
  for (const char* v : {"1", "2"}) {
    y += std::string("  - id: app-v") + v +
         "\n    status: locked\n    containerGroups:\n      - name: default\n        containers:\n"
         "          - {name: app, imageUri: registry.example/app:" +
         v +
         ", readinessProbe: {path: /ready, periodSeconds: 5}, "
         "resourceAllocation: {cpu: 500m, memory: 1GB}, behavior: {imageSize: 400MB, startup: "
         "\"uniform(10s, 30s)\", concurrency: 10}}\n";
  }
  y += "workloads:\n";
  if (form == FleetForm::Template) {
    y += "  - {id: \"wl-{i:05}\", count: " + std::to_string(workloads) + ", artifactId: app-v1, " +
         kFleetRuntime + "}\n";
  } else {
    for (int i = 0; i < workloads; ++i) {
      y += "  - {id: " + fleet_workload_id(i) + ", artifactId: app-v1, " + kFleetRuntime + "}\n";
    }
  }
  const long stagger = fleet_stagger_ms(workloads);
  y += "actions:\n";
  if (form == FleetForm::Template) {
    y += "  - {at: " + std::to_string(kFleetRolloutStartMs) +
         "ms, count: " + std::to_string(workloads) + ", stagger: " + std::to_string(stagger) +
         "ms, replaceArtifact: {workload: \"wl-{i:05}\", artifactId: app-v2}}\n";
  } else {
    for (int i = 0; i < workloads; ++i) {
      y += "  - {at: " + std::to_string(kFleetRolloutStartMs + i * stagger) +
           "ms, replaceArtifact: {workload: " + fleet_workload_id(i) + ", artifactId: app-v2}}\n";
    }
  }
  y += "traffic:\n";
  FleetRandom rng(0x11f1ee7dULL);
  for (int i = 0; i < workloads; ++i) y += fleet_traffic_line(rng, fleet_workload_id(i));
  return y;
}

}  // namespace wlsim::bench

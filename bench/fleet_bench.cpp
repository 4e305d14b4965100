// Whole-model scaling: the cost per replica of one large proton, and the cost per workload of a
// full cluster with many workloads pending. Flat figures mean the models' per-event work does not
// grow with the fleet (issue 7: no model step may scan all replicas, pods or nodes on every event).
//
// Usage: wlsim_fleet_bench [--replicas=1000,10000,100000] [--workloads=500,5000] [--reps=3]
//                          [--timeout=60]
//   --replicas   sizes of the one-proton case (instant start: cached image, no start-up time)
//   --workloads  sizes of the full-cluster cases (each workload's one replica fits nowhere; all of
//                one request shape, then each of its own)
//   --reps       repetitions per size; the figure is the median
//   --timeout    a size whose first repetition takes longer than this many seconds is not repeated
// Each case is a scenario generated as YAML, loaded with scenarios::load_text and run with
// scenarios::run (no trace sink); the time covers the run only, not the loading.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bench_args.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

using wlsim::bench::parse_sizes;

namespace {

using Clock = std::chrono::steady_clock;
namespace ws = wlsim::scenarios;

/// One workload of `replicas` replicas that start at once: the image is cached on every node, the
/// app is up without delay and serves its probe, the pod set-up is instant. 100 nodes hold them
/// all.
std::string one_proton(int replicas) {
  return "name: one-proton\nseed: 1\nduration: 10m\nprofile: kubernetes\n"
         "cluster:\n  podSetup: 0s\n  nodePools: [{name: n, count: 100, allocatable: {cpu: 100000, "
         "memory: 100TB}, "
         "cachedImages: [reg/app:1]}]\n"
         "artifacts:\n  - id: a\n    status: locked\n    containerGroups:\n      - name: default\n"
         "        containers:\n          - {name: app, imageUri: reg/app:1, readinessProbe: {path: "
         "/healthz, "
         "periodSeconds: 60}, resourceAllocation: {cpu: 10m, memory: 10MB}, behavior: {startup: "
         "0s, "
         "serves: [/healthz]}}\n"
         "workloads:\n  - {id: wl, artifactId: a, runtime: {containerGroups: [{name: default, "
         "replicaCount: " +
         std::to_string(replicas) + "}]}}\n";
}

/// One locked artifact `id` of one container asking `cpu` and 1 GB, instant to start.
std::string artifact(const std::string& id, const std::string& cpu) {
  return "  - {id: " + id +
         ", status: locked, containerGroups: [{name: default, containers: [{name: app, imageUri: "
         "reg/app:1, "
         "readinessProbe: {path: /healthz, periodSeconds: 60}, resourceAllocation: {cpu: " +
         cpu + ", memory: 1GB}, behavior: {startup: 0s, serves: [/healthz]}}]}]}\n";
}

/// A cluster of 20 nodes (4 cpu each) that the 80 one-cpu replicas of `filler` fill, then
/// `workloads` more workloads of one replica each, created one every 100 ms (POST /workloads):
/// every one of them stays pending (a scheduling pass each). A minute after the last one, `filler`
/// is deleted and the pending replicas that fit bind. With `distinct_shapes`, workload i asks 1000
/// + i millicores (each a request shape of its own), else all ask 1 cpu.
std::string full_cluster(int workloads, bool distinct_shapes) {
  const int end_ms = 100 * workloads;
  std::string yaml =
      "name: full-cluster\nseed: 1\nduration: " + std::to_string(end_ms / 1000 + 600) +
      "s\nprofile: kubernetes\n"
      "cluster:\n  nodePools: [{name: n, count: 20, allocatable: {cpu: 4, memory: 64GB}, "
      "cachedImages: [reg/app:1]}]\n"
      "artifacts:\n" +
      artifact("a", "1");
  for (int i = 0; distinct_shapes && i < workloads; ++i) {
    std::string id = "a";
    id += std::to_string(i);
    yaml += artifact(id, std::to_string(1001 + i) + "m");
  }
  yaml +=
      "workloads:\n  - {id: filler, artifactId: a, runtime: {containerGroups: [{name: default, "
      "replicaCount: "
      "80}]}}\n"
      "actions:\n";
  for (int i = 0; i < workloads; ++i) {
    yaml += "  - {at: " + std::to_string(100 * (i + 1)) +
            "ms, request: POST /workloads, body: {id: w" + std::to_string(i) + ", artifactId: a" +
            (distinct_shapes ? std::to_string(i) : "") + "}}\n";
  }
  yaml += "  - {at: " + std::to_string(end_ms + 60000) + "ms, request: DELETE /workloads/filler}\n";
  return yaml;
}

/// Contention at fleet scale (issue 9): `workloads` low workloads of one 1-cpu replica fill a pool
/// of workloads/8 nodes of 8 cpu; at 10 min a tenth as many `high` workloads of 2 cpu arrive, and
/// at 20 min a tenth of the nodes fail for 10 min. With `contention`, the pool may double (2 min to
/// provision a node) and the newcomers are `high` (they preempt); without it (the baseline), the
/// pool is fixed, the newcomers are `low` and no node fails: the same pods, no contention rule.
std::string contention_fleet(int workloads, bool contention) {
  const int nodes = std::max(1, workloads / 8);
  const int newcomers = std::max(1, workloads / 10);
  std::string yaml =
      "name: contention-fleet\nseed: 1\nduration: 1h\nprofile: kubernetes\n"
      "cluster:\n  nodePools: [{name: n, count: " +
      std::to_string(nodes) +
      (contention ? ", maxCount: " + std::to_string(2 * nodes) + ", provisioningDelay: 2m" : "") +
      ", allocatable: {cpu: 8, memory: 64GB}, cachedImages: [reg/app:1]}]\n"
      "artifacts:\n" +
      artifact("a", "1") + artifact("b", "2") + "workloads:\n";
  for (int i = 0; i < workloads; ++i)
    yaml += "  - {id: w" + std::to_string(i) + ", artifactId: a}\n";
  yaml += "actions:\n";
  for (int i = 0; i < newcomers; ++i) {
    yaml += "  - {at: 10m, request: POST /workloads, body: {id: h" + std::to_string(i) +
            ", artifactId: b, importance: " + (contention ? "high" : "low") + "}}\n";
  }
  if (contention) {
    yaml += "faults:\n  - {at: 20m, nodeFailure: {pool: n, count: " +
            std::to_string(std::max(1, nodes / 10)) + ", for: 10m}}\n";
  }
  return yaml;
}

struct Timing {
  double median_s;
  std::uint64_t events;
  std::uint64_t hash;
};

Timing time_run(const std::string& yaml, int reps, double timeout_s) {
  const ws::Scenario s = ws::load_text(yaml, "<bench>");
  std::vector<double> times;
  ws::RunResult last;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = Clock::now();
    last = ws::run(s);
    times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    if (times.back() > timeout_s) break;
  }
  std::sort(times.begin(), times.end());
  return {times[times.size() / 2], last.events, last.trace_hash};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> replicas{1000, 10000, 100000};
  std::vector<int> workloads{500, 5000};
  int reps = 3;
  double timeout_s = 60;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--replicas=")) {
      replicas = parse_sizes(a.substr(11));
    } else if (a.starts_with("--workloads=")) {
      workloads = parse_sizes(a.substr(12));
    } else if (a.starts_with("--reps=")) {
      reps = std::atoi(a.data() + 7);
    } else if (a.starts_with("--timeout=")) {
      timeout_s = std::atof(a.data() + 10);
    } else {
      std::fprintf(stderr, "wlsim_fleet_bench: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  std::printf("One proton, instant pulls and starts (median of %d)\n", reps);
  std::printf("  replicas |   run s | us/replica |     events | trace hash\n");
  for (const int n : replicas) {
    const Timing t = time_run(one_proton(n), reps, timeout_s);
    std::printf("%10d | %7.3f | %10.2f | %10llu | %016llx\n", n, t.median_s, t.median_s * 1e6 / n,
                static_cast<unsigned long long>(t.events), static_cast<unsigned long long>(t.hash));
    std::fflush(stdout);
  }
  for (const bool distinct : {false, true}) {
    std::printf("Full cluster, pending workloads, %s (median of %d)\n",
                distinct ? "each its own request shape" : "one request shape", reps);
    std::printf(" workloads |   run s | us/workload |     events | trace hash\n");
    for (const int n : workloads) {
      const Timing t = time_run(full_cluster(n, distinct), reps, timeout_s);
      std::printf("%10d | %7.3f | %11.2f | %10llu | %016llx\n", n, t.median_s, t.median_s * 1e6 / n,
                  static_cast<unsigned long long>(t.events),
                  static_cast<unsigned long long>(t.hash));
      std::fflush(stdout);
    }
  }
  std::printf(
      "Contention fleet, 1 h: preemption, a pool that grows, node failures, against the\n"
      "same pods without them (median of %d)\n",
      reps);
  std::printf(" workloads | contention s | baseline s | ratio | us/workload | events (c / b)\n");
  for (const int n : workloads) {
    const Timing c = time_run(contention_fleet(n, true), reps, timeout_s);
    const Timing b = time_run(contention_fleet(n, false), reps, timeout_s);
    std::printf("%10d | %12.3f | %10.3f | %5.2f | %11.2f | %llu / %llu\n", n, c.median_s,
                b.median_s, c.median_s / b.median_s, c.median_s * 1e6 / n,
                static_cast<unsigned long long>(c.events),
                static_cast<unsigned long long>(b.events));
    std::fflush(stdout);
  }
  return 0;
}

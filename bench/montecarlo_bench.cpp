// Monte Carlo throughput (issue 11): replications per second of a one-workload rollout of 3
// replicas (the image pulled, start-up, readiness probes, a replacement onto a new image, the
// flip), one seed per replication. bench/simpy_rollout.py is the same rollout in SimPy.
//
// Usage: wlsim_montecarlo_bench [--seconds=2] [--threads=1,2] [--only=loop|replications] [--json]
//                               [--quick] [--emit]
//   --seconds  how long each case runs at least (whole batches of replications)
//   --threads  thread counts for scenarios::run_replications
//   --only     the run loop cases or the run_replications ones alone (to profile one of them)
//   --json     one JSON line per case (bench/run reads these)
//   --quick    0.3 s per case
//   --emit     print the scenario and exit
// Cases: `run loop` calls scenarios::run once per seed on one thread (the bare replication);
// `run_replications/T` is the library's replication API on T threads, its statistics included.

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/replications.hpp"
#include "wlsim/scenarios/runner.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace ws = wlsim::scenarios;

/// The rollout. simpy_rollout.py's constants are these numbers: keep the two equal.
/// One node; the registry pays 1 s, then 200 MB at 100 MB/s (3 s per pull; the node pulls one
/// image at a time, and a replica whose image is there by its turn does not pull). Start-up
/// uniform(5 s, 15 s); a readiness probe every 5 s from the container's start. At 2 min the
/// workload is replaced onto v2 (a new image, pulled the same way); when the candidate's 3 replicas
/// are ready, traffic flips and the old replicas get SIGTERM and exit 2 s later. 10 min simulated.
constexpr const char* kRolloutYaml = R"yaml(name: mc-rollout
seed: 1
duration: 10m
profile: kubernetes
cluster:
  registry: {latency: 1s, bandwidth: 100MB/s}
  nodePools: [{name: n, count: 1, allocatable: {cpu: 16, memory: 64GB}}]
artifacts:
  - id: app-v1
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: registry.example/app:1, readinessProbe: {path: /ready, periodSeconds: 5},
             resourceAllocation: {cpu: 1, memory: 2GB},
             behavior: {imageSize: 200MB, startup: "uniform(5s, 15s)", shutdown: 2s}}
  - id: app-v2
    status: locked
    containerGroups:
      - name: default
        containers:
          - {name: app, imageUri: registry.example/app:2, readinessProbe: {path: /ready, periodSeconds: 5},
             resourceAllocation: {cpu: 1, memory: 2GB},
             behavior: {imageSize: 200MB, startup: "uniform(5s, 15s)", shutdown: 2s}}
workloads:
  - {id: wl, artifactId: app-v1, runtime: {containerGroups: [{name: default, replicaCount: 3}]}}
actions:
  - {at: 2m, replaceArtifact: {workload: wl, artifactId: app-v2}}
)yaml";

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Case {
  std::string name;
  int threads = 1;
  std::int64_t replications = 0;
  double wall_s = 0;
  double cpu_s = 0;
  double events_per_rep = 0;
  double mean_switch_s = 0;  ///< the replacement's POST → flip, averaged: a model check vs SimPy
};

/// Runs batches of `batch` seeds until `seconds` have passed; `one_batch` runs seeds
/// [first, first + batch) and returns (events, summed time to switch).
template <class Batch>
Case time_case(std::string name, int threads, double seconds, int batch, Batch one_batch) {
  Case c{std::move(name), threads};
  double events = 0;
  double switch_sum = 0;
  const double c0 = cpu_seconds();
  const auto t0 = Clock::now();
  std::uint64_t seed = 1;
  do {
    const auto [e, sw] = one_batch(seed, batch);
    events += e;
    switch_sum += sw;
    seed += static_cast<std::uint64_t>(batch);
    c.replications += batch;
    c.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (c.wall_s < seconds);
  c.cpu_s = cpu_seconds() - c0;
  c.events_per_rep = events / static_cast<double>(c.replications);
  c.mean_switch_s = switch_sum / static_cast<double>(c.replications);
  return c;
}

double time_to_switch(const ws::RunResult& r) {
  for (const ws::WorkloadResult& w : r.workloads) {
    for (const ws::ReplacementResult& rep : w.replacements) {
      if (rep.time_to_switch_s) return *rep.time_to_switch_s;
    }
  }
  return 0;
}

std::vector<int> parse_list(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    out.push_back(std::atoi(std::string(text.substr(0, comma)).c_str()));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  std::vector<int> threads{1, 2};
  bool json = false;
  bool loop = true;
  bool replications = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--seconds=")) {
      seconds = std::atof(a.data() + 10);
    } else if (a.starts_with("--threads=")) {
      threads = parse_list(a.substr(10));
    } else if (a == "--only=loop") {
      replications = false;
    } else if (a == "--only=replications") {
      loop = false;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--quick") {
      seconds = 0.3;
    } else if (a == "--emit") {
      std::fputs(kRolloutYaml, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "wlsim_montecarlo_bench: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  const ws::Scenario s = ws::load_text(kRolloutYaml, "<mc-rollout>");

  std::vector<Case> cases;
  if (loop) {
    cases.push_back(time_case("run loop", 1, seconds, 200, [&](std::uint64_t first, int n) {
      double events = 0;
      double sw = 0;
      for (int k = 0; k < n; ++k) {
        ws::RunOptions o;
        o.seed = first + static_cast<std::uint64_t>(k);
        const ws::RunResult r = ws::run(s, o);
        events += static_cast<double>(r.events);
        sw += time_to_switch(r);
      }
      return std::pair{events, sw};
    }));
    // The same loop on T threads, seeds dealt round-robin: what a caller's own threads get, without
    // the replication statistics.
    for (const int t : threads) {
      if (t < 2) continue;
      cases.push_back(time_case(
          "run loop/" + std::to_string(t), t, seconds, 200 * t, [&](std::uint64_t first, int n) {
            std::vector<std::pair<double, double>> parts(static_cast<std::size_t>(t));
            {
              std::vector<std::jthread> pool;
              pool.reserve(static_cast<std::size_t>(t));
              for (int w = 0; w < t; ++w) {
                pool.emplace_back([&, w] {
                  for (int k = w; k < n; k += t) {
                    ws::RunOptions o;
                    o.seed = first + static_cast<std::uint64_t>(k);
                    const ws::RunResult r = ws::run(s, o);
                    parts[static_cast<std::size_t>(w)].first += static_cast<double>(r.events);
                    parts[static_cast<std::size_t>(w)].second += time_to_switch(r);
                  }
                });
              }
            }
            std::pair<double, double> sum{0, 0};
            for (const auto& p : parts) sum = {sum.first + p.first, sum.second + p.second};
            return sum;
          }));
    }
  }
  for (const int t : threads) {
    if (!replications) break;
    cases.push_back(time_case(
        "run_replications/" + std::to_string(t), t, seconds, 1000, [&](std::uint64_t first, int n) {
          const ws::ReplicationSummary rs = ws::run_replications(s, first, n, t);
          double events = 0;
          double sw = 0;
          for (const ws::RunResult& r : rs.runs) {
            events += static_cast<double>(r.events);
            sw += time_to_switch(r);
          }
          return std::pair{events, sw};
        }));
  }

  if (!json) {
    std::printf(
        "Monte Carlo: one workload, 3 replicas, pull + start-up + probes, a replacement and the "
        "flip; 10 min simulated per replication\n");
    std::printf(
        "case                 | threads | replications |  wall s |   cpu s |   reps/s | "
        "reps/s/core | reps/cpu s | events/rep | mean switch s\n");
  }
  const auto rate_of = [&](std::string_view name) {
    for (const Case& c : cases) {
      if (c.name == name) return static_cast<double>(c.replications) / c.wall_s;
    }
    return 0.0;
  };
  for (const Case& c : cases) {
    const double rate = static_cast<double>(c.replications) / c.wall_s;
    // Replications per second of process cpu: on a machine whose cores are taken by other work,
    // T threads get less than T cores, and this figure still shows whether they scale (equal to
    // one thread's: no lock or shared cache line between the runs).
    const double per_cpu = static_cast<double>(c.replications) / c.cpu_s;
    if (json) {
      std::printf(
          "{\"case\": \"%s\", \"threads\": %d, \"replications\": %lld, \"wall_s\": %.6f, "
          "\"cpu_s\": %.6f, \"reps_per_s\": %.1f, \"reps_per_s_per_core\": %.1f, "
          "\"reps_per_cpu_s\": %.1f, \"events_per_rep\": %.2f, \"mean_switch_s\": %.4f}\n",
          c.name.c_str(), c.threads, static_cast<long long>(c.replications), c.wall_s, c.cpu_s,
          rate, rate / c.threads, per_cpu, c.events_per_rep, c.mean_switch_s);
    } else {
      std::printf(
          "%-20s | %7d | %12lld | %7.3f | %7.3f | %8.0f | %11.0f | %10.0f | %10.2f | %13.4f\n",
          c.name.c_str(), c.threads, static_cast<long long>(c.replications), c.wall_s, c.cpu_s,
          rate, rate / c.threads, per_cpu, c.events_per_rep, c.mean_switch_s);
    }
  }
  for (const int t : threads) {
    if (json || t < 2) continue;
    const std::string n = std::to_string(t);
    std::printf("speed-up on %d threads over 1: run loop %.2fx", t,
                rate_of("run loop/" + n) / rate_of("run loop"));
    if (rate_of("run_replications/1") > 0) {
      std::printf(", run_replications %.2fx",
                  rate_of("run_replications/" + n) / rate_of("run_replications/1"));
    }
    std::printf(" (wall time; with the cores busy, compare reps/cpu s)\n");
  }
  return 0;
}

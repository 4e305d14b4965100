// Fleet traffic: the cost of a simulated day of N autoscaled workloads, each replaying one function
// of the Azure Functions 2019 trace under the Knative KPA with scale to zero, in fluid mode (rates,
// M/M/c between changes) and, as the baseline, in request mode (every request simulated). Flat
// events and wall time per workload-day as N grows mean the fleet costs linear time; the ratio
// fluid / requests is what fluid mode saves (issue 8: "a fleet of thousands of workloads over a day
// costs events per change of rate or replicas, not per request").
//
// Usage: wlsim_traffic_bench [--workloads=10,100,1000] [--request-workloads=10,100] [--days=1]
//                            [--scale=50] [--reps=3] [--trace=FILE] [--timeout=120]
//   --workloads          fleet sizes run in fluid mode
//   --request-workloads  fleet sizes also run in request mode (keep them small: a day of one
//                        workload at scale 50 is up to a million requests); empty for none
//   --days               simulated days
//   --scale              the trace's scale factor (requests per invocation)
//   --reps               repetitions per case; the figures are the median
//   --trace              the per-minute invocation counts; workload i replays row i mod rows
//   --timeout            a case whose first repetition takes longer than this is not repeated
//   --emit=N[,requests]  print the generated scenario of N workloads (fluid unless `requests`) and
//                        exit, for `wlsim run` or a profiler
// Each case is a scenario generated as YAML, loaded with scenarios::load_text and run with
// scenarios::run (no trace sink); the wall time covers the run only, not the loading.

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_args.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

#ifndef WLSIM_TRAFFIC_BENCH_TRACE
#define WLSIM_TRAFFIC_BENCH_TRACE "scenarios/data/azure-functions-2019/100_inv.csv"
#endif

using wlsim::bench::parse_sizes;

namespace {

/// The fleet budget of bench/README.md for fluid mode, per workload-day.
constexpr double kBudgetEventsPerWorkloadDay = 10'000;
constexpr double kBudgetWallMsPerWorkloadDay = 25;

using Clock = std::chrono::steady_clock;
namespace ws = wlsim::scenarios;

/// Process cpu time in seconds: wall time well above it means the run was descheduled.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Fleet {
  int workloads = 0;
  int days = 1;
  double scale = 50;
  std::string trace;
  int trace_rows = 0;
  bool fluid = true;
};

/// The azure-day-fluid example's workload, N times: one cpu and concurrency 10 per replica, KPA
/// target 5, 0..50 replicas, exponential 400 ms service. Nodes of 512 cpu hold every workload at
/// its maxCount at once, so no replica ever waits for room and scheduling is one pass per pod.
std::string fleet_yaml(const Fleet& f) {
  constexpr int kMaxReplicas = 50;
  constexpr int kNodeCpu = 512;
  const int nodes = (f.workloads * kMaxReplicas + kNodeCpu - 1) / kNodeCpu;
  std::string yaml =
      "name: traffic-fleet\nseed: 2019\nduration: " + std::to_string(24 * f.days) +
      "h\nprofile: kubernetes\n"
      "cluster:\n  nodePools: [{name: cpu, count: " +
      std::to_string(nodes) + ", allocatable: {cpu: " + std::to_string(kNodeCpu) +
      ", memory: 2048GB}, cachedImages: [registry.example/fn:1]}]\n"
      "artifacts:\n"
      "  - {id: fn, status: locked, containerGroups: [{name: default, containers: "
      "[{name: fn, imageUri: registry.example/fn:1, readinessProbe: {path: /healthz, "
      "periodSeconds: 2}, resourceAllocation: {cpu: 1, memory: 1GB}, behavior: "
      "{startup: 2s, concurrency: 10}}]}]}\n"
      "workloads:\n";
  for (int i = 0; i < f.workloads; ++i) {
    yaml += "  - {id: fn-" + std::to_string(i) +
            ", artifactId: fn, runtime: {containerGroups: [{name: default, replicaCount: 1, "
            "autoscaling: {enabled: true, policies: [{scalingMetric: httpRequestsConcurrency, "
            "target: 5, minCount: 0, maxCount: " +
            std::to_string(kMaxReplicas) + "}]}}]}}\n";
  }
  yaml += "traffic:\n";
  char scale[32];
  std::snprintf(scale, sizeof scale, "%g", f.scale);
  for (int i = 0; i < f.workloads; ++i) {
    yaml += "  - {workload: fn-" + std::to_string(i) + ", trace: {file: \"" + f.trace +
            "\", row: " + std::to_string(i % f.trace_rows) + ", scale: " + scale +
            "}, serviceTime: exponential(400ms), mode: " + (f.fluid ? "fluid" : "requests") + "}\n";
  }
  return yaml;
}

/// Rows of a trace file: its lines after the header, not counting blank ones.
int count_rows(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "wlsim_traffic_bench: cannot read the trace file '%s'\n", path.c_str());
    std::exit(2);
  }
  int rows = -1;  // the header
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line != "\r") ++rows;
  }
  return std::max(rows, 0);
}

/// Peak resident memory in kB since the last reset: /proc's VmHWM, which writing 5 to clear_refs
/// resets (Linux), so each case gets its own peak; elsewhere getrusage's peak of the whole process.
class PeakRss {
 public:
  void reset() {
    std::ofstream clear("/proc/self/clear_refs");
    resettable_ = static_cast<bool>(clear << "5");
  }
  [[nodiscard]] long kb() const {
    std::ifstream status("/proc/self/status");
    for (std::string line; resettable_ && std::getline(status, line);) {
      if (line.starts_with("VmHWM:")) return std::atol(line.c_str() + 6);
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
  }

 private:
  bool resettable_ = false;
};

struct Measure {
  double wall_s = 0;  ///< median over the repetitions
  double cpu_s = 0;   ///< of the repetition whose wall time is the median
  double load_s = 0;  ///< loading the generated text, once
  std::uint64_t events = 0;
  std::uint64_t hash = 0;
  double served = 0;  ///< requests served, summed over the workloads
  long peak_rss_kb = 0;
  int reps = 0;
};

Measure measure(const Fleet& fleet, int reps, double timeout_s) {
  PeakRss rss;
  rss.reset();
  const std::string yaml = fleet_yaml(fleet);
  const auto l0 = Clock::now();
  const ws::Scenario s = ws::load_text(yaml, "<traffic-bench>");
  Measure m;
  m.load_s = std::chrono::duration<double>(Clock::now() - l0).count();
  ws::RunOptions options;
  options.limits.max_events = UINT64_MAX;        // request mode dispatches events per request
  std::vector<std::pair<double, double>> times;  // (wall, cpu)
  std::optional<std::uint64_t> first_hash;
  for (int i = 0; i < reps; ++i) {
    const double c0 = cpu_seconds();
    const auto t0 = Clock::now();
    const ws::RunResult r = ws::run(s, options);
    times.emplace_back(std::chrono::duration<double>(Clock::now() - t0).count(),
                       cpu_seconds() - c0);
    if (first_hash && *first_hash != r.trace_hash) {
      std::fprintf(stderr, "wlsim_traffic_bench: repetitions of one case differ in trace hash\n");
      std::exit(1);
    }
    first_hash = r.trace_hash;
    m.events = r.events;
    m.hash = r.trace_hash;
    m.served = 0;
    for (const ws::WorkloadResult& w : r.workloads) {
      if (w.traffic) m.served += w.traffic->served;
    }
    if (times.back().first > timeout_s) break;
  }
  std::sort(times.begin(), times.end());
  m.wall_s = times[times.size() / 2].first;
  m.cpu_s = times[times.size() / 2].second;
  m.reps = static_cast<int>(times.size());
  m.peak_rss_kb = rss.kb();
  return m;
}

bool print_row(const Fleet& f, const Measure& m) {
  const double wl_days = static_cast<double>(f.workloads) * f.days;
  std::printf(
      "%9d | %-8s | %4d | %11llu | %13.0f | %8.3f | %14.3f | %13.3f | %15.0f | %6.1f | %4d | "
      "%016llx\n",
      f.workloads, f.fluid ? "fluid" : "requests", f.days,
      static_cast<unsigned long long>(m.events), static_cast<double>(m.events) / wl_days, m.wall_s,
      m.wall_s * 1e3 / wl_days, m.cpu_s * 1e3 / wl_days, m.served,
      static_cast<double>(m.peak_rss_kb) / 1024, m.reps, static_cast<unsigned long long>(m.hash));
  std::fflush(stdout);
  return m.wall_s > 1.05 * m.cpu_s;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> workloads{10, 100, 1000};
  std::vector<int> request_workloads{10, 100};
  Fleet base;
  base.trace = WLSIM_TRAFFIC_BENCH_TRACE;
  int reps = 3;
  double timeout_s = 120;
  std::optional<std::pair<int, bool>> emit;  // workloads, fluid
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--workloads=")) {
      workloads = parse_sizes(a.substr(12));
    } else if (a.starts_with("--request-workloads=")) {
      request_workloads = parse_sizes(a.substr(20));
    } else if (a.starts_with("--days=")) {
      base.days = std::atoi(a.data() + 7);
    } else if (a.starts_with("--scale=")) {
      base.scale = std::atof(a.data() + 8);
    } else if (a.starts_with("--reps=")) {
      reps = std::max(1, std::atoi(a.data() + 7));
    } else if (a.starts_with("--trace=")) {
      base.trace = std::string(a.substr(8));
    } else if (a.starts_with("--emit=")) {
      emit.emplace(std::atoi(a.data() + 7), !a.ends_with(",requests"));
    } else if (a.starts_with("--timeout=")) {
      timeout_s = std::atof(a.data() + 10);
    } else {
      std::fprintf(stderr, "wlsim_traffic_bench: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  base.trace_rows = count_rows(base.trace);
  if (base.trace_rows == 0 || base.days < 1) {
    std::fprintf(stderr, "wlsim_traffic_bench: need a trace with rows and --days >= 1\n");
    return 2;
  }
  if (emit) {
    Fleet f = base;
    f.workloads = emit->first;
    f.fluid = emit->second;
    std::fputs(fleet_yaml(f).c_str(), stdout);
    return 0;
  }

  std::printf(
      "Fleet traffic: N workloads, each one row of %s (%d rows, cycled) x %g, KPA target 5, 0..50 "
      "replicas, exponential 400 ms service; median of up to %d repetitions; wall = the run only\n",
      base.trace.c_str(), base.trace_rows, base.scale, reps);
  std::printf(
      "workloads | mode     | days |      events | events/wl-day |   wall s | wall ms/wl-day | "
      "cpu ms/wl-day | requests served | RSS MB | reps | trace hash\n");
  struct Pair {
    std::optional<Measure> fluid, requests;
  };
  std::vector<std::pair<int, Pair>> pairs;
  std::vector<std::string> busy;
  std::vector<int> sizes = workloads;
  sizes.insert(sizes.end(), request_workloads.begin(), request_workloads.end());
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  for (const int n : sizes) {
    Pair p;
    for (const bool fluid : {true, false}) {
      const auto& list = fluid ? workloads : request_workloads;
      if (std::find(list.begin(), list.end(), n) == list.end()) continue;
      Fleet f = base;
      f.workloads = n;
      f.fluid = fluid;
      const Measure m = measure(f, reps, timeout_s);
      if (print_row(f, m)) busy.push_back(std::to_string(n) + (fluid ? " fluid" : " requests"));
      (fluid ? p.fluid : p.requests) = m;
    }
    pairs.emplace_back(n, p);
  }
  std::string over;
  for (const auto& [n, p] : pairs) {
    if (!p.fluid) continue;
    const double wl_days = static_cast<double>(n) * base.days;
    if (static_cast<double>(p.fluid->events) / wl_days > kBudgetEventsPerWorkloadDay ||
        p.fluid->wall_s * 1e3 / wl_days > kBudgetWallMsPerWorkloadDay)
      over.append(" ").append(std::to_string(n));
  }
  std::printf("fluid / requests, same fleet, same run:\n");
  std::printf("workloads | events ratio | wall ratio | served ratio\n");
  for (const auto& [n, p] : pairs) {
    if (!p.fluid || !p.requests) continue;
    std::printf("%9d | %12.5f | %10.4f | %12.4f\n", n,
                static_cast<double>(p.fluid->events) / static_cast<double>(p.requests->events),
                p.fluid->wall_s / p.requests->wall_s, p.fluid->served / p.requests->served);
  }
  std::printf(
      "Fleet budget of fluid mode (<= %.0f events and <= %.0f ms wall per workload-day): %s%s\n",
      kBudgetEventsPerWorkloadDay, kBudgetWallMsPerWorkloadDay,
      over.empty() ? "met" : "NOT met at workloads:", over.c_str());
  if (!busy.empty()) {
    std::printf("Warning: the machine was busy (wall > 1.05 x cpu time) at:");
    for (const std::string& b : busy) std::printf(" [%s]", b.c_str());
    std::printf("; those wall figures are inflated, the ratios less so.\n");
  }
  return 0;
}

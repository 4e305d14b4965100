// The fleet-day of issue 11 at 500 / 5,000 / 50,000 workloads (fleet_scenario.hpp): load time of
// the expanded and the templated file, run wall and cpu time, peak memory, events, events per
// second, and how each grows from one size to the next (the scaling exponent
// log(t2/t1) / log(n2/n1): 1 is linear).
//
// Usage: wlsim_fleet_day_bench [--sizes=500,5000,50000] [--quick] [--reps=1] [--emit=N[,template]]
//   --sizes   workload counts (3 replicas each, N/5 nodes)
//   --quick   500 only (the CI smoke run: no thresholds)
//   --reps    runs per size; the run figures are the median (the load is timed once)
//   --emit    print the generated scenario (expanded, or templated) and exit, for wlsim or perf
// Profiling one size: `--child=N,REPS` is the child itself (one line of figures); REPS = 0 loads
// without running, so that a profile of the loads alone can be set against one with the run.
// `--child=N,REPS,1` takes every KPA tick one by one (no foresight: PlatformSettings::
// pass_silently off), the peer that shows what foreseeing them buys, in the same binary.
// Each size is measured in a fresh child process (this program with a hidden flag), so that its
// peak memory is its own. The run is scenarios::run with no trace sink and no event budget.

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench_args.hpp"
#include "fleet_scenario.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

using wlsim::bench::parse_sizes;

namespace {

using Clock = std::chrono::steady_clock;
namespace ws = wlsim::scenarios;
namespace wb = wlsim::bench;

/// The figures bench/README.md records for the models and engine of commit 1418184 (before any of
/// issue 11's speed-ups): each run prints its ratio to them. Run cpu time, not wall time: the
/// machine they were measured on was busy. Keep them equal to the README's table.
struct Baseline {
  int workloads;
  double load_s;
  double run_cpu_s;
  double peak_mb;
};
constexpr std::array<Baseline, 3> kBaseline{{
    {500, 0.123, 0.142, 35.6},
    {5000, 1.462, 2.315, 310.0},
    {50000, 13.211, 36.865, 3039.8},
}};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A /proc/self/status field in kB (VmRSS, VmHWM); 0 where there is none.
long status_kb(std::string_view field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':') {
      return std::atol(line.c_str() + field.size() + 1);
    }
  }
  return 0;
}

/// Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs).
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }

/// One size's figures, as the child prints them (one line of space-separated numbers).
struct Figures {
  int workloads = 0;
  double expanded_mb = 0;   ///< the expanded file's size
  double template_mb = 0;   ///< the templated file's size
  double load_s = 0;        ///< loading the expanded text
  double load_peak_mb = 0;  ///< RSS the load added at its peak, over the text already held
  double template_load_s = 0;
  double run_wall_s = 0;   ///< median of the repetitions
  double run_cpu_s = 0;    ///< of the median repetition
  double peak_mb = 0;      ///< the child's peak RSS (getrusage): text, scenario and run
  double run_peak_mb = 0;  ///< the peak RSS of the run alone (VmHWM reset before it)
  double events = 0;
  double trace_records = 0;
  std::uint64_t hash = 0;
  double silent_events = 0;  ///< of the events, KPA ticks that passed silently (foreseen)
  int reps = 0;
};

/// The child: generates, loads and runs one size, prints its figures.
int measure_child(int workloads, int reps, bool one_by_one) {
  // 50,000 workloads' expanded file holds more values than the default size limit allows for (one
  // per 256 bytes of it); the limit changes nothing in what is loaded.
  ws::Limits limits;
  limits.max_file_bytes = 1LL << 30;
  Figures f;
  f.workloads = workloads;
  {
    const std::string text = wb::fleet_day_yaml(workloads, wb::FleetForm::Expanded);
    f.expanded_mb = static_cast<double>(text.size()) / 1e6;
    const long before_kb = status_kb("VmRSS");
    reset_peak();
    const auto t0 = Clock::now();
    const ws::Scenario s = ws::load_text(text, "<fleet-day>", limits);
    f.load_s = seconds_since(t0);
    f.load_peak_mb = static_cast<double>(status_kb("VmHWM") - before_kb) / 1024;
  }
  const std::string small = wb::fleet_day_yaml(workloads, wb::FleetForm::Template);
  f.template_mb = static_cast<double>(small.size()) / 1e6;
  const auto t0 = Clock::now();
  ws::Scenario s = ws::load_text(small, "<fleet-day>", limits);
  f.template_load_s = seconds_since(t0);
  s.platform.settings.pass_silently = !one_by_one;

  ws::RunOptions options;
  options.limits.max_events = UINT64_MAX;
  reset_peak();
  const long before_run_kb = status_kb("VmRSS");
  std::vector<std::pair<double, double>> times;  // (wall, cpu)
  for (int i = 0; i < reps; ++i) {
    const double c0 = cpu_seconds();
    const auto w0 = Clock::now();
    const ws::RunResult r = ws::run(s, options);
    times.emplace_back(seconds_since(w0), cpu_seconds() - c0);
    if (i > 0 && r.trace_hash != f.hash) {
      std::fprintf(stderr, "wlsim_fleet_day_bench: repetitions differ in trace hash\n");
      return 1;
    }
    f.hash = r.trace_hash;
    f.events = static_cast<double>(r.events);
    f.trace_records = static_cast<double>(r.trace_records);
    f.silent_events = static_cast<double>(r.silent_events);
  }
  f.run_peak_mb = static_cast<double>(std::max(0L, status_kb("VmHWM") - before_run_kb)) / 1024;
  std::sort(times.begin(), times.end());
  if (!times.empty()) {
    f.run_wall_s = times[times.size() / 2].first;
    f.run_cpu_s = times[times.size() / 2].second;
  }
  f.reps = reps;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  f.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024;
  std::printf("%d %.6f %.6f %.6f %.3f %.6f %.6f %.6f %.3f %.3f %.0f %.0f %llu %d %.0f\n",
              f.workloads, f.expanded_mb, f.template_mb, f.load_s, f.load_peak_mb,
              f.template_load_s, f.run_wall_s, f.run_cpu_s, f.peak_mb, f.run_peak_mb, f.events,
              f.trace_records, static_cast<unsigned long long>(f.hash), f.reps, f.silent_events);
  return 0;
}

/// Runs this program again with the hidden flag and reads the child's figures.
std::optional<Figures> measure(int workloads, int reps) {
  // The shell that popen starts would resolve /proc/self to itself: name this process's binary.
  const std::string cmd = "/proc/" + std::to_string(getpid()) +
                          "/exe --child=" + std::to_string(workloads) + "," + std::to_string(reps);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  Figures f;
  unsigned long long hash = 0;
  const int n = std::fscanf(
      pipe, "%d %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %llu %d %lf", &f.workloads,
      &f.expanded_mb, &f.template_mb, &f.load_s, &f.load_peak_mb, &f.template_load_s,
      &f.run_wall_s, &f.run_cpu_s, &f.peak_mb, &f.run_peak_mb, &f.events, &f.trace_records, &hash,
      &f.reps, &f.silent_events);
  const int status = pclose(pipe);
  if (n != 15 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  f.hash = hash;
  return f;
}

double exponent(double y1, double y2, int n1, int n2) {
  return std::log(y2 / y1) / std::log(static_cast<double>(n2) / n1);
}

const Baseline* baseline(int workloads) {
  for (const Baseline& b : kBaseline) {
    if (b.workloads == workloads) return &b;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes{500, 5000, 50000};
  int reps = 1;
  double hold_ns = 0;  // the engine's hold figure of the same bench/run, to set events beside
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--child=")) {
      const std::vector<int> v = parse_sizes(a.substr(8));
      if (v.size() != 2 && v.size() != 3) return 2;
      return measure_child(v[0], std::max(0, v[1]), v.size() == 3 && v[2] != 0);
    }
    if (a.starts_with("--emit=")) {
      const std::vector<int> v = parse_sizes(a.substr(7, a.find(",template") - 7));
      if (v.size() != 1 || v[0] < 1) return 2;
      const auto form =
          a.ends_with(",template") ? wb::FleetForm::Template : wb::FleetForm::Expanded;
      std::fputs(wb::fleet_day_yaml(v[0], form).c_str(), stdout);
      return 0;
    }
    if (a.starts_with("--sizes=")) {
      sizes = parse_sizes(a.substr(8));
    } else if (a == "--quick") {
      sizes = {500};
    } else if (a.starts_with("--reps=")) {
      reps = std::max(1, std::atoi(a.data() + 7));
    } else if (a.starts_with("--hold-ns=")) {
      hold_ns = std::atof(a.data() + 10);
    } else {
      std::fprintf(stderr, "wlsim_fleet_day_bench: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }

  std::printf(
      "Fleet-day: N workloads x 3 replicas on N/5 nodes, 24 h, fluid traffic under the KPA, one "
      "rollout wave in the first 30 min; each size in its own process; run = median of %d; "
      "malloc: %s\n",
      reps, WLSIM_ALLOCATOR);
  std::printf(
      "workloads | replicas | file MB | load s | load MB/s | load mem/file | tmpl MB | tmpl "
      "load s |  run s |  cpu s | peak MB | run MB |     events | events/s | trace records | "
      "trace hash\n");
  std::vector<Figures> rows;
  for (const int n : sizes) {
    const std::optional<Figures> f = measure(n, reps);
    if (!f) {
      std::fprintf(stderr, "wlsim_fleet_day_bench: the child for %d workloads failed\n", n);
      return 1;
    }
    std::printf(
        "%9d | %8d | %7.2f | %6.3f | %9.1f | %13.1f | %7.3f | %11.3f | %6.3f | %6.3f | %7.1f | "
        "%6.1f | %10.0f | %8.3g | %13.0f | %016llx\n",
        f->workloads, f->workloads * wb::kFleetReplicasPerWorkload, f->expanded_mb, f->load_s,
        f->expanded_mb / f->load_s, f->load_peak_mb / f->expanded_mb, f->template_mb,
        f->template_load_s, f->run_wall_s, f->run_cpu_s, f->peak_mb, f->run_peak_mb, f->events,
        f->events / f->run_wall_s, f->trace_records, static_cast<unsigned long long>(f->hash));
    std::fflush(stdout);
    rows.push_back(*f);
  }

  std::printf(
      "per replica: peak RSS / replicas; marginal = difference of peak RSS / of replicas\n");
  std::printf("workloads | peak KB/replica | marginal KB/replica\n");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double replicas = rows[i].workloads * wb::kFleetReplicasPerWorkload;
    std::printf("%9d | %15.1f | ", rows[i].workloads, rows[i].peak_mb * 1024 / replicas);
    if (i == 0) {
      std::printf("%19s\n", "-");
    } else {
      const double dr = replicas - rows[i - 1].workloads * wb::kFleetReplicasPerWorkload;
      std::printf("%19.1f\n", (rows[i].peak_mb - rows[i - 1].peak_mb) * 1024 / dr);
    }
  }
  if (rows.size() > 1) {
    std::printf("scaling exponent log(y2/y1)/log(n2/n1) (1 = linear)\n");
    std::printf("  n1 ->    n2 | load s | run s | cpu s | peak MB | events\n");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const Figures& a = rows[i - 1];
      const Figures& b = rows[i];
      std::printf("%5d -> %5d | %6.2f | %5.2f | %5.2f | %7.2f | %6.2f\n", a.workloads, b.workloads,
                  exponent(a.load_s, b.load_s, a.workloads, b.workloads),
                  exponent(a.run_wall_s, b.run_wall_s, a.workloads, b.workloads),
                  exponent(a.run_cpu_s, b.run_cpu_s, a.workloads, b.workloads),
                  exponent(a.peak_mb, b.peak_mb, a.workloads, b.workloads),
                  exponent(a.events, b.events, a.workloads, b.workloads));
    }
  }
  // What an event of the whole platform costs beside a bare event of the engine (the hold model):
  // the engine's share of a run is what the ratio's inverse says.
  std::printf("cpu per event of the run%s\n",
              hold_ns > 0 ? ", beside the engine's hold figure (ns per hold at 1e4 pending)" : "");
  for (const Figures& f : rows) {
    const double ns = f.run_cpu_s * 1e9 / std::max(1.0, f.events);
    std::printf("%9d | %8.0f ns/event | %9.3g events per cpu second", f.workloads, ns,
                f.events / std::max(1e-9, f.run_cpu_s));
    if (hold_ns > 0) std::printf(" | %.1fx the hold figure (%.1f ns)", ns / hold_ns, hold_ns);
    std::printf("\n");
  }
  bool any_baseline = false;
  for (const Figures& f : rows) {
    const Baseline* b = baseline(f.workloads);
    if (b == nullptr) continue;
    if (!any_baseline) {
      std::printf("against bench/README.md's recorded baseline (ratio < 1 is faster / smaller)\n");
      std::printf("workloads | load s ratio | run cpu s ratio | peak MB ratio\n");
      any_baseline = true;
    }
    std::printf("%9d | %12.3f | %15.3f | %13.3f\n", f.workloads, f.load_s / b->load_s,
                f.run_cpu_s / b->run_cpu_s, f.peak_mb / b->peak_mb);
  }
  bool busy = false;
  for (const Figures& f : rows) busy = busy || f.run_wall_s > 1.05 * f.run_cpu_s;
  if (busy) {
    std::printf(
        "Warning: the machine was busy (run wall > 1.05 x cpu) in some size; compare the cpu "
        "column.\n");
  }
  return 0;
}

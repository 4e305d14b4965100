// Google Benchmark micro-kernels for the engine's hot paths: timer schedule/cancel/dispatch, the
// counter-based random streams, distribution sampling and duration parsing.
//
// Run: build/release/bench/wlsim_engine_bench [--benchmark_filter=REGEX]
// [--benchmark_repetitions=N]

#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/time.hpp"

namespace {

namespace we = wlsim::engine;

class CountingHandler final : public we::EventHandler {
 public:
  void on_event(std::uint64_t token) override { sum += token; }
  std::uint64_t sum = 0;
};

std::vector<std::int64_t> exponential_delays(std::size_t n, double mean_us) {
  we::RandomStream rng(7, "engine_bench", "delays");
  const auto d = we::Distribution::exponential(mean_us);
  std::vector<std::int64_t> out(n);
  for (auto& v : out) v = std::llround(d.sample(rng));
  return out;
}

// schedule_in + cancel of the same timer, with state.range(0) other timers pending far in the
// future. Cancellation is lazy (the queued entry goes stale and is dropped when its bucket is
// read), so every 1024 iterations the clock is advanced past the cancelled timers; that clean-up is
// inside the timing, so the figure is the full amortised cost of a timer that never fires (e.g. a
// request timeout).
void BM_ScheduleCancel(benchmark::State& state) {
  constexpr std::size_t kBatch = 1024;
  const auto background = static_cast<std::size_t>(state.range(0));
  const std::vector<std::int64_t> delays = exponential_delays(4096, 1e6);
  std::int64_t horizon = 1;
  for (const auto d : delays) horizon = std::max(horizon, d + 1);

  we::Simulator sim;
  CountingHandler h;
  for (std::size_t i = 0; i < background; ++i) {
    sim.schedule_at(
        we::Time::from_seconds(1000000000) + we::Time::from_us(static_cast<std::int64_t>(i)), h, i);
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const we::TimerId id = sim.schedule_in(we::Time::from_us(delays[i % delays.size()]), h, i);
    bool cancelled = sim.cancel(id);
    benchmark::DoNotOptimize(cancelled);
    if (++i % kBatch == 0) sim.run_until(sim.now() + we::Time::from_us(horizon));
  }
  if (h.sum != 0) state.SkipWithError("a cancelled timer fired");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScheduleCancel)->Arg(0)->Arg(10000);

// Schedule a burst of state.range(0) timers from outside any handler, then run them all: the cost
// of one timer that is scheduled from outside a handler and then dispatched.
void BM_ScheduleThenRun(benchmark::State& state) {
  const auto burst = static_cast<std::size_t>(state.range(0));
  const std::vector<std::int64_t> delays = exponential_delays(burst, 1e6);
  we::Simulator sim;
  CountingHandler h;
  for (auto _ : state) {
    for (std::size_t i = 0; i < burst; ++i) sim.schedule_in(we::Time::from_us(delays[i]), h, i);
    sim.run();
  }
  benchmark::DoNotOptimize(h.sum);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(burst));
}
BENCHMARK(BM_ScheduleThenRun)->Arg(64)->Arg(4096);

void BM_RandomStreamConstruct(benchmark::State& state) {
  std::uint64_t seed = 1;
  for (auto _ : state) {
    we::RandomStream rng(seed++, "client-17", "think_time");
    std::uint64_t v = rng.next_u64();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_RandomStreamConstruct);

void BM_RandomNextU64(benchmark::State& state) {
  we::RandomStream rng(1, "engine_bench", "u64");
  for (auto _ : state) {
    std::uint64_t v = rng.next_u64();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_RandomNextU64);

void BM_RandomNextUnit(benchmark::State& state) {
  we::RandomStream rng(1, "engine_bench", "unit");
  for (auto _ : state) {
    double v = rng.next_unit();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_RandomNextUnit);

void BM_SampleExponential(benchmark::State& state) {
  we::RandomStream rng(1, "engine_bench", "exponential");
  const auto d = we::Distribution::exponential(80000.0);
  for (auto _ : state) {
    double v = d.sample(rng);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_SampleExponential);

void BM_SampleLognormal(benchmark::State& state) {
  we::RandomStream rng(1, "engine_bench", "lognormal");
  const auto d = we::Distribution::lognormal(20e6, 0.3);
  for (auto _ : state) {
    double v = d.sample(rng);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_SampleLognormal);

// A duration draw as models take it: sample, round to the microsecond, clamp at zero.
void BM_SampleDurationExponential(benchmark::State& state) {
  we::RandomStream rng(1, "engine_bench", "duration");
  const auto d = we::Distribution::exponential(80000.0);
  for (auto _ : state) {
    we::Time t = we::sample_duration(d, rng);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_SampleDurationExponential);

void BM_ParseDuration(benchmark::State& state) {
  constexpr std::array<std::string_view, 6> kTexts{"250ms", "30s",   "1.5m",
                                                   "2h",    "100us", "0.000001d"};
  std::size_t i = 0;
  for (auto _ : state) {
    we::Time t = we::parse_duration(kTexts[i++ % kTexts.size()]);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseDuration);

}  // namespace

BENCHMARK_MAIN();

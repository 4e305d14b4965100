// Google Benchmark for the trace's cost per record, as the models make records: a container
// record (object path, codes, a short message) recorded with no sink (a run that keeps only its
// summary), and into a MemorySink (a run whose records are kept). Counters: records per second and
// the bytes one record costs while it is being recorded (the record itself, plus the heap its text
// takes when it is copied), kept or not.
//
// Builds against the trace before issue 11 too (records were owning TraceRecords then, copied even
// with no sink), so the same file measures before and after.
//
// Run: build/release/bench/wlsim_trace_bench [--benchmark_filter=REGEX]

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"
#include "wlsim/models/trace_kinds.hpp"

#if __has_include("wlsim/engine/hash64.hpp")
#define WLSIM_TRACE_VIEWS 1
#endif

namespace {

namespace we = wlsim::engine;
namespace wm = wlsim::models;

constexpr std::string_view kObject = "wl-0042/p1/r3/app";
constexpr std::string_view kMessage =
    "Liveness probe failed: HTTP probe failed with statuscode: 500";

/// The heap a copy of `s` takes (none when it fits the string's own buffer).
std::size_t heap_of(std::string_view s) {
  const std::string probe;
  return s.size() > probe.capacity() ? s.size() + 1 : 0;
}

/// One record, made as Context::record makes it, recorded.
void record_one(we::Trace& trace, we::Time t) {
  const auto kind = static_cast<we::TraceCode>(wm::TraceKind::Event);
  const auto reason = static_cast<we::TraceCode>(wm::Reason::Unhealthy);
  const we::TraceCode from = wm::TraceState{}.code();
  const we::TraceCode to = wm::TraceState(wm::EventType::Warning).code();
#ifdef WLSIM_TRACE_VIEWS
  trace.record(we::TraceView{
      t, kObject, kind, from, to, reason, kMessage, {}, &wm::trace_vocabulary(), 1, t, t});
#else
  trace.record(we::TraceRecord{t,
                               std::string(kObject),
                               kind,
                               from,
                               to,
                               reason,
                               std::string(kMessage),
                               {},
                               &wm::trace_vocabulary()});
#endif
}

void BM_RecordNoSink(benchmark::State& state) {
  we::Trace trace;
  std::int64_t us = 0;
  for (auto _ : state) {
    record_one(trace, we::Time::from_us(++us));
    benchmark::DoNotOptimize(trace.hash());
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
#ifdef WLSIM_TRACE_VIEWS
  state.counters["bytes/record"] = static_cast<double>(sizeof(we::TraceView));
#else
  state.counters["bytes/record"] =
      static_cast<double>(sizeof(we::TraceRecord) + heap_of(kObject) + heap_of(kMessage));
#endif
}
BENCHMARK(BM_RecordNoSink);

void BM_RecordMemorySink(benchmark::State& state) {
  std::int64_t us = 0;
  std::size_t records = 0;
  for (auto _ : state) {
    // A fresh sink every 4096 records, so the benchmark's memory stays bounded.
    state.PauseTiming();
    we::Trace trace;
    we::MemorySink sink;
    trace.add_sink(sink);
    state.ResumeTiming();
    for (int i = 0; i < 4096; ++i) record_one(trace, we::Time::from_us(++us));
    records += sink.records().size();
    benchmark::DoNotOptimize(sink.records().data());
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["bytes/record kept"] =
      static_cast<double>(sizeof(we::TraceRecord) + heap_of(kObject) + heap_of(kMessage));
}
BENCHMARK(BM_RecordMemorySink);

}  // namespace

BENCHMARK_MAIN();

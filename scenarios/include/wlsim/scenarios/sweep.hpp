#pragma once
// A sweep: every variant of a scenario (overrides by path, overrides.hpp) run on the same seeds.
// Seed s of every variant is exactly seed s (common random numbers), so the runs of two variants
// pair up by seed and their difference is the variants' difference, not the seeds'. Runs go on
// threads; each finished run is handed to a callback (the result store writes it there), and the
// statistics table (sweep_table.cpp) is made from the runs alone.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/overrides.hpp"
#include "wlsim/scenarios/replications.hpp"
#include "wlsim/scenarios/run_rows.hpp"
#include "wlsim/scenarios/scenario.hpp"

namespace wlsim::scenarios {

/// One variant: the overrides that make it, applied in order after the scenario's own.
struct Variant {
  std::vector<Override> overrides;
  friend bool operator==(const Variant&, const Variant&) = default;
};

/// Variants of one sweep, at most (the cartesian product grows fast).
inline constexpr std::size_t kMaxVariants = 100'000;

/// "V1,V2,..." split at the commas outside [], {} and quotes, so that `[a, b]`, `{cpu: 2, ...}`
/// and `'a,b'` are one value each. Items are trimmed of spaces. Throws std::invalid_argument (one
/// line) for an empty item or an unclosed bracket or quote.
[[nodiscard]] std::vector<std::string> split_values(std::string_view text);

/// The cartesian product of `PATH=V1,V2,...` options: the first option varies slowest, an option
/// with one value is in every variant. No option gives one variant without overrides. Throws
/// std::invalid_argument for a bad option or value list, a path given twice, or more than
/// kMaxVariants variants.
[[nodiscard]] std::vector<Variant> cartesian_variants(const std::vector<std::string>& options);

/// "PATH=VALUE, PATH=VALUE" ("(no overrides)" for none): how tables and messages name a variant.
[[nodiscard]] std::string variant_text(const Variant& v);

/// Each variant loaded once: the source with `base` and then the variant's overrides. Throws
/// ScenarioError; a variant's error names it: "variant 1 (PATH=VALUE): <the load's error>".
[[nodiscard]] std::vector<Scenario> load_variants(const Source& source,
                                                  const std::vector<Override>& base,
                                                  const std::vector<Variant>& variants,
                                                  const Limits& limits);

/// A run of a sweep as the store keeps it.
struct SweepRun {
  std::size_t variant = 0;
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  std::uint64_t events = 0;
  double simulated_seconds = 0;
  RunRows rows;
  friend bool operator==(const SweepRun&, const SweepRun&) = default;
};

/// (variant, seed).
using RunKey = std::pair<std::size_t, std::uint64_t>;

/// The sweep's run of a result (rows, hash, events, simulated time).
[[nodiscard]] SweepRun sweep_run(std::size_t variant, const RunResult& r);

/// Runs every (variant, seed) that is not in `done` on `threads` threads, each variant's
/// scenario with exactly that seed. `on_done` is called with each run as it finishes, in any order,
/// one call at a time. If a run or `on_done` throws, the other threads take no new run and, once
/// every thread has ended, the error of the first failing (variant, seed) in variant-major order
/// is rethrown (a run's error is the one a single run of it gives).
void run_sweep(const std::vector<Scenario>& variants, const std::vector<std::uint64_t>& seeds,
               int threads, const RunLimits& limits, const std::set<RunKey>& done,
               const std::function<void(const SweepRun&)>& on_done);

/// What a sweep's table is made of: its variants, seeds and every run.
struct SweepResults {
  std::string scenario;
  std::vector<Variant> variants;
  std::vector<std::uint64_t> seeds;
  std::vector<SweepRun> runs;  ///< any order
};

/// One metric of one variant: its values pooled over workloads × seeds (a replacement metric over
/// replacements × seeds, a fleet metric over seeds), and the paired difference to variant 0:
/// the differences (this variant − variant 0) of every (seed, workload, replacement) where both
/// have a value. None for variant 0.
struct VariantMetric {
  MetricStats stats;
  std::optional<MetricStats> difference;
};

/// A metric's name in the table: a workload metric as is, a replacement's `replacement.NAME`, the
/// fleet's `fleet.NAME`.
struct SweepMetric {
  std::string name;
  std::vector<VariantMetric> variants;  ///< by variant index
};

struct SweepStats {
  /// In the order the rows first name them (variant 0's first run first); metrics without any
  /// value in any variant are left out.
  std::vector<SweepMetric> metrics;
  /// Per variant: the (workload, seed) pairs whose timeToRunning has no value, and all of them.
  std::vector<int> never_running;
  std::vector<int> workload_seeds;
};

[[nodiscard]] SweepStats sweep_stats(const SweepResults& r);
[[nodiscard]] std::string sweep_table(const SweepResults& r);
[[nodiscard]] std::string sweep_json(const SweepResults& r);

}  // namespace wlsim::scenarios

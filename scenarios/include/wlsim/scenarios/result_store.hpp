#pragma once
// A sweep's results in one SQLite file, written as runs finish, so that a killed sweep resumes
// where it stopped with no run lost or run twice. Tables (docs/studies.md):
//   sweep(key TEXT PRIMARY KEY, value TEXT)          format, scenario, fingerprint, seeds, base
//   variants(variant INTEGER PRIMARY KEY, overrides TEXT)   a JSON object path → value
//   runs(variant, seed, trace_hash, events, simulated_seconds)   PRIMARY KEY (variant, seed)
//   metrics(variant, seed, position, workload, replacement, metric, value REAL)
//   texts(variant, seed, position, workload, replacement, field, text)
// one row of metrics per run × workload × metric (run_rows.hpp; position is the row's place in its
// run). Each run is written in one transaction with its rows, so the file only ever holds whole
// runs. The fingerprint hashes the scenario text, the overrides, the variants and the seeds: a
// store is only ever resumed by the sweep that made it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "wlsim/scenarios/overrides.hpp"
#include "wlsim/scenarios/sweep.hpp"

namespace wlsim::scenarios {

/// A store that cannot be opened, read or written, or that holds another sweep; what() is one
/// line naming the file.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What identifies a sweep.
struct SweepIdentity {
  std::string scenario;        ///< its name
  std::string source_text;     ///< the scenario text
  std::vector<Override> base;  ///< applied to every variant before its own
  std::vector<Variant> variants;
  std::vector<std::uint64_t> seeds;
};

/// The fingerprint of a sweep: 16 hex digits.
[[nodiscard]] std::string sweep_fingerprint(const SweepIdentity& sweep);

class ResultStore {
 public:
  /// Opens `path` (":memory:" for a store in memory), creating the file and its tables if they are
  /// not there. Throws StoreError if it cannot, if the file is not a wlsim result store, or if it
  /// holds another sweep.
  ResultStore(const std::string& path, const SweepIdentity& sweep);
  ~ResultStore();
  ResultStore(ResultStore&&) noexcept;
  ResultStore& operator=(ResultStore&&) noexcept;
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  /// The runs already stored.
  [[nodiscard]] std::set<RunKey> done() const;
  /// Writes a run and its rows in one transaction. Throws StoreError for a variant or seed not of
  /// this sweep, a run already stored, or a failed write (nothing of the run is then stored).
  void add(const SweepRun& run);
  /// Every stored run with its rows, ordered by variant, seed and row.
  [[nodiscard]] std::vector<SweepRun> read() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wlsim::scenarios

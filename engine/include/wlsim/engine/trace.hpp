#pragma once
// The trace: a stream of typed records, each folded into a running 64-bit hash that fingerprints the
// run. Sinks receive the records (memory, CSV, JSON lines); a run with no sink still has its hash.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "wlsim/engine/time.hpp"

namespace wlsim::engine {

struct TraceRecord {
  Time time;
  std::string object;   ///< path such as "wl-1/p1/r0/app"
  std::string kind;     ///< what changed: "workload", "proton", "replica", "container", "event", ...
  std::string from;     ///< state before ("" for a creation or a plain event)
  std::string to;       ///< state after
  std::string reason;   ///< short machine-readable reason ("Unschedulable", "Pulled", ...)
  std::string message;  ///< human-readable text, in the wording a Kubernetes user knows
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void write(const TraceRecord& r) = 0;
};

/// Keeps every record in memory.
class MemorySink final : public TraceSink {
 public:
  void write(const TraceRecord& r) override { records_.push_back(r); }
  [[nodiscard]] const std::vector<TraceRecord>& records() const noexcept { return records_; }

 private:
  std::vector<TraceRecord> records_;
};

/// RFC 4180 CSV with a header row; time in seconds.
class CsvSink final : public TraceSink {
 public:
  explicit CsvSink(std::ostream& out);
  void write(const TraceRecord& r) override;

 private:
  std::ostream& out_;
};

/// One JSON object per line.
class JsonLinesSink final : public TraceSink {
 public:
  explicit JsonLinesSink(std::ostream& out) : out_(out) {}
  void write(const TraceRecord& r) override;

 private:
  std::ostream& out_;
};

/// Seconds as the shortest text that reads back exactly ("30", "0.25", "1e-06" is avoided).
[[nodiscard]] std::string seconds_text(Time t);

class Trace {
 public:
  /// Sinks are not owned; each must outlive the trace's use.
  void add_sink(TraceSink& sink) { sinks_.push_back(&sink); }
  void record(const TraceRecord& r);
  /// The running FNV-1a hash over every record so far.
  [[nodiscard]] std::uint64_t hash() const noexcept { return hash_; }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }

 private:
  std::vector<TraceSink*> sinks_;
  std::uint64_t hash_ = 0xCBF29CE484222325ULL;
  std::uint64_t count_ = 0;
};

/// A hash as 16 lowercase hex digits.
[[nodiscard]] std::string hash_hex(std::uint64_t h);

}  // namespace wlsim::engine

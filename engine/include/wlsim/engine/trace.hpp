#pragma once
// The trace: a stream of typed records, each folded into a running 64-bit hash that fingerprints
// the run. Sinks receive the records (memory, CSV, JSON lines); a run with no sink still has its
// hash.
//
// A record's kind, states and reason are small integer codes: the models decide by comparing codes,
// never text. The engine knows nothing of what the codes mean; a TraceVocabulary, defined by the
// models, names them, and only the edges (the hash, the sinks, JSON, Python) read the names. The
// names are constants, so naming allocates nothing.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/time.hpp"

namespace wlsim::engine {

/// One value of a record's kind, from, to or reason field; what it means is the vocabulary's.
using TraceCode = std::uint16_t;

/// Names the codes of trace records. Implementations are immutable and outlive every record that
/// points at them; every name is a view of a constant.
class TraceVocabulary {
 public:
  [[nodiscard]] virtual std::string_view kind(TraceCode kind) const noexcept = 0;
  /// A from- or to-state of a record of this kind.
  [[nodiscard]] virtual std::string_view state(TraceCode kind, TraceCode state) const noexcept = 0;
  [[nodiscard]] virtual std::string_view reason(TraceCode reason) const noexcept = 0;

 protected:
  ~TraceVocabulary() = default;
};

struct TraceRecord {
  /// The from-state code meaning "the from-state is free text, held in `text`" (an API call's
  /// request line as the user wrote it).
  static constexpr TraceCode kTextState = 0xFFFF;

  Time time;
  std::string object;  ///< path such as "wl-1/p1/r0/app"
  // The coded fields, named by `vocabulary`.
  TraceCode kind = 0;  ///< what changed: "workload", "proton", "replica", "container", "event", ...
  TraceCode from = 0;  ///< state before ("" for a creation or a plain event); a state of `kind`
  TraceCode to = 0;    ///< state after; a state of `kind`
  TraceCode reason = 0;  ///< short machine-readable reason ("Unschedulable", "Pulled", ...)
  std::string message;   ///< human-readable text, in the wording a Kubernetes user knows
  std::string text;      ///< the from-state when `from` is kTextState, else empty
  const TraceVocabulary* vocabulary = nullptr;  ///< names the codes; null names every code ""

  [[nodiscard]] std::string_view kind_name() const noexcept;
  [[nodiscard]] std::string_view from_name() const noexcept;
  [[nodiscard]] std::string_view to_name() const noexcept;
  [[nodiscard]] std::string_view reason_name() const noexcept;
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

#pragma once
// The trace: a stream of typed records, each folded into a running 64-bit hash that fingerprints
// the run. Sinks receive the records (memory, CSV, JSON lines); a run with no sink still has its
// hash, and makes no text: a record is codes and views of text its maker already holds.
//
// A record's kind, states and reason are small integer codes: the models decide by comparing codes,
// never text. The engine knows nothing of what the codes mean; a TraceVocabulary, defined by the
// models, names them, and only the edges (the hash, the sinks, JSON, Python) read the names. The
// names are constants, so naming allocates nothing.

#include <array>
#include <atomic>
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
  TraceVocabulary(const TraceVocabulary&) = delete;
  TraceVocabulary& operator=(const TraceVocabulary&) = delete;

  [[nodiscard]] virtual std::string_view kind(TraceCode kind) const noexcept = 0;
  /// A from- or to-state of a record of this kind.
  [[nodiscard]] virtual std::string_view state(TraceCode kind, TraceCode state) const noexcept = 0;
  [[nodiscard]] virtual std::string_view reason(TraceCode reason) const noexcept = 0;

  /// hash64::text(name) of the name of a code: what the trace's hash reads for it. Kept here
  /// once computed, for every trace that uses this vocabulary (a run of a few dozen records would
  /// otherwise hash most of its names afresh). Inline once kept: a record asks for four, and a
  /// call for each was a fortieth of a Monte Carlo replication.
  [[nodiscard]] std::uint64_t kind_hash(TraceCode kind) const noexcept {
    return kept(kind < kKinds ? kind : kNone, [&] { return this->kind(kind); });
  }
  [[nodiscard]] std::uint64_t state_hash(TraceCode kind, TraceCode state) const noexcept {
    return kept(state_slot(kind, state), [&] { return this->state(kind, state); });
  }
  [[nodiscard]] std::uint64_t reason_hash(TraceCode reason) const noexcept {
    return kept(reason < kReasons ? kKinds + reason : kNone, [&] { return this->reason(reason); });
  }

 protected:
  TraceVocabulary() = default;
  ~TraceVocabulary() = default;

 private:
  /// The hash kept at `slot`, else computed (and kept, unless `slot` is kNone) from `name()`.
  template <class Name>
  [[nodiscard]] std::uint64_t kept(std::size_t slot, const Name& name) const noexcept {
    if (slot != kNone) {
      const std::uint64_t h = hashes_[slot].load(std::memory_order_relaxed);
      if (h != 0) return h;
    }
    return compute(slot, name());
  }
  /// hash64::text(name), kept at `slot` unless it is kNone.
  [[nodiscard]] std::uint64_t compute(std::size_t slot, std::string_view name) const noexcept;

  // Codes kept: kinds and reasons below these, and of the kinds kept the states below kStates (a
  // container's state code is its state·256 + its reason; an HTTP status is below 600) and the
  // kHighStates highest codes, which a vocabulary keeps for states every kind has (the models'
  // start, which most first records and every event come from). Others are hashed each time.
  static constexpr std::size_t kKinds = 16;
  static constexpr std::size_t kReasons = 256;
  static constexpr std::size_t kStates = 1024;
  static constexpr std::size_t kHighStates = 2;
  static constexpr std::size_t kStateSlots = kStates + kHighStates;  // per kind
  /// No slot: a code beyond those kept.
  static constexpr std::size_t kNone = ~std::size_t{0};
  /// Where the hash of `state` of `kind` is kept, else kNone.
  [[nodiscard]] static constexpr std::size_t state_slot(TraceCode kind, TraceCode state) noexcept {
    constexpr std::size_t kFirstHigh = std::size_t{TraceCode(~TraceCode{0})} + 1 - kHighStates;
    std::size_t at = kNone;
    if (state < kStates) at = state;
    if (state >= kFirstHigh) at = kStates + (state - kFirstHigh);
    return kind < kKinds && at != kNone ? kKinds + kReasons + kind * kStateSlots + at : kNone;
  }
  /// Kinds, then reasons, then each kind's states; 0 is "not computed yet". Runs on several
  /// threads share a vocabulary: each slot is written at most with one value, so relaxed atomics
  /// suffice (two threads may both compute it).
  mutable std::array<std::atomic<std::uint64_t>, kKinds + kReasons + kKinds * kStateSlots>
      hashes_{};
};

/// A record as the models make it: views of the caller's text, valid only during the call that
/// receives it (the hash, a sink). A sink that keeps a record copies it into a TraceRecord, so a
/// run that keeps only its summary copies and formats nothing.
struct TraceView {
  /// The from-state code meaning "the from-state is free text, held in `text`" (an API call's
  /// request line as the user wrote it).
  static constexpr TraceCode kTextState = 0xFFFF;

  Time time;
  std::string_view object;  ///< path such as "wl-1/p1/r0/app"
  // The coded fields, named by `vocabulary`.
  TraceCode kind = 0;
  TraceCode from = 0;
  TraceCode to = 0;
  TraceCode reason = 0;
  std::string_view message;
  std::string_view text;  ///< the from-state when `from` is kTextState, else empty
  const TraceVocabulary* vocabulary = nullptr;
  /// How many times the record happened: more than 1 only for a series of repeated events written
  /// when the run ends (Kubernetes' event count), which happened first at `first` and last at
  /// `last`. A record that happened once has count 1 and first = last = time.
  std::uint64_t count = 1;
  Time first = time;
  Time last = time;

  [[nodiscard]] std::string_view kind_name() const noexcept;
  [[nodiscard]] std::string_view from_name() const noexcept;
  [[nodiscard]] std::string_view to_name() const noexcept;
  [[nodiscard]] std::string_view reason_name() const noexcept;
};

/// A record that owns its text: what a sink or an object keeps.
struct TraceRecord {
  static constexpr TraceCode kTextState = TraceView::kTextState;

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
  std::uint64_t count = 1;                      ///< as TraceView::count
  Time first = time;                            ///< as TraceView::first
  Time last = time;                             ///< as TraceView::last

  /// The owning copy of `v`.
  [[nodiscard]] static TraceRecord of(const TraceView& v);
  /// Becomes a copy of `v`, reusing the text's storage (a kept record overwritten allocates
  /// nothing when the new text fits).
  void assign(const TraceView& v);
  [[nodiscard]] TraceView view() const noexcept;

  [[nodiscard]] std::string_view kind_name() const noexcept;
  [[nodiscard]] std::string_view from_name() const noexcept;
  [[nodiscard]] std::string_view to_name() const noexcept;
  [[nodiscard]] std::string_view reason_name() const noexcept;
};

/// An owning record in one string, for what objects keep of their last records (a pod's events, a
/// workload's lifecycle): 88 bytes and at most one allocation, where a TraceRecord takes 144 and up
/// to three. Its text is object, message and text back to back.
class KeptRecord {
 public:
  KeptRecord() = default;
  explicit KeptRecord(const TraceView& v) { assign(v); }
  /// Becomes a copy of `v`, reusing the text's storage.
  void assign(const TraceView& v);
  /// Views of this record's text: valid while it is neither changed nor destroyed.
  [[nodiscard]] TraceView view() const noexcept;

  [[nodiscard]] Time time() const noexcept { return time_; }
  [[nodiscard]] std::string_view object() const noexcept { return part(0, object_size_); }
  [[nodiscard]] std::string_view message() const noexcept {
    return part(object_size_, message_size_);
  }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] Time first() const noexcept { return first_; }
  [[nodiscard]] Time last() const noexcept { return last_; }
  [[nodiscard]] std::string_view kind_name() const noexcept { return view().kind_name(); }
  [[nodiscard]] std::string_view from_name() const noexcept { return view().from_name(); }
  [[nodiscard]] std::string_view to_name() const noexcept { return view().to_name(); }
  [[nodiscard]] std::string_view reason_name() const noexcept { return view().reason_name(); }

 private:
  [[nodiscard]] std::string_view part(std::size_t at, std::size_t size) const noexcept {
    return std::string_view(text_).substr(at, size);
  }

  Time time_;
  Time first_;
  Time last_;
  std::uint64_t count_ = 1;
  std::string text_;
  const TraceVocabulary* vocabulary_ = nullptr;
  std::uint32_t object_size_ = 0;
  std::uint32_t message_size_ = 0;
  TraceCode kind_ = 0;
  TraceCode from_ = 0;
  TraceCode to_ = 0;
  TraceCode reason_ = 0;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// `r`'s text is valid only during the call.
  virtual void write(const TraceView& r) = 0;
};

/// Keeps every record in memory.
class MemorySink final : public TraceSink {
 public:
  void write(const TraceView& r) override { records_.push_back(TraceRecord::of(r)); }
  [[nodiscard]] const std::vector<TraceRecord>& records() const noexcept { return records_; }

 private:
  std::vector<TraceRecord> records_;
};

/// RFC 4180 CSV with a header row; times in seconds.
class CsvSink final : public TraceSink {
 public:
  explicit CsvSink(std::ostream& out);
  void write(const TraceView& r) override;

 private:
  std::ostream& out_;
};

/// One JSON object per line.
class JsonLinesSink final : public TraceSink {
 public:
  explicit JsonLinesSink(std::ostream& out) : out_(out) {}
  void write(const TraceView& r) override;

 private:
  std::ostream& out_;
};

/// Seconds as the shortest text that reads back exactly ("30", "0.25", "1e-06" is avoided).
[[nodiscard]] std::string seconds_text(Time t);

/// Folds every record into a running hash (hash64.hpp) and passes it to the sinks.
///
/// A record's hash (hash64::record) reads the time in microseconds, the kind's, from-state's,
/// to-state's and reason's names, the count, the first and last times, the object and the message,
/// each in its own place; the running hash folds it in one step. The codes are read as the hashes
/// of the names they stand for
/// (computed once per code and kept), not as their numbers: adding a kind, a state or a reason to
/// the vocabulary renumbers codes but changes no hash of a run that does not record it.
class Trace {
 public:
  /// Sinks are not owned; each must outlive the trace's use.
  void add_sink(TraceSink& sink) { sinks_.push_back(&sink); }
  void record(const TraceView& r);
  void record(const TraceRecord& r) { record(r.view()); }
  /// The running hash over every record so far.
  [[nodiscard]] std::uint64_t hash() const noexcept { return hash_; }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }

 private:
  std::vector<TraceSink*> sinks_;
  std::uint64_t hash_ = 0;
  std::uint64_t count_ = 0;
};

/// A hash as 16 lowercase hex digits.
[[nodiscard]] std::string hash_hex(std::uint64_t h);

}  // namespace wlsim::engine

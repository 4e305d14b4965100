#pragma once
// Repeated Kubernetes events, aggregated as Kubernetes does (client-go's event correlator: an event
// with the same object, type, reason and message as an earlier one raises that event's count and
// moves its lastTimestamp instead of making a new event).
//
// The rule of the trace: an event is recorded the first time it happens, as any record; each exact
// repeat only adds to its series. When the run ends, one record per series that repeated is
// written, in the order the series began, at the run's end time, with the series' count (every
// occurrence, the first included) and the times of its first and last occurrences. A probe that
// fails five times makes two records: the first failure (count 1) and, at the end, the series
// (count 5).
//
// Memory grows with the number of distinct events, so an event that never repeats costs little:
// 32 bytes and a slot of a hash table, no text. An event is known by two independent 64-bit hashes
// of its object, type, reason and message (128 bits: two distinct events are taken for one with
// odds of about n^2 / 2^129 for n distinct events, 10^-27 for a million). Only a series that
// repeats keeps its object and message, to write them when the run ends. Counting an event costs
// one lookup and allocates nothing but amortised growth.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

class EventSeries {
 public:
  /// What an event is, once counted.
  struct Occurrence {
    std::uint64_t count;  ///< occurrences of its series so far, itself included
    engine::Time first;   ///< when its series began
  };

  /// Counts `event` (an event record, at its time) in its series.
  Occurrence add(const engine::TraceView& event);

  /// Writes to `trace`, at `end`, one record per series that repeated, in the order the series
  /// began, then forgets every series: an event after this begins a new series.
  void flush(engine::Trace& trace, engine::Time end);

  /// The series open (every distinct event since the last flush).
  [[nodiscard]] std::size_t size() const noexcept { return seen_.size(); }

 private:
  /// An event seen since the last flush, in the order they began.
  struct Seen {
    std::uint64_t key;    ///< one hash of object, type, reason and message: the table's
    std::uint64_t check;  ///< another, with another seed
    engine::Time first;
    std::uint32_t repeated;  ///< 1 + its index in repeated_, or 0 while it has happened once
  };
  /// A series that repeated.
  struct Repeated {
    std::uint32_t seen;  ///< its index in seen_: the order it began in
    std::uint32_t object_at;
    std::uint32_t object_size;
    std::uint32_t message_at;
    std::uint32_t message_size;
    engine::TraceCode type;
    engine::TraceCode reason;
    std::uint64_t count;
    engine::Time last;
  };

  [[nodiscard]] std::string_view text(std::uint32_t at, std::uint32_t size) const noexcept {
    return std::string_view(text_).substr(at, size);
  }
  /// Doubles the table and places every event seen again.
  void grow();

  std::vector<Seen> seen_;
  std::vector<Repeated> repeated_;  ///< in the order they first repeated
  std::string text_;                ///< every repeated series' object and message, back to back
  /// Open addressing, linear probing: 1 + an index in seen_, or 0 for an empty slot; a power of
  /// two, at most half full.
  std::vector<std::uint32_t> slots_;
  const engine::TraceVocabulary* vocabulary_ = nullptr;
};

}  // namespace wlsim::models

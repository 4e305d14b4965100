#pragma once
// Repeated Kubernetes events, aggregated as Kubernetes does (client-go's event correlator: an event
// with the same object, type, reason and message as an earlier one raises that event's count and
// moves its lastTimestamp instead of making a new event), within a bounded memory (client-go keeps
// its series in an LRU cache of 4,096 events per recorder; an event that fell out of it starts a
// new series).
//
// The rule of the trace: an event is recorded the first time it happens, as any record; each exact
// repeat only adds to its series. A series that repeated is written as one record, at the time it
// is forgotten, with the series' count (every occurrence, the first included) and the times of its
// first and last occurrences. A probe that fails five times makes two records: the first failure
// (count 1) and, later, the series (count 5).
//
// Series are forgotten by two generations of at most K distinct events each (an LRU, approximate
// by at most one generation, O(1) per event). An event is counted in the current generation; one
// that misses it but is in the previous generation moves there, with its series (count, first,
// last). Before an event enters a current generation that holds K events, the generations turn:
// the previous generation's repeated series are written at that event's time, in the order they
// began, the previous generation is dropped and the current one becomes the previous. So a series
// is forgotten once between K and 2K other events have entered the current generation since its
// last occurrence. When the run ends (flush) the series of both generations are written, in the
// order they began overall. An event that happened once and was forgotten writes nothing more; if
// it happens again, its series starts again at count 1, with a record of its own.
//
// Memory is bounded by K: per generation, at most K events of 32 bytes, a hash table of 2K slots of
// 4 bytes (K a power of two; else up to 4K), at most K repeated series of 40 bytes and their object
// and message text: for the production K = 65,536, 2 x 5 MiB plus the text of at most 131,072
// series. An event is known by two independent 64-bit hashes of its object, type, reason and
// message (128 bits: two distinct events are taken for one with odds of about n^2 / 2^129 for n
// distinct events, 10^-27 for a million). Counting an event costs one or two lookups and allocates
// nothing once both generations have grown to their largest.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

class EventSeries {
 public:
  /// The production K: 16 x client-go's 4,096 per recorder, for one trace holds every kubelet of
  /// the fleet.
  static constexpr std::size_t kGenerationSize = 65'536;

  /// What an event is, once counted.
  struct Occurrence {
    std::uint64_t count;  ///< occurrences of its series so far, itself included
    engine::Time first;   ///< when its series began
  };

  /// Generations of at most `generation_size` (K, at least 1) distinct events each.
  explicit EventSeries(std::size_t generation_size = kGenerationSize);

  /// Counts `event` (an event record, at its time) in its series; writes to `trace`, at the
  /// event's time, the series that the generations' turn forgets (see the header comment).
  Occurrence add(const engine::TraceView& event, engine::Trace& trace);

  /// Writes to `trace`, at `end`, one record per open series that repeated, in the order the
  /// series began, then forgets every series: an event after this begins a new series.
  void flush(engine::Trace& trace, engine::Time end);

  /// The series open (distinct events remembered): at most 2K.
  [[nodiscard]] std::size_t size() const noexcept {
    return generations_[0].seen.size() + generations_[1].seen.size() - generations_[0].moved -
           generations_[1].moved;
  }

 private:
  /// An event of a generation, in the order they entered it.
  struct Seen {
    std::uint64_t key;    ///< one hash of object, type, reason and message: the table's
    std::uint64_t check;  ///< another, with another seed
    engine::Time first;
    /// 1 + its index in repeated, 0 while it has happened once, or kMoved once it moved to the
    /// current generation.
    std::uint32_t repeated;
    /// When its series began among the series that began at `first` (wraps at 2^32: exact while
    /// fewer than 2^31 series begin at one instant).
    std::uint32_t order;
  };
  static constexpr std::uint32_t kMoved = ~std::uint32_t{0};
  /// A series that repeated.
  struct Repeated {
    std::uint32_t seen;  ///< its index in seen
    std::uint32_t object_at;
    std::uint32_t object_size;
    std::uint32_t message_at;
    std::uint32_t message_size;
    engine::TraceCode type;
    engine::TraceCode reason;
    std::uint64_t count;
    engine::Time last;
  };
  struct Generation {
    std::vector<Seen> seen;
    std::vector<Repeated> repeated;
    std::string text;  ///< every repeated series' object and message, back to back
    /// Open addressing, linear probing: 1 + an index in seen, or 0 for an empty slot; a power of
    /// two, at most half full.
    std::vector<std::uint32_t> slots;
    std::size_t moved = 0;  ///< events moved to the current generation

    /// The slot of the event (`key`, `check`): its own, or the empty one it would take.
    [[nodiscard]] std::size_t find(std::uint64_t key, std::uint64_t check) const noexcept;
    [[nodiscard]] std::string_view text_of(std::uint32_t at, std::uint32_t size) const noexcept {
      return std::string_view(text).substr(at, size);
    }
    /// Doubles the table and places every event again.
    void grow();
    /// Forgets every event, keeping the memory.
    void clear();
  };

  /// Counts the repeat of the event at `index` of `g` that had happened `count` times and kept no
  /// series there yet: it keeps its text from now on.
  Occurrence repeat(Generation& g, std::uint32_t index, std::uint64_t count,
                    const engine::TraceView& event);
  /// Writes the repeated series of `gens` that have not moved, in the order they began, at `at`.
  void write(engine::Trace& trace, engine::Time at, const std::vector<const Generation*>& gens);
  /// Turns the generations: writes and drops the previous one, at `now`.
  void turn(engine::Trace& trace, engine::Time now);

  std::size_t generation_size_;
  std::array<Generation, 2> generations_;
  std::size_t current_ = 0;  ///< the current generation's index; the other is the previous
  std::uint32_t next_order_ = 0;
  const engine::TraceVocabulary* vocabulary_ = nullptr;
};

}  // namespace wlsim::models

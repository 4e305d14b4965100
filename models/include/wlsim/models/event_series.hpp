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
// 8 bytes (K a power of two; else up to 4K), at most K repeated series of 40 bytes and their object
// and message text: for the production K = 65,536, 2 x 5.5 MiB plus the text of at most 131,072
// series. An event is known by two independent 64-bit hashes of its object, type, reason and
// message (128 bits: two distinct events are taken for one with odds of about n^2 / 2^129 for n
// distinct events, 10^-27 for a million). Counting an event costs one or two lookups and allocates
// nothing once both generations have grown to their largest.
//
// A frequent event (a starting container's failing probe) is made cheaper still by a ticket: an
// occurrence added ticketed names its series, and the maker that knows its next occurrence is the
// same event (same object and message) counts it by the ticket, without making its text, hashing
// it or looking it up (count_repeat). That is exactly what add would do with it: the series is
// found in the current generation and counted, or found in the previous one and moved, with the
// text it keeps. A ticketed series keeps its text from its first occurrence (so its first repeat
// needs none either), and writes nothing more if it never repeats. A ticket finds nothing once its
// series is forgotten or the run ends; its holder then makes the text and calls add again.

#include <array>
#include <boost/container/small_vector.hpp>
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

  /// Names a ticketed series in the generation it was issued in (see the header comment); the
  /// default names none.
  class Ticket {
   public:
    Ticket() = default;
    /// It names no series (it was never issued).
    [[nodiscard]] bool empty() const noexcept { return stamp_ == 0; }

   private:
    friend class EventSeries;
    Ticket(std::uint32_t stamp, std::uint32_t index) noexcept : stamp_(stamp), index_(index) {}
    std::uint32_t stamp_ = 0;  ///< its generation's stamp when issued; 0 for none
    std::uint32_t index_ = 0;  ///< its series' index in that generation's repeated
  };

  /// What an event is, once counted.
  struct Occurrence {
    std::uint64_t count;  ///< occurrences of its series so far, itself included
    engine::Time first;   ///< when its series began
    Ticket ticket{};      ///< its series, once it keeps its text (ticketed, or repeated)
  };

  /// Generations of at most `generation_size` (K, at least 1) distinct events each.
  explicit EventSeries(std::size_t generation_size = kGenerationSize);

  /// Counts `event` (an event record, at its time) in its series; writes to `trace`, at the
  /// event's time, the series that the generations' turn forgets (see the header comment).
  /// `ticketed`: its maker counts its repeats by ticket, so a new series keeps its text at once
  /// and the occurrence carries a ticket from the first (its first repeat then needs no text
  /// either); a series that never repeats writes nothing more all the same.
  Occurrence add(const engine::TraceView& event, engine::Trace& trace, bool ticketed = false);

  /// Whether `ticket` names a series of the current generation (counted there without a move).
  [[nodiscard]] bool good(Ticket ticket) const noexcept {
    const Generation& g = generations_[current_];
    return ticket.stamp_ == g.stamp(current_) && ticket.index_ < g.repeated.size();
  }
  /// Counts `n` more occurrences of the event whose series `ticket` names, the last at `at`, as
  /// add would with each (writing to `trace` what a turn forgets); returns false and counts
  /// nothing if the ticket names no series it can find. A good ticket's series is counted where
  /// it is; one the generations have turned past since, still in the previous generation, is
  /// moved to the current one as add moves it, with the text it keeps, and `ticket` then names it
  /// there.
  bool count_repeat(Ticket& ticket, engine::Time at, engine::Trace& trace, std::uint64_t n = 1) {
    if (good(ticket)) {
      Repeated& r = generations_[current_].repeated[ticket.index_];
      r.count += n;
      r.last = at;
      return true;
    }
    return move_by_ticket(ticket, at, trace, n);
  }

  /// A maker holding occurrences it has not counted yet (a probe whose failing fires pass
  /// silently, probe.hpp): before the series writes or turns its counts it has every maker it
  /// holds count them (count_pending), and lets go of it.
  class Pending {
   public:
    Pending(const Pending&) = delete;
    Pending& operator=(const Pending&) = delete;
    /// Counts, by ticket, every occurrence that has happened, and counts later ones one by one.
    virtual void count_pending() = 0;

   protected:
    Pending() = default;
    ~Pending() = default;

   private:
    friend class EventSeries;
    static constexpr std::uint32_t kNotHeld = ~std::uint32_t{0};
    std::uint32_t held_at_ = kNotHeld;  ///< its index in pending_
  };
  /// Holds `p` until it is let go or counted in; holding it again changes nothing.
  void hold(Pending& p);
  /// Lets go of `p` (nothing if it is not held).
  void let_go(Pending& p) noexcept;

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
    /// 1 + its index in repeated (from its first repeat, or from its first occurrence if
    /// ticketed), 0 while it has happened once and keeps no text, or kMoved once it moved to the
    /// current generation.
    std::uint32_t repeated;
    /// When its series began among the series that began at `first` (wraps at 2^32: exact while
    /// fewer than 2^31 series begin at one instant).
    std::uint32_t order;
  };
  static constexpr std::uint32_t kMoved = ~std::uint32_t{0};
  /// A series that repeated, or a ticketed one (count 1 until it repeats, and not written).
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
    // A replication's few dozen events fit inline (the first table size's half): its generations
    // allocate nothing but their text.
    boost::container::small_vector<Seen, 32> seen;
    boost::container::small_vector<Repeated, 16> repeated;
    std::string text;  ///< every repeated series' object and message, back to back
    /// Open addressing, linear probing: a power of two, at most half full. A slot holds 1 + an
    /// index in seen in its low half (0 for an empty slot) and its event's tag in its high half.
    boost::container::small_vector<std::uint64_t, 64> slots;
    std::size_t moved = 0;  ///< events moved to the current generation
    /// Counts the generation's clearings, from 1, so that tickets issued before one are stale
    /// (wraps after 2^31 clearings, which the index bound keeps safe).
    std::uint32_t epoch = 1;

    /// What a ticket of this generation, at `index` in generations_, carries while it is current.
    [[nodiscard]] std::uint32_t stamp(std::size_t index) const noexcept {
      return (epoch << 1) | static_cast<std::uint32_t>(index);
    }

    static constexpr std::uint64_t kTagMask = ~std::uint64_t{0} << 32;
    /// The high half of an event's key: a lookup reads only the entries whose tag is its own.
    [[nodiscard]] static std::uint64_t tag_of(std::uint64_t key) noexcept { return key & kTagMask; }
    /// The slot of the event with `key` at `index` in seen.
    [[nodiscard]] static std::uint64_t slot_of(std::uint64_t key, std::uint32_t index) noexcept {
      return tag_of(key) | (std::uint64_t{index} + 1);
    }
    /// 1 + the index in seen of the event in slot `at`, or 0 for an empty slot.
    [[nodiscard]] std::uint32_t index_at(std::size_t at) const noexcept {
      return static_cast<std::uint32_t>(slots[at]);
    }
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

  /// Counts the occurrence of the event at `index` of `g` (the current generation) that had
  /// happened `count` times (0 for a ticketed event's first) and kept no series there yet: it
  /// keeps its text from now on.
  Occurrence repeat(Generation& g, std::uint32_t index, std::uint64_t count,
                    const engine::TraceView& event);
  /// Writes the repeated series of `gens` that have not moved, in the order they began, at `at`.
  void write(engine::Trace& trace, engine::Time at, const std::vector<const Generation*>& gens);
  /// Turns the generations: writes and drops the previous one, at `now`.
  void turn(engine::Trace& trace, engine::Time now);

  /// Has every maker held count its pending occurrences, and lets go of them all.
  void count_pending();
  /// count_repeat for a ticket of the previous generation whose series has not moved.
  bool move_by_ticket(Ticket& ticket, engine::Time at, engine::Trace& trace, std::uint64_t n);
  /// Marks the previous generation's `s` moved and returns its entry for the current generation
  /// (same key, first time and order; no series there yet).
  Seen take_from_previous(Seen& s);
  /// Enters the series `entry` (new, or moved from the previous generation) in the current
  /// generation, turning the generations first if it is full (at `at`); returns its index there.
  std::uint32_t enter(const Seen& entry, engine::Time at, engine::Trace& trace);

  /// A series write() writes, where it is.
  struct Written {
    const Generation* g;
    const Repeated* r;
    const Seen* s;
  };
  std::vector<Written> written_;   ///< write()'s list, kept for its capacity
  /// The makers held, each knowing its index (a few inline: a small run allocates nothing here).
  boost::container::small_vector<Pending*, 8> pending_;
  std::string moving_;             ///< the text of a series move_by_ticket moves
  std::size_t generation_size_;
  std::array<Generation, 2> generations_;
  std::size_t current_ = 0;  ///< the current generation's index; the other is the previous
  std::uint32_t next_order_ = 0;
  const engine::TraceVocabulary* vocabulary_ = nullptr;
};

}  // namespace wlsim::models

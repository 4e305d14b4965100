#include "wlsim/models/event_series.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "wlsim/engine/hash64.hpp"
#include "wlsim/models/trace_kinds.hpp"

namespace wlsim::models {

namespace {

/// The seeds of the two hashes: any two constants unlike each other.
constexpr std::uint64_t kKeySeed = engine::hash64::kSeed;
constexpr std::uint64_t kCheckSeed = 0x589965cc75374cc3ULL;

/// The two independent hashes of an event's object, type, reason and message: hash64::text's
/// products under two seeds, each text's 16-byte blocks multiplied side by side. An event's key
/// was most of the cost of counting it (a probe's failure message is 14 words); a key is only ever
/// compared with other keys of the same run, never written, so how it is computed is free: it
/// must only tell distinct events apart.
std::pair<std::uint64_t, std::uint64_t> keys_of(const engine::TraceView& e) noexcept {
  using engine::hash64::mum;
  using engine::hash64::text_pair;
  const std::uint64_t code = std::uint64_t{e.to} | (std::uint64_t{e.reason} << 16);
  const auto [object_key, object_check] = text_pair(e.object, kKeySeed, kCheckSeed);
  const auto [message_key, message_check] = text_pair(e.message, kKeySeed, kCheckSeed);
  return {mum(object_key ^ code, message_key ^ kCheckSeed),
          mum(object_check ^ code, message_check ^ kKeySeed)};
}

}  // namespace

std::size_t EventSeries::Generation::find(std::uint64_t key, std::uint64_t check) const noexcept {
  const std::size_t mask = slots.size() - 1;
  const std::uint64_t tag = tag_of(key);
  std::size_t at = key & mask;
  for (; slots[at] != 0; at = (at + 1) & mask) {
    // Most events looked up are new: their probes pass other events' slots by the tag alone,
    // without reading those events' entries (a cache miss each in a full table).
    if ((slots[at] & kTagMask) != tag) continue;
    const Seen& s = seen[index_at(at) - 1];
    if (s.key == key && s.check == check) break;
  }
  return at;
}

void EventSeries::Generation::grow() {
  decltype(slots) bigger(slots.empty() ? 64 : 2 * slots.size(), 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t i = 0; i < seen.size(); ++i) {
    std::size_t at = seen[i].key & mask;
    while (bigger[at] != 0) at = (at + 1) & mask;
    bigger[at] = slot_of(seen[i].key, i);
  }
  slots = std::move(bigger);
  // The table holds at most half its slots: room for that many events at once, rather than a
  // vector's doublings from one (a replication's trace has a few dozen distinct events).
  seen.reserve(slots.size() / 2);
}

void EventSeries::Generation::clear() {
  seen.clear();
  repeated.clear();
  text.clear();
  std::fill(slots.begin(), slots.end(), 0);
  moved = 0;
  epoch = epoch == (~std::uint32_t{0} >> 1) ? 1 : epoch + 1;
}

EventSeries::EventSeries(std::size_t generation_size) : generation_size_(generation_size) {
  if (generation_size_ == 0) throw std::invalid_argument("EventSeries: generation size 0");
  for (Generation& g : generations_) g.grow();
}

EventSeries::Occurrence EventSeries::add(const engine::TraceView& event, engine::Trace& trace,
                                         bool ticketed) {
  vocabulary_ = event.vocabulary;
  const auto [key, check] = keys_of(event);

  Generation* cur = &generations_[current_];
  if (const std::uint32_t slot = cur->index_at(cur->find(key, check)); slot != 0) {
    Seen& s = cur->seen[slot - 1];
    if (s.repeated == 0) return repeat(*cur, slot - 1, 1, event);
    Repeated& r = cur->repeated[s.repeated - 1];
    ++r.count;
    r.last = event.time;
    return {r.count, s.first, Ticket(cur->stamp(current_), s.repeated - 1)};
  }

  // Not in the current generation: a new series, or one that moves from the previous generation.
  Seen entry{key, check, event.time, 0, 0};
  std::uint64_t count = 0;
  Generation& prev = generations_[1 - current_];
  if (const std::uint32_t slot = prev.index_at(prev.find(key, check)); slot != 0) {
    Seen& s = prev.seen[slot - 1];
    count = s.repeated == 0 ? 1 : prev.repeated[s.repeated - 1].count;
    entry = take_from_previous(s);
  } else {
    entry.order = next_order_++;
  }
  const std::uint32_t index = enter(entry, event.time, trace);
  if (count == 0 && !ticketed) return {1, event.time};
  return repeat(generations_[current_], index, count, event);
}

EventSeries::Seen EventSeries::take_from_previous(Seen& s) {
  Seen entry = s;  // its key, its first time and its order
  entry.repeated = 0;
  s.repeated = kMoved;
  ++generations_[1 - current_].moved;
  return entry;
}

std::uint32_t EventSeries::enter(const Seen& entry, engine::Time at, engine::Trace& trace) {
  Generation* cur = &generations_[current_];
  if (cur->seen.size() == generation_size_) {
    count_pending();  // by their tickets, which the turn makes stale
    turn(trace, at);
    cur = &generations_[current_];
  }
  if (2 * (cur->seen.size() + 1) > cur->slots.size()) cur->grow();
  const auto index = static_cast<std::uint32_t>(cur->seen.size());
  cur->slots[cur->find(entry.key, entry.check)] = Generation::slot_of(entry.key, index);
  cur->seen.push_back(entry);
  return index;
}

bool EventSeries::move_by_ticket(Ticket& ticket, engine::Time at, engine::Trace& trace,
                                 std::uint64_t n) {
  const std::size_t p = 1 - current_;
  Generation& prev = generations_[p];
  if (ticket.stamp_ != prev.stamp(p) || ticket.index_ >= prev.repeated.size()) return false;
  const Repeated r = prev.repeated[ticket.index_];
  Seen& s = prev.seen[r.seen];
  if (s.repeated == kMoved) return false;  // another maker moved it: found by its text only
  // What add does when it finds the event in the previous generation (the turn that entering it
  // may make clears that generation, so its text is taken first).
  moving_.assign(prev.text_of(r.object_at, r.object_size));
  const std::size_t object_size = moving_.size();
  moving_.append(prev.text_of(r.message_at, r.message_size));
  const std::uint32_t index = enter(take_from_previous(s), at, trace);
  const std::string_view text = moving_;
  const engine::TraceView event{at,
                                text.substr(0, object_size),
                                static_cast<engine::TraceCode>(TraceKind::Event),
                                TraceState{}.code(),
                                r.type,
                                r.reason,
                                text.substr(object_size),
                                {},
                                vocabulary_};
  Generation& cur = generations_[current_];
  ticket = repeat(cur, index, r.count, event).ticket;
  cur.repeated.back().count += n - 1;
  return true;
}

EventSeries::Occurrence EventSeries::repeat(Generation& g, std::uint32_t index, std::uint64_t count,
                                            const engine::TraceView& event) {
  const auto append = [&g](std::string_view t) {
    const auto offset = static_cast<std::uint32_t>(g.text.size());
    g.text.append(t);
    return offset;
  };
  // Room for a few series' text at once rather than a string's doublings from one (as many
  // series fit inline).
  if (g.repeated.empty()) g.text.reserve(1024);
  const std::uint32_t object_at = append(event.object);
  const std::uint32_t message_at = append(event.message);
  g.repeated.push_back({index, object_at, static_cast<std::uint32_t>(event.object.size()),
                        message_at, static_cast<std::uint32_t>(event.message.size()), event.to,
                        event.reason, count + 1, event.time});
  g.seen[index].repeated = static_cast<std::uint32_t>(g.repeated.size());
  // Repeats land in the current generation (add moves a series there first).
  return {count + 1, g.seen[index].first,
          Ticket(g.stamp(current_), static_cast<std::uint32_t>(g.repeated.size() - 1))};
}

void EventSeries::write(engine::Trace& trace, engine::Time at,
                        const std::vector<const Generation*>& gens) {
  // Kept from call to call: a turn at the production K sorts up to 65,536 series, and a vector
  // made afresh for them was an allocation of megabytes, and its first touch, every turn.
  std::vector<Written>& series = written_;
  series.clear();
  std::size_t repeated = 0;
  for (const Generation* g : gens) repeated += g->repeated.size();
  series.reserve(repeated);
  for (const Generation* g : gens) {
    for (const Repeated& r : g->repeated) {
      const Seen& s = g->seen[r.seen];
      // A ticketed series that happened once keeps its text, but is not a repeat.
      if (s.repeated != kMoved && r.count > 1) series.push_back({g, &r, &s});
    }
  }
  // In the order they began: by first time, then by the order of beginning (wrap-safe).
  std::sort(series.begin(), series.end(), [](const Written& a, const Written& b) {
    if (a.s->first != b.s->first) return a.s->first < b.s->first;
    return static_cast<std::int32_t>(a.s->order - b.s->order) < 0;
  });
  for (const Written& w : series) {
    trace.record(engine::TraceView{at,
                                   w.g->text_of(w.r->object_at, w.r->object_size),
                                   static_cast<engine::TraceCode>(TraceKind::Event),
                                   TraceState{}.code(),
                                   w.r->type,
                                   w.r->reason,
                                   w.g->text_of(w.r->message_at, w.r->message_size),
                                   {},
                                   vocabulary_,
                                   w.r->count,
                                   w.s->first,
                                   w.r->last});
  }
}

void EventSeries::turn(engine::Trace& trace, engine::Time now) {
  Generation& prev = generations_[1 - current_];
  write(trace, now, {&prev});
  prev.clear();
  current_ = 1 - current_;
}

void EventSeries::hold(Pending& p) {
  if (p.held_at_ != Pending::kNotHeld) return;
  p.held_at_ = static_cast<std::uint32_t>(pending_.size());
  pending_.push_back(&p);
}

void EventSeries::let_go(Pending& p) noexcept {
  if (p.held_at_ == Pending::kNotHeld) return;
  Pending* last = pending_.back();
  pending_[p.held_at_] = last;
  last->held_at_ = p.held_at_;
  pending_.pop_back();
  p.held_at_ = Pending::kNotHeld;
}

void EventSeries::count_pending() {
  // Each counts into its own series, so the order is free; let go first, so that a maker that
  // lets go of itself finds nothing to do.
  decltype(pending_) held;
  held.swap(pending_);
  for (Pending* p : held) p->held_at_ = Pending::kNotHeld;
  for (Pending* p : held) p->count_pending();
  held.clear();
  if (pending_.empty()) pending_.swap(held);  // keeps the capacity
}

void EventSeries::flush(engine::Trace& trace, engine::Time end) {
  count_pending();
  write(trace, end, {&generations_[0], &generations_[1]});
  for (Generation& g : generations_) g.clear();
  next_order_ = 0;
}

}  // namespace wlsim::models

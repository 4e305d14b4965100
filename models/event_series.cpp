#include "wlsim/models/event_series.hpp"

#include <algorithm>

#include "wlsim/engine/hash64.hpp"
#include "wlsim/models/trace_kinds.hpp"

namespace wlsim::models {

namespace {

/// The hash of an event's object, type, reason and message, from `seed`.
std::uint64_t key_of(const engine::TraceView& e, std::uint64_t seed) noexcept {
  using engine::hash64::fold;
  return fold(fold(fold(fold(seed, e.object), std::uint64_t{e.to}), std::uint64_t{e.reason}),
              e.message);
}

/// The second hash's seed: any constant other than the first's (0).
constexpr std::uint64_t kCheckSeed = 0x9E3779B97F4A7C15ULL;

}  // namespace

void EventSeries::grow() {
  std::vector<std::uint32_t> slots(slots_.empty() ? 64 : 2 * slots_.size(), 0);
  const std::size_t mask = slots.size() - 1;
  for (std::uint32_t i = 0; i < seen_.size(); ++i) {
    std::size_t at = seen_[i].key & mask;
    while (slots[at] != 0) at = (at + 1) & mask;
    slots[at] = i + 1;
  }
  slots_ = std::move(slots);
}

EventSeries::Occurrence EventSeries::add(const engine::TraceView& event) {
  if (2 * (seen_.size() + 1) > slots_.size()) grow();
  vocabulary_ = event.vocabulary;
  const std::uint64_t key = key_of(event, 0);
  const std::uint64_t check = key_of(event, kCheckSeed);
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = key & mask;
  for (; slots_[at] != 0; at = (at + 1) & mask) {
    const std::uint32_t index = slots_[at] - 1;
    Seen& s = seen_[index];
    if (s.key != key || s.check != check) continue;
    if (s.repeated == 0) {
      const auto append = [this](std::string_view t) {
        const auto offset = static_cast<std::uint32_t>(text_.size());
        text_.append(t);
        return offset;
      };
      const std::uint32_t object_at = append(event.object);
      const std::uint32_t message_at = append(event.message);
      repeated_.push_back({index, object_at, static_cast<std::uint32_t>(event.object.size()),
                           message_at, static_cast<std::uint32_t>(event.message.size()), event.to,
                           event.reason, 1, event.time});
      s.repeated = static_cast<std::uint32_t>(repeated_.size());
    }
    Repeated& r = repeated_[s.repeated - 1];
    ++r.count;
    r.last = event.time;
    return {r.count, s.first};
  }
  seen_.push_back({key, check, event.time, 0});
  slots_[at] = static_cast<std::uint32_t>(seen_.size());
  return {1, event.time};
}

void EventSeries::flush(engine::Trace& trace, engine::Time end) {
  std::sort(repeated_.begin(), repeated_.end(),
            [](const Repeated& a, const Repeated& b) { return a.seen < b.seen; });
  for (const Repeated& r : repeated_) {
    trace.record(engine::TraceView{end,
                                   text(r.object_at, r.object_size),
                                   static_cast<engine::TraceCode>(TraceKind::Event),
                                   TraceState{}.code(),
                                   r.type,
                                   r.reason,
                                   text(r.message_at, r.message_size),
                                   {},
                                   vocabulary_,
                                   r.count,
                                   seen_[r.seen].first,
                                   r.last});
  }
  seen_.clear();
  repeated_.clear();
  text_.clear();
  slots_.clear();
}

}  // namespace wlsim::models

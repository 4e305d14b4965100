#pragma once
// The last trace records about one object, kept on the object itself: a pod's last events
// (statusDetails "messages", on its replica) and a workload's last lifecycle records (GET
// /workloads/{id}/events: state changes of the workload, its protons' statuses and roles and its
// replacements, on the workload). The object that records adds the record it made, so keeping
// them costs nothing per record of other objects and needs no lookup.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wlsim/engine/trace.hpp"

namespace wlsim::models {

/// At most `Keep` records, the oldest dropped first: a ring that grows to `Keep` only as records
/// come (an object that records nothing holds no memory). A ring made with keep = false keeps
/// nothing: a run that nobody can ask for these records (Context::keep_recent) saves their memory
/// and copies.
template <std::size_t Keep>
class RecentRecords {
  static_assert(Keep > 0);

 public:
  static constexpr std::size_t kKeep = Keep;

  explicit RecentRecords(bool keep = true) noexcept : keep_(keep) {}

  /// Keeps a copy of `r`. A full ring overwrites its oldest record in place, reusing its text's
  /// storage. A repeated event is kept as every other record, with its series' count and first
  /// time so far (Context::event): the object shows each occurrence, as it did before events were
  /// aggregated in the trace.
  void add(const engine::TraceView& r) {
    if (!keep_) return;
    if (ring_.size() < Keep) {
      if (ring_.size() == ring_.capacity()) ring_.reserve(std::min(Keep, 2 * ring_.size() + 1));
      ring_.emplace_back(r);
      return;
    }
    ring_[oldest_].assign(r);
    oldest_ = static_cast<std::uint32_t>((oldest_ + 1) % Keep);
  }
  void add(const engine::TraceRecord& r) { add(r.view()); }

  [[nodiscard]] std::size_t size() const noexcept { return ring_.size(); }
  [[nodiscard]] bool empty() const noexcept { return ring_.empty(); }

  /// The i-th record kept, oldest first.
  [[nodiscard]] const engine::KeptRecord& operator[](std::size_t i) const noexcept {
    return ring_[(oldest_ + i) % ring_.size()];
  }

  /// Calls `f` on every record kept, oldest first.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < ring_.size(); ++i) f((*this)[i]);
  }

 private:
  std::vector<engine::KeptRecord> ring_;
  std::uint32_t oldest_ = 0;  ///< the index of the oldest record once the ring is full
  bool keep_;
};

/// A pod's last events (its own and its containers').
using PodEvents = RecentRecords<5>;
/// A workload's last lifecycle records.
using WorkloadRecords = RecentRecords<100>;

}  // namespace wlsim::models

#pragma once
// The image registry: bytes flow at a bandwidth shared equally by every transfer under way
// (processor sharing), so concurrent pulls from several nodes slow each other down (SEMANTICS.md
// §3). The per-pull latency is paid by the node before the transfer begins.

#include <cstdint>
#include <set>
#include <unordered_map>
#include <vector>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/cluster_spec.hpp"
#include "wlsim/models/context.hpp"

namespace wlsim::models {

/// Told when its transfer has finished or failed.
class TransferClient {
 public:
  virtual void on_transfer_done(std::uint64_t transfer) = 0;
  /// The registry went down while the transfer was under way.
  virtual void on_transfer_failed(std::uint64_t transfer) = 0;

 protected:
  ~TransferClient() = default;
};

class Registry final : public engine::EventHandler {
 public:
  Registry(const Context& ctx, RegistrySpec spec);
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  ~Registry();

  [[nodiscard]] const RegistrySpec& spec() const noexcept { return spec_; }
  /// Starts moving `bytes` (> 0) to `client`; returns the transfer's id. Needs a finite bandwidth.
  std::uint64_t begin(std::int64_t bytes, TransferClient& client);
  /// Drops a transfer (its pod went away); the others speed up.
  void abort(std::uint64_t transfer);
  /// Transfers under way.
  [[nodiscard]] std::size_t active() const noexcept { return transfers_.size(); }

  /// Whether the registry answers; false during an outage (a fault of the scenario).
  [[nodiscard]] bool available() const noexcept { return outages_ == 0; }
  /// An outage begins: every transfer under way fails now, and new pulls fail until it ends.
  void begin_outage();
  void end_outage() noexcept { --outages_; }

 private:
  // Processor sharing in virtual time: the virtual clock counts the bytes each transfer under way
  // has received (it advances at bandwidth / n), and a transfer is done when the clock reaches its
  // start value + its size. Starting, ending or dropping one transfer then touches only that one:
  // O(log n).
  struct Transfer {
    double end;  // virtual bytes at which it is complete
    std::uint64_t id;
    TransferClient* client;
  };
  struct EarliestEnd {
    bool operator()(const Transfer& a, const Transfer& b) const noexcept {
      return a.end != b.end ? a.end < b.end : a.id < b.id;
    }
  };
  void on_event(std::uint64_t token) override;
  void advance();     // brings the virtual clock up to now
  void reschedule();  // the timer for the next completion
  void rebase();  // keeps the virtual clock small, so its doubles stay as precise as byte counts

  const Context& ctx_;
  RegistrySpec spec_;
  std::set<Transfer, EarliestEnd> transfers_;
  std::unordered_map<std::uint64_t, double> end_of_;  // by id, to find a transfer to drop
  std::vector<Transfer> done_;                        // on_event's list, kept for its room
  double virtual_bytes_ = 0;
  engine::Time last_update_;
  engine::TimerId timer_;
  std::uint64_t next_id_ = 1;
  int outages_ = 0;  // overlapping outages nest
};

}  // namespace wlsim::models

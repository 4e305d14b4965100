#pragma once
// The image registry: bytes flow at a bandwidth shared equally by every transfer under way
// (processor sharing), so concurrent pulls from several nodes slow each other down (SEMANTICS.md §3).
// The per-pull latency is paid by the node before the transfer begins.

#include <cstdint>
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
  struct Transfer {
    std::uint64_t id;
    double remaining;  // bytes
    TransferClient* client;
  };
  void on_event(std::uint64_t token) override;
  void advance();     // brings every transfer's remaining bytes up to now
  void reschedule();  // the timer for the next completion

  const Context& ctx_;
  RegistrySpec spec_;
  std::vector<Transfer> transfers_;  // in start order, so simultaneous completions are ordered
  engine::Time last_update_;
  engine::TimerId timer_;
  std::uint64_t next_id_ = 1;
  int outages_ = 0;  // overlapping outages nest
};

}  // namespace wlsim::models

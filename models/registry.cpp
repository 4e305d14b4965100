#include "wlsim/models/registry.hpp"

#include <algorithm>
#include <cmath>

namespace wlsim::models {

namespace {
// Completion times are rounded up to the microsecond; a transfer within this many bytes of done is done.
constexpr double kDoneBytes = 1e-3;
}  // namespace

Registry::Registry(const Context& ctx, RegistrySpec spec) : ctx_(ctx), spec_(spec) {}

Registry::~Registry() { ctx_.sim.cancel(timer_); }

std::uint64_t Registry::begin(std::int64_t bytes, TransferClient& client) {
  advance();
  const std::uint64_t id = next_id_++;
  transfers_.push_back({id, static_cast<double>(bytes), &client});
  reschedule();
  return id;
}

void Registry::abort(std::uint64_t transfer) {
  advance();
  std::erase_if(transfers_, [&](const Transfer& t) { return t.id == transfer; });
  reschedule();
}

void Registry::begin_outage() {
  ++outages_;
  advance();
  std::vector<Transfer> failed = std::move(transfers_);
  transfers_.clear();
  reschedule();
  for (const Transfer& t : failed) t.client->on_transfer_failed(t.id);
}

void Registry::advance() {
  const engine::Time now = ctx_.now();
  if (!transfers_.empty() && now > last_update_) {
    const double share = static_cast<double>(spec_.bandwidth_bytes_per_s) /
                         static_cast<double>(transfers_.size());
    const double moved = share * static_cast<double>((now - last_update_).us()) / 1e6;
    for (Transfer& t : transfers_) t.remaining -= moved;
  }
  last_update_ = now;
}

void Registry::reschedule() {
  ctx_.sim.cancel_and_reset(timer_);
  if (transfers_.empty()) return;
  double least = transfers_.front().remaining;
  for (const Transfer& t : transfers_) least = std::min(least, t.remaining);
  const double us = std::max(0.0, least) * static_cast<double>(transfers_.size()) * 1e6 /
                    static_cast<double>(spec_.bandwidth_bytes_per_s);
  timer_ = ctx_.sim.schedule_in(engine::Time::from_us(static_cast<std::int64_t>(std::ceil(us - 1e-6))),
                                *this, 0);
}

void Registry::on_event(std::uint64_t) {
  timer_ = {};
  advance();
  std::vector<Transfer> done;
  std::erase_if(transfers_, [&](const Transfer& t) {
    if (t.remaining > kDoneBytes) return false;
    done.push_back(t);
    return true;
  });
  reschedule();
  for (const Transfer& t : done) t.client->on_transfer_done(t.id);
}

}  // namespace wlsim::models

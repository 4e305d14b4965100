#include "wlsim/models/registry.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace wlsim::models {

namespace {
// Completion times are rounded up to the microsecond; a transfer within this many bytes of done is
// done.
constexpr double kDoneBytes = 1e-3;
// Past this many virtual bytes the clock is moved back to zero (and every end with it): doubles
// near 2^32 still resolve a millionth of a byte, far below kDoneBytes.
constexpr double kRebaseBytes = 4294967296.0;
}  // namespace

Registry::Registry(const Context& ctx, RegistrySpec spec) : ctx_(ctx), spec_(spec) {}

Registry::~Registry() { ctx_.sim.cancel(timer_); }

std::uint64_t Registry::begin(std::int64_t bytes, TransferClient& client) {
  advance();
  const std::uint64_t id = next_id_++;
  const double end = virtual_bytes_ + static_cast<double>(bytes);
  transfers_.insert({end, id, &client});
  end_of_.emplace(id, end);
  reschedule();
  return id;
}

void Registry::abort(std::uint64_t transfer) {
  advance();
  if (const auto it = end_of_.find(transfer); it != end_of_.end()) {
    transfers_.erase(Transfer{it->second, transfer, nullptr});
    end_of_.erase(it);
  }
  reschedule();
}

void Registry::begin_outage() {
  ++outages_;
  advance();
  std::vector<Transfer> failed(transfers_.begin(), transfers_.end());
  transfers_.clear();
  end_of_.clear();
  reschedule();
  std::sort(failed.begin(), failed.end(),
            [](const Transfer& a, const Transfer& b) { return a.id < b.id; });
  for (const Transfer& t : failed) t.client->on_transfer_failed(t.id);
}

void Registry::advance() {
  const engine::Time now = ctx_.now();
  if (transfers_.empty()) {
    virtual_bytes_ = 0;  // nothing refers to the clock: start it afresh
  } else if (now > last_update_) {
    const double share =
        static_cast<double>(spec_.bandwidth_bytes_per_s) / static_cast<double>(transfers_.size());
    virtual_bytes_ += share * static_cast<double>((now - last_update_).us()) / 1e6;
    if (virtual_bytes_ > kRebaseBytes) rebase();
  }
  last_update_ = now;
}

void Registry::rebase() {
  std::set<Transfer, EarliestEnd> moved;
  for (const Transfer& t : transfers_) {
    const double end = t.end - virtual_bytes_;
    moved.insert({end, t.id, t.client});
    end_of_[t.id] = end;
  }
  transfers_ = std::move(moved);
  virtual_bytes_ = 0;
}

void Registry::reschedule() {
  ctx_.sim.cancel_and_reset(timer_);
  if (transfers_.empty()) return;
  const double least = transfers_.begin()->end - virtual_bytes_;
  const double us = std::max(0.0, least) * static_cast<double>(transfers_.size()) * 1e6 /
                    static_cast<double>(spec_.bandwidth_bytes_per_s);
  const engine::Time delay = engine::Time::from_us_f(std::ceil(us - 1e-6));
  // A transfer that needs longer than 2^63 us (an exabyte at a byte a second) never ends in a run.
  if (delay.is_never()) return;
  timer_ = ctx_.sim.schedule_in(delay, *this, 0);
}

void Registry::on_event(std::uint64_t) {
  timer_ = {};
  advance();
  // The list's room is kept from one completion to the next (a completion is an event per pull);
  // taken out of the member while the clients are told, who may start transfers.
  std::vector<Transfer> done = std::move(done_);
  done.clear();
  while (!transfers_.empty() && transfers_.begin()->end - virtual_bytes_ <= kDoneBytes) {
    done.push_back(*transfers_.begin());
    end_of_.erase(transfers_.begin()->id);
    transfers_.erase(transfers_.begin());
  }
  reschedule();
  // Simultaneous completions are told in start order.
  std::sort(done.begin(), done.end(),
            [](const Transfer& a, const Transfer& b) { return a.id < b.id; });
  for (const Transfer& t : done) t.client->on_transfer_done(t.id);
  done_ = std::move(done);
}

}  // namespace wlsim::models

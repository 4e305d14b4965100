// SEMANTICS.md §3: the registry's bandwidth is shared equally by the transfers under way.
#include "wlsim/models/registry.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
struct Log final : TransferClient {
  explicit Log(Simulator& s) : sim(s) {}
  Simulator& sim;
  std::vector<std::string> done;
  void on_transfer_done(std::uint64_t t) override {
    done.push_back(std::to_string(t) + "@" + std::to_string(sim.now().us()));
  }
  void on_transfer_failed(std::uint64_t t) override {
    done.push_back(std::to_string(t) + " failed@" + std::to_string(sim.now().us()));
  }
};

/// Calls `f` at `t`.
struct At final : wlsim::engine::EventHandler {
  std::vector<std::function<void()>> calls;
  void on_event(std::uint64_t token) override { calls[token](); }
};

struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  Registry registry;
  Log log{sim};
  At at;
  explicit Rig(std::int64_t bandwidth) : registry(ctx, RegistrySpec{Time::zero(), bandwidth}) {}
  void begin_at(Time t, std::int64_t bytes) {
    call_at(t, [this, bytes] { registry.begin(bytes, log); });
  }
  void call_at(Time t, std::function<void()> f) {
    at.calls.push_back(std::move(f));
    sim.schedule_at(t, at, at.calls.size() - 1);
  }
};
}  // namespace

TEST_CASE("concurrent transfers share the bandwidth equally and end at the exact microsecond",
          "[registry]") {
  Rig r(1000000);  // 1 MB/s
  // 0-1 s: #1 alone (1 MB moved); 1-1.5 s: #1 and #2 (0.5 MB/s each); from 1.5 s three at 1/3 MB/s:
  // #2 has 0.75 MB left, done at 3.75 s; then #1 (1 MB left) and #3 (1.25 MB) at 0.5 MB/s: #1 at
  // 5.75 s; #3 alone for its last 0.25 MB: 6 s.
  r.begin_at(Time::zero(), 3000000);
  r.begin_at(Time::from_ms(1000), 1000000);
  r.begin_at(Time::from_ms(1500), 2000000);
  r.sim.run();
  CHECK(r.log.done == std::vector<std::string>{"2@3750000", "1@5750000", "3@6000000"});
  CHECK(r.registry.active() == 0);
}

TEST_CASE("a completion between microseconds is rounded up to the next one", "[registry]") {
  Rig r(3);  // 3 B/s: one byte takes 333333.3 us alone, two bytes shared by two take 1333333.3 us
  r.begin_at(Time::zero(), 1);
  r.begin_at(Time::from_us(1000000), 2);
  r.begin_at(Time::from_us(1000000), 2);
  r.sim.run();
  CHECK(r.log.done == std::vector<std::string>{"1@333334", "2@2333334", "3@2333334"});
}

TEST_CASE("transfers that end together are told in the order they started", "[registry]") {
  Rig r(100000000);
  // #1 has 250 MB left at 0.5 s; then three at 33.3 MB/s: #2 and #3 (150 MB) end together 4.5 s
  // later; #1's last 100 MB alone take 1 s.
  r.begin_at(Time::zero(), 300000000);
  r.begin_at(Time::from_ms(500), 150000000);
  r.begin_at(Time::from_ms(500), 150000000);
  r.sim.run();
  CHECK(r.log.done == std::vector<std::string>{"2@5000000", "3@5000000", "1@6000000"});
}

TEST_CASE("an aborted transfer gives its share back to the others", "[registry]") {
  Rig r(1000000);
  std::uint64_t dropped = 0;
  r.call_at(Time::zero(), [&] { r.registry.begin(2000000, r.log); });
  r.call_at(Time::zero(), [&] { dropped = r.registry.begin(2000000, r.log); });
  // 0-2 s: 1 MB each; then #1 alone for its last 1 MB: done at 3 s.
  r.call_at(Time::from_ms(2000), [&] { r.registry.abort(dropped); });
  r.sim.run();
  CHECK(r.log.done == std::vector<std::string>{"1@3000000"});
}

TEST_CASE("an outage fails every transfer under way, in start order", "[registry]") {
  Rig r(1000000);
  r.begin_at(Time::zero(), 5000000);
  r.begin_at(Time::from_ms(100), 5000000);
  r.call_at(Time::from_ms(1000), [&] { r.registry.begin_outage(); });
  r.call_at(Time::from_ms(2000), [&] {
    r.registry.end_outage();
    r.registry.begin(1000000, r.log);  // alone: 1 s
  });
  r.sim.run();
  CHECK(r.log.done ==
        std::vector<std::string>{"1 failed@1000000", "2 failed@1000000", "3@3000000"});
}

TEST_CASE("long transfers keep their exact end after many gigabytes of progress", "[registry]") {
  Rig r(1000000000);  // 1 GB/s
  // #1: 10 GB alone until 5 s (5 GB left); #2: 1 GB from 5 s at 0.5 GB/s each, done at 7 s; #1 then
  // has 4 GB left alone: 11 s. #3 starts at 12 s, on an idle registry: 3 GB, 15 s.
  r.begin_at(Time::zero(), 10000000000);
  r.begin_at(Time::from_ms(5000), 1000000000);
  r.begin_at(Time::from_ms(12000), 3000000000);
  r.sim.run();
  CHECK(r.log.done == std::vector<std::string>{"2@7000000", "1@11000000", "3@15000000"});
}

TEST_CASE("a transfer longer than the 64-bit range of microseconds never ends, and others still do",
          "[registry][bounds]") {
  Rig r(1);                                               // one byte a second
  r.begin_at(Time::zero(), 1'000'000'000'000'000'000LL);  // an exabyte: ~3e10 years
  r.begin_at(Time::zero(), 2);
  r.sim.run_until(Time::from_seconds(100));
  // The small one shares the byte a second with the huge one: 2 bytes at 0.5 B/s end at 4 s.
  CHECK(r.log.done == std::vector<std::string>{"2@4000000"});
  CHECK(r.registry.active() == 1);
}

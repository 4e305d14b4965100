// SEMANTICS.md §3 and §9: with serializeImagePulls off, a node pulls up to maxParallelImagePulls
// images at once, in queue order, each paying its own registry latency while the bytes share the
// registry's bandwidth; a request for an image already being transferred waits for those bytes.
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wlsim/models/node.hpp"

using wlsim::engine::Simulator;
using wlsim::engine::Time;
using wlsim::engine::Trace;
using namespace wlsim::models;

namespace {
struct Requester final : ImageRequester {
  Requester(std::string n, Simulator& s, std::vector<std::string>& l)
      : name(std::move(n)), sim(s), log(l) {}
  std::string name;
  Simulator& sim;
  std::vector<std::string>& log;
  std::string failure;
  void on_pull_started() override {
    log.push_back(name + " starts@" + std::to_string(sim.now().us()));
  }
  std::function<void()> then;  // run after it is told its image is ready
  void on_image_ready(bool pulled) override {
    log.push_back(name + (pulled ? " pulled@" : " cached@") + std::to_string(sim.now().us()));
    if (then) then();
  }
  void on_image_failed(const std::string& message) override {
    failure = message;
    log.push_back(name + " failed@" + std::to_string(sim.now().us()));
  }
};

struct At final : wlsim::engine::EventHandler {
  std::vector<std::function<void()>> calls;
  void on_event(std::uint64_t token) override { calls[token](); }
};

constexpr std::int64_t kMB = 1000000;

KubeletParams pulls_at_once(int n) {
  KubeletParams k;
  k.serialize_image_pulls = n == 0;
  k.max_parallel_image_pulls = n == 0 ? 1 : n;
  return k;
}

// 1 s latency, 100 MB/s: a 100 MB image takes 2 s on an idle registry. `parallel` = 0: serialized.
struct Rig {
  explicit Rig(int parallel) : ctx{sim, trace, 1, nullptr, pulls_at_once(parallel)} {}
  Simulator sim;
  Trace trace;
  Context ctx;
  Registry registry{ctx, RegistrySpec{Time::from_seconds(1), 100 * kMB}};
  Node node{ctx, "n-0", Resources{4000, 4000000000, 0}, Time::zero(), registry};
  std::vector<std::string> log;
  Requester a{"a", sim, log}, b{"b", sim, log}, c{"c", sim, log};
  At at;
  void call_at(Time t, std::function<void()> f) {
    at.calls.push_back(std::move(f));
    sim.schedule_at(t, at, at.calls.size() - 1);
  }
  void request(Requester& who, const std::string& uri) {
    node.request_image(who, uri, 100 * kMB, PullPolicy::IfNotPresent);
  }
};
}  // namespace

TEST_CASE("serialized pulls: the second 100 MB image is ready at 4 s", "[node][pulls]") {
  Rig r(0);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/b:1");
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "a pulled@2000000", "b starts@2000000",
                                          "b pulled@4000000"});
}

TEST_CASE("two parallel pulls each pay the latency and share the bandwidth: both ready at 3 s",
          "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/b:1");
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a pulled@3000000",
                                          "b pulled@3000000"});
  CHECK(r.node.pulls() == 2);
}

TEST_CASE("a request waits for a free pull slot, in queue order", "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/b:1");
  r.request(r.c, "reg/c:1");
  r.sim.run();
  // c takes a's slot the moment a is done (3 s): 1 s latency, then 100 MB alone at 100 MB/s.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a pulled@3000000",
                                          "c starts@3000000", "b pulled@3000000",
                                          "c pulled@5000000"});
}

TEST_CASE(
    "with parallel pulls, a waiting request whose image was pulled meanwhile is answered "
    "from the cache",
    "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/b:1");
  r.request(r.c, "reg/a:1");
  r.sim.run();
  // c's turn comes with a's slot, and a has just put reg/a:1 in the cache.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a pulled@3000000",
                                          "c cached@3000000", "b pulled@3000000"});
  CHECK(r.node.pulls() == 2);
}

TEST_CASE("two running requests for one image move its bytes once", "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/a:1");
  r.call_at(Time::from_ms(1500), [&] { CHECK(r.registry.active() == 1); });
  r.sim.run();
  // One transfer at the full 100 MB/s: 1 s latency + 1 s, for both.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a pulled@2000000",
                                          "b pulled@2000000"});
  CHECK(r.node.pulls() == 2);
}

TEST_CASE("dropping the request whose transfer another waits for hands the transfer over",
          "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/a:1");
  r.request(r.c, "reg/c:1");
  r.call_at(Time::from_ms(1500), [&] { r.node.cancel_requests(r.a); });  // half-way through
  r.sim.run();
  // b fetches the 100 MB itself from 1.5 s, alone until c's transfer begins at 2.5 s: b has all
  // its bytes by then. c: 1 s latency from 1.5 s, then 100 MB alone.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "c starts@1500000",
                                          "b pulled@2500000", "c pulled@3500000"});
  CHECK(r.registry.active() == 0);
}

TEST_CASE("a registry outage fails a running transfer and the request waiting for its bytes",
          "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/a:1");
  r.call_at(Time::from_ms(1500), [&] { r.registry.begin_outage(); });
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a failed@1500000",
                                          "b failed@1500000"});
  CHECK(r.a.failure ==
        "rpc error: code = Unavailable desc = failed to pull and unpack image \"reg/a:1\": failed "
        "to copy: read tcp: connection reset by peer");
  CHECK(r.b.failure ==
        "rpc error: code = Unavailable desc = failed to resolve reference \"reg/a:1\": dial tcp: "
        "connect: connection refused");
  CHECK(r.node.pulls() == 0);
}

TEST_CASE("a failed parallel pull frees its slot for the next request", "[node][pulls]") {
  Rig r(2);
  r.node.request_image(r.a, "reg/missing:1", 100 * kMB, PullPolicy::IfNotPresent,
                       ImageError::NotFound);
  r.request(r.b, "reg/b:1");
  r.request(r.c, "reg/c:1");
  r.sim.run();
  // a fails once its latency is paid (1 s) and c takes its slot; b's bytes flow alone from 1 to
  // 2 s, c's from 2 to 3 s.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a failed@1000000",
                                          "c starts@1000000", "b pulled@2000000",
                                          "c pulled@3000000"});
}

TEST_CASE("a node with more slots than requests pulls them all at once", "[node][pulls]") {
  Rig r(4);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/b:1");
  r.request(r.c, "reg/c:1");
  r.sim.run();
  // 300 MB at 100 MB/s after the 1 s latency.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "c starts@0",
                                          "a pulled@4000000", "b pulled@4000000",
                                          "c pulled@4000000"});
}

TEST_CASE("a request dropped by the callback of the one whose bytes it waited for is not told",
          "[node][pulls]") {
  Rig r(2);
  r.request(r.a, "reg/a:1");
  r.request(r.b, "reg/a:1");
  r.request(r.c, "reg/c:1");
  r.a.then = [&] { r.node.cancel_requests(r.b); };  // b's pod goes away when a's image is in
  r.sim.run();
  // c takes a's slot at 2 s, then b's; it pays its latency and pulls alone.
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@0", "a pulled@2000000",
                                          "c starts@2000000", "c pulled@4000000"});
  CHECK(r.node.pulls() == 2);
}

// SEMANTICS.md §3: a node pulls one image at a time, in request order; a pod that goes away leaves
// the queue.
#include "wlsim/models/node.hpp"

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
struct Requester final : ImageRequester {
  Requester(std::string n, Simulator& s, std::vector<std::string>& l)
      : name(std::move(n)), sim(s), log(l) {}
  std::string name;
  Simulator& sim;
  std::vector<std::string>& log;
  void on_pull_started() override {
    log.push_back(name + " starts@" + std::to_string(sim.now().us()));
  }
  void on_image_ready(bool pulled) override {
    log.push_back(name + (pulled ? " pulled@" : " cached@") + std::to_string(sim.now().us()));
  }
  void on_image_failed(const std::string&) override { log.push_back(name + " failed"); }
};

struct At final : wlsim::engine::EventHandler {
  std::vector<std::function<void()>> calls;
  void on_event(std::uint64_t token) override { calls[token](); }
};

// 1 s latency, 1 MB/s: a 1 MB image takes 2 s on an idle registry.
struct Rig {
  Simulator sim;
  Trace trace;
  Context ctx{sim, trace, 1};
  Registry registry{ctx, RegistrySpec{Time::from_ms(1000), 1000000}};
  Node node{ctx, "n-0", Resources{4000, 4000000000, 0}, Time::zero(), registry};
  std::vector<std::string> log;
  Requester a{"a", sim, log}, b{"b", sim, log}, c{"c", sim, log};
  At at;
  void call_at(Time t, std::function<void()> f) {
    at.calls.push_back(std::move(f));
    sim.schedule_at(t, at, at.calls.size() - 1);
  }
  void request_all() {
    node.request_image(a, "reg/a:1", 1000000, PullPolicy::IfNotPresent);
    node.request_image(b, "reg/b:1", 1000000, PullPolicy::IfNotPresent);
    node.request_image(c, "reg/c:1", 1000000, PullPolicy::IfNotPresent);
  }
};
}  // namespace

TEST_CASE("a node pulls one image at a time, in request order", "[node]") {
  Rig r;
  r.request_all();
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "a pulled@2000000", "b starts@2000000",
                                          "b pulled@4000000", "c starts@4000000",
                                          "c pulled@6000000"});
  CHECK(r.node.pulls() == 3);
}

TEST_CASE("a waiting request dropped from the middle of the queue leaves the others in order",
          "[node]") {
  Rig r;
  r.request_all();
  r.call_at(Time::from_ms(500), [&] { r.node.cancel_requests(r.b); });
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "a pulled@2000000", "c starts@2000000",
                                          "c pulled@4000000"});
}

TEST_CASE("dropping the request being pulled starts the next one at once", "[node]") {
  Rig r;
  r.request_all();
  r.call_at(Time::from_ms(1500),
            [&] { r.node.cancel_requests(r.a); });  // half-way through its transfer
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "b starts@1500000", "b pulled@3500000",
                                          "c starts@3500000", "c pulled@5500000"});
  CHECK(r.registry.active() == 0);
}

TEST_CASE("a second request for an image pulled meanwhile is answered from the cache", "[node]") {
  Rig r;
  r.node.request_image(r.a, "reg/a:1", 1000000, PullPolicy::IfNotPresent);
  r.node.request_image(r.b, "reg/a:1", 1000000, PullPolicy::IfNotPresent);
  r.sim.run();
  CHECK(r.log == std::vector<std::string>{"a starts@0", "a pulled@2000000", "b cached@2000000"});
}

TEST_CASE("a node keeps its own copy of each image name: the requester's text may go", "[node]") {
  Rig r;
  {
    std::string uri = "registry.example/a-name-longer-than-a-short-string:1";
    r.node.request_image(r.a, uri, 1000000, PullPolicy::IfNotPresent);
    r.node.request_image(r.b, uri, 1000000, PullPolicy::IfNotPresent);
    uri.assign(uri.size(), 'x');  // the caller's text changes before the pulls run
  }
  std::string cached = "registry.example/initial-image-name-also-long:1";
  r.node.add_cached_image(cached);
  cached.clear();
  r.sim.run_until(Time::from_seconds(10));
  CHECK(r.log == std::vector<std::string>{"a starts@0", "a pulled@2000000", "b cached@2000000"});
  CHECK(r.node.has_image("registry.example/a-name-longer-than-a-short-string:1"));
  CHECK(r.node.has_image("registry.example/initial-image-name-also-long:1"));
  CHECK_FALSE(r.node.has_image(std::string(53, 'x')));
  r.node.clear_cache();
  CHECK_FALSE(r.node.has_image("registry.example/a-name-longer-than-a-short-string:1"));
}

TEST_CASE("schedulable_free follows every change of a node: requests, nominations, state",
          "[node]") {
  Rig r;
  Node& n = r.node;
  CHECK(n.schedulable_free() == Resources{4000, 4000000000, 0});
  n.reserve({1000, 1000000000, 0});
  CHECK(n.schedulable_free() == Resources{3000, 3000000000, 0});
  n.nominate({500, 0, 0});
  CHECK(n.schedulable_free() == Resources{2500, 3000000000, 0});
  n.set_ready(false);
  CHECK(n.schedulable_free() == Node::kNoRoom);
  n.release({1000, 1000000000, 0});
  CHECK(n.schedulable_free() == Node::kNoRoom);
  n.set_ready(true);
  CHECK(n.schedulable_free() == Resources{3500, 4000000000, 0});
  n.unnominate({500, 0, 0});
  CHECK(n.schedulable_free() == Resources{4000, 4000000000, 0});
  n.cordon();
  CHECK(n.schedulable_free() == Node::kNoRoom);
}

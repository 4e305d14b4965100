// ContainerSpecPool: protons running the same containers share one copy of their specs.
#include "wlsim/models/container_spec_pool.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace wlsim::models;

namespace {
std::vector<ContainerSpec> app(const char* image) {
  ContainerSpec c;
  c.name = "app";
  c.image_uri = image;
  c.resources.cpu_milli = 500;
  c.readiness = ProbeSpec{};
  c.readiness->path = "/ready";
  return {c};
}
}  // namespace

TEST_CASE("equal container specs are held once, different ones apart", "[container-spec-pool]") {
  ContainerSpecPool pool;
  const ContainerSpecs a = pool.intern(app("reg/app:1"));
  const ContainerSpecs b = pool.intern(app("reg/app:1"));
  CHECK(a == b);  // the same copy
  CHECK(pool.size() == 1);
  const ContainerSpecs other_image = pool.intern(app("reg/app:2"));
  CHECK(other_image != a);
  // A difference the pool's hash does not look at (a probe's path) still makes another copy.
  std::vector<ContainerSpec> other_probe = app("reg/app:1");
  other_probe.front().readiness->path = "/healthz";
  const ContainerSpecs c = pool.intern(std::move(other_probe));
  CHECK(c != a);
  CHECK(c->front().readiness->path == "/healthz");
  CHECK(a->front().readiness->path == "/ready");
  CHECK(pool.size() == 3);
}

TEST_CASE("specs interned by reference are the same as by value, and copied only when new",
          "[container-spec-pool]") {
  ContainerSpecPool pool;
  const std::vector<ContainerSpec> specs = app("reg/app:1");
  const ContainerSpecs a = pool.intern(specs);
  CHECK(a.get() != &specs);  // the pool's own copy
  CHECK(*a == specs);
  CHECK(pool.intern(specs) == a);
  CHECK(pool.intern(app("reg/app:1")) == a);  // by value: the same entry
  const std::vector<ContainerSpec> other = app("reg/app:2");
  const ContainerSpecs b = pool.intern(other);
  CHECK(b != a);
  CHECK(b->front().image_uri == "reg/app:2");
  CHECK(pool.size() == 2);
}

// Bounds of traffic input found by fuzzing: what the fluid queue cannot take is refused at load,
// with the field's path, rather than thrown from the run as an exception other than ScenarioError.

#include <catch2/catch.hpp>

#include "scenario_fixture.hpp"
#include "traffic_scenario.hpp"

using wlsim::testing::error_of;
using wlsim::testing::served;
using wlsim::testing::Served;

TEST_CASE("a fluid service time's mean must be within [1us, 1e9 s], the fluid queue's range",
          "[traffic][loader][bad-input]") {
  Served s;
  const std::string refused =
      "f.yaml: traffic[0].serviceTime: must have a mean between 1us and 1e9 s in fluid mode (the "
      "queue's rates divide by it)";
  s.traffic = "rate: 1/s, serviceTime: constant(36500d), mode: fluid";
  CHECK(error_of(served(s)) == refused);
  s.traffic = "rate: 1/s, serviceTime: constant(1000000001s), mode: fluid";
  CHECK(error_of(served(s)) == refused);
  s.traffic = "rate: 1/s, serviceTime: constant(1000000000s), mode: fluid";
  CHECK(error_of(served(s)) == "(no error)");
  s.traffic = "rate: 1/s, serviceTime: constant(1us), mode: fluid";
  CHECK(error_of(served(s)) == "(no error)");
  // Request mode simulates each request: a long service is only long.
  s.traffic = "rate: 1/s, serviceTime: constant(36500d)";
  CHECK(error_of(served(s)) == "(no error)");
}

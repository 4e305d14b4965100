// Resources: exact integer sums that saturate instead of wrapping.
#include "wlsim/models/resources.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

using wlsim::models::Resources;

TEST_CASE("resource sums are exact in range", "[resources]") {
  const Resources a{1500, 4'000'000'000, 1};
  const Resources b{500, 1'000'000'000, 0};
  CHECK(a + b == Resources{2000, 5'000'000'000, 1});
  CHECK(a - b == Resources{1000, 3'000'000'000, 1});
  CHECK(b.fits_in(a));
  CHECK_FALSE(a.fits_in(b));
}

TEST_CASE("resource sums saturate instead of overflowing, so a huge pod fits no node",
          "[resources][bounds]") {
  const Resources exabyte{0, 1'000'000'000'000'000'000LL, 0};
  Resources pod;
  for (int i = 0; i < 20; ++i) pod += exabyte;  // 20 EB: past int64
  CHECK(pod.memory_bytes == INT64_MAX);
  CHECK_FALSE(pod.fits_in(Resources{1'000'000, 1'000'000'000'000'000'000LL, 8}));
  Resources low{INT64_MIN + 1, 0, 0};
  low -= Resources{10, 0, 0};
  CHECK(low.cpu_milli == INT64_MIN);
}

// libFuzzer entry point: every input goes through fuzz_check; a broken contract aborts with the
// reason, so libFuzzer saves the input (tests/fuzz/run copies it into tests/fuzz/regression/).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem =
      wlsim::fuzz::fuzz_check(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    std::fprintf(stderr, "wlsim fuzz check failed: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}

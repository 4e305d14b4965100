// libFuzzer entry point of the differential target: read_document (simdjson, the YAML scanner),
// each of those readers alone, and parse_document (yaml-cpp) must agree on every
// input, the same Document or the same error message. Any disagreement aborts, so libFuzzer saves
// the input.
//   cmake --preset fuzz && cmake --build build/fuzz --target wlsim_fuzz_document
//   build/fuzz/tests/fuzz/wlsim_fuzz_document -max_total_time=60 -dict=tests/fuzz/scenario.dict \
//     -max_len=4096 build/fuzz/document-corpus tests/fuzz/corpus

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "document_agreement.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  wlsim::scenarios::Limits limits = wlsim::fuzz::fuzz_limits();
  limits.max_depth = 16;  // so that the bounds are reached too
  const std::string problem = wlsim::fuzz::reading_disagreement(text, limits);
  if (!problem.empty()) {
    std::fprintf(stderr, "wlsim document fuzz: the readers disagree:\n%s\n", problem.c_str());
    std::abort();
  }
  return 0;
}

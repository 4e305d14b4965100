#pragma once
// Asking for memory before it is read. In a large fleet an event touches a few objects that live
// apart (a workload's autoscaler, its traffic, its proton), and each is a miss to DRAM; asked for
// together at the start of the event, the misses overlap instead of following one another.
// A hint only: it changes no result, and compilers without the builtin ignore it.

#include <cstddef>

namespace wlsim::engine {

/// Every cache line of [p, p + bytes).
inline void prefetch(const void* p, std::size_t bytes = 1) noexcept {
#if defined(__GNUC__)
  constexpr std::size_t kLine = 64;
  const char* const first = static_cast<const char*>(p);
  for (std::size_t i = 0; i < bytes; i += kLine) __builtin_prefetch(first + i);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace wlsim::engine

#pragma once
// Independent runs on threads, the one way replications and sweeps share: each worker takes the
// next index and its result lands in that index's slot, so thread timing cannot change the output.
// An exception must not escape a worker (that would terminate the process): each index's error is
// kept in its slot, the other workers stop taking indices, and the caller gets the error of the
// lowest failing index — the error a single run of it gives, whatever the threads.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace wlsim::scenarios::detail {

template <typename Job>
void run_in_parallel(std::size_t count, int threads, const Job& job) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(count);
  const auto worker = [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      try {
        job(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  const std::size_t n_threads =
      std::min(static_cast<std::size_t>(std::max(threads, 1)), std::max<std::size_t>(count, 1));
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < n_threads; ++t) pool.emplace_back(worker);
    worker();
  }  // joins
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace wlsim::scenarios::detail

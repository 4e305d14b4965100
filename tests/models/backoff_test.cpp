// Backoff: Kubernetes' per-item back-off behind the crash back-off (SEMANTICS.md §4) and the
// image-pull back-off (§3): 10 s doubling to a 300 s cap, reset after 600 s without an event.
#include "wlsim/models/backoff.hpp"

#include <catch2/catch.hpp>
#include <vector>

using wlsim::engine::Time;
using wlsim::models::Backoff;

namespace {
Time s(std::int64_t n) { return Time::from_seconds(n); }
}  // namespace

TEST_CASE("nothing recorded yet: the first attempt waits nothing", "[backoff]") {
  const Backoff b = Backoff::kubelet_default();
  CHECK(b.delay_after(s(0)) == Time::zero());
  CHECK(b.delay_after(s(1000)) == Time::zero());
}

TEST_CASE("the delay starts at 10 s and doubles to the 300 s cap", "[backoff]") {
  Backoff b = Backoff::kubelet_default();
  std::vector<Time> delays;
  Time t = s(0);
  for (int i = 0; i < 9; ++i) {
    delays.push_back(b.next(t));
    t += delays.back();  // the next event comes as soon as the back-off allows
  }
  CHECK(delays ==
        std::vector<Time>{s(10), s(20), s(40), s(80), s(160), s(300), s(300), s(300), s(300)});
  CHECK(b.current() == s(300));
}

TEST_CASE("an event more than 600 s after the last record resets the delay to 10 s", "[backoff]") {
  Backoff b = Backoff::kubelet_default();
  (void)b.next(s(0));
  (void)b.next(s(100));
  CHECK(b.current() == s(20));
  CHECK(b.delay_after(s(700)) == s(20));  // exactly 600 s later: not yet expired
  CHECK(b.delay_after(s(701)) == Time::zero());
  CHECK(b.next(s(701)) == s(10));
  CHECK(b.next(s(800)) == s(20));
}

TEST_CASE("the reset window is measured from the last record, not from the first", "[backoff]") {
  Backoff b = Backoff::kubelet_default();
  Time t = s(0);
  for (int i = 0; i < 20; ++i) {
    (void)b.next(t);
    t += s(500);  // 500 s apart: never expires, however long the loop runs
  }
  CHECK(b.current() == s(300));
}

TEST_CASE("other parameters: initial, cap and expiry are the back-off's own", "[backoff]") {
  Backoff b(s(1), s(5), s(30));
  CHECK(b.next(s(0)) == s(1));
  CHECK(b.next(s(1)) == s(2));
  CHECK(b.next(s(3)) == s(4));
  CHECK(b.next(s(7)) == s(5));
  CHECK(b.next(s(12)) == s(5));
  CHECK(b.next(s(43)) == s(1));
}

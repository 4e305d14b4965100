// same_text: the replications' comparison of row names by whole loads.
#include "../../scenarios/same_text.hpp"

#include <catch2/catch.hpp>
#include <string>

using wlsim::scenarios::same_text;

TEST_CASE("same_text agrees with == at every length and wherever one byte differs",
          "[replications]") {
  // Each text sits at an odd offset in its buffer, so that no load is aligned.
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string a_buf(n + 1, '.');
    std::string b_buf(n + 3, '.');
    for (std::size_t i = 0; i < n; ++i) {
      a_buf[1 + i] = static_cast<char>('a' + i % 26);
      b_buf[3 + i] = a_buf[1 + i];
    }
    const std::string_view a(a_buf.data() + 1, n);
    std::string_view b(b_buf.data() + 3, n);
    CHECK(same_text(a, b));
    for (std::size_t i = 0; i < n; ++i) {
      b_buf[3 + i] = 'Z';
      CHECK_FALSE(same_text(a, b));
      b_buf[3 + i] = a_buf[1 + i];
    }
    // A byte past either end is not compared.
    b_buf.push_back('!');
    b = std::string_view(b_buf.data() + 3, n);
    CHECK(same_text(a, b));
    CHECK_FALSE(same_text(a, std::string_view(b_buf.data() + 3, n + 1)));
  }
}

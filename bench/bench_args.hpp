#pragma once
// Command-line pieces the bench binaries share.

#include <string>
#include <string_view>
#include <vector>

namespace wlsim::bench {

/// "500,5000,50000" as numbers; std::stoi's exception for a piece that is not one.
inline std::vector<int> parse_sizes(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    out.push_back(std::stoi(std::string(text.substr(0, comma))));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return out;
}

}  // namespace wlsim::bench

#include "wlsim/scenarios/units.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "wlsim/engine/decimal.hpp"

namespace wlsim::scenarios {

namespace {
struct Unit {
  std::string_view name;
  std::int64_t scale;
};
constexpr std::int64_t kKi = 1024;
constexpr std::array<Unit, 10> kSizeUnits{{{"", 1},
                                           {"B", 1},
                                           {"KB", 1000},
                                           {"MB", 1000 * 1000},
                                           {"GB", 1000LL * 1000 * 1000},
                                           {"TB", 1000LL * 1000 * 1000 * 1000},
                                           {"KiB", kKi},
                                           {"MiB", kKi * kKi},
                                           {"GiB", kKi * kKi * kKi},
                                           {"TiB", kKi * kKi * kKi * kKi}}};
}  // namespace

std::int64_t parse_bytes(std::string_view text) {
  const auto split = engine::split_number_and_unit(text);
  for (const Unit& u : kSizeUnits) {
    if (split.unit == u.name) return engine::scale_decimal(split.number, u.scale, text);
  }
  throw std::invalid_argument("'" + std::string(text) +
                              "' is not a size (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
}

std::int64_t parse_bytes_per_second(std::string_view text) {
  const auto slash = text.rfind("/s");
  if (slash == std::string_view::npos || slash + 2 != text.size()) {
    throw std::invalid_argument("'" + std::string(text) + "' is not a rate (a size per second, e.g. 100MB/s)");
  }
  return parse_bytes(text.substr(0, slash));
}

std::int64_t parse_millicores(std::string_view text) {
  const auto split = engine::split_number_and_unit(text);
  if (split.unit.empty()) return engine::scale_decimal(split.number, 1000, text);
  if (split.unit == "m") return engine::scale_decimal(split.number, 1, text);
  throw std::invalid_argument("'" + std::string(text) + "' is not a cpu quantity (cores like 2 or 0.5, or millicores like 500m)");
}

}  // namespace wlsim::scenarios

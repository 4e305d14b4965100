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
                                           {"MB", 1000LL * 1000},
                                           {"GB", 1000LL * 1000 * 1000},
                                           {"TB", 1000LL * 1000 * 1000 * 1000},
                                           {"KiB", kKi},
                                           {"MiB", kKi* kKi},
                                           {"GiB", kKi* kKi* kKi},
                                           {"TiB", kKi* kKi* kKi* kKi}}};
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
    throw std::invalid_argument("'" + std::string(text) +
                                "' is not a rate (a size per second, e.g. 100MB/s)");
  }
  return parse_bytes(text.substr(0, slash));
}

std::int64_t parse_millicores(std::string_view text) {
  const auto split = engine::split_number_and_unit(text);
  const bool cores = split.unit.empty();
  if (!cores && split.unit != "m") {
    throw std::invalid_argument(
        "'" + std::string(text) +
        "' is not a cpu quantity (cores like 2 or 0.5, or millicores like 500m)");
  }
  // Amounts finer than a millicore are refused rather than rounded: `cpu: 0.0001` must not silently
  // become a request of nothing (Kubernetes refuses them too).
  const auto dot = split.number.find('.');
  if (dot != std::string_view::npos) {
    const std::string_view frac = split.number.substr(dot + 1);
    const std::size_t allowed = cores ? 3 : 0;
    if (frac.size() > allowed &&
        frac.substr(allowed).find_first_not_of('0') != std::string_view::npos) {
      throw std::invalid_argument(
          "'" + std::string(text) +
          "' is not a whole number of millicores (the precision is 1m = 0.001 cores)");
    }
  }
  return engine::scale_decimal(split.number, cores ? 1000 : 1, text);
}

}  // namespace wlsim::scenarios

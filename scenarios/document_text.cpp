#include "document_text.hpp"

#include <utility>

#include "scenario_text.hpp"
#include "yaml_cpp_document.hpp"
#include "yaml_scanner.hpp"

namespace wlsim::scenarios {

Document read_document(std::string_view text, const Limits& limits) {
  check_text(text, limits);
  if (auto doc = read_json_fast(text, limits)) return std::move(*doc);
  if (auto doc = read_yaml_scanned(text, limits)) return std::move(*doc);
  return to_document(parse_checked_document(text, limits));
}

}  // namespace wlsim::scenarios

#pragma once
// Scenario text read into a Document, fast: JSON (text that opens with `{`) through simdjson, block
// YAML through our own scanner (yaml_scanner.hpp), building the Document directly. Whatever either
// refuses or is not sure of (a syntax error, a bound exceeded, anchors, block scalars, tabs, ...)
// goes to parse_document (yaml-cpp), so every message a user sees stays yaml-cpp's and every
// accepted text gives the Document yaml-cpp's reading gives. Private to scenarios/.

#include <optional>
#include <string_view>

#include "document.hpp"
#include "wlsim/scenarios/limits.hpp"

namespace wlsim::scenarios {

/// The single document in `text`, with parse_document's contract: a null root for empty text;
/// TextError (parse_document's own) for text that is not one bounded scenario document. Equal to
/// to_document(parse_document(text, limits)) for every text both accept (marks aside for JSON,
/// whose nodes carry no mark).
[[nodiscard]] Document read_document(std::string_view text, const Limits& limits);

/// The fast readers alone, for the tests and the bench: a Document when the text is read without
/// any problem, nothing when it must go to yaml-cpp. `text` must have passed check_text.
[[nodiscard]] std::optional<Document> read_json_fast(std::string_view text, const Limits& limits);

}  // namespace wlsim::scenarios

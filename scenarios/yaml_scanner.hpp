#pragma once
// A YAML reader of our own for the block-YAML that scenario files are written in, the first of the
// YAML readers (document_text.cpp): block mappings and sequences, flow lists and mappings of
// scalars, plain and one-line quoted scalars, comments and a leading `---`. It builds the Document
// straight from the text, with no allocation per value. Anything outside that subset, or anything
// yaml-cpp might read otherwise (anchors, tags, block scalars, multi-line scalars, empty values,
// tabs, carriage returns, indicators inside plain scalars, ...), it refuses, and the next reader
// reads the text, so results and messages stay yaml-cpp's. Private to scenarios/.

#include <optional>
#include <string_view>

#include "document.hpp"
#include "wlsim/scenarios/limits.hpp"

namespace wlsim::scenarios {

/// The Document yaml-cpp reads from `text` (marks included), or nothing when the text is not in the
/// scanner's subset. `text` must have passed check_text.
[[nodiscard]] std::optional<Document> read_yaml_scanned(std::string_view text,
                                                        const Limits& limits);

}  // namespace wlsim::scenarios

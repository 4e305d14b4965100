#pragma once
// Overrides applied to a parsed document, and the document written back as JSON. Private to
// scenarios/: the loader applies overrides before its schema reads the tree.

#include <string>
#include <vector>

#include "document.hpp"
#include "wlsim/scenarios/limits.hpp"
#include "wlsim/scenarios/overrides.hpp"

namespace wlsim::scenarios {

/// Every override applied in order to `doc`, whose root becomes the result. The nodes on each
/// override's path are added anew (nodes never change), so a node that an alias shares changes only
/// where the path names it. At most kMaxOverrides; each value is parsed within `limits` (its depth
/// counted from where it goes). Throws TextError naming the override's path: a path that names
/// nothing says what is there instead (a mapping's fields, a list's size and its items' ids or
/// names).
void apply_overrides(Document& doc, const std::vector<Override>& overrides, const Limits& limits);

/// The document as JSON text: mappings and lists as they are; a plain scalar that is null, a
/// boolean or a JSON number as that; every other scalar (quoted, tagged, any other text) as a
/// string. Reading the JSON back gives the same scenario.
[[nodiscard]] std::string document_json(NodeRef root);

}  // namespace wlsim::scenarios

#pragma once
// yaml-cpp's node graph as a Document: the reader of last resort, for text the fast reader refuses
// (so a malformed file keeps yaml-cpp's own words) and for the tests that check both readers build
// the same Document. Private to scenarios/.

#include <yaml-cpp/yaml.h>

#include "document.hpp"

namespace wlsim::scenarios {

/// `node` and everything under it, appended to `doc`; returns its index. A yaml-cpp alias (a node
/// shared by several parents) becomes one node with several parents.
Document::Index add_yaml_cpp(Document& doc, const YAML::Node& node);

/// A Document whose root is `node`.
[[nodiscard]] Document to_document(const YAML::Node& node);

}  // namespace wlsim::scenarios

#include "yaml_cpp_document.hpp"

#include <vector>

namespace wlsim::scenarios {

namespace {
TextMark mark_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  return TextMark{m.line, m.column};
}
}  // namespace

Document::Index add_yaml_cpp(Document& doc, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return doc.add_null(mark_of(node));
    case YAML::NodeType::Scalar:
      return doc.add_scalar(node.Scalar(), node.Tag() == "?", mark_of(node));
    case YAML::NodeType::Sequence: {
      std::vector<Document::Index> items;
      items.reserve(node.size());
      for (const YAML::Node& item : node) items.push_back(add_yaml_cpp(doc, item));
      return doc.add_sequence(items, mark_of(node));
    }
    case YAML::NodeType::Map: {
      std::vector<Document::Index> entries;
      entries.reserve(2 * node.size());
      for (const auto& kv : node) {
        entries.push_back(add_yaml_cpp(doc, kv.first));
        entries.push_back(add_yaml_cpp(doc, kv.second));
      }
      return doc.add_map(entries, mark_of(node));
    }
  }
  return doc.add_null(mark_of(node));
}

Document to_document(const YAML::Node& node) {
  Document doc;
  doc.set_root(add_yaml_cpp(doc, node));
  return doc;
}

}  // namespace wlsim::scenarios

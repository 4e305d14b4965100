#pragma once
// The fast reader of scenario text (read_document) against yaml-cpp's reading
// (to_document(parse_document)): the same Document, or the same TextError. Shared by the
// differential fuzz target (fuzz_document.cpp) and tests/scenarios/document_text_test.cpp.

#include <cstdint>
#include <string>
#include <string_view>

#include "../../scenarios/document_text.hpp"
#include "../../scenarios/scenario_text.hpp"
#include "../../scenarios/yaml_cpp_document.hpp"

namespace wlsim::fuzz {

enum class Marks { Compare, Ignore };

/// A Document written out in full (an alias's target once per parent), so two readings compare
/// as text and a difference shows where it is: `~` null, `=` a plain scalar, `'` any other, each
/// with its length; marks as @line:column when asked.
inline void dump_document(scenarios::NodeRef n, Marks marks, std::string& out) {
  using Kind = scenarios::NodeRef::Kind;
  if (marks == Marks::Compare) {
    out += '@' + std::to_string(n.mark().line) + ':' + std::to_string(n.mark().column);
  }
  switch (n.kind()) {
    case Kind::Null:
      out += "~";
      return;
    case Kind::Scalar:
      out += n.plain() ? "=" : "'";
      out += std::to_string(n.scalar().size()) + ':';
      out += n.scalar();
      return;
    case Kind::Sequence:
      out += "[";
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        dump_document(n.item(i), marks, out);
        out += ",";
      }
      out += "]";
      return;
    case Kind::Map:
      out += "{";
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        dump_document(n.key(i), marks, out);
        out += ": ";
        dump_document(n.value(i), marks, out);
        out += ",";
      }
      out += "}";
      return;
  }
}

[[nodiscard]] inline std::string dump_document(const scenarios::Document& d, Marks marks) {
  std::string out;
  dump_document(d.root(), marks, out);
  return out;
}

[[nodiscard]] inline std::string text_error(const scenarios::TextError& e) {
  return "error: " + e.message + " | " + e.yaml_message;
}

/// yaml-cpp's reading of `text` (dumped), or its error.
[[nodiscard]] inline std::string reference_reading(std::string_view text,
                                                   const scenarios::Limits& limits, Marks marks) {
  try {
    return dump_document(scenarios::to_document(scenarios::parse_document(text, limits)), marks);
  } catch (const scenarios::TextError& e) {
    return text_error(e);
  }
}

/// read_document's reading of `text` (dumped), or its error.
[[nodiscard]] inline std::string fast_reading(std::string_view text,
                                              const scenarios::Limits& limits, Marks marks) {
  try {
    return dump_document(scenarios::read_document(text, limits), marks);
  } catch (const scenarios::TextError& e) {
    return text_error(e);
  }
}

/// "" when both readers agree on `text`, else both readings.
[[nodiscard]] inline std::string reading_disagreement(std::string_view text,
                                                      const scenarios::Limits& limits) {
  const std::string expected = reference_reading(text, limits, Marks::Ignore);
  const std::string got = fast_reading(text, limits, Marks::Ignore);
  if (got == expected) return "";
  return "read_document gives " + got + "\nyaml-cpp gives " + expected;
}

}  // namespace wlsim::fuzz

#pragma once
// The fast readers of scenario text (read_document, and each of its readers alone) against
// yaml-cpp's reading (to_document(parse_document)): the same Document, or the same TextError.
// Shared by the differential fuzz target (fuzz_document.cpp) and
// tests/scenarios/document_text_test.cpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "../../scenarios/document_text.hpp"
#include "../../scenarios/scenario_text.hpp"
#include "../../scenarios/yaml_cpp_document.hpp"
#include "../../scenarios/yaml_scanner.hpp"

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

/// "" when every fast reader that accepts `text` alone reads yaml-cpp's Document, else what
/// differs. Each is asked as read_document would ask it: the YAML readers only about text the
/// JSON reader refuses. The scanner must keep yaml-cpp's marks too.
[[nodiscard]] inline std::string reader_disagreement(std::string_view text,
                                                     const scenarios::Limits& limits) {
  try {
    scenarios::check_text(text, limits);
  } catch (const scenarios::TextError&) {
    return "";  // no fast reader sees such text
  }
  const auto differs = [&](const char* reader, const std::optional<scenarios::Document>& doc,
                           Marks marks) -> std::string {
    if (!doc) return "";
    const std::string expected = reference_reading(text, limits, marks);
    const std::string got = dump_document(*doc, marks);
    if (got == expected) return "";
    return std::string(reader) + " gives " + got + "\nyaml-cpp gives " + expected;
  };
  if (auto json = scenarios::read_json_fast(text, limits)) {
    return differs("read_json_fast", json, Marks::Ignore);
  }
  return differs("read_yaml_scanned", scenarios::read_yaml_scanned(text, limits), Marks::Compare);
}

/// "" when read_document and yaml-cpp agree on `text`, and so does each fast reader alone; else
/// what differs.
[[nodiscard]] inline std::string reading_disagreement(std::string_view text,
                                                      const scenarios::Limits& limits) {
  const std::string expected = reference_reading(text, limits, Marks::Ignore);
  const std::string got = fast_reading(text, limits, Marks::Ignore);
  if (got != expected) return "read_document gives " + got + "\nyaml-cpp gives " + expected;
  return reader_disagreement(text, limits);
}

}  // namespace wlsim::fuzz

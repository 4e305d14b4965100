// Engine area: virtual-time helpers, trace hash formatting and trace records as columns.

#include <cstdint>
#include <string>
#include <string_view>

#include "bindings.hpp"
#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::bindings {

namespace {

/// One text column: `field` gives a record's text (the string itself or the name of its code).
template <class Field>
py::list str_column(const std::vector<engine::TraceRecord>& records, Field field) {
  py::list out(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string_view s = field(records[i]);
    PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (o == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), o);  // steals the reference
  }
  return out;
}

}  // namespace

py::dict trace_columns(const std::vector<engine::TraceRecord>& records) {
  py::list time(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    PyObject* o = PyFloat_FromDouble(records[i].time.seconds());
    if (o == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(time.ptr(), static_cast<Py_ssize_t>(i), o);
  }
  py::dict cols;
  cols["time"] = std::move(time);
  using R = engine::TraceRecord;
  cols["object"] = str_column(records, [](const R& r) { return std::string_view(r.object); });
  cols["kind"] = str_column(records, [](const R& r) { return r.kind_name(); });
  cols["from"] = str_column(records, [](const R& r) { return r.from_name(); });
  cols["to"] = str_column(records, [](const R& r) { return r.to_name(); });
  cols["reason"] = str_column(records, [](const R& r) { return r.reason_name(); });
  cols["message"] = str_column(records, [](const R& r) { return std::string_view(r.message); });
  return cols;
}

void bind_engine(py::module_& m) {
  m.def(
      "parse_duration",
      [](std::string_view text) { return engine::parse_duration(text).seconds(); }, py::arg("text"),
      "Parses a scenario duration such as '250ms', '30s', '1.5m', '2h' into seconds (float). "
      "Raises ValueError naming the accepted units.");
  m.def(
      "format_duration",
      [](double seconds) { return engine::format_duration(engine::Time::from_seconds_f(seconds)); },
      py::arg("seconds"),
      "Formats seconds (rounded to the microsecond) as the shortest scenario duration text.");
  m.def(
      "hash_hex", [](std::uint64_t h) { return engine::hash_hex(h); }, py::arg("hash"),
      "A 64-bit trace hash as 16 lowercase hex digits.");
}

}  // namespace wlsim::bindings

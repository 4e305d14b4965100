// Engine area: virtual-time helpers, trace hash formatting and trace records as columns.

#include <pybind11/numpy.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "bindings.hpp"
#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::bindings {

namespace {

using engine::TraceRecord;

// The columns of Result.events, in order, each read from a record by one field reader. A number
// column becomes a numpy array of its type; a text column is dictionary-encoded. Adding a column
// is one line here (and its name in EVENT_COLUMNS).
template <class T>
struct Number {
  T (*get)(const TraceRecord&);
};
/// Text of the record itself (an object path, a message).
struct Text {
  std::string_view (*get)(const TraceRecord&);
};
/// A vocabulary name: a view of a constant (or, for a free-text state, of the record's own text),
/// so the same name is mostly the same address.
struct Name {
  std::string_view (*get)(const TraceRecord&);
};
struct Column {
  const char* name;
  std::variant<Number<double>, Number<std::int64_t>, Text, Name> field;
};

constexpr std::array kColumns{
    Column{"time", Number<double>{[](const TraceRecord& r) { return r.time.seconds(); }}},
    Column{"object", Text{[](const TraceRecord& r) { return std::string_view(r.object); }}},
    Column{"kind", Name{[](const TraceRecord& r) { return r.kind_name(); }}},
    Column{"from", Name{[](const TraceRecord& r) { return r.from_name(); }}},
    Column{"to", Name{[](const TraceRecord& r) { return r.to_name(); }}},
    Column{"reason", Name{[](const TraceRecord& r) { return r.reason_name(); }}},
    Column{"message", Text{[](const TraceRecord& r) { return std::string_view(r.message); }}},
    Column{"count", Number<std::int64_t>{[](const TraceRecord& r) {
             return static_cast<std::int64_t>(r.count);
           }}},
    Column{"first", Number<double>{[](const TraceRecord& r) { return r.first.seconds(); }}},
    Column{"last", Number<double>{[](const TraceRecord& r) { return r.last.seconds(); }}},
};

/// A text column as a code per row and the distinct texts in order of first appearance. The views
/// point into the records or at vocabulary constants, which outlive the encoding.
struct Encoded {
  std::vector<std::uint32_t> codes;
  std::vector<std::string_view> distinct;
};

/// Distinct texts by content: open addressing over codes (a node-based map costs a cache miss per
/// node on a column of a hundred thousand distinct paths).
class TextIndex {
 public:
  /// The code of `s`, adding it to `distinct` if it is new.
  [[nodiscard]] std::uint32_t code_of(std::string_view s, std::vector<std::string_view>& distinct) {
    if (2 * (distinct.size() + 1) > slots_.size()) grow();
    const std::size_t h = std::hash<std::string_view>{}(s);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.code == kEmpty) {
        slot = {h, static_cast<std::uint32_t>(distinct.size())};
        distinct.push_back(s);
        return slot.code;
      }
      if (slot.hash == h && distinct[slot.code] == s) return slot.code;
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
  struct Slot {
    std::size_t hash = 0;
    std::uint32_t code = kEmpty;
  };

  void grow() {
    std::vector<Slot> old =
        std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(64, 2 * slots_.size())));
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.code == kEmpty) continue;
      std::size_t i = slot.hash & mask_;
      while (slots_[i].code != kEmpty) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

/// Encodes one text column. Rows often repeat the row before (a record's object, the same kind),
/// which costs one comparison.
class Encoder {
 public:
  explicit Encoder(std::size_t rows) { out_.codes.reserve(rows); }

  void add(std::string_view s) {
    if (out_.codes.empty() || s != out_.distinct[out_.codes.back()]) {
      last_ = index_.code_of(s, out_.distinct);
    }
    out_.codes.push_back(last_);
  }

  /// For names: by address first (most names are a handful of constants), by text on a miss, so
  /// that two constants spelling the same name share one code.
  void add_name(std::string_view s) {
    if (out_.codes.empty() || s.data() != last_address_.data() ||
        s.size() != last_address_.size()) {
      const auto [it, fresh] = by_address_.try_emplace(Address{s.data(), s.size()}, 0);
      if (fresh) it->second = index_.code_of(s, out_.distinct);
      last_ = it->second;
      last_address_ = s;
    }
    out_.codes.push_back(last_);
  }

  [[nodiscard]] Encoded take() && { return std::move(out_); }

 private:
  struct Address {
    const char* data;
    std::size_t size;
    bool operator==(const Address&) const = default;
  };
  struct AddressHash {
    std::size_t operator()(const Address& a) const noexcept {
      return std::hash<const char*>{}(a.data) ^ (a.size * 0x9E3779B97F4A7C15ULL);
    }
  };

  Encoded out_;
  TextIndex index_;
  std::unordered_map<Address, std::uint32_t, AddressHash> by_address_;
  std::uint32_t last_ = 0;
  std::string_view last_address_;
};

template <class T>
py::array_t<T> array_of(const std::vector<T>& values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

/// Codes in the narrowest unsigned type that holds them: less to copy and to pickle.
template <class T>
py::array narrowed(const std::vector<std::uint32_t>& codes) {
  py::array_t<T> out(static_cast<py::ssize_t>(codes.size()));
  T* p = out.mutable_data();
  for (const std::uint32_t c : codes) *p++ = static_cast<T>(c);
  return out;
}

/// (codes, texts): a numpy array of codes and the list of distinct str they index.
py::tuple text_column(const Encoded& e) {
  const std::size_t n = e.distinct.size();
  py::array codes = n <= std::numeric_limits<std::uint8_t>::max() + std::size_t{1}
                        ? narrowed<std::uint8_t>(e.codes)
                    : n <= std::numeric_limits<std::uint16_t>::max() + std::size_t{1}
                        ? narrowed<std::uint16_t>(e.codes)
                        : py::array(array_of(e.codes));
  py::list texts(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view s = e.distinct[i];
    PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (o == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(texts.ptr(), static_cast<Py_ssize_t>(i), o);  // steals the reference
  }
  return py::make_tuple(std::move(codes), std::move(texts));
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

}  // namespace

py::dict trace_columns(const std::vector<TraceRecord>& records) {
  using Builder = std::variant<std::vector<double>, std::vector<std::int64_t>, Encoder>;
  std::vector<Builder> builders;
  builders.reserve(kColumns.size());
  for (const Column& c : kColumns) {
    builders.push_back(
        std::visit(Overloaded{[&]<class T>(Number<T>) -> Builder {
                                std::vector<T> v;
                                v.reserve(records.size());
                                return v;
                              },
                              [&](auto) -> Builder { return Encoder(records.size()); }},
                   c.field));
  }
  {
    // Only C++ reads of immutable records: no GIL. Column by column within blocks of records, so
    // that each block (and the text it points to) is read from cache by every column but the first.
    py::gil_scoped_release release;
    constexpr std::size_t kBlock = 2048;
    for (std::size_t begin = 0; begin < records.size(); begin += kBlock) {
      const std::span block(records.data() + begin, std::min(kBlock, records.size() - begin));
      for (std::size_t c = 0; c < kColumns.size(); ++c) {
        Builder& b = builders[c];
        std::visit(Overloaded{[&]<class T>(Number<T> n) {
                                auto& v = std::get<std::vector<T>>(b);
                                for (const TraceRecord& r : block) v.push_back(n.get(r));
                              },
                              [&](Text t) {
                                auto& e = std::get<Encoder>(b);
                                for (const TraceRecord& r : block) e.add(t.get(r));
                              },
                              [&](Name t) {
                                auto& e = std::get<Encoder>(b);
                                for (const TraceRecord& r : block) e.add_name(t.get(r));
                              }},
                   kColumns[c].field);
      }
    }
  }
  py::dict cols;
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    cols[kColumns[c].name] = std::visit(
        Overloaded{[](Encoder& e) -> py::object { return text_column(std::move(e).take()); },
                   [](const auto& v) -> py::object { return array_of(v); }},
        builders[c]);
  }
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

#include "wlsim/engine/trace.hpp"

#include <cstdio>
#include <ostream>

#include "wlsim/engine/json.hpp"
#include "wlsim/engine/random.hpp"

namespace wlsim::engine {

std::string seconds_text(Time t) {
  if (t < Time::zero()) {
    std::string negative(
        1, '-');  // appended, not operator+: GCC 12 warns falsely (-Wrestrict) on that
    negative += seconds_text(Time::zero() - t);
    return negative;
  }
  const std::int64_t us = t.us();
  std::string s = std::to_string(us / 1000000);
  const std::int64_t frac = us % 1000000;
  if (frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(frac));
    std::string f(buf);
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

std::string_view TraceRecord::kind_name() const noexcept {
  return vocabulary == nullptr ? std::string_view{} : vocabulary->kind(kind);
}

std::string_view TraceRecord::from_name() const noexcept {
  if (from == kTextState) return text;
  return vocabulary == nullptr ? std::string_view{} : vocabulary->state(kind, from);
}

std::string_view TraceRecord::to_name() const noexcept {
  return vocabulary == nullptr ? std::string_view{} : vocabulary->state(kind, to);
}

std::string_view TraceRecord::reason_name() const noexcept {
  return vocabulary == nullptr ? std::string_view{} : vocabulary->reason(reason);
}

namespace {

/// Writes `s` as one CSV field: bare unless it holds a separator, a quote or a line break.
void write_csv_field(std::ostream& out, std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
    out << s;
    return;
  }
  out << '"';
  for (const char c : s) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

CsvSink::CsvSink(std::ostream& out) : out_(out) {
  out_ << "time,object,kind,from,to,reason,message\n";
}

void CsvSink::write(const TraceRecord& r) {
  out_ << seconds_text(r.time);
  for (const std::string_view f : {std::string_view(r.object), r.kind_name(), r.from_name(),
                                   r.to_name(), r.reason_name(), std::string_view(r.message)}) {
    out_ << ',';
    write_csv_field(out_, f);
  }
  out_ << '\n';
}

void JsonLinesSink::write(const TraceRecord& r) {
  Json j = Json::object();
  j["object"] = r.object;
  j["kind"] = r.kind_name();
  j["from"] = r.from_name();
  j["to"] = r.to_name();
  j["reason"] = r.reason_name();
  j["message"] = r.message;
  // The time leads, as the exact decimal seconds the CSV sink writes (0.000001, where a double's
  // shortest form would be 1e-06); the rest is the JSON writer's.
  out_ << "{\"time\":" << seconds_text(r.time) << ',' << std::string_view(to_text(j)).substr(1)
       << '\n';
}

void Trace::record(const TraceRecord& r) {
  // Each field's text is prefixed by its length, so ("ab","c") and ("a","bc") differ whatever bytes
  // they hold. The codes are folded as the names they stand for: the hash is that of the text.
  std::uint64_t h = hash_;
  const auto fold_u64 = [&h](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 0x100000001B3ULL;
    }
  };
  fold_u64(static_cast<std::uint64_t>(r.time.us()));
  for (const std::string_view f : {std::string_view(r.object), r.kind_name(), r.from_name(),
                                   r.to_name(), r.reason_name(), std::string_view(r.message)}) {
    fold_u64(f.size());
    h = fnv1a(f, h);
  }
  hash_ = h;
  ++count_;
  for (TraceSink* s : sinks_) s->write(r);
}

std::string hash_hex(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace wlsim::engine

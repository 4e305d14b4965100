#include "wlsim/engine/trace.hpp"

#include <cstdio>
#include <ostream>

#include "wlsim/engine/json_text.hpp"
#include "wlsim/engine/random.hpp"

namespace wlsim::engine {

std::string seconds_text(Time t) {
  if (t < Time::zero()) {
    std::string negative(1, '-');  // appended, not operator+: GCC 12 warns falsely (-Wrestrict) on that
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

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

CsvSink::CsvSink(std::ostream& out) : out_(out) {
  out_ << "time,object,kind,from,to,reason,message\n";
}

void CsvSink::write(const TraceRecord& r) {
  out_ << seconds_text(r.time) << ',' << csv_field(r.object) << ',' << csv_field(r.kind) << ','
       << csv_field(r.from) << ',' << csv_field(r.to) << ',' << csv_field(r.reason) << ','
       << csv_field(r.message) << '\n';
}

void JsonLinesSink::write(const TraceRecord& r) {
  out_ << "{\"time\":" << seconds_text(r.time) << ",\"object\":" << json_quote(r.object)
       << ",\"kind\":" << json_quote(r.kind) << ",\"from\":" << json_quote(r.from)
       << ",\"to\":" << json_quote(r.to) << ",\"reason\":" << json_quote(r.reason)
       << ",\"message\":" << json_quote(r.message) << "}\n";
}

void Trace::record(const TraceRecord& r) {
  // Each field is prefixed by its length, so ("ab","c") and ("a","bc") differ whatever bytes they hold.
  std::uint64_t h = hash_;
  const auto fold_u64 = [&h](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 0x100000001B3ULL;
    }
  };
  fold_u64(static_cast<std::uint64_t>(r.time.us()));
  for (const std::string* f : {&r.object, &r.kind, &r.from, &r.to, &r.reason, &r.message}) {
    fold_u64(f->size());
    h = fnv1a(*f, h);
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

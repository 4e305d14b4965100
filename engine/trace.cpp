#include "wlsim/engine/trace.hpp"

#include <cstdio>
#include <ostream>

#include "wlsim/engine/hash64.hpp"
#include "wlsim/engine/json.hpp"

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

namespace {

std::string_view kind_name(const TraceVocabulary* v, TraceCode kind) noexcept {
  return v == nullptr ? std::string_view{} : v->kind(kind);
}

std::string_view from_name(const TraceVocabulary* v, TraceCode kind, TraceCode from,
                           std::string_view text) noexcept {
  if (from == TraceView::kTextState) return text;
  return v == nullptr ? std::string_view{} : v->state(kind, from);
}

std::string_view to_name(const TraceVocabulary* v, TraceCode kind, TraceCode to) noexcept {
  return v == nullptr ? std::string_view{} : v->state(kind, to);
}

std::string_view reason_name(const TraceVocabulary* v, TraceCode reason) noexcept {
  return v == nullptr ? std::string_view{} : v->reason(reason);
}

}  // namespace

std::string_view TraceView::kind_name() const noexcept {
  return engine::kind_name(vocabulary, kind);
}
std::string_view TraceView::from_name() const noexcept {
  return engine::from_name(vocabulary, kind, from, text);
}
std::string_view TraceView::to_name() const noexcept {
  return engine::to_name(vocabulary, kind, to);
}
std::string_view TraceView::reason_name() const noexcept {
  return engine::reason_name(vocabulary, reason);
}

// A record is named as its view is: one rule for both.
std::string_view TraceRecord::kind_name() const noexcept { return view().kind_name(); }
std::string_view TraceRecord::from_name() const noexcept { return view().from_name(); }
std::string_view TraceRecord::to_name() const noexcept { return view().to_name(); }
std::string_view TraceRecord::reason_name() const noexcept { return view().reason_name(); }

void KeptRecord::assign(const TraceView& v) {
  time_ = v.time;
  first_ = v.first;
  last_ = v.last;
  count_ = v.count;
  vocabulary_ = v.vocabulary;
  kind_ = v.kind;
  from_ = v.from;
  to_ = v.to;
  reason_ = v.reason;
  // Bounded by the input limits far below 4 GiB; narrowed for the record's size, not its range.
  object_size_ = static_cast<std::uint32_t>(v.object.size());
  message_size_ = static_cast<std::uint32_t>(v.message.size());
  text_.clear();
  text_.reserve(v.object.size() + v.message.size() + v.text.size());
  text_.append(v.object).append(v.message).append(v.text);
}

TraceView KeptRecord::view() const noexcept {
  return TraceView{
      time_,       object(),
      kind_,       from_,
      to_,         reason_,
      message(),   std::string_view(text_).substr(std::size_t{object_size_} + message_size_),
      vocabulary_, count_,
      first_,      last_};
}

TraceRecord TraceRecord::of(const TraceView& v) {
  TraceRecord r;
  r.assign(v);
  return r;
}

void TraceRecord::assign(const TraceView& v) {
  time = v.time;
  object.assign(v.object);
  kind = v.kind;
  from = v.from;
  to = v.to;
  reason = v.reason;
  message.assign(v.message);
  text.assign(v.text);
  vocabulary = v.vocabulary;
  count = v.count;
  first = v.first;
  last = v.last;
}

TraceView TraceRecord::view() const noexcept {
  return {time, object, kind, from, to, reason, message, text, vocabulary, count, first, last};
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
  out_ << "time,object,kind,from,to,reason,message,count,first,last\n";
}

void CsvSink::write(const TraceView& r) {
  out_ << seconds_text(r.time);
  for (const std::string_view f :
       {r.object, r.kind_name(), r.from_name(), r.to_name(), r.reason_name(), r.message}) {
    out_ << ',';
    write_csv_field(out_, f);
  }
  out_ << ',' << r.count << ',' << seconds_text(r.first) << ',' << seconds_text(r.last) << '\n';
}

void JsonLinesSink::write(const TraceView& r) {
  Json j = Json::object();
  j["object"] = r.object;
  j["kind"] = r.kind_name();
  j["from"] = r.from_name();
  j["to"] = r.to_name();
  j["reason"] = r.reason_name();
  j["message"] = r.message;
  j["count"] = r.count;
  // The times are the exact decimal seconds the CSV sink writes (0.000001, where a double's
  // shortest form would be 1e-06); the rest is the JSON writer's.
  const std::string body = to_text(j);
  const std::string_view rest = std::string_view(body).substr(0, body.size() - 1);
  out_ << "{\"time\":" << seconds_text(r.time) << ',' << rest.substr(1)
       << ",\"first\":" << seconds_text(r.first) << ",\"last\":" << seconds_text(r.last) << "}\n";
}

std::uint64_t TraceVocabulary::compute(std::size_t slot, std::string_view name) const noexcept {
  const std::uint64_t h = hash64::text(name);
  // Each slot is written at most with one value, so relaxed atomics suffice (two threads may
  // both compute it).
  if (slot != kNone) hashes_[slot].store(h, std::memory_order_relaxed);
  return h;
}

void Trace::record(const TraceView& r) {
  const TraceVocabulary* v = r.vocabulary;
  // Without a vocabulary every code is named "".
  const std::uint64_t none = v == nullptr ? hash64::text(std::string_view{}) : 0;
  const std::uint64_t from = r.from == TraceView::kTextState ? hash64::text(r.text)
                             : v != nullptr                  ? v->state_hash(r.kind, r.from)
                                                             : none;
  const std::uint64_t record = hash64::record(
      {static_cast<std::uint64_t>(r.time.us()), v != nullptr ? v->kind_hash(r.kind) : none, from,
       v != nullptr ? v->state_hash(r.kind, r.to) : none,
       v != nullptr ? v->reason_hash(r.reason) : none, r.count,
       static_cast<std::uint64_t>(r.first.us()), static_cast<std::uint64_t>(r.last.us())},
      r.object, r.message);
  hash_ = hash64::fold(hash_, record);
  ++count_;
  for (TraceSink* s : sinks_) s->write(r);
}

std::string hash_hex(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace wlsim::engine

#include "wlsim/models/api_json.hpp"

#include <algorithm>
#include <charconv>
#include <concepts>

namespace wlsim::models::api {

using engine::Json;

namespace {

// The bodies are written as text directly: an answer is made for every call of every run (and
// hashed into its trace), and a tree of JSON values built only to be printed cost more than the
// rest of a Monte Carlo replication's API call. The text is exactly what engine::to_text writes
// for the same value: keys in the API's order, numbers as number_text, strings as nlohmann-json
// escapes them.
class Writer {
 public:
  // An answer is a few hundred bytes (a replacement's is about 300): room for it at once, rather
  // than a string's doublings from 15 (four allocations per answer).
  Writer() { out_.reserve(512); }

  /// The text written so far.
  [[nodiscard]] std::string take() { return std::move(out_); }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// Starts the member `name` of the current object (a constant that needs no escaping).
  Writer& key(std::string_view name) {
    put("\"", name, "\":");
    first_ = true;  // the member's value is not preceded by a comma
    return *this;
  }

  void string(std::string_view s) {
    // Printable ASCII other than a quote or a backslash is written as it is; anything else (an
    // escape, a control byte, UTF-8, invalid UTF-8 replaced by U+FFFD) as nlohmann-json writes it.
    for (const char c : s) {
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        separate();
        out_ += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
      }
    }
    put("\"", s, "\"");
  }
  void boolean(bool b) { raw(b ? "true" : "false"); }
  void null() { raw("null"); }
  template <std::integral I>
  void integer(I v) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    raw(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
  }
  void number(double v) { raw(engine::number_text(v)); }
  /// As engine::json_seconds: whole seconds as an integer, never as null.
  void seconds(engine::Time t) {
    if (t.is_never()) {
      null();
    } else if (t.us() % 1'000'000 == 0) {
      integer(t.us() / 1'000'000);
    } else {
      number(t.seconds());
    }
  }
  void optional_string(const std::optional<std::string>& s) {
    if (s) {
      string(*s);
    } else {
      null();
    }
  }

 private:
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  /// The separator if one is due, then `a`, `b` and `c`, in one append: an answer has tens of
  /// members, and a string's append per piece was most of the time spent writing it.
  void put(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
    const bool comma = !first_;
    first_ = false;
    const std::size_t at = out_.size();
    out_.resize(at + (comma ? 1 : 0) + a.size() + b.size() + c.size());
    char* p = out_.data() + at;
    if (comma) *p++ = ',';
    p = std::copy(a.begin(), a.end(), p);
    p = std::copy(b.begin(), b.end(), p);
    std::copy(c.begin(), c.end(), p);
  }
  void raw(std::string_view text) { put(text); }
  void open(char c) {
    put(std::string_view(&c, 1));
    first_ = true;
  }
  void close(char c) {
    out_ += c;
    first_ = false;
  }

  std::string out_;
  bool first_ = true;  ///< nothing written yet in the current object or array
};

void write(Writer& w, const Error& e) {
  w.begin_object();
  w.key("message").string(e.message);
  w.end_object();
}

void write(Writer& w, const ArtifactSpec& a) {
  w.begin_object();
  w.key("id").string(a.id);
  w.key("status").string(to_string(a.status));
  w.key("type").string(a.type);
  w.key("containerGroups").begin_array();
  w.begin_object();
  w.key("name").string("default");
  w.key("containers").begin_array();
  for (const ContainerSpec& c : a.containers) {
    w.begin_object();
    w.key("name").string(c.name);
    w.key("imageUri").string(c.image_uri);
    w.key("primary").boolean(c.primary);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_array();
  w.end_object();
}

void write(Writer& w, const ReplacementView& r) {
  w.begin_object();
  w.key("id").string(r.id);
  w.key("artifactId").string(r.request.artifact_id);
  w.key("strategy").string(r.request.strategy);
  w.key("config").begin_object();
  w.key("warmupDurationMinutes").number(r.request.config.warmup.seconds() / 60);
  w.key("keepOldVersionMinutes").number(r.request.config.keep_old.seconds() / 60);
  w.end_object();
  w.key("status").string(to_string(r.status));
  if (r.outcome.empty()) {
    w.key("outcome").null();
  } else {
    w.key("outcome").string(r.outcome);
  }
  w.key("message").string(r.message);
  w.key("candidateProtonId").string(r.candidate_proton_id);
  w.key("runtimeOnly").boolean(r.request.from_settings);
  w.key("postedAt").seconds(r.posted_at);
  w.key("switchedAt").seconds(r.switched_at);
  w.key("endedAt").seconds(r.ended_at);
  w.end_object();
}

void write(Writer& w, const WorkloadView& v) {
  w.begin_object();
  w.key("id").string(v.id);
  w.key("name").string(v.name);
  w.key("artifactId").string(v.artifact_id);
  w.key("importance").string(to_string(v.importance));
  w.key("status").string(to_string(v.status));
  w.key("activeProtonId").optional_string(v.active_proton_id);
  if (v.replacement) {
    w.key("replacement");
    write(w, *v.replacement);
  } else {
    w.key("replacement").null();
  }
  w.end_object();
}

void write(Writer& w, const History& h) {
  w.begin_object();
  w.key("count").integer(h.data.size());
  w.key("data").begin_array();
  for (const ReplacementView& r : h.data) write(w, r);
  w.end_array();
  w.end_object();
}

void write(Writer& w, const ProtonList& l) {
  w.begin_object();
  w.key("data").begin_array();
  for (const ProtonView& p : l.data) {
    w.begin_object();
    w.key("id").string(p.id);
    w.key("artifactId").string(p.artifact_id);
    w.key("role").string(to_string(p.role));
    w.key("status").string(to_string(p.status));
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write(Writer& w, const EventList& l) {
  w.begin_object();
  w.key("data").begin_array();
  for (const EventView& e : l.data) {
    w.begin_object();
    w.key("time").seconds(e.time);
    w.key("object").string(e.object);
    w.key("kind").string(e.kind);
    w.key("from").string(e.from);
    w.key("to").string(e.to);
    w.key("message").string(e.message);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write(Writer& w, const ContainerDetails& c) {
  w.begin_object();
  w.key("name").string(c.name);
  w.key("primary").boolean(c.primary);
  w.key("image").string(c.image);
  w.key("state").string(to_string(c.state));
  w.key("reason").string(c.reason);
  w.key("message").string(c.message);
  w.key("ready").boolean(c.ready);
  w.key("restartCount").integer(c.restart_count);
  if (c.last_state) {
    w.key("lastState").begin_object();
    w.key("terminated").begin_object();
    w.key("reason").string(c.last_state->reason);
    w.key("exitCode").integer(c.last_state->exit_code);
    w.end_object();
    w.end_object();
  } else {
    w.key("lastState").null();
  }
  w.end_object();
}

void write(Writer& w, const ReplicaDetails& r) {
  w.begin_object();
  w.key("name").string(r.name);
  w.key("status").string(to_string(r.status));
  w.key("phase").string(to_string(r.phase));
  w.key("node").optional_string(r.node);
  w.key("conditions").begin_array();
  for (const PodCondition& c : r.conditions) {
    w.begin_object();
    w.key("type").string(c.type);
    w.key("status").string(c.status ? "True" : "False");
    w.key("reason").string(c.reason);
    w.key("message").string(c.message);
    w.end_object();
  }
  w.end_array();
  w.key("containers").begin_array();
  for (const ContainerDetails& c : r.containers) write(w, c);
  w.end_array();
  w.key("messages").begin_array();
  for (const PodMessage& m : r.messages) {
    w.begin_object();
    w.key("time").seconds(m.time);
    w.key("type").string(m.type);
    w.key("reason").string(m.reason);
    w.key("object").string(m.object);
    w.key("message").string(m.message);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write(Writer& w, const ProtonDetails& d) {
  w.begin_object();
  w.key("id").string(d.id);
  w.key("role").string(to_string(d.role));
  w.key("status").string(to_string(d.status));
  w.key("artifactId").string(d.artifact_id);
  w.key("replicas").begin_array();
  for (const ReplicaDetails& r : d.replicas) write(w, r);
  w.end_array();
  w.end_object();
}

template <class T>
std::string text_of(const T& value) {
  Writer w;
  write(w, value);
  return w.take();
}

}  // namespace

std::string to_text(const Body& body) {
  return std::visit([](const auto& b) { return text_of(b); }, body);
}

std::string to_text(const ProtonDetails& details) { return text_of(details); }

// Read back from the text, so that the tree and the text cannot disagree; the tree is made only
// for a status snapshot, never per call.
Json to_json(const ProtonDetails& details) { return Json::parse(to_text(details)); }

Json to_json(const Body& body) { return Json::parse(to_text(body)); }

Response response(const Answer& answer) { return {answer.status, to_text(answer.body)}; }

}  // namespace wlsim::models::api

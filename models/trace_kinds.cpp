#include "wlsim/models/trace_kinds.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "wlsim/models/container.hpp"
#include "wlsim/models/proton.hpp"
#include "wlsim/models/replacement.hpp"
#include "wlsim/models/replica.hpp"
#include "wlsim/models/status.hpp"

namespace wlsim::models {

using engine::TraceCode;

std::string_view to_string(TraceKind k) noexcept {
  switch (k) {
    case TraceKind::Workload:
      return "workload";
    case TraceKind::Proton:
      return "proton";
    case TraceKind::Role:
      return "role";
    case TraceKind::Replacement:
      return "replacement";
    case TraceKind::Replica:
      return "replica";
    case TraceKind::Phase:
      return "phase";
    case TraceKind::Pod:
      return "pod";
    case TraceKind::Container:
      return "container";
    case TraceKind::Ready:
      return "ready";
    case TraceKind::Event:
      return "event";
    case TraceKind::Fault:
      return "fault";
    case TraceKind::Api:
      return "api";
    case TraceKind::Replicas:
      return "replicas";
  }
  return {};
}

std::string_view to_string(Reason r) noexcept {
  switch (r) {
    case Reason::None:
      return {};
    case Reason::ContainerCreating:
      return "ContainerCreating";
    case Reason::ErrImagePull:
      return "ErrImagePull";
    case Reason::ImagePullBackOff:
      return "ImagePullBackOff";
    case Reason::CrashLoopBackOff:
      return "CrashLoopBackOff";
    case Reason::Error:
      return "Error";
    case Reason::OOMKilled:
      return "OOMKilled";
    case Reason::Completed:
      return "Completed";
    case Reason::Unschedulable:
      return "Unschedulable";
    case Reason::Scheduled:
      return "Scheduled";
    case Reason::FailedScheduling:
      return "FailedScheduling";
    case Reason::Pulling:
      return "Pulling";
    case Reason::Pulled:
      return "Pulled";
    case Reason::Failed:
      return "Failed";
    case Reason::BackOff:
      return "BackOff";
    case Reason::Killing:
      return "Killing";
    case Reason::Unhealthy:
      return "Unhealthy";
    case Reason::RegistryOutage:
      return "RegistryOutage";
    case Reason::RegistryRecovered:
      return "RegistryRecovered";
    case Reason::SuccessfulRescale:
      return "SuccessfulRescale";
    case Reason::ColdStart:
      return "ColdStart";
    case Reason::Preempted:
      return "Preempted";
    case Reason::Nominated:
      return "Nominated";
    case Reason::NodeNotReady:
      return "NodeNotReady";
    case Reason::TaintManagerEviction:
      return "TaintManagerEviction";
    case Reason::ScaleDown:
      return "ScaleDown";
  }
  return {};
}

std::string_view to_string(EventType t) noexcept {
  return t == EventType::Warning ? "Warning" : "Normal";
}

namespace {

constexpr TraceCode kLastKind = static_cast<TraceCode>(TraceKind::Replicas);
constexpr TraceCode kLastReason = static_cast<TraceCode>(Reason::ScaleDown);
constexpr TraceCode kFirstHttp = 100;
constexpr TraceCode kLastHttp = 599;

/// "100" to "599": the names of HTTP statuses, built at compile time.
constexpr auto kHttpNames = [] {
  std::array<std::array<char, 3>, kLastHttp - kFirstHttp + 1> names{};
  for (TraceCode c = kFirstHttp; c <= kLastHttp; ++c) {
    names[c - kFirstHttp] = {static_cast<char>('0' + c / 100), static_cast<char>('0' + c / 10 % 10),
                             static_cast<char>('0' + c % 10)};
  }
  return names;
}();

/// The name of `code` among an enum's values [first, last], named by `name`; "" outside.
template <class E>
std::string_view enum_name(TraceCode code, E first, E last) noexcept {
  if (code < static_cast<TraceCode>(first) || code > static_cast<TraceCode>(last)) return {};
  return to_string(static_cast<E>(code));
}

std::string_view two_names(TraceCode code, std::string_view zero, std::string_view one) noexcept {
  return code == 0 ? zero : code == 1 ? one : std::string_view{};
}

class Vocabulary final : public engine::TraceVocabulary {
 public:
  [[nodiscard]] std::string_view kind(TraceCode kind) const noexcept override {
    return kind <= kLastKind ? to_string(static_cast<TraceKind>(kind)) : std::string_view{};
  }
  [[nodiscard]] std::string_view state(TraceCode kind, TraceCode state) const noexcept override {
    return kind <= kLastKind
               ? state_name(static_cast<TraceKind>(kind), TraceState::from_code(state))
               : std::string_view{};
  }
  [[nodiscard]] std::string_view reason(TraceCode reason) const noexcept override {
    return reason <= kLastReason ? to_string(static_cast<Reason>(reason)) : std::string_view{};
  }
};

}  // namespace

const engine::TraceVocabulary& trace_vocabulary() noexcept {
  static const Vocabulary vocabulary;
  return vocabulary;
}

std::string_view state_name(TraceKind kind, TraceState state) noexcept {
  if (state.is_start()) return {};
  const TraceCode c = state.code();
  switch (kind) {
    case TraceKind::Workload:
    case TraceKind::Proton:
    case TraceKind::Replica:
      return enum_name(c, Status::Submitted, Status::Terminated);
    case TraceKind::Role:
      return enum_name(c, ProtonRole::Active, ProtonRole::Retiring);
    case TraceKind::Replacement:
      return enum_name(c, ReplacementStatus::Submitted, ReplacementStatus::Errored);
    case TraceKind::Phase:
      return enum_name(c, PodPhase::Pending, PodPhase::Failed);
    case TraceKind::Pod:
      return two_names(c, "PodScheduled=False", "PodScheduled=True");
    case TraceKind::Container:
      return state_text(static_cast<ContainerStateCode>(c));
    case TraceKind::Ready:
      return two_names(c, "false", "true");
    case TraceKind::Event:
      return two_names(c, "Normal", "Warning");
    case TraceKind::Fault:
      return two_names(c, "available", "outage");
    case TraceKind::Replicas:
      return c == 0 ? "fixed" : c == 1 ? "stable" : c == 2 ? "panic" : std::string_view{};
    case TraceKind::Api:
      if (c < kFirstHttp || c > kLastHttp) return {};
      return {kHttpNames[c - kFirstHttp].data(), 3};
  }
  return {};
}

std::optional<TraceKind> parse_kind(std::string_view name) noexcept {
  for (TraceCode c = 0; c <= kLastKind; ++c) {
    if (to_string(static_cast<TraceKind>(c)) == name) return static_cast<TraceKind>(c);
  }
  return std::nullopt;
}

std::optional<Reason> parse_reason(std::string_view name) noexcept {
  for (TraceCode c = 0; c <= kLastReason; ++c) {
    if (to_string(static_cast<Reason>(c)) == name) return static_cast<Reason>(c);
  }
  return std::nullopt;
}

std::optional<TraceState> parse_state(TraceKind kind, std::string_view name) noexcept {
  if (name.empty()) return TraceState{};
  // Every state code lies below 1024 (a container's is its state·256 + its reason).
  for (TraceCode c = 0; c < 1024; ++c) {
    if (state_name(kind, TraceState::from_code(c)) == name) return TraceState::from_code(c);
  }
  return std::nullopt;
}

engine::TraceRecord trace_record(engine::Time time, std::string object, std::string_view kind,
                                 std::string_view from, std::string_view to,
                                 std::string_view reason, std::string message) {
  const auto fail = [](std::string_view what, std::string_view name) {
    throw std::invalid_argument("not a trace " + std::string(what) + ": '" + std::string(name) +
                                "'");
  };
  const std::optional<TraceKind> k = parse_kind(kind);
  if (!k) fail("kind", kind);
  const std::optional<Reason> why = parse_reason(reason);
  if (!why) fail("reason", reason);
  engine::TraceRecord r;
  r.time = time;
  r.object = std::move(object);
  r.kind = static_cast<TraceCode>(*k);
  r.reason = static_cast<TraceCode>(*why);
  r.message = std::move(message);
  r.vocabulary = &trace_vocabulary();
  if (*k == TraceKind::Api && !from.empty()) {
    r.from = engine::TraceRecord::kTextState;
    r.text = std::string(from);
  } else {
    const std::optional<TraceState> f = parse_state(*k, from);
    if (!f) fail(std::string(kind) + " state", from);
    r.from = f->code();
  }
  const std::optional<TraceState> t = parse_state(*k, to);
  if (!t) fail(std::string(kind) + " state", to);
  r.to = t->code();
  return r;
}

}  // namespace wlsim::models

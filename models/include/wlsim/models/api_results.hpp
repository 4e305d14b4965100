#pragma once
// The Workload API's answers as typed values, taken from the run state at the time of the call;
// models/api_json.cpp is the one place that writes them as the platform's JSON bodies.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "wlsim/engine/time.hpp"
#include "wlsim/models/api.hpp"
#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/replacement_spec.hpp"
#include "wlsim/models/status.hpp"
#include "wlsim/models/status_details.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models::api {

/// The Replacement object.
struct ReplacementView {
  std::string id;
  ReplacementRequest request;
  ReplacementStatus status = ReplacementStatus::Unknown;
  std::string outcome;  ///< "" while active
  std::string message;
  std::string candidate_proton_id;
  engine::Time posted_at;
  engine::Time switched_at = engine::Time::never();
  engine::Time ended_at = engine::Time::never();
};

/// The Workload object.
struct WorkloadView {
  std::string id;
  std::string name;
  std::string artifact_id;
  Importance importance = Importance::Low;
  Status status = Status::Unknown;
  std::optional<std::string> active_proton_id;
  std::optional<ReplacementView> replacement;  ///< the one in progress
};

/// GET /workloads/{id}/history: every replacement, oldest first.
struct History {
  std::vector<ReplacementView> data;
};

/// One entry of GET /workloads/{id}/protons.
struct ProtonView {
  std::string id;
  std::string artifact_id;
  ProtonRole role = ProtonRole::Active;
  Status status = Status::Unknown;
};

struct ProtonList {
  std::vector<ProtonView> data;
};

/// One of GET /workloads/{id}/events: a recent trace record of the workload's objects.
struct EventView {
  engine::Time time;
  std::string object;
  std::string kind;
  std::string from;
  std::string to;
  std::string message;
};

struct EventList {
  std::vector<EventView> data;
};

using Body = std::variant<Error, ArtifactSpec, WorkloadView, ReplacementView, History, ProtonList,
                          EventList, ProtonDetails>;

/// The platform's answer to one call: the HTTP status and the body it describes.
struct Answer {
  int status = 200;
  Body body;
};

/// A refusal as an answer: its status, and {"message"} as the body.
[[nodiscard]] inline Answer refused(Error e) {
  const int status = e.status;
  return {status, std::move(e)};
}

}  // namespace wlsim::models::api

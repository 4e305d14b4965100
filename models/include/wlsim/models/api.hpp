#pragma once
// The Workload API calls a scenario (or a notebook) can make at a simulated time, already parsed
// and type-checked; the platform answers each as the real service would (HTTP status and a JSON
// body). Plain values only: a loaded scenario holds these calls, and includes no runtime header
// through them.

#include <optional>
#include <string>
#include <variant>

#include "wlsim/models/artifact_spec.hpp"
#include "wlsim/models/replacement_spec.hpp"
#include "wlsim/models/workload_spec.hpp"

namespace wlsim::models::api {

/// POST /artifacts
struct CreateArtifact {
  ArtifactSpec artifact;
};
/// PATCH /artifacts/{id} {"status": ...}: locking is one-way.
struct PatchArtifact {
  std::string id;
  ArtifactStatus status;
};
/// POST /artifacts/{id}/clone {"id": newId}: a draft copy of a locked artifact.
struct CloneArtifact {
  std::string id;
  std::string new_id;
};
/// POST /workloads, with `artifactId` or an inline `artifact`.
struct CreateWorkload {
  WorkloadSpec workload;
  std::optional<ArtifactSpec> artifact;
};
/// PATCH /workloads/{id}: importance and name, in place.
struct PatchWorkload {
  std::string id;
  std::optional<Importance> importance;
  std::optional<std::string> name;
};
/// POST /workloads/{id}/replacement (StartReplacementRequest), or PATCH /workloads/{id}/settings
/// (request.from_settings, runtime only, same artifact).
struct StartReplacement {
  std::string id;
  ReplacementRequest request;
};
/// Calls that name only a workload.
struct WorkloadCall {
  enum class Verb {
    Get,                // GET /workloads/{id}
    Start,              // POST /workloads/{id}/start
    Stop,               // POST /workloads/{id}/stop
    Delete,             // DELETE /workloads/{id}
    Promote,            // POST /workloads/{id}/promote
    GetReplacement,     // GET /workloads/{id}/replacement
    CancelReplacement,  // DELETE /workloads/{id}/replacement
    History,            // GET /workloads/{id}/history
    Protons,            // GET /workloads/{id}/protons
    Events,             // GET /workloads/{id}/events
  };
  Verb verb;
  std::string id;
};
/// GET /workloads/{id}/protons/{protonId}/statusDetails
struct StatusDetails {
  std::string id;
  std::string proton;
};

using Request = std::variant<CreateArtifact, PatchArtifact, CloneArtifact, CreateWorkload,
                             PatchWorkload, StartReplacement, WorkloadCall, StatusDetails>;

/// One call: the endpoint as written ("POST /workloads/wl-1/replacement") and what it asks.
struct Call {
  std::string endpoint;
  Request request;
};

/// A refused call: the HTTP status and the message of its {"message"} body.
struct Error {
  int status = 400;
  std::string message;
};

/// The platform's answer as the caller sees it: the typed answer (api_results.hpp) as JSON text.
struct Response {
  int status = 200;
  std::string body;  ///< JSON
};

}  // namespace wlsim::models::api

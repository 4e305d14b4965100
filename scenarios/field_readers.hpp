#pragma once
// The readers of the scenario schema that a scenario's actions and a notebook's calls share: an
// artifact, a workload, a runtime, a replacement's config. Defined in loader.cpp; the REST routing
// (api_routes.cpp) reads call bodies with them. Private to scenarios/.

#include <optional>

#include "wlsim/models/api.hpp"
#include "yaml_reader.hpp"

namespace wlsim::scenarios::detail {

[[nodiscard]] models::ArtifactStatus artifact_status(const Value& v);
[[nodiscard]] models::Importance read_importance(const Value& v);
[[nodiscard]] models::ArtifactSpec read_artifact(const Value& v, models::Profile profile);
/// `artifact` checks the containers the runtime names, when it is known.
[[nodiscard]] models::RuntimeSpec read_runtime(const Value& v,
                                               const models::ArtifactSpec* artifact);
/// The fields of a workload (Object already open; the caller finishes it). `artifact` checks
/// runtime container names when known; an inline artifact also makes `artifactId` optional.
[[nodiscard]] models::WorkloadSpec read_workload(Object& w, const models::ArtifactSpec* artifact,
                                                 bool artifact_inline = false);
[[nodiscard]] models::ReplacementConfig read_replacement_config(const Value& v);

/// One REST call: "METHOD /path" and its body (absent for calls that take none). In api_routes.cpp.
[[nodiscard]] models::api::Call read_call(const Value& request_v, const std::optional<Value>& body,
                                          models::Profile profile);

}  // namespace wlsim::scenarios::detail

#pragma once
// The one place that writes the Workload API's typed answers (api_results.hpp) as the platform's
// JSON: the response bodies, and the status details the CLI's status snapshot embeds.

#include <string>

#include "wlsim/engine/json.hpp"
#include "wlsim/models/api_results.hpp"

namespace wlsim::models::api {

/// The body as the platform's JSON text (what engine::to_text writes of to_json's tree).
[[nodiscard]] std::string to_text(const Body& body);
[[nodiscard]] std::string to_text(const ProtonDetails& details);

[[nodiscard]] engine::Json to_json(const Body& body);
[[nodiscard]] engine::Json to_json(const ProtonDetails& details);

/// The answer as the caller sees it: the status and the body as JSON text.
[[nodiscard]] Response response(const Answer& answer);

}  // namespace wlsim::models::api

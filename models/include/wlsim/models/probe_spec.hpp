#pragma once
// ProbeConfig of the platform API, with every default resolved (SEMANTICS.md §2).

#include <string>
#include <utility>
#include <vector>

#include "wlsim/engine/time.hpp"

namespace wlsim::models {

enum class Scheme { Http, Https };
enum class ProbeKind { Readiness, Liveness, Startup };
/// Which defaults fill a ProbeConfig's unset fields: the platform's (30/30/30/3) or Kubernetes'
/// (0/10/1/3).
enum class Profile { Platform, Kubernetes };

struct ProbeSpec {
  std::string path;
  int port = 8080;
  Scheme scheme = Scheme::Http;
  std::string host;
  std::vector<std::pair<std::string, std::string>> http_headers;
  engine::Time initial_delay;
  engine::Time period;
  engine::Time timeout;
  int failure_threshold = 3;
  int success_threshold = 1;
  friend bool operator==(const ProbeSpec&, const ProbeSpec&) = default;
};

/// The unset-field defaults of a profile, for a probe with the given path.
[[nodiscard]] ProbeSpec default_probe(Profile profile, std::string path);

[[nodiscard]] const char* to_string(ProbeKind k) noexcept;
[[nodiscard]] const char* to_string(Scheme s) noexcept;

}  // namespace wlsim::models

#pragma once
// A container of an artifact, and the `behavior` block that says how the simulated application acts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/models/probe_spec.hpp"
#include "wlsim/models/resources.hpp"

namespace wlsim::models {

/// How the simulated application behaves. Every unset delay is zero, so exact times can be asserted.
struct BehaviorSpec {
  std::int64_t image_size_bytes = 0;
  engine::Distribution startup;        ///< µs from container start until the app serves
  std::vector<std::string> serves;     ///< paths answered 200; empty with serves_all = every path
  bool serves_all = true;              ///< `serves` absent: the app answers every path
  std::optional<int> listen_port;      ///< port the app listens on; unset = the container's port
  bool tls = false;                    ///< the app terminates TLS (an HTTP probe fails, HTTPS passes)
  std::int64_t memory_bytes = 0;       ///< steady memory use
};

/// When a container pulls its image (Kubernetes' imagePullPolicy).
enum class PullPolicy { Always, IfNotPresent, Never };

struct ContainerSpec {
  std::string name;
  bool primary = false;
  std::string image_uri;
  PullPolicy pull_policy = PullPolicy::IfNotPresent;
  int port = 8080;
  std::optional<ProbeSpec> readiness;
  std::optional<ProbeSpec> liveness;
  std::optional<ProbeSpec> startup;
  Resources resources;
  BehaviorSpec behavior;
};

/// Kubernetes' default policy: Always for ":latest" or an untagged image, else IfNotPresent.
[[nodiscard]] PullPolicy default_pull_policy(const std::string& image_uri);

}  // namespace wlsim::models

#pragma once
// A container of an artifact, and the `behavior` block that says how the simulated application
// acts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/models/probe_spec.hpp"
#include "wlsim/models/resources.hpp"

namespace wlsim::models {

/// Why pulling an image fails, whatever the registry's state (a bad imageUri, missing credentials).
enum class ImageError { None, NotFound, Unauthorized };

/// The process exits on its own after `after` (drawn at every start) with `code`.
struct ExitSpec {
  engine::Distribution after;
  int code = 1;
  friend bool operator==(const ExitSpec&, const ExitSpec&) = default;
};

/// How the simulated application behaves. Every unset delay is zero, so exact times can be
/// asserted. Times are measured from each (re)start of the container and drawn again at each start.
struct BehaviorSpec {
  std::int64_t image_size_bytes = 0;
  engine::Distribution startup;     ///< µs from container start until the app serves
  std::vector<std::string> serves;  ///< paths answered 200; empty with serves_all = every path
  bool serves_all = true;           ///< `serves` absent: the app answers every path
  std::optional<int> listen_port;   ///< port the app listens on; unset = the container's port
  bool tls = false;                 ///< the app terminates TLS (an HTTP probe fails, HTTPS passes)
  engine::Distribution
      probe_latency;             ///< µs a probe's answer takes (slower than timeout = failure)
  engine::Time ready_after;      ///< readiness answers 503 until this long after the app is up
  std::optional<ExitSpec> exit;  ///< exits on its own after a run time
  double crash_on_start = 0;     ///< odds that a start crashes (exit 1) when start-up completes
  std::optional<engine::Distribution> hang_after;  ///< µs after start when the process wedges
  /// µs from SIGTERM until the process exits (143); unset: it ignores SIGTERM and is SIGKILLed
  /// (137) at the end of the termination grace period, as is a shutdown longer than the period.
  std::optional<engine::Distribution> shutdown;
  std::int64_t memory_bytes = 0;  ///< memory in use once started
  std::int64_t memory_growth_bytes_per_s =
      0;  ///< a leak: OOM-killed when use passes the allocation
  ImageError image_error = ImageError::None;
  int concurrency = 1;  ///< requests served at once; the rest wait in the replica's FIFO queue
  /// Cores one request uses while served; unset: the container's cpu allocation / concurrency.
  std::optional<double> cpu_per_request;
  friend bool operator==(const BehaviorSpec&, const BehaviorSpec&) = default;
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
  bool resources_set = false;  ///< it has a resourceAllocation (else a bundle may give it one)
  BehaviorSpec behavior;
  /// Field by field: what lets protons share one copy (ContainerSpecPool).
  friend bool operator==(const ContainerSpec&, const ContainerSpec&) = default;
};

/// Kubernetes' default policy: Always for ":latest" or an untagged image, else IfNotPresent.
[[nodiscard]] PullPolicy default_pull_policy(const std::string& image_uri);

}  // namespace wlsim::models

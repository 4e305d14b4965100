#pragma once
// The M/M/c queue (Erlang C) that fluid mode and the analytic cross-checks rest on.

namespace wlsim::models {

struct MmcMetrics {
  double utilization = 0;     ///< rho = lambda x S / c
  double p_wait = 0;          ///< Erlang C: the odds an arrival waits
  double mean_wait_s = 0;     ///< Wq
  double mean_queue = 0;      ///< Lq = lambda x Wq
  double mean_in_system = 0;  ///< L = lambda x (Wq + S), Little's law
};

/// Erlang C for `servers` servers and offered load `offered` = lambda x S (erlangs); 1 when the
/// load is at or above the servers. Numerically stable up to a million servers (the Erlang B
/// recurrence: no factorial, no power). Throws std::invalid_argument when `servers` < 1 or
/// `offered` is negative or not finite.
[[nodiscard]] double erlang_c(int servers, double offered);
/// The stationary M/M/c metrics. Throws std::invalid_argument unless the rate is finite and
/// >= 0, the service time finite and > 0, servers >= 1 and the utilization below 1.
[[nodiscard]] MmcMetrics mmc(double arrival_rate, double mean_service_s, int servers);

}  // namespace wlsim::models

#include "wlsim/models/erlang.hpp"

#include <cmath>
#include <stdexcept>

namespace wlsim::models {

double erlang_c(int servers, double offered) {
  if (servers < 1) throw std::invalid_argument("erlang_c: servers must be at least 1");
  if (!std::isfinite(offered) || offered < 0) {
    throw std::invalid_argument("erlang_c: offered load must be finite and >= 0");
  }
  const double c = servers;
  if (offered >= c) return 1.0;
  // Erlang B by its recurrence: every term stays in [0, 1], so no factorial or power can
  // overflow, whatever the number of servers. Once B underflows to 0 it stays 0 (and so does C).
  double b = 1.0;
  for (int k = 1; k <= servers && b > 0; ++k) b = offered * b / (k + offered * b);
  const double rho = offered / c;
  return b / (1.0 - rho * (1.0 - b));
}

MmcMetrics mmc(double arrival_rate, double mean_service_s, int servers) {
  if (!std::isfinite(arrival_rate) || arrival_rate < 0) {
    throw std::invalid_argument("mmc: arrival rate must be finite and >= 0");
  }
  if (!std::isfinite(mean_service_s) || mean_service_s <= 0) {
    throw std::invalid_argument("mmc: mean service time must be finite and > 0");
  }
  if (servers < 1) throw std::invalid_argument("mmc: servers must be at least 1");
  const double offered = arrival_rate * mean_service_s;
  const double c = servers;
  MmcMetrics m;
  m.utilization = offered / c;
  if (!(m.utilization < 1)) throw std::invalid_argument("mmc: utilization must be below 1");
  m.p_wait = erlang_c(servers, offered);
  // The wait of a delayed arrival is exponential at the spare service rate c/S - lambda.
  m.mean_wait_s = m.p_wait * mean_service_s / (c - offered);
  m.mean_queue = arrival_rate * m.mean_wait_s;
  m.mean_in_system = arrival_rate * (m.mean_wait_s + mean_service_s);
  return m;
}

}  // namespace wlsim::models

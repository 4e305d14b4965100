#pragma once
// Traffic in request mode (SEMANTICS.md §8): every request simulated. Arrivals follow the rate
// curve; the router sends each to the ready replica of the holding proton with the fewest requests
// in it (ties: the lowest replica index); a replica serves `concurrency` at once and queues the
// rest (FIFO); with no ready replica requests wait at the activator. A request that has waited the
// request timeout without being served is dropped, and so is one that finds the activator full.
// A replica that stops being ready hands its requests back to the router.

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/arrival_process.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/platform_spec.hpp"
#include "wlsim/models/traffic.hpp"
#include "wlsim/models/traffic_spec.hpp"

namespace wlsim::models {

class RequestTraffic final : public Traffic, public engine::EventHandler {
 public:
  /// `spec` must outlive it; `listener` (may be null) is told about load and scale from zero.
  RequestTraffic(const Context& ctx, const TrafficSpec& spec, const ActivatorParams& activator,
                 const std::string& workload_id, LoadListener* listener);
  RequestTraffic(const RequestTraffic&) = delete;
  RequestTraffic& operator=(const RequestTraffic&) = delete;
  ~RequestTraffic() override;

  void hold(Proton& holder) override;
  void release() override;
  void on_replica_readiness(Proton& p, Replica& r, bool ready) override;
  [[nodiscard]] double in_flight_integral() override;
  [[nodiscard]] double busy_integral() override;
  [[nodiscard]] double in_flight() override { return static_cast<double>(in_flight_); }
  [[nodiscard]] const TrafficTotals& totals() override { return totals_; }
  [[nodiscard]] const LatencyStats& latency() override { return latency_; }
  [[nodiscard]] const LatencyStats& cold_start_wait() const override { return cold_wait_; }

 private:
  struct Request {
    engine::Time arrived;
    engine::Time service;
    bool cold = false;  ///< waited at the activator for a scale from zero
  };
  struct Slot {
    bool busy = false;
    Request request;
    engine::TimerId done;
  };
  /// One replica's requests: those in service (slots) and its FIFO queue.
  struct Server final : engine::EventHandler {
    Server(RequestTraffic& t, const Proton& p, int replica_index, int concurrency);
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    ~Server();
    void on_event(std::uint64_t token) override { traffic.on_server_event(*this, token); }
    [[nodiscard]] int load() const noexcept { return busy + static_cast<int>(queue.size()); }

    RequestTraffic& traffic;
    const Proton* proton;
    int index;
    std::vector<Slot> slots;
    /// The indices of the free slots as a min-heap: a request takes the lowest, as a scan from
    /// the first slot would, in O(log concurrency) rather than O(concurrency) (up to 10000).
    std::vector<std::size_t> free_slots;
    int busy = 0;
    std::deque<Request> queue;
    engine::TimerId timeout;  ///< at the queue head's deadline
    bool routable = false;    ///< in the router's set: ready, of the holding proton
    bool retired = false;     ///< its replica is deleted: it only finishes what it serves
  };
  /// The router's order: fewest requests, then the lowest replica index.
  struct ByLoad {
    bool operator()(const Server* a, const Server* b) const noexcept {
      return std::pair(a->load(), a->index) < std::pair(b->load(), b->index);
    }
  };
  using ServerKey = std::pair<std::string, int>;  ///< (proton id, replica index)

  static constexpr std::uint64_t kArrival = 0;
  static constexpr std::uint64_t kActivatorTimeout = 1;
  void on_event(std::uint64_t token) override;
  void on_server_event(Server& s, std::uint64_t token);

  void arrive();
  void route(Request r);
  void to_activator(Request r);
  void assign(Server& s, Request r);
  void start_service(Server& s, Request r);
  void drain_activator();
  /// Drops the queue heads whose wait reached the timeout and re-arms the head's timer.
  void expire(std::deque<Request>& queue, engine::TimerId& timer, engine::EventHandler& handler,
              std::uint64_t token);
  void arm(const std::deque<Request>& queue, engine::TimerId& timer, engine::EventHandler& handler,
           std::uint64_t token);
  /// Takes every request out of `s` (cancelling its timers), oldest first.
  std::vector<Request> empty_server(Server& s);
  void set_routable(Server& s, bool routable);
  template <class F>
  void reweigh(Server& s, F&& change);
  void done(double& counter);  ///< one request in flight leaves, counted in `counter`
  void account();
  Server& server(const Proton& p, const Replica& r);
  /// A retired server that has finished its last request is forgotten. It may be the handler of the
  /// event under way: nothing may touch it after this call.
  void forget_if_drained(Server& s);

  const Context& ctx_;
  const TrafficSpec& spec_;
  ActivatorParams activator_params_;
  LoadListener* listener_;
  ArrivalProcess arrivals_;
  engine::RandomStream service_stream_;
  engine::TimerId arrival_timer_;
  engine::Time next_arrival_ = engine::Time::never();
  bool begun_ = false;
  bool released_ = false;
  Proton* holder_ = nullptr;
  bool cold_start_ = false;  ///< a scale from zero is under way

  std::map<ServerKey, Server> servers_;
  std::set<Server*, ByLoad> routable_;
  std::deque<Request> activator_;
  engine::TimerId activator_timer_;

  std::int64_t in_flight_ = 0;
  std::int64_t busy_ = 0;
  double in_flight_integral_ = 0;
  double busy_integral_ = 0;
  engine::Time accounted_until_;
  TrafficTotals totals_;
  LatencyStats latency_;
  LatencyStats cold_wait_;
};

}  // namespace wlsim::models

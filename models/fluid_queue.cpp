#include "wlsim/models/fluid_queue.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>

#include "wlsim/models/erlang.hpp"

namespace wlsim::models {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A utilisation this close to 1 is not stationary: Erlang's queue would be absurdly long (and
// would take as long to build up); the fluid limit (no queue) or the backlog take over.
constexpr double kCritical = 1e-6;
constexpr double kMinRate = 1e-12;  // a trillionth of a request per second is none
constexpr double kMaxRate = 1e12;
constexpr double kMinService = 1e-9;
constexpr double kMaxService = 1e9;
// Times are doubles of seconds since the start. A head within this of the timeout has reached
// it: a tenth of the clock's microsecond, well above the rounding of a double over a year.
constexpr double kTimeSlack = 1e-7;
constexpr double kCountSlack = 1e-9;  // relative: a backlog this close to its capacity is full
// A run of events that long means a bug, not a load: fail loudly rather than hang.
constexpr long kMaxStepsPerCall = 10'000'000;
// The upper ends of the latency strata: narrow around p50, p90 and p99 so that their nearest
// rank lands on a stratum whose mean is close to the true quantile.
constexpr std::array<double, 16> kStrata = {0.2,  0.4,   0.49,  0.51,   0.7,    0.85,  0.89,  0.91,
                                            0.95, 0.975, 0.985, 0.9895, 0.9905, 0.995, 0.999, 1.0};

double service_rate(int servers, double service_s) { return servers / service_s; }

// Latency distributions by their survival function P(X > t): at(), eval() (at and its density),
// the integral of at() from t to infinity, and a scale for the search of a quantile.

// A sum of (a + b t) e^(-k t): the exponential service, and the M/M/c sojourn (Erlang C's
// exponential wait + the service).
struct Term {
  double a;
  double b;
  double k;
};

class MixedExponential {
 public:
  explicit MixedExponential(Term only) : terms_{only}, end_(1) {}
  MixedExponential(Term first, Term second) : terms_{first, second}, end_(2) {}

  [[nodiscard]] double at(double t) const {
    double s = 0;
    for (const Term& x : terms()) s += (x.a + x.b * t) * std::exp(-x.k * t);
    return s;
  }
  [[nodiscard]] std::pair<double, double> eval(double t) const {  // (at, density)
    double s = 0;
    double f = 0;
    for (const Term& x : terms()) {
      const double e = std::exp(-x.k * t);
      s += (x.a + x.b * t) * e;
      f += (x.k * (x.a + x.b * t) - x.b) * e;
    }
    return {s, f};
  }
  [[nodiscard]] double tail_integral(double t) const {
    double i = 0;
    for (const Term& x : terms()) {
      i += ((x.a + x.b * t) / x.k + x.b / (x.k * x.k)) * std::exp(-x.k * t);
    }
    return i;
  }
  [[nodiscard]] double scale() const {
    double slowest = kInf;
    for (const Term& x : terms()) slowest = std::min(slowest, x.k);
    return 1 / slowest;
  }

 private:
  [[nodiscard]] std::span<const Term> terms() const noexcept { return {terms_.data(), end_}; }
  std::array<Term, 2> terms_;  // in place: a set() allocates nothing
  std::size_t end_;
};

// A wait uniform on [0, w] (w > 0) plus an exponential service of rate m: the requests a backlog
// serves during one step, whose wait (the head's age) moves linearly.
class UniformPlusExponential {
 public:
  UniformPlusExponential(double w, double m) : w_(w), m_(m) {}

  [[nodiscard]] double at(double t) const {
    if (t <= 0) return 1;
    if (t < w_) return (w_ - t) / w_ - std::expm1(-m_ * t) / (m_ * w_);
    return std::exp(-m_ * (t - w_)) * -std::expm1(-m_ * w_) / (m_ * w_);
  }
  [[nodiscard]] double density(double t) const {
    if (t <= 0) return 0;
    if (t < w_) return -std::expm1(-m_ * t) / w_;
    return std::exp(-m_ * (t - w_)) * -std::expm1(-m_ * w_) / w_;
  }
  [[nodiscard]] std::pair<double, double> eval(double t) const { return {at(t), density(t)}; }
  [[nodiscard]] double tail_integral(double t) const {
    if (t <= 0) return w_ / 2 + 1 / m_ - t;
    if (t < w_) {
      const double rest = w_ - t;
      return rest * rest / (2 * w_) + rest / (m_ * w_) - std::expm1(-m_ * t) / (m_ * m_ * w_);
    }
    return std::exp(-m_ * (t - w_)) * -std::expm1(-m_ * w_) / (m_ * m_ * w_);
  }
  [[nodiscard]] double scale() const { return w_ + 1 / m_; }

 private:
  double w_;
  double m_;
};

/// The t with at(t) = 1 - u, searched beyond `lo` (at(lo) = s_lo >= 1 - u): Newton on log at(),
/// which an exponential tail makes linear (one step from the first guess, exact for a single
/// exponential), kept inside a bracket, bisection when it leaves it.
template <class Survival>
double quantile_of(const Survival& s, double u, double lo, double s_lo) {
  const double target = 1 - u;
  const double log_target = std::log(target);
  double hi = kInf;
  double t = lo + s.scale() * std::log(s_lo / target);
  for (int i = 0; i < 200; ++i) {
    const auto [at, f] = s.eval(t);
    if (std::abs(at - target) <= 1e-12 * target) break;
    (at > target ? lo : hi) = t;
    if (std::isfinite(hi) && hi - lo <= 1e-13 * hi) break;
    double next = f > 0 && at > 0 ? t + (std::log(at) - log_target) * at / f : kInf;
    if (!(next > lo && next < hi)) {
      next = std::isfinite(hi) ? 0.5 * (lo + hi) : 2 * t - lo + s.scale();
    }
    t = next;
  }
  return t;
}

/// (conditional mean, probability) of each stratum. The conditional means telescope: their
/// weighted sum is the distribution's mean exactly.
template <class Strata, class Survival>
Strata strata_of(const Survival& s) {
  static_assert(std::tuple_size_v<decltype(Strata::values)> == kStrata.size());
  Strata out;
  const auto emplace_back = [&out](double value, double probability) {
    out.values[out.size++] = {value, probability};
  };
  double u_lo = 0;
  double t_lo = 0;
  double s_lo = s.at(0);
  double i_lo = s.tail_integral(0);
  for (const double u_hi : kStrata) {
    const double p = u_hi - u_lo;
    if (u_hi >= 1) {
      // int_{t_lo}^inf t f(t) dt = t_lo S(t_lo) + int_{t_lo}^inf S
      emplace_back(std::max(t_lo, (t_lo * s_lo + i_lo) / p), p);
      break;
    }
    const double t_hi = quantile_of(s, u_hi, t_lo, s_lo);
    const double s_hi = s.at(t_hi);
    const double i_hi = s.tail_integral(t_hi);
    const double mass = t_lo * s_lo - t_hi * s_hi + (i_lo - i_hi);
    emplace_back(std::clamp(mass / p, t_lo, t_hi), p);
    u_lo = u_hi;
    t_lo = t_hi;
    s_lo = s_hi;
    i_lo = i_hi;
  }
  return out;
}

MixedExponential service_survival(double service_s) {
  return MixedExponential(Term{1, 0, 1 / service_s});
}

/// The M/M/c sojourn: the service X ~ Exp(m), plus with probability C a wait W ~ Exp(theta),
/// theta = c m - lambda. P(X + W > t) = (theta e^(-m t) - m e^(-theta t)) / (theta - m), and
/// (1 + m t) e^(-m t) when theta = m.
MixedExponential sojourn_survival(double rate, int servers, double service_s, double c_wait) {
  const double m = 1 / service_s;
  const double theta = service_rate(servers, service_s) - rate;
  if (std::abs(theta - m) <= 1e-6 * m) return MixedExponential(Term{1, c_wait * m, m});
  return MixedExponential(Term{(1 - c_wait) + c_wait * theta / (theta - m), 0, m},
                          Term{-c_wait * m / (theta - m), 0, theta});
}

}  // namespace

/// One integration step in the backlog regime: the rates that hold until `dt`, the next event.
struct FluidQueue::Plan {
  enum class Event { none, head_end, head_times_out, full };
  double backlog = 0;
  double admitted = 0;   // arrivals joining the tail per second
  bool new_run = false;  // they start a new run at the tail
  bool has_head = false;
  double age = 0;           // of the head
  double speed = 0;         // the head moves this many seconds of arrival time per second
  double served_rate = 0;   // leaving the head into service
  double timeout_rate = 0;  // leaving the head as timeouts
  double dt = kInf;
  Event event = Event::none;
};

FluidQueue::FluidQueue(double activator_capacity, engine::Time request_timeout,
                       LatencyStats* latency, SojournMemo* memo)
    : latency_(latency),
      activator_capacity_(activator_capacity),
      timeout_(request_timeout),
      memo_(memo) {
  if (std::isnan(activator_capacity) || activator_capacity < 0) {
    throw std::invalid_argument("fluid queue: the activator capacity must be >= 0");
  }
  if (request_timeout < engine::Time::zero()) {
    throw std::invalid_argument("fluid queue: the request timeout must be >= 0");
  }
}

void FluidQueue::set(engine::Time now, double rate, int servers, double mean_service_s) {
  if (!std::isfinite(rate) || rate < 0 || rate > kMaxRate) {
    throw std::invalid_argument("fluid queue: the rate must be finite, >= 0 and <= 1e12/s");
  }
  if (servers < 0) throw std::invalid_argument("fluid queue: servers must be >= 0");
  if (!std::isfinite(mean_service_s) || mean_service_s < kMinService ||
      mean_service_s > kMaxService) {
    throw std::invalid_argument("fluid queue: the mean service time must be in [1ns, 1e9 s]");
  }
  advance(now);
  flush_latency();  // the strata may change below
  rate_ = rate < kMinRate ? 0 : rate;
  servers_ = servers;
  service_s_ = mean_service_s;
  emptied_ = false;
  stationary_ = servers_ > 0 && rate_ * service_s_ < servers_ * (1 - kCritical);
  if (stationary_) update_stationary();
}

const FluidQueue::Strata& FluidQueue::service_strata() {
  if (service_strata_ == nullptr || service_strata_s_ != service_s_) {
    flush_latency();  // the batch may hold the strata about to change
    service_strata_ = std::make_unique<Strata>(strata_of<Strata>(service_survival(service_s_)));
    service_strata_s_ = service_s_;
  }
  return *service_strata_;
}

void FluidQueue::update_stationary() {
  if (rate_ == stationary_rate_ && servers_ == stationary_servers_ &&
      service_s_ == stationary_service_s_) {
    return;
  }
  const MmcMetrics m = mmc(rate_, service_s_, servers_);
  stationary_in_flight_ = m.mean_in_system;
  stationary_p_wait_ = m.p_wait;
  sojourn_strata_.size = 0;
  stationary_rate_ = rate_;
  stationary_servers_ = servers_;
  stationary_service_s_ = service_s_;
}

FluidQueue::Strata FluidQueue::sojourn_strata() const {
  const SojournMemo::Load load{rate_, service_s_, stationary_p_wait_, servers_};
  if (memo_ != nullptr) {
    if (const Strata* kept = memo_->find(load)) return *kept;
  }
  const Strata made =
      strata_of<Strata>(sojourn_survival(rate_, servers_, service_s_, stationary_p_wait_));
  if (memo_ != nullptr) memo_->keep(load, made);
  return made;
}

void FluidQueue::Runs::push_back(const Run& r) {
  // The consumed runs before the head are dropped once they are half the vector: each run is
  // moved at most once on average, and a backlog that never empties does not grow for ever.
  if (head_ > 0 && 2 * head_ >= runs_.size()) {
    runs_.erase(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  runs_.push_back(r);
}

void FluidQueue::Runs::pop_front() noexcept {
  if (++head_ == runs_.size()) clear();
}

void FluidQueue::Runs::clear() noexcept {
  runs_.clear();
  head_ = 0;
}

void FluidQueue::advance(engine::Time now) { advance_to(now, false); }

inline void FluidQueue::advance_to(engine::Time now, bool keeping_up) {
  if (now < now_) throw std::invalid_argument("fluid queue: time cannot go back");
  if (!keeping_up) {
    integrate_to(now.seconds());
  } else if (now.seconds() > now_.seconds()) {
    emptied_ = false;  // as integrate_to, whose one step this is
    stationary_step(now_.seconds(), now.seconds());
  }
  now_ = now;
}

bool FluidQueue::keeps_up() const noexcept {
  return backlog_.empty() && servers_ > 0 && rate_ <= service_rate(servers_, service_s_);
}

FluidQueue::Plan FluidQueue::plan(double t) const noexcept {
  Plan p;
  const double mu = servers_ > 0 ? service_rate(servers_, service_s_) : 0;
  const double timeout = timeout_.seconds();
  for (const Run& r : backlog_) p.backlog += r.density * (r.to_s - r.from_s);

  double head_from = 0;
  double head_to = 0;
  bool head_is_tail = false;  // the head run is the one the arrivals extend
  double removal = 0;         // requests leaving the head per second
  const auto take_head = [&](double from, double to, double density) {
    p.has_head = true;
    head_from = from;
    head_to = to;
    p.age = t - from;
    p.speed = mu / density;
    // The head cannot age beyond the timeout: what service leaves there times out.
    if (p.age >= timeout - kTimeSlack) p.speed = std::max(p.speed, 1.0);
    removal = p.speed * density;
  };
  if (!backlog_.empty()) {
    take_head(backlog_.front().from_s, backlog_.front().to_s, backlog_.front().density);
  }

  const double cap = servers_ == 0 ? activator_capacity_ : kInf;
  const bool full = std::isfinite(cap) && p.backlog >= cap - kCountSlack * std::max(1.0, cap);
  // A full activator admits only as many as leave it.
  p.admitted = full && rate_ >= removal ? removal : rate_;
  if (p.admitted > 0) {
    const bool extends =
        !backlog_.empty() && backlog_.back().to_s == t && backlog_.back().density == p.admitted;
    p.new_run = !extends;
    if (backlog_.empty()) take_head(t, t, p.admitted);
    head_is_tail = backlog_.empty() || (backlog_.size() == 1 && !p.new_run);
  }
  p.served_rate = std::min(mu, removal);
  p.timeout_rate = removal - p.served_rate;

  const auto consider = [&](double dt, Plan::Event e) {
    if (dt < p.dt) {
      p.dt = std::max(0.0, dt);
      p.event = e;
    }
  };
  if (p.has_head) {
    const double length = head_to - head_from;
    if (head_is_tail) {
      if (p.speed > 1) consider(length / (p.speed - 1), Plan::Event::head_end);
    } else if (p.speed > 0) {
      consider(length / p.speed, Plan::Event::head_end);
    }
    if (p.speed < 1 && p.age < timeout - kTimeSlack) {
      consider((timeout - p.age) / (1 - p.speed), Plan::Event::head_times_out);
    }
  }
  if (std::isfinite(cap) && !full && p.admitted > removal) {
    consider((cap - p.backlog) / (p.admitted - removal), Plan::Event::full);
  }
  return p;
}

void FluidQueue::stationary_step(double t, double t_end) {
  const double horizon = t_end - t;
  const double busy = rate_ * service_s_;
  const double arrived = rate_ * horizon;
  totals_.arrived += arrived;
  totals_.served += arrived;
  totals_.in_flight_integral =
      steady_step(totals_.in_flight_integral, steady_in_flight(), t, t_end);
  totals_.busy_integral += busy * horizon;
  if (arrived > 0 && latency_ != nullptr) {
    if (stationary_ && sojourn_strata_.size == 0) {
      flush_latency();
      // Made at the first step that serves under this load: a load that changes again at the
      // same instant (replicas ready together) never needs its own.
      sojourn_strata_ = sojourn_strata();
    }
    defer_latency(stationary_ ? sojourn_strata_ : service_strata(), arrived);
  }
}

void FluidQueue::advance_steady(std::span<const engine::Time> at, std::span<double> integral,
                                std::span<double> in_flight) {
  const std::size_t n = std::min({at.size(), integral.size(), in_flight.size()});
  // A stationary step changes nothing keeps_up() reads: asked once, it holds for every instant.
  const bool steady = keeps_up();
  for (std::size_t i = 0; i < n; ++i) {
    advance_to(at[i], steady);
    integral[i] = totals_.in_flight_integral;
    in_flight[i] = steady ? in_flight_when(true) : this->in_flight();
  }
}

void FluidQueue::integrate_to(double t_end) {
  double t = now_.seconds();
  if (!(t_end > t)) return;
  emptied_ = false;
  const double timeout = timeout_.seconds();
  for (long step = 0; t < t_end; ++step) {
    if (step >= kMaxStepsPerCall) throw std::logic_error("fluid queue: no progress");
    const double horizon = t_end - t;
    if (keeps_up()) {
      // Stationary (or its fluid limit) until t_end: nothing changes on its own.
      stationary_step(t, t_end);
      return;
    }
    const Plan p = plan(t);
    const bool at_event = p.dt < horizon;
    const double dt = at_event ? p.dt : horizon;
    const double t_new = at_event ? t + dt : t_end;

    if (p.new_run) backlog_.push_back({t, t, p.admitted});
    if (p.has_head) backlog_.front().from_s += p.speed * dt;
    if (p.admitted > 0) backlog_.back().to_s = t_new;
    if (at_event && p.event == Plan::Event::head_end) {
      backlog_.pop_front();
    } else if (at_event && p.event == Plan::Event::head_times_out) {
      backlog_.front().from_s = t_new - timeout;
    }
    while (!backlog_.empty() && backlog_.front().from_s >= backlog_.front().to_s) {
      backlog_.pop_front();  // consumed, up to rounding
    }

    const double removal = p.served_rate + p.timeout_rate;
    const double after = std::max(0.0, p.backlog + (p.admitted - removal) * dt);
    const double busy = servers_;  // a backlog keeps every server busy
    const double served = p.served_rate * dt;
    totals_.arrived += rate_ * dt;
    totals_.dropped_full += (rate_ - p.admitted) * dt;
    totals_.served += served;
    totals_.dropped_timeout += p.timeout_rate * dt;
    totals_.in_flight_integral += (busy + 0.5 * (p.backlog + after)) * dt;
    totals_.busy_integral += busy * dt;
    if (served > 0 && latency_ != nullptr) {
      // Served at a constant rate while the head's age moves linearly: the step's waits are
      // uniform between its ages at both ends.
      const double age_after = p.age + (1 - p.speed) * dt;
      const double shortest = std::max(0.0, std::min(p.age, age_after));
      const double spread = std::abs(age_after - p.age);
      if (spread > 1e-9 * service_s_) {
        const UniformPlusExponential waits(spread, 1 / service_s_);
        sample_latency(strata_of<Strata>(waits).view(), shortest, served);
      } else {
        sample_latency(service_strata().view(), shortest + 0.5 * spread, served);
      }
    }
    t = t_new;
  }
}

void FluidQueue::sample_latency(std::span<const Stratum> strata, double wait_s, double served) {
  if (latency_ == nullptr) return;
  flush_latency();
  latency_->add_strata(strata, wait_s, served);
}

void FluidQueue::defer_latency(const Strata& strata, double served) {
  if (latency_ == nullptr) return;
  if (pending_.count > 0 && pending_.strata != &strata) flush_latency();
  if (pending_.count > 0) {
    LatencyStats::Steps& last = pending_.runs[pending_.count - 1];
    if (last.scale == served && last.times < UINT32_MAX) {
      ++last.times;
      return;
    }
    if (pending_.count == pending_.runs.size()) flush_latency();
  }
  pending_.strata = &strata;
  pending_.runs[pending_.count++] = {served, 1};
}

void FluidQueue::flush_latency() {
  if (pending_.count == 0) return;
  latency_->add_strata(pending_.strata->view(), 0,
                       std::span<const LatencyStats::Steps>(pending_.runs.data(), pending_.count));
  pending_.count = 0;
}

engine::Time FluidQueue::next_change() const noexcept {
  if (keeps_up()) return engine::Time::never();
  const Plan p = plan(now_.seconds());
  if (!std::isfinite(p.dt)) return engine::Time::never();
  const double us = std::max(1.0, std::ceil(p.dt * 1e6));
  return now_ + engine::Time::from_us_f(us);
}

double FluidQueue::backlog() const noexcept {
  double b = 0;
  for (const Run& r : backlog_) b += r.density * (r.to_s - r.from_s);
  return b;
}

double FluidQueue::busy() const noexcept {
  if (emptied_) return 0;
  if (keeps_up()) return rate_ * service_s_;
  return servers_;
}

void FluidQueue::foresee(std::span<const engine::Time> at,
                         std::span<double> integral) const noexcept {
  double value = totals_.in_flight_integral;
  double t = now_.seconds();
  const double level = steady_in_flight();
  for (std::size_t i = 0; i < integral.size() && i < at.size(); ++i) {
    const double t_end = at[i].seconds();
    if (t_end > t) value = steady_step(value, level, t, t_end);  // as integrate_to
    t = std::max(t, t_end);
    integral[i] = value;
  }
}

double FluidQueue::in_flight() const noexcept { return in_flight_when(!emptied_ && keeps_up()); }

double FluidQueue::in_flight_when(bool keeping_up) const noexcept {
  if (emptied_) return 0;
  if (keeping_up) return steady_in_flight();
  return busy() + backlog();
}

double FluidQueue::drop_all(engine::Time now) {
  advance(now);
  const double lost = in_flight();
  backlog_.clear();
  emptied_ = true;
  return lost;
}

}  // namespace wlsim::models

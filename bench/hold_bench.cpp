// The classical hold model (Jones 1986; Vaucher & Duval 1975) on the wlsim engine, beside a bare
// std::priority_queue doing the same work in the same binary.
//
// A hold: take the earliest pending event, advance the clock to it, and schedule one new event at
// now + increment. The queue size stays at N throughout. Increments are exponential (mean 1 s, in
// integer microseconds like the engine's clock), drawn up front into a vector and reused
// cyclically, so random-number cost is not part of the figure. Both implementations see the same
// prefill, the same increments and the same (time, insertion sequence) tie-break, so they dispatch
// exactly the same events in the same order; an order-sensitive checksum of (id, time) proves it
// and keeps the compiler from discarding the work.
//
// Usage: wlsim_hold_bench [--json] [--quick] [--sizes=100,10000,1000000] [--reps=7]
// [--holds=2000000]
//   --json    one JSON object per size on stdout instead of the table (bench/run combines them)
//   --quick   smoke run: 2e5 holds per repetition, 3 repetitions
//   --holds   minimum holds per timed repetition; a size N uses max(holds, 5 N)
// Each repetition is timed with std::chrono::steady_clock; the engine and the bare loop alternate
// repetitions so that machine noise hits both alike. The headline is the MEDIAN of the repetitions;
// the minimum is reported too. Process CPU time (std::clock) is taken alongside: when the wall time
// exceeds it by more than 5%, the process was descheduled and a warning says the figures are
// inflated.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <queue>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/engine/random.hpp"
#include "wlsim/engine/simulator.hpp"
#include "wlsim/engine/time.hpp"
#include "wlsim/engine/trace.hpp"

namespace {

namespace we = wlsim::engine;
using Clock = std::chrono::steady_clock;

constexpr double kMeanIncrementUs = 1e6;           // exponential(1s)
constexpr std::size_t kIncrementCount = 1U << 20;  // power of two: cyclic reuse by masking
constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;

// --- the engine side
// ------------------------------------------------------------------------------

class HoldHandler final : public we::EventHandler {
 public:
  HoldHandler(we::Simulator& sim, const std::int64_t* increments, std::uint64_t mask)
      : sim_(sim), inc_(increments), mask_(mask) {}

  void on_event(std::uint64_t token) override {
    const auto t = static_cast<std::uint64_t>(sim_.now().us());
    checksum_ = checksum_ * kMul + (token ^ t);
    sim_.schedule_in(we::Time::from_us(inc_[next_++ & mask_]), *this, token);
    if (++done_ == target_) sim_.request_stop();
  }

  void run_holds(std::uint64_t holds) {
    done_ = 0;
    target_ = holds;
    const auto before = sim_.dispatched();
    sim_.run();
    if (sim_.dispatched() - before != holds)
      throw std::runtime_error("engine ran a wrong number of holds");
  }
  [[nodiscard]] std::uint64_t checksum() const noexcept { return checksum_; }

 private:
  we::Simulator& sim_;
  const std::int64_t* inc_;
  std::uint64_t mask_;
  std::uint64_t next_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t target_ = 0;
  std::uint64_t checksum_ = 0;
};

struct EngineHold {
  we::Simulator sim;
  HoldHandler handler;

  EngineHold(const std::vector<std::int64_t>& initial, const std::vector<std::int64_t>& increments)
      : handler(sim, increments.data(), increments.size() - 1) {
    for (std::size_t i = 0; i < initial.size(); ++i) {
      sim.schedule_at(we::Time::from_us(initial[i]), handler, i);
    }
  }
  void run_holds(std::uint64_t holds) { handler.run_holds(holds); }
  [[nodiscard]] std::uint64_t checksum() const noexcept { return handler.checksum(); }
  [[nodiscard]] std::size_t pending() const noexcept { return sim.pending(); }
};

// --- the bare loop
// --------------------------------------------------------------------------------

struct Rec {  // 24 bytes, like the engine's heap entry
  std::int64_t time;
  std::uint64_t seq;
  std::uint64_t id;
};
static_assert(sizeof(Rec) == 24);

struct Later {  // std::priority_queue is a max-heap: "less" means "later"
  bool operator()(const Rec& a, const Rec& b) const noexcept {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

class BareHold {
 public:
  BareHold(const std::vector<std::int64_t>& initial, const std::vector<std::int64_t>& increments)
      : inc_(increments.data()), mask_(increments.size() - 1) {
    std::vector<Rec> storage;
    storage.reserve(initial.size() + 1);
    pq_ = Queue(Later{}, std::move(storage));
    for (std::size_t i = 0; i < initial.size(); ++i) pq_.push(Rec{initial[i], seq_++, i});
  }

  void run_holds(std::uint64_t holds) {
    for (std::uint64_t h = 0; h < holds; ++h) {
      const Rec r = pq_.top();
      pq_.pop();
      checksum_ = checksum_ * kMul + (r.id ^ static_cast<std::uint64_t>(r.time));
      pq_.push(Rec{r.time + inc_[next_++ & mask_], seq_++, r.id});
    }
  }
  [[nodiscard]] std::uint64_t checksum() const noexcept { return checksum_; }
  [[nodiscard]] std::size_t pending() const noexcept { return pq_.size(); }

 private:
  using Queue = std::priority_queue<Rec, std::vector<Rec>, Later>;
  Queue pq_;
  const std::int64_t* inc_;
  std::uint64_t mask_;
  std::uint64_t seq_ = 0;
  std::uint64_t next_ = 0;
  std::uint64_t checksum_ = 0;
};

// --- measurement
// ----------------------------------------------------------------------------------

struct Options {
  bool json = false;
  std::vector<std::size_t> sizes{100, 10000, 1000000};
  int reps = 7;
  std::uint64_t min_holds = 2000000;
};

struct Row {
  std::size_t pending;
  std::uint64_t holds;
  int reps;
  double wlsim_median, wlsim_min, bare_median, bare_min;
  double wall_over_cpu;  // total wall time / total CPU time over the timed repetitions
  std::uint64_t wlsim_checksum, bare_checksum;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

struct Timing {
  double wall_ns = 0;  // steady_clock, the reported figure
  double cpu_ns = 0;   // std::clock, to detect a busy machine
};

template <class Impl>
Timing time_holds(Impl& impl, std::uint64_t holds) {
  const std::clock_t cpu_start = std::clock();
  const auto start = Clock::now();
  impl.run_holds(holds);
  const auto stop = Clock::now();
  const std::clock_t cpu_stop = std::clock();
  return Timing{static_cast<double>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count()),
                static_cast<double>(cpu_stop - cpu_start) * (1e9 / CLOCKS_PER_SEC)};
}

std::vector<std::int64_t> draw(std::size_t n, we::RandomStream& rng) {
  const auto exp = we::Distribution::exponential(kMeanIncrementUs);
  std::vector<std::int64_t> out(n);
  for (auto& v : out) v = std::llround(exp.sample(rng));
  return out;
}

Row measure(std::size_t n, const Options& opt) {
  we::RandomStream rng(20240601, "hold_bench", "increments");
  const std::vector<std::int64_t> increments = draw(kIncrementCount, rng);
  const std::vector<std::int64_t> initial = draw(n, rng);

  const std::uint64_t holds =
      std::max<std::uint64_t>(opt.min_holds, 5 * static_cast<std::uint64_t>(n));
  const std::uint64_t warmup = std::max<std::uint64_t>(holds, 2 * static_cast<std::uint64_t>(n));

  EngineHold engine(initial, increments);
  BareHold bare(initial, increments);
  engine.run_holds(warmup);  // past the prefill transient, caches and branch predictors warm
  bare.run_holds(warmup);

  std::vector<double> w, b;
  double wall = 0, cpu = 0;
  const auto per_hold = static_cast<double>(holds);
  for (int r = 0; r < opt.reps; ++r) {
    const Timing tw = time_holds(engine, holds);
    const Timing tb = time_holds(bare, holds);
    w.push_back(tw.wall_ns / per_hold);
    b.push_back(tb.wall_ns / per_hold);
    wall += tw.wall_ns + tb.wall_ns;
    cpu += tw.cpu_ns + tb.cpu_ns;
  }
  if (engine.pending() != n || bare.pending() != n) throw std::runtime_error("queue size drifted");
  return Row{n,
             holds,
             opt.reps,
             median(w),
             *std::min_element(w.begin(), w.end()),
             median(b),
             *std::min_element(b.begin(), b.end()),
             cpu > 0 ? wall / cpu : 1.0,
             engine.checksum(),
             bare.checksum()};
}

std::uint64_t parse_count(std::string_view s) {
  // Accepts plain integers and 1e6-style forms.
  const double v = std::stod(std::string(s));
  if (!(v >= 1) || v > 1e12) throw std::invalid_argument("bad count: " + std::string(s));
  return static_cast<std::uint64_t>(std::llround(v));
}

Options parse_args(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--json") {
      opt.json = true;
    } else if (a == "--quick") {
      opt.min_holds = 200000;
      opt.reps = 3;
    } else if (a.starts_with("--sizes=")) {
      opt.sizes.clear();
      std::string_view rest = a.substr(8);
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        opt.sizes.push_back(static_cast<std::size_t>(parse_count(rest.substr(0, comma))));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (a.starts_with("--reps=")) {
      opt.reps = static_cast<int>(parse_count(a.substr(7)));
    } else if (a.starts_with("--holds=")) {
      opt.min_holds = parse_count(a.substr(8));
    } else {
      throw std::invalid_argument(
          "usage: wlsim_hold_bench [--json] [--quick] [--sizes=100,10000,1000000] [--reps=7] "
          "[--holds=2000000]");
    }
  }
  return opt;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options opt = parse_args(argc, argv);
    if (!opt.json) {
      std::printf("Hold model: exponential increments (mean 1s, drawn up front), %s per size.\n",
                  "median of the repetitions (min in brackets)");
      std::printf("%9s %10s %4s  %-20s %-20s %10s\n", "pending", "holds/rep", "reps",
                  "wlsim ns/hold", "bare pq ns/hold", "wlsim/bare");
      std::fflush(stdout);
    }
    bool all_match = true;
    for (const std::size_t n : opt.sizes) {
      const Row r = measure(n, opt);
      const bool match = r.wlsim_checksum == r.bare_checksum;
      all_match = all_match && match;
      if (opt.json) {
        we::Json j = we::Json::object();
        j["bench"] = "hold";
        j["pending"] = r.pending;
        j["holds"] = r.holds;
        j["reps"] = r.reps;
        j["wlsim_ns"] = r.wlsim_median;
        j["wlsim_min_ns"] = r.wlsim_min;
        j["bare_ns"] = r.bare_median;
        j["bare_min_ns"] = r.bare_min;
        j["ratio"] = r.wlsim_median / r.bare_median;
        j["wall_over_cpu"] = r.wall_over_cpu;
        j["checksum"] = we::hash_hex(r.wlsim_checksum);
        j["checksum_match"] = match;
        std::printf("%s\n", we::to_text(j).c_str());
      } else {
        char w[32], b[32];
        std::snprintf(w, sizeof w, "%.1f (%.1f)", r.wlsim_median, r.wlsim_min);
        std::snprintf(b, sizeof b, "%.1f (%.1f)", r.bare_median, r.bare_min);
        std::printf("%9zu %10llu %4d  %-20s %-20s %10.2f   checksum %016llx %s\n", r.pending,
                    static_cast<unsigned long long>(r.holds), r.reps, w, b,
                    r.wlsim_median / r.bare_median,
                    static_cast<unsigned long long>(r.wlsim_checksum),
                    match ? "(same events)" : "(MISMATCH)");
        if (r.wall_over_cpu > 1.05) {
          std::printf(
              "          warning: busy machine, wall time was %.0f%% above CPU time; figures "
              "inflated\n",
              (r.wall_over_cpu - 1) * 100);
        }
      }
      std::fflush(stdout);
    }
    if (!all_match) {
      std::fprintf(stderr,
                   "error: the engine and the bare loop dispatched different event sequences\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wlsim_hold_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}

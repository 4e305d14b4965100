#include "wlsim/models/latency_stats.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "wlsim/engine/repeated_sum.hpp"

namespace wlsim::models {

namespace {

// Held exactly up to this many samples; one more moves them all into the histogram.
constexpr std::size_t kExactLimit = 100'000;
constexpr std::size_t kCoalesceWindow = 32;
// Bucket i holds [g^i, g^(i+1)) with g = 1 + 1/512: a representative at the bucket's geometric
// middle is within sqrt(g) - 1 < 0.1 % of any value in it.
constexpr double kLogGrowth = 0.0019512201312617493;  // log1p(1 / 512)
constexpr double kSmallest = 1e-6;  // below one microsecond (the clock's tick) is one bucket
constexpr std::int32_t kFirstBucket = -7081;  // floor(log(1e-6) / kLogGrowth)
constexpr std::int32_t kLastBucket = 10620;   // floor(log(1e9) / kLogGrowth): ~30 years and up
// Rounding in a running sum of weights must not skip a rank: a cumulative weight within this
// fraction of the total below the target counts as reaching it.
constexpr double kRankSlack = 1e-9;

std::int32_t bucket_of(double seconds) {
  if (seconds < kSmallest) return kFirstBucket - 1;
  // Clamped before the conversion: a double beyond the int32 range would be undefined.
  const double b = std::floor(std::log(seconds) / kLogGrowth);
  return static_cast<std::int32_t>(std::clamp(b, double{kFirstBucket}, double{kLastBucket}));
}

}  // namespace

void LatencyStats::add(double seconds, double weight) {
  if (!std::isfinite(seconds) || seconds < 0) {
    throw std::invalid_argument("latency: a latency must be finite and >= 0");
  }
  if (!std::isfinite(weight) || weight <= 0) {
    throw std::invalid_argument("latency: a weight must be finite and > 0");
  }
  min_ = count_ > 0 ? std::min(min_, seconds) : seconds;
  max_ = std::max(max_, seconds);
  count_ += weight;
  sum_ += seconds * weight;
  if (buckets_.empty()) {
    // Fluid mode adds the same few latencies step after step (the strata of one load): adding a
    // weight to an equal latency among the last few held keeps them exact for far longer.
    const auto recent =
        exact_.rbegin() + static_cast<std::ptrdiff_t>(std::min(kCoalesceWindow, exact_.size()));
    const auto same = std::find_if(exact_.rbegin(), recent,
                                   [seconds](const auto& held) { return held.first == seconds; });
    if (same != recent) {
      same->second += weight;
      return;
    }
    if (exact_.size() < kExactLimit) {
      // Grown by a quarter rather than doubled: a fleet holds thousands of these, most of them
      // short, and a doubled vector is a third empty on average.
      if (exact_.size() == exact_.capacity()) {
        exact_.reserve(exact_.size() + std::max<std::size_t>(16, exact_.size() / 4));
      }
      exact_.emplace_back(seconds, weight);
      return;
    }
  }
  if (!exact_.empty()) fill_histogram();
  add_to_histogram(seconds, weight);
}

void LatencyStats::add_to_histogram(double seconds, double weight) {
  const std::int32_t index = bucket_of(seconds);
  const auto at = std::lower_bound(buckets_.begin(), buckets_.end(), index,
                                   [](const Bucket& b, std::int32_t i) { return b.index < i; });
  if (at != buckets_.end() && at->index == index) {
    at->weight += weight;
  } else {
    buckets_.insert(at, {index, weight});
  }
}

void LatencyStats::fill_histogram() {
  // One pass over the samples sorted by bucket, stably: equal buckets keep the order the samples
  // were held in, so each bucket's sum is the one adding them one by one makes (the first weight
  // exactly, as 0 + w).
  std::vector<Bucket> held;
  held.reserve(exact_.size());
  for (const auto& [s, w] : exact_) held.push_back({bucket_of(s), w});
  exact_.clear();
  exact_.shrink_to_fit();  // the point of the histogram is bounded memory
  std::stable_sort(held.begin(), held.end(),
                   [](const Bucket& a, const Bucket& b) { return a.index < b.index; });
  for (const Bucket& b : held) {
    if (!buckets_.empty() && buckets_.back().index == b.index) {
      buckets_.back().weight += b.weight;
    } else {
      buckets_.push_back(b);
    }
  }
  buckets_.shrink_to_fit();
}

namespace {

/// offset + value of each stratum, if they are strictly increasing, finite and >= 0 (as the fast
/// path needs them); n <= 32.
bool strata_seconds(std::span<const std::pair<double, double>> strata, double offset,
                    double* seconds) {
  for (std::size_t i = 0; i < strata.size(); ++i) {
    seconds[i] = offset + strata[i].first;
    if (!((i == 0 || seconds[i - 1] < seconds[i]) && std::isfinite(seconds[i]) &&
          seconds[i] >= 0)) {
      return false;
    }
  }
  return true;
}

/// scale x probability of each stratum, if each is finite and > 0.
bool strata_weights(std::span<const std::pair<double, double>> strata, double scale,
                    double* weight) {
  // Every stationary step of a fluid queue passes here: the test is written without a branch per
  // stratum (w > 0 && w <= max is "finite and > 0", false for a NaN), so that the loop runs as a
  // few vector instructions rather than a chain of short-circuits.
  constexpr double kMax = std::numeric_limits<double>::max();
  bool valid = scale > 0 && scale <= kMax;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    weight[i] = scale * strata[i].second;
    valid &= (weight[i] > 0) & (weight[i] <= kMax);
  }
  return valid;
}

}  // namespace

std::size_t LatencyStats::repeated_block(const double* seconds, std::size_t n) const noexcept {
  // add() coalesces each sample into the newest equal one among the last 32 held. When these
  // latencies are held, in this order, as one block of that window after which none of them is
  // held again, each coalesces into its own entry of the block and nothing is appended (so the
  // window stays where it is). The block is the last n held when a load repeats, and further
  // back when two loads alternate.
  const std::size_t held = exact_.size();
  if (!buckets_.empty() || n == 0 || held < n) return held;
  const std::size_t window = held - std::min(kCoalesceWindow, held);
  std::size_t base = held - n;
  while (base > window && exact_[base].first != seconds[0]) --base;
  if (exact_[base].first != seconds[0]) return held;
  for (std::size_t i = 1; i < n; ++i) {
    if (exact_[base + i].first != seconds[i]) return held;
  }
  for (std::size_t k = base + n; k < held; ++k) {
    if (std::binary_search(seconds, seconds + n, exact_[k].first)) return held;
  }
  return base;
}

void LatencyStats::add_to_block(std::size_t base, const double* seconds, const double* weight,
                                std::size_t n, std::uint64_t times) noexcept {
  // Strictly increasing: the sample-by-sample minimum is set by the first (after it every sample
  // is above it) and the maximum by the last; a repeat moves neither.
  min_ = count_ > 0 ? std::min(min_, seconds[0]) : seconds[0];
  max_ = std::max(max_, seconds[n - 1]);
  // Below this many repeats the steps one by one cost less than working out the fast-forward (a
  // held weight that is still small crosses a binade every doubling, each crossing a pass of its
  // own): 4, 8, 16, 32 and 64 were measured (the fleet-day of 5,000: 5,198, 5,186, 5,175, 5,150
  // and 5,150 million instructions).
  constexpr std::uint64_t kFastForward = 32;
  if (times < kFastForward) {
    for (std::uint64_t k = 0; k < times; ++k) {
      for (std::size_t i = 0; i < n; ++i) {
        count_ += weight[i];
        sum_ += seconds[i] * weight[i];
        exact_[base + i].second += weight[i];
      }
    }
    return;
  }
  // The count, the sum and each held weight are running sums of their own: each receives its
  // terms in step order, so each is fast-forwarded alone (engine::add_repeatedly, exact).
  std::array<double, kCoalesceWindow> product;
  for (std::size_t i = 0; i < n; ++i) product[i] = seconds[i] * weight[i];
  count_ = engine::add_repeatedly(count_, {weight, n}, times);
  sum_ = engine::add_repeatedly(sum_, {product.data(), n}, times);
  for (std::size_t i = 0; i < n; ++i) {
    exact_[base + i].second = engine::add_repeatedly(exact_[base + i].second, {weight + i, 1}, times);
  }
}

void LatencyStats::add_steps(std::span<const std::pair<double, double>> strata, double offset,
                             const double* seconds, bool distinct, double scale,
                             std::uint64_t times, std::size_t& base) {
  const std::size_t n = strata.size();
  if (n == 0) return;  // nothing to add, however many steps
  std::array<double, kCoalesceWindow> weight;
  const bool fast = distinct && strata_weights(strata, scale, weight.data());
  while (times > 0) {
    if (fast) {
      // A fast step moves nothing: the block found for one step holds for the next.
      if (base == exact_.size()) base = repeated_block(seconds, n);
      if (base != exact_.size()) {
        add_to_block(base, seconds, weight.data(), n, times);
        return;
      }
    }
    for (const auto& [value, probability] : strata) add(offset + value, scale * probability);
    base = exact_.size();
    --times;
  }
}

void LatencyStats::add_strata(std::span<const std::pair<double, double>> strata, double offset,
                              double scale) {
  const Steps one{scale, 1};
  add_strata(strata, offset, std::span<const Steps>(&one, 1));
}

void LatencyStats::add_strata(std::span<const std::pair<double, double>> strata, double offset,
                              std::span<const double> scales) {
  // Equal scales in a row are one run of steps; the runs go on in chunks of a fixed size.
  std::array<Steps, 16> runs;
  std::size_t count = 0;
  for (std::size_t i = 0; i < scales.size();) {
    std::size_t j = i + 1;
    while (j < scales.size() && scales[j] == scales[i] && j - i < UINT32_MAX) ++j;
    runs[count++] = {scales[i], static_cast<std::uint32_t>(j - i)};
    if (count == runs.size() || j == scales.size()) {
      add_strata(strata, offset, std::span<const Steps>(runs.data(), count));
      count = 0;
    }
    i = j;
  }
}

void LatencyStats::add_strata(std::span<const std::pair<double, double>> strata, double offset,
                              std::span<const Steps> steps) {
  std::array<double, kCoalesceWindow> seconds;  // each computed once, as add() would
  const bool distinct =
      strata.size() <= kCoalesceWindow && strata_seconds(strata, offset, seconds.data());
  std::size_t base = exact_.size();  // the block, once found; exact_.size(): not (yet)
  for (const Steps& s : steps) {
    add_steps(strata, offset, seconds.data(), distinct, s.scale, s.times, base);
  }
}

double LatencyStats::quantile(double q) const { return quantiles(std::span(&q, 1)).front(); }

std::vector<double> LatencyStats::quantiles(std::span<const double> qs) const {
  for (const double q : qs) {
    if (!(q > 0 && q <= 1)) throw std::invalid_argument("latency: a quantile must be in (0, 1]");
  }
  std::vector<double> out(qs.size(), 0.0);
  if (count_ <= 0) return out;
  // A sorted copy rather than a lazily sorted mutable member: this stays a true const read (safe
  // for concurrent readers, no hidden state), its cost bounded by the 100,000-sample limit, and
  // paid once for all the quantiles asked together; quantiles are read for summaries, not per
  // event.
  std::vector<std::pair<double, double>> sorted;
  if (buckets_.empty()) {
    sorted = exact_;
    std::sort(sorted.begin(), sorted.end());
  }
  for (std::size_t i = 0; i < qs.size(); ++i) out[i] = rank(qs[i], sorted);
  return out;
}

double LatencyStats::rank(double q, const std::vector<std::pair<double, double>>& sorted) const {
  const double target = q * count_ - kRankSlack * count_;
  if (buckets_.empty()) {
    double cumulative = 0;
    for (const auto& [s, w] : sorted) {
      cumulative += w;
      if (cumulative >= target) return s;
    }
    return sorted.back().first;
  }
  double cumulative = 0;
  for (const auto& [bucket, w] : buckets_) {
    cumulative += w;
    if (cumulative >= target) {
      if (bucket < kFirstBucket) return min_;  // below 1 us: the smallest seen
      const double middle = std::exp((bucket + 0.5) * kLogGrowth);
      return std::clamp(middle, min_, max_);
    }
  }
  return max_;
}

}  // namespace wlsim::models

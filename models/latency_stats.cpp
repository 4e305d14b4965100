#include "wlsim/models/latency_stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wlsim::models {

namespace {

// Held exactly up to this many samples; one more moves them all into the histogram.
constexpr std::size_t kExactLimit = 100'000;
constexpr std::ptrdiff_t kCoalesceWindow = 32;
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
        exact_.rbegin() + std::min(kCoalesceWindow, static_cast<std::ptrdiff_t>(exact_.size()));
    const auto same = std::find_if(exact_.rbegin(), recent,
                                   [seconds](const auto& held) { return held.first == seconds; });
    if (same != recent) {
      same->second += weight;
      return;
    }
    if (exact_.size() < kExactLimit) {
      exact_.emplace_back(seconds, weight);
      return;
    }
  }
  if (!exact_.empty()) {
    for (const auto& [s, w] : exact_) buckets_[bucket_of(s)] += w;
    exact_.clear();
    exact_.shrink_to_fit();  // the point of the histogram is bounded memory
  }
  buckets_[bucket_of(seconds)] += weight;
}

void LatencyStats::add_strata(std::span<const std::pair<double, double>> strata, double offset,
                              double scale) {
  const std::size_t n = strata.size();
  // The fast path is exactly what add() would do sample by sample when the last n held are these
  // latencies, in this order, all distinct (strictly increasing): each then coalesces into its own
  // entry of that block (the newest equal one within the window), and nothing is appended.
  bool repeat = buckets_.empty() && n > 0 && n <= static_cast<std::size_t>(kCoalesceWindow) &&
                exact_.size() >= n && std::isfinite(scale) && scale > 0;
  const std::size_t base = exact_.size() - (repeat ? n : 0);
  for (std::size_t i = 0; repeat && i < n; ++i) {
    const double seconds = offset + strata[i].first;
    const double weight = scale * strata[i].second;
    repeat = exact_[base + i].first == seconds &&
             (i == 0 || exact_[base + i - 1].first < seconds) && std::isfinite(seconds) &&
             seconds >= 0 && std::isfinite(weight) && weight > 0;
  }
  if (!repeat) {
    for (const auto& [value, probability] : strata) add(offset + value, scale * probability);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double seconds = offset + strata[i].first;
    const double weight = scale * strata[i].second;
    min_ = count_ > 0 ? std::min(min_, seconds) : seconds;
    max_ = std::max(max_, seconds);
    count_ += weight;
    sum_ += seconds * weight;
    exact_[base + i].second += weight;
  }
}

double LatencyStats::quantile(double q) const {
  if (!(q > 0 && q <= 1)) throw std::invalid_argument("latency: a quantile must be in (0, 1]");
  if (count_ <= 0) return 0;
  const double target = q * count_ - kRankSlack * count_;
  if (buckets_.empty()) {
    // A sorted copy rather than a lazily sorted mutable member: quantile() stays a true const
    // read (safe for concurrent readers, no hidden state), and its cost is bounded by the
    // 100,000-sample limit; quantiles are read for summaries, not per event.
    auto sorted = exact_;
    std::sort(sorted.begin(), sorted.end());
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

#pragma once
// Request latencies (waiting + service): count, mean, max and quantiles, with weights (fluid mode
// adds expected values). Exact while it holds few samples, a fine log histogram beyond, so memory
// is bounded however long the run.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace wlsim::models {

class LatencyStats {
 public:
  /// One latency in seconds (finite, >= 0), counted `weight` times (finite, > 0); throws
  /// std::invalid_argument otherwise.
  void add(double seconds, double weight = 1.0);
  /// add(offset + value, scale x probability) for each (value, probability) of `strata`, in order:
  /// the same result, but a step that repeats the strata the last step held (fluid mode's
  /// stationary steps) finds them at once instead of searching for each.
  void add_strata(std::span<const std::pair<double, double>> strata, double offset, double scale);
  /// add_strata(strata, offset, scale) for each of `scales`, in order: the same result, with the
  /// held block of a repeated step found once for all of them.
  void add_strata(std::span<const std::pair<double, double>> strata, double offset,
                  std::span<const double> scales);
  /// `times` equal steps of add_strata(strata, offset, scale).
  struct Steps {
    double scale = 0;
    std::uint32_t times = 0;
  };
  /// Each of `steps` in order, as add_strata(strata, offset, scale) `times` times: the same
  /// result to the last bit, but a run of 32 or more equal steps into a held block costs about
  /// the same however long it is (fluid mode's stationary steps: a KPA tick every 2 s).
  void add_strata(std::span<const std::pair<double, double>> strata, double offset,
                  std::span<const Steps> steps);

  /// Equal when every running sum, every held sample and every bucket is equal (bit for bit, but
  /// for the sign of a zero).
  friend bool operator==(const LatencyStats&, const LatencyStats&) = default;

  [[nodiscard]] double count() const noexcept { return count_; }
  [[nodiscard]] double mean() const noexcept { return count_ > 0 ? sum_ / count_ : 0; }
  [[nodiscard]] double max() const noexcept { return max_; }
  /// The smallest latency whose cumulative weight reaches q x count (nearest rank; 0 < q <= 1);
  /// exact while the samples are held, within the histogram's relative precision after. 0 when
  /// empty; throws std::invalid_argument for q outside (0, 1]. The histogram holds latencies in
  /// buckets of relative width 1/512 (a value below 1 us in one bucket of its own) and answers
  /// with a bucket's geometric middle clamped to [min, max]: within 0.1 %.
  [[nodiscard]] double quantile(double q) const;
  /// quantile(q) of each of `qs`, sorting the held samples once for them all.
  [[nodiscard]] std::vector<double> quantiles(std::span<const double> qs) const;

 private:
  /// The quantile q read off `sorted` (the held samples in order) or the histogram.
  [[nodiscard]] double rank(double q, const std::vector<std::pair<double, double>>& sorted) const;
  double count_ = 0;
  double sum_ = 0;
  double max_ = 0;
  double min_ = 0;  ///< clamps the histogram's answers; meaningful once count_ > 0
  struct Bucket {
    std::int32_t index;  ///< the log bucket
    double weight;
    friend bool operator==(const Bucket&, const Bucket&) = default;
  };
  /// Where add_strata's fast path applies to the latencies `seconds` (n of them, n <= 32,
  /// strictly increasing, finite and >= 0): the index of the held block that each of them
  /// coalesces into; exact_.size() when it does not.
  [[nodiscard]] std::size_t repeated_block(const double* seconds, std::size_t n) const noexcept;
  /// The fast path: adds `weight` to the block held at `base` for `seconds` (as repeated_block()
  /// found them), `times` times, with count, sum, min and max as add() one by one would make them.
  void add_to_block(std::size_t base, const double* seconds, const double* weight, std::size_t n,
                    std::uint64_t times) noexcept;
  /// `times` steps of `scale` under `strata`, whose latencies are `seconds` when `distinct`
  /// (strata_seconds); `base` is the held block found so far (exact_.size(): none), kept up to date
  /// from one call to the next.
  void add_steps(std::span<const std::pair<double, double>> strata, double offset,
                 const double* seconds, bool distinct, double scale, std::uint64_t times,
                 std::size_t& base);
  /// Adds `weight` to the bucket of `seconds` (created in its place when new).
  void add_to_histogram(double seconds, double weight);
  /// Moves the exact samples into the histogram: each bucket sums its samples' weights in the
  /// order they were held, as adding them one by one does.
  void fill_histogram();

  /// (seconds, weight) until 100,000 are held; a latency equal to one of the last 32 held adds
  /// its weight there instead (fluid mode repeats a few values per load).
  std::vector<std::pair<double, double>> exact_;
  /// After it: the buckets that hold a weight, by index (at most ~17,700, a flat vector rather
  /// than a tree of nodes: 16 bytes each and a binary search).
  std::vector<Bucket> buckets_;
};

}  // namespace wlsim::models

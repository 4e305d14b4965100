#pragma once
// Samplers written here rather than taken from <random>, whose distributions differ between
// standard libraries (the same seed must give the same run everywhere).
//
// Text forms, as scenario files write them; values carry the unit of the quantity being sampled:
//   20s                      constant
//   uniform(5s, 10s)         uniform on [a, b]
//   exponential(80ms)        exponential with the given mean
//   normal(20s, 2s)          normal(mean, standard deviation), truncated at 0 when sampled as a
//   duration lognormal(20s, 0.3)      lognormal with the given MEAN and log-space sigma (median =
//   mean·e^(-σ²/2)) empirical(1s, 2s, 5s)    one of the listed values, each equally likely

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/time.hpp"

namespace wlsim::engine {

class Distribution {
 public:
  enum class Kind { Constant, Uniform, Exponential, Normal, Lognormal, Empirical };

  [[nodiscard]] static Distribution constant(double v);
  [[nodiscard]] static Distribution uniform(double a, double b);
  [[nodiscard]] static Distribution exponential(double mean);
  [[nodiscard]] static Distribution normal(double mean, double sd);
  [[nodiscard]] static Distribution lognormal(double mean, double sigma);
  [[nodiscard]] static Distribution empirical(std::vector<double> values);

  Distribution() : Distribution(constant(0.0)) {}

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// One draw; constant draws consume nothing from the stream.
  [[nodiscard]] double sample(RandomStream& rng) const;
  [[nodiscard]] double mean() const;
  [[nodiscard]] double variance() const;
  [[nodiscard]] bool is_constant() const noexcept { return kind_ == Kind::Constant; }

  /// The same kind and parameters.
  friend bool operator==(const Distribution&, const Distribution&) = default;

 private:
  Distribution(Kind k, double a, double b, std::vector<double> values = {})
      : kind_(k), a_(a), b_(b), values_(std::move(values)) {}
  Kind kind_;
  double a_;
  double b_;
  std::vector<double> values_;
};

/// Parses a value with its unit (e.g. "20s" → microseconds); throws std::invalid_argument.
using ValueParser = std::function<double(std::string_view)>;

/// Parses the text forms above. Throws std::invalid_argument naming the allowed forms.
[[nodiscard]] Distribution parse_distribution(std::string_view text, const ValueParser& value);

/// A distribution of durations, in microseconds.
[[nodiscard]] Distribution parse_duration_distribution(std::string_view text);
/// One duration draw, rounded to the microsecond and never negative.
[[nodiscard]] Time sample_duration(const Distribution& d, RandomStream& rng);
/// What sample_duration gives for the constant `d`, without a stream: for a caller that makes a
/// stream only for a distribution that draws from it. Throws std::logic_error if `d` is not
/// constant.
[[nodiscard]] Time constant_duration(const Distribution& d);

}  // namespace wlsim::engine

// Tests for engine/distribution.hpp: each sampler matches its documented mean and variance, the
// text forms parse to the right distribution, errors name the allowed forms, and duration samples
// are whole non-negative microseconds.

#include "wlsim/engine/distribution.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "wlsim/engine/random.hpp"
#include "wlsim/engine/time.hpp"

using wlsim::engine::constant_duration;
using wlsim::engine::Distribution;
using wlsim::engine::parse_distribution;
using wlsim::engine::parse_duration_distribution;
using wlsim::engine::RandomStream;
using wlsim::engine::sample_duration;
using wlsim::engine::Time;

namespace {

constexpr double kS = 1e6;   // microseconds per second
constexpr double kMs = 1e3;  // microseconds per millisecond
constexpr int kDraws = 200'000;

struct Moments {
  double mean;
  double variance;
};

Moments sample_moments(const Distribution& d, RandomStream& rng, int n = kDraws) {
  // Welford's update: stable for large means with small spreads.
  double mean = 0;
  double m2 = 0;
  for (int i = 1; i <= n; ++i) {
    const double x = d.sample(rng);
    const double delta = x - mean;
    mean += delta / i;
    m2 += delta * (x - mean);
  }
  return {mean, m2 / (n - 1)};
}

/// The sample mean within 5 standard errors of mean(), and the sample variance within 5 standard
/// errors of variance(); the variance's relative standard error is sqrt((kurtosis - 1) / n).
void check_moments(const Distribution& d, std::uint64_t seed, double kurtosis) {
  const double var_rel = 5 * std::sqrt((kurtosis - 1) / kDraws);
  RandomStream rng(seed, "distribution", "moments");
  const Moments m = sample_moments(d, rng);
  const double se = std::sqrt(d.variance() / kDraws);
  INFO("mean() " << d.mean() << " sample mean " << m.mean << "; variance() " << d.variance()
                 << " sample variance " << m.variance);
  CHECK(std::abs(m.mean - d.mean()) <= 5 * se);
  CHECK(std::abs(m.variance - d.variance()) <= var_rel * d.variance());
}

double lognormal_kurtosis(double sigma) {
  const double s2 = sigma * sigma;
  return std::exp(4 * s2) + 2 * std::exp(3 * s2) + 3 * std::exp(2 * s2) - 3;
}

std::string parse_error(const std::string& text) {
  try {
    (void)parse_duration_distribution(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

bool names_allowed_forms(const std::string& message) {
  for (const char* form : {"uniform(", "exponential(", "normal(", "lognormal(", "empirical("}) {
    if (message.find(form) == std::string::npos) return false;
  }
  return true;
}

}  // namespace

// -------------------------------------------------------------------------------------------------
// Moments: each family's mean()/variance() from its parameters, and samples that match them

TEST_CASE("constant: every draw is the value and consumes no randomness", "[distribution]") {
  const Distribution d = Distribution::constant(42.5);
  CHECK(d.kind() == Distribution::Kind::Constant);
  CHECK(d.is_constant());
  CHECK(d.mean() == 42.5);
  CHECK(d.variance() == 0.0);
  RandomStream rng(1, "d", "constant");
  for (int i = 0; i < 1000; ++i) REQUIRE(d.sample(rng) == 42.5);
  CHECK(rng.draws() == 0);
  CHECK(sample_duration(d, rng) == Time::from_us(43));  // 42.5 rounds to nearest
  CHECK(rng.draws() == 0);
}

TEST_CASE("a default distribution is the constant 0", "[distribution]") {
  const Distribution d;
  CHECK(d.is_constant());
  CHECK(d.mean() == 0.0);
}

TEST_CASE("uniform(a, b) has mean (a+b)/2, variance (b-a)^2/12 and stays in [a, b]",
          "[distribution]") {
  const Distribution d = Distribution::uniform(5.0, 10.0);
  CHECK(d.kind() == Distribution::Kind::Uniform);
  CHECK_FALSE(d.is_constant());
  CHECK(d.mean() == Approx(7.5));
  CHECK(d.variance() == Approx(25.0 / 12));
  check_moments(d, 2, 1.8);
  RandomStream rng(3, "d", "uniform-range");
  for (int i = 0; i < 100000; ++i) {
    const double x = d.sample(rng);
    REQUIRE(x >= 5.0);
    REQUIRE(x <= 10.0);
  }
  CHECK(Distribution::uniform(3.0, 3.0).mean() == 3.0);  // a == b is allowed
}

TEST_CASE("exponential(mean) has that mean and variance mean^2", "[distribution]") {
  const Distribution d = Distribution::exponential(80.0);
  CHECK(d.kind() == Distribution::Kind::Exponential);
  CHECK(d.mean() == Approx(80.0));
  CHECK(d.variance() == Approx(6400.0));
  check_moments(d, 4, 9.0);
  RandomStream rng(5, "d", "exp-positive");
  for (int i = 0; i < 100000; ++i) REQUIRE(d.sample(rng) >= 0.0);
}

TEST_CASE("exponential draws are memoryless: P(X > m) = e^-1", "[distribution]") {
  const Distribution d = Distribution::exponential(1.0);
  RandomStream rng(6, "d", "exp-tail");
  int above = 0;
  for (int i = 0; i < kDraws; ++i) above += d.sample(rng) > 1.0 ? 1 : 0;
  const double p = std::exp(-1.0);
  CHECK(static_cast<double>(above) / kDraws ==
        Approx(p).margin(5 * std::sqrt(p * (1 - p) / kDraws)));
}

TEST_CASE("normal(mean, sd) has that mean and variance sd^2", "[distribution]") {
  const Distribution d = Distribution::normal(20.0, 2.0);
  CHECK(d.kind() == Distribution::Kind::Normal);
  CHECK(d.mean() == Approx(20.0));
  CHECK(d.variance() == Approx(4.0));
  check_moments(d, 7, 3.0);
  check_moments(Distribution::normal(-3.0, 0.5), 8, 3.0);
}

TEST_CASE("normal draws are symmetric with 68% within one sd", "[distribution]") {
  const Distribution d = Distribution::normal(0.0, 1.0);
  RandomStream rng(9, "d", "normal-shape");
  int within = 0;
  int positive = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = d.sample(rng);
    within += std::abs(x) < 1.0 ? 1 : 0;
    positive += x > 0 ? 1 : 0;
  }
  const double p1 = std::erf(1.0 / std::sqrt(2.0));  // 0.6827
  CHECK(static_cast<double>(within) / kDraws ==
        Approx(p1).margin(5 * std::sqrt(p1 * (1 - p1) / kDraws)));
  CHECK(static_cast<double>(positive) / kDraws == Approx(0.5).margin(5 * std::sqrt(0.25 / kDraws)));
}

TEST_CASE("lognormal(mean, sigma) takes the MEAN, not the median", "[distribution]") {
  const double mean = 20.0;
  const double sigma = 0.3;
  const Distribution d = Distribution::lognormal(mean, sigma);
  CHECK(d.kind() == Distribution::Kind::Lognormal);
  CHECK(d.mean() == Approx(mean));
  // Var = (e^σ² - 1) · mean².
  CHECK(d.variance() == Approx((std::exp(sigma * sigma) - 1) * mean * mean));
  check_moments(d, 10, lognormal_kurtosis(sigma));
  // The sample median is mean · e^(-σ²/2), not the first parameter.
  RandomStream rng(11, "d", "lognormal-median");
  std::vector<double> xs;
  for (int i = 0; i < kDraws; ++i) xs.push_back(d.sample(rng));
  std::nth_element(xs.begin(), xs.begin() + kDraws / 2, xs.end());
  const double median = xs[kDraws / 2];
  CHECK(median == Approx(mean * std::exp(-sigma * sigma / 2)).epsilon(0.005));
  CHECK(median < mean * 0.98);
}

TEST_CASE("lognormal keeps its mean for a wider sigma", "[distribution]") {
  const Distribution d = Distribution::lognormal(5.0, 0.6);
  CHECK(d.mean() == Approx(5.0));
  check_moments(d, 12, lognormal_kurtosis(0.6));
}

TEST_CASE("empirical picks each listed value equally often", "[distribution]") {
  const std::vector<double> values{1.0, 2.0, 5.0};
  const Distribution d = Distribution::empirical(values);
  CHECK(d.kind() == Distribution::Kind::Empirical);
  CHECK(d.mean() == Approx(8.0 / 3));
  CHECK(d.variance() == Approx(((1 - 8.0 / 3) * (1 - 8.0 / 3) + (2 - 8.0 / 3) * (2 - 8.0 / 3) +
                                (5 - 8.0 / 3) * (5 - 8.0 / 3)) /
                               3));
  check_moments(d, 13, 1.5);  // m4 / m2^2 of {1, 2, 5}
  RandomStream rng(14, "d", "empirical-counts");
  int count[3] = {0, 0, 0};
  for (int i = 0; i < kDraws; ++i) {
    const double x = d.sample(rng);
    const auto it = std::find(values.begin(), values.end(), x);
    REQUIRE(it != values.end());
    ++count[it - values.begin()];
  }
  for (const int c : count) {
    CHECK(static_cast<double>(c) / kDraws ==
          Approx(1.0 / 3).margin(5 * std::sqrt(2.0 / 9 / kDraws)));
  }
  // Repeated values count once per listing.
  CHECK(Distribution::empirical({1.0, 1.0, 4.0}).mean() == Approx(2.0));
}

TEST_CASE("invalid parameters are rejected", "[distribution]") {
  CHECK_THROWS_AS(Distribution::uniform(2.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::normal(1.0, -0.1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal(0.0, 0.3), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal(1.0, -0.3), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(std::nan(""), 1.0), std::invalid_argument);
}

TEST_CASE("the same seed gives the same draws and a different seed different ones",
          "[distribution]") {
  const std::vector<Distribution> all{Distribution::uniform(0, 10), Distribution::exponential(3),
                                      Distribution::normal(5, 2), Distribution::lognormal(5, 0.5),
                                      Distribution::empirical({1, 2, 3, 4, 5, 6, 7})};
  for (const auto& d : all) {
    RandomStream a(21, "d", "same");
    RandomStream b(21, "d", "same");
    RandomStream c(22, "d", "same");
    std::vector<double> xa;
    std::vector<double> xb;
    std::vector<double> xc;
    for (int i = 0; i < 1000; ++i) {
      xa.push_back(d.sample(a));
      xb.push_back(d.sample(b));
      xc.push_back(d.sample(c));
    }
    CHECK(xa == xb);
    CHECK(xa != xc);
  }
}

// -------------------------------------------------------------------------------------------------
// Text forms

TEST_CASE("a plain duration parses as a constant", "[distribution]") {
  const Distribution d = parse_duration_distribution("20s");
  CHECK(d.kind() == Distribution::Kind::Constant);
  CHECK(d.mean() == 20 * kS);
  CHECK(parse_duration_distribution("  250ms ").mean() == 250 * kMs);
  CHECK(parse_duration_distribution("constant(3s)").mean() == 3 * kS);
}

TEST_CASE("uniform(5s, 10s) parses to a uniform on [5s, 10s]", "[distribution]") {
  const Distribution d = parse_duration_distribution("uniform(5s, 10s)");
  CHECK(d.kind() == Distribution::Kind::Uniform);
  CHECK(d.mean() == Approx(7.5 * kS));
  CHECK(d.variance() == Approx(5 * kS * 5 * kS / 12));
  CHECK(parse_duration_distribution("uniform( 5s ,10s )").mean() == Approx(7.5 * kS));
}

TEST_CASE("exponential(80ms) parses to an exponential with mean 80ms", "[distribution]") {
  const Distribution d = parse_duration_distribution("exponential(80ms)");
  CHECK(d.kind() == Distribution::Kind::Exponential);
  CHECK(d.mean() == Approx(80 * kMs));
  CHECK(d.variance() == Approx(80 * kMs * 80 * kMs));
}

TEST_CASE("normal(20s, 2s) parses to a normal with mean 20s and sd 2s", "[distribution]") {
  const Distribution d = parse_duration_distribution("normal(20s, 2s)");
  CHECK(d.kind() == Distribution::Kind::Normal);
  CHECK(d.mean() == Approx(20 * kS));
  CHECK(d.variance() == Approx(2 * kS * 2 * kS));
}

TEST_CASE("lognormal(20s, 0.3) parses to a lognormal with MEAN 20s and a unitless sigma",
          "[distribution]") {
  const Distribution d = parse_duration_distribution("lognormal(20s, 0.3)");
  CHECK(d.kind() == Distribution::Kind::Lognormal);
  CHECK(d.mean() == Approx(20 * kS));
  CHECK(d.variance() == Approx((std::exp(0.09) - 1) * 20 * kS * 20 * kS));
}

TEST_CASE("empirical(1s, 2s, 5s) parses to the listed values", "[distribution]") {
  const Distribution d = parse_duration_distribution("empirical(1s, 2s, 5s)");
  CHECK(d.kind() == Distribution::Kind::Empirical);
  CHECK(d.mean() == Approx(8.0 / 3 * kS));
  RandomStream rng(30, "d", "empirical-parse");
  for (int i = 0; i < 1000; ++i) {
    const double x = d.sample(rng);
    REQUIRE((x == 1 * kS || x == 2 * kS || x == 5 * kS));
  }
  CHECK(parse_duration_distribution("empirical(7s)").mean() == 7 * kS);
}

TEST_CASE("parse_distribution uses the caller's value parser", "[distribution]") {
  const auto plain = [](std::string_view v) {
    const std::string s(v);
    std::size_t used = 0;
    const double x = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument("bad number");
    return x;
  };
  CHECK(parse_distribution("uniform(1, 3)", plain).mean() == Approx(2.0));
  CHECK(parse_distribution("4.5", plain).mean() == 4.5);
  CHECK_THROWS_AS(parse_distribution("uniform(1, x)", plain), std::invalid_argument);
}

TEST_CASE("each malformed distribution throws std::invalid_argument naming the allowed forms",
          "[distribution]") {
  for (const char* text : {
           "gamma(1s)",             // unknown distribution name
           "uniform(5s)",           // wrong argument count
           "uniform(1s, 2s, 3s)",   //
           "exponential(1s, 2s)",   //
           "normal(20s)",           //
           "lognormal(20s)",        //
           "uniform(5x, 10s)",      // malformed value
           "exponential(abc)",      //
           "lognormal(20s, abc)",   // malformed sigma
           "lognormal(20s, 0.3s)",  // sigma is unitless
           "uniform(5s, 10s",       // missing ')'
           "exponential(80ms",      //
           "exponential(-80ms)",    // negative duration
           "normal(20s, -2s)",      //
           "-5s",                   //
           "uniform(10s, 5s)",      // a > b
           "exponential(0s)",       // mean must be positive
           "empirical()",           // no values
           "uniform(5s,)",          // empty argument
           "",                      // nothing at all
           "20",                    // a value without its unit
       }) {
    INFO("text: '" << text << "'");
    const std::string msg = parse_error(text);
    REQUIRE_FALSE(msg.empty());
    CHECK(names_allowed_forms(msg));
  }
}

TEST_CASE("the error for an unknown distribution names it", "[distribution]") {
  const std::string msg = parse_error("gamma(1s)");
  CHECK(msg.find("gamma") != std::string::npos);
}

// -------------------------------------------------------------------------------------------------
// Duration samples

TEST_CASE("sample_duration is the draw rounded to the nearest microsecond", "[distribution]") {
  const Distribution d = Distribution::uniform(0.0, 10.0);  // mostly fractional microseconds
  RandomStream a(40, "d", "round");
  RandomStream b(40, "d", "round");
  int fractional = 0;
  for (int i = 0; i < 10000; ++i) {
    const double x = d.sample(a);
    fractional += x != std::floor(x) ? 1 : 0;
    REQUIRE(sample_duration(d, b).us() == std::llround(x));
  }
  CHECK(fractional > 9000);
  CHECK(a.draws() == b.draws());
}

TEST_CASE("sample_duration is never negative, even for a normal with a large sd",
          "[distribution]") {
  const Distribution d = parse_duration_distribution("normal(1s, 10s)");
  RandomStream rng(41, "d", "truncate");
  RandomStream raw(41, "d", "truncate");
  int zeros = 0;
  int negatives = 0;
  for (int i = 0; i < kDraws; ++i) {
    const Time t = sample_duration(d, rng);
    const double x = d.sample(raw);
    REQUIRE(t >= Time::zero());
    if (x < -0.5) {
      REQUIRE(t == Time::zero());
      ++negatives;
    }
    zeros += t == Time::zero() ? 1 : 0;
  }
  // P(N(1, 10) < 0) = Φ(-0.1) ≈ 0.46: the truncation really was exercised.
  CHECK(negatives > kDraws / 3);
  CHECK(zeros >= negatives);
}

TEST_CASE("constant_duration is sample_duration's value of a constant, drawn from no stream",
          "[distribution]") {
  for (const double v : {0.0, -3.0, 0.4, 0.5, 42.5, 1e6, 1e30}) {
    const Distribution d = Distribution::constant(v);
    RandomStream rng(42, "d", "constant");
    REQUIRE(constant_duration(d) == sample_duration(d, rng));
  }
  CHECK(constant_duration(Distribution::constant(-3.0)) == Time::zero());
  CHECK(constant_duration(Distribution::constant(2e6)) == Time::from_us(2'000'000));
  CHECK_THROWS_AS(constant_duration(Distribution::uniform(1.0, 2.0)), std::logic_error);
}

TEST_CASE("a duration draw past the 64-bit range is never, not a negative time",
          "[distribution][bounds]") {
  RandomStream rng(1, "e", "p");
  CHECK(sample_duration(Distribution::constant(1e19), rng).is_never());
  CHECK(sample_duration(Distribution::constant(1e300), rng).is_never());
  // lognormal with a huge sigma draws far beyond 2^63 microseconds now and then: never, never < 0.
  const Distribution wide = Distribution::lognormal(3e18, 1.0);
  int never = 0;
  for (int i = 0; i < 2000; ++i) {
    const Time t = sample_duration(wide, rng);
    CHECK(t >= Time::zero());
    if (t.is_never()) ++never;
  }
  CHECK(never > 0);
}

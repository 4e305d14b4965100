#include "wlsim/engine/distribution.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace wlsim::engine {

namespace {
[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw std::invalid_argument("'" + std::string(text) + "' " + std::string(why) +
                              " (allowed: a value, uniform(a, b), exponential(mean), normal(mean, "
                              "sd), lognormal(mean, sigma), "
                              "empirical(v1, v2, ...))");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_args(std::string_view args) {
  std::vector<std::string_view> out;
  while (true) {
    const auto comma = args.find(',');
    out.push_back(trim(args.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    args.remove_prefix(comma + 1);
  }
  return out;
}

double plain_number(std::string_view text, std::string_view whole) {
  try {
    std::size_t used = 0;
    const double v = std::stod(std::string(text), &used);
    if (used != text.size()) bad(whole, "has a malformed number '" + std::string(text) + "'");
    return v;
  } catch (const std::logic_error&) {
    bad(whole, "has a malformed number '" + std::string(text) + "'");
  }
}

// Box–Muller from two open-interval uniforms: deterministic, two draws per normal.
double standard_normal(RandomStream& rng) {
  const double u1 = rng.next_unit();
  const double u2 = rng.next_unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}
}  // namespace

Distribution Distribution::constant(double v) { return {Kind::Constant, v, 0.0}; }
Distribution Distribution::uniform(double a, double b) {
  if (!(a <= b)) throw std::invalid_argument("uniform(a, b) needs a <= b");
  return {Kind::Uniform, a, b};
}
Distribution Distribution::exponential(double mean) {
  if (!(mean > 0)) throw std::invalid_argument("exponential(mean) needs mean > 0");
  return {Kind::Exponential, mean, 0.0};
}
Distribution Distribution::normal(double mean, double sd) {
  if (!(sd >= 0)) throw std::invalid_argument("normal(mean, sd) needs sd >= 0");
  return {Kind::Normal, mean, sd};
}
Distribution Distribution::lognormal(double mean, double sigma) {
  if (!(mean > 0) || !(sigma >= 0)) {
    throw std::invalid_argument("lognormal(mean, sigma) needs mean > 0 and sigma >= 0");
  }
  // Stored as the log-space mu so that sampling is one exp().
  return {Kind::Lognormal, std::log(mean) - sigma * sigma / 2.0, sigma};
}
Distribution Distribution::empirical(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("empirical(...) needs at least one value");
  return {Kind::Empirical, 0.0, 0.0, std::move(values)};
}

double Distribution::sample(RandomStream& rng) const {
  switch (kind_) {
    case Kind::Constant:
      return a_;
    case Kind::Uniform:
      return a_ + (b_ - a_) * rng.next_unit();
    case Kind::Exponential:
      return -a_ * std::log(rng.next_unit());
    case Kind::Normal:
      return a_ + b_ * standard_normal(rng);
    case Kind::Lognormal:
      return std::exp(a_ + b_ * standard_normal(rng));
    case Kind::Empirical: {
      const auto n = static_cast<std::uint64_t>(values_.size());
      return values_[static_cast<std::size_t>(rng.next_u64() % n)];
    }
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::Constant:
      return a_;
    case Kind::Uniform:
      return (a_ + b_) / 2.0;
    case Kind::Exponential:
    case Kind::Normal:
      return a_;
    case Kind::Lognormal:
      return std::exp(a_ + b_ * b_ / 2.0);
    case Kind::Empirical: {
      double s = 0;
      for (double v : values_) s += v;
      return s / static_cast<double>(values_.size());
    }
  }
  return a_;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::Constant:
      return 0.0;
    case Kind::Uniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::Exponential:
      return a_ * a_;
    case Kind::Normal:
      return b_ * b_;
    case Kind::Lognormal:
      return (std::exp(b_ * b_) - 1.0) * std::exp(2.0 * a_ + b_ * b_);
    case Kind::Empirical: {
      const double m = mean();
      double s = 0;
      for (double v : values_) s += (v - m) * (v - m);
      return s / static_cast<double>(values_.size());
    }
  }
  return 0.0;
}

Distribution parse_distribution(std::string_view text, const ValueParser& value) {
  const std::string_view t = trim(text);
  const auto open = t.find('(');
  if (open == std::string_view::npos) {
    try {
      return Distribution::constant(value(t));
    } catch (const std::invalid_argument& e) {
      bad(text, std::string("is neither a value nor a distribution: ") + e.what());
    }
  }
  if (t.back() != ')') bad(text, "is missing its closing ')'");
  const std::string_view name = trim(t.substr(0, open));
  const auto args = split_args(t.substr(open + 1, t.size() - open - 2));
  const auto want = [&](std::size_t n) {
    if (args.size() != n) bad(text, "takes " + std::to_string(n) + " arguments");
  };
  const auto val = [&](std::string_view a) {
    try {
      return value(a);
    } catch (const std::invalid_argument& e) {
      bad(text, e.what());
    }
  };
  try {
    if (name == "constant") {
      want(1);
      return Distribution::constant(val(args[0]));
    }
    if (name == "uniform") {
      want(2);
      return Distribution::uniform(val(args[0]), val(args[1]));
    }
    if (name == "exponential") {
      want(1);
      return Distribution::exponential(val(args[0]));
    }
    if (name == "normal") {
      want(2);
      return Distribution::normal(val(args[0]), val(args[1]));
    }
    if (name == "lognormal") {
      want(2);
      return Distribution::lognormal(val(args[0]), plain_number(args[1], text));
    }
    if (name == "empirical") {
      std::vector<double> vs;
      vs.reserve(args.size());
      for (auto a : args) vs.push_back(val(a));
      return Distribution::empirical(std::move(vs));
    }
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    if (msg.rfind('\'', 0) == 0) throw;  // already names the text
    bad(text, msg);
  }
  bad(text, "names an unknown distribution '" + std::string(name) + "'");
}

Distribution parse_duration_distribution(std::string_view text) {
  return parse_distribution(
      text, [](std::string_view v) { return static_cast<double>(parse_duration(v).us()); });
}

namespace {
/// A draw of `us` microseconds as a duration.
Time duration_of(double us) {
  // Past the 64-bit range a draw means "never" (an app that takes 10^6 years to start never
  // starts), not a wrapped negative time ("up at once").
  return us <= 0 ? Time::zero() : Time::from_us_f(us);
}
}  // namespace

Time sample_duration(const Distribution& d, RandomStream& rng) {
  return duration_of(d.sample(rng));
}

Time constant_duration(const Distribution& d) {
  if (!d.is_constant()) throw std::logic_error("constant_duration of a distribution that draws");
  return duration_of(d.mean());  // a constant's mean is its value
}

}  // namespace wlsim::engine

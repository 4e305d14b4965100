#include "wlsim/scenarios/run_rows.hpp"

#include <array>
#include <string_view>

#include "wlsim/scenarios/summary.hpp"

namespace wlsim::scenarios {

using engine::Json;

namespace {

// A null does not say what it stands for; these names do. Fields that are text when set would
// otherwise be a metric without a value, clashing with the text of the same name in another run;
// objects that are absent would be a metric that never has a value.
constexpr std::array<std::string_view, 2> kNullableText{"outcome", "autoscaler.policy"};
constexpr std::array<std::string_view, 3> kNullableObjects{"timeToRunningBreakdown",
                                                           "requestLatency", "coldStarts.wait"};

template <std::size_t N>
bool among(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

class Flattener {
 public:
  explicit Flattener(RunRows& out) : out_(out) {}

  /// Every scalar of `object`, under `prefix`; `skip` names a field of this level left out.
  void object(const std::string& workload, const std::string& replacement, const Json& object,
              const std::string& prefix, std::string_view skip = {}) {
    for (const auto& [key, value] : object.items()) {
      if (!skip.empty() && key == skip) continue;
      value_of(workload, replacement, prefix.empty() ? key : prefix + "." + key, value);
    }
  }

  void value_of(const std::string& workload, const std::string& replacement,
                const std::string& name, const Json& v) {
    if (v.is_object()) {
      object(workload, replacement, v, name);
    } else if (v.is_null()) {
      if (among(kNullableText, name)) {
        out_.texts.push_back({workload, replacement, name, ""});
      } else if (!among(kNullableObjects, name)) {
        out_.metrics.push_back({workload, replacement, name, std::nullopt});
      }
    } else if (v.is_boolean()) {
      out_.metrics.push_back({workload, replacement, name, v.get<bool>() ? 1.0 : 0.0});
    } else if (v.is_number()) {
      out_.metrics.push_back({workload, replacement, name, v.get<double>()});
    } else if (v.is_string()) {
      out_.texts.push_back({workload, replacement, name, v.get<std::string>()});
    }
    // Lists other than a workload's protons and replacements hold no per-run scalar.
  }

 private:
  RunRows& out_;
};

}  // namespace

RunRows summary_rows(const Json& summary) {
  RunRows out;
  Flattener flat(out);
  if (const auto w = summary.find("workloads"); w != summary.end()) {
    for (const auto& [id, workload] : w->items()) {
      for (const auto& [key, value] : workload.items()) {
        if (key == "protons") continue;
        if (key == "replacements") {
          for (const Json& r : value) {
            flat.object(id, r.at("id").get<std::string>(), r, "", "id");
          }
          continue;
        }
        flat.value_of(id, "", key, value);
      }
    }
  }
  if (const auto f = summary.find("fleet"); f != summary.end() && f->is_object()) {
    flat.object("", "", *f, "");
  }
  return out;
}

RunRows run_rows(const RunResult& r) { return summary_rows(summary_metrics_value(r)); }

}  // namespace wlsim::scenarios

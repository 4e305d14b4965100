#include "wlsim/scenarios/run_rows.hpp"

#include <array>
#include <string_view>
#include <type_traits>

#include "summary_fields.hpp"
#include "wlsim/scenarios/fleet_metrics.hpp"
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

/// The rows of a run, whichever way its summary is read: one rule for a leaf of the summary.
class Rows {
 public:
  explicit Rows(RowSink& sink) : sink_(sink) {}

  void number(std::string_view workload, std::string_view replacement, std::string_view name,
              double v) {
    sink_.metric(workload, replacement, name, v);
  }
  void text(std::string_view workload, std::string_view replacement, std::string_view name,
            std::string_view text) {
    sink_.text(workload, replacement, name, text);
  }
  void null(std::string_view workload, std::string_view replacement, std::string_view name) {
    if (among(kNullableText, name)) {
      sink_.text(workload, replacement, name, "");
    } else if (!among(kNullableObjects, name)) {
      sink_.metric(workload, replacement, name, std::nullopt);
    }
  }

 private:
  RowSink& sink_;
};

/// Keeps the rows.
class Keep final : public RowSink {
 public:
  void metric(std::string_view workload, std::string_view replacement, std::string_view metric,
              std::optional<double> value) override {
    rows.metrics.push_back(
        {std::string(workload), std::string(replacement), std::string(metric), value});
  }
  void text(std::string_view workload, std::string_view replacement, std::string_view field,
            std::string_view text) override {
    rows.texts.push_back(
        {std::string(workload), std::string(replacement), std::string(field), std::string(text)});
  }
  RunRows rows;
};

/// The rows of a summary read as JSON.
class Flattener {
 public:
  explicit Flattener(RowSink& sink) : rows_(sink) {}

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
      rows_.null(workload, replacement, name);
    } else if (v.is_boolean()) {
      rows_.number(workload, replacement, name, v.get<bool>() ? 1.0 : 0.0);
    } else if (v.is_number()) {
      rows_.number(workload, replacement, name, v.get<double>());
    } else if (v.is_string()) {
      rows_.text(workload, replacement, name, v.get_ref<const std::string&>());
    }
    // Lists other than a workload's protons and replacements hold no per-run scalar.
  }

 private:
  Rows rows_;
};

/// The rows of summary_fields.hpp's fields as they are written: what Flattener makes of them once
/// written as JSON. A field's name is made in one buffer shared by the nested objects (each
/// appends its key while it writes), so that writing rows allocates nothing once it has grown.
class RowsOut {
 public:
  /// A workload's own level (`workload` "" for the fleet): its `replacements` give rows of their
  /// own. `path` is the buffer, empty.
  RowsOut(Rows& rows, std::string_view workload, std::string& path)
      : RowsOut(rows, workload, {}, path, {}) {
    top_ = true;
  }

  template <class T>
  void value(std::string_view key, T v) {
    double d = 0;
    if constexpr (std::is_same_v<T, bool>) {
      d = v ? 1.0 : 0.0;
    } else {
      d = static_cast<double>(v);
    }
    named(key, [&](std::string_view name) { rows_.number(workload_, replacement_, name, d); });
  }
  void text(std::string_view key, std::string_view s) {
    if (key == skip_) return;
    named(key, [&](std::string_view name) { rows_.text(workload_, replacement_, name, s); });
  }
  void null(std::string_view key) {
    named(key, [&](std::string_view name) { rows_.null(workload_, replacement_, name); });
  }
  template <class Fill>
  void object(std::string_view key, Fill&& fill) {
    named(key, [&](std::string_view) {
      RowsOut out(rows_, workload_, replacement_, path_, {});
      fill(out);
    });
  }
  template <class Items, class Fill>
  void list(std::string_view key, const Items& items, Fill&& fill) {
    // A workload's level has no prefix: each replacement's fields are named from the top.
    if (!top_ || key != "replacements") return;
    for (const auto& item : items) {
      RowsOut out(rows_, workload_, item.id, path_, "id");
      fill(out, item);
    }
  }

 private:
  RowsOut(Rows& rows, std::string_view workload, std::string_view replacement, std::string& path,
          std::string_view skip)
      : rows_(rows), workload_(workload), replacement_(replacement), path_(path), skip_(skip) {}

  /// Calls `f` with the name of `key` at this level ("prefix.key"), valid during the call.
  template <class F>
  void named(std::string_view key, F&& f) {
    const std::size_t at = path_.size();
    if (at > 0) path_ += '.';
    path_ += key;
    f(std::string_view(path_));
    path_.resize(at);
  }

  Rows& rows_;
  std::string_view workload_;
  std::string_view replacement_;
  std::string& path_;
  std::string_view skip_;
  bool top_ = false;
};

}  // namespace

RunRows summary_rows(const Json& summary) {
  Keep keep;
  Flattener flat(keep);
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
  return std::move(keep.rows);
}

void run_rows(const RunResult& r, RowSink& sink) {
  // As summary_rows(summary_metrics_value(r)): the same fields in the same order.
  Rows rows(sink);
  std::string path;
  for (const WorkloadResult& w : r.workloads) {
    RowsOut o(rows, w.id, path);
    fields::workload(o, w);
  }
  RowsOut fleet(rows, "", path);
  fields::fleet(fleet, measure_fleet(r));
}

RunRows run_rows(const RunResult& r) {
  Keep keep;
  run_rows(r, keep);
  return std::move(keep.rows);
}

}  // namespace wlsim::scenarios

// The `wlsim` command: run, validate and trace scenario files.
// Exit codes: 0 success, 2 invalid input or usage (message on stderr, nothing on stdout), 1 internal error.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "wlsim/engine/trace.hpp"
#include "wlsim/models/transitions.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/replications.hpp"
#include "wlsim/scenarios/runner.hpp"
#include "wlsim/scenarios/summary.hpp"

namespace {

using namespace wlsim;

constexpr const char* kUsage =
    "usage: wlsim COMMAND FILE [options]\n"
    "\n"
    "commands:\n"
    "  run FILE [--seed N] [--format table|json] [--out DIR] [--replications R] [--threads T]\n"
    "      simulate the scenario to its duration and print the summary (R seeds: their statistics)\n"
    "  validate FILE\n"
    "      check the scenario and say what it holds\n"
    "  trace FILE [--seed N] [--format csv|jsonl]\n"
    "      simulate and print every trace record (time, object, kind, from, to, reason, message)\n"
    "  status FILE --at TIME [--seed N] [--format table|json]\n"
    "      simulate to TIME and print every workload's status details (protons, replicas, containers)\n"
    "  graph KIND\n"
    "      print the legal transitions of KIND (container, phase, replica, proton, workload,\n"
    "      replacement) as DOT\n"
    "\n"
    "Run `wlsim COMMAND --help` for one command. Exit status: 0 ok, 2 invalid input, 1 internal error.\n";

struct UsageError {
  std::string message;
};

struct Args {
  std::string command;
  std::string file;
  std::map<std::string, std::string> options;
  bool help = false;
};

const std::map<std::string, std::vector<std::string>> kOptions{
    {"run", {"--seed", "--format", "--out", "--replications", "--threads"}},
    {"validate", {}},
    {"trace", {"--seed", "--format"}},
    {"status", {"--at", "--seed", "--format"}},
    {"graph", {}}};

const std::map<std::string, std::string> kHelp{
    {"run",
     "usage: wlsim run FILE [--seed N] [--format table|json] [--out DIR]\n"
     "  Simulates FILE (YAML or JSON) to its duration and prints the summary.\n"
     "  --seed N        overrides the scenario's seed\n"
     "  --format F      table (default) or json: {scenario, seed, simulatedSeconds, events,\n"
     "                  traceRecords, traceHash, workloads: {id: {status, timeToRunning, ...}}}\n"
     "  --out DIR       also writes DIR/summary.json and DIR/trace.csv (one run only)\n"
     "  --replications R  runs seeds N..N+R-1 and prints each workload's metrics across them: n,\n"
     "                  mean, 95% confidence half-width, p50, p90, max (json: also every run's summary)\n"
     "  --threads T     runs the replications on T threads (default: the machine's cores); the\n"
     "                  output does not depend on T\n"},
    {"validate",
     "usage: wlsim validate FILE\n"
     "  Checks FILE against the scenario format; prints what it holds, or the first error with its\n"
     "  field path and the allowed values.\n"},
    {"trace",
     "usage: wlsim trace FILE [--seed N] [--format csv|jsonl]\n"
     "  Simulates FILE and prints the event log: one record per state change or event.\n"},
    {"status",
     "usage: wlsim status FILE --at TIME [--seed N] [--format table|json]\n"
     "  Simulates FILE up to TIME (e.g. 10m) and prints each workload's protons, replicas (phase,\n"
     "  conditions, node, last messages) and containers (state, reason, ready, restartCount, last exit),\n"
     "  like the platform's statusDetails.\n"},
    {"graph",
     "usage: wlsim graph KIND\n"
     "  Prints the legal transitions of KIND as Graphviz DOT. KIND: container, phase, replica, proton,\n"
     "  workload, replacement. Render with: wlsim graph proton | dot -Tsvg > proton.svg\n"},
};

Args parse_args(int argc, char** argv) {
  Args a;
  std::vector<std::string> v(argv + 1, argv + argc);
  if (v.empty()) throw UsageError{"missing command"};
  if (v[0] == "--help" || v[0] == "-h" || v[0] == "help") {
    a.help = true;
    return a;
  }
  a.command = v[0];
  const auto allowed = kOptions.find(a.command);
  if (allowed == kOptions.end()) {
    throw UsageError{"unknown command '" + a.command + "' (allowed: run, validate, trace, status, graph)"};
  }
  for (std::size_t i = 1; i < v.size(); ++i) {
    const std::string& s = v[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
    } else if (s.rfind("--", 0) == 0) {
      std::string key = s;
      std::string value;
      if (const auto eq = s.find('='); eq != std::string::npos) {
        key = s.substr(0, eq);
        value = s.substr(eq + 1);
      } else {
        if (i + 1 >= v.size()) throw UsageError{s + " needs a value"};
        value = v[++i];
      }
      const auto& opts = allowed->second;
      if (std::find(opts.begin(), opts.end(), key) == opts.end()) {
        std::string list;
        for (const auto& o : opts) list += (list.empty() ? "" : ", ") + o;
        throw UsageError{"unknown option " + key + " for " + a.command + " (allowed: " + (list.empty() ? "none" : list) + ")"};
      }
      a.options[key] = value;
    } else if (a.file.empty()) {
      a.file = s;
    } else {
      throw UsageError{"unexpected argument '" + s + "'"};
    }
  }
  if (!a.help && a.file.empty()) {
    throw UsageError{a.command == "graph" ? "graph needs a KIND (container, phase, replica, proton, workload, replacement)"
                                          : a.command + " needs a scenario FILE"};
  }
  return a;
}

std::string option(const Args& a, const std::string& key, const std::string& fallback,
                   const std::vector<std::string>& allowed) {
  const auto it = a.options.find(key);
  if (it == a.options.end()) return fallback;
  for (const auto& v : allowed) {
    if (it->second == v) return v;
  }
  std::string list;
  for (const auto& v : allowed) list += (list.empty() ? "" : ", ") + v;
  throw UsageError{key + ": '" + it->second + "' is not one of: " + list};
}

std::optional<std::uint64_t> seed_option(const Args& a) {
  const auto it = a.options.find("--seed");
  if (it == a.options.end()) return std::nullopt;
  const std::string& s = it->second;
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19) {
    throw UsageError{"--seed: '" + s + "' is not a non-negative integer"};
  }
  return std::stoull(s);
}

int count_option(const Args& a, const std::string& key, int fallback) {
  const auto it = a.options.find(key);
  if (it == a.options.end()) return fallback;
  const std::string& v = it->second;
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) < 1) {
    throw UsageError{key + ": '" + v + "' is not a whole number from 1 to 999999"};
  }
  return std::stoi(v);
}

int cmd_run(const Args& a) {
  const auto format = option(a, "--format", "table", {"table", "json"});
  const auto seed = seed_option(a);
  const int replications = count_option(a, "--replications", 1);
  const int threads = count_option(a, "--threads", static_cast<int>(std::max(1U, std::thread::hardware_concurrency())));
  if (a.options.contains("--threads") && !a.options.contains("--replications")) {
    throw UsageError{"--threads needs --replications"};
  }
  if (a.options.contains("--replications") && a.options.contains("--out")) {
    throw UsageError{"--out writes one run's trace; leave it out with --replications"};
  }
  const scenarios::Scenario s = scenarios::load_file(a.file);
  if (a.options.contains("--replications")) {
    const auto summary = scenarios::run_replications(s, seed.value_or(s.seed), replications, threads);
    std::cout << (format == "json" ? scenarios::replications_json(summary) + "\n" : scenarios::replications_table(summary));
    return 0;
  }
  std::ostringstream trace_csv;
  std::optional<engine::CsvSink> csv;
  scenarios::RunOptions opts{.seed = seed};
  if (a.options.contains("--out")) opts.sink = &csv.emplace(trace_csv);
  const scenarios::RunResult r = scenarios::run(s, opts);
  const std::string json = scenarios::summary_json(r);
  if (const auto out = a.options.find("--out"); out != a.options.end()) {
    std::error_code ec;
    std::filesystem::create_directories(out->second, ec);
    std::ofstream sj(std::filesystem::path(out->second) / "summary.json");
    std::ofstream tc(std::filesystem::path(out->second) / "trace.csv");
    if (ec || !sj || !tc) throw UsageError{"--out: cannot write to directory '" + out->second + "'"};
    sj << json << "\n";
    tc << trace_csv.str();
  }
  std::cout << (format == "json" ? json + "\n" : scenarios::summary_table(r));
  return 0;
}

int cmd_validate(const Args& a) {
  const scenarios::Scenario s = scenarios::load_file(a.file);
  int nodes = 0;
  for (const auto& p : s.platform.cluster.node_pools) nodes += p.count;
  std::cout << a.file << ": valid scenario '" << s.name << "': " << s.platform.workloads.size()
            << " workload(s), " << s.platform.artifacts.size() << " artifact(s), " << nodes
            << " node(s), duration " << engine::format_duration(s.duration) << "\n";
  return 0;
}

int cmd_trace(const Args& a) {
  const auto format = option(a, "--format", "csv", {"csv", "jsonl"});
  const auto seed = seed_option(a);
  const scenarios::Scenario s = scenarios::load_file(a.file);
  std::ostringstream out;  // printed only once the run has succeeded: no partial output
  std::optional<engine::CsvSink> csv;
  std::optional<engine::JsonLinesSink> jsonl;
  engine::TraceSink* sink = format == "csv" ? static_cast<engine::TraceSink*>(&csv.emplace(out))
                                            : static_cast<engine::TraceSink*>(&jsonl.emplace(out));
  (void)scenarios::run(s, {.seed = seed, .sink = sink});
  std::cout << out.str();
  return 0;
}

int cmd_status(const Args& a) {
  const auto format = option(a, "--format", "table", {"table", "json"});
  const auto seed = seed_option(a);
  const auto at_text = a.options.find("--at");
  if (at_text == a.options.end()) throw UsageError{"status needs --at TIME (e.g. --at 10m)"};
  engine::Time at;
  try {
    at = engine::parse_duration(at_text->second);
  } catch (const std::invalid_argument& e) {
    throw UsageError{std::string("--at: ") + e.what()};
  }
  const scenarios::Scenario s = scenarios::load_file(a.file);
  if (at > s.duration) {
    throw UsageError{"--at: " + at_text->second + " is after the scenario's duration (" +
                     engine::format_duration(s.duration) + ")"};
  }
  const scenarios::RunOptions opts{
      .seed = seed,
      .until = at,
      .status = format == "json" ? scenarios::StatusFormat::Json : scenarios::StatusFormat::Table};
  const scenarios::RunResult r = scenarios::run(s, opts);
  std::cout << r.status << (format == "json" ? "\n" : "");
  return 0;
}

int cmd_graph(const Args& a) {
  const auto machine = models::parse_machine(a.file);
  if (!machine) {
    throw UsageError{"graph: '" + a.file + "' is not one of: container, phase, replica, proton, workload, replacement"};
  }
  std::cout << models::transition_graph(*machine).to_dot();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse_args(argc, argv);
    if (a.help) {
      const auto h = kHelp.find(a.command);
      std::cout << (h == kHelp.end() ? kUsage : h->second);
      return 0;
    }
    if (a.command == "run") return cmd_run(a);
    if (a.command == "validate") return cmd_validate(a);
    if (a.command == "status") return cmd_status(a);
    if (a.command == "graph") return cmd_graph(a);
    return cmd_trace(a);
  } catch (const UsageError& e) {
    std::cerr << "wlsim: " << e.message << "\n\n" << kUsage;
    return 2;
  } catch (const scenarios::ScenarioError& e) {
    std::cerr << "wlsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "wlsim: internal error: " << e.what() << "\n";
    return 1;
  }
}

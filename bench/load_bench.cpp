// Issue 11's loading figure: the fleet-day file (fleet_scenario.hpp, expanded form) read by each
// reader of scenario text, in YAML and in JSON. Each measurement runs in a child process of its
// own, so its memory figure (the peak resident set while reading, above the resident set with the
// text read) is its own.
//
// Usage: wlsim_load_bench [--workloads=5000] [--reps=3]

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "../scenarios/document_text.hpp"
#include "../scenarios/scenario_text.hpp"
#include "../scenarios/yaml_cpp_document.hpp"
#include "../scenarios/yaml_scanner.hpp"
#include "fleet_scenario.hpp"

namespace {

namespace ws = wlsim::scenarios;

// A field of /proc/self/status in kB ("VmRSS", "VmHWM").
long status_kb(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':') {
      return std::atol(line.c_str() + field.size() + 1);
    }
  }
  return -1;
}

// JSON as a program would write the scenario: plain numbers and booleans bare, every other scalar
// a string, null as null.
void to_json(ws::NodeRef n, std::string& out) {
  switch (n.kind()) {
    case ws::NodeRef::Kind::Null:
      out += "null";
      return;
    case ws::NodeRef::Kind::Scalar: {
      const std::string_view s = n.scalar();
      const bool bare =
          n.plain() &&
          (s == "true" || s == "false" ||
           (!s.empty() && s.find_first_not_of("0123456789.") == std::string_view::npos &&
            std::count(s.begin(), s.end(), '.') <= 1 && s.front() != '.' && s.back() != '.' &&
            !(s.size() > 1 && s[0] == '0' && s[1] != '.')));
      if (bare) {
        out += s;
        return;
      }
      out += '"';
      for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
          out += "\\n";
          continue;
        }
        out += c;
      }
      out += '"';
      return;
    }
    case ws::NodeRef::Kind::Sequence:
      out += '[';
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        if (i > 0) out += ", ";
        to_json(n.item(i), out);
      }
      out += ']';
      return;
    case ws::NodeRef::Kind::Map:
      out += '{';
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        if (i > 0) out += ", ";
        to_json(n.key(i), out);
        out += ": ";
        to_json(n.value(i), out);
      }
      out += '}';
      return;
  }
}

struct Figures {
  double seconds = 0;       // best of the repetitions
  long peak_growth_kb = 0;  // peak resident set while reading, above the resident set before
  std::size_t document_bytes = 0;
};

const char* const kReaders[] = {
    "parse_document (yaml-cpp)",       "to_document(parse_document)",
    "read_document (fast readers)",    "check_text alone (size, UTF-8, depth)",
    "read_yaml_scanned (the scanner alone)",
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::string text(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

// The child: reads `path` with reader `which`, `reps` times; prints seconds, kB, bytes.
int child(int which, const std::string& path, int reps) {
  const std::string text = read_file(path);
  const ws::Limits limits;
  const long before = status_kb("VmRSS");
  Figures out;
  out.seconds = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    switch (which) {
      case 0: {
        const YAML::Node n = ws::parse_document(text, limits);
        out.document_bytes = n.IsMap() ? 0 : 0;
        break;
      }
      case 1:
        out.document_bytes = ws::to_document(ws::parse_document(text, limits)).bytes();
        break;
      case 2:
        out.document_bytes = ws::read_document(text, limits).bytes();
        break;
      case 4: {
        const auto doc = ws::read_yaml_scanned(text, limits);
        out.document_bytes = doc ? doc->bytes() : 0;
        break;
      }
      default:
        ws::check_text(text, limits);
        break;
    }
    const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
    out.seconds = std::min(out.seconds, dt.count());
  }
  out.peak_growth_kb = status_kb("VmHWM") - before;
  std::printf("%.9f %ld %zu\n", out.seconds, out.peak_growth_kb, out.document_bytes);
  return 0;
}

// Runs the child in a fresh process (its peak is its own) and reads its figures.
bool measure(const char* self, int which, const std::string& path, int reps, Figures& f) {
  const std::string cmd = std::string(self) + " --child=" + std::to_string(which) +
                          " --file=" + path + " --reps=" + std::to_string(reps);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return false;
  const int got =
      std::fscanf(pipe, "%lf %ld %zu", &f.seconds, &f.peak_growth_kb, &f.document_bytes);
  return pclose(pipe) == 0 && got == 3;
}

}  // namespace

int main(int argc, char** argv) {
  int workloads = 5000;
  int reps = 3;
  int which = -1;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--workloads=")) {
      workloads = std::max(1, std::atoi(a.data() + 12));
    } else if (a.starts_with("--reps=")) {
      reps = std::max(1, std::atoi(a.data() + 7));
    } else if (a.starts_with("--child=")) {
      which = std::atoi(a.data() + 8);
    } else if (a.starts_with("--file=")) {
      file = std::string(a.substr(7));
    } else {
      std::fprintf(stderr, "wlsim_load_bench: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (which >= 0) return child(which, file, reps);

  const std::string yaml =
      wlsim::bench::fleet_day_yaml(workloads, wlsim::bench::FleetForm::Expanded);
  std::string json;
  {
    const ws::Document d = ws::to_document(ws::parse_document(yaml, ws::Limits{}));
    to_json(d.root(), json);
  }
  if (!ws::read_json_fast(json, ws::Limits{}) || !ws::read_yaml_scanned(yaml, ws::Limits{})) {
    std::fprintf(stderr, "wlsim_load_bench: a fast reader refused the fleet-day text\n");
    return 1;
  }
  char dir_pattern[] = "/tmp/wlsim_load_bench_XXXXXX";
  if (mkdtemp(dir_pattern) == nullptr) return 1;
  const std::string dir = dir_pattern;
  const std::string yaml_path = dir + "/fleet.yaml";
  const std::string json_path = dir + "/fleet.json";
  std::ofstream(yaml_path, std::ios::binary) << yaml;
  std::ofstream(json_path, std::ios::binary) << json;

  struct Row {
    int which;
    const char* format;
    const std::string* path;
    std::size_t size;
  };
  const std::vector<Row> rows = {
      {0, "YAML", &yaml_path, yaml.size()}, {1, "YAML", &yaml_path, yaml.size()},
      {2, "YAML", &yaml_path, yaml.size()}, {2, "JSON", &json_path, json.size()},
      {0, "JSON", &json_path, json.size()}, {3, "YAML", &yaml_path, yaml.size()},
      {3, "JSON", &json_path, json.size()}, {4, "YAML", &yaml_path, yaml.size()},
  };
  std::printf(
      "Loading the fleet-day text, %d workloads (expanded): YAML %.2f MB, JSON %.2f MB; best of "
      "%d, each reader in a process of its own\n",
      workloads, static_cast<double>(yaml.size()) / 1e6, static_cast<double>(json.size()) / 1e6,
      reps);
  std::printf("%-38s | %-4s | %8s | %8s | %11s | %12s | %9s\n", "reader", "text", "s", "MB/s",
              "Document MB", "RSS peak MB", "peak/file");
  int status = 0;
  for (const Row& r : rows) {
    Figures f;
    if (!measure(argv[0], r.which, *r.path, reps, f)) {
      std::fprintf(stderr, "wlsim_load_bench: measuring '%s' failed\n", kReaders[r.which]);
      status = 1;
      break;
    }
    const double mb = static_cast<double>(r.size) / 1e6;
    std::printf("%-38s | %-4s | %8.4f | %8.1f | %11.2f | %12.1f | %9.1f\n", kReaders[r.which],
                r.format, f.seconds, mb / f.seconds, static_cast<double>(f.document_bytes) / 1e6,
                static_cast<double>(f.peak_growth_kb) / 1e3,
                static_cast<double>(f.peak_growth_kb) * 1e3 / static_cast<double>(r.size));
  }
  std::filesystem::remove_all(dir);
  return status;
}

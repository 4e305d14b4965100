// Issue 11's loading figure: the fleet-day file (fleet_scenario.hpp, expanded form) read by each
// reader of scenario text, in YAML and in JSON. Each measurement runs in a child process of its
// own, so its memory figure (the peak resident set while reading, above the resident set before) is
// not hidden by what an earlier one left behind.
//
// Usage: wlsim_load_bench [--workloads=5000] [--reps=3]

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "../scenarios/document_text.hpp"
#include "../scenarios/scenario_text.hpp"
#include "../scenarios/yaml_cpp_document.hpp"
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
  double seconds;       // best of the repetitions
  long peak_growth_kb;  // peak resident set while reading, above the resident set before
  std::size_t document_bytes;
};

bool read_exactly(int fd, Figures& f) {
  auto* p = reinterpret_cast<char*>(&f);
  std::size_t left = sizeof f;
  while (left > 0) {
    const ssize_t n = ::read(fd, p, left);
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

// Runs `read` `reps` times in a child process; the figures come back through a pipe.
bool measure(const std::function<std::size_t()>& read, int reps, Figures& f) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    close(fds[0]);
    std::ofstream("/proc/self/clear_refs") << "5";  // resets the peak (VmHWM) to the current set
    const long before = status_kb("VmRSS");
    Figures out{1e30, 0, 0};
    for (int r = 0; r < reps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      out.document_bytes = read();
      const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
      out.seconds = std::min(out.seconds, dt.count());
    }
    out.peak_growth_kb = status_kb("VmHWM") - before;
    const bool ok = write(fds[1], &out, sizeof out) == static_cast<ssize_t>(sizeof out);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  const bool ok = read_exactly(fds[0], f);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  int workloads = 5000;
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--workloads=")) {
      workloads = std::max(1, std::atoi(a.data() + 12));
    } else if (a.starts_with("--reps=")) {
      reps = std::max(1, std::atoi(a.data() + 7));
    } else {
      std::fprintf(stderr, "wlsim_load_bench: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  const std::string yaml =
      wlsim::bench::fleet_day_yaml(workloads, wlsim::bench::FleetForm::Expanded);
  std::string json;
  {
    const ws::Document d = ws::to_document(ws::parse_document(yaml, ws::Limits{}));
    to_json(d.root(), json);
  }
  if (!ws::read_json_fast(json, ws::Limits{}) || !ws::read_yaml_fast(yaml, ws::Limits{})) {
    std::fprintf(stderr, "wlsim_load_bench: a fast reader refused the fleet-day text\n");
    return 1;
  }

  struct Row {
    const char* reader;
    const std::string* text;
    std::function<std::size_t()> read;
  };
  const ws::Limits limits;
  const std::vector<Row> rows = {
      {"parse_document (yaml-cpp)", &yaml,
       [&] {
         const YAML::Node n = ws::parse_document(yaml, limits);
         return static_cast<std::size_t>(n.IsMap() ? 0 : 0);
       }},
      {"to_document(parse_document)", &yaml,
       [&] { return ws::to_document(ws::parse_document(yaml, limits)).bytes(); }},
      {"read_document, YAML (libfyaml)", &yaml,
       [&] { return ws::read_document(yaml, limits).bytes(); }},
      {"read_document, JSON (simdjson)", &json,
       [&] { return ws::read_document(json, limits).bytes(); }},
      {"check_text alone (size, UTF-8, depth)", &yaml,
       [&] {
         ws::check_text(yaml, limits);
         return std::size_t{0};
       }},
  };
  std::printf(
      "Loading the fleet-day text, %d workloads (expanded): YAML %.2f MB, JSON %.2f MB; best "
      "of %d\n",
      workloads, static_cast<double>(yaml.size()) / 1e6, static_cast<double>(json.size()) / 1e6,
      reps);
  std::printf("%-38s | %7s | %8s | %8s | %12s | %11s\n", "reader", "file MB", "s", "MB/s",
              "Document MB", "RSS peak MB");
  for (const Row& r : rows) {
    Figures f{};
    if (!measure(r.read, reps, f)) {
      std::fprintf(stderr, "wlsim_load_bench: measuring '%s' failed\n", r.reader);
      return 1;
    }
    const double mb = static_cast<double>(r.text->size()) / 1e6;
    std::printf("%-38s | %7.2f | %8.4f | %8.1f | %12.2f | %11.1f\n", r.reader, mb, f.seconds,
                mb / f.seconds, static_cast<double>(f.document_bytes) / 1e6,
                static_cast<double>(f.peak_growth_kb) / 1e3);
  }
  return 0;
}

// Input that users already have: a container written with Kubernetes' quantities and Go's
// durations loads; `memory: 4096` and a probe in Kubernetes' httpGet shape are errors that say
// what to write; a real export with fields wlsim does not read loads under ignore_unsupported
// (--ignore-unsupported), with one warning per field.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_harness.hpp"
#include "scenario_fixture.hpp"
#include "wlsim/scenarios/loader.hpp"
#include "wlsim/scenarios/runner.hpp"

using wlsim::scenarios::Limits;
using wlsim::scenarios::load_text;
using wlsim::testing::Cli;
using wlsim::testing::error_of;
using wlsim::testing::one_workload;

namespace {
constexpr std::int64_t kMi = 1024 * 1024;
constexpr double kS = 1e6;
const std::string kContainer = "f.yaml: artifacts[0].containerGroups[0].containers[0].";

Limits ignoring() {
  Limits l;
  l.ignore_unsupported = true;
  return l;
}

// A one-workload scenario as an export has it: fields wlsim does not read at the top, in a
// container, and in each of two node pools.
std::string exported() {
  return one_workload(
      {.container = "terminationMessagePath: /dev/termination-log, securityContext: {runAsUser: 0, "
                    "capabilities: {drop: [ALL]}}",
       .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: 32Gi}, "
                  "cachedImages: [reg/app:1], taints: [{key: k, effect: NoSchedule}]}, "
                  "{name: m, count: 1, allocatable: {cpu: 8, memory: 32Gi}, taints: []}]}",
       .top = "apiVersion: v1\nmetadata: {labels: {team: a}}\n"});
}
std::string clean() {
  return one_workload({.cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 8, memory: "
                                  "32Gi}, cachedImages: [reg/app:1]}, {name: m, count: 1, "
                                  "allocatable: {cpu: 8, memory: 32Gi}}]}"});
}
}  // namespace

TEST_CASE("a container written with Kubernetes quantities and Go durations loads exactly",
          "[loader][units]") {
  const auto s = load_text(one_workload(
      {.container = "behavior: {imageSize: 1.5G, startup: 1m30s, memory: 256Mi, memoryGrowth: "
                    "1Mi/s}",
       .cluster = "{nodePools: [{name: n, count: 1, allocatable: {cpu: 7500m, memory: 32Gi}}], "
                  "registry: {latency: 0.5s, bandwidth: 100Mi/s}}",
       .resources = "{cpu: 500m, memory: 4Gi}",
       .probe = "{path: /healthz, periodSeconds: 10}",
       .duration = "1h30m"}));
  CHECK(s.duration.us() == 5400 * 1'000'000LL);
  const auto& c = s.platform.artifacts[0].containers[0];
  CHECK(c.resources.cpu_milli == 500);
  CHECK(c.resources.memory_bytes == 4096 * kMi);
  CHECK(c.behavior.image_size_bytes == 1'500'000'000);
  CHECK(c.behavior.startup.mean() == 90 * kS);
  CHECK(c.behavior.memory_bytes == 256 * kMi);
  CHECK(c.behavior.memory_growth_bytes_per_s == kMi);
  const auto& pool = s.platform.cluster.node_pools[0];
  CHECK(pool.allocatable.cpu_milli == 7500);
  CHECK(pool.allocatable.memory_bytes == 32 * 1024 * kMi);
  CHECK(s.platform.cluster.registry.bandwidth_bytes_per_s == 100 * kMi);
}

TEST_CASE("a duration distribution takes Go durations in its arguments", "[loader][units]") {
  const auto s =
      load_text(one_workload({.container = "behavior: {startup: \"uniform(1m30s, 2m)\"}"}));
  CHECK(s.platform.artifacts[0].containers[0].behavior.startup.mean() == 105 * kS);
}

TEST_CASE("memory without a unit is an error with a hint, not bytes", "[loader][units]") {
  CHECK(error_of(one_workload({.resources = "{cpu: 1, memory: 4096}"})) ==
        kContainer +
            "resourceAllocation.memory: '4096' has no unit: write 4096Mi (mebibytes), 4096M "
            "(megabytes) or, for bytes, 4096B");
  CHECK(error_of(one_workload({.resources = "{cpu: 1, memory: 512m}"})) ==
        kContainer +
            "resourceAllocation.memory: '512m' is thousandths of a byte (m means milli): write "
            "512Mi (mebibytes) or 512M (megabytes)");
  // Zero is zero in any unit.
  CHECK(load_text(one_workload({.resources = "{cpu: 1, memory: 0}"}))
            .platform.artifacts[0]
            .containers[0]
            .resources.memory_bytes == 0);
}

TEST_CASE("a Go duration over the limit is refused with the limit", "[loader][units]") {
  CHECK(error_of(one_workload({.duration = "36500d1h"})) ==
        "f.yaml: duration: '36500d1h' is over the limit of 36500d on any duration or time");
}

TEST_CASE("a probe in Kubernetes' httpGet shape is told the platform's flat shape",
          "[loader][probes]") {
  CHECK(error_of(one_workload({.probe = "{httpGet: {path: /h, port: 8080}, periodSeconds: 10}"})) ==
        kContainer +
            "readinessProbe.httpGet: is Kubernetes' probe shape; wlsim takes the platform's flat "
            "ProbeConfig, with path, port and scheme at the top of the probe: readinessProbe: "
            "{path: /healthz, port: 8080, periodSeconds: 10}");
  CHECK(error_of(one_workload({.container = "livenessProbe: {httpGet: {path: /h}}"})) ==
        kContainer +
            "livenessProbe.httpGet: is Kubernetes' probe shape; wlsim takes the platform's flat "
            "ProbeConfig, with path, port and scheme at the top of the probe: livenessProbe: "
            "{path: /healthz, port: 8080, periodSeconds: 10}");
  // The shape is wrong, not merely unread: ignoring unknown fields does not let it pass.
  CHECK_THAT(error_of(one_workload({.probe = "{httpGet: {path: /h}}"}), ignoring()),
             Catch::StartsWith(kContainer + "readinessProbe.httpGet: is Kubernetes' probe shape"));
}

TEST_CASE("unknown fields are refused unless ignored", "[loader][ignore-unsupported]") {
  CHECK_THAT(error_of(exported()), Catch::Contains("is not a known field (allowed: "));
  CHECK(error_of(exported(), ignoring()) == "(no error)");
}

TEST_CASE("an ignored field is one sorted warning, however many list items carry it",
          "[loader][ignore-unsupported]") {
  const auto s = load_text(exported(), "f.yaml", ignoring());
  const std::string container = "artifacts[0].containerGroups[0].containers[0].";
  CHECK(s.warnings ==
        std::vector<std::string>{
            "f.yaml: apiVersion: not a field wlsim reads; ignored",
            "f.yaml: " + container + "securityContext: not a field wlsim reads; ignored",
            "f.yaml: " + container + "terminationMessagePath: not a field wlsim reads; ignored",
            "f.yaml: cluster.nodePools[*].taints: not a field wlsim reads; ignored (2 times, "
            "first at cluster.nodePools[0].taints)",
            "f.yaml: metadata: not a field wlsim reads; ignored"});
  CHECK(load_text(clean(), "f.yaml", ignoring()).warnings.empty());
  CHECK(load_text(exported(), "f.yaml", ignoring()).warnings == s.warnings);
}

TEST_CASE("an ignored field changes nothing in the run", "[loader][ignore-unsupported]") {
  const auto with = wlsim::scenarios::run(load_text(exported(), "f.yaml", ignoring()));
  const auto without = wlsim::scenarios::run(load_text(clean(), "f.yaml"));
  CHECK(with.trace_hash == without.trace_hash);
  CHECK(with.events == without.events);
}

TEST_CASE("ignoring unknown fields still checks the fields wlsim reads",
          "[loader][ignore-unsupported]") {
  CHECK(error_of(one_workload({.top = "kind: Pod\n", .resources = "{cpu: 1, memory: 4096}"}),
                 ignoring()) ==
        kContainer +
            "resourceAllocation.memory: '4096' has no unit: write 4096Mi (mebibytes), 4096M "
            "(megabytes) or, for bytes, 4096B");
}

TEST_CASE("wlsim --ignore-unsupported warns once per field on stderr and loads the file",
          "[cli][ignore-unsupported]") {
  const Cli wlsim;
  const std::string file = wlsim.write("export.yaml", exported());
  const auto refused = wlsim("validate " + file);
  CHECK(refused.code == 2);
  CHECK_THAT(refused.err, Catch::Contains("is not a known field"));

  const auto o = wlsim("validate --ignore-unsupported " + file);
  CHECK(o.code == 0);
  CHECK(o.out ==
        file + ": valid scenario 't': 1 workload(s), 1 artifact(s), 2 node(s), duration 1h\n");
  const std::string container = "artifacts[0].containerGroups[0].containers[0].";
  CHECK(o.err ==
        "wlsim: warning: " + file + ": apiVersion: not a field wlsim reads; ignored\n" +
            "wlsim: warning: " + file + ": " + container +
            "securityContext: not a field wlsim reads; ignored\n" + "wlsim: warning: " + file +
            ": " + container + "terminationMessagePath: not a field wlsim reads; ignored\n" +
            "wlsim: warning: " + file +
            ": cluster.nodePools[*].taints: not a field wlsim reads; ignored (2 times, first at "
            "cluster.nodePools[0].taints)\n" +
            "wlsim: warning: " + file + ": metadata: not a field wlsim reads; ignored\n");

  for (const std::string cmd : {"run", "validate", "trace", "status"}) {
    CHECK_THAT(wlsim(cmd + " --help").out,
               Catch::Contains("--ignore-unsupported          skip fields wlsim does not read, "
                               "warning once per field\n"));
  }

  const auto piped = wlsim("run --ignore-unsupported --format json - < " + file);
  CHECK(piped.code == 0);
  CHECK_THAT(piped.err, Catch::StartsWith("wlsim: warning: <stdin>: apiVersion: "));
  CHECK(wlsim("run --format json " + wlsim.write("clean.yaml", clean())).out == piped.out);
}

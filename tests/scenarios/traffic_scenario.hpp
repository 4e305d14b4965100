#pragma once
// Small scenarios with traffic for the tests of SEMANTICS.md §8: one workload on one roomy node
// whose image is cached, Kubernetes probe defaults (the first readiness probe at the container's
// start), so replicas are ready the instant they start unless a test says otherwise, and the KPA's
// targetUtilization at 1.0.

#include <string>

namespace wlsim::testing {

struct Served {
  std::string traffic;  ///< the traffic entry's fields, e.g. "rate: 10/s, serviceTime: 1s"
  int replicas = 1;
  std::string autoscaling{};    ///< the group's autoscaling block, flow style; empty for none
  std::string behavior = "{}";  ///< the container's behavior, flow style
  /// The platform block, flow style. Knative's own targetUtilization (0.7) is the kubernetes
  /// profile's default; the tests' arithmetic uses the platform's 1.0.
  std::string platform = "{kpa: {targetUtilization: 1}}";
  std::string duration = "10m";
  std::string profile = "kubernetes";
  std::string extra_top{};    ///< more top-level lines (actions, a second artifact)
  std::string pull_policy{};  ///< e.g. "Always"
  std::string cached = "[reg/app:1, reg/app:2]";  ///< the images on the node from the start
};

inline std::string served(const Served& s) {
  std::string y = "name: t\nseed: 5\nduration: " + s.duration + "\nprofile: " + s.profile +
                  "\ncluster:\n  nodePools: [{name: n, count: 1, allocatable: {cpu: 1000, memory: "
                  "4000GB}, cachedImages: " +
                  s.cached + "}]\n  registry: {latency: 200ms, "
                  "bandwidth: 100MB/s}\nartifacts:\n";
  for (const char* v : {"1", "2"}) {
    y += std::string("  - id: a") + v +
         "\n    status: locked\n    containerGroups:\n      - name: default\n        containers:\n"
         "          - {name: app, imageUri: reg/app:" +
         v + ", readinessProbe: {path: /healthz}, resourceAllocation: {cpu: 1, memory: 1GB}" +
         (s.pull_policy.empty() ? "" : ", imagePullPolicy: " + s.pull_policy) +
         ", behavior: " + s.behavior + "}\n";
  }
  y += "workloads:\n  - {id: wl, artifactId: a1, runtime: {containerGroups: [{name: default, "
       "replicaCount: " +
       std::to_string(s.replicas) +
       (s.autoscaling.empty() ? "" : ", autoscaling: " + s.autoscaling) + "}]}}\n";
  y += "traffic:\n  - {workload: wl, " + s.traffic + "}\n";
  if (!s.platform.empty()) y += "platform: " + s.platform + "\n";
  y += s.extra_top;
  return y;
}

}  // namespace wlsim::testing

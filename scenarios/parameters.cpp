#include "wlsim/scenarios/parameters.hpp"

#include "wlsim/engine/json.hpp"

namespace wlsim::scenarios {

using engine::format_duration;
using engine::number_text;

models::PlatformSettings default_settings(models::Profile profile) {
  models::PlatformSettings s;
  // Knative's container-concurrency-target-percentage; the platform's is 1.0
  // (docs/traffic-autoscaling.md).
  if (profile == models::Profile::Kubernetes) s.kpa.target_utilization = 0.7;
  return s;
}

std::vector<Parameter> parameters(const models::PlatformSettings& s, models::Profile profile) {
  // Each source names the docs/ page that documents the number (a test holds the page to the
  // default printed here) and the upstream file that pins the number down.
  const auto from = [](const char* page, const std::string& upstream) {
    return std::string("docs/") + page + "; " + upstream;
  };
  constexpr const char* kKubelet =
      "kubernetes pkg/kubelet/kubelet.go: backOffPeriod, MaxContainerBackOff";
  constexpr const char* kReset =
      "client-go util/flowcontrol/backoff.go: hasExpired, 2 x maxDuration";
  constexpr const char* kHpa =
      "kubernetes pkg/controller/podautoscaler, kube-controller-manager flags";
  constexpr const char* kKpa = "knative serving config/core/configmaps/autoscaler.yaml";
  const auto d = [](engine::Time t) { return format_duration(t); };
  std::vector<Parameter> out;
  const auto backoff = [&](const std::string& name, const char* page,
                           const models::BackoffParams& b) {
    out.push_back({name + ".initial", d(b.initial), from(page, kKubelet)});
    out.push_back({name + ".max", d(b.max), from(page, kKubelet)});
    out.push_back({name + ".resetAfter", d(b.reset_after), from(page, kReset)});
  };
  backoff("crashBackoff", "restarts.md", s.kubelet.crash);
  backoff("imagePullBackoff", "images.md", s.kubelet.image_pull);
  const auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  constexpr const char* kPulls =
      "kubernetes pkg/kubelet/config: serializeImagePulls, "
      "maxParallelImagePulls";
  out.push_back(
      {"serializeImagePulls", flag(s.kubelet.serialize_image_pulls), from("images.md", kPulls)});
  out.push_back({"maxParallelImagePulls", std::to_string(s.kubelet.max_parallel_image_pulls),
                 from("images.md", kPulls)});
  out.push_back({"probePhaseOffset", flag(s.kubelet.probe_phase_offset),
                 from("probes.md",
                      "kubernetes pkg/kubelet/prober/worker.go (a random initial "
                      "wait within the period; off, so that times are exact)")});
  out.push_back({"terminationGracePeriod", d(s.kubelet.termination_grace_period),
                 from("restarts.md",
                      "kubernetes pkg/apis/core/v1/defaults.go: "
                      "TerminationGracePeriodSeconds")});
  out.push_back({"podEvictionTimeout", d(s.pod_eviction_timeout),
                 from("scheduling.md",
                      "kubernetes plugin/pkg/admission/defaulttolerationseconds: "
                      "not-ready / unreachable toleration")});
  constexpr const char* kCa = "kubernetes/autoscaler cluster-autoscaler/config/flags";
  const models::ClusterAutoscalerParams& ca = s.cluster_autoscaler;
  out.push_back(
      {"clusterAutoscaler.scanInterval", d(ca.scan_interval), from("scheduling.md", kCa)});
  out.push_back({"clusterAutoscaler.scaleDownUtilizationThreshold",
                 number_text(ca.scale_down_utilization_threshold), from("scheduling.md", kCa)});
  out.push_back({"clusterAutoscaler.scaleDownUnneededTime", d(ca.scale_down_unneeded_time),
                 from("scheduling.md", kCa)});
  out.push_back({"clusterAutoscaler.scaleDownDelayAfterAdd", d(ca.scale_down_delay_after_add),
                 from("scheduling.md", kCa)});
  constexpr const char* kScaling = "traffic-autoscaling.md";
  out.push_back({"hpa.period", d(s.hpa.period), from(kScaling, kHpa)});
  out.push_back({"hpa.tolerance", number_text(s.hpa.tolerance), from(kScaling, kHpa)});
  out.push_back({"hpa.scaleDownWindow", d(s.hpa.scale_down_window), from(kScaling, kHpa)});
  out.push_back({"kpa.tick", d(s.kpa.tick), from(kScaling, kKpa)});
  out.push_back({"kpa.stableWindow", d(s.kpa.stable_window), from(kScaling, kKpa)});
  out.push_back({"kpa.panicWindow", d(s.kpa.panic_window), from(kScaling, kKpa)});
  out.push_back({"kpa.panicThreshold", number_text(s.kpa.panic_threshold), from(kScaling, kKpa)});
  out.push_back({"kpa.maxScaleUpRate", number_text(s.kpa.max_scale_up_rate), from(kScaling, kKpa)});
  out.push_back(
      {"kpa.maxScaleDownRate", number_text(s.kpa.max_scale_down_rate), from(kScaling, kKpa)});
  out.push_back({"kpa.scaleToZeroGrace", d(s.kpa.scale_to_zero_grace), from(kScaling, kKpa)});
  out.push_back(
      {"kpa.targetUtilization", number_text(s.kpa.target_utilization),
       profile == models::Profile::Kubernetes
           ? from(kScaling, kKpa)
           : from(kScaling, std::string("the platform's (Knative's own is 0.7: ") + kKpa + ")")});
  out.push_back({"activator.capacity", std::to_string(s.activator.capacity),
                 from(kScaling,
                      "the platform's activator; knative serving "
                      "pkg/activator/net/throttler.go: breakerQueueDepth")});
  out.push_back({"activator.requestTimeout", d(s.activator.request_timeout),
                 from(kScaling,
                      "the platform's activator; knative serving "
                      "config/core/configmaps/defaults.yaml: revision-timeout-seconds")});
  return out;
}

}  // namespace wlsim::scenarios

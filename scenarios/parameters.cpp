#include "wlsim/scenarios/parameters.hpp"

#include "wlsim/engine/json.hpp"

namespace wlsim::scenarios {

using engine::format_duration;
using engine::number_text;

models::PlatformSettings default_settings(models::Profile profile) {
  models::PlatformSettings s;
  // Knative's container-concurrency-target-percentage; SEMANTICS.md §8 fixes the platform's at 1.0.
  if (profile == models::Profile::Kubernetes) s.kpa.target_utilization = 0.7;
  return s;
}

std::vector<Parameter> parameters(const models::PlatformSettings& s, models::Profile profile) {
  const bool kubernetes = profile == models::Profile::Kubernetes;
  // Under the platform profile the rule book fixes the number (most of them as Kubernetes has it);
  // under the kubernetes profile it is the upstream default.
  const auto from = [kubernetes](const char* section, const char* upstream) {
    return kubernetes ? std::string(upstream)
                      : std::string("SEMANTICS.md ") + section + " (" + upstream + ")";
  };
  constexpr const char* kKubelet =
      "kubernetes pkg/kubelet/kubelet.go: backOffPeriod, MaxContainerBackOff";
  constexpr const char* kReset = "client-go util/flowcontrol/backoff.go";
  constexpr const char* kHpa =
      "kubernetes pkg/controller/podautoscaler, kube-controller-manager flags";
  constexpr const char* kKpa = "knative serving config/core/configmaps/autoscaler.yaml";
  const auto d = [](engine::Time t) { return format_duration(t); };
  std::vector<Parameter> out;
  const auto backoff = [&](const std::string& name, const char* section,
                           const models::BackoffParams& b) {
    out.push_back({name + ".initial", d(b.initial), from(section, kKubelet)});
    out.push_back({name + ".max", d(b.max), from(section, kKubelet)});
    out.push_back({name + ".resetAfter", d(b.reset_after), from(section, kReset)});
  };
  backoff("crashBackoff", "§4", s.kubelet.crash);
  backoff("imagePullBackoff", "§3", s.kubelet.image_pull);
  const auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  constexpr const char* kPulls = "kubernetes pkg/kubelet/config: serializeImagePulls, "
                                 "maxParallelImagePulls";
  out.push_back({"serializeImagePulls", flag(s.kubelet.serialize_image_pulls), from("§3", kPulls)});
  out.push_back({"maxParallelImagePulls", std::to_string(s.kubelet.max_parallel_image_pulls),
                 from("§3", kPulls)});
  out.push_back({"probePhaseOffset", flag(s.kubelet.probe_phase_offset),
                 kubernetes ? std::string("kubernetes pkg/kubelet/prober/worker.go (a random "
                                          "initial wait within the period)")
                            : std::string("SEMANTICS.md §2 (off, so that times are exact)")});
  out.push_back({"terminationGracePeriod", d(s.kubelet.termination_grace_period),
                 from("§5", "kubernetes pkg/apis/core/v1/defaults.go: "
                            "TerminationGracePeriodSeconds")});
  out.push_back({"podEvictionTimeout", d(s.pod_eviction_timeout),
                 from("§5", "kubernetes plugin/pkg/admission/defaulttolerationseconds: "
                            "not-ready / unreachable toleration")});
  constexpr const char* kCa = "kubernetes/autoscaler cluster-autoscaler/config/flags";
  const models::ClusterAutoscalerParams& ca = s.cluster_autoscaler;
  out.push_back({"clusterAutoscaler.scanInterval", d(ca.scan_interval), from("§5", kCa)});
  out.push_back({"clusterAutoscaler.scaleDownUtilizationThreshold",
                 number_text(ca.scale_down_utilization_threshold), from("§5", kCa)});
  out.push_back({"clusterAutoscaler.scaleDownUnneededTime", d(ca.scale_down_unneeded_time),
                 from("§5", kCa)});
  out.push_back({"clusterAutoscaler.scaleDownDelayAfterAdd", d(ca.scale_down_delay_after_add),
                 from("§5", kCa)});
  out.push_back({"hpa.period", d(s.hpa.period), from("§8", kHpa)});
  out.push_back({"hpa.tolerance", number_text(s.hpa.tolerance), from("§8", kHpa)});
  out.push_back({"hpa.scaleDownWindow", d(s.hpa.scale_down_window), from("§8", kHpa)});
  out.push_back({"kpa.tick", d(s.kpa.tick), from("§8", kKpa)});
  out.push_back({"kpa.stableWindow", d(s.kpa.stable_window), from("§8", kKpa)});
  out.push_back({"kpa.panicWindow", d(s.kpa.panic_window), from("§8", kKpa)});
  out.push_back({"kpa.panicThreshold", number_text(s.kpa.panic_threshold), from("§8", kKpa)});
  out.push_back({"kpa.maxScaleUpRate", number_text(s.kpa.max_scale_up_rate), from("§8", kKpa)});
  out.push_back({"kpa.maxScaleDownRate", number_text(s.kpa.max_scale_down_rate), from("§8", kKpa)});
  out.push_back({"kpa.scaleToZeroGrace", d(s.kpa.scale_to_zero_grace), from("§8", kKpa)});
  out.push_back({"kpa.targetUtilization", number_text(s.kpa.target_utilization),
                 kubernetes ? std::string(kKpa) : std::string("SEMANTICS.md §8 (the platform's)")});
  const std::string platform = "SEMANTICS.md §8 (the platform's activator)";
  out.push_back({"activator.capacity", std::to_string(s.activator.capacity), platform});
  out.push_back({"activator.requestTimeout", d(s.activator.request_timeout), platform});
  return out;
}

}  // namespace wlsim::scenarios

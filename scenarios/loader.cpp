// The scenario schema: every field the format accepts, its type, its allowed values and its
// default. Field names are the platform API's (camelCase), so a real workload definition pastes in
// unchanged.

#include "wlsim/scenarios/loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "document_text.hpp"
#include "expect_reader.hpp"
#include "field_readers.hpp"
#include "override_tree.hpp"
#include "rate_text.hpp"
#include "scenario_text.hpp"
#include "wlsim/engine/distribution.hpp"
#include "wlsim/scenarios/parameters.hpp"
#include "workload_templates.hpp"

namespace wlsim::scenarios {

namespace detail {

namespace {

using engine::Time;
using models::ArtifactSpec;
using models::ContainerSpec;
using models::ProbeSpec;
using models::Resources;

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
// A lognormal's sigma beyond this makes its median vanish (e^-50 of the mean) and its variance
// overflow a double: no real start-up time looks like it.
constexpr double kMaxSigma = 10.0;

// Every value of a duration distribution is bounded like any duration, so that no parameter and no
// mean overflows; a draw beyond the run's end is the engine's "never".
engine::Distribution duration_distribution(const Value& v) {
  const Time max = v.limits().max_duration;
  const engine::ValueParser bounded = [max](std::string_view text) {
    const Time d = engine::parse_duration(text);
    if (d > max) {
      throw std::invalid_argument("'" + std::string(text) + "' is over the limit of " +
                                  engine::format_duration(max) + " on any duration or time");
    }
    return static_cast<double>(d.us());
  };
  engine::Distribution d = v.parsed<engine::Distribution>(
      [&](std::string_view text) { return engine::parse_distribution(text, bounded); });
  if (d.kind() == engine::Distribution::Kind::Lognormal) {
    const double mean = d.mean();
    const double sigma_squared = std::log1p(d.variance() / (mean * mean));
    if (!(sigma_squared <= kMaxSigma * kMaxSigma * (1 + 1e-9))) {
      v.fail("'" + v.as_scalar_text() + "' has a sigma over the limit of 10");
    }
  }
  return d;
}

/// Resources summed over containers or nodes, wide enough for any count times any bounded amount.
struct Total {
  __extension__ using Wide = __int128;
  Wide cpu_milli = 0;
  Wide memory_bytes = 0;
  Wide gpu = 0;
  void add(const Resources& r, std::int64_t times = 1) {
    cpu_milli += static_cast<Wide>(r.cpu_milli) * times;
    memory_bytes += static_cast<Wide>(r.memory_bytes) * times;
    gpu += static_cast<Wide>(r.gpu) * times;
  }
};

std::string wide_text(Total::Wide v) {
  if (v <= kMaxInt64) return std::to_string(static_cast<std::int64_t>(v));
  return "more than " + std::to_string(kMaxInt64);
}

/// A sum of resources (`whose`, e.g. "the containers'") stays within the bound of one amount, so
/// that the engine's own sums of pods on nodes stay far below 2^63. `scope` says what the sum
/// covers.
void check_total(const Value& where, const Total& t, std::string_view whose,
                 std::string_view scope) {
  const Limits& l = where.limits();
  const std::string lead = std::string(whose) + " ";
  if (t.cpu_milli > l.max_cpu_milli) {
    where.fail(lead + "cpu adds up to " + wide_text(t.cpu_milli) + "m, over the limit of " +
               describe_millicores(l.max_cpu_milli) + " " + std::string(scope));
  }
  if (t.memory_bytes > l.max_bytes) {
    where.fail(lead + "memory adds up to " + wide_text(t.memory_bytes) +
               " bytes, over the limit of " + std::to_string(l.max_bytes) + " bytes " +
               std::string(scope));
  }
  if (t.gpu > l.max_gpu) {
    where.fail(lead + "gpu adds up to " + wide_text(t.gpu) + ", over the limit of " +
               std::to_string(l.max_gpu) + " gpus " + std::string(scope));
  }
}

Resources read_resources(const Value& v) {
  Object o(v);
  Resources r;
  if (auto cpu = o.optional("cpu")) r.cpu_milli = cpu->as_millicores();
  if (auto mem = o.optional("memory")) r.memory_bytes = mem->as_bytes();
  if (auto gpu = o.optional("gpu")) {
    r.gpu = gpu->as_int(0, kMaxInt64);
    if (r.gpu > v.limits().max_gpu) {
      gpu->fail(std::to_string(r.gpu) + " is over the limit of " +
                std::to_string(v.limits().max_gpu) + " gpus on any gpu count");
    }
  }
  o.finish();
  return r;
}

// Kubernetes: an environment variable's name is printable ASCII without '='; its value is text. The
// platform adds credentials looked up at run time (source: dr-credential). Variables change nothing
// in the lifecycle; they are checked so that a definition that loads here is one the platform
// takes.
void read_environment_var(const Value& v) {
  Object o(v);
  const Value name_v = o.required("name");
  const std::string name = name_v.as_scalar_text();
  if (name.empty()) name_v.fail("must not be empty");
  for (const char c : name) {
    if (c < 0x20 || c > 0x7E)
      name_v.fail("'" + name + "' is not printable ASCII (a name is printable ASCII without '=')");
    if (c == '=')
      name_v.fail("'" + name + "' contains '=' (a name is printable ASCII without '=')");
  }
  if (auto source = o.optional("source")) {
    (void)source->as_enum({"dr-credential"});
    (void)o.required("drCredentialId").as_string();
    (void)o.required("key").as_string();
  } else if (auto value = o.optional("value")) {
    (void)value->as_scalar_text();
  }
  o.finish();
}

/// A whole number of seconds (a probe's timing), bounded like any duration.
Time seconds(const Value& v, std::int64_t min) {
  const std::int64_t n = v.as_int(min, kMaxInt);
  if (Time::from_seconds(n) > v.limits().max_duration) {
    v.fail(std::to_string(n) + " is over the limit of " +
           engine::format_duration(v.limits().max_duration) + " on any duration or time");
  }
  return Time::from_seconds(n);
}

ProbeSpec read_probe(const Value& v, models::Profile profile, models::ProbeKind kind) {
  Object o(v);
  if (o.has("httpGet")) {  // Kubernetes nests the handler; the platform's ProbeConfig is flat
    throw FieldError{o.path() + ".httpGet",
                     "is Kubernetes' probe shape; wlsim takes the platform's flat ProbeConfig, "
                     "with path, port and scheme at the top of the probe: " +
                         o.path().substr(o.path().rfind('.') + 1) +
                         ": {path: /healthz, port: 8080, periodSeconds: 10}"};
  }
  const Value path_v = o.required("path");
  const std::string path = path_v.as_string();
  if (path.front() != '/') path_v.fail("'" + path + "' must start with '/'");
  ProbeSpec p = models::default_probe(profile, path);
  if (auto x = o.optional("port")) p.port = static_cast<int>(x->as_int(1, 65535));
  if (auto x = o.optional("scheme")) {
    p.scheme = x->as_choice<models::Scheme>(
        {{"HTTP", models::Scheme::Http}, {"HTTPS", models::Scheme::Https}});
  }
  if (auto x = o.optional("host")) p.host = x->as_string();
  if (auto x = o.optional("httpHeaders")) {
    for (const Value& h : x->as_list()) {
      Object ho(h);
      p.http_headers.emplace_back(ho.required("name").as_string(),
                                  ho.required("value").as_scalar_text());
      ho.finish();
    }
  }
  if (auto x = o.optional("initialDelaySeconds")) p.initial_delay = seconds(*x, 0);
  if (auto x = o.optional("periodSeconds")) p.period = seconds(*x, 1);
  if (auto x = o.optional("timeoutSeconds")) p.timeout = seconds(*x, 1);
  if (auto x = o.optional("failureThreshold"))
    p.failure_threshold = static_cast<int>(x->as_int(1, kMaxInt));
  if (auto x = o.optional("successThreshold")) {
    // Kubernetes: liveness and startup probes must have successThreshold 1.
    const std::int64_t max = kind == models::ProbeKind::Readiness ? kMaxInt : 1;
    p.success_threshold = static_cast<int>(x->as_int(1, max));
  }
  o.finish();
  return p;
}

models::BehaviorSpec read_behavior(const Value& v) {
  Object o(v);
  models::BehaviorSpec b;
  if (auto x = o.optional("imageSize")) b.image_size_bytes = x->as_bytes();
  if (auto x = o.optional("startup")) b.startup = duration_distribution(*x);
  if (auto x = o.optional("shutdown")) b.shutdown = duration_distribution(*x);
  if (auto x = o.optional("serves")) {
    b.serves_all = false;
    for (const Value& p : x->as_list()) b.serves.push_back(p.as_string());
  }
  if (auto x = o.optional("port")) b.listen_port = static_cast<int>(x->as_int(1, 65535));
  if (auto x = o.optional("tls")) b.tls = x->as_bool();
  if (auto x = o.optional("probeLatency")) b.probe_latency = duration_distribution(*x);
  if (auto x = o.optional("readyAfter")) b.ready_after = x->as_duration();
  if (auto x = o.optional("exit")) {
    Object e(*x);
    b.exit = models::ExitSpec{duration_distribution(e.required("after")), 1};
    if (auto code = e.optional("code")) b.exit->code = static_cast<int>(code->as_int(0, 255));
    e.finish();
  }
  if (auto x = o.optional("crashOnStart")) b.crash_on_start = x->as_fraction();
  if (auto x = o.optional("hang")) {
    Object h(*x);
    b.hang_after = duration_distribution(h.required("after"));
    h.finish();
  }
  if (auto x = o.optional("memory")) b.memory_bytes = x->as_bytes();
  if (auto x = o.optional("memoryGrowth")) b.memory_growth_bytes_per_s = x->as_bytes_per_second();
  if (auto x = o.optional("concurrency")) b.concurrency = static_cast<int>(x->as_int(1, 10000));
  if (auto x = o.optional("cpuPerRequest")) {
    const Value& cv = *x;
    b.cpu_per_request = static_cast<double>(cv.as_millicores()) / 1000.0;
  }
  if (auto x = o.optional("imagePull")) {
    b.image_error =
        x->as_choice<models::ImageError>({{"ok", models::ImageError::None},
                                          {"notFound", models::ImageError::NotFound},
                                          {"unauthorized", models::ImageError::Unauthorized}});
  }
  o.finish();
  return b;
}

ContainerSpec read_container(const Value& v, models::Profile profile) {
  Object o(v);
  ContainerSpec c;
  c.name = o.required("name").as_string();
  if (auto x = o.optional("primary")) c.primary = x->as_bool();
  c.image_uri = o.required("imageUri").as_string();
  c.pull_policy = models::default_pull_policy(c.image_uri);
  if (auto x = o.optional("imagePullPolicy")) {
    c.pull_policy =
        x->as_choice<models::PullPolicy>({{"Always", models::PullPolicy::Always},
                                          {"IfNotPresent", models::PullPolicy::IfNotPresent},
                                          {"Never", models::PullPolicy::Never}});
  }
  if (auto x = o.optional("port")) c.port = static_cast<int>(x->as_int(1, 65535));
  if (auto x = o.optional("readinessProbe"))
    c.readiness = read_probe(*x, profile, models::ProbeKind::Readiness);
  if (auto x = o.optional("livenessProbe"))
    c.liveness = read_probe(*x, profile, models::ProbeKind::Liveness);
  if (auto x = o.optional("startupProbe"))
    c.startup = read_probe(*x, profile, models::ProbeKind::Startup);
  if (auto x = o.optional("resourceAllocation")) {
    c.resources = read_resources(*x);
    c.resources_set = true;
  }
  if (auto x = o.optional("environmentVars")) {
    for (const Value& e : x->as_list()) read_environment_var(e);
  }
  if (auto x = o.optional("description")) (void)x->as_string();
  if (auto x = o.optional("behavior")) c.behavior = read_behavior(*x);
  o.finish();
  return c;
}

}  // namespace

models::ArtifactStatus artifact_status(const Value& v) {
  return v.as_choice<models::ArtifactStatus>(
      {{"draft", models::ArtifactStatus::Draft}, {"locked", models::ArtifactStatus::Locked}});
}

ArtifactSpec read_artifact(const Value& v, models::Profile profile) {
  Object o(v);
  ArtifactSpec a;
  a.id = o.required("id").as_string();
  if (auto x = o.optional("status")) {
    a.status = artifact_status(*x);
  }
  if (auto x = o.optional("type")) a.type = x->as_enum({"service"});
  if (auto x = o.optional("name")) (void)x->as_string();
  if (auto x = o.optional("description")) (void)x->as_string();
  const Value groups_v = o.required("containerGroups");
  const auto groups = groups_v.as_list();
  if (groups.size() != 1) groups_v.fail("must hold exactly one container group (named default)");
  Object g(groups[0]);
  if (auto x = g.optional("name")) (void)x->as_enum({"default"});
  const Value containers_v = g.required("containers");
  std::set<std::string> names;
  for (const Value& cv : containers_v.as_list()) {
    ContainerSpec c = read_container(cv, profile);
    if (!names.insert(c.name).second) cv.field("name").fail("'" + c.name + "' is used twice");
    a.containers.push_back(std::move(c));
  }
  g.finish();
  if (a.containers.empty()) containers_v.fail("must hold at least one container");
  Total pod;
  for (const auto& c : a.containers) pod.add(c.resources);
  check_total(containers_v, pod, "the containers'", "for one pod");
  int primaries = 0;
  for (const auto& c : a.containers) primaries += c.primary ? 1 : 0;
  if (primaries == 0 && a.containers.size() == 1)
    a.containers.front().primary = true;
  else if (primaries != 1)
    containers_v.fail("must mark exactly one container primary: true (found " +
                      std::to_string(primaries) + ")");
  for (std::size_t i = 0; i < a.containers.size(); ++i) {
    if (a.containers[i].primary && a.type == "service" && !a.containers[i].readiness) {
      throw FieldError{containers_v.path() + "[" + std::to_string(i) + "].readinessProbe",
                       "is required on the primary container of a service artifact"};
    }
  }
  o.finish();
  return a;
}

namespace {

// A bound written either way: the platform's `minCount`, or its clients' `minReplicaCount`.
std::optional<std::int64_t> read_bound(Object& o, std::string_view key, std::string_view alias,
                                       std::int64_t max) {
  const std::optional<Value> a = o.optional(key);
  const std::optional<Value> b = o.optional(alias);
  if (a && b) b->fail("gives the same bound as " + std::string(key) + "; write one of them");
  const std::optional<Value>& v = a ? a : b;
  if (!v) return std::nullopt;
  return v->as_int(0, max);
}

models::ScalingPolicy read_policy(const Value& v, std::optional<std::int64_t> min_default,
                                  std::optional<std::int64_t> max_default,
                                  const ArtifactSpec* artifact) {
  Object o(v);
  models::ScalingPolicy p;
  const Value metric_v = o.required("scalingMetric");
  const std::string metric = metric_v.as_scalar_text();
  if (metric == "gpuCacheUtilization" || metric == "gpuRequestQueueDepth") {
    metric_v.fail("'" + metric +
                  "' is a GPU metric, which wlsim does not simulate (it models no GPU load); use "
                  "cpuAverageUtilization or httpRequestsConcurrency");
  }
  p.metric = metric_v.as_choice<models::ScalingMetric>(
      {{"cpuAverageUtilization", models::ScalingMetric::CpuAverageUtilization},
       {"httpRequestsConcurrency", models::ScalingMetric::HttpRequestsConcurrency}});
  p.target = o.required("target").as_number(1e-6, 1e6);
  const std::int64_t limit = v.limits().max_replicas_per_group;
  const auto min = read_bound(o, "minCount", "minReplicaCount", limit);
  const auto max = read_bound(o, "maxCount", "maxReplicaCount", limit);
  p.min_count = static_cast<int>(min.value_or(min_default.value_or(1)));
  if (!max && !max_default) {
    throw FieldError{v.path() + ".maxCount",
                     "is required (the most replicas this policy may ask for; also written "
                     "maxReplicaCount)"};
  }
  p.max_count = static_cast<int>(max.value_or(max_default.value_or(1)));
  if (p.min_count == 0 && p.metric != models::ScalingMetric::HttpRequestsConcurrency) {
    throw FieldError{v.path() + (o.has("minReplicaCount") ? ".minReplicaCount" : ".minCount"),
                     "0 is allowed only with scalingMetric httpRequestsConcurrency, the only "
                     "metric that scales to zero"};
  }
  if (p.max_count < std::max(p.min_count, 1)) {
    throw FieldError{v.path() + ".maxCount", std::to_string(p.max_count) + " is not >= " +
                                                 std::to_string(std::max(p.min_count, 1)) +
                                                 " (minCount, and at least one replica)"};
  }
  if (p.metric == models::ScalingMetric::CpuAverageUtilization && artifact != nullptr) {
    for (const auto& c : artifact->containers) {
      if (c.primary && c.resources.cpu_milli == 0) {
        metric_v.fail("cpuAverageUtilization needs a cpu request on the primary container " +
                      c.name + " (its resourceAllocation.cpu): utilization is a share of it");
      }
    }
  }
  o.finish();
  return p;
}

models::AutoscalingSpec read_autoscaling(const Value& v, const ArtifactSpec* artifact) {
  Object o(v);
  models::AutoscalingSpec a;
  const std::int64_t limit = v.limits().max_replicas_per_group;
  const auto min = read_bound(o, "minCount", "minReplicaCount", limit);
  const auto max = read_bound(o, "maxCount", "maxReplicaCount", limit);
  const std::optional<Value> policies = o.optional("policies");
  // Written without `enabled`, a block with policies means them.
  a.enabled = policies.has_value();
  if (auto x = o.optional("enabled")) a.enabled = x->as_bool();
  if (policies) {
    for (const Value& pv : policies->as_list())
      a.policies.push_back(read_policy(pv, min, max, artifact));
  }
  if (a.enabled && a.policies.empty()) {
    throw FieldError{v.path() + ".policies",
                     "is required when autoscaling is enabled (at least one policy: scalingMetric, "
                     "target, minCount, maxCount)"};
  }
  o.finish();
  return a;
}

}  // namespace

models::RuntimeSpec read_runtime(const Value& v, const ArtifactSpec* artifact) {
  Object o(v);
  models::RuntimeSpec r;
  if (auto groups_v = o.optional("containerGroups")) {
    const auto groups = groups_v->as_list();
    if (groups.size() != 1) groups_v->fail("must hold exactly one container group (named default)");
    Object g(groups[0]);
    if (auto x = g.optional("name")) (void)x->as_enum({"default"});
    if (auto x = g.optional("replicaCount")) {
      const std::int64_t n = x->as_int(0, kMaxInt64);
      const std::int64_t max = v.limits().max_replicas_per_group;
      if (n > max) {
        x->fail(std::to_string(n) + " is over the limit of " + std::to_string(max) +
                " replicas per group (raise it with --max-replicas)");
      }
      r.replica_count = static_cast<int>(n);
    }
    if (auto x = g.optional("autoscaling")) r.autoscaling = read_autoscaling(*x, artifact);
    if (auto x = g.optional("resourceBundles")) {
      // The platform's field is a list; a group selects one bundle (SEMANTICS.md §5).
      if (x->node().is_sequence()) {
        const auto ids = x->as_list();
        if (ids.size() != 1) x->fail("must name exactly one bundle (a group selects one)");
        r.bundle = ids[0].as_string();
      } else {
        r.bundle = x->as_string();
      }
    }
    if (auto x = g.optional("containers")) {
      Total overrides;
      for (const Value& cv : x->as_list()) {
        Object c(cv);
        const Value name_v = c.required("name");
        const std::string name = name_v.as_string();
        bool found = artifact == nullptr;
        if (artifact != nullptr) {
          for (const auto& ac : artifact->containers) found = found || ac.name == name;
        }
        if (!found) name_v.fail("'" + name + "' is not a container of artifact " + artifact->id);
        if (auto ra = c.optional("resourceAllocation")) {
          r.resource_overrides[name] = read_resources(*ra);
          overrides.add(r.resource_overrides[name]);
        }
        c.finish();
      }
      // With the artifact's own sum bounded too, a pod's request is at most twice one bound.
      check_total(*x, overrides, "the containers' overrides'", "for one pod");
    }
    g.finish();
  }
  o.finish();
  return r;
}

models::Importance read_importance(const Value& v) {
  return v.as_choice<models::Importance>({{"low", models::Importance::Low},
                                          {"moderate", models::Importance::Moderate},
                                          {"high", models::Importance::High},
                                          {"critical", models::Importance::Critical}});
}

/// The fields of a workload (Object already open; the caller finishes it). `artifact` checks
/// runtime container names when known; an inline artifact also makes `artifactId` optional.
models::WorkloadSpec read_workload(Object& w, const ArtifactSpec* artifact, bool artifact_inline) {
  models::WorkloadSpec spec;
  spec.id = w.required("id").as_string();
  spec.artifact_id =
      artifact_inline && !w.has("artifactId") ? artifact->id : w.required("artifactId").as_string();
  if (auto x = w.optional("importance")) spec.importance = read_importance(*x);
  if (auto x = w.optional("name")) (void)x->as_string();
  if (auto x = w.optional("runtime")) spec.runtime = read_runtime(*x, artifact);
  return spec;
}

models::ReplacementConfig read_replacement_config(const Value& v) {
  Object o(v);
  models::ReplacementConfig c;
  if (auto x = o.optional("warmupDurationMinutes"))
    c.warmup = Time::from_minutes(x->as_int(0, 100000));
  if (auto x = o.optional("keepOldVersionMinutes"))
    c.keep_old = Time::from_minutes(x->as_int(0, 100000));
  o.finish();
  return c;
}

namespace {

models::ActionSpec read_action(const Value& v, models::Profile profile, Time duration) {
  Object o(v);
  models::ActionSpec a;
  const Value at_v = o.required("at");
  a.at = at_v.as_duration();
  if (a.at > duration)
    at_v.fail(engine::format_duration(a.at) + " is after the scenario's duration (" +
              engine::format_duration(duration) + ")");
  if (auto shorthand = o.optional("replaceArtifact")) {
    // DESIGN.md's shorthand for POST /workloads/{workload}/replacement.
    Object r(*shorthand);
    const std::string workload = r.required("workload").as_string();
    models::api::StartReplacement start{workload, {}};
    start.request.artifact_id = r.required("artifactId").as_string();
    if (auto x = r.optional("strategy")) start.request.strategy = x->as_enum({"rolling"});
    if (auto x = r.optional("config")) start.request.config = read_replacement_config(*x);
    if (auto x = r.optional("runtime")) start.request.runtime = read_runtime(*x, nullptr);
    r.finish();
    a.call = {"POST /workloads/" + workload + "/replacement", std::move(start)};
  } else {
    a.call = read_call(o.required("request"), o.optional("body"), profile);
  }
  o.finish();
  return a;
}

models::ClusterSpec read_cluster(const Value& v) {
  Object o(v);
  models::ClusterSpec c;
  const Value pools_v = o.required("nodePools");
  std::set<std::string> names;
  std::int64_t nodes = 0;
  Total cluster;
  for (const Value& pv : pools_v.as_list()) {
    Object p(pv);
    models::NodePoolSpec pool;
    const Value name_v = p.required("name");
    pool.name = name_v.as_string();
    if (!names.insert(pool.name).second) name_v.fail("'" + pool.name + "' is used twice");
    if (auto x = p.optional("count")) {
      const std::int64_t n = x->as_int(0, kMaxInt64);
      const std::int64_t max = v.limits().max_nodes;
      if (n > max - nodes) {
        x->fail(
            std::to_string(n) +
            (nodes == 0 ? ""
                        : " brings the cluster to " + std::to_string(nodes + n) + " nodes, which") +
            " is over the limit of " + std::to_string(max) + " nodes (raise it with --max-nodes)");
      }
      pool.count = static_cast<int>(n);
    }
    if (auto x = p.optional("minCount")) {
      pool.min_count = static_cast<int>(x->as_int(0, pool.count));
    }
    if (auto x = p.optional("maxCount")) {
      const std::int64_t max = v.limits().max_nodes;
      const std::int64_t n = x->as_int(pool.count, kMaxInt64);
      if (n > max - nodes) {
        x->fail(std::to_string(n) + " lets the cluster grow past the limit of " +
                std::to_string(max) + " nodes (raise it with --max-nodes)");
      }
      pool.max_count = static_cast<int>(n);
    }
    if (auto x = p.optional("provisioningDelay")) {
      pool.provisioning_delay = duration_distribution(*x);
    } else if (pool.max() > pool.count) {
      (void)p.required("provisioningDelay");  // a pool that grows says how long a new node takes
    }
    nodes += pool.max();
    pool.allocatable = read_resources(p.required("allocatable"));
    cluster.add(pool.allocatable, pool.max());
    if (auto x = p.optional("cachedImages")) {
      for (const Value& i : x->as_list()) pool.cached_images.push_back(i.as_string());
    }
    p.finish();
    c.node_pools.push_back(std::move(pool));
  }
  check_total(pools_v, cluster, "the nodes'", "for the whole cluster");
  if (auto bundles_v = o.optional("resourceBundles")) {
    std::set<std::string> ids;
    for (const Value& bv : bundles_v->as_list()) {
      Object b(bv);
      models::ResourceBundleSpec bundle;
      const Value id_v = b.required("id");
      bundle.id = id_v.as_string();
      if (!ids.insert(bundle.id).second) id_v.fail("'" + bundle.id + "' is used twice");
      const Value pool_v = b.required("nodePool");
      std::vector<std::string> pool_names;
      pool_names.reserve(c.node_pools.size());
      for (const models::NodePoolSpec& np : c.node_pools) pool_names.push_back(np.name);
      const std::string pool = pool_v.as_enum(pool_names);
      bundle.pool = static_cast<std::size_t>(std::find(pool_names.begin(), pool_names.end(), pool) -
                                             pool_names.begin());
      bundle.resources = read_resources(b.required("resources"));
      b.finish();
      c.bundles.push_back(std::move(bundle));
    }
  }
  if (auto x = o.optional("podSetup")) c.pod_setup = x->as_duration();
  if (auto r = o.optional("registry")) {
    Object ro(*r);
    if (auto x = ro.optional("latency")) c.registry.latency = x->as_duration();
    if (auto x = ro.optional("bandwidth")) {
      c.registry.bandwidth_bytes_per_s = x->as_bytes_per_second();
      if (c.registry.bandwidth_bytes_per_s <= 0) x->fail("must be > 0 (omit it for unlimited)");
    }
    ro.finish();
  }
  o.finish();
  return c;
}

namespace {

engine::Time positive_duration(const Value& v) {
  const engine::Time t = v.as_duration();
  if (t <= engine::Time::zero()) v.fail("must be > 0");
  return t;
}

models::TrafficSpec read_traffic(const Value& v, const std::filesystem::path& base_dir) {
  Object o(v);
  models::TrafficSpec t;
  t.workload = o.required("workload").as_string();
  const std::optional<Value> rate = o.optional("rate");
  const std::optional<Value> trace = o.optional("trace");
  if (rate && trace) trace->fail("gives the rate a second time; write rate or trace, not both");
  if (!rate && !trace) {
    throw FieldError{v.path() + ".rate",
                     "is required (N/s, steps([t, N/s], ...), ramp(N/s, N/s, T), "
                     "daily(peak=N/s, trough=N/s, peakAt=T)), or trace: {file, row, scale}"};
  }
  if (rate) t.rate = rate->parsed<models::RateCurve>(parse_rate);
  if (trace) {
    Object tr(*trace);
    const Value file_v = tr.required("file");
    const std::string file = file_v.as_string();
    const long row = static_cast<long>(tr.required("row").as_int(0, 1000000));
    double scale = 1.0;
    if (auto x = tr.optional("scale")) scale = x->as_number(0, 1e6);
    const std::filesystem::path path =
        std::filesystem::path(file).is_absolute() ? std::filesystem::path(file) : base_dir / file;
    try {
      t.rate = read_trace_rate(path.string(), row, scale);
    } catch (const std::invalid_argument& e) {
      file_v.fail(e.what());
    }
    tr.finish();
  }
  if (auto x = o.optional("arrivals")) {
    t.arrivals = x->as_choice<models::ArrivalPattern>(
        {{"poisson", models::ArrivalPattern::Poisson}, {"even", models::ArrivalPattern::Even}});
  }
  const Value service_v = o.required("serviceTime");
  t.service_time = duration_distribution(service_v);
  if (auto x = o.optional("mode")) {
    t.mode = x->as_choice<models::TrafficMode>(
        {{"requests", models::TrafficMode::Requests}, {"fluid", models::TrafficMode::Fluid}});
  }
  // The fluid queue refuses a mean outside [1ns, 1e9 s] with std::invalid_argument, which would
  // escape the run; a duration may be far longer (up to the duration limit), so bound it here.
  constexpr double kMaxFluidServiceUs = 1e15;
  if (t.mode == models::TrafficMode::Fluid &&
      !(t.service_time.mean() >= 1.0 && t.service_time.mean() <= kMaxFluidServiceUs)) {
    service_v.fail(
        "must have a mean between 1us and 1e9 s in fluid mode (the queue's rates divide by it)");
  }
  o.finish();
  return t;
}

models::BackoffParams read_backoff(const Value& v) {
  Object o(v);
  models::BackoffParams b;
  if (auto x = o.optional("initial")) b.initial = positive_duration(*x);
  if (auto x = o.optional("max")) b.max = positive_duration(*x);
  if (auto x = o.optional("resetAfter")) b.reset_after = positive_duration(*x);
  if (b.max < b.initial) {
    throw FieldError{o.path() + ".max", engine::format_duration(b.max) + " is below initial (" +
                                            engine::format_duration(b.initial) + ")"};
  }
  o.finish();
  return b;
}

void read_platform_params(const Value& v, models::PlatformSettings& p) {
  Object o(v);
  if (auto x = o.optional("hpa")) {
    Object h(*x);
    if (auto y = h.optional("period")) p.hpa.period = positive_duration(*y);
    if (auto y = h.optional("tolerance")) p.hpa.tolerance = y->as_number(0, 10);
    if (auto y = h.optional("scaleDownWindow")) p.hpa.scale_down_window = y->as_duration();
    h.finish();
  }
  if (auto x = o.optional("kpa")) {
    Object k(*x);
    if (auto y = k.optional("tick")) p.kpa.tick = positive_duration(*y);
    if (auto y = k.optional("stableWindow")) p.kpa.stable_window = positive_duration(*y);
    if (auto y = k.optional("panicWindow")) p.kpa.panic_window = positive_duration(*y);
    if (auto y = k.optional("panicThreshold")) p.kpa.panic_threshold = y->as_number(1, 1e6);
    if (auto y = k.optional("maxScaleUpRate")) p.kpa.max_scale_up_rate = y->as_number(1, 1e6);
    if (auto y = k.optional("maxScaleDownRate")) p.kpa.max_scale_down_rate = y->as_number(1, 1e6);
    if (auto y = k.optional("scaleToZeroGrace")) p.kpa.scale_to_zero_grace = y->as_duration();
    if (auto y = k.optional("targetUtilization"))
      p.kpa.target_utilization = y->as_number(0.01, 1.0);
    if (p.kpa.panic_window > p.kpa.stable_window) {
      throw FieldError{k.path() + ".panicWindow", "is longer than stableWindow (" +
                                                      engine::format_duration(p.kpa.stable_window) +
                                                      "); it is the short window of the two"};
    }
    k.finish();
  }
  if (auto x = o.optional("crashBackoff")) p.kubelet.crash = read_backoff(*x);
  if (auto x = o.optional("imagePullBackoff")) p.kubelet.image_pull = read_backoff(*x);
  if (auto x = o.optional("serializeImagePulls")) p.kubelet.serialize_image_pulls = x->as_bool();
  if (auto x = o.optional("maxParallelImagePulls")) {
    p.kubelet.max_parallel_image_pulls = static_cast<int>(x->as_int(1, 1000));
    if (p.kubelet.serialize_image_pulls && p.kubelet.max_parallel_image_pulls > 1) {
      x->fail(
          "needs serializeImagePulls: false (with serialized pulls a node pulls one image at a "
          "time)");
    }
  }
  if (auto x = o.optional("probePhaseOffset")) p.kubelet.probe_phase_offset = x->as_bool();
  if (auto x = o.optional("terminationGracePeriod"))
    p.kubelet.termination_grace_period = x->as_duration();
  if (auto x = o.optional("podEvictionTimeout")) p.pod_eviction_timeout = x->as_duration();
  if (auto x = o.optional("clusterAutoscaler")) {
    Object c(*x);
    models::ClusterAutoscalerParams& ca = p.cluster_autoscaler;
    if (auto y = c.optional("scanInterval")) ca.scan_interval = positive_duration(*y);
    if (auto y = c.optional("scaleDownUtilizationThreshold"))
      ca.scale_down_utilization_threshold = y->as_number(0, 1);
    if (auto y = c.optional("scaleDownUnneededTime"))
      ca.scale_down_unneeded_time = y->as_duration();
    if (auto y = c.optional("scaleDownDelayAfterAdd"))
      ca.scale_down_delay_after_add = y->as_duration();
    c.finish();
  }
  if (auto x = o.optional("activator")) {
    Object a(*x);
    if (auto y = a.optional("capacity"))
      p.activator.capacity = static_cast<int>(y->as_int(0, 100000000));
    if (auto y = a.optional("requestTimeout")) p.activator.request_timeout = positive_duration(*y);
    a.finish();
  }
  o.finish();
}

}  // namespace

Scenario read_scenario(const Value& root, const std::filesystem::path& base_dir) {
  Object o(root);
  Scenario s;
  s.name = o.required("name").as_string();
  if (auto x = o.optional("seed"))
    s.seed = static_cast<std::uint64_t>(x->as_int(0, std::numeric_limits<std::int64_t>::max()));
  const Value dur = o.required("duration");
  s.duration = positive_duration(dur);
  if (auto x = o.optional("profile")) {
    s.profile = x->as_choice<models::Profile>(
        {{"platform", models::Profile::Platform}, {"kubernetes", models::Profile::Kubernetes}});
  }
  s.platform.cluster = read_cluster(o.required("cluster"));

  std::map<std::string, std::size_t> artifact_index;
  for (const Value& av : o.required("artifacts").as_list()) {
    ArtifactSpec a = read_artifact(av, s.profile);
    if (!artifact_index.emplace(a.id, s.platform.artifacts.size()).second) {
      av.field("id").fail("'" + a.id + "' is used twice");
    }
    s.platform.artifacts.push_back(std::move(a));
  }
  std::set<std::string> ids;
  std::map<std::string, std::string> draft_user;  // a draft artifact backs at most one workload
  std::int64_t replicas = 0;
  for (const Value& wv : expand_workloads(o.required("workloads"))) {
    Object w(wv);
    if (w.has("artifact")) {
      throw FieldError{wv.path() + ".artifact",
                       "inline artifacts are for POST /workloads actions; list it in artifacts"};
    }
    const Value art_v = w.required("artifactId");
    const std::string art_id = art_v.as_string();
    const auto it = artifact_index.find(art_id);
    if (it == artifact_index.end())
      art_v.fail("'" + art_id + "' is not the id of an artifact in artifacts");
    const ArtifactSpec& art = s.platform.artifacts[it->second];
    models::WorkloadSpec spec = read_workload(w, &art);
    if (const std::string& b = spec.runtime.bundle;
        !b.empty() && s.platform.cluster.bundle(b) == nullptr) {
      std::string known;
      for (const models::ResourceBundleSpec& rb : s.platform.cluster.bundles)
        known += (known.empty() ? "" : ", ") + rb.id;
      throw FieldError{
          wv.path() + ".runtime.containerGroups[0].resourceBundles",
          "'" + b + "' is not a bundle of cluster.resourceBundles" +
              (known.empty() ? std::string(" (it defines none)") : " (one of: " + known + ")")};
    }
    if (!ids.insert(spec.id).second) wv.field("id").fail("'" + spec.id + "' is used twice");
    replicas += spec.runtime.replica_count;
    if (const std::int64_t max = root.limits().max_replicas_total; replicas > max) {
      throw FieldError{wv.path() + ".runtime.containerGroups[0].replicaCount",
                       std::to_string(spec.runtime.replica_count) + " brings the workloads to " +
                           std::to_string(replicas) + " replicas, which is over the limit of " +
                           std::to_string(max) +
                           " replicas in total (raise it with --max-total-replicas)"};
    }
    if (art.status == models::ArtifactStatus::Draft) {
      if (auto [d, fresh] = draft_user.emplace(art.id, spec.id); !fresh) {
        art_v.fail("draft artifact '" + art.id + "' already backs workload " + d->second +
                   " (a draft backs at most one workload; lock it to share it)");
      }
    }
    w.finish();
    s.platform.workloads.push_back(std::move(spec));
  }
  if (auto faults = o.optional("faults")) {
    for (const Value& fv : faults->as_list()) {
      Object f(fv);
      models::FaultSpec fault;
      const Value at_v = f.required("at");
      fault.at = at_v.as_duration();
      if (fault.at > s.duration) {
        at_v.fail(engine::format_duration(fault.at) + " is after the scenario's duration (" +
                  engine::format_duration(s.duration) + ")");
      }
      // How long it lasts: to the end of the run at most.
      const auto read_for = [&](Object& kind, bool required) {
        std::optional<Value> for_v =
            required ? std::optional<Value>(kind.required("for")) : kind.optional("for");
        if (!for_v) return;
        fault.duration = positive_duration(*for_v);
        if (fault.duration > s.duration - fault.at) {
          for_v->fail(engine::format_duration(fault.duration) + " from " +
                      engine::format_duration(fault.at) + " ends at " +
                      engine::format_duration(fault.at + fault.duration) +
                      ", after the scenario's duration (" + engine::format_duration(s.duration) +
                      ")");
        }
      };
      if (f.has("registryOutage") == f.has("nodeFailure")) {
        fv.fail("needs exactly one of registryOutage, nodeFailure");
      }
      if (auto outage_v = f.optional("registryOutage")) {
        Object outage(*outage_v);
        read_for(outage, true);
        outage.finish();
      } else {
        const Value node_failure_v = f.required("nodeFailure");
        Object nf(node_failure_v);
        fault.kind = models::FaultSpec::Kind::NodeFailure;
        const auto& pools = s.platform.cluster.node_pools;
        if (nf.has("node") == nf.has("pool")) {
          node_failure_v.fail("needs exactly one of node (a node's name), pool (with count)");
        }
        if (auto x = nf.optional("node")) {
          fault.node = x->as_string();
          bool found = false;
          for (const models::NodePoolSpec& pool : pools) {
            for (int i = 0; i < pool.count && !found; ++i)
              found = fault.node == pool.name + "-" + std::to_string(i);
          }
          if (!found) {
            x->fail("'" + fault.node + "' is not a node of the cluster at the start (nodes are " +
                    "named after their pool: <pool>-0, <pool>-1, ...)");
          }
        } else {
          std::vector<std::string> names;
          names.reserve(pools.size());
          for (const models::NodePoolSpec& pool : pools) names.push_back(pool.name);
          fault.pool = nf.required("pool").as_enum(names);
          if (auto y = nf.optional("count")) {
            int max_nodes = 0;
            for (const models::NodePoolSpec& pool : pools) {
              if (pool.name == fault.pool) max_nodes = pool.max();
            }
            fault.count = static_cast<int>(y->as_int(1, std::max(1, max_nodes)));
          }
        }
        read_for(nf, false);
        nf.finish();
      }
      f.finish();
      s.platform.faults.push_back(fault);
    }
  }
  if (auto settings = o.optional("settings")) {
    Object so(*settings);
    if (auto x = so.optional("replacementDeadline"))
      s.platform.settings.replacement_deadline = x->as_duration();
    so.finish();
  }
  if (auto actions = o.optional("actions")) {
    for (const ActionItem& item : expand_actions(*actions)) {
      models::ActionSpec a = read_action(item.value, s.profile, s.duration);
      if (item.offset > s.duration - a.at) {
        throw FieldError{item.offset_field.path(), "puts a call at " +
                                                       engine::format_duration(a.at + item.offset) +
                                                       ", after the scenario's duration (" +
                                                       engine::format_duration(s.duration) + ")"};
      }
      a.at = a.at + item.offset;
      s.platform.actions.push_back(std::move(a));
    }
  }
  {
    // The defaults of the profile; `settings` (read above) holds what they do not cover.
    const engine::Time deadline = s.platform.settings.replacement_deadline;
    s.platform.settings = default_settings(s.profile);
    s.platform.settings.replacement_deadline = deadline;
  }
  if (auto platform = o.optional("platform")) read_platform_params(*platform, s.platform.settings);
  if (auto traffic = o.optional("traffic")) {
    std::set<std::string> with_traffic;
    for (const Value& tv : traffic->as_list()) {
      models::TrafficSpec t = read_traffic(tv, base_dir);
      if (!ids.contains(t.workload)) {
        tv.field("workload").fail("'" + t.workload + "' is not the id of a workload in workloads");
      }
      if (!with_traffic.insert(t.workload).second) {
        tv.field("workload")
            .fail("'" + t.workload + "' already has a traffic entry (one per workload)");
      }
      s.platform.traffic.push_back(std::move(t));
    }
  }
  // Last: the block names the workloads, actions and times read above.
  if (auto expect = o.optional("expect")) s.expect = read_expectations(*expect, s);
  o.finish();
  return s;
}

// The bounds themselves: counts within the engine's int fields, amounts no larger than the defaults
// that keep its arithmetic exact (limits.hpp).
void check_limits(const Limits& l) {
  const Limits defaults;
  const auto within = [](std::string_view name, std::int64_t value, std::int64_t min,
                         std::int64_t max, std::string_view why) {
    if (value < min)
      throw TextError{"limits: " + std::string(name) + " is " + std::to_string(value) +
                          ", not >= " + std::to_string(min),
                      {}};
    if (value > max) {
      throw TextError{"limits: " + std::string(name) + " is " + std::to_string(value) +
                          ", over its ceiling of " + std::to_string(max) + " (" + std::string(why) +
                          ")",
                      {}};
    }
  };
  constexpr std::string_view kCount = "the most wlsim counts";
  constexpr std::string_view kAmount = "amount limits may be lowered, not raised";
  within("max_file_bytes", l.max_file_bytes, 0, kMaxInt64 - 1, kCount);
  within("max_list_length", l.max_list_length, 0, kMaxCountCeiling, kCount);
  within("max_depth", l.max_depth, 1, kMaxDepthCeiling, "the most the YAML parser nests");
  within("max_replicas_per_group", l.max_replicas_per_group, 0, kMaxCountCeiling, kCount);
  within("max_replicas_total", l.max_replicas_total, 0, kMaxCountCeiling, kCount);
  within("max_nodes", l.max_nodes, 0, kMaxCountCeiling, kCount);
  within("max_duration (microseconds)", l.max_duration.us(), 1, defaults.max_duration.us(),
         kAmount);
  within("max_bytes", l.max_bytes, 0, defaults.max_bytes, kAmount);
  within("max_bytes_per_second", l.max_bytes_per_second, 0, defaults.max_bytes_per_second, kAmount);
  within("max_cpu_milli", l.max_cpu_milli, 0, defaults.max_cpu_milli, kAmount);
  within("max_gpu", l.max_gpu, 0, defaults.max_gpu, kAmount);
}

std::string read_file(const std::string& path, const Limits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw TextError{"cannot open the file (does it exist?)", {}};
  if (fs::is_directory(st)) throw TextError{"is a directory, not a scenario file", {}};
  // A device never ends (/dev/zero) or blocks on a terminal; a pipe is read like a file, up to the
  // bound.
  if (fs::is_character_file(st)) throw TextError{"is a character device, not a scenario file", {}};
  if (fs::is_block_file(st)) throw TextError{"is a block device, not a scenario file", {}};
  if (fs::is_socket(st)) throw TextError{"is a socket, not a scenario file", {}};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TextError{"cannot open the file (is it readable?)", {}};
  const auto cap =
      static_cast<std::size_t>(limits.max_file_bytes) + 1;  // one byte more tells "over"
  std::string text;
  std::vector<char> buf(std::size_t{1} << 16);
  while (text.size() < cap && in) {
    in.read(buf.data(), static_cast<std::streamsize>(std::min(buf.size(), cap - text.size())));
    text.append(buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw TextError{"cannot read the file", {}};
  if (text.size() >= cap) {
    throw TextError{"the file is over the limit of " + std::to_string(limits.max_file_bytes) +
                        " bytes of scenario text (raise it with --max-file-size)",
                    {}};
  }
  return text;
}

}  // namespace

}  // namespace detail

namespace {
/// Every message is one line: whatever user text it echoes (a key, a value, a file name) is
/// escaped.
[[noreturn]] void fail(std::string_view origin, const std::string& message) {
  throw ScenarioError(escape_for_message(std::string(origin) + ": " + message));
}
}  // namespace

namespace {
/// The one place a scenario's text or a call's body becomes a Document (an override's value is read
/// by overrides.cpp): the fast readers, with yaml-cpp's reading and messages behind them.
Document read_document_text(std::string_view text, const Limits& limits) {
  return read_document(text, limits);
}

/// The source's document with the overrides applied; refuses an empty document first.
Document overridden_document(const Source& source, const std::vector<Override>& overrides,
                             const Limits& limits) {
  detail::check_limits(limits);
  Document doc = read_document_text(source.text, limits);
  if (doc.root().is_null()) fail(source.origin, "the scenario is empty");
  if (!overrides.empty()) apply_overrides(doc, overrides, limits);
  return doc;
}

// parse_document turns every yaml-cpp exception into a TextError, and the readers read a Document,
// so no YAML::Exception reaches here.
template <typename Read>
auto reading(const Source& source, Read&& read) {
  try {
    return read();
  } catch (const TextError& e) {
    fail(source.origin, e.message);
  } catch (const FieldError& e) {
    fail(source.origin, (e.path.empty() ? "(top level)" : e.path) + ": " + e.message);
  }
}
}  // namespace

Source text_source(std::string_view text, std::string_view origin) {
  return Source{std::string(text), std::string(origin), std::filesystem::current_path().string()};
}

Scenario load_source(const Source& source, const std::vector<Override>& overrides,
                     const Limits& limits) {
  return reading(source, [&] {
    Document doc = overridden_document(source, overrides, limits);
    IgnoredFields ignored;
    ReadContext ctx(doc, limits, limits.ignore_unsupported ? &ignored : nullptr);
    Scenario s = detail::read_scenario(Value(ctx), source.base_dir);
    s.limits = limits;
    for (const std::string& m : ignored.messages()) {
      s.warnings.push_back(escape_for_message(source.origin + ": " + m));
    }
    return s;
  });
}

std::string source_json(const Source& source, const std::vector<Override>& overrides,
                        const Limits& limits) {
  return reading(source, [&] {
    const Document doc = overridden_document(source, overrides, limits);
    return document_json(doc.root());
  });
}

Scenario load_text(std::string_view text, std::string_view origin, const Limits& limits) {
  return load_source(text_source(text, origin), {}, limits);
}

models::api::Call parse_call(std::string_view endpoint, std::string_view body,
                             models::Profile profile, const Limits& limits) {
  try {
    detail::check_limits(limits);
    // {request: ENDPOINT, body: BODY}, read like an action of a scenario.
    Document doc;
    if (!body.empty()) {
      try {
        doc = read_document_text(body, limits);
      } catch (const TextError& e) {
        fail("call",
             "body: " +
                 (e.yaml_message.empty() ? e.message : "malformed YAML/JSON: " + e.yaml_message));
      }
    }
    const Document::Index body_root = doc.root().index();
    std::vector<Document::Index> entries{doc.add_scalar("request", false),
                                         doc.add_scalar(endpoint, false)};
    if (!body.empty()) {
      entries.push_back(doc.add_scalar("body", false));
      entries.push_back(body_root);
    }
    doc.set_root(doc.add_map(entries));
    ReadContext ctx(doc, limits);
    const Value v(ctx);
    Object o(v);
    const Value request = o.required("request");
    return detail::read_call(request, o.optional("body"), profile);
  } catch (const TextError& e) {
    fail("call", e.message);
  } catch (const FieldError& e) {
    fail("call", e.path + ": " + e.message);
  }
}

Source read_source(const std::string& path, const Limits& limits) {
  try {
    detail::check_limits(limits);
    return Source{detail::read_file(path, limits), path,
                  std::filesystem::absolute(path).parent_path().string()};
  } catch (const TextError& e) {
    fail(path, e.message);
  }
}

Scenario load_file(const std::string& path, const Limits& limits) {
  return load_source(read_source(path, limits), {}, limits);
}

}  // namespace wlsim::scenarios

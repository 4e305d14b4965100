// The scenario schema: every field the format accepts, its type, its allowed values and its default.
// Field names are the platform API's (camelCase), so a real workload definition pastes in unchanged.

#include "wlsim/scenarios/loader.hpp"

#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "wlsim/engine/distribution.hpp"
#include "wlsim/scenarios/units.hpp"
#include "yaml_reader.hpp"

namespace wlsim::scenarios {

namespace {

using engine::Time;
using models::ArtifactSpec;
using models::ContainerSpec;
using models::ProbeSpec;
using models::Resources;

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();
constexpr std::string_view kNotYet =
    "is not simulated by this version of wlsim yet; remove it (the rest of the scenario format is "
    "supported)";

std::int64_t bytes(const Value& v) { return v.parsed<std::int64_t>(parse_bytes); }

engine::Distribution duration_distribution(const Value& v) {
  return v.parsed<engine::Distribution>(engine::parse_duration_distribution);
}

Resources read_resources(const Value& v) {
  Object o(v);
  Resources r;
  if (auto cpu = o.optional("cpu")) r.cpu_milli = cpu->parsed<std::int64_t>(parse_millicores);
  if (auto mem = o.optional("memory")) r.memory_bytes = bytes(*mem);
  if (auto gpu = o.optional("gpu")) r.gpu = gpu->as_int(0, kMaxInt);
  o.finish();
  return r;
}

ProbeSpec read_probe(const Value& v, models::Profile profile, models::ProbeKind kind) {
  Object o(v);
  const Value path_v = o.required("path");
  const std::string path = path_v.as_string();
  if (path.front() != '/') path_v.fail("'" + path + "' must start with '/'");
  ProbeSpec p = models::default_probe(profile, path);
  if (auto x = o.optional("port")) p.port = static_cast<int>(x->as_int(1, 65535));
  if (auto x = o.optional("scheme")) {
    p.scheme = x->as_enum({"HTTP", "HTTPS"}) == "HTTPS" ? models::Scheme::Https : models::Scheme::Http;
  }
  if (auto x = o.optional("host")) p.host = x->as_string();
  if (auto x = o.optional("httpHeaders")) {
    for (const Value& h : x->as_list()) {
      Object ho(h);
      p.http_headers.emplace_back(ho.required("name").as_string(), ho.required("value").as_scalar_text());
      ho.finish();
    }
  }
  if (auto x = o.optional("initialDelaySeconds")) p.initial_delay = Time::from_seconds(x->as_int(0, kMaxInt));
  if (auto x = o.optional("periodSeconds")) p.period = Time::from_seconds(x->as_int(1, kMaxInt));
  if (auto x = o.optional("timeoutSeconds")) p.timeout = Time::from_seconds(x->as_int(1, kMaxInt));
  if (auto x = o.optional("failureThreshold")) p.failure_threshold = static_cast<int>(x->as_int(1, kMaxInt));
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
  if (auto x = o.optional("imageSize")) b.image_size_bytes = bytes(*x);
  if (auto x = o.optional("startup")) b.startup = duration_distribution(*x);
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
  if (auto x = o.optional("memory")) b.memory_bytes = bytes(*x);
  if (auto x = o.optional("memoryGrowth")) b.memory_growth_bytes_per_s = x->parsed<std::int64_t>(parse_bytes_per_second);
  if (auto x = o.optional("imagePull")) {
    const std::string v = x->as_enum({"ok", "notFound", "unauthorized"});
    b.image_error = v == "notFound"       ? models::ImageError::NotFound
                    : v == "unauthorized" ? models::ImageError::Unauthorized
                                          : models::ImageError::None;
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
    const std::string p = x->as_enum({"Always", "IfNotPresent", "Never"});
    c.pull_policy = p == "Always"         ? models::PullPolicy::Always
                    : p == "IfNotPresent" ? models::PullPolicy::IfNotPresent
                                          : models::PullPolicy::Never;
  }
  if (auto x = o.optional("port")) c.port = static_cast<int>(x->as_int(1, 65535));
  if (auto x = o.optional("readinessProbe")) c.readiness = read_probe(*x, profile, models::ProbeKind::Readiness);
  if (auto x = o.optional("livenessProbe")) c.liveness = read_probe(*x, profile, models::ProbeKind::Liveness);
  if (auto x = o.optional("startupProbe")) c.startup = read_probe(*x, profile, models::ProbeKind::Startup);
  if (auto x = o.optional("resourceAllocation")) c.resources = read_resources(*x);
  // Environment variables change nothing in the lifecycle; accepted so real definitions paste in.
  if (auto x = o.optional("environmentVars")) (void)x->as_list();
  if (auto x = o.optional("description")) (void)x->as_string();
  if (auto x = o.optional("behavior")) c.behavior = read_behavior(*x);
  o.finish();
  return c;
}

ArtifactSpec read_artifact(const Value& v, models::Profile profile) {
  Object o(v);
  ArtifactSpec a;
  a.id = o.required("id").as_string();
  if (auto x = o.optional("status")) {
    a.status = x->as_enum({"draft", "locked"}) == "locked" ? models::ArtifactStatus::Locked
                                                           : models::ArtifactStatus::Draft;
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
    if (!names.insert(c.name).second) Value(cv.node()["name"], cv.path() + ".name").fail("'" + c.name + "' is used twice");
    a.containers.push_back(std::move(c));
  }
  g.finish();
  if (a.containers.empty()) containers_v.fail("must hold at least one container");
  int primaries = 0;
  for (const auto& c : a.containers) primaries += c.primary ? 1 : 0;
  if (primaries == 0 && a.containers.size() == 1) a.containers.front().primary = true;
  else if (primaries != 1) containers_v.fail("must mark exactly one container primary: true (found " + std::to_string(primaries) + ")");
  for (std::size_t i = 0; i < a.containers.size(); ++i) {
    if (a.containers[i].primary && a.type == "service" && !a.containers[i].readiness) {
      throw FieldError{containers_v.path() + "[" + std::to_string(i) + "].readinessProbe",
                       "is required on the primary container of a service artifact"};
    }
  }
  o.finish();
  return a;
}

models::RuntimeSpec read_runtime(const Value& v, const ArtifactSpec* artifact) {
  Object o(v);
  models::RuntimeSpec r;
  if (auto groups_v = o.optional("containerGroups")) {
    const auto groups = groups_v->as_list();
    if (groups.size() != 1) groups_v->fail("must hold exactly one container group (named default)");
    Object g(groups[0]);
    if (auto x = g.optional("name")) (void)x->as_enum({"default"});
    if (auto x = g.optional("replicaCount")) r.replica_count = static_cast<int>(x->as_int(0, 100000));
    if (auto x = g.optional("autoscaling")) {
      Object a(*x);
      if (auto en = a.optional("enabled"); en && en->as_bool()) en->fail(kNotYet);
      a.unsupported("policies", kNotYet);
      a.unsupported("minReplicaCount", kNotYet);
      a.unsupported("maxReplicaCount", kNotYet);
      a.finish();
    }
    g.unsupported("resourceBundles", kNotYet);
    if (auto x = g.optional("containers")) {
      for (const Value& cv : x->as_list()) {
        Object c(cv);
        const Value name_v = c.required("name");
        const std::string name = name_v.as_string();
        bool found = artifact == nullptr;
        if (artifact != nullptr) {
          for (const auto& ac : artifact->containers) found = found || ac.name == name;
        }
        if (!found) name_v.fail("'" + name + "' is not a container of artifact " + artifact->id);
        if (auto ra = c.optional("resourceAllocation")) r.resource_overrides[name] = read_resources(*ra);
        c.finish();
      }
    }
    g.finish();
  }
  o.finish();
  return r;
}

models::ClusterSpec read_cluster(const Value& v) {
  Object o(v);
  models::ClusterSpec c;
  const Value pools_v = o.required("nodePools");
  std::set<std::string> names;
  for (const Value& pv : pools_v.as_list()) {
    Object p(pv);
    models::NodePoolSpec pool;
    const Value name_v = p.required("name");
    pool.name = name_v.as_string();
    if (!names.insert(pool.name).second) name_v.fail("'" + pool.name + "' is used twice");
    if (auto x = p.optional("count")) pool.count = static_cast<int>(x->as_int(0, 100000));
    pool.allocatable = read_resources(p.required("allocatable"));
    if (auto x = p.optional("cachedImages")) {
      for (const Value& i : x->as_list()) pool.cached_images.push_back(i.as_string());
    }
    p.finish();
    c.node_pools.push_back(std::move(pool));
  }
  if (auto x = o.optional("podSetup")) c.pod_setup = x->as_duration();
  if (auto r = o.optional("registry")) {
    Object ro(*r);
    if (auto x = ro.optional("latency")) c.registry.latency = x->as_duration();
    if (auto x = ro.optional("bandwidth")) {
      c.registry.bandwidth_bytes_per_s = x->parsed<std::int64_t>(parse_bytes_per_second);
      if (c.registry.bandwidth_bytes_per_s <= 0) x->fail("must be > 0 (omit it for unlimited)");
    }
    ro.finish();
  }
  o.finish();
  return c;
}

Scenario read_scenario(const Value& root) {
  Object o(root);
  Scenario s;
  s.name = o.required("name").as_string();
  if (auto x = o.optional("seed")) s.seed = static_cast<std::uint64_t>(x->as_int(0, std::numeric_limits<std::int64_t>::max()));
  const Value dur = o.required("duration");
  s.duration = dur.as_duration();
  if (s.duration <= Time::zero()) dur.fail("must be > 0");
  if (auto x = o.optional("profile")) {
    s.profile = x->as_enum({"platform", "kubernetes"}) == "kubernetes" ? models::Profile::Kubernetes
                                                                       : models::Profile::Platform;
  }
  s.platform.cluster = read_cluster(o.required("cluster"));

  std::map<std::string, std::size_t> artifact_index;
  for (const Value& av : o.required("artifacts").as_list()) {
    ArtifactSpec a = read_artifact(av, s.profile);
    if (!artifact_index.emplace(a.id, s.platform.artifacts.size()).second) {
      Value(av.node()["id"], av.path() + ".id").fail("'" + a.id + "' is used twice");
    }
    s.platform.artifacts.push_back(std::move(a));
  }
  std::set<std::string> ids;
  std::map<std::string, std::string> draft_user;  // a draft artifact backs at most one workload
  for (const Value& wv : o.required("workloads").as_list()) {
    Object w(wv);
    models::WorkloadSpec spec;
    const Value id_v = w.required("id");
    spec.id = id_v.as_string();
    if (!ids.insert(spec.id).second) id_v.fail("'" + spec.id + "' is used twice");
    const Value art_v = w.required("artifactId");
    spec.artifact_id = art_v.as_string();
    const auto it = artifact_index.find(spec.artifact_id);
    if (it == artifact_index.end()) art_v.fail("'" + spec.artifact_id + "' is not the id of an artifact in artifacts");
    const ArtifactSpec& art = s.platform.artifacts[it->second];
    if (art.status == models::ArtifactStatus::Draft) {
      if (auto [d, fresh] = draft_user.emplace(art.id, spec.id); !fresh) {
        art_v.fail("draft artifact '" + art.id + "' already backs workload " + d->second +
                   " (a draft backs at most one workload; lock it to share it)");
      }
    }
    if (auto x = w.optional("importance")) {
      const std::string imp = x->as_enum({"low", "moderate", "high", "critical"});
      spec.importance = imp == "critical" ? models::Importance::Critical
                        : imp == "high"   ? models::Importance::High
                        : imp == "moderate" ? models::Importance::Moderate
                                            : models::Importance::Low;
    }
    if (auto x = w.optional("name")) (void)x->as_string();
    if (auto x = w.optional("runtime")) spec.runtime = read_runtime(*x, &art);
    w.finish();
    s.platform.workloads.push_back(std::move(spec));
  }
  if (auto faults = o.optional("faults")) {
    for (const Value& fv : faults->as_list()) {
      Object f(fv);
      models::FaultSpec fault;
      fault.at = f.required("at").as_duration();
      const Value outage_v = f.required("registryOutage");  // the only fault so far
      Object outage(outage_v);
      const Value for_v = outage.required("for");
      fault.duration = for_v.as_duration();
      if (fault.duration <= Time::zero()) for_v.fail("must be > 0");
      outage.finish();
      f.finish();
      s.platform.faults.push_back(fault);
    }
  }
  o.unsupported("traffic", kNotYet);
  o.unsupported("actions", kNotYet);
  o.finish();
  return s;
}

}  // namespace

Scenario load_text(std::string_view text, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw ScenarioError(std::string(origin) + ": malformed YAML/JSON at line " +
                        std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) +
                        ": " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) throw ScenarioError(std::string(origin) + ": the scenario is empty");
  try {
    return read_scenario(Value(root, ""));
  } catch (const FieldError& e) {
    throw ScenarioError(std::string(origin) + ": " + (e.path.empty() ? "(top level)" : e.path) + ": " + e.message);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(std::string(origin) + ": malformed YAML/JSON: " + e.msg);
  }
}

Scenario load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": cannot open the file (does it exist?)");
  std::stringstream buf;
  buf << in.rdbuf();
  return load_text(buf.str(), path);
}

}  // namespace wlsim::scenarios

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
    p.scheme = x->as_choice<models::Scheme>({{"HTTP", models::Scheme::Http}, {"HTTPS", models::Scheme::Https}});
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

models::ArtifactStatus artifact_status(const Value& v) {
  return v.as_choice<models::ArtifactStatus>(
      {{"draft", models::ArtifactStatus::Draft}, {"locked", models::ArtifactStatus::Locked}});
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
    b.image_error = x->as_choice<models::ImageError>({{"ok", models::ImageError::None},
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
    c.pull_policy = x->as_choice<models::PullPolicy>({{"Always", models::PullPolicy::Always},
                                                      {"IfNotPresent", models::PullPolicy::IfNotPresent},
                                                      {"Never", models::PullPolicy::Never}});
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

models::Importance read_importance(const Value& v) {
  return v.as_choice<models::Importance>({{"low", models::Importance::Low},
                                          {"moderate", models::Importance::Moderate},
                                          {"high", models::Importance::High},
                                          {"critical", models::Importance::Critical}});
}

/// The fields of a workload (Object already open; the caller finishes it). `artifact` checks runtime
/// container names when known; an inline artifact also makes `artifactId` optional.
models::WorkloadSpec read_workload(Object& w, const ArtifactSpec* artifact, bool artifact_inline = false) {
  models::WorkloadSpec spec;
  spec.id = w.required("id").as_string();
  spec.artifact_id = artifact_inline && !w.has("artifactId") ? artifact->id : w.required("artifactId").as_string();
  if (auto x = w.optional("importance")) spec.importance = read_importance(*x);
  if (auto x = w.optional("name")) (void)x->as_string();
  if (auto x = w.optional("runtime")) spec.runtime = read_runtime(*x, artifact);
  return spec;
}

models::ReplacementConfig read_replacement_config(const Value& v) {
  Object o(v);
  models::ReplacementConfig c;
  if (auto x = o.optional("warmupDurationMinutes")) c.warmup = Time::from_minutes(x->as_int(0, 100000));
  if (auto x = o.optional("keepOldVersionMinutes")) c.keep_old = Time::from_minutes(x->as_int(0, 100000));
  o.finish();
  return c;
}

constexpr const char* kEndpoints =
    "POST /artifacts, PATCH /artifacts/{id}, POST /artifacts/{id}/clone, POST /workloads, GET|PATCH|DELETE "
    "/workloads/{id}, POST /workloads/{id}/start|stop|promote, POST|GET|DELETE /workloads/{id}/replacement, "
    "PATCH /workloads/{id}/settings, GET /workloads/{id}/history, GET /workloads/{id}/events, GET /workloads/{id}/protons, GET "
    "/workloads/{id}/protons/{protonId}/statusDetails";

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t j = path.find('/', i);
    const std::string part = path.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (!part.empty()) out.push_back(part);
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

/// One REST call: "METHOD /path" and its body (absent for calls that take none).
models::api::Call read_call(const Value& request_v, const std::optional<Value>& body, models::Profile profile) {
  using namespace models::api;
  const std::string text = request_v.as_string();
  const auto space = text.find(' ');
  const std::string method = text.substr(0, space);
  const std::string path = space == std::string::npos ? "" : text.substr(space + 1);
  const auto parts = split_path(path);
  const auto bad = [&]() -> models::api::Call {
    request_v.fail("'" + text + "' is not an endpoint of the Workload API (allowed: " + kEndpoints + ")");
  };
  const auto no_body = [&](Request r) -> models::api::Call {
    if (body) body->fail("must be absent: " + method + " " + path + " takes no body");
    return {method + " " + path, std::move(r)};
  };
  const auto need_body = [&]() -> const Value& {
    if (!body) throw FieldError{request_v.path().substr(0, request_v.path().rfind('.')) + ".body",
                                "is required for " + method + " " + path};
    return *body;
  };
  if (parts.empty()) return bad();
  if (parts[0] == "artifacts") {
    if (method == "POST" && parts.size() == 1) {
      return {text, CreateArtifact{read_artifact(need_body(), profile)}};
    }
    if (method == "PATCH" && parts.size() == 2) {
      Object b(need_body());
      const models::ArtifactStatus st = artifact_status(b.required("status"));
      b.finish();
      return {text, PatchArtifact{parts[1], st}};
    }
    if (method == "POST" && parts.size() == 3 && parts[2] == "clone") {
      Object b(need_body());
      const std::string id = b.required("id").as_string();
      b.finish();
      return {text, CloneArtifact{parts[1], id}};
    }
    return bad();
  }
  if (parts[0] != "workloads") return bad();
  if (parts.size() == 1) {
    if (method != "POST") return bad();
    Object b(need_body());
    CreateWorkload c;
    if (auto inline_artifact = b.optional("artifact")) c.artifact = read_artifact(*inline_artifact, profile);
    c.workload = read_workload(b, c.artifact ? &*c.artifact : nullptr, c.artifact.has_value());
    b.finish();
    return {text, std::move(c)};
  }
  const std::string& id = parts[1];
  using Verb = WorkloadCall::Verb;
  if (parts.size() == 2) {
    if (method == "GET") return no_body(WorkloadCall{Verb::Get, id});
    if (method == "DELETE") return no_body(WorkloadCall{Verb::Delete, id});
    if (method == "PATCH") {
      Object b(need_body());
      PatchWorkload p{id, {}, {}};
      if (auto x = b.optional("importance")) p.importance = read_importance(*x);
      if (auto x = b.optional("name")) p.name = x->as_string();
      b.finish();
      return {text, std::move(p)};
    }
    return bad();
  }
  const std::string& sub = parts[2];
  if (parts.size() == 3) {
    if (method == "POST" && sub == "start") return no_body(WorkloadCall{Verb::Start, id});
    if (method == "POST" && sub == "stop") return no_body(WorkloadCall{Verb::Stop, id});
    if (method == "POST" && sub == "promote") return no_body(WorkloadCall{Verb::Promote, id});
    if (method == "GET" && sub == "replacement") return no_body(WorkloadCall{Verb::GetReplacement, id});
    if (method == "DELETE" && sub == "replacement") return no_body(WorkloadCall{Verb::CancelReplacement, id});
    if (method == "GET" && sub == "history") return no_body(WorkloadCall{Verb::History, id});
    if (method == "GET" && sub == "protons") return no_body(WorkloadCall{Verb::Protons, id});
    if (method == "GET" && sub == "events") return no_body(WorkloadCall{Verb::Events, id});
    if (method == "POST" && sub == "replacement") {
      Object b(need_body());
      StartReplacement r{id, {}};
      r.request.artifact_id = b.required("artifactId").as_string();
      r.request.strategy = b.required("strategy").as_enum({"rolling"});
      if (auto x = b.optional("config")) r.request.config = read_replacement_config(*x);
      if (auto x = b.optional("runtime")) r.request.runtime = read_runtime(*x, nullptr);
      b.finish();
      return {text, std::move(r)};
    }
    if (method == "PATCH" && sub == "settings") {
      Object b(need_body());
      StartReplacement r{id, {}};
      r.request.runtime = read_runtime(b.required("runtime"), nullptr);
      r.request.from_settings = true;
      b.finish();
      return {text, std::move(r)};
    }
    return bad();
  }
  if (parts.size() == 5 && method == "GET" && sub == "protons" && parts[4] == "statusDetails") {
    return no_body(StatusDetails{id, parts[3]});
  }
  return bad();
}

models::ActionSpec read_action(const Value& v, models::Profile profile, Time duration) {
  Object o(v);
  models::ActionSpec a;
  const Value at_v = o.required("at");
  a.at = at_v.as_duration();
  if (a.at > duration) at_v.fail(engine::format_duration(a.at) + " is after the scenario's duration (" +
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
    s.profile = x->as_choice<models::Profile>(
        {{"platform", models::Profile::Platform}, {"kubernetes", models::Profile::Kubernetes}});
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
    if (w.has("artifact")) {
      throw FieldError{wv.path() + ".artifact", "inline artifacts are for POST /workloads actions; list it in artifacts"};
    }
    const Value art_v = w.required("artifactId");
    const std::string art_id = art_v.as_string();
    const auto it = artifact_index.find(art_id);
    if (it == artifact_index.end()) art_v.fail("'" + art_id + "' is not the id of an artifact in artifacts");
    const ArtifactSpec& art = s.platform.artifacts[it->second];
    models::WorkloadSpec spec = read_workload(w, &art);
    if (!ids.insert(spec.id).second) Value(wv.node()["id"], wv.path() + ".id").fail("'" + spec.id + "' is used twice");
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
  if (auto settings = o.optional("settings")) {
    Object so(*settings);
    if (auto x = so.optional("replacementDeadline")) s.platform.settings.replacement_deadline = x->as_duration();
    so.finish();
  }
  if (auto actions = o.optional("actions")) {
    for (const Value& av : actions->as_list()) s.platform.actions.push_back(read_action(av, s.profile, s.duration));
  }
  o.unsupported("traffic", kNotYet);
  o.finish();
  return s;
}

}  // namespace

Scenario load_text(std::string_view text, std::string_view origin, const Limits& /*limits*/) {
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

models::api::Call parse_call(std::string_view endpoint, std::string_view body, models::Profile profile) {
  try {
    YAML::Node root;
    root["request"] = std::string(endpoint);
    if (!body.empty()) root["body"] = YAML::Load(std::string(body));
    const Value v(root, "");
    Object o(v);
    const Value request = o.required("request");
    return read_call(request, o.optional("body"), profile);
  } catch (const FieldError& e) {
    throw ScenarioError("call: " + e.path + ": " + e.message);
  } catch (const YAML::Exception& e) {
    throw ScenarioError("call: body: malformed YAML/JSON: " + e.msg);
  }
}

Scenario load_file(const std::string& path, const Limits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": cannot open the file (does it exist?)");
  std::stringstream buf;
  buf << in.rdbuf();
  return load_text(buf.str(), path, limits);
}

}  // namespace wlsim::scenarios

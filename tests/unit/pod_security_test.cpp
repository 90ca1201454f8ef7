// The Pod Security Standards family against docs/pss.md: every check at its
// version boundaries, both verdicts, pod vs container level, init and
// ephemeral containers, Windows and user-namespace pods, annotations vs
// fields, overrides at the restricted profile, workload kinds and pointers,
// API-server defaults and type errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/registry.h"
#include "rules/builtin.h"
#include "rules/pss_checks.h"

namespace kspm {
namespace {

using engine::PssProfile;

// ---------------------------------------------------------------------------
// Building pods

// An ordered set of `key: value` YAML flow entries.
class Fields {
 public:
  Fields& Set(std::string key, std::string value) {
    for (auto& [k, v] : items_) {
      if (k == key) {
        v = std::move(value);
        return *this;
      }
    }
    items_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  Fields& Remove(const std::string& key) {
    std::erase_if(items_, [&](const auto& kv) { return kv.first == key; });
    return *this;
  }
  bool empty() const { return items_.empty(); }
  std::string Flow() const {
    std::string out = "{";
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i > 0) out += ", ";
      out += items_[i].first + ": " + items_[i].second;
    }
    return out + "}";
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// A pod with one container "app"; B() and R() are docs/pss.md §11.1's base pods.
class PodYaml {
 public:
  Fields spec;      // spec fields other than securityContext and container lists
  Fields pod_sc;    // spec.securityContext
  Fields app;       // the "app" container's fields other than securityContext
  Fields app_sc;    // the "app" container's securityContext
  Fields metadata;  // metadata fields other than name
  std::vector<std::string> more_containers;  // flow mappings
  std::vector<std::string> init_containers;
  std::vector<std::string> ephemeral_containers;
  bool app_sc_present = true;

  std::string PodSpec() const {
    Fields s = spec;
    if (!pod_sc.empty()) s.Set("securityContext", pod_sc.Flow());
    Fields a = app;
    a.Set("name", "app").Set("image", "registry.k8s.io/pause");
    if (app_sc_present && !app_sc.empty()) a.Set("securityContext", app_sc.Flow());
    std::string containers = "[" + a.Flow();
    for (const std::string& c : more_containers) containers += ", " + c;
    containers += "]";
    s.Set("containers", containers);
    if (!init_containers.empty()) s.Set("initContainers", List(init_containers));
    if (!ephemeral_containers.empty()) s.Set("ephemeralContainers", List(ephemeral_containers));
    return s.Flow();
  }

  std::string Metadata() const {
    Fields m = metadata;
    m.Set("name", "t");
    return m.Flow();
  }

  std::string Yaml() const {
    return "apiVersion: v1\nkind: Pod\nmetadata: " + Metadata() + "\nspec: " + PodSpec() + "\n";
  }

  // The same pod as the template of another kind.
  std::string As(const std::string& kind) const {
    std::string tmpl = "{metadata: " + Metadata() + ", spec: " + PodSpec() + "}";
    if (kind == "CronJob") {
      return "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: t}\nspec: {schedule: '@daily', "
             "jobTemplate: {spec: {template: " +
             tmpl + "}}}\n";
    }
    if (kind == "PodTemplate") {
      return "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate: " + tmpl + "\n";
    }
    std::string api = kind == "Job"                     ? "batch/v1"
                      : kind == "ReplicationController" ? "v1"
                                                        : "apps/v1";
    return "apiVersion: " + api + "\nkind: " + kind +
           "\nmetadata: {name: t}\nspec: {template: " + tmpl + "}\n";
  }

 private:
  static std::string List(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out + "]";
  }
};

PodYaml B() { return PodYaml(); }

PodYaml R() {
  PodYaml p;
  p.pod_sc.Set("runAsNonRoot", "true").Set("seccompProfile", "{type: RuntimeDefault}");
  p.app_sc.Set("allowPrivilegeEscalation", "false").Set("capabilities", "{drop: [ALL]}");
  return p;
}

// ---------------------------------------------------------------------------
// Running checks

struct Result {
  bool applicable = false;
  bool failed = false;
  std::string message;
  std::vector<engine::Evidence> evidence;
};

const engine::RuleRegistry& Registry() {
  static const engine::RuleRegistry* registry = [] {
    auto* r = new engine::RuleRegistry();
    rules::RegisterPodSecurityRules(*r);
    return r;
  }();
  return *registry;
}

const engine::Rule& RuleFor(const std::string& check) {
  for (const auto& r : Registry().rules()) {
    if (r->info.controls.front() == "pss:" + check) return *r;
  }
  ADD_FAILURE() << "no rule for " << check;
  return *Registry().rules().front();
}

// Runs one check on the first object of `yaml`, the way Evaluate would.
Result RunCheck(const std::string& check, const std::string& yaml, int minor,
                PssProfile profile = PssProfile::kNone) {
  core::LoadResult loaded = core::DecodeSources({{"in.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error) << yaml;
  Result out;
  if (loaded.inventory.resources().empty()) return out;
  const engine::Rule& rule = RuleFor(check);
  engine::RuleContext ctx;
  ctx.inventory = &loaded.inventory;
  ctx.k8s_minor = minor;
  ctx.pss_profile = profile;
  if (minor < rule.min_k8s_minor) return out;  // Evaluate skips the rule
  engine::Verdict v;
  rule.check(loaded.inventory.resources().front(), ctx, v);
  out.applicable = v.applicable();
  out.failed = !v.violations().empty();
  out.message = v.message();
  out.evidence = v.violations();
  return out;
}

// The check IDs failing for the first object at a PSS level, as
// `kspm scan --framework pss-<level> --k8s-version 1.<minor>` selects them.
std::vector<std::string> FailingAtLevel(const std::string& level, const std::string& yaml,
                                        int minor) {
  core::LoadResult loaded = core::DecodeSources({{"in.yaml", yaml}}, {});
  engine::Selection selection;
  selection.frameworks = {"pss-" + level};
  auto rules = engine::SelectRules(Registry(), selection);
  EXPECT_TRUE(rules.ok());
  engine::RuleContext ctx;
  ctx.inventory = &loaded.inventory;
  ctx.k8s_minor = minor;
  ctx.pss_profile = level == "restricted" ? PssProfile::kRestricted : PssProfile::kBaseline;
  std::vector<std::string> out;
  for (const engine::Finding& f : engine::Evaluate(*rules, loaded.inventory, ctx, 1)) {
    if (f.status == engine::FindingStatus::kFail) out.push_back(f.rule->info.controls[0].substr(4));
  }
  return out;
}

std::string Describe(const Result& r) {
  std::string s = r.applicable ? (r.failed ? "FAIL " : "PASS ") : "N/A ";
  s += r.message;
  for (const auto& e : r.evidence) s += "\n  " + e.pointer + " " + e.actual + " " + e.message;
  return s;
}

enum class Want { kPass, kFail, kNotApplicable };

struct Case {
  const char* name;
  std::string check;
  PodYaml pod;
  std::vector<int> minors;
  Want want;
  std::string message;  // exact when it has a '(' , else a substring; empty: not checked
  PssProfile profile = PssProfile::kNone;
};

void Expect(const Case& c) {
  for (int minor : c.minors) {
    Result r = RunCheck(c.check, c.pod.Yaml(), minor, c.profile);
    SCOPED_TRACE(std::string(c.name) + " at 1." + std::to_string(minor) + ": " + Describe(r));
    switch (c.want) {
      case Want::kPass:
        EXPECT_TRUE(r.applicable);
        EXPECT_FALSE(r.failed);
        EXPECT_TRUE(r.message.empty());
        break;
      case Want::kNotApplicable:
        EXPECT_FALSE(r.applicable);
        break;
      case Want::kFail:
        EXPECT_TRUE(r.applicable);
        EXPECT_TRUE(r.failed);
        EXPECT_FALSE(r.evidence.empty());
        if (!c.message.empty()) {
          if (c.message.find('(') != std::string::npos) {
            EXPECT_EQ(r.message, c.message);
          } else {
            EXPECT_NE(r.message.find(c.message), std::string::npos);
          }
        }
        break;
    }
  }
}

// Builders for one-line changes.
PodYaml With(PodYaml p, const std::function<void(PodYaml&)>& f) {
  f(p);
  return p;
}

const std::vector<int> kAll = {0, 1, 8, 18, 19, 22, 23, 25, 29, 31, 34, 35, 36, 37};

// ---------------------------------------------------------------------------
// Baseline checks (docs/pss.md §11.3)

TEST(PodSecurity, BaselineChecks) {
  std::vector<Case> cases = {
      // hostNamespaces
      {"HN1", "hostNamespaces", With(B(), [](PodYaml& p) { p.spec.Set("hostNetwork", "true"); }),
       kAll, Want::kFail, "host namespaces (hostNetwork=true)"},
      {"HN2",
       "hostNamespaces",
       With(B(), [](PodYaml& p) { p.spec.Set("hostPID", "true").Set("hostIPC", "true"); }),
       {37},
       Want::kFail,
       "host namespaces (hostPID=true, hostIPC=true)"},
      {"HN2b",
       "hostNamespaces",
       With(B(), [](PodYaml& p) { p.spec.Set("hostIPC", "true").Set("hostNetwork", "true"); }),
       {37},
       Want::kFail,
       "host namespaces (hostNetwork=true, hostIPC=true)"},
      {"HN3", "hostNamespaces",
       With(B(),
            [](PodYaml& p) {
              p.spec.Set("hostNetwork", "false").Set("hostPID", "false").Set("hostIPC", "false");
            }),
       kAll, Want::kPass, ""},
      {"HN4",
       "hostNamespaces",
       With(B(), [](PodYaml& p) { p.spec.Set("hostUsers", "true"); }),
       {37},
       Want::kPass,
       ""},
      // privileged
      {"PR1", "privileged", With(B(), [](PodYaml& p) { p.app_sc.Set("privileged", "true"); }), kAll,
       Want::kFail, "privileged (container \"app\" must not set securityContext.privileged=true)"},
      {"PR2", "privileged", With(B(), [](PodYaml& p) { p.app_sc.Set("privileged", "false"); }),
       kAll, Want::kPass, ""},
      {"PR3",
       "privileged",
       With(B(),
            [](PodYaml& p) {
              p.init_containers = {"{name: init, image: x, securityContext: {privileged: true}}"};
              p.ephemeral_containers = {
                  "{name: dbg, image: x, securityContext: {privileged: true}}"};
            }),
       {37},
       Want::kFail,
       "privileged (containers \"init\", \"dbg\" must not set securityContext.privileged=true)"},
      // capabilities_baseline
      {"CB1", "capabilities_baseline",
       With(B(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{add: [NET_RAW]}"); }), kAll,
       Want::kFail,
       "non-default capabilities (container \"app\" must not include \"NET_RAW\" in "
       "securityContext.capabilities.add)"},
      {"CB2", "capabilities_baseline",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("capabilities",
                           "{add: [CHOWN, NET_BIND_SERVICE, SYS_CHROOT, AUDIT_WRITE]}");
            }),
       kAll, Want::kPass, ""},
      {"CB3",
       "capabilities_baseline",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("capabilities", "{add: [SYS_ADMIN]}");
              p.more_containers = {
                  "{name: b, image: x, securityContext: {capabilities: {add: [NET_ADMIN, "
                  "SYS_ADMIN]}}}"};
            }),
       {37},
       Want::kFail,
       "non-default capabilities (containers \"app\", \"b\" must not include \"NET_ADMIN\", "
       "\"SYS_ADMIN\" in securityContext.capabilities.add)"},
      {"CB4a",
       "capabilities_baseline",
       With(B(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{add: [CAP_CHOWN]}"); }),
       {37},
       Want::kFail,
       "CAP_CHOWN"},
      {"CB4b",
       "capabilities_baseline",
       With(B(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{add: [chown]}"); }),
       {37},
       Want::kFail,
       "\"chown\""},
      {"CB5",
       "capabilities_baseline",
       With(B(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [ALL]}"); }),
       {37},
       Want::kPass,
       ""},
      // hostPathVolumes
      {"HP1", "hostPathVolumes",
       With(B(),
            [](PodYaml& p) { p.spec.Set("volumes", "[{name: h, hostPath: {path: /var/log}}]"); }),
       kAll, Want::kFail, "hostPath volumes (volume \"h\")"},
      {"HP2",
       "hostPathVolumes",
       With(B(),
            [](PodYaml& p) {
              p.spec.Set("volumes",
                         "[{name: h1, hostPath: {path: /a}}, {name: c, configMap: {name: x}}, "
                         "{name: h2, hostPath: {path: /b, type: Directory}}]");
            }),
       {37},
       Want::kFail,
       "hostPath volumes (volumes \"h1\", \"h2\")"},
      {"HP3",
       "hostPathVolumes",
       With(B(),
            [](PodYaml& p) { p.spec.Set("volumes", "[{name: n, nfs: {server: s, path: /}}]"); }),
       {37},
       Want::kPass,
       ""},
      // hostPorts
      {"PO1", "hostPorts",
       With(B(), [](PodYaml& p) { p.app.Set("ports", "[{containerPort: 80, hostPort: 8080}]"); }),
       kAll, Want::kFail, "hostPort (container \"app\" uses hostPort 8080)"},
      {"PO2", "hostPorts",
       With(B(), [](PodYaml& p) { p.app.Set("ports", "[{containerPort: 80, hostPort: 0}]"); }),
       kAll, Want::kPass, ""},
      {"PO3",
       "hostPorts",
       With(B(),
            [](PodYaml& p) {
              p.app.Set("ports", "[{containerPort: 1, hostPort: 9000}]");
              p.more_containers = {
                  "{name: b, image: x, ports: [{containerPort: 2, hostPort: 10000}, "
                  "{containerPort: 3, hostPort: 9000}]}"};
            }),
       {37},
       Want::kFail,
       "hostPort (containers \"app\", \"b\" use hostPorts 10000, 9000)"},
      // hostProbesAndHostLifecycle
      {"PL1",
       "hostProbesAndHostLifecycle",
       With(
           B(),
           [](PodYaml& p) { p.app.Set("livenessProbe", "{httpGet: {host: 10.0.0.1, port: 80}}"); }),
       {0, 19, 33},
       Want::kNotApplicable,
       ""},
      {"PL2",
       "hostProbesAndHostLifecycle",
       With(
           B(),
           [](PodYaml& p) { p.app.Set("livenessProbe", "{httpGet: {host: 10.0.0.1, port: 80}}"); }),
       {34, 35, 37},
       Want::kFail,
       "probe or lifecycle host (container \"app\" uses probe or lifecycle host \"10.0.0.1\")"},
      {"PL3",
       "hostProbesAndHostLifecycle",
       With(B(),
            [](PodYaml& p) {
              p.app.Set("readinessProbe", "{tcpSocket: {host: '127.0.0.1', port: 80}}");
            }),
       {34},
       Want::kFail,
       "127.0.0.1"},
      {"PL4",
       "hostProbesAndHostLifecycle",
       With(B(),
            [](PodYaml& p) {
              p.app.Set("livenessProbe", "{httpGet: {port: 80}}")
                  .Set("readinessProbe", "{httpGet: {host: '', port: 80}}")
                  .Set("startupProbe", "{exec: {command: [true]}}");
            }),
       {37},
       Want::kPass,
       ""},
      {"PL5",
       "hostProbesAndHostLifecycle",
       With(B(),
            [](PodYaml& p) {
              p.more_containers = {
                  "{name: invalid2, image: x, lifecycle: {preStop: {tcpSocket: {host: b.com, "
                  "port: 1}}}, startupProbe: {httpGet: {host: a.com, port: 1}}}",
                  "{name: invalid1, image: x, livenessProbe: {httpGet: {host: a.com, port: 1}}}"};
            }),
       {37},
       Want::kFail,
       "probe or lifecycle host (containers \"invalid1\", \"invalid2\" use probe or lifecycle "
       "hosts \"a.com\", \"b.com\")"},
      {"PL6",
       "hostProbesAndHostLifecycle",
       With(B(),
            [](PodYaml& p) {
              p.init_containers = {
                  "{name: init, image: x, livenessProbe: {httpGet: {host: x.y, "
                  "port: 1}}}"};
            }),
       {37},
       Want::kFail,
       "container \"init\" uses probe or lifecycle host \"x.y\""},
      {"PL7",
       "hostProbesAndHostLifecycle",
       With(B(),
            [](PodYaml& p) {
              p.app.Set("lifecycle", "{postStart: {httpGet: {host: h, port: 1}}}");
            }),
       {37},
       Want::kFail,
       "\"h\""},
      // appArmorProfile
      {"AA1", "appArmorProfile",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{container.apparmor.security.beta.kubernetes.io/app: unconfined}");
            }),
       kAll, Want::kFail,
       "forbidden AppArmor profile (annotation must not set AppArmor profile type to "
       "\"container.apparmor.security.beta.kubernetes.io/app=\"unconfined\"\")"},
      {"AA2", "appArmorProfile",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{container.apparmor.security.beta.kubernetes.io/app: "
                             "runtime/default, container.apparmor.security.beta.kubernetes.io/x: "
                             "localhost/p, container.apparmor.security.beta.kubernetes.io/y: ''}");
            }),
       kAll, Want::kPass, ""},
      {"AA3",
       "appArmorProfile",
       With(B(), [](PodYaml& p) { p.pod_sc.Set("appArmorProfile", "{type: Unconfined}"); }),
       {0, 37},
       Want::kFail,
       "forbidden AppArmor profile (pod must not set AppArmor profile type to \"Unconfined\")"},
      {"AA4",
       "appArmorProfile",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("appArmorProfile", "{type: Localhost, localhostProfile: p}");
              p.pod_sc.Set("appArmorProfile", "{type: RuntimeDefault}");
            }),
       {37},
       Want::kPass,
       ""},
      {"AA5",
       "appArmorProfile",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("appArmorProfile", "{type: Unconfined}");
              p.app_sc.Set("appArmorProfile", "{type: Unconfined}");
              p.metadata.Set("annotations",
                             "{container.apparmor.security.beta.kubernetes.io/app: unconfined}");
            }),
       {37},
       Want::kFail,
       "forbidden AppArmor profiles (pod and container \"app\" and annotation must not set "
       "AppArmor profile type to \"Unconfined\", "
       "\"container.apparmor.security.beta.kubernetes.io/app=\"unconfined\"\")"},
      {"AA6",
       "appArmorProfile",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{container.apparmor.security.beta.kubernetes.io/ghost: unconfined}");
            }),
       {37},
       Want::kFail,
       "ghost"},
      {"AA7 empty profile object",
       "appArmorProfile",
       With(B(), [](PodYaml& p) { p.app_sc.Set("appArmorProfile", "{}"); }),
       {37},
       Want::kFail,
       "forbidden AppArmor profile (container \"app\" must not set AppArmor profile type to "
       "\"\")"},
      // seLinuxOptions
      {"SE1", "seLinuxOptions",
       With(B(), [](PodYaml& p) { p.app_sc.Set("seLinuxOptions", "{type: spc_t}"); }), kAll,
       Want::kFail,
       "seLinuxOptions (container \"app\" set forbidden securityContext.seLinuxOptions: type "
       "\"spc_t\")"},
      {"SE2",
       "seLinuxOptions",
       With(B(), [](PodYaml& p) { p.app_sc.Set("seLinuxOptions", "{type: container_engine_t}"); }),
       {0, 30},
       Want::kFail,
       "container_engine_t"},
      {"SE3",
       "seLinuxOptions",
       With(B(), [](PodYaml& p) { p.app_sc.Set("seLinuxOptions", "{type: container_engine_t}"); }),
       {31, 37},
       Want::kPass,
       ""},
      {"SE4",
       "seLinuxOptions",
       With(B(), [](PodYaml& p) { p.pod_sc.Set("seLinuxOptions", "{user: system_u}"); }),
       {37},
       Want::kFail,
       "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)"},
      {"SE5",
       "seLinuxOptions",
       With(B(), [](PodYaml& p) { p.app_sc.Set("seLinuxOptions", "{role: r}"); }),
       {37},
       Want::kFail,
       ": role may not be set)"},
      {"SE6", "seLinuxOptions",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("seLinuxOptions", "{level: 's0:c123,c456'}");
              p.pod_sc.Set("seLinuxOptions", "{}");
            }),
       kAll, Want::kPass, ""},
      {"SE7",
       "seLinuxOptions",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("seLinuxOptions", "{type: foo, user: u, role: r}");
              p.more_containers = {
                  "{name: e, image: x, securityContext: {seLinuxOptions: {type: bar}}}"};
            }),
       {37},
       Want::kFail,
       "seLinuxOptions (pod and container \"e\" set forbidden securityContext.seLinuxOptions: "
       "types \"bar\", \"foo\"; user may not be set; role may not be set)"},
      {"SE8", "seLinuxOptions",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("seLinuxOptions", "{type: container_t}");
              p.more_containers = {
                  "{name: b, image: x, securityContext: {seLinuxOptions: {type: "
                  "container_init_t}}}",
                  "{name: c, image: x, securityContext: {seLinuxOptions: {type: "
                  "container_kvm_t}}}"};
            }),
       kAll, Want::kPass, ""},
      // procMount
      {"PM1", "procMount", With(B(), [](PodYaml& p) { p.app_sc.Set("procMount", "Unmasked"); }),
       kAll, Want::kFail,
       "procMount (container \"app\" must not set securityContext.procMount to \"Unmasked\")"},
      {"PM2",
       "procMount",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("procMount", "Unmasked");
              p.spec.Set("hostUsers", "false");
            }),
       {0, 29, 34},
       Want::kFail,
       "Unmasked"},
      {"PM3",
       "procMount",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("procMount", "Unmasked");
              p.spec.Set("hostUsers", "false");
            }),
       {35, 36, 37},
       Want::kPass,
       ""},
      {"PM3b hostUsers true",
       "procMount",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("procMount", "Unmasked");
              p.spec.Set("hostUsers", "true");
            }),
       {35, 37},
       Want::kFail,
       "Unmasked"},
      {"PM4", "procMount", With(B(), [](PodYaml& p) { p.app_sc.Set("procMount", "Default"); }),
       kAll, Want::kPass, ""},
      {"PM5 empty string",
       "procMount",
       With(B(), [](PodYaml& p) { p.app_sc.Set("procMount", "''"); }),
       {37},
       Want::kFail,
       "to \"\")"},
      // seccompProfile_baseline
      {"SB1",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{seccomp.security.alpha.kubernetes.io/pod: unconfined}");
            }),
       {0, 18},
       Want::kFail,
       "seccompProfile (forbidden annotation "
       "seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")"},
      {"SB2",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{seccomp.security.alpha.kubernetes.io/pod: unconfined}");
            }),
       {19, 37},
       Want::kPass,
       ""},
      {"SB3",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{container.seccomp.security.alpha.kubernetes.io/app: unconfined}");
            }),
       {18},
       Want::kFail,
       "container.seccomp.security.alpha.kubernetes.io/app=\"unconfined\""},
      {"SB4",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{container.seccomp.security.alpha.kubernetes.io/ghost: unconfined}");
            }),
       {18},
       Want::kPass,
       ""},
      {"SB5",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{seccomp.security.alpha.kubernetes.io/pod: docker/default, "
                             "container.seccomp.security.alpha.kubernetes.io/app: "
                             "localhost/prof.json}");
            }),
       {0},
       Want::kPass,
       ""},
      {"SB5 empty annotation",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations", "{seccomp.security.alpha.kubernetes.io/pod: ''}");
            }),
       {0},
       Want::kFail,
       "=\"\")"},
      {"SB6",
       "seccompProfile_baseline",
       With(B(), [](PodYaml& p) { p.pod_sc.Set("seccompProfile", "{type: Unconfined}"); }),
       {0, 18},
       Want::kPass,
       ""},
      {"SB7",
       "seccompProfile_baseline",
       With(B(), [](PodYaml& p) { p.pod_sc.Set("seccompProfile", "{type: Unconfined}"); }),
       {19, 37},
       Want::kFail,
       "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"},
      {"SB8",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("seccompProfile", "{type: Localhost, localhostProfile: p.json}");
            }),
       {37},
       Want::kPass,
       ""},
      {"SB9", "seccompProfile_baseline", B(), kAll, Want::kPass, ""},
      {"SB10 init container",
       "seccompProfile_baseline",
       With(B(),
            [](PodYaml& p) {
              p.init_containers = {
                  "{name: i, image: x, securityContext: {seccompProfile: {type: Unconfined}}}"};
            }),
       {19},
       Want::kFail,
       "seccompProfile (container \"i\" must not set securityContext.seccompProfile.type to "
       "\"Unconfined\")"},
      // sysctls
      {"SY1", "sysctls",
       With(B(),
            [](PodYaml& p) { p.pod_sc.Set("sysctls", "[{name: kernel.msgmax, value: '1'}]"); }),
       kAll, Want::kFail, "forbidden sysctls (kernel.msgmax)"},
      {"SY2 1.26",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls", "[{name: net.ipv4.ip_local_reserved_ports, value: '1'}]");
            }),
       {0, 26},
       Want::kFail,
       "net.ipv4.ip_local_reserved_ports"},
      {"SY2 1.27",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls", "[{name: net.ipv4.ip_local_reserved_ports, value: '1'}]");
            }),
       {27, 37},
       Want::kPass,
       ""},
      {"SY3 1.28",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: net.ipv4.tcp_keepalive_time, value: '1'}, {name: "
                           "net.ipv4.tcp_fin_timeout, value: '1'}, {name: "
                           "net.ipv4.tcp_keepalive_intvl, value: '1'}, {name: "
                           "net.ipv4.tcp_keepalive_probes, value: '1'}]");
            }),
       {28},
       Want::kFail,
       "forbidden sysctls (net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, "
       "net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes)"},
      {"SY3 1.29",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: net.ipv4.tcp_keepalive_time, value: '1'}, {name: "
                           "net.ipv4.tcp_fin_timeout, value: '1'}, {name: "
                           "net.ipv4.tcp_keepalive_intvl, value: '1'}, {name: "
                           "net.ipv4.tcp_keepalive_probes, value: '1'}]");
            }),
       {29, 37},
       Want::kPass,
       ""},
      {"SY4 1.31",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: net.ipv4.tcp_rmem, value: '1'}, {name: "
                           "net.ipv4.tcp_wmem, value: '1'}]");
            }),
       {31},
       Want::kFail,
       "forbidden sysctls (net.ipv4.tcp_rmem, net.ipv4.tcp_wmem)"},
      {"SY4 1.32",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: net.ipv4.tcp_rmem, value: '1'}, {name: "
                           "net.ipv4.tcp_wmem, value: '1'}]");
            }),
       {32, 37},
       Want::kPass,
       ""},
      {"SY5 1.36",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: net.ipv4.tcp_notsent_lowat, value: '1'}, {name: "
                           "net.ipv4.tcp_slow_start_after_idle, value: '0'}]");
            }),
       {36},
       Want::kFail,
       "tcp_notsent_lowat"},
      {"SY5 1.37",
       "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: net.ipv4.tcp_notsent_lowat, value: '1'}, {name: "
                           "net.ipv4.tcp_slow_start_after_idle, value: '0'}]");
            }),
       {37},
       Want::kPass,
       ""},
      {"SY6", "sysctls",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("sysctls",
                           "[{name: kernel.shm_rmid_forced, value: '0'}, {name: "
                           "net.ipv4.ip_local_port_range, value: '1 2'}, {name: "
                           "net.ipv4.tcp_syncookies, value: '1'}, {name: "
                           "net.ipv4.ping_group_range, value: '1 2'}, {name: "
                           "net.ipv4.ip_unprivileged_port_start, value: '1'}]");
            }),
       kAll, Want::kPass, ""},
      {"SY7",
       "sysctls",
       With(B(), [](PodYaml& p) { p.pod_sc.Set("sysctls", "[{name: a, value: '1'}, {name: b}]"); }),
       {37},
       Want::kFail,
       "forbidden sysctls (a, b)"},
      {"SY8 slash separator",
       "sysctls",
       With(B(), [](PodYaml& p) { p.pod_sc.Set("sysctls", "[{name: net/ipv4/tcp_syncookies}]"); }),
       {37},
       Want::kFail,
       "net/ipv4/tcp_syncookies"},
      // windowsHostProcess
      {"WH1",
       "windowsHostProcess",
       With(B(),
            [](PodYaml& p) {
              p.pod_sc.Set("windowsOptions", "{hostProcess: true}");
              p.spec.Set("hostNetwork", "true").Set("os", "{name: windows}");
            }),
       {37},
       Want::kFail,
       "hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)"},
      {"WH2",
       "windowsHostProcess",
       With(B(), [](PodYaml& p) { p.app_sc.Set("windowsOptions", "{hostProcess: true}"); }),
       {0, 37},
       Want::kFail,
       "hostProcess (container \"app\" must not set "
       "securityContext.windowsOptions.hostProcess=true)"},
      {"WH3", "windowsHostProcess",
       With(B(),
            [](PodYaml& p) {
              p.app_sc.Set("windowsOptions", "{hostProcess: false}");
              p.pod_sc.Set("windowsOptions", "{hostProcess: false}");
            }),
       kAll, Want::kPass, ""},
  };
  for (const Case& c : cases) Expect(c);
}

// ---------------------------------------------------------------------------
// Restricted checks (docs/pss.md §11.4)

TEST(PodSecurity, RestrictedChecks) {
  std::vector<Case> cases = {
      // restrictedVolumes
      {"RV1", "restrictedVolumes",
       With(R(),
            [](PodYaml& p) { p.spec.Set("volumes", "[{name: v, nfs: {server: s, path: /}}]"); }),
       kAll, Want::kFail,
       "restricted volume types (volume \"v\" uses restricted volume type \"nfs\")"},
      {"RV2", "restrictedVolumes",
       With(R(),
            [](PodYaml& p) {
              p.spec.Set("volumes",
                         "[{name: a, configMap: {name: c}}, {name: b, secret: {secretName: s}}, "
                         "{name: c, emptyDir: {}}, {name: d, persistentVolumeClaim: {claimName: "
                         "x}}, {name: e, projected: {sources: []}}, {name: f, downwardAPI: "
                         "{items: []}}, {name: g, csi: {driver: d}}, {name: h, ephemeral: "
                         "{volumeClaimTemplate: {spec: {}}}}, {name: i, image: {reference: r}}]");
            }),
       kAll, Want::kPass, ""},
      {"RV3",
       "restrictedVolumes",
       With(R(),
            [](PodYaml& p) {
              p.spec.Set("volumes",
                         "[{name: g, gitRepo: {repository: r}}, {name: h, hostPath: "
                         "{path: /}}]");
            }),
       {37},
       Want::kFail,
       "restricted volume types (volumes \"g\", \"h\" use restricted volume types \"gitRepo\", "
       "\"hostPath\")"},
      {"RV4 no source is emptyDir", "restrictedVolumes",
       With(R(), [](PodYaml& p) { p.spec.Set("volumes", "[{name: e}, {name: n, nfs: null}]"); }),
       kAll, Want::kPass, ""},
      {"RV5",
       "restrictedVolumes",
       With(R(), [](PodYaml& p) { p.spec.Set("volumes", "[{name: c, cephfs: {monitors: [m]}}]"); }),
       {37},
       Want::kFail,
       "\"cephfs\""},
      // allowPrivilegeEscalation
      {"AP1",
       "allowPrivilegeEscalation",
       With(R(), [](PodYaml& p) { p.app_sc.Remove("allowPrivilegeEscalation"); }),
       {0, 7},
       Want::kNotApplicable,
       ""},
      {"AP2",
       "allowPrivilegeEscalation",
       With(R(), [](PodYaml& p) { p.app_sc.Remove("allowPrivilegeEscalation"); }),
       {8, 24, 25, 37},
       Want::kFail,
       "allowPrivilegeEscalation != false (container \"app\" must set "
       "securityContext.allowPrivilegeEscalation=false)"},
      {"AP3",
       "allowPrivilegeEscalation",
       With(R(), [](PodYaml& p) { p.app_sc.Set("allowPrivilegeEscalation", "true"); }),
       {37},
       Want::kFail,
       "allowPrivilegeEscalation != false"},
      {"AP4",
       "allowPrivilegeEscalation",
       With(R(),
            [](PodYaml& p) {
              p.app_sc_present = false;
              p.spec.Set("os", "{name: windows}");
            }),
       {8, 24},
       Want::kFail,
       ""},
      {"AP5",
       "allowPrivilegeEscalation",
       With(R(),
            [](PodYaml& p) {
              p.app_sc_present = false;
              p.spec.Set("os", "{name: windows}");
            }),
       {25, 37},
       Want::kNotApplicable,
       ""},
      {"AP5 linux os",
       "allowPrivilegeEscalation",
       With(R(),
            [](PodYaml& p) {
              p.app_sc_present = false;
              p.spec.Set("os", "{name: linux}");
            }),
       {25, 37},
       Want::kFail,
       ""},
      {"AP5 Windows is case-sensitive",
       "allowPrivilegeEscalation",
       With(R(),
            [](PodYaml& p) {
              p.app_sc_present = false;
              p.spec.Set("os", "{name: Windows}");
            }),
       {37},
       Want::kFail,
       ""},
      {"AP ephemeral",
       "allowPrivilegeEscalation",
       With(R(),
            [](PodYaml& p) {
              p.ephemeral_containers = {"{name: dbg, image: x}"};
              p.init_containers = {"{name: init, image: x}"};
            }),
       {37},
       Want::kFail,
       "allowPrivilegeEscalation != false (containers \"init\", \"dbg\" must set "
       "securityContext.allowPrivilegeEscalation=false)"},
      // runAsNonRoot
      {"NR1", "runAsNonRoot", With(R(), [](PodYaml& p) { p.pod_sc.Remove("runAsNonRoot"); }), kAll,
       Want::kFail,
       "runAsNonRoot != true (pod or container \"app\" must set "
       "securityContext.runAsNonRoot=true)"},
      {"NR2", "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("runAsNonRoot");
              p.app_sc.Set("runAsNonRoot", "true");
            }),
       kAll, Want::kPass, ""},
      {"NR3",
       "runAsNonRoot",
       With(R(), [](PodYaml& p) { p.app_sc.Set("runAsNonRoot", "false"); }),
       {37},
       Want::kFail,
       "runAsNonRoot != true (container \"app\" must not set securityContext.runAsNonRoot=false)"},
      {"NR4",
       "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Set("runAsNonRoot", "false");
              p.app_sc.Set("runAsNonRoot", "true");
            }),
       {37},
       Want::kFail,
       "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)"},
      {"NR5",
       "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Set("runAsNonRoot", "false");
              p.app_sc.Set("runAsNonRoot", "false");
              p.more_containers = {"{name: b, image: x}"};
            }),
       {37},
       Want::kFail,
       "runAsNonRoot != true (pod and container \"app\" must not set "
       "securityContext.runAsNonRoot=false)"},
      {"NR6",
       "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("runAsNonRoot");
              p.app_sc.Set("runAsUser", "1000");
            }),
       {37},
       Want::kFail,
       "must set securityContext.runAsNonRoot=true"},
      {"NR7",
       "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("runAsNonRoot");
              p.spec.Set("hostUsers", "false");
            }),
       {0, 34},
       Want::kFail,
       ""},
      {"NR8",
       "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("runAsNonRoot");
              p.spec.Set("hostUsers", "false");
            }),
       {35, 37},
       Want::kPass,
       ""},
      {"NR9",
       "runAsNonRoot",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("runAsNonRoot");
              p.spec.Set("os", "{name: windows}");
            }),
       {37},
       Want::kFail,
       ""},
      // runAsUser
      {"RU1",
       "runAsUser",
       With(R(), [](PodYaml& p) { p.app_sc.Set("runAsUser", "0"); }),
       {0, 22},
       Want::kNotApplicable,
       ""},
      {"RU2",
       "runAsUser",
       With(R(), [](PodYaml& p) { p.app_sc.Set("runAsUser", "0"); }),
       {23, 34, 35, 37},
       Want::kFail,
       "runAsUser=0 (container \"app\" must not set runAsUser=0)"},
      {"RU3",
       "runAsUser",
       With(R(),
            [](PodYaml& p) {
              p.app_sc.Set("runAsUser", "0");
              p.pod_sc.Set("runAsUser", "0");
            }),
       {37},
       Want::kFail,
       "runAsUser=0 (pod and container \"app\" must not set runAsUser=0)"},
      {"RU4",
       "runAsUser",
       With(R(), [](PodYaml& p) { p.app_sc.Set("runAsUser", "1000"); }),
       {23, 37},
       Want::kPass,
       ""},
      {"RU5 1.34",
       "runAsUser",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Set("runAsUser", "0");
              p.spec.Set("hostUsers", "false");
            }),
       {34},
       Want::kFail,
       ""},
      {"RU5 1.35",
       "runAsUser",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Set("runAsUser", "0");
              p.spec.Set("hostUsers", "false");
            }),
       {35, 37},
       Want::kPass,
       ""},
      // seccompProfile_restricted
      {"SR1",
       "seccompProfile_restricted",
       With(R(), [](PodYaml& p) { p.pod_sc.Remove("seccompProfile"); }),
       {0, 18},
       Want::kNotApplicable,
       ""},
      {"SR2",
       "seccompProfile_restricted",
       With(R(), [](PodYaml& p) { p.pod_sc.Remove("seccompProfile"); }),
       {19, 24, 25, 37},
       Want::kFail,
       "seccompProfile (pod or container \"app\" must set securityContext.seccompProfile.type to "
       "\"RuntimeDefault\" or \"Localhost\")"},
      {"SR3",
       "seccompProfile_restricted",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("seccompProfile");
              p.app_sc.Set("seccompProfile", "{type: Localhost, localhostProfile: p.json}");
            }),
       {19, 37},
       Want::kPass,
       ""},
      {"SR4",
       "seccompProfile_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("seccompProfile", "{type: Unconfined}"); }),
       {37},
       Want::kFail,
       "seccompProfile (container \"app\" must not set securityContext.seccompProfile.type to "
       "\"Unconfined\")"},
      {"SR5",
       "seccompProfile_restricted",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Set("seccompProfile", "{type: Unconfined}");
              p.app_sc.Set("seccompProfile", "{type: RuntimeDefault}");
            }),
       {37},
       Want::kFail,
       "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"},
      {"SR6",
       "seccompProfile_restricted",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("seccompProfile");
              p.app_sc.Set("seccompProfile", "{type: Unconfined}");
              p.more_containers = {
                  "{name: b, image: x, securityContext: {allowPrivilegeEscalation: false}}"};
            }),
       {37},
       Want::kFail,
       "seccompProfile (container \"app\" must not set securityContext.seccompProfile.type to "
       "\"Unconfined\")"},
      {"SR7",
       "seccompProfile_restricted",
       With(R(), [](PodYaml& p) { p.pod_sc.Set("seccompProfile", "{}"); }),
       {37},
       Want::kFail,
       "seccompProfile (pod must not set securityContext.seccompProfile.type to \"\")"},
      {"SR8 1.24",
       "seccompProfile_restricted",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("seccompProfile");
              p.spec.Set("os", "{name: windows}");
            }),
       {19, 24},
       Want::kFail,
       ""},
      {"SR8 1.25",
       "seccompProfile_restricted",
       With(R(),
            [](PodYaml& p) {
              p.pod_sc.Remove("seccompProfile");
              p.spec.Set("os", "{name: windows}");
            }),
       {25, 37},
       Want::kNotApplicable,
       ""},
      // capabilities_restricted
      {"CR1",
       "capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Remove("capabilities"); }),
       {0, 21},
       Want::kNotApplicable,
       ""},
      {"CR2",
       "capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Remove("capabilities"); }),
       {22, 25, 37},
       Want::kFail,
       "unrestricted capabilities (container \"app\" must set "
       "securityContext.capabilities.drop=[\"ALL\"])"},
      {"CR3",
       "capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [all]}"); }),
       {37},
       Want::kFail,
       "drop=[\"ALL\"]"},
      {"CR4",
       "capabilities_restricted",
       With(R(),
            [](PodYaml& p) {
              p.app_sc.Set("capabilities", "{drop: [ALL], add: [NET_BIND_SERVICE]}");
            }),
       {22, 37},
       Want::kPass,
       ""},
      {"CR6",
       "capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [ALL], add: [CHOWN]}"); }),
       {22},
       Want::kFail,
       "unrestricted capabilities (container \"app\" must not include \"CHOWN\" in "
       "securityContext.capabilities.add)"},
      {"CR9",
       "capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{add: [SYS_ADMIN]}"); }),
       {37},
       Want::kFail,
       "unrestricted capabilities (container \"app\" must set "
       "securityContext.capabilities.drop=[\"ALL\"]; container \"app\" must not include "
       "\"SYS_ADMIN\" in securityContext.capabilities.add)"},
      {"CR10",
       "capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{}"); }),
       {37},
       Want::kFail,
       "drop=[\"ALL\"]"},
      {"CR11 drop others only",
       "capabilities_restricted",
       With(
           R(),
           [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [NET_RAW, SYS_ADMIN, CHOWN]}"); }),
       {37},
       Want::kFail,
       "drop=[\"ALL\"]"},
      // procMount_restricted
      {"PMR1",
       "procMount_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("procMount", "Unmasked"); }),
       {0, 34},
       Want::kNotApplicable,
       ""},
      {"PMR2",
       "procMount_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("procMount", "Unmasked"); }),
       {35, 37},
       Want::kFail,
       "procMount (container \"app\" must not set securityContext.procMount to \"Unmasked\")"},
      {"PMR3",
       "procMount_restricted",
       With(R(),
            [](PodYaml& p) {
              p.app_sc.Set("procMount", "Unmasked");
              p.spec.Set("hostUsers", "false");
            }),
       {35, 37},
       Want::kFail,
       "Unmasked"},
      {"PMR4",
       "procMount_restricted",
       With(R(),
            [](PodYaml& p) {
              p.app_sc.Set("procMount", "Default");
              p.spec.Set("hostUsers", "false");
            }),
       {35, 37},
       Want::kPass,
       ""},
  };
  for (const Case& c : cases) Expect(c);
}

// ---------------------------------------------------------------------------
// Overrides at the restricted profile (docs/pss.md §2.4)

TEST(PodSecurity, RestrictedProfileOverridesBaselineChecks) {
  struct Override {
    std::string baseline;
    int from;
    PodYaml pod;
  };
  std::vector<Override> overrides = {
      {"hostPathVolumes", 0,
       With(R(), [](PodYaml& p) { p.spec.Set("volumes", "[{name: h, hostPath: {path: /}}]"); })},
      {"seccompProfile_baseline", 19,
       With(R(), [](PodYaml& p) { p.app_sc.Set("seccompProfile", "{type: Unconfined}"); })},
      {"capabilities_baseline", 22,
       With(R(),
            [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [ALL], add: [NET_RAW]}"); })},
      {"procMount", 35, With(R(), [](PodYaml& p) { p.app_sc.Set("procMount", "Unmasked"); })},
  };
  for (const Override& o : overrides) {
    for (int minor : kAll) {
      SCOPED_TRACE(o.baseline + " at 1." + std::to_string(minor));
      Result restricted = RunCheck(o.baseline, o.pod.Yaml(), minor, PssProfile::kRestricted);
      Result baseline = RunCheck(o.baseline, o.pod.Yaml(), minor, PssProfile::kBaseline);
      Result none = RunCheck(o.baseline, o.pod.Yaml(), minor, PssProfile::kNone);
      EXPECT_EQ(restricted.applicable, minor < o.from);
      EXPECT_TRUE(baseline.applicable);
      EXPECT_TRUE(none.applicable);
      // At 1.0-1.18 a field-only seccomp profile is not read by the baseline check.
      bool baseline_fails = !(o.baseline == "seccompProfile_baseline" && minor < 19);
      EXPECT_EQ(baseline.failed, baseline_fails);
      EXPECT_EQ(none.failed, baseline_fails);
    }
  }
  // Checks nobody overrides stay applicable at the restricted profile.
  PodYaml priv = With(R(), [](PodYaml& p) { p.app_sc.Set("privileged", "true"); });
  EXPECT_TRUE(RunCheck("privileged", priv.Yaml(), 37, PssProfile::kRestricted).failed);
}

// ---------------------------------------------------------------------------
// Whole levels (docs/pss.md §11.2, §2.4 consequences)

TEST(PodSecurity, LevelsAndVersions) {
  using V = std::vector<std::string>;
  EXPECT_EQ(FailingAtLevel("baseline", B().Yaml(), 0), V{});
  EXPECT_EQ(FailingAtLevel("baseline", B().Yaml(), 37), V{});
  EXPECT_EQ(FailingAtLevel("restricted", B().Yaml(), 0), V{"runAsNonRoot"});
  EXPECT_EQ(FailingAtLevel("restricted", B().Yaml(), 8),
            (V{"allowPrivilegeEscalation", "runAsNonRoot"}));
  EXPECT_EQ(FailingAtLevel("restricted", B().Yaml(), 19),
            (V{"allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile_restricted"}));
  EXPECT_EQ(FailingAtLevel("restricted", B().Yaml(), 37),
            (V{"allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile_restricted",
               "capabilities_restricted"}));
  for (int minor = 0; minor <= 37; ++minor) {
    EXPECT_EQ(FailingAtLevel("restricted", R().Yaml(), minor), V{}) << "1." << minor;
    EXPECT_EQ(FailingAtLevel("baseline", R().Yaml(), minor), V{}) << "1." << minor;
  }
  PodYaml g7 = With(B(), [](PodYaml& p) {
    p.spec.Set("hostNetwork", "true").Set("volumes", "[{name: h, hostPath: {path: /}}]");
    p.app_sc.Set("privileged", "true");
  });
  EXPECT_EQ(FailingAtLevel("restricted", g7.Yaml(), 37),
            (V{"hostNamespaces", "privileged", "restrictedVolumes", "allowPrivilegeEscalation",
               "runAsNonRoot", "seccompProfile_restricted", "capabilities_restricted"}));
  EXPECT_EQ(FailingAtLevel("baseline", g7.Yaml(), 37),
            (V{"hostNamespaces", "privileged", "hostPathVolumes"}));

  // restricted < 1.19 runs the baseline annotation seccomp check instead (SR9).
  PodYaml sr9 = With(R(), [](PodYaml& p) {
    p.metadata.Set("annotations", "{seccomp.security.alpha.kubernetes.io/pod: unconfined}");
  });
  EXPECT_EQ(FailingAtLevel("restricted", sr9.Yaml(), 18), V{"seccompProfile_baseline"});
  EXPECT_EQ(FailingAtLevel("restricted", sr9.Yaml(), 19), V{});

  // CR5/CR7/CR8: capabilities before and after the 1.22 override.
  PodYaml chown =
      With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [ALL], add: [CHOWN]}"); });
  EXPECT_EQ(FailingAtLevel("restricted", chown.Yaml(), 21), V{});
  EXPECT_EQ(FailingAtLevel("restricted", chown.Yaml(), 22), V{"capabilities_restricted"});
  PodYaml net_raw =
      With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [ALL], add: [NET_RAW]}"); });
  EXPECT_EQ(FailingAtLevel("restricted", net_raw.Yaml(), 21), V{"capabilities_baseline"});
  EXPECT_EQ(FailingAtLevel("restricted", net_raw.Yaml(), 22), V{"capabilities_restricted"});

  // CR11: a Windows pod at restricted >= 1.25 gets no capability or seccomp check at all.
  PodYaml windows = With(B(), [](PodYaml& p) {
    p.spec.Set("os", "{name: windows}");
    p.pod_sc.Set("runAsNonRoot", "true");
    p.app_sc.Set("capabilities", "{add: [SYS_ADMIN]}").Set("seccompProfile", "{type: Unconfined}");
  });
  EXPECT_EQ(FailingAtLevel("restricted", windows.Yaml(), 25), V{});
  EXPECT_EQ(FailingAtLevel("restricted", windows.Yaml(), 37), V{});
  EXPECT_EQ(
      FailingAtLevel("restricted", windows.Yaml(), 24),
      (V{"allowPrivilegeEscalation", "seccompProfile_restricted", "capabilities_restricted"}));
  EXPECT_EQ(FailingAtLevel("baseline", windows.Yaml(), 37),
            (V{"capabilities_baseline", "seccompProfile_baseline"}));

  // PMR1/PMR2/PMR3: procMount moves from baseline to procMount_restricted at 1.35.
  PodYaml unmasked = With(R(), [](PodYaml& p) { p.app_sc.Set("procMount", "Unmasked"); });
  EXPECT_EQ(FailingAtLevel("restricted", unmasked.Yaml(), 34), V{"procMount"});
  EXPECT_EQ(FailingAtLevel("restricted", unmasked.Yaml(), 35), V{"procMount_restricted"});
  PodYaml userns = With(unmasked, [](PodYaml& p) { p.spec.Set("hostUsers", "false"); });
  EXPECT_EQ(FailingAtLevel("restricted", userns.Yaml(), 37), V{"procMount_restricted"});
  EXPECT_EQ(FailingAtLevel("baseline", userns.Yaml(), 37), V{});
  EXPECT_EQ(FailingAtLevel("baseline", userns.Yaml(), 34), V{"procMount"});
}

// Every revision boundary of every check: the revision in force changes exactly there.
TEST(PodSecurity, RevisionTable) {
  std::map<std::string, std::vector<int>> want = {
      {"hostNamespaces", {0}},
      {"privileged", {0}},
      {"capabilities_baseline", {0}},
      {"hostPathVolumes", {0}},
      {"hostPorts", {0}},
      {"appArmorProfile", {0}},
      {"seLinuxOptions", {0, 31}},
      {"procMount", {0, 35}},
      {"seccompProfile_baseline", {0, 19}},
      {"sysctls", {0, 27, 29, 32, 37}},
      {"windowsHostProcess", {0}},
      {"hostProbesAndHostLifecycle", {34}},
      {"restrictedVolumes", {0}},
      {"allowPrivilegeEscalation", {8, 25}},
      {"runAsNonRoot", {0, 35}},
      {"runAsUser", {23, 35}},
      {"seccompProfile_restricted", {19, 25}},
      {"capabilities_restricted", {22, 25}},
      {"procMount_restricted", {35}},
  };
  ASSERT_EQ(rules::pss::Checks().size(), want.size());
  for (const rules::pss::CheckDef& def : rules::pss::Checks()) {
    std::vector<int> mins;
    for (const auto& r : def.revisions) mins.push_back(r.min_minor);
    EXPECT_EQ(mins, want[std::string(def.id)]) << def.id;
    for (size_t i = 0; i < mins.size(); ++i) {
      EXPECT_EQ(rules::pss::RevisionAt(def, mins[i]), &def.revisions[i]) << def.id;
      if (mins[i] > 0) {
        EXPECT_EQ(rules::pss::RevisionAt(def, mins[i] - 1),
                  i == 0 ? nullptr : &def.revisions[i - 1])
            << def.id;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Catalog

TEST(PodSecurity, CatalogIsCompleteAndOrdered) {
  const char* ids[][3] = {
      {"PSS-001", "host-namespaces", "hostNamespaces"},
      {"PSS-002", "privileged-container", "privileged"},
      {"PSS-003", "added-capabilities", "capabilities_baseline"},
      {"PSS-004", "host-path-volume", "hostPathVolumes"},
      {"PSS-005", "host-ports", "hostPorts"},
      {"PSS-006", "apparmor-profile", "appArmorProfile"},
      {"PSS-007", "selinux-options", "seLinuxOptions"},
      {"PSS-008", "unmasked-proc-mount", "procMount"},
      {"PSS-009", "seccomp-unconfined", "seccompProfile_baseline"},
      {"PSS-010", "unsafe-sysctls", "sysctls"},
      {"PSS-011", "windows-host-process", "windowsHostProcess"},
      {"PSS-012", "host-probes-lifecycle", "hostProbesAndHostLifecycle"},
      {"PSS-013", "restricted-volume-types", "restrictedVolumes"},
      {"PSS-014", "privilege-escalation", "allowPrivilegeEscalation"},
      {"PSS-015", "run-as-non-root", "runAsNonRoot"},
      {"PSS-016", "run-as-root-user", "runAsUser"},
      {"PSS-017", "seccomp-profile-required", "seccompProfile_restricted"},
      {"PSS-018", "capabilities-not-dropped", "capabilities_restricted"},
      {"PSS-019", "proc-mount-restricted", "procMount_restricted"},
  };
  const auto& rules = Registry().rules();
  ASSERT_EQ(rules.size(), std::size(ids));
  for (size_t i = 0; i < rules.size(); ++i) {
    const engine::RuleInfo& info = rules[i]->info;
    SCOPED_TRACE(info.id);
    EXPECT_EQ(info.id, ids[i][0]);
    EXPECT_EQ(info.slug, ids[i][1]);
    EXPECT_EQ(info.controls.front(), std::string("pss:") + ids[i][2]);
    EXPECT_EQ(info.category, "pod-security");
    EXPECT_FALSE(info.title.empty());
    EXPECT_GT(info.description.size(), 60u);
    EXPECT_FALSE(info.remediation.empty());
    EXPECT_EQ(info.references.front(),
              "https://kubernetes.io/docs/concepts/security/pod-security-standards/");
    EXPECT_EQ(rules[i]->kinds, std::vector<std::string>{"*workload"});
    for (const std::string& c : info.controls) {
      EXPECT_TRUE(c.starts_with("pss:") || c.starts_with("cis:") || c.starts_with("nsa:") ||
                  c.starts_with("mitre:T"))
          << c;
    }
  }
  // The baseline framework selects exactly the 12 baseline checks.
  engine::Selection baseline;
  baseline.frameworks = {"pss-baseline"};
  EXPECT_EQ(engine::SelectRules(Registry(), baseline)->size(), 12u);
  engine::Selection restricted;
  restricted.frameworks = {"pss-restricted"};
  EXPECT_EQ(engine::SelectRules(Registry(), restricted)->size(), 19u);
  EXPECT_EQ(Registry().Find("PSS-012")->min_k8s_minor, 34);
  EXPECT_EQ(Registry().Find("proc-mount-restricted")->min_k8s_minor, 35);
}

// ---------------------------------------------------------------------------
// Evidence: pointers, missing vs value, positions, workload kinds

TEST(PodSecurity, EvidencePointersForEveryWorkloadKind) {
  PodYaml p = With(B(), [](PodYaml& p) {
    p.more_containers = {"{name: b, image: x, securityContext: {privileged: true}}"};
  });
  std::map<std::string, std::string> prefix = {{"Deployment", "/spec/template/spec"},
                                               {"StatefulSet", "/spec/template/spec"},
                                               {"DaemonSet", "/spec/template/spec"},
                                               {"ReplicaSet", "/spec/template/spec"},
                                               {"Job", "/spec/template/spec"},
                                               {"ReplicationController", "/spec/template/spec"},
                                               {"CronJob", "/spec/jobTemplate/spec/template/spec"},
                                               {"PodTemplate", "/template/spec"}};
  for (const auto& [kind, base] : prefix) {
    Result r = RunCheck("privileged", p.As(kind), 37);
    SCOPED_TRACE(kind + ": " + Describe(r));
    ASSERT_TRUE(r.failed);
    ASSERT_EQ(r.evidence.size(), 1u);
    EXPECT_EQ(r.evidence[0].pointer, base + "/containers/1/securityContext/privileged");
    EXPECT_EQ(r.evidence[0].reason, engine::EvidenceReason::kValue);
    EXPECT_EQ(r.evidence[0].actual, "true");
    EXPECT_EQ(r.message,
              "privileged (container \"b\" must not set securityContext.privileged=true)");
  }
  // Template annotations count; the workload's own annotations do not (W4/W5).
  std::string own =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations: "
      "{container.apparmor.security.beta.kubernetes.io/app: unconfined}\nspec:\n  "
      "template:\n    metadata: {}\n    spec: {containers: [{name: app, image: x}]}\n";
  EXPECT_FALSE(RunCheck("appArmorProfile", own, 37).failed);
  PodYaml annotated = With(B(), [](PodYaml& p) {
    p.metadata.Set("annotations",
                   "{container.apparmor.security.beta.kubernetes.io/app: unconfined}");
  });
  Result r = RunCheck("appArmorProfile", annotated.As("Deployment"), 37);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.evidence[0].pointer,
            "/spec/template/metadata/annotations/"
            "container.apparmor.security.beta.kubernetes.io~1app");
  // CronJob with hostPID (W3).
  PodYaml pid = With(B(), [](PodYaml& p) { p.spec.Set("hostPID", "true"); });
  r = RunCheck("hostNamespaces", pid.As("CronJob"), 37);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.evidence[0].pointer, "/spec/jobTemplate/spec/template/spec/hostPID");
  EXPECT_EQ(r.message, "host namespaces (hostPID=true)");
}

TEST(PodSecurity, MissingFieldsPointAtTheFieldAndTheNearestAncestor) {
  const std::string yaml = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: x
      containers:
      - name: app
        image: x
        securityContext:
          capabilities: {}
)";
  Result ape = RunCheck("allowPrivilegeEscalation", yaml, 37);
  ASSERT_EQ(ape.evidence.size(), 2u) << Describe(ape);
  // Init containers first, as Kubernetes visits them.
  EXPECT_EQ(ape.evidence[0].pointer,
            "/spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation");
  EXPECT_EQ(ape.evidence[0].reason, engine::EvidenceReason::kMissing);
  EXPECT_EQ(ape.evidence[0].actual, "");
  EXPECT_EQ(ape.evidence[0].position.line, 8u);  // the init container itself
  EXPECT_EQ(ape.evidence[1].pointer,
            "/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation");
  EXPECT_EQ(ape.evidence[1].position.line, 14u);  // its securityContext
  EXPECT_EQ(ape.message,
            "allowPrivilegeEscalation != false (containers \"init\", \"app\" must set "
            "securityContext.allowPrivilegeEscalation=false)");

  Result caps = RunCheck("capabilities_restricted", yaml, 37);
  ASSERT_EQ(caps.evidence.size(), 2u);
  EXPECT_EQ(caps.evidence[1].pointer,
            "/spec/template/spec/containers/0/securityContext/capabilities/drop");
  EXPECT_EQ(caps.evidence[1].reason, engine::EvidenceReason::kMissing);
  EXPECT_EQ(caps.evidence[1].position.line, 14u);  // capabilities: {}

  Result nonroot = RunCheck("runAsNonRoot", yaml, 37);
  ASSERT_EQ(nonroot.evidence.size(), 2u);
  EXPECT_EQ(nonroot.evidence[0].pointer,
            "/spec/template/spec/initContainers/0/securityContext/runAsNonRoot");
  EXPECT_EQ(nonroot.evidence[0].reason, engine::EvidenceReason::kMissing);

  Result seccomp = RunCheck("seccompProfile_restricted", yaml, 37);
  ASSERT_EQ(seccomp.evidence.size(), 2u);
  EXPECT_EQ(seccomp.evidence[1].pointer,
            "/spec/template/spec/containers/0/securityContext/seccompProfile/type");

  // A present drop list without ALL is a bad value, with the list as actual.
  PodYaml p = With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [NET_RAW]}"); });
  Result r = RunCheck("capabilities_restricted", p.Yaml(), 37);
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_EQ(r.evidence[0].reason, engine::EvidenceReason::kValue);
  EXPECT_EQ(r.evidence[0].actual, "[\"NET_RAW\"]");
  EXPECT_EQ(r.evidence[0].pointer, "/spec/containers/0/securityContext/capabilities/drop");
}

TEST(PodSecurity, EvidenceForEachOffendingField) {
  PodYaml p = With(
      B(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{add: [CHOWN, SYS_ADMIN, NET_RAW]}"); });
  Result r = RunCheck("capabilities_baseline", p.Yaml(), 37);
  ASSERT_EQ(r.evidence.size(), 2u);
  EXPECT_EQ(r.evidence[0].pointer, "/spec/containers/0/securityContext/capabilities/add/1");
  EXPECT_EQ(r.evidence[0].actual, "\"SYS_ADMIN\"");
  EXPECT_EQ(r.evidence[1].pointer, "/spec/containers/0/securityContext/capabilities/add/2");
  EXPECT_EQ(r.message,
            "non-default capabilities (container \"app\" must not include \"NET_RAW\", "
            "\"SYS_ADMIN\" in securityContext.capabilities.add)");

  PodYaml se =
      With(B(), [](PodYaml& p) { p.pod_sc.Set("seLinuxOptions", "{type: spc_t, user: u}"); });
  r = RunCheck("seLinuxOptions", se.Yaml(), 37);
  ASSERT_EQ(r.evidence.size(), 2u);
  EXPECT_EQ(r.evidence[0].pointer, "/spec/securityContext/seLinuxOptions/type");
  EXPECT_EQ(r.evidence[1].pointer, "/spec/securityContext/seLinuxOptions/user");

  PodYaml sys = With(B(), [](PodYaml& p) {
    p.pod_sc.Set("sysctls", "[{name: kernel.shm_rmid_forced}, {name: vm.swappiness}]");
  });
  r = RunCheck("sysctls", sys.Yaml(), 37);
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_EQ(r.evidence[0].pointer, "/spec/securityContext/sysctls/1/name");

  PodYaml vols = With(R(), [](PodYaml& p) {
    p.spec.Set("volumes",
               "[{name: ok, secret: {secretName: s}}, {name: n, nfs: {server: s, path: /}}]");
  });
  r = RunCheck("restrictedVolumes", vols.Yaml(), 37);
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_EQ(r.evidence[0].pointer, "/spec/volumes/1/nfs");
  EXPECT_EQ(r.evidence[0].actual, "{\"server\":\"s\",\"path\":\"/\"}");
}

// ---------------------------------------------------------------------------
// What the API server does before admission (docs/pss.md §10.2)

TEST(PodSecurity, ApiServerDefaults) {
  // With hostNetwork, an unset (or 0) hostPort becomes the containerPort.
  PodYaml hn = With(B(), [](PodYaml& p) {
    p.spec.Set("hostNetwork", "true");
    p.app.Set("ports", "[{containerPort: 8080}, {containerPort: 9090, hostPort: 0}, {name: x}]");
    p.init_containers = {"{name: init, image: x, ports: [{containerPort: 53}]}"};
  });
  Result r = RunCheck("hostPorts", hn.Yaml(), 37);
  ASSERT_TRUE(r.failed) << Describe(r);
  EXPECT_EQ(r.message, "hostPort (containers \"init\", \"app\" use hostPorts 53, 8080, 9090)");
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_EQ(r.evidence[0].pointer, "/spec/initContainers/0/ports/0/hostPort");
  EXPECT_EQ(r.evidence[0].reason, engine::EvidenceReason::kMissing);
  EXPECT_EQ(r.evidence[0].actual, "53");
  EXPECT_EQ(r.evidence[2].reason, engine::EvidenceReason::kValue);
  EXPECT_EQ(r.evidence[2].actual, "9090");
  // Without hostNetwork the same ports are fine.
  PodYaml plain = With(hn, [](PodYaml& p) { p.spec.Remove("hostNetwork"); });
  EXPECT_FALSE(RunCheck("hostPorts", plain.Yaml(), 37).failed);
  // An explicit hostPort is reported as written.
  PodYaml both = With(B(), [](PodYaml& p) {
    p.spec.Set("hostNetwork", "true");
    p.app.Set("ports", "[{containerPort: 80, hostPort: 80}]");
  });
  r = RunCheck("hostPorts", both.Yaml(), 37);
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_EQ(r.evidence[0].reason, engine::EvidenceReason::kValue);
}

// ---------------------------------------------------------------------------
// Values of the wrong type fail the check that reads them, never pass silently.

TEST(PodSecurity, WrongTypesFailWithEvidence) {
  struct TypeCase {
    std::string check;
    PodYaml pod;
    std::string pointer;
    std::string detail;
    int min_minor = 25;  // the first version whose revision reads the field
  };
  std::vector<TypeCase> cases = {
      {"privileged", With(B(), [](PodYaml& p) { p.app_sc.Set("privileged", "'true'"); }),
       "/spec/containers/0/securityContext/privileged",
       "container \"app\" securityContext.privileged must be a boolean, not a string"},
      {"hostNamespaces", With(B(), [](PodYaml& p) { p.spec.Set("hostPID", "1"); }), "/spec/hostPID",
       "pod hostPID must be a boolean, not an integer"},
      {"privileged",
       With(B(),
            [](PodYaml& p) {
              p.app_sc_present = false;
              p.app.Set("securityContext", "[]");
            }),
       "/spec/containers/0/securityContext",
       "container \"app\" securityContext must be an object, not an array"},
      {"runAsUser", With(R(), [](PodYaml& p) { p.app_sc.Set("runAsUser", "'0'"); }),
       "/spec/containers/0/securityContext/runAsUser",
       "container \"app\" securityContext.runAsUser must be an integer, not a string"},
      {"runAsUser", With(R(), [](PodYaml& p) { p.pod_sc.Set("runAsUser", "0.5"); }),
       "/spec/securityContext/runAsUser",
       "pod securityContext.runAsUser must be an integer, not a number"},
      {"capabilities_baseline",
       With(B(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{add: NET_ADMIN}"); }),
       "/spec/containers/0/securityContext/capabilities/add",
       "container \"app\" securityContext.capabilities.add must be an array, not a string"},
      {"capabilities_restricted",
       With(R(), [](PodYaml& p) { p.app_sc.Set("capabilities", "{drop: [ALL], add: [1]}"); }),
       "/spec/containers/0/securityContext/capabilities/add/0",
       "container \"app\" securityContext.capabilities.add[0] must be a string, not an integer"},
      {"hostPorts",
       With(B(), [](PodYaml& p) { p.app.Set("ports", "[{containerPort: 80, hostPort: '80'}]"); }),
       "/spec/containers/0/ports/0/hostPort",
       "container \"app\" hostPort must be an integer, not a string"},
      {"allowPrivilegeEscalation", With(R(), [](PodYaml& p) { p.spec.Set("os", "windows"); }),
       "/spec/os", "pod os must be an object, not a string"},
      {"runAsNonRoot", With(R(), [](PodYaml& p) { p.spec.Set("hostUsers", "'false'"); }),
       "/spec/hostUsers", "pod hostUsers must be a boolean, not a string", 35},
      {"appArmorProfile",
       With(B(),
            [](PodYaml& p) {
              p.metadata.Set("annotations",
                             "{container.apparmor.security.beta.kubernetes.io/app: 1}");
            }),
       "/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app",
       "annotation container.apparmor.security.beta.kubernetes.io/app must be a string, not an "
       "integer"},
      {"restrictedVolumes",
       With(R(), [](PodYaml& p) { p.spec.Set("volumes", "[{name: e, emptyDir: true}]"); }),
       "/spec/volumes/0/emptyDir", "volume \"e\" emptyDir must be an object, not a boolean"},
      {"privileged", With(B(), [](PodYaml& p) { p.spec.Set("initContainers", "{name: x}"); }),
       "/spec/initContainers", "pod initContainers must be an array, not an object"},
      {"sysctls", With(B(), [](PodYaml& p) { p.pod_sc.Set("sysctls", "[{name: 5}]"); }),
       "/spec/securityContext/sysctls/0/name",
       "pod securityContext.sysctls[0].name must be a string, not an integer"},
  };
  for (const TypeCase& c : cases) {
    for (int minor : {c.min_minor, 37}) {
      Result r = RunCheck(c.check, c.pod.Yaml(), minor);
      SCOPED_TRACE(c.check + " " + c.pointer + ": " + Describe(r));
      ASSERT_TRUE(r.applicable);
      ASSERT_TRUE(r.failed);
      bool found = false;
      for (const engine::Evidence& e : r.evidence) {
        if (e.pointer == c.pointer) {
          found = true;
          EXPECT_EQ(e.reason, engine::EvidenceReason::kValue);
          EXPECT_NE(e.message.find("the API server rejects"), std::string::npos);
        }
      }
      EXPECT_TRUE(found);
      EXPECT_NE(r.message.find(c.detail), std::string::npos);
    }
  }
  // null is unset, exactly like an absent field.
  PodYaml nulls = With(R(), [](PodYaml& p) {
    p.app_sc.Set("privileged", "null").Set("procMount", "null").Set("runAsUser", "null");
    p.spec.Set("hostNetwork", "null").Set("volumes", "null").Set("os", "null");
  });
  for (const char* check : {"privileged", "procMount", "runAsUser", "hostNamespaces",
                            "restrictedVolumes", "allowPrivilegeEscalation"}) {
    Result r = RunCheck(check, nulls.Yaml(), 37);
    EXPECT_TRUE(r.applicable && !r.failed) << check << ": " << Describe(r);
  }
  // YAML 1.1 booleans are booleans, as kubectl reads them.
  PodYaml yes = With(B(), [](PodYaml& p) { p.app_sc.Set("privileged", "yes"); });
  EXPECT_TRUE(RunCheck("privileged", yes.Yaml(), 37).failed);
  // JSON numbers with an integral value are integers.
  std::string json =
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"securityContext":{"runAsUser":0.0},"containers":[{"name":"a","image":"x"}]}})";
  Result r = RunCheck("runAsUser", json, 37);
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.message, "runAsUser=0 (pod must not set runAsUser=0)");
}

TEST(PodSecurity, NotApplicableToOtherKindsAndEmptyPods) {
  std::string cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";
  EXPECT_FALSE(RuleFor("privileged").AppliesToKind("ConfigMap"));
  std::string no_spec = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n";
  EXPECT_FALSE(RunCheck("privileged", no_spec, 37).applicable);
  // No containers: container checks pass; pod-level requirements still apply (§7.6).
  std::string empty = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n";
  EXPECT_FALSE(RunCheck("runAsNonRoot", empty, 37).failed);
  EXPECT_FALSE(RunCheck("seccompProfile_restricted", empty, 37).failed);
  std::string pod_false =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {securityContext: {runAsNonRoot: "
      "false}}\n";
  EXPECT_TRUE(RunCheck("runAsNonRoot", pod_false, 37).failed);
  (void)cm;
}

}  // namespace
}  // namespace kspm

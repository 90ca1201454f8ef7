// The deprecated-API family against data/deprecations.yaml: every rule at the
// version boundaries of its table entries, applicability (CRDs, GA kinds the
// table does not track), replacements chosen per target, the PodSecurityPolicy
// to Pod Security Admission mapping, and the catalog parser's error paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/decode.h"
#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/registry.h"
#include "rules/builtin.h"
#include "rules/deprecated_api.h"

namespace kspm {
namespace {

using rules::ApiCatalog;
using rules::ApiState;
using rules::BuiltinApiCatalog;

const engine::RuleRegistry& Registry() {
  static const engine::RuleRegistry kRegistry = [] {
    engine::RuleRegistry r;
    rules::RegisterDeprecatedApiRules(r);
    return r;
  }();
  return kRegistry;
}

// The status of rule `id` on the one object of `yaml` at 1.`minor`: "fail",
// "pass", or "-" when the rule does not apply (or does not run at that minor).
struct Outcome {
  std::string status = "-";
  std::string message;
  std::string expected;  // of the first evidence
  std::string evidence_message;
};

Outcome RunRule(const std::string& id, const std::string& yaml, int minor) {
  const engine::Rule* rule = Registry().Find(id);
  EXPECT_NE(rule, nullptr) << id;
  auto loaded = core::DecodeSources({{"t.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error) << yaml;
  EXPECT_EQ(loaded.inventory.resources().size(), 1u) << yaml;
  engine::RuleContext ctx{&loaded.inventory, minor};
  Outcome out;
  for (const engine::Finding& f : engine::Evaluate({rule}, loaded.inventory, ctx, 1)) {
    out.status = std::string(engine::FindingStatusName(f.status));
    out.message = f.message();
    if (!f.evidence().empty()) {
      EXPECT_EQ(f.evidence()[0].pointer, "/apiVersion");
      out.expected = f.evidence()[0].expected;
      out.evidence_message = f.evidence()[0].message;
    }
  }
  return out;
}

std::string Object(const std::string& api_version, const std::string& kind) {
  return "apiVersion: " + api_version + "\nkind: " + kind + "\nmetadata: {name: x}\n";
}

// The verdict of every API rule for one object at one minor, e.g.
// "API-001:fail API-002:pass API-003:- ...".
std::string Verdicts(const std::string& api_version, const std::string& kind, int minor) {
  std::string out;
  for (const char* id : {"API-001", "API-002", "API-003", "API-004", "API-005", "API-006"}) {
    if (!out.empty()) out += " ";
    out += std::string(id) + ":" + RunRule(id, Object(api_version, kind), minor).status;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The table's boundaries, rule by rule.

struct BoundaryCase {
  const char* api_version;
  const char* kind;
  int minor;
  const char* verdicts;  // API-001 .. API-006
};

TEST(DeprecatedApi, VersionBoundaries) {
  const BoundaryCase kCases[] = {
      // extensions/v1beta1 Deployment: beta until 1.7, deprecated 1.8-1.15, removed 1.16.
      {"extensions/v1beta1", "Deployment", 7,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:pass API-006:fail"},
      {"extensions/v1beta1", "Deployment", 8,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      {"extensions/v1beta1", "Deployment", 15,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      {"extensions/v1beta1", "Deployment", 16,
       "API-001:fail API-002:pass API-003:pass API-004:- API-005:- API-006:-"},
      // apps/v1 Deployment: first served in 1.9.
      {"apps/v1", "Deployment", 8,
       "API-001:pass API-002:pass API-003:fail API-004:- API-005:- API-006:pass"},
      {"apps/v1", "Deployment", 9,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:- API-006:pass"},
      // batch/v1beta1 CronJob: deprecated 1.21, removed 1.25.
      {"batch/v1beta1", "CronJob", 20,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:pass API-006:fail"},
      {"batch/v1beta1", "CronJob", 21,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      {"batch/v1beta1", "CronJob", 24,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      {"batch/v1beta1", "CronJob", 25,
       "API-001:fail API-002:pass API-003:pass API-004:- API-005:- API-006:-"},
      {"batch/v1", "CronJob", 20,
       "API-001:pass API-002:pass API-003:fail API-004:- API-005:- API-006:pass"},
      {"batch/v1", "CronJob", 21,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:- API-006:pass"},
      // flowcontrol v1beta3: served 1.26, deprecated 1.29, removed 1.32.
      {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 25,
       "API-001:pass API-002:pass API-003:fail API-004:- API-005:- API-006:-"},
      {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 28,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:pass API-006:fail"},
      {"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 31,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      {"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 32,
       "API-001:fail API-002:pass API-003:pass API-004:- API-005:- API-006:-"},
      // networking.k8s.io/v1beta1 Ingress: 1.14 to 1.21, deprecated from 1.19.
      {"networking.k8s.io/v1beta1", "Ingress", 13,
       "API-001:pass API-002:pass API-003:fail API-004:- API-005:- API-006:-"},
      {"networking.k8s.io/v1beta1", "Ingress", 18,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:pass API-006:fail"},
      {"networking.k8s.io/v1beta1", "Ingress", 21,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      {"networking.k8s.io/v1beta1", "Ingress", 22,
       "API-001:fail API-002:pass API-003:pass API-004:- API-005:- API-006:-"},
      // A GA API deprecated without removal.
      {"v1", "Endpoints", 32,
       "API-001:pass API-002:pass API-003:- API-004:- API-005:- API-006:pass"},
      {"v1", "Endpoints", 33,
       "API-001:pass API-002:fail API-003:- API-004:- API-005:- API-006:pass"},
      {"v1", "Endpoints", 37,
       "API-001:pass API-002:fail API-003:- API-004:- API-005:- API-006:pass"},
      // PodSecurityPolicy: removed at 1.25, where API-004 starts to run.
      {"policy/v1beta1", "PodSecurityPolicy", 20,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:pass API-006:fail"},
      {"policy/v1beta1", "PodSecurityPolicy", 24,
       "API-001:pass API-002:fail API-003:pass API-004:- API-005:pass API-006:-"},
      // (API-004 passes: a policy without spec is read as privileged, which
      // the default Pod Security Admission level already is.)
      {"policy/v1beta1", "PodSecurityPolicy", 25,
       "API-001:fail API-002:pass API-003:pass API-004:pass API-005:- API-006:-"},
      // Alpha: off by default until removed.
      {"batch/v2alpha1", "CronJob", 20,
       "API-001:pass API-002:pass API-003:- API-004:- API-005:fail API-006:pass"},
      {"batch/v2alpha1", "CronJob", 21,
       "API-001:fail API-002:pass API-003:- API-004:- API-005:- API-006:pass"},
      {"admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 37,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:fail API-006:pass"},
      // A beta added after 1.24 that the table tracks, and one it does not.
      {"storage.k8s.io/v1beta1", "VolumeAttributesClass", 30,
       "API-001:pass API-002:pass API-003:fail API-004:- API-005:- API-006:-"},
      {"storage.k8s.io/v1beta1", "VolumeAttributesClass", 31,
       "API-001:pass API-002:pass API-003:pass API-004:- API-005:fail API-006:-"},
      {"certificates.k8s.io/v1beta1", "ClusterTrustBundle", 37,
       "API-001:pass API-002:pass API-003:- API-004:- API-005:fail API-006:-"},
      {"certificates.k8s.io/v1beta1", "ClusterTrustBundle", 23,
       "API-001:pass API-002:pass API-003:- API-004:- API-005:- API-006:-"},
      // GA kinds the table does not track, and objects of other API groups.
      {"v1", "Pod", 37, "API-001:pass API-002:pass API-003:- API-004:- API-005:- API-006:pass"},
      {"cert-manager.io/v1alpha2", "Certificate", 37,
       "API-001:- API-002:- API-003:- API-004:- API-005:- API-006:-"},
      {"gateway.networking.k8s.io/v1beta1", "HTTPRoute", 37,
       "API-001:- API-002:- API-003:- API-004:- API-005:- API-006:-"},
  };
  for (const BoundaryCase& c : kCases) {
    EXPECT_EQ(Verdicts(c.api_version, c.kind, c.minor), c.verdicts)
        << c.api_version << " " << c.kind << " at 1." << c.minor;
  }
}

// ---------------------------------------------------------------------------
// What the findings recommend.

TEST(DeprecatedApi, ReplacementIsTheOneServedAtTheTarget) {
  std::string fs = Object("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema");
  // At 1.26 v1 does not exist yet: v1beta3 is the way out; from 1.29 on, v1.
  EXPECT_EQ(RunRule("API-001", fs, 26).expected, "flowcontrol.apiserver.k8s.io/v1beta3");
  EXPECT_EQ(RunRule("API-001", fs, 29).expected, "flowcontrol.apiserver.k8s.io/v1");
  // At 1.24 (deprecated, not removed) v1beta2 is the newest version served.
  EXPECT_EQ(RunRule("API-002", fs, 24).expected, "flowcontrol.apiserver.k8s.io/v1beta2");
  // HPA v2beta1 at 1.22: autoscaling/v2 comes in 1.23, v2beta2 is served.
  EXPECT_EQ(
      RunRule("API-002", Object("autoscaling/v2beta1", "HorizontalPodAutoscaler"), 22).expected,
      "autoscaling/v2beta2");
  // extensions PSP at 1.16: policy/v1beta1; at 1.25 nothing is served: the
  // preferred replacement is named with the version that serves it.
  std::string psp = Object("extensions/v1beta1", "PodSecurityPolicy");
  EXPECT_EQ(RunRule("API-001", psp, 16).expected, "policy/v1beta1");
  EXPECT_EQ(RunRule("API-001", Object("policy/v1beta1", "PodSecurityPolicy"), 25).expected,
            "no replacement API (see the notes)");
  // A replacement of another kind is named with its kind.
  EXPECT_EQ(RunRule("API-002", Object("v1", "Endpoints"), 37).expected,
            "discovery.k8s.io/v1 EndpointSlice");
  EXPECT_EQ(RunRule("API-001", Object("resource.k8s.io/v1alpha2", "ResourceClass"), 31).expected,
            "resource.k8s.io/v1 DeviceClass (served from 1.34)");
}

TEST(DeprecatedApi, MessagesGiveTheScheduleAndTheMigration) {
  Outcome removed = RunRule("API-001", Object("extensions/v1beta1", "Ingress"), 37);
  EXPECT_EQ(removed.message,
            "extensions/v1beta1 Ingress is not served by Kubernetes 1.37 (removed in 1.22, "
            "deprecated since 1.14)");
  EXPECT_NE(removed.evidence_message.find("pathType"), std::string::npos);
  EXPECT_EQ(removed.expected, "networking.k8s.io/v1");

  Outcome deprecated = RunRule("API-002", Object("batch/v1beta1", "CronJob"), 24);
  EXPECT_EQ(deprecated.message,
            "batch/v1beta1 CronJob is deprecated since 1.21 and removed in 1.25, 1 minor release "
            "after 1.24");
  Outcome ga = RunRule("API-002", Object("v1", "ComponentStatus"), 30);
  EXPECT_EQ(ga.message, "v1 ComponentStatus is deprecated since 1.19, with no removal scheduled");
  EXPECT_EQ(ga.expected, "no replacement API (see the notes)");

  Outcome too_new = RunRule("API-003", Object("networking.k8s.io/v1", "Ingress"), 18);
  EXPECT_EQ(too_new.message,
            "networking.k8s.io/v1 Ingress is not served by Kubernetes 1.18 (first served in 1.19)");
  EXPECT_EQ(too_new.expected, "networking.k8s.io/v1beta1 until 1.19");
  EXPECT_EQ(RunRule("API-003", Object("networking.k8s.io/v1", "IPAddress"), 30).expected,
            "Kubernetes 1.33 or newer");
  // Nothing older serves the kind: the target must be upgraded.
  EXPECT_EQ(RunRule("API-003", Object("networking.k8s.io/v1beta1", "IPAddress"), 30).expected,
            "Kubernetes 1.31 or newer");

  Outcome off = RunRule("API-005", Object("storage.k8s.io/v1beta1", "VolumeAttributesClass"), 37);
  EXPECT_EQ(off.expected, "storage.k8s.io/v1 (served since 1.34)");
  // Before the GA version exists there is nothing better to recommend.
  EXPECT_EQ(
      RunRule("API-005", Object("storage.k8s.io/v1beta1", "VolumeAttributesClass"), 33).expected,
      "a GA apiVersion, or the API enabled with --runtime-config");
  EXPECT_EQ(RunRule("API-006", Object("batch/v1beta1", "CronJob"), 20).expected,
            "batch/v1 (served from 1.21)");
}

// An item of a typed List inherits its apiVersion: the evidence is still on
// /apiVersion, at the item, with the inherited value.
TEST(DeprecatedApi, ListItemsWithoutApiVersion) {
  const engine::Rule* rule = Registry().Find("API-001");
  auto loaded = core::DecodeSources(
      {{"l.yaml",
        "apiVersion: extensions/v1beta1\nkind: IngressList\nitems:\n- metadata: {name: a}\n"}},
      {});
  ASSERT_EQ(loaded.inventory.resources().size(), 1u);
  engine::RuleContext ctx{&loaded.inventory, 37};
  auto findings = engine::Evaluate({rule}, loaded.inventory, ctx, 1);
  ASSERT_EQ(findings.size(), 1u);
  ASSERT_EQ(findings[0].evidence().size(), 1u);
  EXPECT_EQ(findings[0].evidence()[0].pointer, "/apiVersion");
  EXPECT_EQ(findings[0].evidence()[0].actual, "\"extensions/v1beta1\"");
  EXPECT_EQ(findings[0].evidence()[0].position.line, 4u);
}

// ---------------------------------------------------------------------------
// PodSecurityPolicy -> Pod Security Admission

std::string Level(const std::string& spec, const std::string& annotations = "{}") {
  auto decoded =
      core::DecodeSource("p.yaml",
                         "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p, "
                         "annotations: " +
                             annotations + "}\nspec: " + spec + "\n");
  EXPECT_TRUE(decoded.diagnostics.empty()) << spec;
  std::string why;
  std::string level(rules::PsaLevelForPsp(decoded.documents.at(0).root(), why));
  return level + ": " + why;
}

TEST(DeprecatedApi, PspMapsToTheLevelThatAdmitsWhatItAdmitted) {
  const std::string restricted =
      "{privileged: false, allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], "
      "volumes: [configMap, secret, emptyDir, projected], runAsUser: {rule: MustRunAsNonRoot}, "
      "seLinux: {rule: RunAsAny}}";
  const std::string seccomp =
      "{seccomp.security.alpha.kubernetes.io/allowedProfileNames: 'runtime/default,localhost/x'}";
  EXPECT_EQ(Level(restricted, seccomp),
            "restricted: it admits only pods that meet the restricted profile");
  // Each loosening drops one level, with its reason.
  EXPECT_EQ(Level(restricted), "baseline: its seccomp annotation allows unconfined containers");
  EXPECT_EQ(Level(restricted, "{seccomp.security.alpha.kubernetes.io/allowedProfileNames: '*'}"),
            "baseline: its seccomp annotation allows unconfined containers");
  EXPECT_EQ(Level("{volumes: [secret], requiredDropCapabilities: [ALL], runAsUser: {rule: "
                  "MustRunAsNonRoot}}",
                  seccomp),
            "baseline: spec.allowPrivilegeEscalation is not false");
  EXPECT_EQ(Level("{allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: "
                  "[secret], runAsUser: {rule: RunAsAny}}",
                  seccomp),
            "baseline: spec.runAsUser lets containers run as root");
  EXPECT_EQ(Level("{allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: "
                  "[secret], runAsUser: {rule: MustRunAs, ranges: [{min: 0, max: 10}]}}",
                  seccomp),
            "baseline: spec.runAsUser lets containers run as root");
  EXPECT_EQ(Level("{allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: "
                  "[secret], runAsUser: {rule: MustRunAs, ranges: [{min: 1000, max: 2000}]}}",
                  seccomp),
            "restricted: it admits only pods that meet the restricted profile");
  EXPECT_EQ(Level("{allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: "
                  "[secret, nfs], runAsUser: {rule: MustRunAsNonRoot}}",
                  seccomp),
            "baseline: spec.volumes allows volume types beyond the restricted set");
  EXPECT_EQ(Level("{allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: "
                  "[secret], allowedCapabilities: [CHOWN], runAsUser: {rule: MustRunAsNonRoot}}",
                  seccomp),
            "baseline: spec.allowedCapabilities allows more than NET_BIND_SERVICE");
  // Privileged: anything baseline rejects.
  EXPECT_EQ(Level("{privileged: true}"),
            "privileged: spec.privileged allows privileged containers");
  EXPECT_EQ(Level("{hostPID: true}"), "privileged: spec.hostPID allows sharing a host namespace");
  EXPECT_EQ(Level("{hostPorts: [{min: 80, max: 80}]}"),
            "privileged: spec.hostPorts allows host ports");
  EXPECT_EQ(Level("{volumes: ['*']}"), "privileged: spec.volumes allows hostPath volumes");
  EXPECT_EQ(Level("{allowedCapabilities: [NET_ADMIN]}"),
            "privileged: spec.allowedCapabilities allows capabilities beyond the baseline set");
  EXPECT_EQ(Level("{allowedCapabilities: [CAP_CHOWN, KILL]}"),
            "baseline: spec.allowPrivilegeEscalation is not false");
  EXPECT_EQ(Level("{allowedUnsafeSysctls: ['net.*']}"),
            "privileged: spec.allowedUnsafeSysctls allows unsafe sysctls");
  EXPECT_EQ(Level("{allowedProcMountTypes: [Default, Unmasked]}"),
            "privileged: spec.allowedProcMountTypes allows an unmasked /proc");
  // A value of the wrong type is never read as the strict one.
  EXPECT_EQ(Level("{privileged: 'false'}"),
            "privileged: spec.privileged allows privileged containers");
  EXPECT_EQ(Level("{allowPrivilegeEscalation: 'false', requiredDropCapabilities: [ALL], "
                  "volumes: [secret], runAsUser: {rule: MustRunAsNonRoot}}",
                  seccomp),
            "baseline: spec.allowPrivilegeEscalation is not false");
  EXPECT_EQ(Level("null"), "privileged: the policy has no spec");
}

// API-004 on the PodSecurityPolicy of a multi-document input.
Outcome RunPsp(const std::string& yaml, int minor) {
  const engine::Rule* rule = Registry().Find("API-004");
  auto loaded = core::DecodeSources({{"t.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error) << yaml;
  engine::RuleContext ctx{&loaded.inventory, minor};
  Outcome out;
  for (const engine::Finding& f : engine::Evaluate({rule}, loaded.inventory, ctx, 1)) {
    out.status = std::string(engine::FindingStatusName(f.status));
    out.message = f.message();
  }
  return out;
}

TEST(DeprecatedApi, PspPassesOnlyWhenNamespacesEnforceItsLevel) {
  const std::string baseline_psp =
      "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: psp}\nspec: "
      "{privileged: false}\n";
  auto ns = [](const std::string& name, const std::string& level) {
    std::string labels =
        level.empty() ? "{}" : "{pod-security.kubernetes.io/enforce: " + level + "}";
    return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + name +
           ", labels: " + labels + "}\n";
  };
  Outcome none = RunPsp(baseline_psp, 30);
  EXPECT_EQ(none.status, "fail");
  EXPECT_EQ(
      none.message,
      "PodSecurityPolicy \"psp\" is ignored by Kubernetes 1.30 and no Namespace in the "
      "input enforces baseline; label them pod-security.kubernetes.io/enforce=baseline, "
      "pod-security.kubernetes.io/warn=restricted, pod-security.kubernetes.io/audit=restricted");
  Outcome some = RunPsp(baseline_psp + ns("a", "restricted") + ns("b", "") + ns("c", "privileged") +
                            ns("d", "Baseline"),
                        30);
  EXPECT_EQ(some.status, "fail");
  EXPECT_NE(some.message.find("namespaces b, c, d do not enforce baseline"), std::string::npos)
      << some.message;
  EXPECT_EQ(RunPsp(baseline_psp + ns("a", "restricted") + ns("b", "baseline"), 30).status, "pass");
  // Not before 1.25: PodSecurityPolicy still works there.
  EXPECT_EQ(RunPsp(baseline_psp, 24).status, "-");
  // A privileged policy enforced nothing the default level does not.
  EXPECT_EQ(RunPsp("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: "
                   "p}\nspec: {privileged: true}\n",
                   30)
                .status,
            "pass");
  // A restricted policy needs restricted namespaces.
  const std::string restricted_psp =
      "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: r, annotations: "
      "{seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default}}\nspec: "
      "{allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: [secret], "
      "runAsUser: {rule: MustRunAsNonRoot}}\n";
  Outcome strict = RunPsp(restricted_psp + ns("a", "baseline"), 30);
  EXPECT_EQ(strict.status, "fail");
  EXPECT_NE(strict.message.find("label them pod-security.kubernetes.io/enforce=restricted"),
            std::string::npos)
      << strict.message;
  EXPECT_EQ(RunPsp(restricted_psp + ns("a", "restricted"), 30).status, "pass");
  // Objects of other groups that happen to be called PodSecurityPolicy.
  EXPECT_EQ(RunRule("API-004", Object("example.com/v1", "PodSecurityPolicy"), 30).status, "-");
}

// ---------------------------------------------------------------------------
// The catalog

TEST(DeprecatedApi, CatalogIsConsistent) {
  const ApiCatalog& c = BuiltinApiCatalog();
  EXPECT_EQ(c.newest_minor(), engine::RuleContext{}.k8s_minor);
  EXPECT_GE(c.entries().size(), 70u);
  EXPECT_TRUE(c.IsBuiltinGroup(""));
  EXPECT_TRUE(c.IsBuiltinGroup("apps"));
  EXPECT_FALSE(c.IsBuiltinGroup("gateway.networking.k8s.io"));
  EXPECT_FALSE(c.IsBuiltinGroup("metrics.k8s.io"));
  for (const rules::ApiLifecycle& e : c.entries()) {
    std::string name = e.api_version + " " + e.kind;
    EXPECT_FALSE(e.notes.empty()) << name;
    EXPECT_LE(e.removed, c.newest_minor()) << name;
    EXPECT_LE(e.deprecated, c.newest_minor()) << name;
    // GA versions are never removed within v1; pre-release ones always are or
    // are off by default.
    if (ApiCatalog::Stability(e.api_version) == rules::ApiStability::kGA) {
      EXPECT_EQ(e.removed, 0) << name;
      EXPECT_TRUE(e.served_by_default) << name;
    }
    if (ApiCatalog::Stability(e.api_version) == rules::ApiStability::kAlpha) {
      EXPECT_FALSE(e.served_by_default) << name;
    }
    // What a default cluster serves is deprecated before it is removed.
    if (e.served_by_default && e.removed != 0) {
      EXPECT_NE(e.deprecated, 0) << name << " was removed without deprecation";
    }
    // A served API has a replacement by the time it goes away.
    if (e.served_by_default && e.removed != 0 && !e.replacements.empty()) {
      int first = e.replacements.front().since;
      for (const rules::ApiReplacement& r : e.replacements) first = std::min(first, r.since);
      EXPECT_LE(first, std::max(e.removed, e.deprecated)) << name;
    }
    for (const rules::ApiReplacement& r : e.replacements) {
      const std::string& kind = r.kind.empty() ? e.kind : r.kind;
      EXPECT_TRUE(c.IsBuiltinGroup(ApiCatalog::Group(r.api_version))) << name;
      EXPECT_NE(r.api_version, e.api_version) << name;
      // When the replacement has its own entry, both agree on when it came.
      if (const rules::ApiLifecycle* t = c.Find(r.api_version, kind); t && t->introduced != 0) {
        EXPECT_EQ(t->introduced, r.since) << name << " -> " << r.api_version;
      }
      EXPECT_EQ(c.IntroducedIn(r.api_version, kind) <= r.since, true) << name;
    }
  }
  EXPECT_EQ(c.StateAt("apps/v1beta2", "Deployment", 37), ApiState::kRemoved);
  EXPECT_EQ(c.StateAt("apps/v1", "Deployment", 37), ApiState::kServed);
  EXPECT_EQ(c.StateAt("v1", "ConfigMap", 37), ApiState::kUnknown);
}

// Entries the brief of the table names, so a careless edit cannot drop them.
TEST(DeprecatedApi, CatalogCoversTheMigrationGuide) {
  const ApiCatalog& c = BuiltinApiCatalog();
  struct Expect {
    const char* api_version;
    const char* kind;
    int deprecated;
    int removed;
  };
  const Expect kGuide[] = {
      {"extensions/v1beta1", "DaemonSet", 8, 16},
      {"extensions/v1beta1", "NetworkPolicy", 9, 16},
      {"apps/v1beta1", "StatefulSet", 8, 16},
      {"apps/v1beta2", "ReplicaSet", 9, 16},
      {"extensions/v1beta1", "Ingress", 14, 22},
      {"networking.k8s.io/v1beta1", "IngressClass", 19, 22},
      {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 16, 22},
      {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, 22},
      {"apiregistration.k8s.io/v1beta1", "APIService", 19, 22},
      {"authentication.k8s.io/v1beta1", "TokenReview", 19, 22},
      {"authorization.k8s.io/v1beta1", "SubjectAccessReview", 19, 22},
      {"certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, 22},
      {"coordination.k8s.io/v1beta1", "Lease", 19, 22},
      {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 17, 22},
      {"scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22},
      {"storage.k8s.io/v1beta1", "CSINode", 17, 22},
      {"storage.k8s.io/v1beta1", "VolumeAttachment", 19, 22},
      {"batch/v1beta1", "CronJob", 21, 25},
      {"discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25},
      {"events.k8s.io/v1beta1", "Event", 22, 25},
      {"autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25},
      {"policy/v1beta1", "PodDisruptionBudget", 21, 25},
      {"policy/v1beta1", "PodSecurityPolicy", 21, 25},
      {"node.k8s.io/v1beta1", "RuntimeClass", 22, 25},
      {"autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26},
      {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 23, 26},
      {"storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27},
      {"flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 26, 29},
      {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, 32},
      {"v1", "Endpoints", 33, 0},
  };
  for (const Expect& x : kGuide) {
    const rules::ApiLifecycle* e = c.Find(x.api_version, x.kind);
    ASSERT_NE(e, nullptr) << x.api_version << " " << x.kind;
    EXPECT_EQ(e->deprecated, x.deprecated) << x.api_version << " " << x.kind;
    EXPECT_EQ(e->removed, x.removed) << x.api_version << " " << x.kind;
    EXPECT_TRUE(e->served_by_default) << x.api_version << " " << x.kind;
  }
}

TEST(DeprecatedApi, GroupAndStability) {
  EXPECT_EQ(ApiCatalog::Group("v1"), "");
  EXPECT_EQ(ApiCatalog::Group("apps/v1"), "apps");
  EXPECT_EQ(ApiCatalog::Stability("v1"), rules::ApiStability::kGA);
  EXPECT_EQ(ApiCatalog::Stability("autoscaling/v2beta2"), rules::ApiStability::kBeta);
  EXPECT_EQ(ApiCatalog::Stability("batch/v2alpha1"), rules::ApiStability::kAlpha);
  // The group name does not make a version pre-release.
  EXPECT_EQ(ApiCatalog::Stability("alphabet.k8s.io/v1"), rules::ApiStability::kGA);
}

struct ParseCase {
  const char* yaml;
  const char* error;  // expected message
};

TEST(DeprecatedApi, ParserRejectsMalformedCatalogs) {
  const std::string head = "metadata: {newestMinor: '1.37'}\nbuiltinGroups: ['', apps]\n";
  const ParseCase kCases[] = {
      {"builtinGroups: []\napis: []\n",
       "c.yaml: needs metadata.newestMinor, builtinGroups and apis"},
      {"metadata: {newestMinor: 1.37}\nbuiltinGroups: []\napis: []\n",
       "c.yaml:1:25: metadata.newestMinor must be a quoted \"1.N\" string"},
      {"metadata: {newestMinor: 'v1.37'}\nbuiltinGroups: []\napis: []\n",
       "c.yaml:1:25: metadata.newestMinor \"v1.37\" is not 1.N"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment], removed: 1.16}\n",
       "c.yaml:4:60: removed must be a quoted \"1.N\" string"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [], removed: '1.16'}\n",
       "c.yaml:4:37: kinds must be a non-empty list"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment], deprecated: '1.16', removed: "
       "'1.9'}\n",
       "c.yaml:4:3: apps/v1beta1: deprecated must come before removed"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment], removal: '1.16'}\n",
       "c.yaml:4:51: unknown api field removal"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment], replacements: [{apiVersion: "
       "apps/v1}]}\n",
       "c.yaml:4:66: a replacement needs apiVersion and since"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment], servedByDefault: maybe}\n",
       "c.yaml:4:68: servedByDefault must be a boolean"},
      {"apis:\n- {apiVersion: example.com/v1beta1, kinds: [Widget]}\n",
       "c.yaml: example.com/v1beta1 is not in a group listed in builtinGroups"},
      {"apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment]}\n- {apiVersion: apps/v1beta1, "
       "kinds: [Deployment]}\n",
       "c.yaml: apps/v1beta1 Deployment is listed twice"},
  };
  for (const ParseCase& c : kCases) {
    std::string yaml = std::string(c.yaml).starts_with("apis") ? head + c.yaml : c.yaml;
    Result<ApiCatalog> parsed = rules::ParseApiCatalog("c.yaml", yaml);
    ASSERT_FALSE(parsed.ok()) << yaml;
    EXPECT_EQ(parsed.status().message(), c.error) << yaml;
  }
  EXPECT_FALSE(rules::ParseApiCatalog("c.yaml", "a: [").ok());
  Result<ApiCatalog> ok = rules::ParseApiCatalog(
      "c.yaml", head +
                    "apis:\n- {apiVersion: apps/v1beta1, kinds: [Deployment, StatefulSet], "
                    "deprecated: '1.8', removed: '1.16', notes: text}\n");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->entries().size(), 2u);
  EXPECT_EQ(ok->newest_minor(), 37);
  EXPECT_EQ(ok->StateAt("apps/v1beta1", "StatefulSet", 16), ApiState::kRemoved);
}

// ---------------------------------------------------------------------------
// Field-level rules (API-007..014)

// Status, evidence pointers (space-separated) and message of rule `id` on the
// one object of `yaml` at 1.`minor`; status "-" when it does not apply.
struct FieldOutcome {
  std::string status = "-";
  std::string pointers;
  std::string message;
};

FieldOutcome RunField(const std::string& id, const std::string& yaml, int minor = 37) {
  const engine::Rule* rule = Registry().Find(id);
  EXPECT_NE(rule, nullptr) << id;
  auto loaded = core::DecodeSources({{"t.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error) << yaml;
  engine::RuleContext ctx{&loaded.inventory, minor};
  FieldOutcome out;
  for (const engine::Finding& f : engine::Evaluate({rule}, loaded.inventory, ctx, 1)) {
    out.status = std::string(engine::FindingStatusName(f.status));
    out.message = f.message();
    for (const engine::Evidence& e : f.evidence()) {
      out.pointers += (out.pointers.empty() ? "" : " ") + e.pointer;
    }
  }
  return out;
}

std::string Pod(const std::string& annotations, const std::string& spec) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" +
         (annotations.empty() ? "" : "  annotations:\n" + annotations) + "spec:\n" + spec;
}

const std::string kContainer = "  containers:\n  - name: app\n    image: app:1\n";

TEST(DeprecatedApiFields, GitRepoVolumeAtEveryStageOfItsRemoval) {
  std::string yaml = Pod("", kContainer +
                                 "  volumes:\n  - name: src\n    gitRepo: {repository: "
                                 "https://example.com/r.git}\n  - name: tmp\n    emptyDir: {}\n");
  FieldOutcome at32 = RunField("API-007", yaml, 32);
  EXPECT_EQ(at32.status, "fail");
  EXPECT_EQ(at32.pointers, "/spec/volumes/0/gitRepo");
  EXPECT_NE(at32.message.find("CVE-2024-10220"), std::string::npos) << at32.message;
  EXPECT_NE(RunField("API-007", yaml, 33).message.find("GitRepoVolumeDriver off"),
            std::string::npos);
  EXPECT_NE(RunField("API-007", yaml, 36).message.find("locked"), std::string::npos);
  EXPECT_EQ(RunField("API-007", Pod("", kContainer + "  volumes:\n  - name: tmp\n    emptyDir: "
                                                     "{}\n"))
                .status,
            "pass");
  EXPECT_EQ(RunField("API-007", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n").status,
            "-");
}

TEST(DeprecatedApiFields, RemovedVolumePluginsFollowTheirSchedule) {
  std::string pod = Pod("", kContainer +
                                "  volumes:\n  - name: data\n    cephfs: {monitors: "
                                "[10.0.0.1]}\n");
  EXPECT_EQ(RunField("API-008", pod, 27).status, "pass");  // before the deprecation
  FieldOutcome at28 = RunField("API-008", pod, 28);
  EXPECT_EQ(at28.status, "fail");
  EXPECT_EQ(at28.pointers, "/spec/volumes/0/cephfs");
  EXPECT_EQ(at28.message.find("cannot be mounted"), std::string::npos) << at28.message;
  EXPECT_NE(RunField("API-008", pod, 31).message.find("cannot be mounted"), std::string::npos);
  std::string pv =
      "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n  capacity: "
      "{storage: 1Gi}\n  glusterfs: {endpoints: gl, path: vol}\n";
  EXPECT_EQ(RunField("API-008", pv, 25).status, "fail");
  EXPECT_EQ(RunField("API-008", pv, 25).pointers, "/spec/glusterfs");
  EXPECT_EQ(RunField("API-008", pv, 24).status, "pass");
}

TEST(DeprecatedApiFields, SeccompAnnotationsAreIgnoredFrom127) {
  std::string container_annotation =
      "    container.seccomp.security.alpha.kubernetes.io/app: runtime/default\n";
  std::string pod_annotation = "    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n";
  // Before 1.27 the API server still copies the annotation into the field.
  EXPECT_EQ(RunField("API-009", Pod(pod_annotation, kContainer), 26).status, "-");
  FieldOutcome fail = RunField("API-009", Pod(pod_annotation, kContainer), 27);
  EXPECT_EQ(fail.status, "fail");
  EXPECT_EQ(fail.pointers, "/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod");
  EXPECT_EQ(RunField("API-009", Pod(container_annotation, kContainer)).pointers,
            "/metadata/annotations/container.seccomp.security.alpha.kubernetes.io~1app");
  // Asking for no confinement loses nothing when ignored.
  EXPECT_EQ(RunField("API-009",
                     Pod("    seccomp.security.alpha.kubernetes.io/pod: unconfined\n", kContainer))
                .status,
            "pass");
  // The field covers what the annotation asked for.
  std::string pod_field = "  securityContext: {seccompProfile: {type: RuntimeDefault}}\n";
  EXPECT_EQ(RunField("API-009", Pod(pod_annotation, pod_field + kContainer)).status, "pass");
  EXPECT_EQ(RunField("API-009", Pod(container_annotation,
                                    kContainer + "    securityContext: {seccompProfile: {type: "
                                                 "Localhost, localhostProfile: p.json}}\n"))
                .status,
            "pass");
  // An annotation for a container that does not exist does nothing either way.
  EXPECT_EQ(RunField("API-009", Pod("    container.seccomp.security.alpha.kubernetes.io/other: "
                                    "runtime/default\n",
                                    kContainer))
                .status,
            "pass");
  // In a controller the annotations sit in the pod template.
  std::string deployment = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata:
      labels: {a: b}
      annotations: {seccomp.security.alpha.kubernetes.io/pod: docker/default}
    spec:
      containers: [{name: app, image: app:1}]
)";
  EXPECT_EQ(RunField("API-009", deployment).pointers,
            "/spec/template/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod");
}

TEST(DeprecatedApiFields, AppArmorAnnotationWithoutField) {
  std::string annotation =
      "    container.apparmor.security.beta.kubernetes.io/app: runtime/default\n";
  EXPECT_EQ(RunField("API-010", Pod(annotation, kContainer), 29).status, "-");
  FieldOutcome fail = RunField("API-010", Pod(annotation, kContainer), 30);
  EXPECT_EQ(fail.status, "fail");
  EXPECT_EQ(fail.pointers,
            "/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app");
  EXPECT_EQ(
      RunField("API-010", Pod(annotation, kContainer + "    securityContext: {appArmorProfile: "
                                                       "{type: RuntimeDefault}}\n"))
          .status,
      "pass");
  EXPECT_EQ(RunField("API-010", Pod(annotation,
                                    "  securityContext: {appArmorProfile: {type: "
                                    "RuntimeDefault}}\n" +
                                        kContainer))
                .status,
            "pass");
}

TEST(DeprecatedApiFields, RemovedPodAnnotations) {
  std::string critical = "    scheduler.alpha.kubernetes.io/critical-pod: \"\"\n";
  EXPECT_EQ(RunField("API-011", Pod(critical, kContainer), 15).status, "pass");
  FieldOutcome fail = RunField("API-011", Pod(critical, kContainer), 16);
  EXPECT_EQ(fail.status, "fail");
  EXPECT_EQ(fail.pointers, "/metadata/annotations/scheduler.alpha.kubernetes.io~1critical-pod");
  EXPECT_EQ(RunField("API-011",
                     Pod("    security.alpha.kubernetes.io/sysctls: "
                         "kernel.shm_rmid_forced=1\n",
                         kContainer),
                     11)
                .status,
            "fail");
}

TEST(DeprecatedApiFields, DeprecatedNodeLabelsInEverySchedulingField) {
  std::string spec = kContainer + R"(  nodeSelector: {beta.kubernetes.io/os: linux, disk: ssd}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - {key: kubernetes.io/arch, operator: In, values: [amd64]}
          - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a]}
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions: [{key: beta.kubernetes.io/instance-type, operator: In, values: [m5]}]
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        podAffinityTerm:
          topologyKey: failure-domain.beta.kubernetes.io/region
          labelSelector: {matchLabels: {a: b}}
  topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
  - {maxSkew: 1, topologyKey: failure-domain.beta.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
)";
  FieldOutcome out = RunField("API-012", Pod("", spec));
  EXPECT_EQ(out.status, "fail");
  EXPECT_EQ(out.pointers,
            "/spec/nodeSelector/beta.kubernetes.io~1os "
            "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
            "nodeSelectorTerms/0/matchExpressions/1/key "
            "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
            "preference/matchExpressions/0/key "
            "/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
            "podAffinityTerm/topologyKey "
            "/spec/topologySpreadConstraints/1/topologyKey");
  // The zone labels were deprecated in 1.17, the os/arch ones in 1.14.
  EXPECT_EQ(RunField("API-012", Pod("", spec), 16).pointers,
            "/spec/nodeSelector/beta.kubernetes.io~1os");
  EXPECT_EQ(RunField("API-012", Pod("", spec), 13).status, "pass");
  EXPECT_EQ(RunField("API-012", Pod("", kContainer + "  nodeSelector: {kubernetes.io/os: linux}\n"))
                .status,
            "pass");
}

TEST(DeprecatedApiFields, ServiceLoadBalancerIp) {
  auto service = [](const std::string& ip) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: LoadBalancer\n"
           "  ports: [{port: 80}]\n" +
           ip;
  };
  EXPECT_EQ(RunField("API-013", service("  loadBalancerIP: 203.0.113.7\n")).status, "fail");
  EXPECT_EQ(RunField("API-013", service("  loadBalancerIP: 203.0.113.7\n"), 23).status, "-");
  EXPECT_EQ(RunField("API-013", service("  loadBalancerIP: \"\"\n")).status, "pass");
  EXPECT_EQ(RunField("API-013", service("")).status, "pass");
}

TEST(DeprecatedApiFields, IngressClassAnnotation) {
  auto ingress = [](const std::string& extra) {
    return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  "
           "annotations: {kubernetes.io/ingress.class: nginx}\nspec:\n" +
           extra + "  defaultBackend: {service: {name: s, port: {number: 80}}}\n";
  };
  FieldOutcome only = RunField("API-014", ingress(""));
  EXPECT_EQ(only.status, "fail");
  EXPECT_EQ(only.pointers, "/metadata/annotations/kubernetes.io~1ingress.class");
  EXPECT_NE(RunField("API-014", ingress("  ingressClassName: nginx\n")).message.find("rejects"),
            std::string::npos);
  EXPECT_EQ(RunField("API-014",
                     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n"
                     "  ingressClassName: nginx\n")
                .status,
            "pass");
}

}  // namespace
}  // namespace kspm

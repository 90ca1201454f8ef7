// The cluster configuration rules added after CFG-006: Pod Security warn and
// audit levels, pinned enforce versions, LimitRange defaults (max becomes the
// default), quotas across a namespace, webhooks that can block kube-system and
// admission policy bindings that never deny.
#include <gtest/gtest.h>

#include <string>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/registry.h"
#include "rules/builtin.h"

namespace kspm {
namespace {

const engine::RuleRegistry& Registry() {
  static const engine::RuleRegistry kRegistry = [] {
    engine::RuleRegistry r;
    rules::RegisterClusterConfigRules(r);
    return r;
  }();
  return kRegistry;
}

// "name:status[pointer,pointer]" for every finding of rule `id`, in order.
std::string RunRule(const std::string& id, const std::string& yaml, int minor = 37) {
  const engine::Rule* rule = Registry().Find(id);
  EXPECT_NE(rule, nullptr) << id;
  auto loaded = core::DecodeSources({{"t.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error) << yaml;
  engine::RuleContext ctx{&loaded.inventory, minor};
  std::string out;
  for (const engine::Finding& f : engine::Evaluate({rule}, loaded.inventory, ctx, 1)) {
    if (!out.empty()) out += " ";
    out += (f.resource != nullptr ? f.resource->name : "-") + ":" +
           std::string(engine::FindingStatusName(f.status));
    if (f.status != engine::FindingStatus::kFail) continue;
    EXPECT_FALSE(f.message().empty());
    out += "[";
    for (size_t i = 0; i < f.evidence().size(); ++i) {
      out += (i > 0 ? "," : "") + f.evidence()[i].pointer;
    }
    out += "]";
  }
  return out;
}

std::string Namespace(const std::string& labels) {
  return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  labels: {" + labels + "}\n";
}

TEST(ClusterConfig, WarnAndAuditMustBeAsStrictAsEnforce) {
  const std::string enforce = "pod-security.kubernetes.io/enforce: baseline";
  EXPECT_EQ(RunRule("CFG-007", Namespace(enforce)),
            "ns:fail[/metadata/labels/pod-security.kubernetes.io~1warn,"
            "/metadata/labels/pod-security.kubernetes.io~1audit]");
  EXPECT_EQ(RunRule("CFG-007", Namespace(enforce + ", pod-security.kubernetes.io/warn: restricted, "
                                                   "pod-security.kubernetes.io/audit: privileged")),
            "ns:fail[/metadata/labels/pod-security.kubernetes.io~1audit]");
  EXPECT_EQ(RunRule("CFG-007", Namespace(enforce + ", pod-security.kubernetes.io/warn: restricted, "
                                                   "pod-security.kubernetes.io/audit: baseline")),
            "ns:pass");
  // An invalid level falls back to the default (privileged): weaker.
  EXPECT_EQ(RunRule("CFG-007", Namespace("pod-security.kubernetes.io/enforce: restricted, "
                                         "pod-security.kubernetes.io/warn: Restricted, "
                                         "pod-security.kubernetes.io/audit: restricted")),
            "ns:fail[/metadata/labels/pod-security.kubernetes.io~1warn]");
  // Nothing enforced (or privileged): CFG-001/CFG-002 report it.
  EXPECT_EQ(RunRule("CFG-007", Namespace("")), "");
  EXPECT_EQ(RunRule("CFG-007", Namespace("pod-security.kubernetes.io/enforce: privileged")), "");
}

TEST(ClusterConfig, EnforceVersionOlderThanTheTarget) {
  const std::string labels =
      "pod-security.kubernetes.io/enforce: restricted, "
      "pod-security.kubernetes.io/enforce-version: v1.30";
  EXPECT_EQ(RunRule("CFG-008", Namespace(labels), 31),
            "ns:fail[/metadata/labels/pod-security.kubernetes.io~1enforce-version]");
  EXPECT_EQ(RunRule("CFG-008", Namespace(labels), 30), "ns:pass");
  EXPECT_EQ(RunRule("CFG-008", Namespace("pod-security.kubernetes.io/enforce: restricted, "
                                         "pod-security.kubernetes.io/enforce-version: latest")),
            "ns:pass");
  EXPECT_EQ(RunRule("CFG-008", Namespace("pod-security.kubernetes.io/enforce: restricted")),
            "ns:pass");
  EXPECT_EQ(RunRule("CFG-008", Namespace("pod-security.kubernetes.io/enforce: privileged, "
                                         "pod-security.kubernetes.io/enforce-version: v1.20")),
            "");
}

TEST(ClusterConfig, LimitRangeDefaultsIncludeMax) {
  auto limit_range = [](const std::string& limits) {
    return "apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr, namespace: ns}\nspec:\n"
           "  limits:\n" +
           limits;
  };
  EXPECT_EQ(RunRule("CFG-009", limit_range("  - {type: Container, default: {cpu: 500m, memory: "
                                           "512Mi}}\n")),
            "lr:pass");
  // max becomes the default limit when default is absent.
  EXPECT_EQ(RunRule("CFG-009", limit_range("  - {type: Container, max: {cpu: 2, memory: 1Gi}}\n")),
            "lr:pass");
  EXPECT_EQ(RunRule("CFG-009", limit_range("  - {type: Pod, max: {memory: 1Gi}}\n  - {type: "
                                           "Container, default: {memory: 512Mi}}\n")),
            "lr:fail[/spec/limits/1/default/cpu]");
  EXPECT_EQ(
      RunRule("CFG-009", limit_range("  - {type: PersistentVolumeClaim, max: {storage: 1Gi}}\n")),
      "lr:fail[/spec/limits]");
}

TEST(ClusterConfig, QuotasAreJudgedPerNamespace) {
  const std::string yaml = R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: objects, namespace: a}
spec: {hard: {configmaps: "10"}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: a}
spec: {hard: {requests.cpu: "4", limits.memory: 8Gi}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: objects, namespace: b}
spec: {hard: {services: "5"}}
)";
  EXPECT_EQ(RunRule("CFG-010", yaml),
            "objects:pass compute:pass objects:fail[/spec/hard/limits.memory]");
}

std::string Webhook(const std::string& hook_extra, const std::string& resources = "[pods]") {
  return R"(apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
- name: pods.policy.example.com
  clientConfig: {service: {name: svc, namespace: policy}}
  admissionReviewVersions: [v1]
  sideEffects: None
  rules:
  - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: )" +
         resources + "}\n" + hook_extra;
}

TEST(ClusterConfig, FailClosedWebhooksMustSpareKubeSystem) {
  EXPECT_EQ(RunRule("CFG-011", Webhook("")), "policy:fail[/webhooks/0/namespaceSelector]");
  EXPECT_EQ(RunRule("CFG-011", Webhook("", "[\"*\"]")),
            "policy:fail[/webhooks/0/namespaceSelector]");
  EXPECT_EQ(RunRule("CFG-011", Webhook("  failurePolicy: Ignore\n")), "");
  EXPECT_EQ(RunRule("CFG-011", Webhook("", "[configmaps]")), "");
  EXPECT_EQ(RunRule("CFG-011", Webhook("  namespaceSelector:\n    matchExpressions:\n    - {key: "
                                       "kubernetes.io/metadata.name, operator: NotIn, values: "
                                       "[kube-system]}\n")),
            "policy:pass");
  EXPECT_EQ(RunRule("CFG-011", Webhook("  namespaceSelector: {matchLabels: {policy: enabled}}\n")),
            "policy:pass");
  EXPECT_EQ(RunRule("CFG-011", Webhook("  namespaceSelector:\n    matchExpressions:\n    - {key: "
                                       "control-plane, operator: DoesNotExist}\n")),
            "policy:fail[/webhooks/0/namespaceSelector]");
  // With the kube-system Namespace in the input, its labels decide.
  EXPECT_EQ(RunRule("CFG-011", Webhook("  namespaceSelector:\n    matchExpressions:\n    - {key: "
                                       "control-plane, operator: DoesNotExist}\n") +
                                   "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: "
                                   "kube-system\n  labels: {control-plane: \"true\"}\n"),
            "policy:pass");
  // v1beta1 defaulted failurePolicy to Ignore.
  std::string beta = Webhook("");
  beta.replace(beta.find("/v1\n"), 4, "/v1beta1\n");
  EXPECT_EQ(RunRule("CFG-011", beta), "");
}

TEST(ClusterConfig, PolicyBindingsMustDeny) {
  auto binding = [](const std::string& actions) {
    return "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n"
           "metadata: {name: b}\nspec:\n  policyName: p\n" +
           actions;
  };
  EXPECT_EQ(RunRule("CFG-012", binding("  validationActions: [Deny, Audit]\n")), "b:pass");
  EXPECT_EQ(RunRule("CFG-012", binding("  validationActions: [Warn, Audit]\n")),
            "b:fail[/spec/validationActions]");
  EXPECT_EQ(RunRule("CFG-012", binding("")), "b:fail[/spec/validationActions]");
}

}  // namespace
}  // namespace kspm

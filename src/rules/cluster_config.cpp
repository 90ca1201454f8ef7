// Namespace and cluster configuration visible in manifests: Pod Security
// Admission labels on namespaces, LimitRange and ResourceQuota coverage, and
// admission webhooks that fail open.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>

#include "rules/builtin.h"

namespace kspm::rules {
namespace {

using core::Node;
using core::Resource;
using engine::Evidence;
using engine::Finding;
using engine::FindingStatus;
using engine::Rule;
using engine::RuleContext;
using engine::Severity;
using engine::Verdict;

constexpr const char* kPsaDocs =
    "https://kubernetes.io/docs/concepts/security/pod-security-admission/";
constexpr const char* kEnforceLabel = "pod-security.kubernetes.io/enforce";

// Nearest existing node on the way to metadata.labels, for "missing" evidence.
const Node& LabelsOrAncestor(const Resource& r) {
  const Node* md = r.metadata();
  if (md == nullptr) return *r.root;
  const Node* labels = md->Get("labels");
  return labels != nullptr ? *labels : *md;
}

std::string LabelPointer(std::string_view key) {
  return "/metadata/labels/" + engine::PointerEscape(key);
}

bool IsPsaLevel(std::string_view v) {
  return v == "privileged" || v == "baseline" || v == "restricted";
}

// "latest" or "v1.N" with N a number, as pod-security-admission accepts.
bool IsPsaVersion(std::string_view v) {
  if (v == "latest") return true;
  if (v.substr(0, 3) != "v1." || v.size() == 3) return false;
  return std::all_of(v.begin() + 3, v.end(), [](char c) { return std::isdigit(c) != 0; });
}

Rule NamespaceRule() {
  Rule r;
  r.kinds = {"Namespace"};
  r.info.category = "cluster-config";
  r.info.references = {kPsaDocs};
  return r;
}

void RegisterPsaRules(engine::RuleRegistry& registry) {
  Rule missing = NamespaceRule();
  missing.info.id = "CFG-001";
  missing.info.slug = "namespace-without-pod-security-enforce";
  missing.info.title = "Namespace does not enforce a Pod Security Standard";
  missing.info.severity = Severity::kMedium;
  missing.info.description =
      "Without the pod-security.kubernetes.io/enforce label, Pod Security Admission applies the "
      "cluster default, which is privileged unless an administrator changed it: any pod, "
      "including privileged ones, is admitted into the namespace.";
  missing.info.remediation =
      "Label the namespace with pod-security.kubernetes.io/enforce: restricted (or baseline for "
      "workloads that cannot yet meet restricted), and add warn and audit labels at the next "
      "stricter level to see what would break.";
  missing.info.controls = {"cis:5.2.1", "nsa:pod-security-enforcement"};
  missing.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (res.Label(kEnforceLabel) != nullptr) return;
    v.Fail(engine::MissingField(LabelsOrAncestor(res), LabelPointer(kEnforceLabel),
                                "restricted or baseline",
                                "no pod-security.kubernetes.io/enforce label"));
    v.SetMessage("namespace \"" + res.name + "\" has no Pod Security Admission enforce label");
  };
  registry.Add(std::move(missing));

  Rule privileged = NamespaceRule();
  privileged.info.id = "CFG-002";
  privileged.info.slug = "namespace-enforces-privileged";
  privileged.info.title = "Namespace enforces the privileged Pod Security Standard";
  privileged.info.severity = Severity::kHigh;
  privileged.info.description =
      "enforce: privileged switches Pod Security Admission off for the namespace: privileged "
      "containers, host namespaces and hostPath volumes are all admitted. Only namespaces of "
      "trusted system components should carry it.";
  privileged.info.remediation =
      "Set pod-security.kubernetes.io/enforce to baseline or restricted; move the workloads "
      "that genuinely need host access into a dedicated, tightly controlled namespace.";
  privileged.info.controls = {"cis:5.2.1", "nsa:pod-security-enforcement"};
  privileged.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* level = res.Label(kEnforceLabel);
    if (level == nullptr) return v.NotApplicable();  // CFG-001 reports the missing label
    if (level->GetString() == std::optional<std::string_view>("privileged")) {
      v.Fail(engine::BadValue(*level, LabelPointer(kEnforceLabel), "restricted or baseline",
                              "the namespace admits privileged pods"));
      v.SetMessage("namespace \"" + res.name + "\" enforces the privileged profile");
    }
  };
  registry.Add(std::move(privileged));

  Rule invalid = NamespaceRule();
  invalid.info.id = "CFG-003";
  invalid.info.slug = "invalid-pod-security-label";
  invalid.info.title = "Pod Security Admission label with an invalid value";
  invalid.info.severity = Severity::kLow;
  invalid.info.description =
      "A pod-security.kubernetes.io label whose value is not a level (privileged, baseline, "
      "restricted) or a version (latest, v1.N) does not do what its author meant: Pod Security "
      "Admission falls back to a default for it, so the namespace's real policy differs from "
      "what the manifest appears to say.";
  invalid.info.remediation =
      "Use privileged, baseline or restricted for enforce, audit and warn, and latest or v1.N "
      "for the -version labels.";
  invalid.info.controls = {"nsa:pod-security-enforcement"};
  invalid.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* md = res.metadata();
    const Node* labels = md ? md->Get("labels") : nullptr;
    bool any = false;
    for (const core::Member& m : labels ? labels->members() : std::span<const core::Member>{}) {
      std::string_view key = m.key_string();
      constexpr std::string_view kPrefix = "pod-security.kubernetes.io/";
      if (key.substr(0, kPrefix.size()) != kPrefix) continue;
      std::string_view mode = key.substr(kPrefix.size());
      bool is_version = mode.ends_with("-version");
      if (is_version) mode.remove_suffix(std::string_view("-version").size());
      if (mode != "enforce" && mode != "audit" && mode != "warn") continue;
      any = true;
      auto value = m.value.GetString();
      bool ok = value && (is_version ? IsPsaVersion(*value) : IsPsaLevel(*value));
      if (!ok) {
        v.Fail(
            engine::BadValue(m.value, LabelPointer(key),
                             is_version ? "latest or v1.N" : "privileged, baseline or restricted",
                             "invalid value for " + std::string(key)));
      }
    }
    if (!any) return v.NotApplicable();
    if (!v.violations().empty())
      v.SetMessage("namespace \"" + res.name + "\" has invalid Pod Security labels");
  };
  registry.Add(std::move(invalid));
}

// Namespaces (as Namespace objects in the input) that hold no object of `kind`.
void RegisterNamespaceCoverageRule(engine::RuleRegistry& registry, std::string id, std::string slug,
                                   std::string kind, std::string title, std::string description,
                                   std::string remediation, std::vector<std::string> controls) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = Severity::kLow;
  r.info.category = "cluster-config";
  r.info.description = std::move(description);
  r.info.remediation = std::move(remediation);
  r.info.controls = std::move(controls);
  r.info.references = {"https://kubernetes.io/docs/concepts/policy/"};
  r.inventory_check = [kind](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::set<std::string, std::less<>> covered;
    for (const Resource* obj : ctx.inventory->ByKind(kind)) {
      covered.emplace(obj->effective_namespace());
    }
    for (const Resource* ns : ctx.inventory->ByKind("Namespace")) {
      Finding f;
      f.resource = ns;
      if (covered.count(ns->name) > 0) {
        f.status = FindingStatus::kPass;
      } else {
        f.status = FindingStatus::kFail;
        f.SetMessage("namespace \"" + ns->name + "\" has no " + kind);
        Evidence e;
        e.reason = engine::EvidenceReason::kMissing;
        e.pointer = "";
        e.expected = "a " + kind + " in namespace " + ns->name;
        e.position = ns->position();
        e.message = "no " + kind + " object in this namespace among the scanned manifests";
        f.AddEvidence(std::move(e));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

// Names of admission webhooks that enforce security policy: if they fail open,
// an outage or a slow response silently turns the policy off.
bool IsSecurityWebhook(std::string_view name) {
  static constexpr std::array<std::string_view, 16> kMarkers = {
      "gatekeeper",   "kyverno",    "opa",    "policy",    "security", "psp",
      "pod-security", "kubewarden", "kspm",   "neuvector", "falco",    "sysdig",
      "twistlock",    "aqua",       "datree", "validat"};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return lower.find(m) != std::string::npos; });
}

void RegisterWebhookRule(engine::RuleRegistry& registry) {
  Rule r;
  r.info.id = "CFG-006";
  r.info.slug = "security-webhook-fails-open";
  r.info.title = "Security admission webhook fails open (failurePolicy: Ignore)";
  r.info.severity = Severity::kMedium;
  r.info.category = "cluster-config";
  r.info.description =
      "A policy-enforcing admission webhook with failurePolicy Ignore lets every request through "
      "when the webhook is down, slow or unreachable; an attacker who can disrupt it (or simply "
      "waits for an upgrade) bypasses the policy. admissionregistration.k8s.io/v1beta1 "
      "defaulted to Ignore.";
  r.info.remediation =
      "Set failurePolicy: Fail on policy webhooks, run them highly available, and exclude only "
      "the namespaces they need to start (for example with a namespaceSelector).";
  r.info.controls = {"nsa:pod-security-enforcement", "mitre:T1562.001"};
  r.info.references = {
      "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/"};
  r.kinds = {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"};
  r.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* hooks = res.root->Get("webhooks");
    bool v1beta1 = res.api_version == "admissionregistration.k8s.io/v1beta1";
    bool any = false;
    uint32_t i = 0;
    for (const Node& hook : hooks ? hooks->items() : std::span<const Node>{}) {
      std::string pointer = "/webhooks/" + std::to_string(i++);
      auto name = hook.Get("name") ? hook.Get("name")->GetString() : std::nullopt;
      if (!IsSecurityWebhook(res.name) && !(name && IsSecurityWebhook(*name))) continue;
      any = true;
      const Node* policy = hook.Get("failurePolicy");
      std::string who = "webhook \"" + std::string(name.value_or("?")) + "\"";
      if (policy == nullptr) {
        if (v1beta1) {
          v.Fail(engine::MissingField(hook, pointer + "/failurePolicy", "Fail",
                                      who + " has no failurePolicy; v1beta1 defaults to Ignore"));
        }
      } else if (policy->GetString() != std::optional<std::string_view>("Fail")) {
        v.Fail(engine::BadValue(*policy, pointer + "/failurePolicy", "Fail", who + " fails open"));
      }
    }
    if (!any) return v.NotApplicable();
    if (!v.violations().empty()) v.SetMessage(res.kind + " \"" + res.name + "\" fails open");
  };
  registry.Add(std::move(r));
}

}  // namespace

void RegisterClusterConfigRules(engine::RuleRegistry& registry) {
  RegisterPsaRules(registry);
  RegisterNamespaceCoverageRule(
      registry, "CFG-004", "namespace-without-limitrange", "LimitRange",
      "Namespace without a LimitRange",
      "Without a LimitRange, containers that declare no requests or limits get none: one of them "
      "can take a node's whole CPU or memory and starve its neighbours.",
      "Add a LimitRange to the namespace with default requests and limits for containers.",
      {"nsa:resource-policies", "mitre:T1496"});
  RegisterNamespaceCoverageRule(
      registry, "CFG-005", "namespace-without-resourcequota", "ResourceQuota",
      "Namespace without a ResourceQuota",
      "Without a ResourceQuota, a team, a runaway controller or an attacker with create rights "
      "in the namespace can consume the cluster's capacity and object storage.",
      "Add a ResourceQuota to the namespace bounding CPU, memory, pods and object counts.",
      {"nsa:resource-policies", "mitre:T1499"});
  RegisterWebhookRule(registry);
}

}  // namespace kspm::rules

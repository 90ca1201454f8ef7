// Namespace and cluster configuration visible in manifests: Pod Security
// Admission labels on namespaces, LimitRange and ResourceQuota coverage and
// content, admission webhooks that fail open or can block kube-system, and
// ValidatingAdmissionPolicyBindings that never deny.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <string>
#include <vector>

#include "core/label_selector.h"
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

Rule ConfigRule(std::string id, std::string slug, std::string title, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = severity;
  r.info.category = "cluster-config";
  return r;
}

Rule NamespaceRule() {
  Rule r;
  r.kinds = {"Namespace"};
  r.info.category = "cluster-config";
  r.info.references = {kPsaDocs};
  return r;
}

// kubescape's CIS 5.2.x controls (C-0193..C-0204) are evaluated on the Namespace:
// they fail one whose pod-security.kubernetes.io/enforce label is missing or
// too weak, which kspm splits into CFG-001 (missing) and CFG-002 (privileged).
std::vector<engine::Equivalent> KubescapePsaControls() {
  std::vector<engine::Equivalent> out;
  for (int n = 193; n <= 204; ++n) out.push_back({"kubescape", "C-0" + std::to_string(n)});
  return out;
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
  missing.info.equivalents = KubescapePsaControls();
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
  privileged.info.equivalents = KubescapePsaControls();
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
                                   std::string remediation, std::vector<std::string> controls,
                                   std::vector<engine::Equivalent> equivalents) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = Severity::kLow;
  r.info.category = "cluster-config";
  r.info.description = std::move(description);
  r.info.remediation = std::move(remediation);
  r.info.controls = std::move(controls);
  r.info.equivalents = std::move(equivalents);
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
  Rule r = ConfigRule("CFG-006", "security-webhook-fails-open",
                      "Security admission webhook fails open (failurePolicy: Ignore)",
                      Severity::kMedium);
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

// ---- CFG-007 warn/audit weaker than enforce, CFG-008 pinned enforce version --

constexpr const char* kWarnLabel = "pod-security.kubernetes.io/warn";
constexpr const char* kAuditLabel = "pod-security.kubernetes.io/audit";
constexpr const char* kEnforceVersionLabel = "pod-security.kubernetes.io/enforce-version";

// privileged 0, baseline 1, restricted 2; -1 for anything else.
int LevelRank(const Node* label) {
  auto s = label != nullptr ? label->GetString() : std::nullopt;
  if (!s) return -1;
  return *s == "restricted" ? 2 : *s == "baseline" ? 1 : *s == "privileged" ? 0 : -1;
}

void RegisterPsaVisibilityRules(engine::RuleRegistry& registry) {
  Rule weaker = NamespaceRule();
  weaker.info.id = "CFG-007";
  weaker.info.slug = "pod-security-warn-audit-weaker";
  weaker.info.title = "Pod Security warn or audit level weaker than enforce";
  weaker.info.severity = Severity::kLow;
  weaker.info.description =
      "Pod Security Admission enforces on pods only; Deployments, Jobs and other workload "
      "objects are checked by the warn and audit modes alone. Without warn and audit at least "
      "as strict as enforce, a workload whose pods will be rejected is accepted silently: its "
      "controller then fails to create pods, visible only in the controller's events.";
  weaker.info.remediation =
      "Set pod-security.kubernetes.io/warn and pod-security.kubernetes.io/audit to the "
      "enforce level or a stricter one (restricted is a good choice for both).";
  weaker.info.controls = {"nsa:pod-security-enforcement"};
  weaker.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    int enforce = LevelRank(res.Label(kEnforceLabel));
    if (enforce <= 0) return v.NotApplicable();  // nothing enforced, or CFG-001/002/003
    for (const char* key : {kWarnLabel, kAuditLabel}) {
      const Node* label = res.Label(key);
      if (label != nullptr && LevelRank(label) >= enforce) continue;
      std::string_view mode = std::string_view(key).substr(std::string_view(key).rfind('/') + 1);
      std::string level = enforce == 2 ? "restricted" : "baseline or restricted";
      if (label == nullptr) {
        v.Fail(engine::MissingField(LabelsOrAncestor(res), LabelPointer(key), level,
                                    "no " + std::string(mode) +
                                        " label: workloads that violate the "
                                        "enforced level are accepted without " +
                                        (mode == "warn" ? "a warning" : "an audit annotation")));
      } else {
        v.Fail(engine::BadValue(*label, LabelPointer(key), level,
                                std::string(mode) +
                                    " is weaker than enforce: workloads that violate the "
                                    "enforced level are not reported"));
      }
    }
    if (!v.violations().empty()) {
      v.SetMessage("namespace \"" + res.name +
                   "\" enforces Pod Security without warn and audit at the same level");
    }
  };
  registry.Add(std::move(weaker));

  Rule pinned = NamespaceRule();
  pinned.info.id = "CFG-008";
  pinned.info.slug = "pod-security-enforce-version-pinned";
  pinned.info.title = "Pod Security enforce level pinned to an older Kubernetes version";
  pinned.info.severity = Severity::kLow;
  pinned.info.description =
      "pod-security.kubernetes.io/enforce-version: v1.N makes Pod Security Admission apply "
      "the checks of the standard as it was in 1.N; checks added or tightened in later "
      "releases (for example for AppArmor, SELinux or /proc mount types) are not enforced on "
      "the newer cluster.";
  pinned.info.remediation =
      "Set pod-security.kubernetes.io/enforce-version to latest (or remove it), after checking "
      "with warn-version: latest that the namespace's pods pass the current standard.";
  pinned.info.controls = {"nsa:pod-security-enforcement"};
  pinned.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    if (LevelRank(res.Label(kEnforceLabel)) <= 0) return v.NotApplicable();
    const Node* version = res.Label(kEnforceVersionLabel);
    auto s = version != nullptr ? version->GetString() : std::nullopt;
    if (!s || !IsPsaVersion(*s)) return;  // absent: latest; invalid: CFG-003
    if (*s == "latest") return;
    int minor = 0;
    std::string_view digits = s->substr(3);
    std::from_chars(digits.data(), digits.data() + digits.size(), minor);
    if (minor >= ctx.k8s_minor) return;
    v.Fail(engine::BadValue(*version, LabelPointer(kEnforceVersionLabel), "latest",
                            "enforces the Pod Security Standards of " + std::string(*s) +
                                ", older than the target 1." + std::to_string(ctx.k8s_minor)));
    v.SetMessage("namespace \"" + res.name + "\" enforces the Pod Security Standards of " +
                 std::string(*s));
  };
  registry.Add(std::move(pinned));
}

// ---- CFG-009 LimitRange without default limits ----------------------------

void RegisterLimitRangeDefaultsRule(engine::RuleRegistry& registry) {
  Rule r = ConfigRule("CFG-009", "limitrange-without-default-limits",
                      "LimitRange gives containers no default CPU or memory limit", Severity::kLow);
  r.info.description =
      "A LimitRange only bounds containers that declare no limits if one of its type: "
      "Container items has a default (or a max, which becomes the default) for the resource; "
      "otherwise such containers still run unbounded and can starve the node.";
  r.info.remediation =
      "Add default (and defaultRequest) values for memory and cpu to a type: Container item "
      "of the LimitRange.";
  r.info.controls = {"nsa:resource-policies", "mitre:T1496"};
  r.info.references = {"https://kubernetes.io/docs/concepts/policy/limit-range/"};
  r.kinds = {"LimitRange"};
  r.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* limits = res.root->Find({"spec", "limits"});
    bool memory = false;
    bool cpu = false;
    const Node* first = nullptr;
    size_t first_index = 0;
    size_t i = 0;
    for (const Node& item : limits != nullptr ? limits->items() : std::span<const Node>{}) {
      size_t index = i++;
      const Node* type = item.Get("type");
      if (type == nullptr || type->GetString() != std::optional<std::string_view>("Container")) {
        continue;
      }
      if (first == nullptr) {
        first = &item;
        first_index = index;
      }
      for (const char* field : {"default", "max"}) {
        const Node* values = item.Get(field);
        if (values == nullptr) continue;
        memory = memory || values->Get("memory") != nullptr;
        cpu = cpu || values->Get("cpu") != nullptr;
      }
    }
    if (first == nullptr) {
      const Node& at = limits != nullptr ? *limits : *res.root;
      v.Fail(engine::MissingField(at, "/spec/limits", "a type: Container item with default limits",
                                  "no type: Container item: containers without limits get none"));
      v.SetMessage("LimitRange \"" + res.name + "\" sets no container defaults");
      return;
    }
    for (auto [present, resource] : {std::pair{memory, "memory"}, std::pair{cpu, "cpu"}}) {
      if (present) continue;
      const Node* def = first->Get("default");
      v.Fail(engine::MissingField(
          def != nullptr ? *def : *first,
          "/spec/limits/" + std::to_string(first_index) + "/default/" + resource,
          std::string("a default ") + resource + " limit",
          std::string("no default or max ") + resource +
              ": containers without a limit run unbounded"));
    }
    if (!v.violations().empty()) {
      v.SetMessage("LimitRange \"" + res.name + "\" gives containers no default " +
                   (memory ? "cpu"
                    : cpu  ? "memory"
                           : "cpu or memory") +
                   " limit");
    }
  };
  registry.Add(std::move(r));
}

// ---- CFG-010 ResourceQuota without compute bounds -------------------------

bool BoundsCompute(const Resource& quota) {
  static constexpr std::array<std::string_view, 7> kComputeKeys = {
      "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods"};
  const Node* hard = quota.root->Find({"spec", "hard"});
  if (hard == nullptr) return false;
  return std::any_of(kComputeKeys.begin(), kComputeKeys.end(),
                     [&](std::string_view k) { return hard->Get(k) != nullptr; });
}

void RegisterQuotaComputeRule(engine::RuleRegistry& registry) {
  Rule r = ConfigRule("CFG-010", "resourcequota-without-compute-limits",
                      "Namespace quotas bound no CPU, memory or pod count", Severity::kLow);
  r.info.description =
      "A ResourceQuota that only counts objects (ConfigMaps, Services, claims) lets the "
      "namespace create as many pods, with as much CPU and memory, as the cluster holds: the "
      "quota does not contain a runaway or compromised workload.";
  r.info.remediation =
      "Add requests.cpu, requests.memory, limits.memory and pods to spec.hard of a "
      "ResourceQuota in the namespace.";
  r.info.controls = {"nsa:resource-policies", "mitre:T1496"};
  r.info.references = {"https://kubernetes.io/docs/concepts/policy/resource-quotas/"};
  r.kinds = {"ResourceQuota"};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::vector<const Resource*> quotas = ctx.inventory->ByKind("ResourceQuota");
    std::set<std::string_view, std::less<>> bounded;
    for (const Resource* q : quotas) {
      if (BoundsCompute(*q)) bounded.insert(q->effective_namespace());
    }
    for (const Resource* q : quotas) {
      Finding f;
      f.resource = q;
      if (bounded.count(q->effective_namespace()) > 0) {
        f.status = FindingStatus::kPass;
      } else {
        f.status = FindingStatus::kFail;
        f.SetMessage("no ResourceQuota of namespace \"" + std::string(q->effective_namespace()) +
                     "\" bounds CPU, memory or pods");
        const Node* hard = q->root->Find({"spec", "hard"});
        const Node* spec = q->root->Get("spec");
        f.AddEvidence(engine::MissingField(
            hard != nullptr   ? *hard
            : spec != nullptr ? *spec
                              : *q->root,
            "/spec/hard/limits.memory", "requests.cpu, requests.memory, limits.memory or pods",
            "the quota bounds no compute resource, and no other quota of the namespace does"));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

// ---- CFG-011 webhooks that can block kube-system --------------------------

bool ListHasAny(const Node* list, std::initializer_list<std::string_view> values) {
  if (list == nullptr) return false;
  for (const Node& item : list->items()) {
    auto s = item.GetString();
    if (s && std::find(values.begin(), values.end(), *s) != values.end()) return true;
  }
  return false;
}

// True when a rule of the webhook matches the creation of pods.
bool InterceptsPodCreation(const Node& hook) {
  const Node* rules = hook.Get("rules");
  for (const Node& rule : rules != nullptr ? rules->items() : std::span<const Node>{}) {
    if (ListHasAny(rule.Get("apiGroups"), {"", "*"}) &&
        ListHasAny(rule.Get("resources"), {"pods", "*", "*/*"}) &&
        ListHasAny(rule.Get("operations"), {"CREATE", "*"})) {
      return true;
    }
  }
  return false;
}

bool NonEmpty(const Node* n) { return n != nullptr && !n->IsNull() && n->size() > 0; }

void RegisterWebhookKubeSystemRule(engine::RuleRegistry& registry) {
  Rule r = ConfigRule("CFG-011", "webhook-blocks-kube-system",
                      "Fail-closed admission webhook also intercepts kube-system pods",
                      Severity::kMedium);
  r.info.description =
      "A webhook with failurePolicy Fail that intercepts pod creation in kube-system blocks "
      "the control plane's own pods (DNS, CNI, kube-proxy, often the webhook's dependencies) "
      "whenever its backend is down: the cluster cannot heal itself, and recovering needs "
      "someone to delete the webhook configuration by hand.";
  r.info.remediation =
      "Exclude kube-system (and the webhook's own namespace) with a namespaceSelector such "
      "as matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: "
      "[kube-system]}].";
  r.info.references = {
      "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-"
      "controllers/#avoiding-operating-on-the-kube-system-namespace",
      "https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-"
      "practices/"};
  r.kinds = {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const Node* hooks = res.root->Get("webhooks");
    bool v1beta1 = res.api_version == "admissionregistration.k8s.io/v1beta1";
    bool any = false;
    size_t i = 0;
    for (const Node& hook : hooks != nullptr ? hooks->items() : std::span<const Node>{}) {
      size_t index = i++;
      if (!InterceptsPodCreation(hook)) continue;
      const Node* policy = hook.Get("failurePolicy");
      bool fails_closed = policy == nullptr
                              ? !v1beta1
                              : policy->GetString() != std::optional<std::string_view>("Ignore");
      if (!fails_closed) continue;
      // Object selectors and match conditions depend on data we do not have.
      if (NonEmpty(hook.Get("objectSelector")) || NonEmpty(hook.Get("matchConditions"))) continue;
      any = true;
      const Node* selector_node = hook.Get("namespaceSelector");
      const Node* kube_system_labels = nullptr;
      if (const Resource* ns = ctx.inventory != nullptr
                                   ? ctx.inventory->Find("Namespace", "", "kube-system")
                                   : nullptr) {
        const Node* md = ns->metadata();
        kube_system_labels = md != nullptr ? md->Get("labels") : nullptr;
      }
      // Validated as the API server does: an invalid selector matches nothing.
      std::vector<core::FieldProblem> problems;
      core::LabelSelector selector = core::LabelSelector::Parse(selector_node, "", problems);
      if (!selector.Matches(core::LabelSet(kube_system_labels, "kube-system"))) continue;
      auto name = hook.Get("name") ? hook.Get("name")->GetString() : std::nullopt;
      std::string who = "webhook \"" + std::string(name.value_or("?")) + "\"";
      std::string pointer = "/webhooks/" + std::to_string(index) + "/namespaceSelector";
      std::string expected = "a namespaceSelector excluding kube-system";
      if (selector_node == nullptr || selector_node->IsNull()) {
        v.Fail(engine::MissingField(hook, pointer, expected,
                                    who + " fails closed on pod creation in every namespace, "
                                          "kube-system included"));
      } else {
        v.Fail(engine::BadValue(*selector_node, pointer, expected,
                                who + " fails closed on pod creation and its namespaceSelector "
                                      "matches kube-system"));
      }
    }
    if (!any) return v.NotApplicable();
    if (!v.violations().empty()) {
      v.SetMessage(res.kind + " \"" + res.name +
                   "\" can block kube-system pods whenever its webhook is unavailable");
    }
  };
  registry.Add(std::move(r));
}

// ---- CFG-012 ValidatingAdmissionPolicyBinding that never denies -----------

void RegisterPolicyBindingRule(engine::RuleRegistry& registry) {
  Rule r = ConfigRule("CFG-012", "admission-policy-binding-not-enforced",
                      "ValidatingAdmissionPolicyBinding only warns or audits", Severity::kLow);
  r.info.description =
      "A ValidatingAdmissionPolicyBinding whose validationActions lack Deny reports "
      "violations (as warnings or audit annotations) but admits every request: the policy "
      "looks deployed while it enforces nothing.";
  r.info.remediation =
      "Add Deny to spec.validationActions once the Warn/Audit rollout shows no false "
      "positives (Deny with Audit keeps the audit trail).";
  r.info.controls = {"nsa:pod-security-enforcement"};
  r.info.references = {
      "https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/"
      "#validation-actions"};
  r.kinds = {"ValidatingAdmissionPolicyBinding"};
  r.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* actions = res.root->Find({"spec", "validationActions"});
    if (ListHasAny(actions, {"Deny"})) return;
    const Node* spec = res.root->Get("spec");
    if (actions == nullptr) {
      v.Fail(engine::MissingField(spec != nullptr ? *spec : *res.root, "/spec/validationActions",
                                  "[Deny]", "no validationActions: the binding denies nothing"));
    } else {
      v.Fail(engine::BadValue(*actions, "/spec/validationActions", "a list that includes Deny",
                              "validationActions without Deny: violations are admitted"));
    }
    v.SetMessage("ValidatingAdmissionPolicyBinding \"" + res.name + "\" never denies a request");
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
      {"nsa:resource-policies", "mitre:T1496"}, {{"trivy", "KSV039"}});
  RegisterNamespaceCoverageRule(
      registry, "CFG-005", "namespace-without-resourcequota", "ResourceQuota",
      "Namespace without a ResourceQuota",
      "Without a ResourceQuota, a team, a runaway controller or an attacker with create rights "
      "in the namespace can consume the cluster's capacity and object storage.",
      "Add a ResourceQuota to the namespace bounding CPU, memory, pods and object counts.",
      {"nsa:resource-policies", "mitre:T1499"}, {{"trivy", "KSV040"}});
  RegisterWebhookRule(registry);
  RegisterPsaVisibilityRules(registry);
  RegisterLimitRangeDefaultsRule(registry);
  RegisterQuotaComputeRule(registry);
  RegisterWebhookKubeSystemRule(registry);
  RegisterPolicyBindingRule(registry);
}

}  // namespace kspm::rules

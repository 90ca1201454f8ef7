// RBAC: what Roles and ClusterRoles grant, and to whom bindings give it.
//
// Two kinds of findings, about two kinds of objects:
// - A Role or ClusterRole that grants a dangerous permission (RBAC-001 …
//   RBAC-014) is reported on the role, with evidence at the exact rule entry
//   (/rules/N/resources/M or /rules/N/verbs/M) that grants it: the role is what
//   to change, whoever is bound to it. Matching has Kubernetes' semantics
//   (engine/rbac_model.h): wildcards count, a rule restricted by resourceNames
//   grants no "any object" request, a namespaced Role never grants
//   cluster-scoped resources.
// - A binding (RBAC-015 … RBAC-021) or a workload (RBAC-022) is reported when
//   it gives permissions to subjects that should not hold them; these resolve
//   roles through the RBAC model, aggregation included.
// Objects Kubernetes creates itself (label kubernetes.io/bootstrapping:
// rbac-defaults) are not reported: nothing in the manifests controls them.
#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <string>
#include <unordered_map>

#include "engine/rbac_model.h"
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
namespace rbac = engine::rbac;

// The RBAC model of an inventory, built once and shared by the inventory
// rules that need it (through the inventory's view cache).
std::shared_ptr<const rbac::Model> RbacModel(const core::Inventory& inventory) {
  return inventory.View<rbac::Model>("rbac-model", [&] { return rbac::Model::Build(inventory); });
}

constexpr const char* kRbacDocs = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";
constexpr const char* kGoodPractices =
    "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";

bool IsRbacObject(const Resource& r) {
  std::string_view v = r.api_version;
  return v.starts_with(rbac::kRbacGroup) && v.size() > rbac::kRbacGroup.size() &&
         v[rbac::kRbacGroup.size()] == '/';
}

bool IsBootstrap(const Resource& r) {
  const Node* label = r.Label(rbac::kBootstrapLabel);
  return label != nullptr && label->GetString() == std::optional(rbac::kBootstrapValue);
}

std::span<const Node> Items(const Node* list) {
  return list != nullptr && list->IsSequence() ? list->items() : std::span<const Node>{};
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// --- Capabilities: what a role may grant, as authorizer requests ------------

struct Probe {
  constexpr Probe(std::string_view v, std::string_view g, std::string_view r, std::string_view sub,
                  bool cluster = false, std::string_view n = {}, int until = 1000)
      : verb(v),
        group(g),
        resource(r),
        subresource(sub),
        cluster_scoped(cluster),
        name(n),
        max_minor(until) {}
  std::string_view verb;
  std::string_view group;
  std::string_view resource;
  std::string_view subresource;
  // A namespaced Role (and a RoleBinding) can never grant a cluster-scoped request.
  bool cluster_scoped;
  std::string_view name;  // a particular object ("" = any)
  int max_minor;          // the last Kubernetes 1.N where the request grants this
};

struct Capability {
  std::string_view what;  // "read secrets": completes "can …"
  std::span<const Probe> probes;
  bool verb_centric = false;  // evidence at the verb, else at the resource
};

constexpr Probe kSecretsRead[] = {
    {"get", "", "secrets", ""}, {"list", "", "secrets", ""}, {"watch", "", "secrets", ""}};

constexpr Probe kWorkloadsWrite[] = {
    {"create", "", "pods", ""},
    {"create", "", "replicationcontrollers", ""},
    {"update", "", "replicationcontrollers", ""},
    {"patch", "", "replicationcontrollers", ""},
    {"create", "apps", "deployments", ""},
    {"update", "apps", "deployments", ""},
    {"patch", "apps", "deployments", ""},
    {"create", "apps", "daemonsets", ""},
    {"update", "apps", "daemonsets", ""},
    {"patch", "apps", "daemonsets", ""},
    {"create", "apps", "statefulsets", ""},
    {"update", "apps", "statefulsets", ""},
    {"patch", "apps", "statefulsets", ""},
    {"create", "apps", "replicasets", ""},
    {"update", "apps", "replicasets", ""},
    {"patch", "apps", "replicasets", ""},
    {"create", "batch", "jobs", ""},
    {"update", "batch", "jobs", ""},
    {"patch", "batch", "jobs", ""},
    {"create", "batch", "cronjobs", ""},
    {"update", "batch", "cronjobs", ""},
    {"patch", "batch", "cronjobs", ""},
};

// Exec, attach and port-forward are opened with create (SPDY) or get
// (WebSocket); since 1.35 (AuthorizePodWebsocketUpgradeCreatePermission, on by
// default) a WebSocket upgrade needs create too, so get alone no longer does.
constexpr int kLastMinorWebsocketGet = 34;
constexpr Probe kExec[] = {{"create", "", "pods", "exec"},
                           {"get", "", "pods", "exec", false, {}, kLastMinorWebsocketGet},
                           {"create", "", "pods", "attach"},
                           {"get", "", "pods", "attach", false, {}, kLastMinorWebsocketGet}};

constexpr Probe kPortForward[] = {
    {"create", "", "pods", "portforward"},
    {"get", "", "pods", "portforward", false, {}, kLastMinorWebsocketGet}};

// bind is checked in the namespace of the binding being created, so a Role can
// grant it on clusterroles; escalate on a ClusterRole is a cluster-scoped update.
constexpr Probe kEscalateBind[] = {
    {"escalate", rbac::kRbacGroup, "roles", ""},
    {"bind", rbac::kRbacGroup, "roles", ""},
    {"escalate", rbac::kRbacGroup, "clusterroles", "", true},
    {"bind", rbac::kRbacGroup, "clusterroles", ""},
};

constexpr Probe kImpersonate[] = {
    {"impersonate", "", "users", "", true},
    {"impersonate", "", "groups", "", true},
    {"impersonate", "", "serviceaccounts", ""},
    // Even restricted by name, impersonating system:masters is cluster-admin.
    {"impersonate", "", "groups", "", true, "system:masters"},
};

// The kubelet maps HTTP methods to verbs on nodes/proxy: GET get, POST create, ...
constexpr Probe kNodeProxy[] = {
    {"get", "", "nodes", "proxy", true},    {"create", "", "nodes", "proxy", true},
    {"update", "", "nodes", "proxy", true}, {"patch", "", "nodes", "proxy", true},
    {"delete", "", "nodes", "proxy", true},
};

constexpr Probe kTokenCreate[] = {{"create", "", "serviceaccounts", "token"}};

constexpr Probe kCsrApprove[] = {
    {"update", "certificates.k8s.io", "certificatesigningrequests", "approval", true},
    {"patch", "certificates.k8s.io", "certificatesigningrequests", "approval", true},
};

constexpr Probe kWebhookWrite[] = {
    {"create", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", true},
    {"update", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", true},
    {"patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", true},
    {"delete", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", true},
    {"deletecollection", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "",
     true},
    {"create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", true},
    {"update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", true},
    {"patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", true},
    {"delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", true},
    {"deletecollection", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", true},
};

constexpr Probe kPvCreate[] = {{"create", "", "persistentvolumes", "", true}};

// Events record what happened in the cluster (pod starts, image pulls, exec
// denials); there is no delete on pods/log, logs live on the nodes.
constexpr Probe kEventsDelete[] = {
    {"delete", "", "events", ""},
    {"deletecollection", "", "events", ""},
    {"delete", "events.k8s.io", "events", ""},
    {"deletecollection", "events.k8s.io", "events", ""},
};

constexpr Probe kConfigMapsWrite[] = {
    {"create", "", "configmaps", ""},
    {"update", "", "configmaps", ""},
    {"patch", "", "configmaps", ""},
    {"delete", "", "configmaps", ""},
    {"deletecollection", "", "configmaps", ""},
};

constexpr Probe kRbacWrite[] = {
    {"create", rbac::kRbacGroup, "roles", ""},
    {"update", rbac::kRbacGroup, "roles", ""},
    {"patch", rbac::kRbacGroup, "roles", ""},
    {"delete", rbac::kRbacGroup, "roles", ""},
    {"create", rbac::kRbacGroup, "rolebindings", ""},
    {"update", rbac::kRbacGroup, "rolebindings", ""},
    {"patch", rbac::kRbacGroup, "rolebindings", ""},
    {"delete", rbac::kRbacGroup, "rolebindings", ""},
    {"create", rbac::kRbacGroup, "clusterroles", "", true},
    {"update", rbac::kRbacGroup, "clusterroles", "", true},
    {"patch", rbac::kRbacGroup, "clusterroles", "", true},
    {"delete", rbac::kRbacGroup, "clusterroles", "", true},
    {"create", rbac::kRbacGroup, "clusterrolebindings", "", true},
    {"update", rbac::kRbacGroup, "clusterrolebindings", "", true},
    {"patch", rbac::kRbacGroup, "clusterrolebindings", "", true},
    {"delete", rbac::kRbacGroup, "clusterrolebindings", "", true},
};

// Endpoints and EndpointSlices name the addresses a Service forwards to
// (CVE-2021-25740); Kubernetes 1.22 removed their write access from edit and admin.
constexpr Probe kEndpointsWrite[] = {
    {"create", "", "endpoints", ""},
    {"update", "", "endpoints", ""},
    {"patch", "", "endpoints", ""},
    {"create", "discovery.k8s.io", "endpointslices", ""},
    {"update", "discovery.k8s.io", "endpointslices", ""},
    {"patch", "discovery.k8s.io", "endpointslices", ""},
};

constexpr Probe kNetworkPoliciesWrite[] = {
    {"create", "networking.k8s.io", "networkpolicies", ""},
    {"update", "networking.k8s.io", "networkpolicies", ""},
    {"patch", "networking.k8s.io", "networkpolicies", ""},
    {"delete", "networking.k8s.io", "networkpolicies", ""},
    {"deletecollection", "networking.k8s.io", "networkpolicies", ""},
};

// kubectl debug adds an ephemeral container with a patch (an update before 1.23).
constexpr Probe kEphemeralContainers[] = {
    {"patch", "", "pods", "ephemeralcontainers"},
    {"update", "", "pods", "ephemeralcontainers"},
};

constexpr Probe kNodesWrite[] = {
    {"update", "", "nodes", "", true},
    {"patch", "", "nodes", "", true},
    {"update", "", "nodes", "status", true},
    {"patch", "", "nodes", "status", true},
};

// Deleting a namespace deletes everything in it; deleting a claim (or a volume
// whose reclaim policy is Delete) deletes the data on the disk.
constexpr Probe kDataDelete[] = {
    {"delete", "", "namespaces", ""},
    {"deletecollection", "", "namespaces", "", true},
    {"delete", "", "persistentvolumeclaims", ""},
    {"deletecollection", "", "persistentvolumeclaims", ""},
    {"delete", "", "persistentvolumes", "", true},
    {"deletecollection", "", "persistentvolumes", "", true},
};

constexpr Probe kCrdWrite[] = {
    {"create", "apiextensions.k8s.io", "customresourcedefinitions", "", true},
    {"update", "apiextensions.k8s.io", "customresourcedefinitions", "", true},
    {"patch", "apiextensions.k8s.io", "customresourcedefinitions", "", true},
    {"delete", "apiextensions.k8s.io", "customresourcedefinitions", "", true},
    {"deletecollection", "apiextensions.k8s.io", "customresourcedefinitions", "", true},
};

constexpr Probe kApiServicesWrite[] = {
    {"create", "apiregistration.k8s.io", "apiservices", "", true},
    {"update", "apiregistration.k8s.io", "apiservices", "", true},
    {"patch", "apiregistration.k8s.io", "apiservices", "", true},
    {"delete", "apiregistration.k8s.io", "apiservices", "", true},
    {"deletecollection", "apiregistration.k8s.io", "apiservices", "", true},
};

// The ConfigMaps of kube-system configure cluster components: CoreDNS's
// Corefile, kube-proxy, kubeadm's cluster configuration, EKS's aws-auth (IAM
// identities -> RBAC groups). A rule restricted to one of these names counts.
constexpr Probe kKubeSystemConfigMapsWrite[] = {
    {"create", "", "configmaps", ""},
    {"update", "", "configmaps", ""},
    {"patch", "", "configmaps", ""},
    {"delete", "", "configmaps", ""},
    {"update", "", "configmaps", "", false, "coredns"},
    {"patch", "", "configmaps", "", false, "coredns"},
    {"update", "", "configmaps", "", false, "aws-auth"},
    {"patch", "", "configmaps", "", false, "aws-auth"},
    {"update", "", "configmaps", "", false, "kube-proxy"},
    {"patch", "", "configmaps", "", false, "kube-proxy"},
    {"update", "", "configmaps", "", false, "kubeadm-config"},
    {"patch", "", "configmaps", "", false, "kubeadm-config"},
};

const Capability kCapSecrets{"read secrets", kSecretsRead};
const Capability kCapWorkloads{"create or change pods and workload controllers", kWorkloadsWrite};
const Capability kCapExec{"exec or attach into pods", kExec};
const Capability kCapPortForward{"port-forward to pods", kPortForward};
const Capability kCapEscalateBind{"escalate or bind roles", kEscalateBind, true};
const Capability kCapImpersonate{"impersonate users, groups or service accounts", kImpersonate,
                                 true};
const Capability kCapNodeProxy{"use the kubelet API through nodes/proxy", kNodeProxy};
const Capability kCapToken{"create service account tokens", kTokenCreate};
const Capability kCapCsr{"approve certificate signing requests", kCsrApprove};
const Capability kCapWebhooks{"change admission webhook configurations", kWebhookWrite};
const Capability kCapPv{"create persistent volumes", kPvCreate};

const Capability kCapEventsDelete{"delete events", kEventsDelete};
const Capability kCapConfigMaps{"create, change or delete ConfigMaps", kConfigMapsWrite};
const Capability kCapRbacWrite{"create, change or delete roles and bindings", kRbacWrite};
const Capability kCapEndpoints{"write Endpoints or EndpointSlices", kEndpointsWrite};
const Capability kCapNetworkPolicies{"create, change or delete NetworkPolicies",
                                     kNetworkPoliciesWrite};
const Capability kCapEphemeral{"add ephemeral containers to running pods", kEphemeralContainers};
const Capability kCapNodes{"change nodes (labels, taints, status)", kNodesWrite};
const Capability kCapDataDelete{"delete namespaces or persistent storage", kDataDelete};
const Capability kCapCrds{"change CustomResourceDefinitions", kCrdWrite};
const Capability kCapApiServices{"register or change aggregated API servers", kApiServicesWrite};
const Capability kCapKubeSystemConfigMaps{"write ConfigMaps of kube-system",
                                          kKubeSystemConfigMapsWrite};

rbac::Request ToRequest(const Probe& p) {
  rbac::Request r;
  r.verb = p.verb;
  r.api_group = p.group;
  r.resource = p.resource;
  r.subresource = p.subresource;
  r.name = p.name;
  return r;
}

// Bit i set when the rule allows probe i (the namespaced-only probes when
// `namespaced`, as a Role or RoleBinding can grant nothing else).
uint64_t MatchingProbes(const rbac::PolicyRule& rule, const Capability& cap, bool namespaced,
                        int minor) {
  uint64_t mask = 0;
  for (size_t i = 0; i < cap.probes.size(); ++i) {
    const Probe& p = cap.probes[i];
    if ((namespaced && p.cluster_scoped) || minor > p.max_minor) continue;
    if (rbac::RuleAllows(rule, ToRequest(p))) mask |= uint64_t{1} << i;
  }
  return mask;
}

// "get, list on secrets" from the probes a rule matched.
std::string DescribeProbes(const Capability& cap, uint64_t mask) {
  std::vector<std::string> verbs;
  std::vector<std::string> targets;
  for (size_t i = 0; i < cap.probes.size(); ++i) {
    if ((mask & (uint64_t{1} << i)) == 0) continue;
    const Probe& p = cap.probes[i];
    std::string target(p.resource);
    if (!p.subresource.empty()) target += "/" + std::string(p.subresource);
    if (!p.name.empty()) {
      // A named target adds nothing when the rule grants every name anyway.
      if (std::find(targets.begin(), targets.end(), target) != targets.end()) continue;
      target += " " + Quoted(p.name);
    }
    if (std::find(verbs.begin(), verbs.end(), p.verb) == verbs.end()) verbs.emplace_back(p.verb);
    if (std::find(targets.begin(), targets.end(), target) == targets.end()) {
      targets.push_back(target);
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  return join(verbs) + " on " + join(targets);
}

// Evidence at the list item of `rule` that lets the first matched probe through.
Evidence CapabilityEvidence(const rbac::PolicyRule& rule, const Capability& cap, uint64_t mask,
                            std::string expected) {
  size_t first = 0;
  while ((mask & (uint64_t{1} << first)) == 0) ++first;
  const Probe& p = cap.probes[first];
  int pos = cap.verb_centric ? rbac::FirstVerbMatch(rule, p.verb)
                             : rbac::FirstResourceMatch(rule, p.resource, p.subresource);
  const Node* list = cap.verb_centric ? rule.verbs : rule.resources;
  std::string pointer =
      rule.Pointer() + (cap.verb_centric ? "/verbs/" : "/resources/") + std::to_string(pos);
  std::string message =
      "rules[" + std::to_string(rule.index) + "] allows " + DescribeProbes(cap, mask);
  return engine::BadValue(list->items()[pos], std::move(pointer), std::move(expected),
                          std::move(message));
}

// A role-level rule: kinds Role and ClusterRole, RBAC objects not bootstrapped.
Rule RoleRule(std::string id, std::string slug, std::string title, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = severity;
  r.info.category = "rbac";
  r.info.references = {kRbacDocs, kGoodPractices};
  r.kinds = {"Role", "ClusterRole"};
  return r;
}

bool RoleInScope(const Resource& res, Verdict& v) {
  if (!IsRbacObject(res) || IsBootstrap(res)) {
    v.NotApplicable();
    return false;
  }
  return true;
}

void CheckCapability(const Capability& cap, const std::string& expected, const Resource& res,
                     int minor, Verdict& v) {
  if (!RoleInScope(res, v)) return;
  bool namespaced = res.kind == "Role";
  if (namespaced && std::all_of(cap.probes.begin(), cap.probes.end(),
                                [](const Probe& p) { return p.cluster_scoped; })) {
    return v.NotApplicable();  // a Role cannot grant any of it
  }
  uint32_t index = 0;
  for (const Node& item : Items(res.root->Get("rules"))) {
    uint32_t i = index++;
    if (!item.IsMapping()) continue;
    rbac::PolicyRule rule = rbac::PolicyRule::FromNode(item, i);
    // Everything granted by a "*" on "*" rule is RBAC-001's single finding.
    if (rbac::IsFullWildcard(rule)) continue;
    uint64_t mask = MatchingProbes(rule, cap, namespaced, minor);
    if (mask != 0) v.Fail(CapabilityEvidence(rule, cap, mask, expected));
  }
  if (!v.violations().empty()) {
    v.SetMessage(
        res.kind + " " + Quoted(res.name) + " can " + std::string(cap.what) +
        (res.kind == "Role" ? " in namespace " + std::string(res.effective_namespace()) : ""));
  }
}

struct CapabilityRuleSpec {
  const char* id;
  const char* slug;
  const char* title;
  Severity severity;
  const Capability* capability;
  const char* description;
  const char* remediation;
  const char* expected;
  std::vector<std::string> controls;
  std::vector<engine::Equivalent> equivalents;
  int min_k8s_minor = 0;  // the first Kubernetes 1.N where the permission does anything
};

std::vector<CapabilityRuleSpec> CapabilitySpecs() {
  return {
      {"RBAC-003",
       "role-reads-secrets",
       "Role can read Secrets",
       Severity::kHigh,
       &kCapSecrets,
       "get, list or watch on secrets reveals every Secret in scope: service account tokens, "
       "registry credentials, TLS keys and application passwords. list and watch return the "
       "contents too, not just the names. Cluster-wide, that is usually a path to cluster-admin "
       "through some privileged service account's token.",
       "Remove get, list and watch on secrets, or restrict the rule with resourceNames to the "
       "Secrets the workload needs; prefer mounting Secrets into the pods that use them over "
       "reading them through the API.",
       "no get, list or watch on secrets (or resourceNames limiting it)",
       {"cis:5.1.2", "nsa:rbac", "nsa:secrets", "mitre:T1552.007", "mitre:T1528"},
       {{"kubescape", "C-0015"},
        {"kubescape", "C-0186"},
        {"trivy", "KSV041"},
        {"trivy", "KSV113"}}},
      {"RBAC-004",
       "role-manages-workloads",
       "Role can create pods or change workload controllers",
       Severity::kMedium,
       &kCapWorkloads,
       "Whoever can create a pod, or create or change a Deployment, DaemonSet, StatefulSet, "
       "ReplicaSet, Job, CronJob or ReplicationController, can run any image as any service "
       "account of the namespace, mount any of its Secrets, and, unless admission policy stops "
       "it, run privileged on a node. Deployment tooling needs this; most subjects do not.",
       "Keep create on pods and create/update/patch on workload controllers to deployment "
       "tooling and controllers; enforce Pod Security Admission in every namespace these "
       "subjects can write to.",
       "no create on pods and no create, update or patch on workload controllers",
       {"cis:5.1.4", "nsa:rbac", "mitre:T1610"},
       {{"kubescape", "C-0188"}, {"trivy", "KSV048"}}},
      {"RBAC-005",
       "role-execs-into-pods",
       "Role can exec or attach into pods",
       Severity::kHigh,
       &kCapExec,
       "pods/exec and pods/attach run commands in, or take over the terminal of, running "
       "containers: the caller gets the container's files, its mounted Secrets and its service "
       "account token. Both are opened with create, and get suffices over WebSocket.",
       "Remove create and get on pods/exec and pods/attach; grant them only to break-glass "
       "operator roles, and use ephemeral debug containers under audit instead.",
       "no create or get on pods/exec and pods/attach",
       {"nsa:rbac", "mitre:T1609"},
       {{"kubescape", "C-0002"},
        {"trivy", "KSV053"},
        {"trivy", "KSV054"},
        {"polaris", "clusterrolePodExecAttach"},
        {"polaris", "rolePodExecAttach"},
        {"polaris", "clusterrolebindingPodExecAttach"},
        {"polaris", "rolebindingClusterRolePodExecAttach"},
        {"polaris", "rolebindingRolePodExecAttach"}}},
      {"RBAC-006",
       "role-port-forwards",
       "Role can port-forward to pods",
       Severity::kLow,
       &kCapPortForward,
       "pods/portforward tunnels the caller's traffic straight to any port of a pod, past "
       "Services, Ingress, and NetworkPolicies: databases and admin endpoints that are never "
       "exposed become reachable.",
       "Remove create and get on pods/portforward outside of operator roles.",
       "no create or get on pods/portforward",
       {"nsa:rbac", "nsa:network-policies"},
       {{"kubescape", "C-0063"}}},
      {"RBAC-007",
       "role-escalates-or-binds",
       "Role can escalate or bind roles",
       Severity::kHigh,
       &kCapEscalateBind,
       "Kubernetes stops subjects from granting permissions they do not hold, except for those "
       "with escalate (write any rule into a role) or bind (bind any role). Either, together with "
       "write access to roles or bindings, leads to cluster-admin.",
       "Remove escalate and bind, or limit bind with resourceNames to the few roles a "
       "delegated administrator may hand out.",
       "no escalate or bind (or bind limited by resourceNames)",
       {"cis:5.1.8", "nsa:rbac", "mitre:T1098.006"},
       {{"kubescape", "C-0191"}, {"trivy", "KSV051"}, {"trivy", "KSV052"}}},
      {"RBAC-008",
       "role-impersonates",
       "Role can impersonate users, groups or service accounts",
       Severity::kCritical,
       &kCapImpersonate,
       "impersonate lets the caller send requests as another user, group or service account; "
       "impersonating the system:masters group, or any cluster-admin, is full control of the "
       "cluster, and the audit log records the impersonated identity.",
       "Remove impersonate, or limit it with resourceNames to specific, unprivileged identities.",
       "no impersonate (or impersonate limited to unprivileged names)",
       {"cis:5.1.8", "nsa:rbac", "mitre:T1078"},
       {{"kubescape", "C-0065"}, {"kubescape", "C-0191"}, {"trivy", "KSV043"}}},
      {"RBAC-009",
       "role-proxies-to-nodes",
       "Role can use the kubelet API through nodes/proxy",
       Severity::kHigh,
       &kCapNodeProxy,
       "nodes/proxy opens the kubelet API of every node: run commands in any container on the "
       "node, read its logs and pod specs, all outside API server admission and audit.",
       "Remove nodes/proxy; monitoring agents need nodes/metrics or nodes/stats instead.",
       "no access to nodes/proxy",
       {"cis:5.1.10", "nsa:rbac", "mitre:T1609"},
       {{"kubescape", "C-0279"}, {"trivy", "KSV047"}}},
      {"RBAC-010",
       "role-creates-service-account-tokens",
       "Role can create service account tokens",
       Severity::kHigh,
       &kCapToken,
       "create on serviceaccounts/token mints a token for any service account in scope, with "
       "the caller's choice of audience and lifetime: whatever any of those accounts may do, "
       "the caller may do.",
       "Remove create on serviceaccounts/token, or limit it with resourceNames to the service "
       "accounts the caller must act for.",
       "no create on serviceaccounts/token",
       {"cis:5.1.13", "nsa:rbac", "nsa:service-account-tokens", "mitre:T1528"},
       {{"kubescape", "C-0282"}}},
      {"RBAC-011",
       "role-approves-csrs",
       "Role can approve certificate signing requests",
       Severity::kHigh,
       &kCapCsr,
       "update on certificatesigningrequests/approval (with approve on the signer) approves "
       "client certificates: a certificate for a user in a privileged group is a new, "
       "long-lived cluster-admin credential that no binding shows.",
       "Remove update and patch on certificatesigningrequests/approval; leave approval to the "
       "controller manager and a dedicated, audited approver.",
       "no update or patch on certificatesigningrequests/approval",
       {"cis:5.1.11", "nsa:rbac", "mitre:T1078"},
       {{"kubescape", "C-0280"}}},
      {"RBAC-012",
       "role-writes-admission-webhooks",
       "Role can change admission webhook configurations",
       Severity::kHigh,
       &kCapWebhooks,
       "Admission webhooks see every object they register for, Secrets included, and mutating "
       "ones can rewrite pods as they are created; deleting or loosening a policy webhook turns "
       "the policy off. Writing webhook configurations is control over admission itself.",
       "Remove create, update, patch and delete on validatingwebhookconfigurations and "
       "mutatingwebhookconfigurations outside the installer of the webhook itself.",
       "read-only access to admission webhook configurations",
       {"cis:5.1.12", "nsa:rbac", "mitre:T1562.001"},
       {{"kubescape", "C-0281"}, {"trivy", "KSV114"}}},
      {"RBAC-013",
       "role-creates-persistent-volumes",
       "Role can create PersistentVolumes",
       Severity::kMedium,
       &kCapPv,
       "A PersistentVolume can be a hostPath on a node; Pod Security Admission does not look at "
       "PersistentVolumes, so whoever can create them and claim them mounts node directories "
       "into pods that admission considers restricted.",
       "Remove create on persistentvolumes; let users claim storage through "
       "PersistentVolumeClaims and StorageClasses.",
       "no create on persistentvolumes",
       {"cis:5.1.9", "nsa:rbac", "mitre:T1611"},
       {{"kubescape", "C-0278"}}},
  };
}

// RBAC-024 … RBAC-033: further permissions, registered after RBAC-023.
std::vector<CapabilityRuleSpec> MoreCapabilitySpecs() {
  return {
      {"RBAC-024",
       "role-deletes-events",
       "Role can delete events",
       Severity::kLow,
       &kCapEventsDelete,
       "Events are the cluster's own record of what happened: pods started, images pulled, "
       "probes failing, volumes mounted. Whoever can delete them can remove the traces of an "
       "intrusion before anyone looks; only controllers that garbage-collect events need it.",
       "Remove delete and deletecollection on events (core and events.k8s.io); ship events and "
       "audit logs off the cluster so that deleting them there erases nothing.",
       "no delete or deletecollection on events",
       {"nsa:rbac", "mitre:T1070"},
       {{"kubescape", "C-0031"}}},
      {"RBAC-025",
       "role-writes-configmaps",
       "Role can create, change or delete ConfigMaps",
       Severity::kLow,
       &kCapConfigMaps,
       "ConfigMaps hold the configuration workloads trust: feature flags, endpoints, scripts, "
       "proxy and DNS settings. Changing one changes the behaviour of every pod that reads it "
       "at its next restart or reload, without touching the workload itself. Cluster "
       "components' ConfigMaps in kube-system are reported by RBAC-034.",
       "Keep create, update, patch and delete on configmaps to deployment tooling and to the "
       "controller that owns them; restrict the rule with resourceNames to the ConfigMaps a "
       "workload must write (a leader-election lock, its own state), or move locks to Leases.",
       "no write access to configmaps (or resourceNames limiting it)",
       {"nsa:rbac"},
       {{"trivy", "KSV049"}, {"trivy", "KSV115"}}},
      {"RBAC-026",
       "role-manages-rbac",
       "Role can create, change or delete roles and bindings",
       Severity::kMedium,
       &kCapRbacWrite,
       "Writing roles and bindings is administering access: the API server still refuses to "
       "grant permissions the writer does not hold (without escalate or bind, RBAC-007), but "
       "the writer can hand every permission it holds to any identity, including accounts "
       "outside anyone's review, and remove the bindings others depend on.",
       "Keep write access to roles, clusterroles, rolebindings and clusterrolebindings to the "
       "cluster's access-management tooling; grant namespace administrators the built-in admin "
       "role through a RoleBinding instead of custom RBAC write rules.",
       "no create, update, patch or delete on roles and bindings",
       {"nsa:rbac", "mitre:T1098.006"},
       {{"trivy", "KSV050"}, {"trivy", "KSV055"}}},
      {"RBAC-027",
       "role-writes-endpoints",
       "Role can write Endpoints or EndpointSlices",
       Severity::kMedium,
       &kCapEndpoints,
       "Endpoints and EndpointSlices decide where a Service's traffic goes. Writing them sends "
       "a Service's clients, or an ingress controller's traffic, to any address, including pods "
       "of other namespaces that NetworkPolicies would otherwise protect (CVE-2021-25740); "
       "Kubernetes 1.22 removed this permission from the built-in edit and admin roles.",
       "Remove create, update and patch on endpoints and endpointslices; let the endpoint "
       "controllers maintain them from Service selectors. A Service without selector whose "
       "endpoints must be set by hand can be given them by its installer, not by a running "
       "workload.",
       "no create, update or patch on endpoints and endpointslices",
       {"nsa:rbac", "nsa:network-policies"},
       {{"trivy", "KSV056"}}},
      {"RBAC-028",
       "role-writes-network-policies",
       "Role can create, change or delete NetworkPolicies",
       Severity::kMedium,
       &kCapNetworkPolicies,
       "NetworkPolicies are the cluster's firewall. Whoever can delete or loosen them removes "
       "the isolation of the pods they protect, opening the path for lateral movement from any "
       "compromised workload.",
       "Keep write access to networkpolicies to the platform team's deployment tooling; "
       "application service accounts and controllers that do not manage policies need none.",
       "no write access to networkpolicies",
       {"nsa:rbac", "nsa:network-policies", "mitre:T1562.001"},
       {{"trivy", "KSV056"}}},
      {"RBAC-029",
       "role-adds-ephemeral-containers",
       "Role can add ephemeral containers to running pods",
       Severity::kHigh,
       &kCapEphemeral,
       "Updating pods/ephemeralcontainers (what kubectl debug does) starts a new container of "
       "the caller's choice inside a running pod: it shares the pod's network, can target "
       "another container's process namespace, and can mount the pod's volumes, its service "
       "account token included. It is exec by another name, and RBAC-005 does not see it. "
       "Evaluated from Kubernetes 1.23, where the feature is on by default.",
       "Remove patch and update on pods/ephemeralcontainers outside of break-glass debugging "
       "roles; keep Pod Security Admission enforced, which also applies to ephemeral "
       "containers.",
       "no patch or update on pods/ephemeralcontainers",
       {"nsa:rbac", "mitre:T1609"},
       {},
       // Ephemeral containers are on by default from 1.23 (beta), GA in 1.25.
       23},
      {"RBAC-030",
       "role-modifies-nodes",
       "Role can change nodes",
       Severity::kMedium,
       &kCapNodes,
       "Node labels and taints decide where pods run. Whoever can update or patch nodes can "
       "remove the control plane's taints or copy the labels other workloads select, attracting "
       "sensitive pods to a node they control, or mark nodes unschedulable to disrupt the "
       "cluster; nodes/status feeds the scheduler and the node's reported addresses.",
       "Remove update and patch on nodes and nodes/status; node lifecycle belongs to the "
       "kubelets (through the Node authorizer) and to the cluster autoscaler.",
       "no update or patch on nodes or nodes/status",
       {"nsa:rbac"},
       {}},
      {"RBAC-031",
       "role-deletes-data",
       "Role can delete namespaces or persistent storage",
       Severity::kMedium,
       &kCapDataDelete,
       "Deleting a namespace deletes every object in it; deleting a PersistentVolumeClaim, or a "
       "PersistentVolume whose reclaim policy is Delete, deletes the data on its disk. These "
       "are the permissions of data destruction and ransom, beyond recovery by redeploying.",
       "Remove delete and deletecollection on namespaces, persistentvolumeclaims and "
       "persistentvolumes from everyday roles; keep them for the tooling that manages those "
       "objects, and protect important volumes with a Retain reclaim policy and backups.",
       "no delete on namespaces, persistentvolumeclaims or persistentvolumes",
       {"nsa:rbac", "mitre:T1485"},
       {}},
      {"RBAC-032",
       "role-modifies-crds",
       "Role can change CustomResourceDefinitions",
       Severity::kMedium,
       &kCapCrds,
       "Deleting a CustomResourceDefinition deletes every object of its kind, such as the "
       "policies of a policy engine or a network plugin; changing one can add a conversion "
       "webhook that receives every object of the kind. Only installers of the extension need "
       "this.",
       "Remove create, update, patch and delete on customresourcedefinitions outside the "
       "installer of the extension (Helm, an operator lifecycle manager, the platform team).",
       "no write access to customresourcedefinitions",
       {"nsa:rbac", "mitre:T1562.001"},
       {}},
      {"RBAC-033",
       "role-registers-api-services",
       "Role can register or change aggregated API servers",
       Severity::kHigh,
       &kCapApiServices,
       "An APIService routes an API group to a server of the writer's choice: the API server "
       "then forwards every request for that group to it, with the caller's identity, and "
       "trusts its answers (CVE-2022-3172). Replacing metrics.k8s.io or a policy API this way "
       "intercepts or silences them.",
       "Remove write access to apiservices outside the installer of the aggregated API "
       "(metrics-server, a service catalog).",
       "no write access to apiservices",
       {"nsa:rbac"},
       {}},
  };
}

// --- RBAC-001 / RBAC-002: wildcards ------------------------------------------

void RegisterWildcardRules(engine::RuleRegistry& registry) {
  Rule full = RoleRule("RBAC-001", "role-grants-everything",
                       "Role grants every verb on every resource", Severity::kCritical);
  full.info.description =
      "A rule with \"*\" verbs, resources and API groups is cluster-admin in a ClusterRole and "
      "owner of everything in the namespace in a Role, including Secrets, pods and RBAC; it "
      "also silently covers resources added to the cluster later. The other role rules leave "
      "such entries to this one rather than each reporting them again.";
  full.info.remediation =
      "Replace the wildcard rule with the API groups, resources and verbs the subject needs; "
      "bind the built-in admin or edit roles for namespace administrators.";
  // A full wildcard grants what every capability rule looks for; those rules
  // leave such entries to this one, so it answers for their controls too.
  full.info.controls = {"cis:5.1.3",  "cis:5.1.1",  "cis:5.1.2",  "cis:5.1.4",
                        "cis:5.1.8",  "cis:5.1.9",  "cis:5.1.10", "cis:5.1.11",
                        "cis:5.1.12", "cis:5.1.13", "nsa:rbac",   "mitre:T1078"};
  full.info.equivalents = {{"trivy", "KSV044"},
                           {"trivy", "KSV045"},
                           {"trivy", "KSV046"},
                           {"trivy", "KSV112"},
                           {"kubescape", "C-0187"}};
  full.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!RoleInScope(res, v)) return;
    uint32_t index = 0;
    for (const Node& item : Items(res.root->Get("rules"))) {
      uint32_t i = index++;
      if (!item.IsMapping()) continue;
      rbac::PolicyRule rule = rbac::PolicyRule::FromNode(item, i);
      if (!rbac::IsFullWildcard(rule)) continue;
      v.Fail(engine::BadValue(item, rule.Pointer(), "specific apiGroups, resources and verbs",
                              "rules[" + std::to_string(i) +
                                  "] grants \"*\" verbs on \"*\" resources in \"*\" API groups"));
    }
    if (!v.violations().empty()) {
      v.SetMessage(
          res.kind + " " + Quoted(res.name) +
          (res.kind == "Role" ? " grants full control of its namespace" : " grants cluster-admin"));
    }
  };
  registry.Add(std::move(full));

  Rule wild = RoleRule("RBAC-002", "role-uses-wildcards", "Role uses wildcards", Severity::kMedium);
  wild.info.description =
      "\"*\" in verbs, resources, API groups or non-resource URLs grants more than anyone wrote "
      "down: every verb including escalate and impersonate, every subresource including exec, "
      "and every resource that a CRD or a Kubernetes upgrade adds later.";
  wild.info.remediation =
      "List the verbs, resources and API groups explicitly. Rules that are \"*\" on all three are "
      "reported by RBAC-001 instead.";
  wild.info.controls = {"cis:5.1.3", "nsa:rbac"};
  wild.info.equivalents = {
      {"trivy", "KSV045"}, {"trivy", "KSV046"}, {"trivy", "KSV112"}, {"kubescape", "C-0187"}};
  wild.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!RoleInScope(res, v)) return;
    uint32_t index = 0;
    for (const Node& item : Items(res.root->Get("rules"))) {
      uint32_t i = index++;
      if (!item.IsMapping()) continue;
      rbac::PolicyRule rule = rbac::PolicyRule::FromNode(item, i);
      if (rbac::IsFullWildcard(rule)) continue;  // RBAC-001
      struct Field {
        const char* key;
        const Node* list;
      };
      for (const Field& f :
           {Field{"verbs", rule.verbs}, Field{"apiGroups", rule.api_groups},
            Field{"resources", rule.resources}, Field{"nonResourceURLs", rule.non_resource_urls}}) {
        uint32_t m = 0;
        for (const Node& entry : Items(f.list)) {
          uint32_t pos = m++;
          auto s = entry.GetString();
          if (!s ||
              (*s != "*" && !(f.key == std::string_view("resources") && s->starts_with("*/")))) {
            continue;
          }
          v.Fail(engine::BadValue(
              entry, rule.Pointer() + "/" + f.key + "/" + std::to_string(pos),
              std::string("explicit ") + f.key,
              "rules[" + std::to_string(i) + "]." + f.key + " has the wildcard " + Quoted(*s)));
        }
      }
    }
    if (!v.violations().empty()) {
      v.SetMessage(res.kind + " " + Quoted(res.name) + " uses " +
                   std::to_string(v.violations().size()) + " wildcard" +
                   (v.violations().size() == 1 ? "" : "s"));
    }
  };
  registry.Add(std::move(wild));
}

// --- RBAC-014: aggregation into the built-in roles ----------------------------

struct AggregationTarget {
  std::string_view label;
  std::string_view role;
  bool read_only;  // view: nothing but get/list/watch, no secrets
};

constexpr AggregationTarget kAggregationTargets[] = {
    {"rbac.authorization.k8s.io/aggregate-to-view", "view", true},
    {"rbac.authorization.k8s.io/aggregate-to-edit", "edit", false},
    {"rbac.authorization.k8s.io/aggregate-to-admin", "admin", false},
};

void RegisterAggregationRule(engine::RuleRegistry& registry) {
  Rule r = RoleRule("RBAC-014", "clusterrole-extends-builtin-roles",
                    "ClusterRole adds dangerous permissions to the built-in view, edit or admin "
                    "roles",
                    Severity::kHigh);
  r.kinds = {"ClusterRole"};
  r.info.description =
      "A ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-view (or -edit, -admin) is "
      "merged into the built-in role of that name, which is typically bound to many people. "
      "Write verbs or Secrets in view, or escalation paths in edit and admin, silently reach "
      "all of them.";
  r.info.remediation =
      "Aggregate only read access to your own resources into view, and only namespaced "
      "management of your own resources into edit and admin; bind anything else explicitly.";
  r.info.controls = {"nsa:rbac", "mitre:T1098.006"};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    int minor = ctx.k8s_minor;
    if (!RoleInScope(res, v)) return;
    const AggregationTarget* target = nullptr;
    for (const AggregationTarget& t : kAggregationTargets) {
      if (res.Label(t.label) != nullptr &&
          res.Label(t.label)->GetString() == std::optional<std::string_view>("true")) {
        // The narrowest role wins the report: view before edit before admin.
        target = &t;
        break;
      }
    }
    if (target == nullptr) return v.NotApplicable();
    static const Capability* const kNeverInAny[] = {
        &kCapEscalateBind, &kCapImpersonate, &kCapNodeProxy, &kCapCsr, &kCapWebhooks, &kCapPv};
    static const Capability* const kNeverInView[] = {&kCapSecrets, &kCapExec, &kCapPortForward,
                                                     &kCapToken};
    std::string into = "aggregated into the built-in " + Quoted(target->role) + " role";
    uint32_t index = 0;
    for (const Node& item : Items(res.root->Get("rules"))) {
      uint32_t i = index++;
      if (!item.IsMapping()) continue;
      rbac::PolicyRule rule = rbac::PolicyRule::FromNode(item, i);
      if (rbac::IsFullWildcard(rule)) {
        v.Fail(engine::BadValue(item, rule.Pointer(), "no wildcard rules",
                                "rules[" + std::to_string(i) + "] grants everything, " + into));
        continue;
      }
      bool reported = false;
      auto report = [&](const Capability& cap) {
        if (reported) return;
        uint64_t mask = MatchingProbes(rule, cap, false, minor);
        if (mask == 0) return;
        Evidence e = CapabilityEvidence(
            rule, cap, mask, "nothing beyond what " + std::string(target->role) + " grants");
        e.message += ", " + into;
        v.Fail(std::move(e));
        reported = true;
      };
      for (const Capability* cap : kNeverInAny) report(*cap);
      if (!target->read_only) continue;
      for (const Capability* cap : kNeverInView) report(*cap);
      if (reported) continue;
      // view is read-only: any other verb is a write.
      uint32_t pos = 0;
      for (const Node& verb : Items(rule.verbs)) {
        uint32_t p = pos++;
        auto s = verb.GetString();
        if (!s || *s == "get" || *s == "list" || *s == "watch") continue;
        v.Fail(engine::BadValue(
            verb, rule.Pointer() + "/verbs/" + std::to_string(p), "get, list or watch",
            "rules[" + std::to_string(i) + "] allows " + Quoted(*s) + ", " + into));
        break;
      }
    }
    if (!v.violations().empty()) {
      v.SetMessage("ClusterRole " + Quoted(res.name) + " extends the built-in " +
                   Quoted(target->role) + " role with permissions it must not have");
    }
  };
  registry.Add(std::move(r));
}

// --- Bindings, per object --------------------------------------------------

Rule BindingRule(std::string id, std::string slug, std::string title, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = severity;
  r.info.category = "rbac";
  r.info.references = {kRbacDocs, kGoodPractices};
  r.kinds = {"RoleBinding", "ClusterRoleBinding"};
  return r;
}

std::string_view RoleRefName(const Resource& res) {
  const Node* ref = res.root->Get("roleRef");
  const Node* name = ref != nullptr ? ref->Get("name") : nullptr;
  return name != nullptr && name->IsString() ? name->string_value() : std::string_view{};
}

// Fails for each subject `match` accepts; NotApplicable for bootstrapped bindings
// and for bindings to roles listed in `exempt_roles`.
template <typename Match>
void CheckSubjects(const Resource& res, Verdict& v, std::span<const std::string_view> exempt_roles,
                   const std::string& expected, Match match) {
  if (!IsRbacObject(res) || IsBootstrap(res)) return v.NotApplicable();
  std::string_view role = RoleRefName(res);
  if (std::find(exempt_roles.begin(), exempt_roles.end(), role) != exempt_roles.end()) {
    return v.NotApplicable();
  }
  uint32_t index = 0;
  std::string who;
  for (const Node& s : Items(res.root->Get("subjects"))) {
    uint32_t i = index++;
    if (!s.IsMapping()) continue;
    auto kind = s.Get("kind") ? s.Get("kind")->GetString() : std::nullopt;
    auto name = s.Get("name") ? s.Get("name")->GetString() : std::nullopt;
    if (!kind || !name) continue;
    std::string why = match(*kind, *name, s);
    if (why.empty()) continue;
    v.Fail(engine::BadValue(s, "/subjects/" + std::to_string(i), expected, why));
    who += (who.empty() ? "" : ", ") + std::string(*kind) + " " + Quoted(*name);
  }
  if (!v.violations().empty()) {
    v.SetMessage(res.kind + " " + Quoted(res.name) + " binds " +
                 (role.empty() ? std::string("its role") : Quoted(role)) + " to " + who);
  }
}

// Whether the binding's role is in the input and grants nothing but "use".
bool GrantsOnlyUse(const Resource& binding, const core::Inventory& inv) {
  const Node* ref = binding.root->Get("roleRef");
  if (ref == nullptr) return false;
  auto kind = ref->Get("kind") ? ref->Get("kind")->GetString() : std::nullopt;
  auto name = ref->Get("name") ? ref->Get("name")->GetString() : std::nullopt;
  if (!kind || !name || (*kind != "Role" && *kind != "ClusterRole")) return false;
  const Resource* role =
      inv.Find(*kind, *kind == "Role" ? binding.effective_namespace() : "", *name);
  if (role == nullptr || role->root->Get("aggregationRule") != nullptr) return false;
  bool any = false;
  for (const Node& rule : Items(role->root->Get("rules"))) {
    for (const Node& verb : Items(rule.Get("verbs"))) {
      if (verb.GetString() != std::optional<std::string_view>("use")) return false;
      any = true;
    }
  }
  return any;
}

void RegisterSubjectRules(engine::RuleRegistry& registry) {
  Rule anon =
      BindingRule("RBAC-016", "binding-to-anonymous",
                  "Binding grants permissions to unauthenticated requests", Severity::kCritical);
  anon.info.description =
      "The User system:anonymous and the Group system:unauthenticated are whoever reaches the "
      "API server without credentials: anything bound to them is open to the network.";
  anon.info.remediation =
      "Remove system:anonymous and system:unauthenticated from the binding's subjects; bind "
      "the permissions to authenticated identities.";
  anon.info.controls = {"nsa:authentication", "nsa:rbac", "mitre:T1078"};
  anon.info.equivalents = {{"trivy", "KSV122"}, {"kubescape", "C-0262"}};
  anon.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    // Kubernetes binds its public health and version endpoints to everyone.
    static constexpr std::string_view kExempt[] = {"system:public-info-viewer"};
    CheckSubjects(res, v, kExempt, "no anonymous subjects",
                  [](std::string_view kind, std::string_view name, const Node&) -> std::string {
                    if (kind == "User" && name == "system:anonymous") {
                      return "requests without credentials are system:anonymous";
                    }
                    if (kind == "Group" && name == "system:unauthenticated") {
                      return "requests without credentials are in system:unauthenticated";
                    }
                    return {};
                  });
  };
  registry.Add(std::move(anon));

  Rule all =
      BindingRule("RBAC-017", "binding-to-all-authenticated",
                  "Binding grants permissions to every authenticated identity", Severity::kHigh);
  all.info.description =
      "The Groups system:authenticated and system:serviceaccounts include every service account "
      "token in the cluster (and, for system:authenticated, every user of every identity "
      "provider): one compromised pod anywhere holds whatever is bound to them.";
  all.info.remediation =
      "Bind the role to the specific users, groups or service accounts that need it. (A role "
      "that grants only the use verb, as PodSecurityPolicy and SCC roles do, is not reported.)";
  all.info.controls = {"nsa:authentication", "nsa:rbac", "mitre:T1078"};
  all.info.equivalents = {{"kubescape", "C-0265"}};
  all.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    static constexpr std::string_view kExempt[] = {"system:public-info-viewer", "system:discovery",
                                                   "system:basic-user"};
    CheckSubjects(res, v, kExempt, "specific subjects",
                  [](std::string_view kind, std::string_view name, const Node&) -> std::string {
                    if (kind != "Group") return {};
                    if (name == "system:authenticated") return "every authenticated identity";
                    if (name == "system:serviceaccounts") {
                      return "every service account of every namespace";
                    }
                    return {};
                  });
    // Granting everyone the use of an admission policy (a PodSecurityPolicy,
    // an OpenShift SCC) was the documented pattern, and grants no API access.
    if (!v.violations().empty() && GrantsOnlyUse(res, *ctx.inventory)) {
      v.mutable_violations().clear();
      v.SetMessage("");
    }
  };
  registry.Add(std::move(all));

  Rule dflt =
      BindingRule("RBAC-018", "default-service-account-bound",
                  "Binding grants permissions to a default service account", Severity::kMedium);
  dflt.info.description =
      "Every pod that names no service account runs as its namespace's default account: "
      "permissions bound to it reach all of them, including pods added later by anyone who can "
      "create pods in the namespace.";
  dflt.info.remediation =
      "Create a dedicated service account for the workload that needs the permissions, bind "
      "the role to it, and set serviceAccountName on that workload.";
  dflt.info.controls = {"cis:5.1.5", "nsa:service-account-tokens", "nsa:rbac", "mitre:T1078.001"};
  dflt.info.equivalents = {{"kubescape", "C-0189"}};
  dflt.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    std::string_view binding_ns = res.kind == "RoleBinding" ? res.effective_namespace() : "";
    CheckSubjects(res, v, {}, "a dedicated service account",
                  [&](std::string_view kind, std::string_view name, const Node& s) -> std::string {
                    if (kind != "ServiceAccount" || name != "default") return {};
                    auto ns = s.Get("namespace") ? s.Get("namespace")->GetString() : std::nullopt;
                    std::string_view where = ns && !ns->empty() ? *ns : binding_ns;
                    if (where.empty()) return {};  // matches nobody
                    return "the default service account of namespace " + Quoted(where);
                  });
  };
  registry.Add(std::move(dflt));

  Rule masters = BindingRule("RBAC-019", "binding-to-system-masters",
                             "Binding names the system:masters group", Severity::kLow);
  masters.info.description =
      "Members of system:masters bypass RBAC entirely, so a binding to it grants nothing; its "
      "presence suggests credentials carrying that group are in use, which no RBAC change can "
      "ever revoke.";
  masters.info.remediation =
      "Remove the subject; issue administrators credentials for a regular group bound to "
      "cluster-admin, which can be revoked.";
  masters.info.controls = {"cis:5.1.7", "nsa:rbac"};
  masters.info.equivalents = {{"kubescape", "C-0246"}};
  masters.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    CheckSubjects(res, v, {}, "no system:masters subject",
                  [](std::string_view kind, std::string_view name, const Node&) -> std::string {
                    if (kind == "Group" && name == "system:masters") {
                      return "system:masters bypasses RBAC; this binding changes nothing";
                    }
                    return {};
                  });
  };
  registry.Add(std::move(masters));
}

// --- Bindings, through the model ---------------------------------------------

Rule ModelRule(std::string id, std::string slug, std::string title, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = severity;
  r.info.category = "rbac";
  r.info.references = {kRbacDocs, kGoodPractices};
  return r;
}

const rbac::PolicyRule* FullWildcardRule(const rbac::Role& role) {
  for (const rbac::PolicyRule* rule : role.rules()) {
    if (rbac::IsFullWildcard(*rule)) return rule;
  }
  return nullptr;
}

std::string RuleSource(const rbac::PolicyRule& rule) {
  if (rule.role == nullptr || rule.role->builtin()) return "built-in";
  return rule.role->DisplayName() + " rules[" + std::to_string(rule.index) + "]";
}

std::string SubjectPhrase(const rbac::Subject& s) {
  std::string out(s.kind);
  out += " ";
  if (s.kind == "ServiceAccount" && !s.namespace_.empty()) {
    out += std::string(s.namespace_) + "/";
  }
  out += s.name;
  return out;
}

// Identities Kubernetes runs as itself; they hold cluster-admin by design.
bool IsSystemSubject(const rbac::Subject& s) {
  if (s.kind == "Group") return s.name == "system:masters";
  if (s.kind == "User") return s.name.starts_with("system:") && s.name != "system:anonymous";
  return false;
}

Finding BindingFinding(const rbac::Binding& b) {
  Finding f;
  f.resource = b.resource;
  f.status = FindingStatus::kPass;
  return f;
}

const Node& RoleRefNode(const rbac::Binding& b, std::string& pointer) {
  if (b.role_ref != nullptr) {
    if (const Node* name = b.role_ref->Get("name")) {
      pointer = "/roleRef/name";
      return *name;
    }
    pointer = "/roleRef";
    return *b.role_ref;
  }
  pointer = "/roleRef";
  return *b.resource->root;
}

void RegisterClusterAdminRule(engine::RuleRegistry& registry) {
  Rule r = ModelRule("RBAC-015", "cluster-admin-binding",
                     "Binding grants cluster-admin (or its equivalent)", Severity::kCritical);
  r.info.description =
      "A binding to cluster-admin, or to any role that grants every verb on every resource "
      "(aggregated roles included), gives its subjects everything: cluster-wide through a "
      "ClusterRoleBinding, the whole namespace, Secrets and service accounts included, through "
      "a RoleBinding. Losing any of those credentials is losing the cluster or the namespace.";
  r.info.remediation =
      "Bind a role with only the permissions the subject needs (admin or edit for namespace "
      "administrators, through RoleBindings); keep cluster-admin for break-glass accounts.";
  r.info.controls = {"cis:5.1.1", "nsa:rbac", "mitre:T1078", "mitre:T1098.006"};
  r.info.equivalents = {{"kubescape", "C-0035"},
                        {"kubescape", "C-0185"},
                        {"trivy", "KSV111"},
                        {"polaris", "clusterrolebindingClusterAdmin"},
                        {"polaris", "rolebindingClusterAdminClusterRole"},
                        {"polaris", "rolebindingClusterAdminRole"}};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const rbac::Model> shared_model = RbacModel(*ctx.inventory);
    const rbac::Model& model = *shared_model;
    for (const rbac::Binding& b : model.bindings()) {
      if (IsBootstrap(*b.resource)) continue;
      Finding f = BindingFinding(b);
      const rbac::PolicyRule* wildcard =
          b.status == rbac::RoleRefStatus::kResolved ? FullWildcardRule(*b.role) : nullptr;
      if (wildcard != nullptr) {
        std::string who;
        std::vector<Evidence> subjects;
        for (const rbac::Subject& s : b.subjects) {
          if (IsSystemSubject(s)) continue;
          subjects.push_back(engine::BadValue(*s.node, s.Pointer(), "no subject with full access",
                                              SubjectPhrase(s) + " gets every permission"));
          who += (who.empty() ? "" : ", ") + SubjectPhrase(s);
        }
        if (!subjects.empty()) {
          f.status = FindingStatus::kFail;
          std::string scope =
              b.cluster ? "cluster-wide" : "in namespace " + std::string(b.namespace_);
          std::string role = b.role->DisplayName();
          std::string pointer;
          const Node& ref = RoleRefNode(b, pointer);
          f.AddEvidence(engine::BadValue(
              ref, pointer, "a role with only the permissions needed",
              role + " grants every verb on every resource (" + RuleSource(*wildcard) + ")"));
          for (Evidence& e : subjects) f.AddEvidence(std::move(e));
          f.SetMessage(b.resource->kind + " " + Quoted(b.resource->name) + " gives " + role +
                       "'s full access " + scope + " to " + who);
        }
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

void RegisterMissingRoleRule(engine::RuleRegistry& registry) {
  Rule r = ModelRule("RBAC-020", "binding-to-missing-role",
                     "Binding references a role the manifests do not define", Severity::kLow);
  r.info.description =
      "A binding whose role does not exist grants nothing until someone creates a role of that "
      "name, which then silently takes effect for the bound subjects; it is often a typo, or a "
      "Role expected in another namespace. Bindings to roles Kubernetes provides (cluster-admin, "
      "admin, edit, view, system:*) are not reported; the role may also live in manifests that "
      "were not scanned.";
  r.info.remediation =
      "Fix roleRef (kind, name; a RoleBinding's Role must be in the binding's namespace), add "
      "the role to the manifests, or remove the binding.";
  r.info.controls = {"nsa:rbac"};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const rbac::Model> shared_model = RbacModel(*ctx.inventory);
    const rbac::Model& model = *shared_model;
    // Role name -> a namespace holding a Role of that name, for the typo hint.
    std::unordered_map<std::string_view, std::string_view> role_namespaces;
    for (const auto& role : model.roles()) {
      if (role->kind() == "Role") role_namespaces.emplace(role->name(), role->namespace_());
    }
    for (const rbac::Binding& b : model.bindings()) {
      if (IsBootstrap(*b.resource) || b.status == rbac::RoleRefStatus::kInvalid) continue;
      Finding f = BindingFinding(b);
      if (b.status == rbac::RoleRefStatus::kMissing && !rbac::IsWellKnownRoleName(b.role_name)) {
        f.status = FindingStatus::kFail;
        std::string target = std::string(b.role_kind) + " " + Quoted(b.role_name);
        std::string detail = target + " is not defined";
        if (b.role_kind == "Role") {
          detail += " in namespace " + std::string(b.namespace_);
          if (auto it = role_namespaces.find(b.role_name); it != role_namespaces.end()) {
            detail += " (a Role of that name is in namespace " + std::string(it->second) + ")";
          }
        } else if (model.FindRole("Role", b.namespace_, b.role_name) != nullptr) {
          detail += " (a Role of that name is; set roleRef.kind: Role)";
        }
        std::string pointer;
        const Node& ref = RoleRefNode(b, pointer);
        f.AddEvidence(engine::BadValue(ref, pointer, "a role defined in the manifests", detail));
        f.SetMessage(b.resource->kind + " " + Quoted(b.resource->name) + " references " + target +
                     ", which the manifests do not define");
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

void RegisterIneffectiveRule(engine::RuleRegistry& registry) {
  Rule r = ModelRule("RBAC-021", "rolebinding-cluster-scoped-permissions",
                     "RoleBinding to a ClusterRole whose cluster-scoped permissions cannot apply",
                     Severity::kInfo);
  r.info.description =
      "A RoleBinding grants its ClusterRole only inside its namespace: rules about "
      "cluster-scoped resources (nodes, persistentvolumes, clusterroles, ...) and non-resource "
      "URLs grant nothing through it. The author probably expected them to, and something "
      "relying on them will fail.";
  r.info.remediation =
      "Use a ClusterRoleBinding if cluster-wide access is intended (and justified), or remove "
      "the cluster-scoped rules from the role.";
  r.info.controls = {"nsa:rbac"};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const rbac::Model> shared_model = RbacModel(*ctx.inventory);
    const rbac::Model& model = *shared_model;
    for (const rbac::Binding& b : model.bindings()) {
      if (b.cluster || b.role_kind != "ClusterRole" || IsBootstrap(*b.resource)) continue;
      if (b.status != rbac::RoleRefStatus::kResolved || b.role->builtin() ||
          IsBootstrap(*b.role->resource())) {
        continue;
      }
      Finding f = BindingFinding(b);
      std::vector<std::string> ineffective;
      for (const rbac::PolicyRule* rule : b.role->rules()) {
        std::string what;
        for (const Node& res : Items(rule->resources)) {
          auto name = res.GetString();
          if (!name) continue;
          std::string_view base = name->substr(0, name->find('/'));
          bool cluster_scoped = false;
          for (const Node& g : Items(rule->api_groups)) {
            auto group = g.GetString();
            if (group && rbac::IsClusterScopedResource(*group, base)) cluster_scoped = true;
          }
          if (cluster_scoped) what += (what.empty() ? "" : ", ") + std::string(*name);
        }
        if (!what.empty()) ineffective.push_back(what + " (" + RuleSource(*rule) + ")");
        if (Items(rule->non_resource_urls).size() > 0) {
          ineffective.push_back("non-resource URLs (" + RuleSource(*rule) + ")");
        }
      }
      if (!ineffective.empty()) {
        f.status = FindingStatus::kFail;
        std::string list;
        for (const std::string& s : ineffective) list += (list.empty() ? "" : "; ") + s;
        std::string pointer;
        const Node& ref = RoleRefNode(b, pointer);
        f.AddEvidence(engine::BadValue(
            ref, pointer, "a ClusterRoleBinding, or a role without cluster-scoped rules",
            "ineffective through a RoleBinding: " + list));
        f.SetMessage("RoleBinding " + Quoted(b.resource->name) + " cannot grant the " +
                     "cluster-scoped permissions of " + b.role->DisplayName());
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

// --- RBAC-022: what a workload's service account token can do ----------------

struct NamedCapability {
  const Capability* cap;
  std::string_view label;
};

constexpr size_t kAdminBit = 0;  // bit 0: cluster-admin equivalent; then kWorkloadCaps

const NamedCapability kWorkloadCaps[] = {
    {&kCapSecrets, "read secrets"},
    {&kCapWorkloads, "create pods or workloads"},
    {&kCapExec, "exec into pods"},
    {&kCapEscalateBind, "escalate or bind roles"},
    {&kCapImpersonate, "impersonate"},
    {&kCapNodeProxy, "proxy to kubelets"},
    {&kCapToken, "mint service account tokens"},
    {&kCapCsr, "approve CSRs"},
    {&kCapWebhooks, "change admission webhooks"},
    {&kCapPv, "create persistent volumes"},
};

uint32_t CapabilityMask(const rbac::Role& role, bool namespaced, int minor) {
  uint32_t mask = 0;
  for (const rbac::PolicyRule* rule : role.rules()) {
    if (rbac::IsFullWildcard(*rule)) mask |= 1u << kAdminBit;
    for (size_t i = 0; i < std::size(kWorkloadCaps); ++i) {
      if ((mask & (1u << (i + 1))) == 0 &&
          MatchingProbes(*rule, *kWorkloadCaps[i].cap, namespaced, minor)) {
        mask |= 1u << (i + 1);
      }
    }
  }
  return mask;
}

std::string MaskPhrase(uint32_t mask) {
  if (mask & (1u << kAdminBit)) return "do everything";
  std::string out;
  for (size_t i = 0; i < std::size(kWorkloadCaps); ++i) {
    if (mask & (1u << (i + 1)))
      out += (out.empty() ? "" : ", ") + std::string(kWorkloadCaps[i].label);
  }
  return out;
}

// Whether the pod gets a service account token: automountServiceAccountToken on
// the pod, else on the ServiceAccount (`account_automount`: ns/name -> value,
// for accounts that set it), else yes; a projected token volume mounts one regardless.
bool MountsToken(const core::PodSpecView& pod,
                 const std::unordered_map<std::string, bool>& account_automount,
                 const std::string& account_key) {
  for (const Node& vol : Items(pod.spec->Get("volumes"))) {
    for (const Node& src : Items(vol.Find({"projected", "sources"}))) {
      if (src.Get("serviceAccountToken") != nullptr) return true;
    }
  }
  if (const Node* a = pod.spec->Get("automountServiceAccountToken")) {
    if (auto b = a->GetBool()) return *b;
  }
  auto it = account_automount.find(account_key);
  return it == account_automount.end() || it->second;
}

void RegisterWorkloadRule(engine::RuleRegistry& registry) {
  Rule r = ModelRule("RBAC-022", "workload-token-is-privileged",
                     "Workload runs with a service account token that holds dangerous "
                     "permissions",
                     Severity::kMedium);
  r.info.description =
      "Every container of a pod can read its service account token. When the account (or a "
      "group it belongs to) is bound to roles that read Secrets, create pods, exec, escalate "
      "or impersonate, a single compromised container inherits all of that.";
  r.info.remediation =
      "Give the workload its own service account with only the permissions it uses; set "
      "automountServiceAccountToken: false where it does not call the API at all.";
  r.info.controls = {"cis:5.1.6", "nsa:service-account-tokens", "nsa:rbac", "mitre:T1528",
                     "mitre:T1552.007"};
  r.info.equivalents = {{"kubescape", "C-0053"}, {"kubescape", "C-0267"}, {"kubescape", "C-0272"}};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    const core::Inventory& inv = *ctx.inventory;
    if (inv.pod_specs().empty()) return;
    std::shared_ptr<const rbac::Model> shared_model = RbacModel(inv);
    const rbac::Model& model = *shared_model;
    // Who holds what, computed once per binding.
    struct Held {
      const rbac::Binding* binding;
      uint32_t mask;
    };
    std::unordered_map<const rbac::Role*, uint32_t> cluster_masks, namespaced_masks;
    std::unordered_map<std::string, std::vector<Held>> by_account, by_group;
    for (const rbac::Binding& b : model.bindings()) {
      if (b.status != rbac::RoleRefStatus::kResolved) continue;
      auto& cache = b.cluster ? cluster_masks : namespaced_masks;
      auto it = cache.find(b.role);
      if (it == cache.end())
        it = cache.emplace(b.role, CapabilityMask(*b.role, !b.cluster, ctx.k8s_minor)).first;
      if (it->second == 0) continue;
      for (const rbac::Subject& s : b.subjects) {
        if (s.kind == "ServiceAccount" && !s.namespace_.empty()) {
          by_account[std::string(s.namespace_) + "/" + std::string(s.name)].push_back(
              {&b, it->second});
        } else if (s.kind == "Group") {
          by_group[std::string(s.name)].push_back({&b, it->second});
        }
      }
    }
    if (by_account.empty() && by_group.empty()) {
      // Nothing dangerous is bound to any service account: every workload passes.
      for (const core::PodSpecView& pod : inv.pod_specs()) {
        if (pod.resource->kind == "PodTemplate") continue;
        Finding f;
        f.resource = pod.resource;
        f.status = FindingStatus::kPass;
        out.push_back(std::move(f));
      }
      return;
    }
    std::unordered_map<std::string, bool> account_automount;
    for (const Resource* account : inv.ByKind("ServiceAccount")) {
      const Node* a = account->root->Get("automountServiceAccountToken");
      if (auto b = a ? a->GetBool() : std::nullopt) {
        account_automount[std::string(account->effective_namespace()) + "/" + account->name] = *b;
      }
    }
    for (const core::PodSpecView& pod : inv.pod_specs()) {
      const Resource& res = *pod.resource;
      if (res.kind == "PodTemplate") continue;
      Finding f;
      f.resource = &res;
      f.status = FindingStatus::kPass;
      std::string_view ns = res.effective_namespace();
      const Node* sa_node = pod.spec->Get("serviceAccountName");
      if (sa_node == nullptr || !sa_node->IsString() || sa_node->string_value().empty()) {
        const Node* legacy = pod.spec->Get("serviceAccount");
        sa_node = legacy != nullptr && legacy->IsString() && !legacy->string_value().empty()
                      ? legacy
                      : nullptr;
      }
      std::string_view sa = sa_node ? sa_node->string_value() : "default";
      std::string account_key = std::string(ns) + "/" + std::string(sa);
      {
        uint32_t mask = 0;
        std::string via;
        auto take = [&](const std::vector<Held>* held) {
          if (held == nullptr) return;
          for (const Held& h : *held) {
            mask |= h.mask;
            via += (via.empty() ? "" : ", ") + h.binding->resource->DisplayName();
          }
        };
        auto find = [](auto& map, const std::string& key) -> const std::vector<Held>* {
          auto it = map.find(key);
          return it == map.end() ? nullptr : &it->second;
        };
        take(find(by_account, account_key));
        take(find(by_group, "system:serviceaccounts"));
        take(find(by_group, "system:serviceaccounts:" + std::string(ns)));
        take(find(by_group, "system:authenticated"));
        if (mask != 0 && MountsToken(pod, account_automount, account_key)) {
          f.status = FindingStatus::kFail;
          std::string account =
              "service account " + Quoted(std::string(ns) + "/" + std::string(sa));
          std::string what = account + ", which can " + MaskPhrase(mask) + " (through " + via + ")";
          std::string pointer = pod.spec_pointer + "/serviceAccountName";
          f.AddEvidence(
              sa_node != nullptr
                  ? engine::BadValue(*sa_node,
                                     sa_node == pod.spec->Get("serviceAccountName")
                                         ? pointer
                                         : pod.spec_pointer + "/serviceAccount",
                                     "a service account with only the permissions it uses", what)
                  : engine::MissingField(*pod.spec, pointer,
                                         "a dedicated service account, or "
                                         "automountServiceAccountToken: false",
                                         "no serviceAccountName: the pod runs as the " + what));
          f.SetMessage(res.kind + " " + Quoted(res.name) + " mounts the token of " + account +
                       ", which can " + MaskPhrase(mask));
        }
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

// --- RBAC-023: objects the API server would reject ----------------------------

// "a string", "an integer", "an object".
std::string WithArticle(std::string_view type_name) {
  bool vowel =
      !type_name.empty() && std::string_view("aeiou").find(type_name[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(type_name);
}

void CheckStringList(const Node& parent, std::string_view key, const std::string& base,
                     Verdict& v) {
  const Node* list = parent.Get(key);
  if (list == nullptr || list->IsNull()) return;
  std::string pointer = base + "/" + std::string(key);
  if (!list->IsSequence()) {
    v.Fail(engine::BadValue(*list, pointer, "a list of strings",
                            std::string(key) + " is " +
                                WithArticle(core::NodeTypeName(list->type())) + ", not a list"));
    return;
  }
  uint32_t i = 0;
  for (const Node& item : list->items()) {
    uint32_t pos = i++;
    if (item.IsString()) continue;
    v.Fail(engine::BadValue(item, pointer + "/" + std::to_string(pos), "a string",
                            std::string(key) + " item is " +
                                WithArticle(core::NodeTypeName(item.type())) + ", not a string"));
  }
}

size_t ListSize(const Node& parent, std::string_view key) {
  const Node* list = parent.Get(key);
  return list != nullptr && list->IsSequence() ? list->size() : 0;
}

// Absent, null or an empty list: "required" applies (a wrong type is reported already).
bool Unset(const Node& parent, std::string_view key) {
  const Node* list = parent.Get(key);
  return list == nullptr || list->IsNull() || (list->IsSequence() && list->size() == 0);
}

void CheckRoleShape(const Resource& res, Verdict& v) {
  const Node* rules = res.root->Get("rules");
  if (rules == nullptr || rules->IsNull()) return;
  if (!rules->IsSequence()) {
    v.Fail(engine::BadValue(*rules, "/rules", "a list of rules", "rules is not a list"));
    return;
  }
  bool namespaced = res.kind == "Role";
  uint32_t index = 0;
  for (const Node& rule : rules->items()) {
    std::string base = "/rules/" + std::to_string(index++);
    if (!rule.IsMapping()) {
      v.Fail(engine::BadValue(rule, base, "an object", "rule is not an object"));
      continue;
    }
    for (std::string_view key :
         {"verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"}) {
      CheckStringList(rule, key, base, v);
    }
    if (Unset(rule, "verbs")) {
      v.Fail(engine::MissingField(rule.Get("verbs") ? *rule.Get("verbs") : rule, base + "/verbs",
                                  "at least one verb", "verbs must contain at least one value"));
    }
    if (ListSize(rule, "nonResourceURLs") > 0) {
      const Node& urls = *rule.Get("nonResourceURLs");
      if (namespaced) {
        v.Fail(engine::BadValue(urls, base + "/nonResourceURLs", "no nonResourceURLs in a Role",
                                "namespaced rules cannot apply to non-resource URLs"));
      }
      if (ListSize(rule, "apiGroups") + ListSize(rule, "resources") +
              ListSize(rule, "resourceNames") >
          0) {
        v.Fail(engine::BadValue(urls, base + "/nonResourceURLs",
                                "either resources or nonResourceURLs",
                                "rules cannot apply to both regular resources and non-resource "
                                "URLs"));
      }
      continue;
    }
    if (Unset(rule, "apiGroups")) {
      v.Fail(engine::MissingField(rule, base + "/apiGroups", "at least one API group (\"\" = core)",
                                  "resource rules must supply at least one api group"));
    }
    if (Unset(rule, "resources")) {
      v.Fail(engine::MissingField(rule, base + "/resources", "at least one resource",
                                  "resource rules must supply at least one resource"));
    }
  }
}

void CheckBindingShape(const Resource& res, Verdict& v) {
  bool cluster = res.kind == "ClusterRoleBinding";
  const Node* ref = res.root->Get("roleRef");
  if (ref == nullptr || !ref->IsMapping()) {
    v.Fail(ref == nullptr
               ? engine::MissingField(*res.root, "/roleRef", "a roleRef", "roleRef is required")
               : engine::BadValue(*ref, "/roleRef", "an object", "roleRef is not an object"));
  } else {
    const Node* kind = ref->Get("kind");
    auto k = kind ? kind->GetString() : std::nullopt;
    bool kind_ok = k && (*k == "ClusterRole" || (!cluster && *k == "Role"));
    if (!kind_ok) {
      std::string expected = cluster ? "ClusterRole" : "Role or ClusterRole";
      v.Fail(kind == nullptr
                 ? engine::MissingField(*ref, "/roleRef/kind", expected, "roleRef.kind is required")
                 : engine::BadValue(*kind, "/roleRef/kind", expected, "unsupported roleRef.kind"));
    }
    const Node* name = ref->Get("name");
    if (name == nullptr || !name->IsString() || name->string_value().empty()) {
      v.Fail(name == nullptr ? engine::MissingField(*ref, "/roleRef/name", "a role name",
                                                    "roleRef.name is required")
                             : engine::BadValue(*name, "/roleRef/name", "a role name",
                                                "roleRef.name is not a role name"));
    }
    if (const Node* group = ref->Get("apiGroup");
        group != nullptr && !group->IsNull() &&
        !(group->IsString() &&
          (group->string_value().empty() || group->string_value() == rbac::kRbacGroup))) {
      v.Fail(engine::BadValue(*group, "/roleRef/apiGroup", std::string(rbac::kRbacGroup),
                              "unsupported roleRef.apiGroup"));
    }
  }
  const Node* subjects = res.root->Get("subjects");
  if (subjects == nullptr || subjects->IsNull()) return;
  if (!subjects->IsSequence()) {
    v.Fail(
        engine::BadValue(*subjects, "/subjects", "a list of subjects", "subjects is not a list"));
    return;
  }
  uint32_t index = 0;
  for (const Node& s : subjects->items()) {
    std::string base = "/subjects/" + std::to_string(index++);
    if (!s.IsMapping()) {
      v.Fail(engine::BadValue(s, base, "an object", "subject is not an object"));
      continue;
    }
    auto str = [&](std::string_view key) -> std::optional<std::string_view> {
      const Node* n = s.Get(key);
      if (n == nullptr || n->IsNull()) return std::string_view{};
      if (!n->IsString()) {
        v.Fail(engine::BadValue(*n, base + "/" + std::string(key), "a string",
                                std::string(key) + " is not a string"));
        return std::nullopt;
      }
      return n->string_value();
    };
    auto kind = str("kind");
    auto name = str("name");
    auto ns = str("namespace");
    auto group = str("apiGroup");
    if (name && name->empty()) {
      v.Fail(engine::MissingField(s, base + "/name", "a subject name", "subject name is required"));
    }
    if (!kind) continue;
    if (*kind == "ServiceAccount") {
      if (group && !group->empty()) {
        v.Fail(engine::BadValue(*s.Get("apiGroup"), base + "/apiGroup", "\"\"",
                                "a ServiceAccount subject has the core API group"));
      }
      if (cluster && ns && ns->empty()) {
        v.Fail(engine::MissingField(s, base + "/namespace", "the service account's namespace",
                                    "a ServiceAccount in a ClusterRoleBinding needs a namespace"));
      }
    } else if (*kind == "User" || *kind == "Group") {
      if (group && !group->empty() && *group != rbac::kRbacGroup) {
        v.Fail(engine::BadValue(*s.Get("apiGroup"), base + "/apiGroup",
                                std::string(rbac::kRbacGroup),
                                "a User or Group subject has the rbac.authorization.k8s.io group"));
      }
    } else {
      const Node* k = s.Get("kind");
      v.Fail(k == nullptr ? engine::MissingField(s, base + "/kind", "User, Group or ServiceAccount",
                                                 "subject kind is required")
                          : engine::BadValue(*k, base + "/kind", "User, Group or ServiceAccount",
                                             "unsupported subject kind"));
    }
  }
}

void RegisterMalformedRule(engine::RuleRegistry& registry) {
  Rule r = ModelRule("RBAC-023", "malformed-rbac-object", "RBAC object the API server would reject",
                     Severity::kLow);
  r.kinds = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"};
  r.info.description =
      "A role or binding with values of the wrong type, a rule without verbs or API groups, "
      "non-resource URLs in a Role, or an unsupported roleRef or subject is rejected by the "
      "API server: the permissions it was meant to grant (or limit) are not what the manifest "
      "says, and kspm's other RBAC rules count such parts as granting nothing.";
  r.info.remediation =
      "Fix the field as the evidence says: lists of strings for verbs, apiGroups (\"\" for the "
      "core group), resources, resourceNames and nonResourceURLs; roleRef.kind Role or "
      "ClusterRole; subjects of kind User, Group or ServiceAccount.";
  r.info.controls = {"nsa:rbac"};
  r.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsRbacObject(res)) return v.NotApplicable();
    if (res.kind == "Role" || res.kind == "ClusterRole") {
      CheckRoleShape(res, v);
    } else {
      CheckBindingShape(res, v);
    }
    if (!v.violations().empty()) {
      v.SetMessage(res.kind + " " + Quoted(res.name) + " would be rejected by the API server");
    }
  };
  registry.Add(std::move(r));
}

// --- RBAC-034: who can rewrite the configuration of cluster components -------

constexpr std::string_view kKubeSystem = "kube-system";

void RegisterKubeSystemConfigMapRule(engine::RuleRegistry& registry) {
  Rule r =
      ModelRule("RBAC-034", "binding-writes-kube-system-configmaps",
                "Binding grants write access to the ConfigMaps of kube-system", Severity::kHigh);
  r.info.description =
      "The ConfigMaps of kube-system configure the cluster itself: CoreDNS's Corefile (rewrite "
      "it and every pod's name lookups go where the writer wants), kube-proxy's settings, and "
      "on EKS aws-auth, which maps cloud identities to RBAC groups such as system:masters. "
      "Write access there, through a ClusterRoleBinding or a RoleBinding in kube-system, is a "
      "path to intercepting traffic or to cluster-admin.";
  r.info.remediation =
      "Bind roles that write ConfigMaps through RoleBindings in the namespaces that need them, "
      "not cluster-wide and not in kube-system; leave kube-system's ConfigMaps to the cluster's "
      "installer (kubeadm, the cloud provider, the platform team's GitOps).";
  r.info.controls = {"nsa:rbac", "mitre:T1098.006"};
  r.info.equivalents = {{"kubescape", "C-0037"}};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const rbac::Model> shared_model = RbacModel(*ctx.inventory);
    const rbac::Model& model = *shared_model;
    // What each role grants, described once however many bindings use it.
    std::unordered_map<const rbac::Role*, std::string> grants_of;
    for (const rbac::Binding& b : model.bindings()) {
      if (IsBootstrap(*b.resource)) continue;
      if (!b.cluster && b.namespace_ != kKubeSystem) continue;
      Finding f = BindingFinding(b);
      // Full access is RBAC-015's finding; the built-in roles are not in the input.
      if (b.status == rbac::RoleRefStatus::kResolved && !b.role->builtin()) {
        auto [it, added] = grants_of.try_emplace(b.role);
        std::string& grants = it->second;
        if (added && FullWildcardRule(*b.role) == nullptr) {
          for (const rbac::PolicyRule* rule : b.role->rules()) {
            uint64_t mask = MatchingProbes(*rule, kCapKubeSystemConfigMaps, false, ctx.k8s_minor);
            if (mask == 0) continue;
            grants += (grants.empty() ? "" : "; ") + RuleSource(*rule) + " allows " +
                      DescribeProbes(kCapKubeSystemConfigMaps, mask);
          }
        }
        if (grants.empty()) {
          out.push_back(std::move(f));
          continue;
        }
        std::string who;
        for (const rbac::Subject& s : b.subjects) {
          if (IsSystemSubject(s)) continue;
          who += (who.empty() ? "" : ", ") + SubjectPhrase(s);
        }
        if (!who.empty()) {
          f.status = FindingStatus::kFail;
          std::string pointer;
          const Node& ref = RoleRefNode(b, pointer);
          std::string scope =
              b.cluster ? "in every namespace, kube-system included" : "in namespace kube-system";
          f.AddEvidence(engine::BadValue(ref, pointer,
                                         "a role without write access to ConfigMaps in kube-system",
                                         grants + ", " + scope));
          f.SetMessage(b.resource->kind + " " + Quoted(b.resource->name) + " lets " + who +
                       " write the ConfigMaps of kube-system through " + b.role->DisplayName());
        }
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

void RegisterCapabilityRules(engine::RuleRegistry& registry,
                             std::vector<CapabilityRuleSpec> specs) {
  for (CapabilityRuleSpec& spec : specs) {
    Rule r = RoleRule(spec.id, spec.slug, spec.title, spec.severity);
    r.info.description = spec.description;
    r.info.remediation = spec.remediation;
    r.info.controls = std::move(spec.controls);
    r.info.equivalents = std::move(spec.equivalents);
    r.min_k8s_minor = spec.min_k8s_minor;
    const Capability* cap = spec.capability;
    std::string expected = spec.expected;
    r.check = [cap, expected](const Resource& res, const RuleContext& ctx, Verdict& v) {
      CheckCapability(*cap, expected, res, ctx.k8s_minor, v);
    };
    registry.Add(std::move(r));
  }
}

}  // namespace

void RegisterRbacRules(engine::RuleRegistry& registry) {
  RegisterWildcardRules(registry);
  RegisterCapabilityRules(registry, CapabilitySpecs());
  RegisterAggregationRule(registry);
  RegisterClusterAdminRule(registry);
  RegisterSubjectRules(registry);
  RegisterMissingRoleRule(registry);
  RegisterIneffectiveRule(registry);
  RegisterWorkloadRule(registry);
  RegisterMalformedRule(registry);
  RegisterCapabilityRules(registry, MoreCapabilitySpecs());  // RBAC-024 … RBAC-033
  RegisterKubeSystemConfigMapRule(registry);                 // RBAC-034
}

}  // namespace kspm::rules

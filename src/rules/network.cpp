// Network: NetworkPolicy coverage with Kubernetes' selector semantics, what the
// policies allow, and how workloads are exposed outside the cluster
// (NET-001 … NET-025). The semantics live in engine/network_model.h; rules
// that need selection or exposure are inventory rules that build the model
// once per evaluation, the others read one object.
#include <algorithm>
#include <cctype>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/network_model.h"
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
namespace net = engine::network;

constexpr const char* kPolicyDocs =
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/";
constexpr const char* kPolicyApi =
    "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/";
constexpr const char* kServiceDocs =
    "https://kubernetes.io/docs/concepts/services-networking/service/";
constexpr const char* kIngressDocs =
    "https://kubernetes.io/docs/concepts/services-networking/ingress/";

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// `Kind "name"` for messages (the namespace is in the finding's resource).
std::string Subject(const Resource& r) { return r.kind + " " + Quoted(r.name); }

std::string Count(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

Rule NetworkRule(std::string id, std::string slug, std::string title, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.title = std::move(title);
  r.info.severity = severity;
  r.info.category = "network";
  return r;
}

Finding MakeFinding(const Resource* resource) {
  Finding f;
  f.resource = resource;
  f.status = FindingStatus::kPass;
  return f;
}

void FailFinding(Finding& f, std::string message, Evidence e) {
  f.status = FindingStatus::kFail;
  f.SetMessage(std::move(message));
  f.AddEvidence(std::move(e));
}

// What each rule needs of the model: building only that keeps the inventory
// rules cheap on large inputs (bench/network_bench.cpp measures them).
constexpr net::BuildOptions kNamespacesOnly{
    .select = false, .expose = false, .count_custom_resources = false, .all_services = false};
constexpr net::BuildOptions kSelection{
    .select = true, .expose = false, .count_custom_resources = false, .all_services = false};
constexpr net::BuildOptions kSelectionWithOperators{
    .select = true, .expose = false, .count_custom_resources = true, .all_services = false};
constexpr net::BuildOptions kExposure{
    .select = false, .expose = true, .count_custom_resources = false, .all_services = false};

// The network model a rule needs, shared through the inventory's view cache:
// several inventory rules ask for the same one (NET-001..003, NET-004/023,
// NET-008/009), and each build walks every workload and policy.
std::shared_ptr<const net::Model> NetModel(const RuleContext& ctx, net::BuildOptions options) {
  std::string key = "network-model/1." + std::to_string(ctx.k8s_minor) + "/" +
                    std::to_string(options.select) + std::to_string(options.expose) +
                    std::to_string(options.count_custom_resources) +
                    std::to_string(options.all_services);
  return ctx.inventory->View<net::Model>(
      key, [&] { return net::Model::Build(*ctx.inventory, ctx.k8s_minor, options); });
}

// A workload is reported through its controller when the input has both
// (a ReplicaSet of a Deployment, a Pod of a ReplicaSet).
bool Reportable(const net::Workload& w) { return w.controller == nullptr; }

// Where a namespace-level finding goes: the Namespace object when the input
// has it, else the namespace's first reportable workload.
const Resource* NamespaceTarget(const net::Model& m, const net::Namespace& ns) {
  if (ns.workloads.empty()) return nullptr;
  if (ns.object != nullptr) return ns.object;
  for (uint32_t w : ns.workloads) {
    if (Reportable(m.workloads()[w])) return m.workloads()[w].resource;
  }
  return m.workloads()[ns.workloads.front()].resource;
}

Evidence NamespaceEvidence(const Resource& target, std::string expected, std::string message) {
  Evidence e;
  e.reason = engine::EvidenceReason::kMissing;
  e.pointer = "";
  e.expected = std::move(expected);
  e.position = target.position();
  e.message = std::move(message);
  return e;
}

// Policies of other APIs (Calico, Cilium, AdminNetworkPolicy) may isolate
// pods in ways the model does not evaluate: no conclusion about isolation.
bool IsolationUnknown(const net::Model& m, const net::Namespace& ns) {
  return ns.cni_policies > 0 || m.cluster_policies() > 0;
}

size_t ValidPolicies(const net::Model& m, const net::Namespace& ns) {
  return static_cast<size_t>(std::count_if(ns.policies.begin(), ns.policies.end(),
                                           [&](uint32_t p) { return m.policies()[p].valid(); }));
}

// --- Namespace coverage -------------------------------------------------------

void RegisterNamespaceRules(engine::RuleRegistry& registry) {
  Rule any = NetworkRule("NET-001", "namespace-without-network-policy",
                         "Namespace with workloads but no NetworkPolicy", Severity::kMedium);
  any.info.description =
      "Kubernetes lets every pod talk to every other pod, and accept traffic from outside, until "
      "a NetworkPolicy selects it. A namespace without any policy gives an attacker who lands in "
      "one container a flat network to scan and reach every service of the cluster.";
  any.info.remediation =
      "Add NetworkPolicies to the namespace: start with a default deny for ingress and egress "
      "(podSelector: {} with both policyTypes) and add policies that allow only the traffic each "
      "workload needs.";
  any.info.controls = {"cis:5.3.2", "nsa:network-policies", "mitre:T1046"};
  any.info.references = {kPolicyDocs};
  any.info.equivalents = {
      {"kubescape", "C-0206"}, {"kubescape", "C-0054"}, {"kubescape", "C-0049"}};
  any.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const net::Model> model = NetModel(ctx, kNamespacesOnly);
    const net::Model& m = *model;
    for (const net::Namespace& ns : m.namespaces()) {
      const Resource* target = NamespaceTarget(m, ns);
      if (target == nullptr) continue;
      Finding f = MakeFinding(target);
      size_t valid = ValidPolicies(m, ns);
      if (valid == 0 && ns.cni_policies == 0) {
        std::string why = ns.policies.empty() ? "no NetworkPolicy"
                                              : "no valid NetworkPolicy (" +
                                                    Count(ns.policies.size(), "is", "are") +
                                                    " rejected by the API server, see NET-007)";
        FailFinding(
            f,
            "namespace " + Quoted(ns.name) + " has " +
                Count(ns.workloads.size(), "workload", "workloads") + " and " + why +
                ": its pods accept connections from anywhere",
            NamespaceEvidence(*target, "a NetworkPolicy in namespace " + std::string(ns.name),
                              "no NetworkPolicy object in this namespace among the "
                              "scanned manifests"));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(any));

  struct DenySpec {
    const char* id;
    const char* slug;
    const char* title;
    Severity severity;
    bool ingress;
    const char* description;
    const char* remediation;
  };
  const DenySpec specs[] = {
      {"NET-002", "namespace-without-default-deny-ingress",
       "Namespace without a default-deny ingress NetworkPolicy", Severity::kMedium, true,
       "Policies that select pods one by one leave every other pod, and every pod added later, "
       "open to any connection. A policy that selects the whole namespace for ingress makes "
       "denial the default, so a forgotten or new workload is closed rather than open.",
       "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] and no ingress rules "
       "(or only rules for traffic every pod needs), then allow each workload's real sources in "
       "its own policies."},
      {"NET-003", "namespace-without-default-deny-egress",
       "Namespace without a default-deny egress NetworkPolicy", Severity::kLow, false,
       "Without egress isolation a compromised pod can reach any service of the cluster, the "
       "cloud metadata endpoint and the internet, to move laterally, steal credentials or "
       "exfiltrate data. A policy selecting the whole namespace for egress makes outbound "
       "traffic opt-in.",
       "Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress] whose only rule allows "
       "DNS to kube-dns, then allow each workload's real destinations in its own policies."},
  };
  for (const DenySpec& spec : specs) {
    Rule r = NetworkRule(spec.id, spec.slug, spec.title, spec.severity);
    r.info.description = spec.description;
    r.info.remediation = spec.remediation;
    r.info.controls = {"nsa:network-policies"};
    if (spec.ingress) r.info.controls.push_back("mitre:T1046");
    r.info.references = {std::string(kPolicyDocs) + "#default-policies"};
    bool ingress = spec.ingress;
    r.inventory_check = [ingress](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
      std::shared_ptr<const net::Model> model = NetModel(ctx, kNamespacesOnly);
      const net::Model& m = *model;
      std::string_view direction = ingress ? "ingress" : "egress";
      for (const net::Namespace& ns : m.namespaces()) {
        const Resource* target = NamespaceTarget(m, ns);
        if (target == nullptr || IsolationUnknown(m, ns)) continue;
        bool deny = std::any_of(ns.policies.begin(), ns.policies.end(), [&](uint32_t p) {
          const net::Policy& policy = m.policies()[p];
          if (!policy.SelectsWholeNamespace() || !(ingress ? policy.ingress : policy.egress)) {
            return false;
          }
          const auto& rules = ingress ? policy.ingress_rules : policy.egress_rules;
          return std::none_of(rules.begin(), rules.end(), [](const net::TrafficRule& rule) {
            return rule.any_peer && rule.any_port;
          });
        });
        Finding f = MakeFinding(target);
        if (!deny) {
          FailFinding(
              f,
              "no NetworkPolicy of namespace " + Quoted(ns.name) + " isolates all its pods for " +
                  std::string(direction) + ": pods no policy selects allow any " +
                  std::string(direction),
              NamespaceEvidence(*target,
                                "a NetworkPolicy with podSelector {} and policyTypes [" +
                                    std::string(ingress ? "Ingress" : "Egress") +
                                    "] that does not allow everything",
                                "no default-deny " + std::string(direction) +
                                    " policy in this namespace among the scanned manifests"));
        }
        out.push_back(std::move(f));
      }
    };
    registry.Add(std::move(r));
  }
}

// --- Workload isolation ---------------------------------------------------------

// The pod labels of a workload as evidence anchor: the labels node, else the
// nearest existing ancestor.
const Node& LabelsOrAncestor(const net::Workload& w) {
  const core::PodSpecView& pod = *w.pod;
  if (pod.metadata != nullptr) {
    const Node* labels = pod.metadata->Get("labels");
    return labels != nullptr ? *labels : *pod.metadata;
  }
  return *pod.spec;
}

enum class Direction { kIngress, kEgress };

// NET-004 and NET-023: every workload that a namespace's policies could
// isolate, failing when no policy of that direction selects it.
engine::InventoryCheck IsolationCheck(Direction direction) {
  return [direction](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    bool ingress = direction == Direction::kIngress;
    std::string_view type = ingress ? "Ingress" : "Egress";
    std::shared_ptr<const net::Model> model = NetModel(ctx, kSelection);
    const net::Model& m = *model;
    for (const net::Workload& w : m.workloads()) {
      // Policies do not isolate host-network pods (NET-009, PSS-001 report them).
      if (!Reportable(w) || w.host_network()) continue;
      const net::Namespace& ns = m.namespaces()[w.namespace_index];
      if (IsolationUnknown(m, ns)) continue;
      Finding f = MakeFinding(w.resource);
      const auto& selecting = ingress ? w.ingress_policies : w.egress_policies;
      const auto& other = ingress ? w.egress_policies : w.ingress_policies;
      if (selecting.empty()) {
        std::string labels = w.labels().ToString();
        std::string also = other.empty() ? ""
                           : ingress     ? " (only egress policies select it)"
                                         : " (only ingress policies select it)";
        std::string reach = ingress ? ": any pod or address can connect to it"
                                    : ": it can connect to any pod or address";
        // NET-004's wording predates NET-023's; both are kept as released.
        std::string which = ingress ? "" : " with policyType Egress";
        FailFinding(f,
                    Subject(*w.resource) + " is selected by no NetworkPolicy with policyType " +
                        std::string(type) + also + reach,
                    engine::MissingField(
                        LabelsOrAncestor(w), w.pod->metadata_pointer + "/labels",
                        "a NetworkPolicy with policyType " + std::string(type) +
                            " whose podSelector matches the pod labels",
                        labels.empty() ? "the pod has no labels, so only a namespace-wide "
                                         "policy (podSelector: {}) can select it"
                                       : "no policy in namespace " + std::string(w.namespace_) +
                                             which + " selects pods with labels " + labels));
      }
      out.push_back(std::move(f));
    }
  };
}

void RegisterIsolationRule(engine::RuleRegistry& registry) {
  Rule r = NetworkRule("NET-004", "workload-not-isolated-for-ingress",
                       "Workload selected by no ingress NetworkPolicy", Severity::kMedium);
  r.info.description =
      "A pod that no NetworkPolicy with policyType Ingress selects accepts connections from "
      "every pod of the cluster and from outside it, whatever policies its neighbours have. One "
      "compromised workload anywhere can then reach it directly.";
  r.info.remediation =
      "Cover the workload with a NetworkPolicy whose podSelector matches its pod labels and "
      "whose policyTypes include Ingress (a namespace-wide default deny does this for every "
      "pod), then allow only the sources it needs.";
  r.info.controls = {"nsa:network-policies", "mitre:T1046"};
  r.info.references = {kPolicyDocs, kPolicyApi};
  r.info.equivalents = {{"kubescape", "C-0260"},
                        {"kube-score", "pod-networkpolicy"},
                        {"polaris", "missingNetworkPolicy"}};
  r.inventory_check = IsolationCheck(Direction::kIngress);
  registry.Add(std::move(r));
}

void RegisterEgressIsolationRule(engine::RuleRegistry& registry) {
  Rule r = NetworkRule("NET-023", "workload-not-isolated-for-egress",
                       "Workload selected by no egress NetworkPolicy", Severity::kLow);
  r.info.description =
      "A pod that no NetworkPolicy with policyType Egress selects may open connections to every "
      "pod of the cluster, the cloud metadata service and the internet. If it is compromised, "
      "nothing stops it from moving laterally, fetching tools or sending data out.";
  r.info.remediation =
      "Cover the workload with a NetworkPolicy whose podSelector matches its pod labels and "
      "whose policyTypes include Egress (a namespace-wide default deny for egress does this for "
      "every pod), then allow DNS and only the destinations it needs.";
  r.info.controls = {"nsa:network-policies"};
  r.info.references = {kPolicyDocs, kPolicyApi};
  // kubescape's C-0030 fails a workload that lacks either direction; NET-004
  // reports the ingress half.
  r.info.equivalents = {{"kubescape", "C-0030"}};
  r.inventory_check = IsolationCheck(Direction::kEgress);
  registry.Add(std::move(r));
}

// --- What policies allow --------------------------------------------------------

// Ports that reach only DNS, or only named ports (which resolve on pods, never
// on addresses outside the cluster).
bool OnlyDnsOrNamedPorts(const net::TrafficRule& rule) {
  if (rule.any_port) return false;
  return std::all_of(rule.ports.begin(), rule.ports.end(), [](const net::PolicyPort& p) {
    if (!p.port_name.empty()) return true;
    return p.port == 53 && (p.end_port == 0 || p.end_port == 53) && p.protocol != "SCTP";
  });
}

std::string Percent(double share) {
  int pct = static_cast<int>(share * 100.0 + 0.5);
  return std::to_string(pct) + "%";
}

void CheckOpenRules(const Resource& res, Verdict& v, bool ingress) {
  if (!net::IsKubernetesNetworkPolicy(res)) return v.NotApplicable();
  net::Policy p = net::ParsePolicy(res);
  if (!(ingress ? p.ingress : p.egress)) return v.NotApplicable();
  const auto& rules = ingress ? p.ingress_rules : p.egress_rules;
  std::string_view peers_field = ingress ? "from" : "to";
  std::string_view who = ingress ? "source" : "destination";
  for (const net::TrafficRule& rule : rules) {
    // A rule that is not an object is malformed (NET-007), not open.
    if (!rule.node->IsMapping() && !rule.node->IsNull()) continue;
    if (!ingress && OnlyDnsOrNamedPorts(rule)) continue;
    std::string ports = rule.PortsToString();
    if (rule.any_peer) {
      const Node* field = rule.node->IsMapping() ? rule.node->Get(peers_field) : nullptr;
      std::string pointer = rule.Pointer() + "/" + std::string(peers_field);
      std::string expected = ingress ? "sources limited by podSelector, namespaceSelector or a "
                                       "narrow ipBlock"
                                     : "destinations limited by podSelector, namespaceSelector "
                                       "or a narrow ipBlock";
      std::string message = "the rule admits every " + std::string(who) +
                            ", inside or outside the cluster, on " + ports;
      v.Fail(field != nullptr ? engine::BadValue(*field, pointer, expected, message)
                              : engine::MissingField(*rule.node, pointer, expected, message));
      continue;
    }
    for (const net::Peer& peer : rule.peers) {
      if (!peer.ip_block || !peer.ip_block->AdmitsInternet()) continue;
      const Node* cidr = peer.node->Find({"ipBlock", "cidr"});
      v.Fail(engine::BadValue(*cidr,
                              rule.Pointer() + "/" + std::string(peers_field) + "/" +
                                  std::to_string(peer.index) + "/ipBlock/cidr",
                              "a CIDR covering only the addresses that need access",
                              "ipBlock " + std::string(peer.ip_block->cidr_text) + " admits " +
                                  Percent(peer.ip_block->PublicShare()) +
                                  " of the public internet on " + ports));
    }
  }
  if (!v.violations().empty()) {
    v.SetMessage(Subject(res) +
                 (ingress ? " allows ingress from anywhere" : " allows egress to the internet"));
  }
}

void RegisterPolicyContentRules(engine::RuleRegistry& registry) {
  Rule in = NetworkRule("NET-005", "network-policy-any-source",
                        "NetworkPolicy allows ingress from any address", Severity::kMedium);
  in.info.description =
      "An ingress rule without `from`, or with an ipBlock such as 0.0.0.0/0, admits every pod of "
      "the cluster and every address on the internet. It undoes the isolation the policy was "
      "written for, often by accident when `from` was meant to list sources.";
  in.info.remediation =
      "List the sources in `from`: podSelector and namespaceSelector for cluster workloads "
      "(for example the ingress controller's namespace), ipBlock only for the external ranges "
      "that really need access.";
  in.info.controls = {"nsa:network-policies", "mitre:T1190"};
  in.info.references = {kPolicyDocs, kPolicyApi};
  in.kinds = {"NetworkPolicy"};
  in.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    CheckOpenRules(res, v, true);
  };
  registry.Add(std::move(in));

  Rule eg = NetworkRule("NET-006", "network-policy-any-destination",
                        "NetworkPolicy allows egress to any address", Severity::kLow);
  eg.info.description =
      "An egress rule without `to`, or with an ipBlock such as 0.0.0.0/0, lets the selected "
      "pods open connections to any address: the path for exfiltration, command and control, "
      "and the cloud metadata service. Rules limited to DNS (port 53) or to named ports are not "
      "reported.";
  eg.info.remediation =
      "Replace the open rule with destinations: podSelector and namespaceSelector for cluster "
      "services, ipBlock with the specific external ranges the workload calls (excluding "
      "169.254.169.254/32), or route outbound traffic through an egress proxy.";
  eg.info.controls = {"nsa:network-policies"};
  eg.info.references = {kPolicyDocs, kPolicyApi};
  eg.kinds = {"NetworkPolicy"};
  eg.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    CheckOpenRules(res, v, false);
  };
  registry.Add(std::move(eg));

  Rule invalid = NetworkRule("NET-007", "invalid-network-policy",
                             "NetworkPolicy the API server rejects", Severity::kMedium);
  invalid.info.description =
      "The API server refuses a NetworkPolicy with an empty peer, an ipBlock next to a selector, "
      "a malformed CIDR, an except outside its CIDR, a port such as \"80\" in quotes, an unknown "
      "policy type or a malformed selector. The isolation it was written to provide then never "
      "exists, while the manifest suggests it does.";
  invalid.info.remediation =
      "Fix the fields named in the evidence; `kubectl apply --dry-run=server -f FILE` shows the "
      "API server's own error.";
  invalid.info.controls = {"nsa:network-policies"};
  invalid.info.references = {kPolicyApi};
  invalid.kinds = {"NetworkPolicy"};
  invalid.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!net::IsKubernetesNetworkPolicy(res)) return v.NotApplicable();
    net::Policy p = net::ParsePolicy(res);
    for (const net::Problem& problem : p.problems) {
      const Node& node = problem.node != nullptr ? *problem.node : *res.root;
      v.Fail(problem.missing
                 ? engine::MissingField(node, problem.pointer, "a value the API server accepts",
                                        problem.message)
                 : engine::BadValue(node, problem.pointer, "a value the API server accepts",
                                    problem.message));
    }
    if (!p.problems.empty()) {
      v.SetMessage(Subject(res) + " would be rejected by the API server (" +
                   Count(p.problems.size(), "problem", "problems") + ")");
    }
  };
  registry.Add(std::move(invalid));
}

// --- Policies and the pods they select ------------------------------------------

void RegisterSelectionRules(engine::RuleRegistry& registry) {
  Rule none = NetworkRule("NET-008", "network-policy-selects-no-workload",
                          "NetworkPolicy selects no workload of its namespace", Severity::kLow);
  none.info.description =
      "A policy whose podSelector matches none of the workloads deployed in its namespace "
      "protects nothing: usually a label typo or a policy left behind by a rename, while the "
      "pods it was meant for stay open. Namespaces where an operator may create pods the "
      "manifests do not show (custom resources in the namespace or CustomResourceDefinitions "
      "in the input, and no Pod objects) are not evaluated.";
  none.info.remediation =
      "Make spec.podSelector match the labels of the pod template it is meant for (kubectl get "
      "pods -l 'SELECTOR' -n NAMESPACE should list them), or delete the stale policy.";
  none.info.controls = {"nsa:network-policies"};
  none.info.references = {kPolicyDocs};
  none.info.equivalents = {{"kube-score", "networkpolicy-targets-pod"}};
  none.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const net::Model> model = NetModel(ctx, kSelectionWithOperators);
    const net::Model& m = *model;
    for (uint32_t i = 0; i < m.policies().size(); ++i) {
      const net::Policy& p = m.policies()[i];
      const net::Namespace* ns = m.FindNamespace(p.namespace_);
      // Without workloads of the namespace in the input there is nothing to compare with.
      if (!p.valid() || ns == nullptr || ns->workloads.empty()) continue;
      // Operators create pods the manifests do not show (Prometheus from its
      // custom resource, Longhorn's instance managers); a cluster snapshot
      // shows them as Pod objects.
      if ((ns->custom_resources > 0 || m.has_crds()) && ns->pods == 0) continue;
      Finding f = MakeFinding(p.resource);
      if (m.SelectedBy(i).empty()) {
        const Node* selector = p.resource->root->Find({"spec", "podSelector"});
        FailFinding(
            f,
            Subject(*p.resource) + " selects none of the " +
                Count(ns->workloads.size(), "workload", "workloads") + " of namespace " +
                Quoted(ns->name),
            engine::BadValue(*selector, "/spec/podSelector",
                             "a selector matching the pod labels of a workload",
                             "podSelector " + p.pod_selector.ToString() +
                                 " matches no pod template in namespace " + std::string(ns->name)));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(none));

  Rule host = NetworkRule("NET-009", "network-policy-selects-host-network-pod",
                          "NetworkPolicy selects a pod that uses the host network", Severity::kLow);
  host.info.description =
      "A pod with hostNetwork: true shares its node's network identity; Kubernetes leaves "
      "NetworkPolicy behaviour for such pods undefined and most network plugins do not isolate "
      "them. A policy that selects one gives a false sense of protection.";
  host.info.remediation =
      "Run the workload without hostNetwork so its policies apply, or protect the port on the "
      "node itself (host firewall, cloud security groups) and do not rely on NetworkPolicy.";
  host.info.controls = {"nsa:network-policies", "nsa:host-namespaces"};
  host.info.references = {std::string(kPolicyDocs) + "#networkpolicy-and-hostnetwork-pods"};
  host.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const net::Model> model = NetModel(ctx, kSelection);
    const net::Model& m = *model;
    for (const net::Workload& w : m.workloads()) {
      if (!Reportable(w) || (w.ingress_policies.empty() && w.egress_policies.empty())) continue;
      Finding f = MakeFinding(w.resource);
      if (w.host_network()) {
        std::vector<uint32_t> all = w.ingress_policies;
        all.insert(all.end(), w.egress_policies.begin(), w.egress_policies.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        std::string names;
        for (uint32_t p : all) {
          if (!names.empty()) names += ", ";
          names += Quoted(m.policies()[p].resource->name);
        }
        const Node* hn = w.pod->spec->Get("hostNetwork");
        FailFinding(f,
                    Subject(*w.resource) + " uses the host network, so NetworkPolicy " + names +
                        " may not isolate it",
                    engine::BadValue(*hn, w.pod->spec_pointer + "/hostNetwork", "false",
                                     "policies " + names +
                                         " select this pod, but NetworkPolicy does not reliably "
                                         "apply to pods in the host network namespace"));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(host));
}

// --- Services ---------------------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Cloud annotations that make a LoadBalancer internal (a private address).
bool IsInternalLoadBalancer(const Resource& r) {
  struct Marker {
    std::string_view annotation;
    std::string_view value;  // lower case; empty = any value except "false"
  };
  static constexpr Marker kMarkers[] = {
      {"service.beta.kubernetes.io/aws-load-balancer-internal", ""},
      {"service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"},
      {"networking.gke.io/load-balancer-type", "internal"},
      {"cloud.google.com/load-balancer-type", "internal"},
      {"service.beta.kubernetes.io/azure-load-balancer-internal", "true"},
      {"service.beta.kubernetes.io/oci-load-balancer-internal", "true"},
      {"service.beta.kubernetes.io/openstack-internal-load-balancer", "true"},
      {"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private"},
      {"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", "intranet"},
  };
  for (const Marker& marker : kMarkers) {
    const Node* a = r.Annotation(marker.annotation);
    auto value = a ? a->GetString() : std::nullopt;
    if (!value) continue;
    std::string v = Lower(*value);
    if (marker.value.empty() ? v != "false" : v == marker.value) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsInternetRange(std::string_view text) {
  net::IpBlock block;
  block.cidr = net::Cidr::Parse(Trim(text));
  return block.AdmitsInternet();
}

const Node* ServiceType(const Resource& res) { return res.root->Find({"spec", "type"}); }

bool IsCoreService(const Resource& res) { return res.api_version == "v1"; }

void RegisterServiceRules(engine::RuleRegistry& registry) {
  Rule lb = NetworkRule("NET-010", "load-balancer-open-to-internet",
                        "LoadBalancer Service reachable from any address", Severity::kMedium);
  lb.info.description =
      "A LoadBalancer Service gets an address from the cloud provider that, unless the Service "
      "is internal or lists loadBalancerSourceRanges, anyone on the internet can reach; "
      "scanners find new load balancers within minutes and probe what is behind them.";
  lb.info.remediation =
      "Set spec.loadBalancerSourceRanges to the client ranges that need access, mark the "
      "Service internal with your cloud's annotation when only private networks need it, or "
      "put HTTP services behind an Ingress or Gateway with authentication and TLS.";
  lb.info.controls = {"nsa:network-policies", "mitre:T1190", "mitre:T1133"};
  lb.info.references = {std::string(kServiceDocs) + "#loadbalancer",
                        "https://kubernetes.io/docs/tasks/access-application-cluster/"
                        "configure-cloud-provider-firewall/"};
  lb.info.equivalents = {{"kubescape", "C-0256"}};
  lb.kinds = {"Service"};
  lb.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* type = ServiceType(res);
    if (!IsCoreService(res) || type == nullptr ||
        type->GetString() != std::optional<std::string_view>("LoadBalancer")) {
      return v.NotApplicable();
    }
    if (IsInternalLoadBalancer(res)) return;
    const Node* spec = res.root->Get("spec");
    const Node* ranges = spec->Get("loadBalancerSourceRanges");
    constexpr std::string_view kAnnotation =
        "service.beta.kubernetes.io/load-balancer-source-ranges";
    std::string expected = "source ranges limited to the clients that need access";
    if (ranges != nullptr && ranges->IsSequence() && ranges->size() > 0) {
      uint32_t i = 0;
      for (const Node& range : ranges->items()) {
        auto text = range.GetString();
        if (text && IsInternetRange(*text)) {
          v.Fail(engine::BadValue(range, "/spec/loadBalancerSourceRanges/" + std::to_string(i),
                                  expected, "the range admits the whole internet"));
        }
        ++i;
      }
    } else if (const Node* a = res.Annotation(kAnnotation);
               a && a->IsString() && !Trim(a->string_value()).empty()) {
      std::string_view list = a->string_value();
      bool open = false;
      while (!list.empty()) {
        size_t comma = list.find(',');
        open = open || IsInternetRange(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
      if (open) {
        v.Fail(engine::BadValue(*a, "/metadata/annotations/" + engine::PointerEscape(kAnnotation),
                                expected, "the source ranges admit the whole internet"));
      }
    } else {
      v.Fail(engine::MissingField(*spec, "/spec/loadBalancerSourceRanges", expected,
                                  "no loadBalancerSourceRanges and no internal load balancer "
                                  "annotation: the cloud load balancer accepts any client"));
    }
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " exposes its ports to the internet through a load balancer");
    }
  };
  registry.Add(std::move(lb));

  Rule np =
      NetworkRule("NET-011", "service-type-nodeport", "Service of type NodePort", Severity::kLow);
  np.info.description =
      "A NodePort Service opens its port on every node of the cluster, on all of the node's "
      "addresses, bypassing the load balancer or ingress layer where access control and TLS "
      "usually live; with externalTrafficPolicy Cluster the client address is also lost.";
  np.info.remediation =
      "Use type ClusterIP behind an Ingress or Gateway, or a LoadBalancer with "
      "loadBalancerSourceRanges; if a NodePort is unavoidable, firewall the node port range "
      "to the networks that need it.";
  np.info.controls = {"mitre:T1133"};
  np.info.references = {std::string(kServiceDocs) + "#type-nodeport"};
  np.info.equivalents = {{"kube-score", "service-type"}};
  np.kinds = {"Service"};
  np.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsCoreService(res)) return v.NotApplicable();
    const Node* type = ServiceType(res);
    if (type != nullptr && type->GetString() == std::optional<std::string_view>("NodePort")) {
      v.Fail(engine::BadValue(*type, "/spec/type", "ClusterIP (behind an Ingress or Gateway)",
                              "every node listens on the Service's node ports"));
      v.SetMessage(Subject(res) + " opens a port on every node");
    }
  };
  registry.Add(std::move(np));

  Rule ext =
      NetworkRule("NET-012", "service-external-ips", "Service sets externalIPs", Severity::kHigh);
  ext.info.description =
      "kube-proxy on every node routes traffic for a Service's externalIPs to its pods, and the "
      "API server does not check who owns those addresses: anyone who can create a Service can "
      "intercept traffic meant for another IP, inside or outside the cluster (CVE-2020-8554).";
  ext.info.remediation =
      "Remove spec.externalIPs and use a LoadBalancer Service or an Ingress; enable the "
      "DenyServiceExternalIPs admission plugin on the API server, or restrict externalIPs with "
      "a policy engine to an allowed list.";
  ext.info.references = {"https://github.com/kubernetes/kubernetes/issues/97076",
                         std::string(kServiceDocs) + "#external-ips"};
  // trivy's KSV108 reports externalIPs together with externalName (NET-021).
  ext.info.equivalents = {{"trivy", "KSV108"}};
  ext.kinds = {"Service"};
  ext.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsCoreService(res)) return v.NotApplicable();
    const Node* ips = res.root->Find({"spec", "externalIPs"});
    if (ips != nullptr && ips->IsSequence() && ips->size() > 0) {
      v.Fail(engine::BadValue(*ips, "/spec/externalIPs", "no externalIPs",
                              "kube-proxy captures traffic to these addresses on every node"));
      v.SetMessage(Subject(res) + " claims external IPs (CVE-2020-8554)");
    }
  };
  registry.Add(std::move(ext));
}

// --- Ingress ----------------------------------------------------------------------

// Whether a TLS host entry covers a rule host (exact, or one-label wildcard).
bool TlsCovers(std::string_view tls_host, std::string_view host) {
  if (tls_host == host) return true;
  if (tls_host.size() < 3 || tls_host.substr(0, 2) != "*.") return false;
  size_t dot = host.find('.');
  return dot != std::string_view::npos && dot > 0 && host.substr(dot + 1) == tls_host.substr(2);
}

void RegisterIngressRules(engine::RuleRegistry& registry) {
  Rule tls = NetworkRule("NET-013", "ingress-without-tls", "Ingress serves hosts without TLS",
                         Severity::kMedium);
  tls.info.description =
      "Hosts of an Ingress that no spec.tls entry covers are served over plain HTTP: "
      "credentials, session cookies and data cross the network readable and modifiable by "
      "anyone on the path. Disabling ingress-nginx's ssl-redirect keeps plain HTTP open even "
      "when TLS is configured.";
  tls.info.remediation =
      "Add a spec.tls entry whose hosts list every rule host, with a certificate Secret (for "
      "example from cert-manager), and keep HTTP redirected to HTTPS.";
  tls.info.controls = {"nsa:encryption-in-transit"};
  tls.info.references = {std::string(kIngressDocs) + "#tls"};
  tls.info.equivalents = {{"polaris", "tlsSettingsMissing"}, {"kubescape", "C-0263"}};
  tls.kinds = {"Ingress"};
  tls.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!net::IsKubernetesIngress(res)) return v.NotApplicable();
    const Node* spec = res.root->Get("spec");
    if (spec == nullptr || !spec->IsMapping()) return v.NotApplicable();
    const Node* tls_list = spec->Get("tls");
    if (tls_list == nullptr || !tls_list->IsSequence() || tls_list->size() == 0) {
      const char* expected = "a spec.tls entry covering every host";
      if (tls_list != nullptr) {
        v.Fail(engine::BadValue(*tls_list, "/spec/tls", expected, "no TLS entry"));
      } else {
        v.Fail(engine::MissingField(*spec, "/spec/tls", expected,
                                    "no spec.tls: every host is served over plain HTTP"));
      }
      v.SetMessage(Subject(res) + " serves traffic without TLS");
      return;
    }
    bool covers_all = false;  // an entry without hosts covers the controller's default host
    std::vector<std::string_view> hosts;
    for (const Node& entry : tls_list->items()) {
      const Node* list = entry.Get("hosts");
      if (list == nullptr || !list->IsSequence() || list->size() == 0) covers_all = true;
      for (const Node& h : list ? list->items() : std::span<const Node>{}) {
        if (h.IsString()) hosts.push_back(h.string_value());
      }
    }
    const Node* rules = spec->Get("rules");
    uint32_t i = 0;
    for (const Node& rule : rules ? rules->items() : std::span<const Node>{}) {
      std::string pointer = "/spec/rules/" + std::to_string(i++);
      const Node* host = rule.Get("host");
      if (host == nullptr || !host->IsString() || host->string_value().empty()) {
        if (!covers_all) {
          v.Fail(engine::MissingField(rule, pointer + "/host", "a host listed in spec.tls",
                                      "a rule without host answers every host name, and no TLS "
                                      "entry covers it"));
        }
        continue;
      }
      std::string_view name = host->string_value();
      bool covered = covers_all || std::any_of(hosts.begin(), hosts.end(),
                                               [&](auto t) { return TlsCovers(t, name); });
      if (!covered) {
        v.Fail(engine::BadValue(*host, pointer + "/host", "a host listed in spec.tls",
                                "host " + std::string(name) + " has no TLS entry"));
      }
    }
    constexpr std::string_view kRedirect = "nginx.ingress.kubernetes.io/ssl-redirect";
    if (const Node* a = res.Annotation(kRedirect);
        a && a->GetString() && Lower(*a->GetString()) == "false") {
      const Node* force = res.Annotation("nginx.ingress.kubernetes.io/force-ssl-redirect");
      if (!(force && force->GetString() && Lower(*force->GetString()) == "true")) {
        v.Fail(engine::BadValue(*a, "/metadata/annotations/" + engine::PointerEscape(kRedirect),
                                "\"true\" (the default)",
                                "TLS is configured but plain HTTP is served without redirect"));
      }
    }
    if (!v.violations().empty()) v.SetMessage(Subject(res) + " serves hosts without TLS");
  };
  registry.Add(std::move(tls));

  Rule snippet =
      NetworkRule("NET-014", "ingress-nginx-snippet-annotations",
                  "NGINX configuration snippets in Ingress annotations", Severity::kHigh);
  snippet.info.description =
      "Snippet annotations paste raw NGINX configuration into the ingress controller, which "
      "holds a token that reads every Secret of the cluster: whoever may create an Ingress can "
      "use them to read those Secrets or run code in the controller (CVE-2021-25742). "
      "ingress-nginx's allow-snippet-annotations: \"true\" turns the feature on.";
  snippet.info.remediation =
      "Remove the *-snippet annotations and use the controller's dedicated annotations or "
      "ConfigMap settings; set allow-snippet-annotations: \"false\" in the ingress-nginx "
      "ConfigMap (the default since controller v1.9).";
  snippet.info.controls = {"mitre:T1552.007", "mitre:T1068"};
  snippet.info.references = {
      "https://github.com/kubernetes/ingress-nginx/issues/7837",
      "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/"
      "#allow-snippet-annotations"};
  snippet.info.equivalents = {{"kubescape", "C-0059"}};
  snippet.kinds = {"Ingress", "ConfigMap"};
  snippet.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (res.kind == "ConfigMap") {
      const Node* allow = res.root->Find({"data", "allow-snippet-annotations"});
      if (allow == nullptr || res.api_version != "v1") return v.NotApplicable();
      if (allow->GetString() && Lower(*allow->GetString()) == "true") {
        v.Fail(engine::BadValue(*allow, "/data/allow-snippet-annotations", "\"false\"",
                                "the ingress controller accepts snippet annotations from every "
                                "Ingress"));
        v.SetMessage(Subject(res) + " lets Ingresses inject NGINX configuration");
      }
      return;
    }
    if (!net::IsKubernetesIngress(res)) return v.NotApplicable();
    const Node* md = res.metadata();
    const Node* annotations = md ? md->Get("annotations") : nullptr;
    for (const core::Member& m :
         annotations ? annotations->members() : std::span<const core::Member>{}) {
      std::string_view key = m.key_string();
      bool nginx = key.starts_with("nginx.ingress.kubernetes.io/") && key.ends_with("-snippet");
      bool nginx_inc = key == "nginx.org/server-snippets" || key == "nginx.org/location-snippets";
      if (!nginx && !nginx_inc) continue;
      v.Fail(engine::BadValue(m.value, "/metadata/annotations/" + engine::PointerEscape(key),
                              "no snippet annotation",
                              std::string(key) + " injects raw NGINX configuration"));
    }
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " injects NGINX configuration snippets");
    }
  };
  registry.Add(std::move(snippet));
}

// --- Exposure -----------------------------------------------------------------------

std::string DescribeExposure(const net::Exposure& e) {
  std::string out = std::string(net::ExposureKindName(e.kind)) + " " + Quoted(e.via->name);
  if (e.service != e.via) out += " -> Service " + Quoted(e.service->name);
  return out;
}

// The host access of a pod, as evidence: privileged containers, host
// namespaces and hostPath volumes.
void HostAccess(const core::PodSpecView& pod, std::vector<Evidence>& out) {
  struct HostNamespace {
    std::string_view field;
    std::string_view name;
  };
  static constexpr HostNamespace kHostNamespaces[] = {
      {"hostNetwork", "network"}, {"hostPID", "PID"}, {"hostIPC", "IPC"}};
  for (const HostNamespace& h : kHostNamespaces) {
    const Node* n = pod.spec->Get(h.field);
    if (n != nullptr && n->GetBool() == true) {
      out.push_back(
          engine::BadValue(*n, pod.spec_pointer + "/" + std::string(h.field), "false",
                           "the pod shares the node's " + std::string(h.name) + " namespace"));
    }
  }
  for (const core::ContainerRef& c : pod.containers) {
    const Node* p = c.node->Find({"securityContext", "privileged"});
    if (p != nullptr && p->GetBool() == true) {
      out.push_back(engine::BadValue(*p, c.pointer + "/securityContext/privileged", "false",
                                     "container " + Quoted(c.name) + " is privileged"));
    }
  }
  const Node* volumes = pod.spec->Get("volumes");
  uint32_t i = 0;
  for (const Node& vol : volumes ? volumes->items() : std::span<const Node>{}) {
    if (const Node* hp = vol.Get("hostPath"); hp != nullptr && !hp->IsNull()) {
      const Node* path = hp->Get("path");
      out.push_back(engine::BadValue(
          *hp, pod.spec_pointer + "/volumes/" + std::to_string(i) + "/hostPath",
          "no hostPath volume",
          "mounts the node's " +
              std::string(path && path->IsString() ? path->string_value() : "filesystem")));
    }
    ++i;
  }
}

void RegisterExposureRule(engine::RuleRegistry& registry) {
  Rule r = NetworkRule("NET-015", "exposed-workload-with-host-access",
                       "Workload reachable from outside the cluster runs with host access",
                       Severity::kHigh);
  r.info.description =
      "A workload that a LoadBalancer, NodePort, externalIPs Service, Ingress or Gateway route "
      "exposes is the first thing attackers reach. If it also runs privileged, shares a host "
      "namespace or mounts a hostPath, one exploited bug in the application is a compromised "
      "node.";
  r.info.remediation =
      "Remove the host access (privileged, hostNetwork, hostPID, hostIPC, hostPath) from the "
      "exposed workload, or split the part that needs it into a separate workload that is not "
      "exposed.";
  r.info.controls = {"mitre:T1190", "mitre:T1611", "nsa:privileged-containers",
                     "nsa:host-namespaces"};
  r.info.references = {kServiceDocs, kIngressDocs,
                       "https://kubernetes.io/docs/concepts/security/pod-security-standards/"};
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::shared_ptr<const net::Model> model = NetModel(ctx, kExposure);
    const net::Model& m = *model;
    for (const net::Workload& w : m.workloads()) {
      if (!Reportable(w) || w.exposures.empty()) continue;
      Finding f = MakeFinding(w.resource);
      std::vector<Evidence> evidence;
      HostAccess(*w.pod, evidence);
      if (!evidence.empty()) {
        std::string via;
        for (const net::Exposure& e : w.exposures) {
          std::string d = DescribeExposure(e);
          if (via.find(d) != std::string::npos) continue;
          if (!via.empty()) via += ", ";
          via += d;
        }
        f.status = FindingStatus::kFail;
        f.SetMessage(Subject(*w.resource) + " is exposed through " + via +
                     " and runs with host access");
        for (Evidence& e : evidence) e.message += " (exposed through " + via + ")";
        f.SetEvidence(std::move(evidence));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(r));
}

// --- Peers that reach too far ------------------------------------------------------

// Every pod of every namespace: a namespaceSelector that selects everything,
// with no podSelector or one that selects everything too.
bool AdmitsEveryPodOfEveryNamespace(const net::Peer& peer) {
  return peer.has_namespace_selector && peer.namespace_selector.MatchesEverything() &&
         (!peer.has_pod_selector || peer.pod_selector.MatchesEverything());
}

// Link-local metadata services of the clouds (AWS, GCP, Azure, OpenStack,
// Oracle: 169.254.169.254; AWS over IPv6: fd00:ec2::254), answering plain HTTP
// on port 80. (Alibaba's 100.100.100.200 is left out: reporting it wherever
// 169.254.169.254 alone is excepted would be noise on every other cloud.)
struct MetadataAddress {
  std::string_view text;
  std::string_view cloud;
};
constexpr MetadataAddress kMetadataAddresses[] = {
    {"169.254.169.254", "the cloud instance metadata service"},
    {"fd00:ec2::254", "the AWS instance metadata service over IPv6"},
};

bool OnlyDnsPorts(const net::TrafficRule& rule) {
  if (rule.any_port) return false;
  return std::all_of(rule.ports.begin(), rule.ports.end(), [](const net::PolicyPort& p) {
    return p.port_name.empty() && p.port == 53 && (p.end_port == 0 || p.end_port == 53) &&
           p.protocol != "SCTP";
  });
}

void RegisterPeerReachRules(engine::RuleRegistry& registry) {
  Rule any = NetworkRule("NET-016", "network-policy-any-namespace",
                         "NetworkPolicy admits every pod of every namespace", Severity::kLow);
  any.info.description =
      "A peer whose namespaceSelector is {} (with no podSelector, or an empty one) admits every "
      "pod of every namespace, present and future: one compromised workload anywhere in the "
      "cluster gets the access the rule was written for a few. Rules limited to DNS (port 53) "
      "are not reported, as reaching kube-dns from everywhere is their purpose.";
  any.info.remediation =
      "Select the source or destination namespaces by label (kubernetes.io/metadata.name: NAME "
      "names one namespace), and add a podSelector for the pods that need the access.";
  any.info.controls = {"nsa:network-policies", "nsa:namespaces"};
  any.info.references = {std::string(kPolicyDocs) + "#behavior-of-to-and-from-selectors",
                         kPolicyApi};
  any.kinds = {"NetworkPolicy"};
  any.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!net::IsKubernetesNetworkPolicy(res)) return v.NotApplicable();
    net::Policy p = net::ParsePolicy(res);
    // An invalid policy does not exist in the cluster (NET-007).
    if (!p.valid() || (!p.ingress && !p.egress)) return v.NotApplicable();
    for (bool ingress : {true, false}) {
      if (!(ingress ? p.ingress : p.egress)) continue;
      for (const net::TrafficRule& rule : ingress ? p.ingress_rules : p.egress_rules) {
        if (!ingress && OnlyDnsPorts(rule)) continue;
        for (const net::Peer& peer : rule.peers) {
          if (!AdmitsEveryPodOfEveryNamespace(peer)) continue;
          std::string pointer = rule.Pointer() + "/" + std::string(rule.PeersField()) + "/" +
                                std::to_string(peer.index) + "/namespaceSelector";
          v.Fail(engine::BadValue(*peer.node->Get("namespaceSelector"), pointer,
                                  "a namespaceSelector naming the namespaces that need access",
                                  std::string(ingress ? "ingress from" : "egress to") +
                                      " every pod of every namespace on " + rule.PortsToString()));
        }
      }
    }
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " admits every pod of every namespace");
    }
  };
  registry.Add(std::move(any));

  Rule md =
      NetworkRule("NET-017", "egress-to-cloud-metadata",
                  "NetworkPolicy allows egress to the cloud metadata service", Severity::kMedium);
  md.info.description =
      "The instance metadata service at 169.254.169.254 hands out the node's cloud credentials "
      "to any process that can reach it. An egress rule that admits it, whether through a "
      "rule without `to` or an ipBlock such as 0.0.0.0/0 that excepts only the private ranges, "
      "lets the selected pods take the node's cloud identity.";
  md.info.remediation =
      "Add 169.254.169.254/32 (and fd00:ec2::254/128 for AWS over IPv6) to the ipBlock's "
      "except list, or list the real destinations instead of a broad CIDR; also block the metadata "
      "service at the node (IMDSv2 with a hop limit of 1, "
      "GKE Workload Identity).";
  md.info.controls = {"nsa:network-policies", "nsa:sensitive-cloud-info", "mitre:T1552"};
  md.info.references = {
      std::string(kPolicyDocs) + "#networkpolicy-resource",
      "https://kubernetes.io/docs/concepts/security/security-checklist/#network-security"};
  md.kinds = {"NetworkPolicy"};
  md.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!net::IsKubernetesNetworkPolicy(res)) return v.NotApplicable();
    net::Policy p = net::ParsePolicy(res);
    if (!p.valid() || !p.egress) return v.NotApplicable();
    for (const net::TrafficRule& rule : p.egress_rules) {
      for (const MetadataAddress& m : kMetadataAddresses) {
        net::Connection c;
        c.destination.address = net::IpAddress::Parse(m.text);
        c.protocol = "TCP";
        c.port = 80;
        if (!net::Model::PortsAdmit(rule, c)) continue;
        std::string what = std::string(m.cloud) + " (" + std::string(m.text) + ":80)";
        if (rule.any_peer) {
          const Node* field = rule.node->IsMapping() ? rule.node->Get("to") : nullptr;
          std::string pointer = rule.Pointer() + "/to";
          std::string expected = "destinations that exclude the metadata address";
          std::string message = "the rule admits every destination, " + what + " included";
          v.Fail(field != nullptr ? engine::BadValue(*field, pointer, expected, message)
                                  : engine::MissingField(*rule.node, pointer, expected, message));
          break;  // one finding per open rule
        }
        bool reported = false;
        for (const net::Peer& peer : rule.peers) {
          if (!peer.ip_block || !peer.ip_block->Contains(*c.destination.address)) continue;
          v.Fail(engine::BadValue(
              *peer.node->Find({"ipBlock", "cidr"}),
              rule.Pointer() + "/to/" + std::to_string(peer.index) + "/ipBlock/cidr",
              "an ipBlock whose except list holds " + std::string(m.text),
              "ipBlock " + std::string(peer.ip_block->cidr_text) + " admits " + what));
          reported = true;
        }
        if (reported) break;
      }
    }
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " lets its pods reach the cloud metadata service");
    }
  };
  registry.Add(std::move(md));
}

// --- Ingress and Gateway entry points ----------------------------------------------

bool IsGatewayApi(const Resource& r) {
  return r.api_version.starts_with("gateway.networking.k8s.io/");
}

std::string ListenerName(const Node& listener) {
  const Node* name = listener.Get("name");
  return name != nullptr && name->IsString() ? Quoted(name->string_value()) : "(unnamed)";
}

// Whether a listener hostname covers another (Gateway API: empty matches every
// name; "*.example.com" is a suffix match on one or more labels).
bool GatewayHostCovers(std::string_view covering, std::string_view host) {
  if (covering.empty() || covering == host) return true;
  if (host.empty() || !covering.starts_with("*.")) return false;
  std::string_view suffix = covering.substr(1);  // ".example.com"
  if (host.starts_with("*.")) host = host.substr(1);
  return host.size() > suffix.size() && host.ends_with(suffix);
}

void RegisterEntryPointRules(engine::RuleRegistry& registry) {
  Rule any = NetworkRule("NET-018", "ingress-catch-all",
                         "Ingress answers requests for any host name", Severity::kLow);
  any.info.description =
      "A default backend, or a rule without host, receives requests whatever their Host "
      "header: the application answers on the load balancer's bare address, where internet "
      "scanners sweeping address ranges find it without knowing any domain, and on a shared "
      "controller it serves names that belong to nobody else.";
  any.info.remediation =
      "Set host on every rule to the names the application serves and remove "
      "spec.defaultBackend; let the ingress controller's own default backend answer "
      "unknown names with 404.";
  any.info.controls = {"mitre:T1190"};
  any.info.references = {std::string(kIngressDocs) + "#default-backend",
                         std::string(kIngressDocs) + "#hostname-wildcards"};
  any.kinds = {"Ingress"};
  any.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!net::IsKubernetesIngress(res)) return v.NotApplicable();
    const Node* spec = res.root->Get("spec");
    if (spec == nullptr || !spec->IsMapping()) return v.NotApplicable();
    // networking.k8s.io/v1 renamed the v1beta1 `backend` to `defaultBackend`.
    bool v1 = res.api_version == "networking.k8s.io/v1";
    std::string_view field = v1 ? "defaultBackend" : "backend";
    if (const Node* b = spec->Get(field); b != nullptr && b->IsMapping() && b->size() > 0) {
      v.Fail(engine::BadValue(*b, "/spec/" + std::string(field), "no default backend",
                              "every request that no rule matches, for any host, goes here"));
    }
    uint32_t i = 0;
    for (const Node& rule : spec->Get("rules") && spec->Get("rules")->IsSequence()
                                ? spec->Get("rules")->items()
                                : std::span<const Node>{}) {
      uint32_t index = i++;
      if (!rule.IsMapping()) continue;
      const Node* host = rule.Get("host");
      if (host != nullptr && !host->IsNull() &&
          !(host->IsString() && host->string_value().empty())) {
        continue;
      }
      std::string pointer = "/spec/rules/" + std::to_string(index);
      std::string expected = "the host names the application serves";
      std::string message = "the rule matches requests for every host name";
      v.Fail(host != nullptr ? engine::BadValue(*host, pointer + "/host", expected, message)
                             : engine::MissingField(rule, pointer + "/host", expected, message));
    }
    if (!v.violations().empty()) v.SetMessage(Subject(res) + " answers any host name");
  };
  registry.Add(std::move(any));

  Rule all = NetworkRule("NET-019", "gateway-routes-from-all-namespaces",
                         "Gateway listener accepts routes from every namespace", Severity::kMedium);
  all.info.description =
      "A listener with allowedRoutes.namespaces.from: All lets anyone who can create an "
      "HTTPRoute in any namespace attach it: publish a workload on the Gateway's address, claim "
      "host names and paths no other route holds, and receive traffic meant for the shared "
      "entry point. The default, Same, admits only the Gateway's own namespace.";
  all.info.remediation =
      "Use from: Selector with a namespace label the platform team controls (for example "
      "kubernetes.io/metadata.name or a dedicated label), or from: Same with a Gateway per "
      "team.";
  all.info.controls = {"nsa:namespaces", "mitre:T1190"};
  all.info.references = {"https://gateway-api.sigs.k8s.io/reference/spec/",
                         "https://gateway-api.sigs.k8s.io/guides/multiple-ns/"};
  all.info.equivalents = {{"polaris", "gatewayAllowedRoutesAll"}};
  all.kinds = {"Gateway"};
  all.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsGatewayApi(res)) return v.NotApplicable();
    const Node* listeners = res.root->Find({"spec", "listeners"});
    if (listeners == nullptr || !listeners->IsSequence()) return v.NotApplicable();
    uint32_t i = 0;
    for (const Node& l : listeners->items()) {
      uint32_t index = i++;
      const Node* from = l.Find({"allowedRoutes", "namespaces", "from"});
      if (from == nullptr || from->GetString() != std::optional<std::string_view>("All")) continue;
      v.Fail(engine::BadValue(
          *from, "/spec/listeners/" + std::to_string(index) + "/allowedRoutes/namespaces/from",
          "Same, or Selector with a label the platform team controls",
          "listener " + ListenerName(l) + " accepts routes from every namespace"));
    }
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " accepts routes from every namespace");
    }
  };
  registry.Add(std::move(all));

  Rule tls = NetworkRule("NET-020", "gateway-listener-without-tls",
                         "Gateway serves plain HTTP without an HTTPS listener for the same hosts",
                         Severity::kMedium);
  tls.info.description =
      "An HTTP listener carries credentials, cookies and data in clear text. It is fine as the "
      "port-80 half of a pair that redirects to HTTPS, but a Gateway with no HTTPS or TLS "
      "listener for the same host names serves its routes only in clear text.";
  tls.info.remediation =
      "Add an HTTPS listener (tls.mode Terminate, with certificateRefs) for the host names of "
      "the HTTP listener, and attach an HTTPRoute to the HTTP listener that redirects to "
      "https.";
  tls.info.controls = {"nsa:encryption-in-transit"};
  tls.info.references = {"https://gateway-api.sigs.k8s.io/guides/tls/",
                         "https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/"};
  tls.kinds = {"Gateway"};
  tls.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsGatewayApi(res)) return v.NotApplicable();
    const Node* listeners = res.root->Find({"spec", "listeners"});
    if (listeners == nullptr || !listeners->IsSequence()) return v.NotApplicable();
    auto protocol = [](const Node& l) {
      const Node* p = l.Get("protocol");
      return p != nullptr && p->IsString() ? p->string_value() : std::string_view{};
    };
    auto hostname = [](const Node& l) {
      const Node* h = l.Get("hostname");
      return h != nullptr && h->IsString() ? h->string_value() : std::string_view{};
    };
    bool any_http = false;
    uint32_t i = 0;
    for (const Node& l : listeners->items()) {
      uint32_t index = i++;
      if (protocol(l) != "HTTP") continue;
      any_http = true;
      std::string_view host = hostname(l);
      bool paired =
          std::any_of(listeners->items().begin(), listeners->items().end(), [&](const Node& other) {
            std::string_view p = protocol(other);
            return (p == "HTTPS" || p == "TLS") && GatewayHostCovers(hostname(other), host);
          });
      if (paired) continue;
      v.Fail(engine::BadValue(
          *l.Get("protocol"), "/spec/listeners/" + std::to_string(index) + "/protocol",
          "an HTTPS listener for the same host names",
          "listener " + ListenerName(l) + " serves " +
              (host.empty() ? std::string("every host name") : std::string(host)) +
              " over plain HTTP, and no HTTPS or TLS listener covers it"));
    }
    if (!any_http) return v.NotApplicable();
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " serves plain HTTP without TLS");
    }
  };
  registry.Add(std::move(tls));
}

// --- Services ----------------------------------------------------------------------

// Ports of services that must not face the internet: remote administration,
// container and cluster control APIs, databases, caches and brokers that
// ship without authentication or with weak defaults.
struct SensitivePort {
  int32_t port;
  std::string_view service;
};
constexpr SensitivePort kSensitivePorts[] = {
    {22, "SSH"},
    {23, "Telnet"},
    {1433, "Microsoft SQL Server"},
    {1521, "Oracle Database"},
    {2181, "ZooKeeper"},
    {2375, "the Docker API"},
    {2376, "the Docker API"},
    {2379, "etcd"},
    {2380, "etcd"},
    {3306, "MySQL"},
    {3389, "RDP"},
    {5432, "PostgreSQL"},
    {5900, "VNC"},
    {5984, "CouchDB"},
    {6379, "Redis"},
    {9042, "Cassandra"},
    {9200, "Elasticsearch"},
    {9300, "Elasticsearch"},
    {10250, "the kubelet API"},
    {11211, "Memcached"},
    {27017, "MongoDB"},
};

const SensitivePort* FindSensitivePort(const Node* port) {
  auto n = port != nullptr ? port->GetInt() : std::nullopt;
  if (!n) return nullptr;
  for (const SensitivePort& s : kSensitivePorts) {
    if (s.port == *n) return &s;
  }
  return nullptr;
}

// Whether a LoadBalancer Service accepts clients from the internet, as NET-010
// judges it: not internal, and source ranges (the spec field, else the
// annotation) absent or admitting the internet.
bool LoadBalancerAdmitsInternet(const Resource& res) {
  if (IsInternalLoadBalancer(res)) return false;
  const Node* ranges = res.root->Find({"spec", "loadBalancerSourceRanges"});
  if (ranges != nullptr && ranges->IsSequence() && ranges->size() > 0) {
    return std::any_of(ranges->items().begin(), ranges->items().end(), [](const Node& r) {
      auto text = r.GetString();
      return text && IsInternetRange(*text);
    });
  }
  const Node* a = res.Annotation("service.beta.kubernetes.io/load-balancer-source-ranges");
  if (a == nullptr || !a->IsString() || Trim(a->string_value()).empty()) return true;
  std::string_view list = a->string_value();
  while (!list.empty()) {
    size_t comma = list.find(',');
    if (IsInternetRange(list.substr(0, comma))) return true;
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return false;
}

void RegisterMoreServiceRules(engine::RuleRegistry& registry) {
  Rule ext = NetworkRule("NET-021", "service-type-externalname", "Service of type ExternalName",
                         Severity::kLow);
  ext.info.description =
      "An ExternalName Service is a DNS alias to any host name the writer chooses. Ingress "
      "controllers and gateways that proxy to it connect from their own pods, past the "
      "NetworkPolicies of the namespace, so whoever can create one can have the controller "
      "reach internal services of other namespaces or the node's metadata endpoint "
      "(the Kubernetes advisory for CVE-2021-25740).";
  ext.info.remediation =
      "Use a Service with a selector, or one without selector whose EndpointSlices name the "
      "external addresses; if ExternalName is needed, restrict who may create Services and "
      "disable ExternalName backends in the ingress controller where it supports that.";
  ext.info.controls = {"nsa:network-policies"};
  ext.info.references = {std::string(kServiceDocs) + "#externalname",
                         "https://github.com/kubernetes/kubernetes/issues/103675"};
  // trivy's KSV108 reports externalName together with externalIPs (NET-012).
  ext.info.equivalents = {{"trivy", "KSV108"}};
  ext.kinds = {"Service"};
  ext.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsCoreService(res)) return v.NotApplicable();
    const Node* type = ServiceType(res);
    if (type == nullptr || type->GetString() != std::optional<std::string_view>("ExternalName")) {
      return;
    }
    const Node* name = res.root->Find({"spec", "externalName"});
    auto target = name != nullptr ? name->GetString() : std::nullopt;
    v.Fail(engine::BadValue(*type, "/spec/type", "ClusterIP with a selector or EndpointSlices",
                            "clients and proxies are sent to " +
                                (target ? Quoted(*target) : std::string("an external name"))));
    v.SetMessage(Subject(res) + " aliases " +
                 (target ? Quoted(*target) : std::string("an external host name")));
  };
  registry.Add(std::move(ext));

  Rule sens = NetworkRule("NET-022", "service-exposes-sensitive-port",
                          "Service exposes a database or administration port outside the cluster",
                          Severity::kHigh);
  sens.info.description =
      "Databases, caches, SSH, the Docker API, etcd and the kubelet are attacked within minutes "
      "of appearing on a public address, often with default or no credentials. A LoadBalancer "
      "Service on one of their ports (not internal, and without loadBalancerSourceRanges "
      "limited to known clients) puts them there; a NodePort Service opens them on every "
      "address of every node, to whatever network reaches the nodes.";
  sens.info.remediation =
      "Make the Service ClusterIP and reach it from inside the cluster, through kubectl "
      "port-forward or a VPN; if outside clients need it, use an internal load balancer or "
      "loadBalancerSourceRanges limited to their addresses.";
  sens.info.controls = {"mitre:T1190", "mitre:T1133", "nsa:network-policies"};
  sens.info.references = {std::string(kServiceDocs) + "#publishing-services-service-types"};
  sens.kinds = {"Service"};
  sens.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    if (!IsCoreService(res)) return v.NotApplicable();
    const Node* type = ServiceType(res);
    auto t = type != nullptr ? type->GetString() : std::nullopt;
    if (!t || (*t != "LoadBalancer" && *t != "NodePort")) return v.NotApplicable();
    if (*t == "LoadBalancer" && !LoadBalancerAdmitsInternet(res)) return;
    const Node* ports = res.root->Find({"spec", "ports"});
    uint32_t i = 0;
    for (const Node& port :
         ports != nullptr && ports->IsSequence() ? ports->items() : std::span<const Node>{}) {
      uint32_t index = i++;
      if (!port.IsMapping()) continue;
      const char* field = "port";
      const SensitivePort* s = FindSensitivePort(port.Get("port"));
      if (s == nullptr) {
        field = "targetPort";
        s = FindSensitivePort(port.Get("targetPort"));
      }
      if (s == nullptr) continue;
      v.Fail(engine::BadValue(
          *port.Get(field), "/spec/ports/" + std::to_string(index) + "/" + field,
          "no database or administration port on an external Service",
          std::string(field) + " " + std::to_string(s->port) + " is " + std::string(s->service) +
              ", reachable through a " + std::string(*t) + " Service"));
    }
    if (!v.violations().empty()) {
      v.SetMessage(Subject(res) + " exposes a database or administration port outside the " +
                   "cluster");
    }
  };
  registry.Add(std::move(sens));
}

// --- References to objects the input does not hold ------------------------------

// Labels that controllers add to the pods they create, which their pod
// templates need not carry: a Service may select on them.
bool ControllerAddsLabel(std::string_view key, std::string_view kind) {
  if (key == "pod-template-hash") return kind == "Deployment" || kind == "ReplicaSet";
  if (key == "controller-revision-hash") return kind == "StatefulSet" || kind == "DaemonSet";
  if (key == "pod-template-generation") return kind == "DaemonSet";
  if (key == "statefulset.kubernetes.io/pod-name" || key == "apps.kubernetes.io/pod-index") {
    return kind == "StatefulSet";
  }
  if (key == "job-name" || key == "controller-uid" || key == "batch.kubernetes.io/job-name" ||
      key == "batch.kubernetes.io/controller-uid" ||
      key == "batch.kubernetes.io/job-completion-index") {
    return kind == "Job" || kind == "CronJob";
  }
  return false;
}

bool IsControllerLabel(std::string_view key) {
  for (std::string_view kind : {"Deployment", "StatefulSet", "DaemonSet", "Job"}) {
    if (ControllerAddsLabel(key, kind)) return true;
  }
  return false;
}

uint64_t NamespacedLabelHash(std::string_view ns, std::string_view key, std::string_view value) {
  std::hash<std::string_view> h;
  return (h(ns) * 0x9E3779B97F4A7C15ull) ^ (h(key) * 0xC2B2AE3D27D4EB4Full) ^ h(value);
}

// The pod-template labels of every workload, by (namespace, key, value) hash:
// a Service's candidates are the workloads carrying one of its pairs, never
// all workloads of a large namespace.
class TemplateLabelIndex {
 public:
  explicit TemplateLabelIndex(const net::Model& m) {
    for (uint32_t i = 0; i < m.workloads().size(); ++i) {
      const net::Workload& w = m.workloads()[i];
      const Node* labels = w.labels().node();
      if (labels == nullptr || !labels->IsMapping()) continue;
      for (const core::Member& l : labels->members()) {
        if (!l.value.IsString()) continue;
        entries_.emplace_back(
            NamespacedLabelHash(w.namespace_, l.key_string(), l.value.string_value()), i);
      }
    }
    std::sort(entries_.begin(), entries_.end());
  }
  std::span<const std::pair<uint64_t, uint32_t>> Find(std::string_view ns, std::string_view key,
                                                      std::string_view value) const {
    uint64_t h = NamespacedLabelHash(ns, key, value);
    auto lo = std::lower_bound(entries_.begin(), entries_.end(), std::make_pair(h, uint32_t{0}));
    auto hi = std::upper_bound(lo, entries_.end(), std::make_pair(h, UINT32_MAX));
    return {lo, hi};
  }

 private:
  std::vector<std::pair<uint64_t, uint32_t>> entries_;
};

// Whether the pods of a workload carry every pair of a Service selector
// (string values only), counting the labels its controller adds.
bool ServiceSelects(const Node& selector, const net::Workload& w) {
  net::LabelSet labels = w.labels();
  for (const core::Member& pair : selector.members()) {
    if (labels.Get(pair.key_string()) == pair.value.string_value()) continue;
    if (ControllerAddsLabel(pair.key_string(), w.resource->kind)) continue;
    return false;
  }
  return true;
}

// Namespaces where an operator may create pods the manifests do not show.
bool OperatorMayCreatePods(const net::Model& m, const net::Namespace& ns) {
  return (ns.custom_resources > 0 || m.has_crds()) && ns.pods == 0;
}

constexpr net::BuildOptions kWorkloadsAndOperators{
    .select = false, .expose = false, .count_custom_resources = true, .all_services = false};

void RegisterReferenceRules(engine::RuleRegistry& registry) {
  Rule svc = NetworkRule("NET-024", "service-selects-no-pod",
                         "Service selects no pod of its namespace", Severity::kLow);
  svc.info.category = "reliability";
  svc.info.description =
      "A Service whose selector matches none of the pod templates deployed in its namespace has "
      "no endpoints: clients get connection errors, usually because of a label typo or a "
      "rename. Namespaces without workloads in the input, and namespaces where an operator may "
      "create the pods, are not evaluated.";
  svc.info.remediation =
      "Make spec.selector a subset of the pod template labels of the workload the Service "
      "fronts (kubectl get pods -l 'SELECTOR' -n NAMESPACE should list its pods), or delete the "
      "stale Service.";
  svc.info.references = {kServiceDocs,
                         "https://kubernetes.io/docs/concepts/overview/working-with-objects/"
                         "labels/#label-selectors"};
  svc.info.equivalents = {{"kube-score", "service-targets-pod"}};
  svc.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::vector<const Resource*> services = ctx.inventory->ByKind("Service");
    if (services.empty()) return;
    std::shared_ptr<const net::Model> model = NetModel(ctx, kWorkloadsAndOperators);
    const net::Model& m = *model;
    TemplateLabelIndex index(m);
    for (const Resource* s : services) {
      if (!IsCoreService(*s)) continue;
      const Node* type = ServiceType(*s);
      if (type != nullptr && type->GetString() == std::optional<std::string_view>("ExternalName")) {
        continue;
      }
      const Node* selector = s->root->Find({"spec", "selector"});
      if (selector == nullptr || selector->IsNull() ||
          (selector->IsMapping() && selector->size() == 0)) {
        continue;  // endpoints are managed by hand or by a controller
      }
      std::string_view ns_name = s->effective_namespace();
      const net::Namespace* ns = m.FindNamespace(ns_name);
      if (ns == nullptr || ns->workloads.empty() || OperatorMayCreatePods(m, *ns)) continue;
      Finding f = MakeFinding(s);
      if (!selector->IsMapping()) {
        FailFinding(f, Subject(*s) + " has a selector the API server rejects",
                    engine::BadValue(*selector, "/spec/selector", "a map of label keys to values",
                                     "spec.selector is not a map"));
        out.push_back(std::move(f));
        continue;
      }
      const core::Member* bad_value = nullptr;
      const core::Member* lookup = nullptr;
      for (const core::Member& pair : selector->members()) {
        if (!pair.value.IsString()) {
          bad_value = &pair;
          break;
        }
        if (lookup == nullptr && !IsControllerLabel(pair.key_string())) lookup = &pair;
      }
      if (bad_value != nullptr) {
        FailFinding(
            f, Subject(*s) + " has a selector the API server rejects",
            engine::BadValue(bad_value->value,
                             "/spec/selector/" + engine::PointerEscape(bad_value->key_string()),
                             "a string", "selector values must be strings"));
        out.push_back(std::move(f));
        continue;
      }
      bool selected = false;
      if (lookup != nullptr) {
        for (const auto& [hash, w] :
             index.Find(ns_name, lookup->key_string(), lookup->value.string_value())) {
          const net::Workload& wl = m.workloads()[w];
          if (wl.namespace_ == ns_name && ServiceSelects(*selector, wl)) {
            selected = true;
            break;
          }
        }
      } else {
        selected = std::any_of(ns->workloads.begin(), ns->workloads.end(), [&](uint32_t w) {
          return ServiceSelects(*selector, m.workloads()[w]);
        });
      }
      if (!selected) {
        std::string sel;
        for (const core::Member& pair : selector->members()) {
          if (!sel.empty()) sel += ",";
          sel += std::string(pair.key_string()) + "=" + std::string(pair.value.string_value());
        }
        FailFinding(f,
                    Subject(*s) + " selects none of the " +
                        Count(ns->workloads.size(), "workload", "workloads") + " of namespace " +
                        Quoted(ns_name),
                    engine::BadValue(*selector, "/spec/selector",
                                     "a selector matching the pod labels of a workload",
                                     "selector " + sel + " matches no pod template in namespace " +
                                         std::string(ns_name)));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(svc));

  Rule ing =
      NetworkRule("NET-025", "ingress-backend-service-missing",
                  "Ingress sends traffic to a Service or port that does not exist", Severity::kLow);
  ing.info.category = "reliability";
  ing.info.description =
      "An Ingress backend that names a Service, or a Service port, absent from its namespace "
      "answers with errors (502 or 503 from most controllers), and the host and path stay "
      "claimed for whoever later creates a Service of that name. Namespaces without Services in "
      "the input are not evaluated.";
  ing.info.remediation =
      "Point the backend at an existing Service of the Ingress's namespace and at a port the "
      "Service defines (spec.ports[].port, or its name), or remove the rule.";
  ing.info.references = {kIngressDocs,
                         "https://kubernetes.io/docs/reference/kubernetes-api/service-resources/"
                         "ingress-v1/"};
  ing.info.equivalents = {{"kube-score", "ingress-targets-service"}};
  ing.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::vector<const Resource*> ingresses = ctx.inventory->ByKind("Ingress");
    if (ingresses.empty()) return;
    struct Key {
      std::string_view ns;
      std::string_view name;
      bool operator==(const Key&) const = default;
    };
    struct KeyHash {
      size_t operator()(const Key& k) const {
        std::hash<std::string_view> h;
        return h(k.ns) * 0x9E3779B97F4A7C15ull ^ h(k.name);
      }
    };
    std::unordered_map<Key, const Resource*, KeyHash> services;
    std::unordered_set<std::string_view> namespaces;
    for (const Resource* s : ctx.inventory->ByKind("Service")) {
      if (!IsCoreService(*s)) continue;
      services.try_emplace(Key{s->effective_namespace(), s->name}, s);
      namespaces.insert(s->effective_namespace());
    }
    for (const Resource* res : ingresses) {
      if (!net::IsKubernetesIngress(*res)) continue;
      std::string_view ns = res->effective_namespace();
      if (namespaces.count(ns) == 0) continue;
      const Node* spec = res->root->Get("spec");
      if (spec == nullptr || !spec->IsMapping()) continue;
      Finding f = MakeFinding(res);
      std::vector<Evidence> evidence;
      auto check = [&](const Node* backend, const std::string& pointer) {
        if (backend == nullptr || !backend->IsMapping()) return;
        const Node* name = backend->Find({"service", "name"});
        std::string name_pointer = pointer + "/service/name";
        const Node* port = backend->Find({"service", "port"});
        const Node* port_value = nullptr;
        std::string port_pointer = pointer + "/service/port";
        if (port != nullptr && port->IsMapping()) {
          if (const Node* n = port->Get("number"); n != nullptr && !n->IsNull()) {
            port_value = n;
            port_pointer += "/number";
          } else if (const Node* n2 = port->Get("name"); n2 != nullptr && !n2->IsNull()) {
            port_value = n2;
            port_pointer += "/name";
          }
        }
        if (name == nullptr) {  // extensions/v1beta1 and networking.k8s.io/v1beta1
          name = backend->Get("serviceName");
          name_pointer = pointer + "/serviceName";
          port_value = backend->Get("servicePort");
          port_pointer = pointer + "/servicePort";
        }
        if (name == nullptr || !name->IsString()) return;  // a resource backend, or invalid
        auto it = services.find(Key{ns, name->string_value()});
        if (it == services.end()) {
          evidence.push_back(engine::BadValue(
              *name, name_pointer, "the name of a Service in namespace " + std::string(ns),
              "no Service " + Quoted(name->string_value()) + " in namespace " + std::string(ns) +
                  " among the scanned manifests"));
          return;
        }
        if (port_value == nullptr) return;
        const Node* ports = it->second->root->Find({"spec", "ports"});
        if (ports == nullptr || !ports->IsSequence()) return;  // e.g. ExternalName
        auto number = port_value->GetInt();
        auto port_name = port_value->GetString();
        if (!number && !port_name) return;
        bool found = std::any_of(ports->items().begin(), ports->items().end(), [&](const Node& p) {
          if (number) {
            const Node* n = p.Get("port");
            return n != nullptr && n->GetInt() == number;
          }
          const Node* n = p.Get("name");
          return n != nullptr && n->GetString() == port_name;
        });
        if (!found) {
          std::string what = number ? std::to_string(*number) : Quoted(*port_name);
          evidence.push_back(
              engine::BadValue(*port_value, port_pointer, "a port the Service defines",
                               "Service " + Quoted(name->string_value()) + " has no port " + what));
        }
      };
      check(spec->Get("defaultBackend"), "/spec/defaultBackend");
      check(spec->Get("backend"), "/spec/backend");
      const Node* rules = spec->Get("rules");
      uint32_t i = 0;
      for (const Node& rule :
           rules != nullptr && rules->IsSequence() ? rules->items() : std::span<const Node>{}) {
        uint32_t ri = i++;
        const Node* paths = rule.IsMapping() ? rule.Find({"http", "paths"}) : nullptr;
        uint32_t j = 0;
        for (const Node& path :
             paths != nullptr && paths->IsSequence() ? paths->items() : std::span<const Node>{}) {
          uint32_t pi = j++;
          if (!path.IsMapping()) continue;
          check(path.Get("backend"), "/spec/rules/" + std::to_string(ri) + "/http/paths/" +
                                         std::to_string(pi) + "/backend");
        }
      }
      if (!evidence.empty()) {
        f.status = FindingStatus::kFail;
        f.SetMessage(Subject(*res) + " sends traffic to " +
                     Count(evidence.size(), "backend", "backends") + " missing from namespace " +
                     Quoted(ns));
        f.SetEvidence(std::move(evidence));
      }
      out.push_back(std::move(f));
    }
  };
  registry.Add(std::move(ing));
}

}  // namespace

void RegisterNetworkRules(engine::RuleRegistry& registry) {
  RegisterNamespaceRules(registry);       // NET-001 … NET-003
  RegisterIsolationRule(registry);        // NET-004
  RegisterPolicyContentRules(registry);   // NET-005 … NET-007
  RegisterSelectionRules(registry);       // NET-008, NET-009
  RegisterServiceRules(registry);         // NET-010 … NET-012
  RegisterIngressRules(registry);         // NET-013, NET-014
  RegisterExposureRule(registry);         // NET-015
  RegisterPeerReachRules(registry);       // NET-016, NET-017
  RegisterEntryPointRules(registry);      // NET-018 … NET-020
  RegisterMoreServiceRules(registry);     // NET-021, NET-022
  RegisterEgressIsolationRule(registry);  // NET-023
  RegisterReferenceRules(registry);       // NET-024, NET-025
}

}  // namespace kspm::rules

// The network model: which NetworkPolicies select which pods, what traffic
// they allow, and how workloads are exposed outside the cluster, resolved from
// an Inventory with Kubernetes' own semantics (networking.k8s.io/v1, its API
// reference, pkg/apis/networking/v1/defaults.go and validation.go).
//
// Selection and isolation:
// - Label selectors (metav1.LabelSelector): matchLabels and matchExpressions
//   are ANDed; operators In, NotIn, Exists, DoesNotExist; NotIn and
//   DoesNotExist match objects without the key; an empty selector ({}, or one
//   whose lists are empty or null) selects everything.
// - spec.podSelector is required by the API schema, but an absent one decodes
//   as the empty selector and selects every pod of the namespace
//   (Policy::pod_selector_missing records it). A policy selects pods of its
//   own namespace only.
// - policyTypes, when absent or empty, default to [Ingress], plus Egress when
//   the spec has at least one egress rule. A policy whose types leave out a
//   direction ignores its rules for that direction.
// - A pod is isolated for ingress (egress) when some valid policy of its
//   namespace selects it with Ingress (Egress) in its types; traffic in that
//   direction is then allowed only if a rule of one of those policies allows
//   it (the union). A connection needs both the source's egress and the
//   destination's ingress to allow it.
//
// Rules and peers:
// - A rule whose `from`/`to` is absent or empty admits every peer, inside or
//   outside the cluster; whose `ports` is absent or empty, every port.
// - A peer with podSelector only selects pods of the policy's namespace; with
//   namespaceSelector only, every pod of the selected namespaces; with both,
//   the matching pods of the matching namespaces; ipBlock, the addresses of
//   its CIDR outside its `except` CIDRs. A null selector is an absent one.
// - Namespace labels come from the Namespace objects of the input. The API
//   server sets kubernetes.io/metadata.name to the namespace's name on every
//   namespace since Kubernetes 1.21, overriding what the object says, whether
//   or not the input holds the object.
// - Ports: protocol defaults to TCP; a numeric port matches that port (up to
//   endPort when set); a named port matches the container ports of that name
//   and protocol on the destination pod; no port matches every port of the
//   protocol.
//
// Validity: what the API server's validation rejects (an empty peer, ipBlock
// beside a selector, a malformed CIDR, an `except` outside its CIDR, bad
// ports, unknown policy types, malformed selectors, values of the wrong JSON
// type) is recorded as Problems. The server refuses such an object, so an
// invalid policy selects and allows nothing here.
//
// Exposure: a Service selects the pods whose labels include every pair of its
// spec.selector (no selector, or an ExternalName Service, selects none). A
// NodePort or LoadBalancer Service, a Service with externalIPs, an Ingress
// backend (v1 `service.name`, v1beta1 `serviceName`) and a Gateway API route
// backendRef expose the pods behind the Service.
//
// Workloads are the pod templates of the input (core::PodSpecView), except
// PodTemplate objects, which run nothing. A workload owned (ownerReferences,
// controller: true) by another workload of the input is marked with it, so
// rules can report the controller once instead of every ReplicaSet and Pod.
//
// Not modelled: pod IPs (an ipBlock never matches a workload, only an
// address), traffic from a pod's own node (always allowed by Kubernetes),
// policies of CNI plugins (Calico, Cilium) and AdminNetworkPolicy, which are
// only counted (Namespace::cni_policies, Model::cluster_policies) so rules can
// avoid conclusions they cannot draw.
//
// Everything is a pure function of the Inventory. A Model points into the
// Inventory's documents and must not outlive it; it is immutable once built
// and safe to read from many threads. Building reads only the objects of the
// kinds it needs (Inventory::ByKind) and what BuildOptions asks for; selector
// matches in large namespaces go through a label index. Each caller builds
// its own Model: the engine has no per-evaluation cache to share one in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/inventory.h"
#include "core/label_selector.h"
#include "core/node.h"

namespace kspm::engine::network {

// Selectors and labels are core's (core/label_selector.h), with the API
// server's validation; these names keep the network vocabulary.
using core::kNamespaceNameLabel;
using Problem = core::FieldProblem;
using LabelSet = core::LabelSet;
using LabelSelector = core::LabelSelector;

// --- Addresses ----------------------------------------------------------------

using Uint128 = unsigned __int128;

struct IpAddress {
  bool v6 = false;
  Uint128 value = 0;  // IPv4 in the low 32 bits
  // Dotted IPv4 (leading zeros read as decimal, like netutils.ParseIPSloppy)
  // or any IPv6 form, including an embedded IPv4 tail.
  static std::optional<IpAddress> Parse(std::string_view text);
  std::string ToString() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct Cidr {
  IpAddress network;  // host bits cleared
  int prefix = 0;
  // "ADDRESS/PREFIX" as netutils.ParseCIDRSloppy reads it; host bits are allowed.
  static std::optional<Cidr> Parse(std::string_view text);
  bool Contains(const IpAddress& a) const;
  // `other` lies inside this network (same family, no shorter prefix).
  bool Contains(const Cidr& other) const;
  std::string ToString() const;
};

struct IpBlock {
  std::string_view cidr_text;
  std::optional<Cidr> cidr;  // unset when malformed (a Problem)
  std::vector<Cidr> except;  // the well-formed except entries
  bool Contains(const IpAddress& a) const;
  // Fraction (0..1) of the public unicast address space of the CIDR's family
  // (IPv4 without private, shared, loopback, link-local, documentation,
  // multicast and reserved ranges; IPv6 2000::/3 without 2001:db8::/32) that
  // the block admits.
  double PublicShare() const;
  // Admits at least half of the public address space: "the internet".
  bool AdmitsInternet() const { return PublicShare() >= 0.5; }
};

// --- Policies -------------------------------------------------------------------

struct PolicyPort {
  const core::Node* node = nullptr;
  uint32_t index = 0;
  std::string_view protocol = "TCP";
  int32_t port = 0;            // 0 with an empty name: every port of the protocol
  std::string_view port_name;  // a named port
  int32_t end_port = 0;        // 0 = no range
  // "80/TCP", "8000-9000/TCP", "http/TCP", "all TCP ports".
  std::string ToString() const;
};

struct Peer {
  const core::Node* node = nullptr;
  uint32_t index = 0;
  bool has_pod_selector = false;
  bool has_namespace_selector = false;
  LabelSelector pod_selector;
  LabelSelector namespace_selector;
  std::optional<IpBlock> ip_block;
};

// One ingress or egress rule.
struct TrafficRule {
  const core::Node* node = nullptr;
  uint32_t index = 0;
  bool ingress = true;   // an ingress rule (else egress)
  bool any_peer = true;  // `from`/`to` absent or empty
  std::vector<Peer> peers;
  bool any_port = true;  // `ports` absent or empty
  std::vector<PolicyPort> ports;
  // "any port" or "80/TCP, 443/TCP".
  std::string PortsToString() const;
  // "/spec/ingress/0"
  std::string Pointer() const;
  // "from" or "to"
  std::string_view PeersField() const { return ingress ? "from" : "to"; }
};

struct Policy {
  const core::Resource* resource = nullptr;
  std::string_view namespace_;
  LabelSelector pod_selector;
  bool pod_selector_missing = false;
  bool ingress = false;  // effective policyTypes
  bool egress = false;
  bool policy_types_defaulted = false;
  std::vector<TrafficRule> ingress_rules;
  std::vector<TrafficRule> egress_rules;
  std::vector<Problem> problems;

  bool valid() const { return problems.empty(); }
  // A valid policy whose podSelector is empty: it applies to every pod of the
  // namespace, present and future.
  bool SelectsWholeNamespace() const { return valid() && pod_selector.MatchesEverything(); }
};

// Reads a NetworkPolicy (networking.k8s.io/v1 or extensions/v1beta1). Never
// fails: what the API server would reject is in Policy::problems.
Policy ParsePolicy(const core::Resource& resource);

// True for the NetworkPolicy kind of the Kubernetes API (not Calico's).
bool IsKubernetesNetworkPolicy(const core::Resource& r);
// True for the Ingress kind of the Kubernetes API.
bool IsKubernetesIngress(const core::Resource& r);
// True for the API groups Kubernetes itself serves ("" is the core group).
bool IsBuiltinApiGroup(std::string_view group);

// --- Model --------------------------------------------------------------------

enum class ExposureKind { kLoadBalancer, kNodePort, kExternalIp, kIngress, kRoute };
std::string_view ExposureKindName(ExposureKind k);  // "LoadBalancer Service", ...

struct Exposure {
  ExposureKind kind = ExposureKind::kNodePort;
  const core::Resource* via = nullptr;      // the Service, Ingress or route
  const core::Resource* service = nullptr;  // the Service that selects the workload
};

struct Workload {
  const core::Resource* resource = nullptr;
  const core::PodSpecView* pod = nullptr;
  std::string_view namespace_;
  uint32_t namespace_index = 0;
  const core::Resource* controller = nullptr;  // owner of this workload in the input
  std::vector<uint32_t> ingress_policies;      // valid policies isolating it for ingress
  std::vector<uint32_t> egress_policies;       // ... for egress
  std::vector<Exposure> exposures;

  // Read from the pod template on each call (building the model touches
  // only what the selected BuildOptions need).
  LabelSet labels() const;
  bool host_network() const;
};

struct Namespace {
  std::string_view name;
  const core::Resource* object = nullptr;  // the Namespace object, if in the input
  LabelSet labels;
  std::vector<uint32_t> workloads;  // indexes into Model::workloads()
  std::vector<uint32_t> policies;   // indexes into Model::policies(), valid or not
  uint32_t cni_policies = 0;        // Calico NetworkPolicy, CiliumNetworkPolicy
  uint32_t custom_resources = 0;    // objects of API groups Kubernetes does not define
                                    // (counted with BuildOptions::count_custom_resources)
  uint32_t pods = 0;                // Pod objects among the workloads
};

struct Service {
  const core::Resource* resource = nullptr;
  std::string_view namespace_;
  std::string_view type = "ClusterIP";
  const core::Node* selector = nullptr;  // a non-empty mapping, else null
  bool has_external_ips = false;
  std::vector<uint32_t> workloads;  // selected (see BuildOptions::all_services)
};

// One end of a connection: a workload of the input, or an address.
struct Endpoint {
  const Workload* workload = nullptr;
  std::optional<IpAddress> address;
};

struct Connection {
  Endpoint source;
  Endpoint destination;
  std::string_view protocol = "TCP";
  int32_t port = 0;
};

struct RuleRef {
  uint32_t policy = 0;
  bool ingress = true;
  uint32_t rule = 0;
};

// What the policies on one side of a connection decide.
struct Decision {
  bool isolated = false;  // some policy applies in this direction
  bool allowed = true;
  std::vector<RuleRef> allowed_by;  // the rules that admit the connection
};

// What to resolve beyond namespaces, workloads and parsed policies; rules
// that need less build less.
struct BuildOptions {
  bool select = true;  // which workloads each policy selects
  bool expose = true;  // Services, Ingresses and routes, and the workloads they expose
  bool count_custom_resources = true;  // Namespace::custom_resources
  // Resolve the pods of every Service; when false, only of the Services that
  // expose something (Service::workloads stays empty for the others).
  bool all_services = true;
};

class Model {
 public:
  // `k8s_minor`: the Kubernetes 1.N the input targets (the automatic
  // namespace name label exists from 1.21).
  static Model Build(const core::Inventory& inventory, int k8s_minor = 37,
                     BuildOptions options = {});

  const std::vector<Namespace>& namespaces() const { return namespaces_; }
  const std::vector<Workload>& workloads() const { return workloads_; }
  const std::vector<Policy>& policies() const { return policies_; }
  const std::vector<Service>& services() const { return services_; }
  // Workloads each policy selects (empty for an invalid policy, or when
  // built without BuildOptions::select).
  const std::vector<uint32_t>& SelectedBy(uint32_t policy) const { return selected_[policy]; }
  // Cluster-wide policies of other APIs (Calico GlobalNetworkPolicy,
  // CiliumClusterwideNetworkPolicy, AdminNetworkPolicy, ...) in the input.
  uint32_t cluster_policies() const { return cluster_policies_; }
  // The input defines CustomResourceDefinitions: operators may create pods
  // that the manifests do not show.
  bool has_crds() const { return has_crds_; }

  const Namespace* FindNamespace(std::string_view name) const;
  const Workload* FindWorkload(const core::Resource& r) const;
  const Service* FindService(std::string_view ns, std::string_view name) const;

  // Whether a peer of `policy` admits the endpoint (selectors match only
  // workloads, ipBlocks only addresses).
  bool PeerAdmits(const Policy& policy, const Peer& peer, const Endpoint& e) const;
  // Whether a rule's ports admit the connection (named ports resolve on the
  // container ports of the destination workload).
  static bool PortsAdmit(const TrafficRule& rule, const Connection& c);
  // The destination's ingress and the source's egress decisions; an address
  // endpoint is never isolated. Allows() needs both.
  Decision IngressDecision(const Connection& c) const;
  Decision EgressDecision(const Connection& c) const;
  bool Allows(const Connection& c) const;

 private:
  std::vector<Namespace> namespaces_;
  std::vector<Workload> workloads_;
  std::vector<Policy> policies_;
  std::vector<std::vector<uint32_t>> selected_;
  std::vector<Service> services_;
  uint32_t cluster_policies_ = 0;
  bool has_crds_ = false;
  struct NameKey {
    std::string_view ns;
    std::string_view name;
    friend bool operator==(const NameKey&, const NameKey&) = default;
  };
  struct NameKeyHash {
    size_t operator()(const NameKey& k) const;
  };
  std::unordered_map<std::string_view, uint32_t> namespace_index_;
  std::vector<int32_t> workload_index_;  // by Resource::order; -1 when not a workload
  std::unordered_map<NameKey, uint32_t, NameKeyHash> service_index_;
};

}  // namespace kspm::engine::network

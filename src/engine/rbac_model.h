// The RBAC model: who may do what, resolved from the Roles, ClusterRoles,
// RoleBindings and ClusterRoleBindings of an Inventory exactly as the
// Kubernetes RBAC authorizer would resolve them.
//
// Matching follows the authorizer (pkg/apis/rbac/v1/evaluation_helpers.go and
// plugin/pkg/auth/authorizer/rbac): "*" matches any verb, API group or
// resource; a resource "*" also matches subresources; "*/sub" matches the
// subresource `sub` of any resource; "pods" never matches "pods/exec"; a rule
// with resourceNames matches only requests for those names (so never a list,
// a create or a request "for any object"); a non-resource URL matches "*", the
// exact path, or a prefix written with a trailing "*". Comparisons are exact
// (case-sensitive), as in Kubernetes.
//
// Resolution: a RoleBinding grants its Role (same namespace) or ClusterRole
// only in its own namespace, and never non-resource URLs or cluster-scoped
// resources; a ClusterRoleBinding grants its ClusterRole everywhere. A
// ClusterRole with an aggregationRule holds the rules of every ClusterRole its
// clusterRoleSelectors select (matchLabels and matchExpressions), transitively
// through other aggregated ClusterRoles, cycles included, never itself; its own
// `rules` (what a dumped cluster shows) count too, duplicates removed. The
// built-in cluster-admin ClusterRole is known when the input does not define it.
//
// Reading: fields of the wrong JSON type would make the API server reject the
// object; they grant nothing here (rules/rbac.cpp reports them). A null list
// is an empty list.
//
// Everything is a pure function of the Inventory. A Model points into the
// Inventory's documents and must not outlive it; it is immutable once built
// and safe to read from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/inventory.h"
#include "core/node.h"
#include "core/result.h"

namespace kspm::engine::rbac {

inline constexpr std::string_view kRbacGroup = "rbac.authorization.k8s.io";
// Label Kubernetes puts on the roles and bindings it creates itself.
inline constexpr std::string_view kBootstrapLabel = "kubernetes.io/bootstrapping";
inline constexpr std::string_view kBootstrapValue = "rbac-defaults";

// What a request asks, as the authorizer sees it.
struct Request {
  std::string_view verb = {};
  std::string_view api_group = {};    // "" = the core group
  std::string_view resource = {};     // plural, without subresource
  std::string_view subresource = {};  // "" = none
  std::string_view name = {};         // "" = no particular object (list, create, any)
  // Set for a non-resource request (e.g. "/metrics"); resource fields are then unused.
  std::string_view non_resource_url = {};
  bool IsResourceRequest() const { return non_resource_url.empty(); }
};

class Role;

// One PolicyRule, read in place from its node; never allocates.
struct PolicyRule {
  const core::Node* node = nullptr;  // the rule object
  const core::Node* verbs = nullptr;
  const core::Node* api_groups = nullptr;
  const core::Node* resources = nullptr;
  const core::Node* resource_names = nullptr;
  const core::Node* non_resource_urls = nullptr;
  uint32_t index = 0;          // position in the role's `rules`
  const Role* role = nullptr;  // the role that defines it (set in a Model)

  static PolicyRule FromNode(const core::Node& rule, uint32_t index);
  std::string Pointer() const { return "/rules/" + std::to_string(index); }
};

// The authorizer's predicates. Non-string items of a list never match.
bool VerbMatches(const PolicyRule& rule, std::string_view verb);
bool ApiGroupMatches(const PolicyRule& rule, std::string_view group);
// `combined` is "resource" or "resource/subresource".
bool ResourceMatches(const PolicyRule& rule, std::string_view resource,
                     std::string_view subresource);
bool ResourceNameMatches(const PolicyRule& rule, std::string_view name);
bool NonResourceUrlMatches(const PolicyRule& rule, std::string_view url);
bool RuleAllows(const PolicyRule& rule, const Request& request);

// Index of the first item of `list` that the predicate accepts, or -1; used to
// point evidence at the exact entry that grants something.
int FirstVerbMatch(const PolicyRule& rule, std::string_view verb);
int FirstApiGroupMatch(const PolicyRule& rule, std::string_view group);
int FirstResourceMatch(const PolicyRule& rule, std::string_view resource,
                       std::string_view subresource);

// True when the rule grants every verb on every resource of every API group
// (what cluster-admin grants), without resourceNames.
bool IsFullWildcard(const PolicyRule& rule);

// Whether a clusterRoleSelectors item (a metav1.LabelSelector, read by
// core::LabelSelector; null selects everything) selects a role with
// `labels`. An invalid selector (unknown operator, wrong types, values where
// none are allowed or missing where required) is an error, as in
// LabelSelectorAsSelector; an empty expression key and non-string items in
// `values` are tolerated, as the aggregation always has.
Result<bool> SelectorMatches(const core::Node& selector, const core::Node* labels);

class Role {
 public:
  const core::Resource* resource() const { return resource_; }  // null for a built-in
  std::string_view kind() const { return kind_; }               // Role or ClusterRole
  std::string_view namespace_() const { return namespace__; }   // empty for a ClusterRole
  std::string_view name() const { return name_; }
  bool builtin() const { return resource_ == nullptr; }
  bool aggregated() const { return aggregated_; }
  // The rules as written in this role.
  const std::vector<PolicyRule>& own_rules() const { return own_; }
  // What the role grants: own rules plus, for an aggregated ClusterRole, the
  // rules of the roles it aggregates (each rule's `role` says where it is from).
  const std::vector<const PolicyRule*>& rules() const { return effective_; }
  // "ClusterRole/name" or "Role/namespace/name".
  std::string DisplayName() const;

 private:
  friend class Model;
  const core::Resource* resource_ = nullptr;
  std::string kind_;
  std::string namespace__;
  std::string name_;
  bool aggregated_ = false;
  std::vector<PolicyRule> own_;
  std::vector<const PolicyRule*> effective_;
};

struct Subject {
  std::string_view kind;  // User, Group, ServiceAccount (or anything else as written)
  std::string_view name;
  // For a ServiceAccount: as written, else the RoleBinding's namespace; empty
  // when neither is set (the subject then matches nobody).
  std::string_view namespace_;
  uint32_t index = 0;  // position in `subjects`
  const core::Node* node = nullptr;
  std::string Pointer() const { return "/subjects/" + std::to_string(index); }
};

enum class RoleRefStatus {
  kResolved,  // the role is in the input (or is the built-in cluster-admin)
  kMissing,   // a valid reference to a role the input does not define
  kInvalid,   // a reference the API server would reject
};

struct Binding {
  const core::Resource* resource = nullptr;
  bool cluster = false;                  // ClusterRoleBinding
  std::string_view namespace_;           // RoleBinding's namespace; empty for a ClusterRoleBinding
  std::string_view role_kind;            // roleRef.kind as written
  std::string_view role_name;            // roleRef.name as written
  const core::Node* role_ref = nullptr;  // the roleRef object, if any
  RoleRefStatus status = RoleRefStatus::kMissing;
  const Role* role = nullptr;  // when resolved
  std::vector<Subject> subjects;
};

// A rule that grants a request, and the binding that gives it to subjects.
struct Grant {
  const Binding* binding = nullptr;
  const PolicyRule* rule = nullptr;
};

// Where a request is asked.
struct Scope {
  bool any_namespace = true;    // every namespace (and cluster-wide)
  std::string_view namespace_;  // else this namespace; "" = cluster-wide only
  bool cluster_scoped = false;  // the resource is not namespaced
};

class Model {
 public:
  static Model Build(const core::Inventory& inventory);

  const std::vector<std::unique_ptr<Role>>& roles() const { return roles_; }
  const std::vector<Binding>& bindings() const { return bindings_; }
  // kind "Role" (namespace required) or "ClusterRole"; nullptr if unknown.
  const Role* FindRole(std::string_view kind, std::string_view ns, std::string_view name) const;
  // The roles an aggregated ClusterRole selects directly (for messages and tests).
  std::vector<const Role*> SelectedBy(const Role& aggregated) const;

  // Every (binding, rule) that allows the request within the scope, in
  // binding order then rule order.
  std::vector<Grant> WhoCan(const Request& request, const Scope& scope) const;

 private:
  std::vector<std::unique_ptr<Role>> roles_;
  std::vector<Binding> bindings_;
  std::unordered_map<std::string, const Role*> index_;  // "kind\x1fns\x1fname"
  std::unordered_map<const Role*, std::vector<const Role*>> selected_;
};

// True for the role names Kubernetes (and kubeadm) provide: cluster-admin,
// admin, edit, view, every system: and kubeadm: role, and the
// extension-apiserver-authentication-reader Role; a binding to one of them is
// expected to reference a role the manifests do not define.
bool IsWellKnownRoleName(std::string_view name);

// Built-in API resources, for resolving what a user types ("pods",
// "deployments.apps", "pods/exec") into group/resource/subresource.
struct ResourceRef {
  std::string api_group;
  std::string resource;
  std::string subresource;
  bool cluster_scoped = false;
  bool known = false;  // listed in kspm's table of built-in resources
};
// "RESOURCE[.GROUP][/SUBRESOURCE]"; "*" means every resource of every group.
// An unknown resource without a group is an error (its group can't be guessed).
Result<ResourceRef> ParseResource(std::string_view text);
// Whether (group, resource) is a built-in cluster-scoped resource. "namespaces"
// is not counted: a RoleBinding does grant access to its own namespace object.
bool IsClusterScopedResource(std::string_view group, std::string_view resource);

}  // namespace kspm::engine::rbac

#include "engine/rbac_model.h"

#include <algorithm>
#include <array>
#include <span>
#include <unordered_set>

#include "core/label_selector.h"

namespace kspm::engine::rbac {

using core::Node;
using core::Resource;

namespace {

// Calls f(index, string) for every string item of a sequence node; stops when
// f returns true and returns that index, else -1.
template <typename F>
int FindItem(const Node* list, F f) {
  if (list == nullptr || !list->IsSequence()) return -1;
  int i = 0;
  for (const Node& item : list->items()) {
    if (item.IsString() && f(item.string_value())) return i;
    ++i;
  }
  return -1;
}

bool HasItems(const Node* list) {
  return list != nullptr && list->IsSequence() && list->size() > 0;
}

std::string_view StringOr(const Node* n, std::string_view fallback = {}) {
  return n != nullptr && n->IsString() ? n->string_value() : fallback;
}

std::string IndexKey(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string key;
  key.reserve(kind.size() + ns.size() + name.size() + 2);
  key.append(kind).push_back('\x1f');
  key.append(ns).push_back('\x1f');
  key.append(name);
  return key;
}

bool IsRbacApiVersion(std::string_view api_version) {
  return api_version.starts_with(kRbacGroup) && api_version.size() > kRbacGroup.size() &&
         api_version[kRbacGroup.size()] == '/';
}

// Whether two lists hold the same strings in the same order (non-strings skipped).
bool SameList(const Node* a, const Node* b) {
  std::span<const Node> x = a != nullptr && a->IsSequence() ? a->items() : std::span<const Node>{};
  std::span<const Node> y = b != nullptr && b->IsSequence() ? b->items() : std::span<const Node>{};
  size_t i = 0, j = 0;
  while (true) {
    while (i < x.size() && !x[i].IsString()) ++i;
    while (j < y.size() && !y[j].IsString()) ++j;
    if (i == x.size() || j == y.size()) return i == x.size() && j == y.size();
    if (x[i].string_value() != y[j].string_value()) return false;
    ++i;
    ++j;
  }
}

bool SameRule(const PolicyRule& a, const PolicyRule& b) {
  return SameList(a.verbs, b.verbs) && SameList(a.api_groups, b.api_groups) &&
         SameList(a.resources, b.resources) && SameList(a.resource_names, b.resource_names) &&
         SameList(a.non_resource_urls, b.non_resource_urls);
}

// The built-in cluster-admin ClusterRole, as Kubernetes bootstraps it:
// every verb on every resource, and every verb on every non-resource URL.
const std::vector<PolicyRule>& ClusterAdminRules() {
  static const std::vector<PolicyRule> rules = [] {
    static const Node star[] = {Node::String("*", {})};
    static const Node list = Node::Sequence(star, 1, {});
    static const core::Member resource_rule[] = {
        {Node::String("apiGroups", {}), list},
        {Node::String("resources", {}), list},
        {Node::String("verbs", {}), list},
    };
    static const core::Member url_rule[] = {
        {Node::String("nonResourceURLs", {}), list},
        {Node::String("verbs", {}), list},
    };
    static const Node rule_nodes[] = {Node::Mapping(resource_rule, 3, {}),
                                      Node::Mapping(url_rule, 2, {})};
    return std::vector<PolicyRule>{PolicyRule::FromNode(rule_nodes[0], 0),
                                   PolicyRule::FromNode(rule_nodes[1], 1)};
  }();
  return rules;
}

struct BuiltinResource {
  std::string_view resource;
  std::string_view group;
  bool cluster_scoped;
};

// Built-in resources of Kubernetes (plural names), with their API group.
constexpr BuiltinResource kBuiltinResources[] = {
    {"pods", "", false},
    {"services", "", false},
    {"endpoints", "", false},
    {"configmaps", "", false},
    {"secrets", "", false},
    {"serviceaccounts", "", false},
    {"persistentvolumeclaims", "", false},
    {"events", "", false},
    {"limitranges", "", false},
    {"resourcequotas", "", false},
    {"replicationcontrollers", "", false},
    {"podtemplates", "", false},
    {"bindings", "", false},
    {"nodes", "", true},
    {"namespaces", "", false},  // see IsClusterScopedResource
    {"persistentvolumes", "", true},
    {"componentstatuses", "", true},
    {"users", "", true},   // impersonation targets
    {"groups", "", true},  // impersonation targets
    {"deployments", "apps", false},
    {"statefulsets", "apps", false},
    {"daemonsets", "apps", false},
    {"replicasets", "apps", false},
    {"controllerrevisions", "apps", false},
    {"jobs", "batch", false},
    {"cronjobs", "batch", false},
    {"horizontalpodautoscalers", "autoscaling", false},
    {"poddisruptionbudgets", "policy", false},
    {"podsecuritypolicies", "policy", true},
    {"networkpolicies", "networking.k8s.io", false},
    {"ingresses", "networking.k8s.io", false},
    {"ingressclasses", "networking.k8s.io", true},
    {"ipaddresses", "networking.k8s.io", true},
    {"servicecidrs", "networking.k8s.io", true},
    {"endpointslices", "discovery.k8s.io", false},
    {"roles", "rbac.authorization.k8s.io", false},
    {"rolebindings", "rbac.authorization.k8s.io", false},
    {"clusterroles", "rbac.authorization.k8s.io", true},
    {"clusterrolebindings", "rbac.authorization.k8s.io", true},
    {"storageclasses", "storage.k8s.io", true},
    {"csidrivers", "storage.k8s.io", true},
    {"csinodes", "storage.k8s.io", true},
    {"volumeattachments", "storage.k8s.io", true},
    {"volumeattributesclasses", "storage.k8s.io", true},
    {"csistoragecapacities", "storage.k8s.io", false},
    {"validatingwebhookconfigurations", "admissionregistration.k8s.io", true},
    {"mutatingwebhookconfigurations", "admissionregistration.k8s.io", true},
    {"validatingadmissionpolicies", "admissionregistration.k8s.io", true},
    {"validatingadmissionpolicybindings", "admissionregistration.k8s.io", true},
    {"mutatingadmissionpolicies", "admissionregistration.k8s.io", true},
    {"mutatingadmissionpolicybindings", "admissionregistration.k8s.io", true},
    {"customresourcedefinitions", "apiextensions.k8s.io", true},
    {"apiservices", "apiregistration.k8s.io", true},
    {"certificatesigningrequests", "certificates.k8s.io", true},
    {"clustertrustbundles", "certificates.k8s.io", true},
    {"signers", "certificates.k8s.io", true},
    {"leases", "coordination.k8s.io", false},
    {"priorityclasses", "scheduling.k8s.io", true},
    {"runtimeclasses", "node.k8s.io", true},
    {"tokenreviews", "authentication.k8s.io", true},
    {"selfsubjectreviews", "authentication.k8s.io", true},
    {"userextras", "authentication.k8s.io", true},
    {"uids", "authentication.k8s.io", true},
    {"subjectaccessreviews", "authorization.k8s.io", true},
    {"selfsubjectaccessreviews", "authorization.k8s.io", true},
    {"selfsubjectrulesreviews", "authorization.k8s.io", true},
    {"localsubjectaccessreviews", "authorization.k8s.io", false},
    {"flowschemas", "flowcontrol.apiserver.k8s.io", true},
    {"prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io", true},
    {"deviceclasses", "resource.k8s.io", true},
    {"resourceslices", "resource.k8s.io", true},
    {"resourceclaims", "resource.k8s.io", false},
    {"resourceclaimtemplates", "resource.k8s.io", false},
};

const BuiltinResource* FindBuiltin(std::string_view resource, std::string_view group,
                                   bool any_group) {
  for (const BuiltinResource& b : kBuiltinResources) {
    if (b.resource == resource && (any_group || b.group == group)) return &b;
  }
  return nullptr;
}

}  // namespace

// --- Rules -------------------------------------------------------------------

PolicyRule PolicyRule::FromNode(const Node& rule, uint32_t index) {
  PolicyRule r;
  r.node = &rule;
  r.index = index;
  r.verbs = rule.Get("verbs");
  r.api_groups = rule.Get("apiGroups");
  r.resources = rule.Get("resources");
  r.resource_names = rule.Get("resourceNames");
  r.non_resource_urls = rule.Get("nonResourceURLs");
  return r;
}

int FirstVerbMatch(const PolicyRule& rule, std::string_view verb) {
  return FindItem(rule.verbs, [&](std::string_view v) { return v == "*" || v == verb; });
}

int FirstApiGroupMatch(const PolicyRule& rule, std::string_view group) {
  return FindItem(rule.api_groups, [&](std::string_view g) { return g == "*" || g == group; });
}

int FirstResourceMatch(const PolicyRule& rule, std::string_view resource,
                       std::string_view subresource) {
  return FindItem(rule.resources, [&](std::string_view r) {
    if (r == "*") return true;
    if (subresource.empty()) return r == resource;
    // The combined "resource/subresource", or "*/subresource".
    if (r.size() == resource.size() + 1 + subresource.size() && r.starts_with(resource) &&
        r[resource.size()] == '/' && r.ends_with(subresource)) {
      return true;
    }
    return r.size() == subresource.size() + 2 && r.starts_with("*/") && r.ends_with(subresource);
  });
}

bool VerbMatches(const PolicyRule& rule, std::string_view verb) {
  return FirstVerbMatch(rule, verb) >= 0;
}

bool ApiGroupMatches(const PolicyRule& rule, std::string_view group) {
  return FirstApiGroupMatch(rule, group) >= 0;
}

bool ResourceMatches(const PolicyRule& rule, std::string_view resource,
                     std::string_view subresource) {
  return FirstResourceMatch(rule, resource, subresource) >= 0;
}

bool ResourceNameMatches(const PolicyRule& rule, std::string_view name) {
  if (!HasItems(rule.resource_names)) return true;
  return FindItem(rule.resource_names, [&](std::string_view n) { return n == name; }) >= 0;
}

bool NonResourceUrlMatches(const PolicyRule& rule, std::string_view url) {
  return FindItem(rule.non_resource_urls, [&](std::string_view u) {
           if (u == "*" || u == url) return true;
           if (!u.ends_with('*')) return false;
           // Kubernetes trims every trailing "*" before the prefix test.
           size_t end = u.find_last_not_of('*');
           std::string_view prefix = end == std::string_view::npos ? "" : u.substr(0, end + 1);
           return url.starts_with(prefix);
         }) >= 0;
}

bool RuleAllows(const PolicyRule& rule, const Request& request) {
  if (!VerbMatches(rule, request.verb)) return false;
  if (!request.IsResourceRequest()) return NonResourceUrlMatches(rule, request.non_resource_url);
  return ApiGroupMatches(rule, request.api_group) &&
         ResourceMatches(rule, request.resource, request.subresource) &&
         ResourceNameMatches(rule, request.name);
}

bool IsFullWildcard(const PolicyRule& rule) {
  auto has_star = [](const Node* list) {
    return FindItem(list, [](std::string_view s) { return s == "*"; }) >= 0;
  };
  return has_star(rule.verbs) && has_star(rule.api_groups) && has_star(rule.resources) &&
         !HasItems(rule.resource_names);
}

// --- Label selectors -------------------------------------------------------

namespace {

// What the aggregation has always accepted beyond the API server's checks: an
// empty expression key, non-string items in `values`, and unknown fields (read
// as a client without strict validation stores them: dropped).
constexpr core::SelectorLeniency kAggregationLeniency{
    .empty_keys = true, .non_string_values = true, .unknown_fields = true};

// A null item of clusterRoleSelectors decodes to an empty selector: everything.
core::LabelSelector ParseAggregationSelector(const Node& selector,
                                             std::vector<core::FieldProblem>& problems) {
  return core::LabelSelector::Parse(&selector, "", problems, kAggregationLeniency);
}

// Labels of a role as the aggregation reads them: a non-string value is
// present (Exists holds) but equals no selector value.
core::LabelSet RoleLabels(const Node* labels) {
  return core::LabelSet(labels, core::LabelSet::NonString::kUnequal);
}

}  // namespace

Result<bool> SelectorMatches(const Node& selector, const Node* labels) {
  std::vector<core::FieldProblem> problems;
  core::LabelSelector sel = ParseAggregationSelector(selector, problems);
  if (!sel.valid()) {
    const core::FieldProblem& p = problems.front();
    return InvalidArgument("invalid label selector" +
                           (p.pointer.empty() ? std::string() : " at " + p.pointer) + ": " +
                           p.message);
  }
  return sel.Matches(RoleLabels(labels));
}

// --- Model -------------------------------------------------------------------

std::string Role::DisplayName() const {
  std::string out(kind_);
  out += '/';
  if (!namespace__.empty()) {
    out += namespace__;
    out += '/';
  }
  out += name_;
  return out;
}

bool IsWellKnownRoleName(std::string_view name) {
  return name == "cluster-admin" || name == "admin" || name == "edit" || name == "view" ||
         name.starts_with("system:") || name.starts_with("kubeadm:") ||
         name == "extension-apiserver-authentication-reader";
}

Model Model::Build(const core::Inventory& inventory) {
  Model m;
  // Roles first, so bindings can be resolved in one pass.
  for (const Resource& r : inventory.resources()) {
    bool cluster = r.kind == "ClusterRole";
    if ((!cluster && r.kind != "Role") || !IsRbacApiVersion(r.api_version)) continue;
    auto role = std::make_unique<Role>();
    role->resource_ = &r;
    role->kind_ = r.kind;
    role->namespace__ = std::string(r.effective_namespace());
    role->name_ = r.name;
    if (const Node* rules = r.root->Get("rules"); rules != nullptr && rules->IsSequence()) {
      uint32_t i = 0;
      for (const Node& rule : rules->items()) {
        if (rule.IsMapping()) role->own_.push_back(PolicyRule::FromNode(rule, i));
        ++i;
      }
    }
    const Node* agg = r.root->Get("aggregationRule");
    role->aggregated_ = cluster && agg != nullptr && agg->IsMapping();
    // A later duplicate (same kind, namespace, name) replaces an earlier one,
    // as a later `kubectl apply` of the same object would.
    m.index_[IndexKey(role->kind_, role->namespace__, role->name_)] = role.get();
    m.roles_.push_back(std::move(role));
  }
  for (auto& role : m.roles_) {
    for (PolicyRule& rule : role->own_) rule.role = role.get();
  }
  if (m.FindRole("ClusterRole", "", "cluster-admin") == nullptr) {
    auto admin = std::make_unique<Role>();
    admin->kind_ = "ClusterRole";
    admin->name_ = "cluster-admin";
    admin->own_ = ClusterAdminRules();
    for (PolicyRule& rule : admin->own_) rule.role = admin.get();
    m.index_[IndexKey("ClusterRole", "", "cluster-admin")] = admin.get();
    m.roles_.push_back(std::move(admin));
  }

  // Aggregation: the roles each aggregated ClusterRole selects directly. The
  // controller gives up on a role whose selectors are invalid.
  std::vector<Role*> cluster_roles;
  for (auto& role : m.roles_) {
    if (role->kind_ == "ClusterRole" && !role->builtin()) cluster_roles.push_back(role.get());
  }
  for (Role* agg : cluster_roles) {
    if (!agg->aggregated_) continue;
    const Node* selectors =
        agg->resource_->root->Get("aggregationRule")->Get("clusterRoleSelectors");
    std::vector<const Role*> selected;
    bool valid = selectors == nullptr || selectors->IsNull() || selectors->IsSequence();
    for (const Node& sel : valid&& selectors ? selectors->items() : std::span<const Node>{}) {
      std::vector<core::FieldProblem> problems;
      core::LabelSelector selector = ParseAggregationSelector(sel, problems);
      if (!selector.valid()) {
        valid = false;
        break;
      }
      for (Role* candidate : cluster_roles) {
        if (candidate == agg) continue;  // never itself
        const Node* md = candidate->resource_->metadata();
        if (selector.Matches(RoleLabels(md ? md->Get("labels") : nullptr)) &&
            std::find(selected.begin(), selected.end(), candidate) == selected.end()) {
          selected.push_back(candidate);
        }
      }
    }
    if (!valid) selected.clear();
    // The controller reads selected roles by name order.
    std::sort(selected.begin(), selected.end(),
              [](const Role* a, const Role* b) { return a->name_ < b->name_; });
    m.selected_[agg] = std::move(selected);
  }

  // Effective rules: reachability through aggregation, cycle-safe.
  for (auto& role : m.roles_) {
    std::vector<const PolicyRule*> out;
    auto add = [&](const PolicyRule& rule) {
      for (const PolicyRule* have : out) {
        if (SameRule(*have, rule)) return;
      }
      out.push_back(&rule);
    };
    if (role->aggregated_) {
      std::unordered_set<const Role*> seen{role.get()};
      std::vector<const Role*> stack;
      auto push_selected = [&](const Role* r) {
        auto it = m.selected_.find(r);
        if (it == m.selected_.end()) return;
        // Reverse so the stack pops in the controller's (name) order.
        for (auto s = it->second.rbegin(); s != it->second.rend(); ++s) {
          if (seen.insert(*s).second) stack.push_back(*s);
        }
      };
      push_selected(role.get());
      while (!stack.empty()) {
        const Role* r = stack.back();
        stack.pop_back();
        for (const PolicyRule& rule : r->own_) add(rule);
        if (r->aggregated_) push_selected(r);
      }
    }
    if (role->aggregated_) {
      for (const PolicyRule& rule : role->own_) add(rule);
    } else {
      // Kubernetes keeps a plain role's rules as written, duplicates included.
      for (const PolicyRule& rule : role->own_) out.push_back(&rule);
    }
    role->effective_ = std::move(out);
  }

  // Bindings.
  for (const Resource& r : inventory.resources()) {
    bool cluster = r.kind == "ClusterRoleBinding";
    if ((!cluster && r.kind != "RoleBinding") || !IsRbacApiVersion(r.api_version)) continue;
    Binding b;
    b.resource = &r;
    b.cluster = cluster;
    b.namespace_ = r.effective_namespace();
    const Node* ref = r.root->Get("roleRef");
    b.role_ref = ref != nullptr && ref->IsMapping() ? ref : nullptr;
    if (b.role_ref != nullptr) {
      b.role_kind = StringOr(ref->Get("kind"));
      b.role_name = StringOr(ref->Get("name"));
      std::string_view group = StringOr(ref->Get("apiGroup"));
      bool kind_ok = b.role_kind == "ClusterRole" || (!cluster && b.role_kind == "Role");
      // An empty apiGroup is defaulted to rbac.authorization.k8s.io.
      bool group_ok = group.empty() || group == kRbacGroup;
      if (!kind_ok || !group_ok || b.role_name.empty()) {
        b.status = RoleRefStatus::kInvalid;
      } else {
        b.role = m.FindRole(b.role_kind, b.role_kind == "Role" ? b.namespace_ : "", b.role_name);
        b.status = b.role != nullptr ? RoleRefStatus::kResolved : RoleRefStatus::kMissing;
      }
    } else {
      b.status = RoleRefStatus::kInvalid;
    }
    if (const Node* subjects = r.root->Get("subjects");
        subjects != nullptr && subjects->IsSequence()) {
      uint32_t i = 0;
      for (const Node& s : subjects->items()) {
        uint32_t index = i++;
        if (!s.IsMapping()) continue;
        Subject subject;
        subject.index = index;
        subject.node = &s;
        subject.kind = StringOr(s.Get("kind"));
        subject.name = StringOr(s.Get("name"));
        subject.namespace_ = StringOr(s.Get("namespace"));
        if (subject.kind == "ServiceAccount" && subject.namespace_.empty() && !cluster) {
          subject.namespace_ = b.namespace_;
        }
        b.subjects.push_back(subject);
      }
    }
    m.bindings_.push_back(std::move(b));
  }
  return m;
}

const Role* Model::FindRole(std::string_view kind, std::string_view ns,
                            std::string_view name) const {
  auto it = index_.find(IndexKey(kind, kind == "ClusterRole" ? "" : ns, name));
  return it == index_.end() ? nullptr : it->second;
}

std::vector<const Role*> Model::SelectedBy(const Role& aggregated) const {
  auto it = selected_.find(&aggregated);
  return it == selected_.end() ? std::vector<const Role*>{} : it->second;
}

std::vector<Grant> Model::WhoCan(const Request& request, const Scope& scope) const {
  std::vector<Grant> out;
  bool namespace_object =
      request.IsResourceRequest() && request.api_group.empty() && request.resource == "namespaces";
  for (const Binding& b : bindings_) {
    if (b.status != RoleRefStatus::kResolved) continue;
    if (!b.cluster) {
      // A RoleBinding applies only to requests in its namespace: never to
      // non-resource URLs or cluster-scoped resources. A request about a
      // namespace object is in that namespace.
      if (!request.IsResourceRequest()) continue;
      if (namespace_object) {
        if (request.name.empty() || request.name != b.namespace_) continue;
      } else if (scope.cluster_scoped) {
        continue;
      } else if (!scope.any_namespace && scope.namespace_ != b.namespace_) {
        continue;
      }
    }
    for (const PolicyRule* rule : b.role->rules()) {
      if (RuleAllows(*rule, request)) out.push_back({&b, rule});
    }
  }
  return out;
}

// --- Resources ---------------------------------------------------------------

bool IsClusterScopedResource(std::string_view group, std::string_view resource) {
  const BuiltinResource* b = FindBuiltin(resource, group, false);
  return b != nullptr && b->cluster_scoped;
}

Result<ResourceRef> ParseResource(std::string_view text) {
  ResourceRef ref;
  std::string_view base = text;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    ref.subresource = std::string(text.substr(slash + 1));
    base = text.substr(0, slash);
    if (ref.subresource.empty() || ref.subresource.find('/') != std::string::npos) {
      return InvalidArgument("invalid resource \"" + std::string(text) +
                             "\": expected RESOURCE[.GROUP][/SUBRESOURCE]");
    }
  }
  if (base.empty()) {
    return InvalidArgument("invalid resource \"" + std::string(text) +
                           "\": expected RESOURCE[.GROUP][/SUBRESOURCE]");
  }
  if (base == "*") {
    ref.resource = "*";
    ref.api_group = "*";
    ref.known = true;
    return ref;
  }
  size_t dot = base.find('.');
  std::string_view resource = base.substr(0, dot);
  if (dot == std::string_view::npos) {
    const BuiltinResource* b = FindBuiltin(resource, "", true);
    if (b == nullptr) {
      return InvalidArgument("unknown resource \"" + std::string(resource) +
                             "\": name its API group as RESOURCE.GROUP (e.g. "
                             "certificates.cert-manager.io)");
    }
    ref.resource = std::string(b->resource);
    ref.api_group = std::string(b->group);
    ref.cluster_scoped = b->cluster_scoped;
    ref.known = true;
    return ref;
  }
  ref.resource = std::string(resource);
  ref.api_group = std::string(base.substr(dot + 1));
  if (ref.api_group == "core") ref.api_group.clear();  // "pods.core" is an alias for the core group
  if (const BuiltinResource* b = FindBuiltin(ref.resource, ref.api_group, false)) {
    ref.cluster_scoped = b->cluster_scoped;
    ref.known = true;
  }
  return ref;
}

}  // namespace kspm::engine::rbac

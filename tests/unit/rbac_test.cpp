// The RBAC model (matching with the authorizer's semantics, selectors,
// aggregation, binding resolution, who-can) and the RBAC rules' tricky cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/rbac_model.h"
#include "rules/builtin.h"

namespace kspm::engine::rbac {
namespace {

core::LoadResult Load(const std::string& yaml) {
  core::LoadResult loaded = core::DecodeSources({{"in.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error);
  return loaded;
}

// One rule object parsed from flow YAML, kept alive with its document.
struct RuleFixture {
  core::LoadResult loaded;
  PolicyRule rule;
  explicit RuleFixture(const std::string& rule_yaml)
      : loaded(Load("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                    "metadata: {name: r}\nrules:\n- " +
                    rule_yaml + "\n")) {
    const core::Node* rules = loaded.inventory.resources().at(0).root->Get("rules");
    rule = PolicyRule::FromNode(rules->items()[0], 0);
  }
};

struct MatchCase {
  const char* rule;
  Request request;
  bool allowed;
};

TEST(RbacMatching, AuthorizerSemantics) {
  const MatchCase cases[] = {
      // Verbs: exact or "*", case-sensitive.
      {"{apiGroups: [''], resources: [pods], verbs: [get]}", {"get", "", "pods"}, true},
      {"{apiGroups: [''], resources: [pods], verbs: [get]}", {"list", "", "pods"}, false},
      {"{apiGroups: [''], resources: [pods], verbs: ['*']}", {"delete", "", "pods"}, true},
      {"{apiGroups: [''], resources: [pods], verbs: [GET]}", {"get", "", "pods"}, false},
      // API groups: "" is core; "*" is any; a group is exact.
      {"{apiGroups: [apps], resources: [pods], verbs: [get]}", {"get", "", "pods"}, false},
      {"{apiGroups: ['*'], resources: [deployments], verbs: [get]}",
       {"get", "apps", "deployments"},
       true},
      {"{apiGroups: [''], resources: [deployments], verbs: [get]}",
       {"get", "apps", "deployments"},
       false},
      // Resources: "*" covers subresources; a resource never covers its subresources.
      {"{apiGroups: [''], resources: ['*'], verbs: [create]}",
       {"create", "", "pods", "exec"},
       true},
      {"{apiGroups: [''], resources: [pods], verbs: [create]}",
       {"create", "", "pods", "exec"},
       false},
      {"{apiGroups: [''], resources: [pods/exec], verbs: [create]}",
       {"create", "", "pods", "exec"},
       true},
      {"{apiGroups: [''], resources: [pods/exec], verbs: [create]}", {"create", "", "pods"}, false},
      {"{apiGroups: [apps], resources: ['*/scale'], verbs: [update]}",
       {"update", "apps", "deployments", "scale"},
       true},
      {"{apiGroups: [apps], resources: ['*/scale'], verbs: [update]}",
       {"update", "apps", "deployments"},
       false},
      // "pods/*" is not a pattern in Kubernetes.
      {"{apiGroups: [''], resources: ['pods/*'], verbs: [create]}",
       {"create", "", "pods", "exec"},
       false},
      {"{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}",
       {"get", "", "pods", "proxy"},
       false},
      // resourceNames: only those names; never "any object".
      {"{apiGroups: [''], resources: [secrets], resourceNames: [db], verbs: [get]}",
       {"get", "", "secrets", "", "db"},
       true},
      {"{apiGroups: [''], resources: [secrets], resourceNames: [db], verbs: [get]}",
       {"get", "", "secrets", "", "other"},
       false},
      {"{apiGroups: [''], resources: [secrets], resourceNames: [db], verbs: [list]}",
       {"list", "", "secrets"},
       false},
      {"{apiGroups: [''], resources: [secrets], resourceNames: [], verbs: [list]}",
       {"list", "", "secrets"},
       true},
      // Wrong types grant nothing.
      {"{apiGroups: [''], resources: [secrets], verbs: get}", {"get", "", "secrets"}, false},
      {"{apiGroups: [''], resources: [secrets, 1], verbs: [get]}", {"get", "", "secrets"}, true},
      {"{apiGroups: [''], resources: [true], verbs: [get]}", {"get", "", "true"}, false},
      // Non-resource URLs: exact, "*", or a trailing-"*" prefix; verbs still matter.
      {"{nonResourceURLs: [/metrics], verbs: [get]}", {"get", "", "", "", "", "/metrics"}, true},
      {"{nonResourceURLs: [/metrics], verbs: [get]}", {"post", "", "", "", "", "/metrics"}, false},
      {"{nonResourceURLs: ['/api/*'], verbs: [get]}", {"get", "", "", "", "", "/api/v1"}, true},
      {"{nonResourceURLs: ['/api/*'], verbs: [get]}", {"get", "", "", "", "", "/apis"}, false},
      {"{nonResourceURLs: ['/healthz*'], verbs: [get]}",
       {"get", "", "", "", "", "/healthz/etcd"},
       true},
      {"{nonResourceURLs: ['*'], verbs: ['*']}", {"get", "", "", "", "", "/debug/pprof"}, true},
      // A resource rule never grants a non-resource URL, and the reverse.
      {"{apiGroups: ['*'], resources: ['*'], verbs: ['*']}",
       {"get", "", "", "", "", "/metrics"},
       false},
      {"{nonResourceURLs: ['*'], verbs: ['*']}", {"get", "", "pods"}, false},
  };
  for (const MatchCase& c : cases) {
    RuleFixture f(c.rule);
    EXPECT_EQ(RuleAllows(f.rule, c.request), c.allowed)
        << c.rule << " for " << c.request.verb << " " << c.request.api_group << "/"
        << c.request.resource << "/" << c.request.subresource << " name=" << c.request.name
        << " url=" << c.request.non_resource_url;
  }
}

TEST(RbacMatching, FullWildcardAndFirstMatch) {
  EXPECT_TRUE(
      IsFullWildcard(RuleFixture("{apiGroups: ['*'], resources: ['*'], verbs: ['*']}").rule));
  EXPECT_FALSE(
      IsFullWildcard(RuleFixture("{apiGroups: ['*'], resources: ['*'], verbs: [get]}").rule));
  EXPECT_FALSE(IsFullWildcard(
      RuleFixture("{apiGroups: ['*'], resources: ['*'], resourceNames: [x], verbs: ['*']}").rule));
  RuleFixture f("{apiGroups: [''], resources: [pods, '*/exec', secrets], verbs: [list, get]}");
  EXPECT_EQ(FirstResourceMatch(f.rule, "pods", "exec"), 1);
  EXPECT_EQ(FirstResourceMatch(f.rule, "secrets", ""), 2);
  EXPECT_EQ(FirstVerbMatch(f.rule, "get"), 1);
  EXPECT_EQ(FirstVerbMatch(f.rule, "watch"), -1);
}

bool Selects(const std::string& selector, const std::string& labels) {
  core::LoadResult l = Load("apiVersion: v1\nkind: X\nmetadata: {name: x}\nsel: " + selector +
                            "\nlabels: " + labels + "\n");
  const core::Node* root = l.inventory.resources().at(0).root;
  Result<bool> r = SelectorMatches(*root->Get("sel"), root->Get("labels"));
  EXPECT_TRUE(r.ok()) << selector << ": " << r.status().message();
  return r.ok() && *r;
}

TEST(RbacSelectors, MatchLabelsAndExpressions) {
  EXPECT_TRUE(Selects("{}", "{a: b}"));  // empty selects everything
  EXPECT_TRUE(Selects("null", "{}"));    // a null list item decodes to an empty selector
  EXPECT_TRUE(Selects("{matchLabels: {a: b}}", "{a: b, c: d}"));
  EXPECT_FALSE(Selects("{matchLabels: {a: b}}", "{a: c}"));
  EXPECT_FALSE(Selects("{matchLabels: {a: b}}", "{}"));
  EXPECT_FALSE(Selects("{matchLabels: {a: 'true'}}", "{a: true}"));  // a bool is no label value
  EXPECT_TRUE(Selects("{matchExpressions: [{key: a, operator: In, values: [x, z]}]}", "{a: z}"));
  EXPECT_FALSE(Selects("{matchExpressions: [{key: a, operator: In, values: [x]}]}", "{}"));
  EXPECT_TRUE(Selects("{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}", "{}"));
  EXPECT_FALSE(Selects("{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}", "{a: x}"));
  EXPECT_TRUE(Selects("{matchExpressions: [{key: a, operator: Exists}]}", "{a: ''}"));
  EXPECT_TRUE(Selects("{matchExpressions: [{key: a, operator: DoesNotExist}]}", "{b: c}"));
  // matchLabels and matchExpressions must all hold.
  EXPECT_FALSE(
      Selects("{matchLabels: {a: b}, matchExpressions: [{key: c, operator: Exists}]}", "{a: b}"));
}

TEST(RbacSelectors, InvalidSelectorsAreErrors) {
  for (const char* sel : {"{matchExpressions: [{key: a, operator: Like, values: [x]}]}",
                          "{matchExpressions: [{key: a, operator: In}]}",
                          "{matchExpressions: [{key: a, operator: Exists, values: [x]}]}",
                          "{matchLabels: [a]}", "[a]"}) {
    core::LoadResult l =
        Load("apiVersion: v1\nkind: X\nmetadata: {name: x}\nsel: " + std::string(sel) + "\n");
    const core::Node* root = l.inventory.resources().at(0).root;
    EXPECT_FALSE(SelectorMatches(*root->Get("sel"), nullptr).ok()) << sel;
  }
}

std::set<std::string> RuleSources(const Role& role) {
  std::set<std::string> out;
  for (const PolicyRule* r : role.rules()) {
    out.insert(r->role->DisplayName() + "#" + std::to_string(r->index));
  }
  return out;
}

constexpr const char* kAggregation = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: top}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {tier: middle}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: middle, labels: {tier: middle}}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions: [{key: tier, operator: In, values: [leaf]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: leaf-a, labels: {tier: leaf}}
rules:
- {apiGroups: [''], resources: [pods], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: leaf-b, labels: {tier: leaf}}
rules:
- {apiGroups: [''], resources: [pods], verbs: [get]}
- {apiGroups: [''], resources: [secrets], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: other, labels: {tier: other}}
rules:
- {apiGroups: [''], resources: [nodes], verbs: [get]}
)";

TEST(RbacAggregation, TransitiveAndDeduplicated) {
  core::LoadResult l = Load(kAggregation);
  Model m = Model::Build(l.inventory);
  const Role* top = m.FindRole("ClusterRole", "", "top");
  ASSERT_NE(top, nullptr);
  EXPECT_TRUE(top->aggregated());
  // top selects middle, which selects both leaves; leaf-b's pods rule is a
  // duplicate of leaf-a's and is dropped, as the controller does.
  EXPECT_EQ(RuleSources(*top),
            (std::set<std::string>{"ClusterRole/leaf-a#0", "ClusterRole/leaf-b#1"}));
  EXPECT_EQ(RuleSources(*m.FindRole("ClusterRole", "", "middle")),
            (std::set<std::string>{"ClusterRole/leaf-a#0", "ClusterRole/leaf-b#1"}));
  EXPECT_EQ(m.SelectedBy(*top).size(), 1u);
}

TEST(RbacAggregation, CyclesAndSelfSelectionTerminate) {
  core::LoadResult l = Load(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {ring: "1"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {ring: "1"}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {ring: "1"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {ring: "1"}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: c, labels: {ring: "1"}}
rules:
- {apiGroups: [''], resources: [configmaps], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: self, labels: {me: "yes"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {me: "yes"}}]}
rules:
- {apiGroups: [''], resources: [pods], verbs: [list]}
)");
  Model m = Model::Build(l.inventory);
  // a and b select each other and c: both end with c's rule only.
  EXPECT_EQ(RuleSources(*m.FindRole("ClusterRole", "", "a")),
            (std::set<std::string>{"ClusterRole/c#0"}));
  EXPECT_EQ(RuleSources(*m.FindRole("ClusterRole", "", "b")),
            (std::set<std::string>{"ClusterRole/c#0"}));
  // A role never aggregates itself; its own rules (as a dump shows them) stay.
  const Role* self = m.FindRole("ClusterRole", "", "self");
  EXPECT_TRUE(m.SelectedBy(*self).empty());
  EXPECT_EQ(RuleSources(*self), (std::set<std::string>{"ClusterRole/self#0"}));
}

TEST(RbacAggregation, InvalidSelectorAggregatesNothing) {
  core::LoadResult l = Load(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {x: "1"}
  - matchExpressions: [{key: x, operator: Sometimes}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: src, labels: {x: "1"}}
rules:
- {apiGroups: [''], resources: [pods], verbs: [list]}
)");
  Model m = Model::Build(l.inventory);
  EXPECT_TRUE(m.FindRole("ClusterRole", "", "agg")->rules().empty());
}

constexpr const char* kBindings = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: team}
rules:
- {apiGroups: [''], resources: [secrets, nodes], verbs: [get, list]}
- {apiGroups: [''], resources: [namespaces], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: team}
subjects:
- {kind: ServiceAccount, name: app}
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: elsewhere, namespace: other}
subjects: [{kind: Group, name: devs}]
roleRef: {kind: Role, name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
subjects:
- {kind: Group, name: ops}
- {kind: ServiceAccount, name: no-namespace}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: bad-kind}
subjects: [{kind: Group, name: x}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
)";

TEST(RbacBindings, ResolutionAndSubjects) {
  core::LoadResult l = Load(kBindings);
  Model m = Model::Build(l.inventory);
  ASSERT_EQ(m.bindings().size(), 4u);
  const Binding& rb = m.bindings()[0];
  EXPECT_EQ(rb.status, RoleRefStatus::kResolved);
  EXPECT_EQ(rb.role->DisplayName(), "Role/team/reader");
  // A ServiceAccount without a namespace is in the RoleBinding's namespace.
  EXPECT_EQ(rb.subjects[0].namespace_, "team");
  EXPECT_EQ(rb.subjects[1].namespace_, "");
  // A Role is looked up in the binding's own namespace only.
  EXPECT_EQ(m.bindings()[1].status, RoleRefStatus::kMissing);
  // cluster-admin is known even when the input does not define it.
  EXPECT_EQ(m.bindings()[2].status, RoleRefStatus::kResolved);
  EXPECT_TRUE(m.bindings()[2].role->builtin());
  EXPECT_EQ(m.bindings()[2].subjects[1].namespace_, "");
  // A ClusterRoleBinding cannot reference a Role.
  EXPECT_EQ(m.bindings()[3].status, RoleRefStatus::kInvalid);
}

std::vector<std::string> WhoCanNames(const Model& m, const Request& r, const Scope& s) {
  std::vector<std::string> out;
  for (const Grant& g : m.WhoCan(r, s)) out.push_back(g.binding->resource->name);
  return out;
}

TEST(RbacWhoCan, ScopesFollowTheAuthorizer) {
  core::LoadResult l = Load(kBindings);
  Model m = Model::Build(l.inventory);
  using V = std::vector<std::string>;
  Scope any;
  Scope team{false, "team", false};
  Scope other{false, "other", false};
  EXPECT_EQ(WhoCanNames(m, {"get", "", "secrets"}, any), (V{"rb", "admins"}));
  EXPECT_EQ(WhoCanNames(m, {"get", "", "secrets"}, team), (V{"rb", "admins"}));
  EXPECT_EQ(WhoCanNames(m, {"get", "", "secrets"}, other), (V{"admins"}));
  // A RoleBinding never grants cluster-scoped resources or non-resource URLs.
  Scope cluster{true, "", true};
  EXPECT_EQ(WhoCanNames(m, {"get", "", "nodes"}, cluster), (V{"admins"}));
  EXPECT_EQ(WhoCanNames(m, {"get", "", "", "", "", "/metrics"}, cluster), (V{"admins"}));
  // The namespace object of the binding's own namespace is reachable.
  EXPECT_EQ(WhoCanNames(m, {"get", "", "namespaces", "", "team"}, any), (V{"rb", "admins"}));
  EXPECT_EQ(WhoCanNames(m, {"get", "", "namespaces", "", "kube-system"}, any), (V{"admins"}));
  EXPECT_EQ(WhoCanNames(m, {"list", "", "namespaces"}, any), (V{"admins"}));
}

TEST(RbacResources, ParseResource) {
  auto ok = [](std::string_view text) {
    Result<ResourceRef> r = ParseResource(text);
    EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
    return r.ok() ? *r : ResourceRef{};
  };
  ResourceRef pods = ok("pods/exec");
  EXPECT_EQ(pods.api_group, "");
  EXPECT_EQ(pods.resource, "pods");
  EXPECT_EQ(pods.subresource, "exec");
  EXPECT_EQ(ok("deployments").api_group, "apps");
  EXPECT_EQ(ok("deployments.apps/scale").subresource, "scale");
  EXPECT_TRUE(ok("nodes").cluster_scoped);
  EXPECT_FALSE(ok("secrets").cluster_scoped);
  ResourceRef custom = ok("certificates.cert-manager.io");
  EXPECT_FALSE(custom.known);
  EXPECT_EQ(custom.api_group, "cert-manager.io");
  EXPECT_EQ(ok("*").api_group, "*");
  EXPECT_EQ(ok("pods.core").api_group, "");
  for (std::string_view bad : {"certificates", "pods/", "/exec", "pods/exec/x", ""}) {
    EXPECT_FALSE(ParseResource(bad).ok()) << bad;
  }
  EXPECT_TRUE(IsClusterScopedResource("", "persistentvolumes"));
  EXPECT_FALSE(IsClusterScopedResource("", "namespaces"));
  EXPECT_FALSE(IsClusterScopedResource("apps", "nodes"));
}

// --- The rules --------------------------------------------------------------

struct RuleResult {
  std::string resource;
  FindingStatus status;
  std::vector<std::string> pointers;
};

std::vector<RuleResult> RunRule(const std::string& id, const std::string& yaml) {
  RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  const Rule* rule = registry.Find(id);
  EXPECT_NE(rule, nullptr) << id;
  core::LoadResult l = Load(yaml);
  RuleContext ctx{&l.inventory, 37};
  std::vector<RuleResult> out;
  for (const Finding& f : Evaluate({rule}, l.inventory, ctx, 1)) {
    RuleResult r{f.resource ? f.resource->DisplayName() : "", f.status, {}};
    for (const Evidence& e : f.evidence()) r.pointers.push_back(e.pointer);
    out.push_back(std::move(r));
  }
  return out;
}

std::string RoleYaml(const std::string& kind, const std::string& rules,
                     const std::string& extra_metadata = "") {
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata: {name: r" +
         (kind == "Role" ? ", namespace: ns" : "") + extra_metadata + "}\nrules:\n" + rules;
}

TEST(RbacRules, EvidencePointsAtTheGrantingEntry) {
  auto r = RunRule("RBAC-003",
                   RoleYaml("ClusterRole",
                            "- {apiGroups: [''], resources: [configmaps], verbs: [get]}\n"
                            "- {apiGroups: ['*'], resources: [pods, '*'], verbs: [list]}\n"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, FindingStatus::kFail);
  EXPECT_EQ(r[0].pointers, (std::vector<std::string>{"/rules/1/resources/1"}));
  auto v = RunRule("RBAC-007", RoleYaml("Role",
                                        "- {apiGroups: ['*'], resources: [clusterroles], "
                                        "verbs: [get, bind]}\n"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointers, (std::vector<std::string>{"/rules/0/verbs/1"}));
}

TEST(RbacRules, ResourceNamesNarrowTheGrant) {
  auto r = RunRule("RBAC-003", RoleYaml("Role",
                                        "- {apiGroups: [''], resources: [secrets], "
                                        "resourceNames: [db], verbs: [get, list]}\n"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, FindingStatus::kPass);
  // ... except for impersonating system:masters, which is cluster-admin by name.
  auto i = RunRule("RBAC-008", RoleYaml("ClusterRole",
                                        "- {apiGroups: [''], resources: [groups], "
                                        "resourceNames: [system:masters], verbs: "
                                        "[impersonate]}\n"));
  ASSERT_EQ(i.size(), 1u);
  EXPECT_EQ(i[0].status, FindingStatus::kFail);
}

TEST(RbacRules, NamespacedRolesCannotGrantClusterScopedResources) {
  std::string rules =
      "- {apiGroups: [''], resources: [nodes/proxy, persistentvolumes], "
      "verbs: [get, create]}\n";
  EXPECT_TRUE(RunRule("RBAC-009", RoleYaml("Role", rules)).empty());  // not applicable
  EXPECT_TRUE(RunRule("RBAC-013", RoleYaml("Role", rules)).empty());
  auto c = RunRule("RBAC-009", RoleYaml("ClusterRole", rules));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].status, FindingStatus::kFail);
  // bind on clusterroles is checked in the binding's namespace: a Role grants it.
  auto b = RunRule("RBAC-007", RoleYaml("Role",
                                        "- {apiGroups: [rbac.authorization.k8s.io], "
                                        "resources: [clusterroles], verbs: [bind]}\n"));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].status, FindingStatus::kFail);
}

TEST(RbacRules, BootstrapObjectsAndOtherGroupsAreNotReported) {
  std::string everything = "- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n";
  EXPECT_TRUE(
      RunRule("RBAC-001", RoleYaml("ClusterRole", everything,
                                   ", labels: {kubernetes.io/bootstrapping: rbac-defaults}"))
          .empty());
  EXPECT_TRUE(RunRule("RBAC-001",
                      "apiVersion: example.com/v1\nkind: Role\nmetadata: {name: "
                      "x}\nrules:\n" +
                          everything)
                  .empty());
  auto r = RunRule("RBAC-001", RoleYaml("ClusterRole", everything));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].pointers, (std::vector<std::string>{"/rules/0"}));
  // The same rule is no second finding for RBAC-002.
  auto w = RunRule("RBAC-002", RoleYaml("ClusterRole", everything));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].status, FindingStatus::kPass);
}

std::vector<RuleResult> RunRuleAt(const std::string& id, const std::string& yaml, int minor) {
  RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  core::LoadResult l = Load(yaml);
  RuleContext ctx{&l.inventory, minor};
  std::vector<RuleResult> out;
  for (const Finding& f : Evaluate({registry.Find(id)}, l.inventory, ctx, 1)) {
    out.push_back({f.resource->DisplayName(), f.status, {}});
  }
  return out;
}

TEST(RbacRules, WebsocketGetGrantsExecOnlyBefore135) {
  std::string get_exec = RoleYaml(
      "Role", "- {apiGroups: [''], resources: [pods/exec, pods/portforward], verbs: [get]}\n");
  EXPECT_EQ(RunRuleAt("RBAC-005", get_exec, 34).at(0).status, FindingStatus::kFail);
  EXPECT_EQ(RunRuleAt("RBAC-005", get_exec, 35).at(0).status, FindingStatus::kPass);
  EXPECT_EQ(RunRuleAt("RBAC-006", get_exec, 34).at(0).status, FindingStatus::kFail);
  EXPECT_EQ(RunRuleAt("RBAC-006", get_exec, 37).at(0).status, FindingStatus::kPass);
}

TEST(RbacRules, FullWildcardIsReportedOnce) {
  std::string everything = RoleYaml("ClusterRole",
                                    "- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n"
                                    "- {apiGroups: [''], resources: ['*'], verbs: [get]}\n");
  auto secrets = RunRule("RBAC-003", everything);
  ASSERT_EQ(secrets.size(), 1u);
  // Only the second entry, which is not "*" on "*" in "*".
  EXPECT_EQ(secrets[0].pointers, (std::vector<std::string>{"/rules/1/resources/0"}));
  EXPECT_EQ(RunRule("RBAC-012", everything).at(0).status, FindingStatus::kPass);
}

TEST(RbacRules, EveryoneMayUseAnAdmissionPolicy) {
  std::string binding = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
subjects: [{kind: Group, name: system:serviceaccounts}]
roleRef: {kind: ClusterRole, name: r}
---
)";
  auto use = RunRule("RBAC-017", binding + RoleYaml("ClusterRole",
                                                    "- {apiGroups: [policy], resources: "
                                                    "[podsecuritypolicies], verbs: [use]}\n"));
  ASSERT_EQ(use.size(), 1u);
  EXPECT_EQ(use[0].status, FindingStatus::kPass);
  auto read = RunRule("RBAC-017", binding + RoleYaml("ClusterRole",
                                                     "- {apiGroups: [''], resources: [pods], "
                                                     "verbs: [use, get]}\n"));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].status, FindingStatus::kFail);
  // A role the input does not define may grant anything.
  auto unknown = RunRule("RBAC-017", binding);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].status, FindingStatus::kFail);
}

TEST(RbacRules, ClusterAdminThroughAggregation) {
  auto r = RunRule("RBAC-015", R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: super}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {to-super: "yes"}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all, labels: {to-super: "yes"}}
rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
subjects:
- {kind: Group, name: system:masters}
- {kind: User, name: system:kube-controller-manager}
- {kind: User, name: alice}
roleRef: {kind: ClusterRole, name: super}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: masters-only}
subjects: [{kind: Group, name: system:masters}]
roleRef: {kind: ClusterRole, name: cluster-admin}
)");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, FindingStatus::kFail);
  EXPECT_EQ(r[0].pointers, (std::vector<std::string>{"/roleRef/name", "/subjects/2"}));
  EXPECT_EQ(r[1].status, FindingStatus::kPass);
}

TEST(RbacRules, WorkloadTokenThroughGroupsAndAutomount) {
  std::string rbac = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all-sa-secrets}
subjects: [{kind: Group, name: "system:serviceaccounts:apps"}]
roleRef: {kind: ClusterRole, name: secrets}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secrets}
rules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: apps}
automountServiceAccountToken: false
)";
  auto pod = [](const std::string& ns, const std::string& spec) {
    return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: " + ns +
           "}\nspec: " + spec + "\n";
  };
  auto status = [&](const std::string& p) {
    auto r = RunRule("RBAC-022", rbac + p);
    EXPECT_EQ(r.size(), 1u);
    return r.empty() ? FindingStatus::kSkipped : r[0].status;
  };
  EXPECT_EQ(status(pod("apps", "{containers: []}")), FindingStatus::kFail);
  EXPECT_EQ(status(pod("other", "{containers: []}")), FindingStatus::kPass);
  EXPECT_EQ(status(pod("apps", "{automountServiceAccountToken: false, containers: []}")),
            FindingStatus::kPass);
  EXPECT_EQ(status(pod("apps", "{serviceAccountName: quiet, containers: []}")),
            FindingStatus::kPass);
  // A projected token volume mounts a token whatever automount says.
  EXPECT_EQ(status(pod("apps",
                       "{serviceAccountName: quiet, containers: [], volumes: [{name: t, "
                       "projected: {sources: [{serviceAccountToken: {path: t}}]}}]}")),
            FindingStatus::kFail);
}

TEST(RbacRules, MalformedObjectsAreReported) {
  auto r = RunRule("RBAC-023", RoleYaml("Role",
                                        "- {apiGroups: [''], resources: secrets, verbs: "
                                        "[get]}\n- {nonResourceURLs: [/metrics], verbs: "
                                        "[get]}\n- {resources: [pods], verbs: []}\n"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].pointers,
            (std::vector<std::string>{"/rules/0/resources", "/rules/1/nonResourceURLs",
                                      "/rules/2/verbs", "/rules/2/apiGroups"}));
  auto b = RunRule("RBAC-023", R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
subjects:
- {kind: ServiceAccount, name: app}
- {kind: user, name: bob}
- {kind: Group, name: g, apiGroup: v1}
roleRef: {kind: Role, name: x}
)");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].pointers, (std::vector<std::string>{"/roleRef/kind", "/subjects/0/namespace",
                                                     "/subjects/1/kind", "/subjects/2/apiGroup"}));
}

// Status of one role-level rule over one role; kSkipped when not applicable.
FindingStatus RoleStatus(const std::string& id, const std::string& kind, const std::string& rules) {
  auto r = RunRule(id, RoleYaml(kind, rules));
  return r.empty() ? FindingStatus::kSkipped : r[0].status;
}

TEST(RbacRules, MorePermissionsFollowTheAuthorizer) {
  constexpr auto kFail = FindingStatus::kFail;
  constexpr auto kPass = FindingStatus::kPass;
  constexpr auto kNotApplicable = FindingStatus::kSkipped;
  // Events: delete in either group; pods/log has no delete in the API at all.
  EXPECT_EQ(RoleStatus("RBAC-024", "Role",
                       "- {apiGroups: [events.k8s.io], resources: [events], verbs: [delete]}\n"),
            kFail);
  EXPECT_EQ(RoleStatus("RBAC-024", "Role",
                       "- {apiGroups: [''], resources: [events, pods/log], verbs: [get, list]}\n"
                       "- {apiGroups: [''], resources: [events], verbs: [create, patch]}\n"),
            kPass);
  // ConfigMaps: a rule narrowed by resourceNames is least privilege.
  EXPECT_EQ(RoleStatus("RBAC-025", "Role",
                       "- {apiGroups: [''], resources: [configmaps], resourceNames: [lock], "
                       "verbs: [update]}\n"),
            kPass);
  EXPECT_EQ(RoleStatus("RBAC-025", "Role",
                       "- {apiGroups: [''], resources: [configmaps], verbs: [deletecollection]}\n"),
            kFail);
  // A Role can write rolebindings but never clusterroles or clusterrolebindings.
  EXPECT_EQ(RoleStatus("RBAC-026", "Role",
                       "- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles, "
                       "clusterrolebindings], verbs: [create]}\n"),
            kPass);
  EXPECT_EQ(RoleStatus("RBAC-026", "ClusterRole",
                       "- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], "
                       "verbs: [patch]}\n"),
            kFail);
  // EndpointSlices live in discovery.k8s.io, not the core group.
  EXPECT_EQ(RoleStatus("RBAC-027", "Role",
                       "- {apiGroups: [''], resources: [endpointslices], verbs: [create]}\n"),
            kPass);
  EXPECT_EQ(RoleStatus("RBAC-027", "Role",
                       "- {apiGroups: [''], resources: [endpoints], verbs: [patch]}\n"),
            kFail);
  EXPECT_EQ(RoleStatus("RBAC-028", "Role",
                       "- {apiGroups: ['*'], resources: [networkpolicies], verbs: [delete]}\n"),
            kFail);
  // pods does not cover the ephemeralcontainers subresource; "*" does.
  EXPECT_EQ(RoleStatus("RBAC-029", "Role",
                       "- {apiGroups: [''], resources: [pods], verbs: [patch, update]}\n"
                       "- {apiGroups: [''], resources: [pods/ephemeralcontainers], verbs: "
                       "[get]}\n"),
            kPass);
  EXPECT_EQ(
      RoleStatus("RBAC-029", "Role", "- {apiGroups: [''], resources: ['*'], verbs: [update]}\n"),
      kFail);
  // Before 1.23 ephemeral containers were off by default: not evaluated.
  EXPECT_TRUE(
      RunRuleAt("RBAC-029",
                RoleYaml("Role", "- {apiGroups: [''], resources: ['*'], verbs: [update]}\n"), 22)
          .empty());
  // Nodes are cluster-scoped: a Role cannot grant them at all.
  EXPECT_EQ(
      RoleStatus("RBAC-030", "Role", "- {apiGroups: [''], resources: [nodes], verbs: [patch]}\n"),
      kNotApplicable);
  EXPECT_EQ(RoleStatus("RBAC-030", "ClusterRole",
                       "- {apiGroups: [''], resources: [nodes/status], verbs: [update]}\n"),
            kFail);
  EXPECT_EQ(RoleStatus("RBAC-030", "ClusterRole",
                       "- {apiGroups: [''], resources: [nodes], verbs: [get, list, watch]}\n"),
            kPass);
  // A RoleBinding does reach its own namespace object: deleting it deletes everything.
  EXPECT_EQ(RoleStatus("RBAC-031", "Role",
                       "- {apiGroups: [''], resources: [namespaces], verbs: [delete]}\n"),
            kFail);
  EXPECT_EQ(RoleStatus("RBAC-031", "Role",
                       "- {apiGroups: [''], resources: [persistentvolumes], verbs: [delete]}\n"),
            kPass);
  EXPECT_EQ(RoleStatus("RBAC-032", "Role",
                       "- {apiGroups: [apiextensions.k8s.io], resources: "
                       "[customresourcedefinitions], verbs: [delete]}\n"),
            kNotApplicable);
  EXPECT_EQ(RoleStatus("RBAC-032", "ClusterRole",
                       "- {apiGroups: [apiextensions.k8s.io], resources: "
                       "[customresourcedefinitions], verbs: [delete]}\n"),
            kFail);
  EXPECT_EQ(RoleStatus("RBAC-033", "ClusterRole",
                       "- {apiGroups: ['*'], resources: [apiservices], verbs: [create]}\n"),
            kFail);
  // "*" on "*" in "*" is RBAC-001's single finding.
  EXPECT_EQ(RoleStatus("RBAC-033", "ClusterRole",
                       "- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n"),
            kPass);
}

TEST(RbacRules, KubeSystemConfigMapsThroughBindings) {
  auto binding = [](const std::string& kind, const std::string& ns, const std::string& role_kind,
                    const std::string& role, const std::string& subject) {
    return "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata: {name: b" +
           (ns.empty() ? "" : ", namespace: " + ns) + "}\nroleRef: {kind: " + role_kind +
           ", name: " + role + "}\nsubjects: [" + subject + "]\n";
  };
  auto role = [](const std::string& kind, const std::string& ns, const std::string& rules) {
    return "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata: {name: w" +
           (ns.empty() ? "" : ", namespace: " + ns) + "}\nrules:\n" + rules;
  };
  const std::string alice = "{kind: User, name: alice}";
  const std::string patch_all = "- {apiGroups: [''], resources: [configmaps], verbs: [patch]}\n";
  auto status = [](const std::vector<RuleResult>& r) {
    return r.size() == 1 ? r[0].status : FindingStatus::kSkipped;
  };
  EXPECT_EQ(
      status(RunRule("RBAC-034", role("ClusterRole", "", patch_all) +
                                     binding("ClusterRoleBinding", "", "ClusterRole", "w", alice))),
      FindingStatus::kFail);
  // A RoleBinding elsewhere never reaches kube-system: not evaluated.
  EXPECT_TRUE(RunRule("RBAC-034", role("ClusterRole", "", patch_all) +
                                      binding("RoleBinding", "team", "ClusterRole", "w", alice))
                  .empty());
  // Restricted to coredns still counts; to another name it does not.
  std::string coredns =
      "- {apiGroups: [''], resources: [configmaps], resourceNames: [coredns], verbs: [update]}\n";
  std::string other =
      "- {apiGroups: [''], resources: [configmaps], resourceNames: [addon], verbs: [update]}\n";
  EXPECT_EQ(
      status(RunRule("RBAC-034", role("Role", "kube-system", coredns) +
                                     binding("RoleBinding", "kube-system", "Role", "w", alice))),
      FindingStatus::kFail);
  EXPECT_EQ(
      status(RunRule("RBAC-034", role("Role", "kube-system", other) +
                                     binding("RoleBinding", "kube-system", "Role", "w", alice))),
      FindingStatus::kPass);
  // Kubernetes' own identities, and cluster-admin (RBAC-015), are not reported.
  EXPECT_EQ(status(RunRule("RBAC-034", role("ClusterRole", "", patch_all) +
                                           binding("ClusterRoleBinding", "", "ClusterRole", "w",
                                                   "{kind: User, name: "
                                                   "system:kube-controller-manager}"))),
            FindingStatus::kPass);
  EXPECT_EQ(status(RunRule("RBAC-034", binding("ClusterRoleBinding", "", "ClusterRole",
                                               "cluster-admin", alice))),
            FindingStatus::kPass);
}

TEST(RbacRules, CatalogIsCompleteAndOrdered) {
  RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  int n = 0;
  for (const auto& rule : registry.rules()) {
    if (rule->info.category != "rbac") continue;
    ++n;
    char id[32];
    std::snprintf(id, sizeof id, "RBAC-%03d", n);
    EXPECT_EQ(rule->info.id, id);
    EXPECT_FALSE(rule->info.description.empty()) << id;
    EXPECT_FALSE(rule->info.remediation.empty()) << id;
    EXPECT_FALSE(rule->info.controls.empty()) << id;
    EXPECT_TRUE(static_cast<bool>(rule->check) != static_cast<bool>(rule->inventory_check)) << id;
  }
  EXPECT_EQ(n, 34);
}

}  // namespace
}  // namespace kspm::engine::rbac

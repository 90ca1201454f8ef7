// The network model (engine/network_model.h) and the NET rules: selector
// semantics, policyTypes defaulting, validation as the API server does it,
// namespace labels, addresses, connection decisions, exposure, and the rule
// edge cases that goldens do not pin down.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/network_model.h"
#include "engine/registry.h"
#include "rules/builtin.h"

namespace kspm {
namespace {

namespace net = engine::network;

// A decoded input and the model built from it. The inventory lives on the
// heap so the model's pointers survive moves of the fixture.
struct Input {
  std::unique_ptr<core::LoadResult> loaded;
  net::Model model;
};

Input Load(const std::string& yaml, int minor = 37) {
  Input in;
  in.loaded = std::make_unique<core::LoadResult>(core::DecodeSources({{"in.yaml", yaml}}, {}));
  EXPECT_FALSE(in.loaded->input_error) << yaml;
  in.model = net::Model::Build(in.loaded->inventory, minor);
  return in;
}

const net::Workload& WorkloadNamed(const net::Model& m, const std::string& name) {
  for (const net::Workload& w : m.workloads()) {
    if (w.resource->name == name) return w;
  }
  ADD_FAILURE() << "no workload " << name;
  return m.workloads().front();
}

std::string Pod(const std::string& name, const std::string& ns, const std::string& labels,
                const std::string& extra_spec = "") {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns +
         ", labels: " + labels + "}\nspec: {" + extra_spec + (extra_spec.empty() ? "" : ", ") +
         "containers: [{name: app, image: app:1, ports: [{name: http, containerPort: 8080}, "
         "{name: metrics, containerPort: 9090, protocol: UDP}]}]}\n---\n";
}

std::string Policy(const std::string& name, const std::string& ns, const std::string& spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name +
         ", namespace: " + ns + "}\nspec: " + spec + "\n---\n";
}

// --- Selectors ----------------------------------------------------------------

struct SelectorCase {
  const char* selector;  // YAML flow, or "" for absent
  const char* labels;    // YAML flow mapping
  bool matches;
};

TEST(NetworkSelectors, KubernetesSemantics) {
  const SelectorCase cases[] = {
      {"", "{a: b}", true},
      {"{}", "{}", true},
      {"{matchLabels: {}, matchExpressions: []}", "{a: b}", true},
      {"{matchLabels: null, matchExpressions: null}", "{a: b}", true},
      {"{matchLabels: {app: web}}", "{app: web, tier: fe}", true},
      {"{matchLabels: {app: web}}", "{app: api}", false},
      {"{matchLabels: {app: web}}", "{}", false},
      {"{matchLabels: {app: web, tier: fe}}", "{app: web}", false},
      {"{matchExpressions: [{key: env, operator: In, values: [prod, stage]}]}", "{env: stage}",
       true},
      {"{matchExpressions: [{key: env, operator: In, values: [prod]}]}", "{}", false},
      {"{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}", "{env: dev}", true},
      // NotIn and DoesNotExist match objects without the key.
      {"{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}", "{}", true},
      {"{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}", "{env: prod}", false},
      {"{matchExpressions: [{key: debug, operator: Exists}]}", "{debug: ''}", true},
      {"{matchExpressions: [{key: debug, operator: Exists}]}", "{}", false},
      {"{matchExpressions: [{key: debug, operator: DoesNotExist}]}", "{}", true},
      {"{matchExpressions: [{key: debug, operator: DoesNotExist}]}", "{debug: x}", false},
      // matchLabels AND matchExpressions.
      {"{matchLabels: {app: web}, matchExpressions: [{key: env, operator: In, values: [prod]}]}",
       "{app: web, env: prod}", true},
      {"{matchLabels: {app: web}, matchExpressions: [{key: env, operator: In, values: [prod]}]}",
       "{app: web, env: dev}", false},
      // Label values are compared as the strings the API server stores.
      {"{matchLabels: {v: '1'}}", "{v: '1'}", true},
  };
  for (const SelectorCase& c : cases) {
    std::string yaml = std::string("selector: ") + (*c.selector ? c.selector : "null") +
                       "\nlabels: " + c.labels + "\n";
    core::LoadResult loaded =
        core::DecodeSources({{"in.yaml", "apiVersion: v1\nkind: X\n" + yaml}}, {});
    const core::Node& root = *loaded.inventory.resources().front().root;
    std::vector<net::Problem> problems;
    net::LabelSelector sel = net::LabelSelector::Parse(*c.selector ? root.Get("selector") : nullptr,
                                                       "/selector", problems);
    EXPECT_TRUE(problems.empty()) << c.selector;
    EXPECT_TRUE(sel.valid()) << c.selector;
    EXPECT_EQ(sel.Matches(net::LabelSet(root.Get("labels"))), c.matches)
        << c.selector << " vs " << c.labels;
  }
}

TEST(NetworkSelectors, InvalidSelectorsMatchNothingAndSayWhy) {
  struct Case {
    const char* selector;
    const char* pointer;
    const char* message;
  };
  const Case cases[] = {
      {"{matchExpressions: [{key: a, operator: Equals, values: [b]}]}",
       "/s/matchExpressions/0/operator", "Unsupported value: \"Equals\""},
      {"{matchExpressions: [{key: a, values: [b]}]}", "/s/matchExpressions/0/operator",
       "Unsupported value: \"\""},
      {"{matchExpressions: [{key: a, operator: In}]}", "/s/matchExpressions/0/values",
       "Required value"},
      {"{matchExpressions: [{key: a, operator: NotIn, values: []}]}",
       "/s/matchExpressions/0/values", "Required value"},
      {"{matchExpressions: [{key: a, operator: Exists, values: [b]}]}",
       "/s/matchExpressions/0/values", "Forbidden"},
      {"{matchExpressions: [{operator: Exists}]}", "/s/matchExpressions/0/key",
       "name part must be non-empty"},
      {"{matchLabels: {a/b: 1}}", "/s/matchLabels/a~1b", "must be a string, not int"},
      {"{matchLabels: [a]}", "/s/matchLabels", "must be an object"},
      {"[a]", "/s", "must be an object"},
  };
  for (const Case& c : cases) {
    core::LoadResult loaded = core::DecodeSources(
        {{"in.yaml", std::string("apiVersion: v1\nkind: X\ns: ") + c.selector + "\n"}}, {});
    const core::Node& root = *loaded.inventory.resources().front().root;
    std::vector<net::Problem> problems;
    net::LabelSelector sel = net::LabelSelector::Parse(root.Get("s"), "/s", problems);
    EXPECT_FALSE(sel.valid()) << c.selector;
    EXPECT_FALSE(sel.Matches(net::LabelSet(nullptr))) << c.selector;
    ASSERT_EQ(problems.size(), 1u) << c.selector;
    EXPECT_EQ(problems[0].pointer, c.pointer);
    EXPECT_NE(problems[0].message.find(c.message), std::string::npos) << problems[0].message;
  }
}

TEST(NetworkSelectors, ToStringUsesKubectlNotation) {
  core::LoadResult loaded = core::DecodeSources(
      {{"in.yaml",
        "apiVersion: v1\nkind: X\ns: {matchLabels: {app: web}, matchExpressions: [{key: env, "
        "operator: In, values: [a, b]}, {key: t, operator: NotIn, values: [x]}, {key: d, "
        "operator: Exists}, {key: nd, operator: DoesNotExist}]}\n"}},
      {});
  std::vector<net::Problem> problems;
  auto sel =
      net::LabelSelector::Parse(loaded.inventory.resources()[0].root->Get("s"), "", problems);
  EXPECT_EQ(sel.ToString(), "app=web,env in (a,b),t notin (x),d,!nd");
  EXPECT_EQ(net::LabelSelector().ToString(), "<all>");
}

// --- Policies -------------------------------------------------------------------

TEST(NetworkPolicies, PolicyTypesDefaultLikeKubernetes) {
  struct Case {
    const char* spec;
    bool ingress;
    bool egress;
    bool defaulted;
  };
  const Case cases[] = {
      {"{podSelector: {}}", true, false, true},
      {"{podSelector: {}, ingress: [{}]}", true, false, true},
      // An egress section with at least one rule adds Egress ...
      {"{podSelector: {}, egress: [{}]}", true, true, true},
      // ... an empty one does not (len(spec.Egress) != 0).
      {"{podSelector: {}, egress: []}", true, false, true},
      {"{podSelector: {}, policyTypes: [], egress: [{}]}", true, true, true},
      {"{podSelector: {}, policyTypes: [Egress]}", false, true, false},
      {"{podSelector: {}, policyTypes: [Egress], ingress: [{}]}", false, true, false},
      {"{podSelector: {}, policyTypes: [Ingress, Egress]}", true, true, false},
      // No spec at all is the empty spec: it denies all ingress to every pod.
      {"null", true, false, true},
  };
  for (const Case& c : cases) {
    Input in = Load(Policy("p", "ns", c.spec));
    const net::Policy& p = in.model.policies().at(0);
    EXPECT_TRUE(p.valid()) << c.spec;
    EXPECT_EQ(p.ingress, c.ingress) << c.spec;
    EXPECT_EQ(p.egress, c.egress) << c.spec;
    EXPECT_EQ(p.policy_types_defaulted, c.defaulted) << c.spec;
  }
}

TEST(NetworkPolicies, RulesPeersAndPorts) {
  Input in =
      Load(Policy("p", "ns",
                  "{podSelector: {matchLabels: {app: db}}, ingress: [{}, {from: [], ports: "
                  "[]}, {from: [{podSelector: {}}, {namespaceSelector: {matchLabels: {team: "
                  "a}}, podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: "
                  "10.0.0.0/8, except: [10.1.0.0/16]}}], ports: [{port: 5432}, {port: "
                  "http}, {protocol: UDP, port: 8000, endPort: 8100}, {protocol: SCTP}]}]}"));
  const net::Policy& p = in.model.policies().at(0);
  ASSERT_TRUE(p.valid());
  ASSERT_EQ(p.ingress_rules.size(), 3u);
  EXPECT_TRUE(p.ingress_rules[0].any_peer && p.ingress_rules[0].any_port);
  EXPECT_TRUE(p.ingress_rules[1].any_peer && p.ingress_rules[1].any_port);
  const net::TrafficRule& r = p.ingress_rules[2];
  EXPECT_EQ(r.Pointer(), "/spec/ingress/2");
  ASSERT_EQ(r.peers.size(), 3u);
  EXPECT_TRUE(r.peers[0].has_pod_selector && !r.peers[0].has_namespace_selector);
  EXPECT_TRUE(r.peers[1].has_pod_selector && r.peers[1].has_namespace_selector);
  ASSERT_TRUE(r.peers[2].ip_block.has_value());
  EXPECT_EQ(r.peers[2].ip_block->except.size(), 1u);
  EXPECT_EQ(r.PortsToString(), "5432/TCP, http/TCP, 8000-8100/UDP, all SCTP ports");
  EXPECT_FALSE(p.pod_selector_missing);
}

TEST(NetworkPolicies, MissingPodSelectorSelectsTheWholeNamespace) {
  Input in = Load(Pod("a", "ns", "{app: a}") + Pod("b", "ns", "{}") + Pod("c", "other", "{}") +
                  Policy("p", "ns", "{policyTypes: [Ingress]}"));
  const net::Policy& p = in.model.policies().at(0);
  EXPECT_TRUE(p.valid());
  EXPECT_TRUE(p.pod_selector_missing);
  EXPECT_TRUE(p.SelectsWholeNamespace());
  EXPECT_EQ(in.model.SelectedBy(0).size(), 2u);  // a and b, never the other namespace
}

TEST(NetworkPolicies, ValidationAsTheApiServerDoesIt) {
  struct Case {
    const char* spec;
    const char* pointer;
    const char* message;
  };
  const Case cases[] = {
      {"{podSelector: {}, ingress: [{from: [{}]}]}", "/spec/ingress/0/from/0",
       "must specify a peer"},
      {"{podSelector: {}, ingress: [{from: [null]}]}", "/spec/ingress/0/from/0",
       "must specify a peer"},
      {"{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}",
       "/spec/egress/0/to/0", "may not specify both ipBlock and another peer"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0}}]}]}",
       "/spec/ingress/0/from/0/ipBlock/cidr", "must be a valid CIDR"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: ''}}]}]}",
       "/spec/ingress/0/from/0/ipBlock/cidr", "Required value"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: "
       "[10.1.0.0/24]}}]}]}",
       "/spec/ingress/0/from/0/ipBlock/except/0", "must be a strict subset of `cidr`"},
      {"{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: "
       "[10.0.0.0/16]}}]}]}",
       "/spec/ingress/0/from/0/ipBlock/except/0", "must be a strict subset of `cidr`"},
      // A quoted number is a port name, and names need a letter.
      {"{podSelector: {}, ingress: [{ports: [{port: '80'}]}]}", "/spec/ingress/0/ports/0/port",
       "a quoted number is a name"},
      {"{podSelector: {}, ingress: [{ports: [{port: 70000}]}]}", "/spec/ingress/0/ports/0/port",
       "between 1 and 65535"},
      {"{podSelector: {}, ingress: [{ports: [{port: http, endPort: 90}]}]}",
       "/spec/ingress/0/ports/0/endPort", "`port` is non-numeric"},
      {"{podSelector: {}, ingress: [{ports: [{endPort: 90}]}]}", "/spec/ingress/0/ports/0/endPort",
       "`port` is not specified"},
      {"{podSelector: {}, ingress: [{ports: [{port: 100, endPort: 90}]}]}",
       "/spec/ingress/0/ports/0/endPort", "greater than or equal to `port`"},
      {"{podSelector: {}, ingress: [{ports: [{protocol: ICMP}]}]}",
       "/spec/ingress/0/ports/0/protocol", "Unsupported value: \"ICMP\""},
      {"{podSelector: {}, policyTypes: [Ingress, Outgress]}", "/spec/policyTypes/1",
       "Unsupported value: \"Outgress\""},
      {"{podSelector: {}, policyTypes: [Ingress, Egress, Ingress]}", "/spec/policyTypes",
       "more than two policyTypes"},
      {"{podSelector: {}, ingress: {from: []}}", "/spec/ingress", "must be a list, not object"},
      {"{podSelector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}}",
       "/spec/podSelector/matchExpressions/0/values", "Forbidden"},
      {"[]", "/spec", "must be an object"},
  };
  for (const Case& c : cases) {
    Input in = Load(Pod("a", "ns", "{}") + Policy("p", "ns", c.spec));
    const net::Policy& p = in.model.policies().at(0);
    ASSERT_EQ(p.problems.size(), 1u) << c.spec;
    EXPECT_EQ(p.problems[0].pointer, c.pointer) << c.spec;
    EXPECT_NE(p.problems[0].message.find(c.message), std::string::npos)
        << c.spec << ": " << p.problems[0].message;
    // The API server refuses the object: it selects, and so isolates, nothing.
    EXPECT_TRUE(in.model.SelectedBy(0).empty()) << c.spec;
    EXPECT_TRUE(in.model.workloads()[0].ingress_policies.empty()) << c.spec;
  }
}

TEST(NetworkPolicies, CalicoPoliciesAreCountedNotModelled) {
  Input in =
      Load(Pod("a", "ns", "{}") +
           "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: c, namespace: "
           "ns}\nspec: {selector: all()}\n---\napiVersion: crd.projectcalico.org/v1\nkind: "
           "GlobalNetworkPolicy\nmetadata: {name: g}\nspec: {}\n");
  EXPECT_TRUE(in.model.policies().empty());
  EXPECT_EQ(in.model.FindNamespace("ns")->cni_policies, 1u);
  EXPECT_EQ(in.model.cluster_policies(), 1u);
}

// --- Namespaces ----------------------------------------------------------------

TEST(NetworkNamespaces, AutomaticNameLabelFromKubernetes121) {
  std::string yaml =
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {tier: gold, "
      "kubernetes.io/metadata.name: forged}}\n---\n" +
      Pod("a", "team-a", "{}") + Pod("b", "team-b", "{}");
  for (int minor : {20, 21, 37}) {
    Input in = Load(yaml, minor);
    const net::Namespace* a = in.model.FindNamespace("team-a");
    const net::Namespace* b = in.model.FindNamespace("team-b");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->labels.Get("tier"), std::optional<std::string_view>("gold"));
    // The API server overwrites the label with the namespace's name, and sets
    // it on namespaces the input does not define.
    auto expected_a = minor >= 21 ? std::optional<std::string_view>("team-a")
                                  : std::optional<std::string_view>("forged");
    auto expected_b =
        minor >= 21 ? std::optional<std::string_view>("team-b") : std::optional<std::string_view>();
    EXPECT_EQ(a->labels.Get(net::kNamespaceNameLabel), expected_a) << minor;
    EXPECT_EQ(b->labels.Get(net::kNamespaceNameLabel), expected_b) << minor;
  }
}

// --- Addresses -------------------------------------------------------------------

TEST(NetworkAddresses, ParseLikeNetutils) {
  EXPECT_EQ(net::IpAddress::Parse("10.0.0.1")->ToString(), "10.0.0.1");
  EXPECT_EQ(net::IpAddress::Parse("010.000.000.001")->ToString(), "10.0.0.1");  // sloppy
  EXPECT_FALSE(net::IpAddress::Parse("256.0.0.1"));
  EXPECT_FALSE(net::IpAddress::Parse("1.2.3"));
  EXPECT_FALSE(net::IpAddress::Parse("1.2.3.4.5"));
  EXPECT_EQ(net::IpAddress::Parse("2001:DB8:0:0:0:0:0:1")->ToString(), "2001:db8::1");
  EXPECT_EQ(net::IpAddress::Parse("::")->ToString(), "::");
  EXPECT_EQ(net::IpAddress::Parse("::ffff:10.0.0.1")->ToString(), "::ffff:a00:1");
  EXPECT_FALSE(net::IpAddress::Parse("1::2::3"));
  EXPECT_FALSE(net::IpAddress::Parse("12345::"));
  EXPECT_FALSE(net::IpAddress::Parse("1:2:3:4:5:6:7:8:9"));
  EXPECT_EQ(net::Cidr::Parse("10.1.2.3/8")->ToString(), "10.0.0.0/8");  // host bits allowed
  EXPECT_EQ(net::Cidr::Parse("2001:db8::1/32")->ToString(), "2001:db8::/32");
  EXPECT_FALSE(net::Cidr::Parse("10.0.0.0/33"));
  EXPECT_FALSE(net::Cidr::Parse("10.0.0.0"));
  EXPECT_FALSE(net::Cidr::Parse("10.0.0.0/"));
  EXPECT_TRUE(net::Cidr::Parse("0.0.0.0/0")->Contains(*net::IpAddress::Parse("8.8.8.8")));
  EXPECT_FALSE(net::Cidr::Parse("0.0.0.0/0")->Contains(*net::IpAddress::Parse("::1")));
}

TEST(NetworkAddresses, PublicShareOfIpBlocks) {
  auto share = [](const char* cidr, std::vector<const char*> except = {}) {
    net::IpBlock b;
    b.cidr = net::Cidr::Parse(cidr);
    for (const char* e : except) b.except.push_back(*net::Cidr::Parse(e));
    return b.PublicShare();
  };
  EXPECT_DOUBLE_EQ(share("0.0.0.0/0"), 1.0);
  EXPECT_DOUBLE_EQ(share("::/0"), 1.0);
  EXPECT_DOUBLE_EQ(share("10.0.0.0/8"), 0.0);
  EXPECT_DOUBLE_EQ(share("192.168.0.0/16"), 0.0);
  // Excluding private ranges or the metadata address still admits the internet.
  EXPECT_DOUBLE_EQ(share("0.0.0.0/0", {"10.0.0.0/8", "172.16.0.0/12", "169.254.169.254/32"}), 1.0);
  EXPECT_GT(share("0.0.0.0/1"), 0.5);
  EXPECT_LT(share("0.0.0.0/0", {"0.0.0.0/1"}), 0.5);
  EXPECT_LT(share("203.0.113.0/24"), 0.001);
  EXPECT_LT(share("8.0.0.0/8"), 0.01);
  net::IpBlock all;
  all.cidr = net::Cidr::Parse("0.0.0.0/0");
  EXPECT_TRUE(all.AdmitsInternet());
}

// --- Decisions -------------------------------------------------------------------

class NetworkDecisions : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = Load(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n---\n" +
        Pod("db", "shop", "{app: db}") + Pod("web", "shop", "{app: web}") +
        Pod("api", "shop", "{app: api}") + Pod("prom", "monitoring", "{app: prometheus}") +
        Pod("free", "other", "{app: free}") +
        Policy("deny", "shop", "{podSelector: {}, policyTypes: [Ingress, Egress]}") +
        Policy("db", "shop",
               "{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: "
               "{matchLabels: {app: api}}}], ports: [{port: 5432}]}, {from: [{namespaceSelector: "
               "{matchLabels: {kubernetes.io/metadata.name: monitoring}}}], ports: [{port: "
               "metrics, protocol: UDP}]}]}") +
        Policy("web", "shop",
               "{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{ipBlock: {cidr: "
               "0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: 8000, endPort: 8100}]}]}") +
        Policy("api-egress", "shop",
               "{podSelector: {matchLabels: {app: api}}, policyTypes: [Egress], egress: [{to: "
               "[{podSelector: {matchLabels: {app: db}}}]}]}"));
  }
  net::Endpoint W(const char* name) const { return {&WorkloadNamed(in_.model, name), {}}; }
  static net::Endpoint Ip(const char* ip) { return {nullptr, net::IpAddress::Parse(ip)}; }
  net::Connection C(net::Endpoint src, net::Endpoint dst, int port,
                    std::string_view proto = "TCP") const {
    return {src, dst, proto, port};
  }
  Input in_;
};

TEST_F(NetworkDecisions, IsolationFollowsTheUnionOfSelectingPolicies) {
  const net::Workload& db = WorkloadNamed(in_.model, "db");
  EXPECT_EQ(db.ingress_policies.size(), 2u);  // deny and db
  EXPECT_EQ(db.egress_policies.size(), 1u);   // deny
  EXPECT_TRUE(WorkloadNamed(in_.model, "free").ingress_policies.empty());
}

TEST_F(NetworkDecisions, PodAndNamespaceSelectors) {
  // api -> db:5432 allowed on both sides.
  EXPECT_TRUE(in_.model.Allows(C(W("api"), W("db"), 5432)));
  auto ingress = in_.model.IngressDecision(C(W("api"), W("db"), 5432));
  EXPECT_TRUE(ingress.isolated);
  ASSERT_EQ(ingress.allowed_by.size(), 1u);
  EXPECT_EQ(in_.model.policies()[ingress.allowed_by[0].policy].resource->name, "db");
  // Wrong port, wrong source.
  EXPECT_FALSE(in_.model.IngressDecision(C(W("api"), W("db"), 5433)).allowed);
  EXPECT_FALSE(in_.model.IngressDecision(C(W("web"), W("db"), 5432)).allowed);
  // web's egress is isolated by the default deny: it may not even leave.
  EXPECT_FALSE(in_.model.EgressDecision(C(W("web"), W("db"), 5432)).allowed);
  // A namespace selected through the automatic name label; a named port
  // resolves on the destination's container ports, protocol included.
  EXPECT_TRUE(in_.model.IngressDecision(C(W("prom"), W("db"), 9090, "UDP")).allowed);
  EXPECT_FALSE(in_.model.IngressDecision(C(W("prom"), W("db"), 9090, "TCP")).allowed);
  EXPECT_FALSE(in_.model.IngressDecision(C(W("prom"), W("db"), 8080, "UDP")).allowed);
  // A podSelector alone means the policy's namespace: same labels elsewhere do not count.
  EXPECT_FALSE(in_.model.IngressDecision(C(W("free"), W("db"), 5432)).allowed);
  // Not isolated: anything goes.
  auto open = in_.model.IngressDecision(C(Ip("8.8.8.8"), W("free"), 1));
  EXPECT_FALSE(open.isolated);
  EXPECT_TRUE(open.allowed);
}

TEST_F(NetworkDecisions, IpBlocksAndPortRanges) {
  EXPECT_TRUE(in_.model.IngressDecision(C(Ip("8.8.8.8"), W("web"), 8000)).allowed);
  EXPECT_TRUE(in_.model.IngressDecision(C(Ip("8.8.8.8"), W("web"), 8100)).allowed);
  EXPECT_FALSE(in_.model.IngressDecision(C(Ip("8.8.8.8"), W("web"), 8101)).allowed);
  EXPECT_FALSE(in_.model.IngressDecision(C(Ip("10.2.3.4"), W("web"), 8000)).allowed);  // except
  EXPECT_FALSE(in_.model.IngressDecision(C(Ip("2001:db8::1"), W("web"), 8000)).allowed);
  // ipBlocks match addresses, never workloads (pod IPs are not known).
  EXPECT_FALSE(in_.model.IngressDecision(C(W("free"), W("web"), 8000)).allowed);
}

TEST_F(NetworkDecisions, EgressRules) {
  EXPECT_TRUE(in_.model.EgressDecision(C(W("api"), W("db"), 1)).allowed);
  EXPECT_FALSE(in_.model.EgressDecision(C(W("api"), W("web"), 1)).allowed);
  EXPECT_FALSE(in_.model.EgressDecision(C(W("api"), Ip("1.1.1.1"), 443)).allowed);
  EXPECT_TRUE(in_.model.EgressDecision(C(W("free"), Ip("1.1.1.1"), 443)).allowed);
}

// --- Selection at scale ------------------------------------------------------------

// Large namespaces go through the label index; the result must be what a
// plain scan gives.
TEST(NetworkSelection, LabelIndexAgreesWithAScan) {
  std::string yaml;
  for (int i = 0; i < 120; ++i) {
    yaml += Pod("p" + std::to_string(i), "big",
                "{app: a" + std::to_string(i % 7) + ", tier: t" + std::to_string(i % 3) + "}");
  }
  yaml += Policy("eq", "big", "{podSelector: {matchLabels: {app: a3, tier: t1}}}");
  yaml += Policy("expr", "big",
                 "{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [a1]}]}}");
  yaml += Policy("none", "big", "{podSelector: {matchLabels: {app: zz}}}");
  Input in = Load(yaml);
  for (uint32_t p = 0; p < in.model.policies().size(); ++p) {
    std::vector<uint32_t> expected;
    for (uint32_t w = 0; w < in.model.workloads().size(); ++w) {
      if (in.model.policies()[p].pod_selector.Matches(in.model.workloads()[w].labels())) {
        expected.push_back(w);
      }
    }
    EXPECT_EQ(in.model.SelectedBy(p), expected) << in.model.policies()[p].resource->name;
  }
  EXPECT_EQ(in.model.SelectedBy(0).size(), 6u);  // i % 7 == 3 and i % 3 == 1: i % 21 == 10
  EXPECT_EQ(in.model.SelectedBy(1).size(), 120u - 17u);
  EXPECT_TRUE(in.model.SelectedBy(2).empty());
}

// --- Exposure and controllers ----------------------------------------------------

TEST(NetworkExposure, ServicesIngressesAndRoutes) {
  std::string deploy =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: "
      "{selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web, tier: fe}}, "
      "spec: {containers: [{name: c, image: i}]}}}\n---\n";
  std::string svc = [](const char* name, const char* type, const char* selector,
                       const char* extra = "") {
    return std::string("apiVersion: v1\nkind: Service\nmetadata: {name: ") + name +
           ", namespace: shop}\nspec: {type: " + type + ", selector: " + selector + extra +
           ", ports: [{port: 80}]}\n---\n";
  }("lb", "LoadBalancer", "{app: web}");
  std::string yaml =
      deploy + svc +
      "apiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: shop}\nspec: {type: "
      "NodePort, selector: {app: web, tier: be}}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: internal, namespace: shop}\nspec: "
      "{selector: {app: web}, externalIPs: [1.2.3.4]}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: nosel, namespace: shop}\nspec: {type: "
      "LoadBalancer}\n---\n"
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing, namespace: "
      "shop}\nspec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: "
      "{name: internal, port: {number: 80}}}}]}}]}\n---\n"
      "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old, namespace: shop}\n"
      "spec: {backend: {serviceName: internal, servicePort: 80}}\n---\n"
      "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: route, "
      "namespace: edge}\nspec: {rules: [{backendRefs: [{name: internal, namespace: shop, port: "
      "80}]}]}\n";
  Input in = Load(yaml);
  const net::Workload& w = WorkloadNamed(in.model, "web");
  std::vector<std::string> seen;
  for (const net::Exposure& e : w.exposures) {
    seen.push_back(std::string(net::ExposureKindName(e.kind)) + " " + e.via->name + "/" +
                   e.service->name);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen,
            (std::vector<std::string>{"Gateway API route route/internal", "Ingress ing/internal",
                                      "Ingress old/internal", "LoadBalancer Service lb/lb",
                                      "Service with externalIPs internal/internal"}));
  EXPECT_TRUE(in.model.FindService("shop", "np")->workloads.empty());  // tier: be does not match
  EXPECT_TRUE(in.model.FindService("shop", "nosel")->workloads.empty());
}

TEST(NetworkExposure, ControllersInTheInputAreRecorded) {
  Input in = Load(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec: "
      "{template: {spec: {containers: [{name: c, image: i}]}}}\n---\n"
      "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-1, namespace: a, "
      "ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: "
      "true}]}\nspec: {template: {spec: {containers: [{name: c, image: i}]}}}\n---\n"
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web-1-x, namespace: a, ownerReferences: "
      "[{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: u, controller: true}]}\nspec: "
      "{containers: [{name: c, image: i}]}\n---\n"
      "apiVersion: v1\nkind: Pod\nmetadata: {name: orphan, namespace: a, ownerReferences: "
      "[{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: u, controller: true}]}\nspec: "
      "{containers: [{name: c, image: i}]}\n---\n"
      "apiVersion: v1\nkind: Pod\nmetadata: {name: wrong-kind, namespace: a, ownerReferences: "
      "[{apiVersion: apps/v1, kind: StatefulSet, name: web, uid: u, controller: true}]}\nspec: "
      "{containers: [{name: c, image: i}]}\n");
  EXPECT_EQ(WorkloadNamed(in.model, "web").controller, nullptr);
  EXPECT_EQ(WorkloadNamed(in.model, "web-1").controller->name, "web");
  EXPECT_EQ(WorkloadNamed(in.model, "web-1-x").controller->name, "web-1");
  EXPECT_EQ(WorkloadNamed(in.model, "orphan").controller, nullptr);
  EXPECT_EQ(WorkloadNamed(in.model, "wrong-kind").controller, nullptr);
}

// --- Rules -----------------------------------------------------------------------

const engine::RuleRegistry& Registry() {
  static const engine::RuleRegistry registry = [] {
    engine::RuleRegistry r;
    rules::RegisterBuiltinRules(r);
    return r;
  }();
  return registry;
}

// "status:resource" for every finding of one rule over `yaml`.
std::vector<std::string> RunRule(const std::string& id, const std::string& yaml, int minor = 37) {
  core::LoadResult loaded = core::DecodeSources({{"in.yaml", yaml}}, {});
  EXPECT_FALSE(loaded.input_error);
  const engine::Rule* rule = Registry().Find(id);
  EXPECT_NE(rule, nullptr) << id;
  engine::RuleContext ctx;
  ctx.inventory = &loaded.inventory;
  ctx.k8s_minor = minor;
  std::vector<std::string> out;
  for (const engine::Finding& f : engine::Evaluate({rule}, loaded.inventory, ctx, 1)) {
    out.push_back(std::string(engine::FindingStatusName(f.status)) + ":" + f.resource->name);
  }
  return out;
}

using Findings = std::vector<std::string>;

TEST(NetworkRules, EveryRuleIsDocumented) {
  size_t count = 0;
  for (const auto& r : Registry().rules()) {
    if (r->info.category != "network") continue;
    ++count;
    EXPECT_EQ(r->info.id.rfind("NET-", 0), 0u) << r->info.id;
    EXPECT_FALSE(r->info.description.empty()) << r->info.id;
    EXPECT_FALSE(r->info.remediation.empty()) << r->info.id;
    EXPECT_FALSE(r->info.references.empty()) << r->info.id;
  }
  EXPECT_EQ(count, 23u);
}

TEST(NetworkRules, DefaultDenyMustSelectTheWholeNamespaceAndDenySomething) {
  std::string pods = Pod("a", "ns", "{app: a}");
  EXPECT_EQ(RunRule("NET-002", pods + Policy("p", "ns", "{podSelector: {}}")), Findings{"pass:a"});
  // Ingress rules for traffic every pod needs keep it a default deny ...
  EXPECT_EQ(RunRule("NET-002", pods + Policy("p", "ns",
                                             "{podSelector: {}, ingress: [{from: [{podSelector: "
                                             "{}}]}]}")),
            Findings{"pass:a"});
  // ... an allow-everything rule does not, nor does a narrower selector.
  EXPECT_EQ(RunRule("NET-002", pods + Policy("p", "ns", "{podSelector: {}, ingress: [{}]}")),
            Findings{"fail:a"});
  EXPECT_EQ(RunRule("NET-002", pods + Policy("p", "ns", "{podSelector: {matchLabels: {app: a}}}")),
            Findings{"fail:a"});
  // An egress-only policy is no ingress default deny; it is an egress one.
  std::string egress_only = pods + Policy("p", "ns", "{podSelector: {}, policyTypes: [Egress]}");
  EXPECT_EQ(RunRule("NET-002", egress_only), Findings{"fail:a"});
  EXPECT_EQ(RunRule("NET-003", egress_only), Findings{"pass:a"});
  // A namespace without workloads in the input is not evaluated.
  EXPECT_EQ(RunRule("NET-002", Policy("p", "empty", "{podSelector: {}}")), Findings{});
  // Calico policies may isolate the pods: no conclusion.
  EXPECT_EQ(RunRule("NET-002", pods + "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\n"
                                      "metadata: {name: c, namespace: ns}\nspec: {}\n"),
            Findings{});
}

TEST(NetworkRules, IsolationIsReportedOnControllersNotTheirPods) {
  std::string yaml =
      "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs, namespace: ns}\nspec: "
      "{template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: i}]}}}\n"
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: rs-1, namespace: ns, labels: {app: a}, "
      "ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u, controller: "
      "true}]}\nspec: {containers: [{name: c, image: i}]}\n---\n" +
      Pod("host", "ns", "{app: h}", "hostNetwork: true");
  EXPECT_EQ(RunRule("NET-004", yaml), Findings{"fail:rs"});
  EXPECT_EQ(RunRule("NET-004", yaml + Policy("p", "ns",
                                             "{podSelector: {matchLabels: {app: a}}, policyTypes: "
                                             "[Egress]}")),
            Findings{"fail:rs"});
  EXPECT_EQ(RunRule("NET-004", yaml + Policy("p", "ns", "{podSelector: {matchLabels: {app: a}}}")),
            Findings{"pass:rs"});
  // Labels written directly under podSelector: kubectl rejects the policy (and a
  // lenient client would apply an empty, select-all selector). It is NET-007's,
  // and isolates nothing.
  EXPECT_EQ(RunRule("NET-004", yaml + Policy("p", "ns", "{podSelector: {app: other}}")),
            Findings{"fail:rs"});
  EXPECT_EQ(RunRule("NET-007", Policy("p", "ns", "{podSelector: {app: other}}")),
            Findings{"fail:p"});
  // The host-network pod is NET-009's business once a policy selects it.
  EXPECT_EQ(RunRule("NET-009", yaml + Policy("p", "ns", "{podSelector: {}}")),
            (Findings{"pass:rs", "fail:host"}));
}

TEST(NetworkRules, OpenPolicies) {
  std::string p = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n";
  EXPECT_EQ(RunRule("NET-005", p + "spec: {podSelector: {}, ingress: [{ports: [{port: 443}]}]}"),
            Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-005", p + "spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: "
                                   "0.0.0.0/0, except: [10.0.0.0/8]}}]}]}"),
            Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-005", p + "spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: "
                                   "203.0.113.0/24}}, {namespaceSelector: {}}]}]}"),
            Findings{"pass:p"});
  // Ingress rules of an egress-only policy are ignored by Kubernetes.
  EXPECT_EQ(RunRule("NET-005", p + "spec: {podSelector: {}, policyTypes: [Egress], ingress: [{}]}"),
            Findings{});
  // Egress: DNS and named ports never reach the internet; the rest does.
  EXPECT_EQ(RunRule("NET-006", p + "spec: {podSelector: {}, egress: [{ports: [{port: 53, protocol: "
                                   "UDP}, {port: 53}]}, {ports: [{port: https}]}]}"),
            Findings{"pass:p"});
  EXPECT_EQ(RunRule("NET-006", p + "spec: {podSelector: {}, egress: [{ports: [{port: 53}, {port: "
                                   "443}]}]}"),
            Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-006",
                    p + "spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: '::/0'}}]}]}"),
            Findings{"fail:p"});
  // Calico's NetworkPolicy kind is not ours to judge.
  EXPECT_EQ(RunRule("NET-005",
                    "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: "
                    "{name: c}\nspec: {ingress: [{action: Allow}]}\n"),
            Findings{});
}

TEST(NetworkRules, SelectsNoWorkloadSkipsOperatorNamespaces) {
  std::string base = Pod("a", "ns", "{app: a}");
  std::string stale = Policy("p", "ns", "{podSelector: {matchLabels: {app: typo}}}");
  EXPECT_EQ(RunRule("NET-008", base + stale), (Findings{"fail:p"}));
  EXPECT_EQ(RunRule("NET-008", Policy("p", "empty", "{podSelector: {matchLabels: {app: x}}}")),
            Findings{});
  // Prometheus pods come from the operator's custom resource.
  std::string deploy =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec: "
      "{template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: i}]}}}\n"
      "---\n";
  std::string cr =
      "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: "
      "ns}\nspec: {}\n---\n";
  EXPECT_EQ(RunRule("NET-008", deploy + cr + stale), Findings{});
  EXPECT_EQ(RunRule("NET-008", deploy + stale), (Findings{"fail:p"}));
}

TEST(NetworkRules, LoadBalancers) {
  auto lb = [](const std::string& annotations, const std::string& spec) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: lb, annotations: {" + annotations +
           "}}\nspec: {type: LoadBalancer" + spec + "}\n";
  };
  EXPECT_EQ(RunRule("NET-010", lb("", "")), Findings{"fail:lb"});
  EXPECT_EQ(RunRule("NET-010", lb("", ", loadBalancerSourceRanges: [203.0.113.0/24]")),
            Findings{"pass:lb"});
  EXPECT_EQ(RunRule("NET-010", lb("", ", loadBalancerSourceRanges: [203.0.113.0/24, 0.0.0.0/0]")),
            Findings{"fail:lb"});
  EXPECT_EQ(RunRule("NET-010", lb("service.beta.kubernetes.io/load-balancer-source-ranges: "
                                  "'10.0.0.0/8, 192.168.0.0/16'",
                                  "")),
            Findings{"pass:lb"});
  // The spec field wins over the annotation, as in the cloud providers.
  EXPECT_EQ(
      RunRule("NET-010", lb("service.beta.kubernetes.io/load-balancer-source-ranges: 0.0.0.0/0",
                            ", loadBalancerSourceRanges: [10.0.0.0/8]")),
      Findings{"pass:lb"});
  EXPECT_EQ(RunRule("NET-010", lb("networking.gke.io/load-balancer-type: Internal", "")),
            Findings{"pass:lb"});
  EXPECT_EQ(RunRule("NET-010",
                    lb("service.beta.kubernetes.io/azure-load-balancer-internal: 'false'", "")),
            Findings{"fail:lb"});
  EXPECT_EQ(RunRule("NET-010", "apiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec: {}\n"),
            Findings{});
}

TEST(NetworkRules, IngressTlsCoverage) {
  auto ing = [](const std::string& spec, const std::string& annotations = "") {
    return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, annotations: {" +
           annotations + "}}\nspec: " + spec + "\n";
  };
  std::string rules = "rules: [{host: a.example.com}, {host: b.example.com}]";
  EXPECT_EQ(RunRule("NET-013", ing("{" + rules + "}")), Findings{"fail:i"});
  EXPECT_EQ(RunRule("NET-013", ing("{tls: [{hosts: ['*.example.com']}], " + rules + "}")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-013", ing("{tls: [{hosts: [a.example.com]}], " + rules + "}")),
            Findings{"fail:i"});
  // A wildcard covers one label only.
  EXPECT_EQ(RunRule("NET-013", ing("{tls: [{hosts: ['*.example.com']}], rules: [{host: "
                                   "x.y.example.com}]}")),
            Findings{"fail:i"});
  // A TLS entry without hosts covers the controller's default host.
  EXPECT_EQ(RunRule("NET-013", ing("{tls: [{secretName: s}], " + rules + "}")), Findings{"pass:i"});
  EXPECT_EQ(
      RunRule("NET-013", ing("{tls: [{hosts: [a.example.com]}], rules: [{host: a.example.com}]}",
                             "nginx.ingress.kubernetes.io/ssl-redirect: 'false'")),
      Findings{"fail:i"});
  EXPECT_EQ(
      RunRule("NET-013", ing("{tls: [{hosts: [a.example.com]}], rules: [{host: a.example.com}]}",
                             "nginx.ingress.kubernetes.io/ssl-redirect: 'false', "
                             "nginx.ingress.kubernetes.io/force-ssl-redirect: 'true'")),
      Findings{"pass:i"});
}

TEST(NetworkRules, SnippetAnnotationsAndTheControllerSwitch) {
  auto ing = [](const std::string& annotations) {
    return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, annotations: {" +
           annotations + "}}\nspec: {defaultBackend: {service: {name: s, port: {number: 80}}}}\n";
  };
  EXPECT_EQ(RunRule("NET-014", ing("nginx.ingress.kubernetes.io/rewrite-target: /")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-014", ing("nginx.ingress.kubernetes.io/server-snippet: 'return 200;'")),
            Findings{"fail:i"});
  EXPECT_EQ(RunRule("NET-014", ing("nginx.org/location-snippets: 'x'")), Findings{"fail:i"});
  auto cm = [](const std::string& data) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {" + data + "}\n";
  };
  EXPECT_EQ(RunRule("NET-014", cm("allow-snippet-annotations: 'true'")), Findings{"fail:c"});
  EXPECT_EQ(RunRule("NET-014", cm("allow-snippet-annotations: 'false'")), Findings{"pass:c"});
  EXPECT_EQ(RunRule("NET-014", cm("other: x")), Findings{});
}

TEST(NetworkRules, ExposedWorkloadsWithHostAccess) {
  std::string yaml =
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec: {template: "
      "{metadata: {labels: {app: agent}}, spec: {hostPID: true, containers: [{name: c, image: i, "
      "securityContext: {privileged: true}}], volumes: [{name: v, hostPath: {path: /}}]}}}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: "
      "{metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hidden}\nspec: {template: "
      "{metadata: {labels: {app: hidden}}, spec: {hostNetwork: true, containers: [{name: c, "
      "image: i}]}}}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: agent}\nspec: {type: NodePort, selector: "
      "{app: agent}}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: LoadBalancer, "
      "selector: {app: web}}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: hidden}\nspec: {selector: {app: "
      "hidden}}\n";
  EXPECT_EQ(RunRule("NET-015", yaml), (Findings{"fail:agent", "pass:web"}));
  core::LoadResult loaded = core::DecodeSources({{"in.yaml", yaml}}, {});
  engine::RuleContext ctx;
  ctx.inventory = &loaded.inventory;
  auto findings = engine::Evaluate({Registry().Find("NET-015")}, loaded.inventory, ctx, 1);
  ASSERT_FALSE(findings.empty());
  std::vector<std::string> pointers;
  for (const engine::Evidence& e : findings[0].evidence()) pointers.push_back(e.pointer);
  EXPECT_EQ(pointers,
            (std::vector<std::string>{"/spec/template/spec/hostPID",
                                      "/spec/template/spec/containers/0/securityContext/privileged",
                                      "/spec/template/spec/volumes/0/hostPath"}));
  EXPECT_NE(findings[0].message().find("NodePort Service \"agent\""), std::string::npos)
      << findings[0].message();
}

TEST(NetworkRules, PeersOfEveryNamespace) {
  std::string p = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n";
  EXPECT_EQ(RunRule("NET-016", p + "spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: "
                                   "{}}]}]}"),
            Findings{"fail:p"});
  // An empty podSelector next to it narrows nothing; a real one does.
  EXPECT_EQ(RunRule("NET-016", p + "spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: "
                                   "{matchLabels: {}}, podSelector: {}}]}]}"),
            Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-016", p + "spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: "
                                   "{}, podSelector: {matchLabels: {app: prom}}}]}]}"),
            Findings{"pass:p"});
  // Egress to kube-dns everywhere is the point of DNS rules; other ports are not.
  EXPECT_EQ(
      RunRule("NET-016", p + "spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: "
                             "[{namespaceSelector: {}}], ports: [{port: 53, protocol: UDP}]}]}"),
      Findings{"pass:p"});
  EXPECT_EQ(RunRule("NET-016", p + "spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: "
                                   "[{namespaceSelector: {}}], ports: [{port: 53}, {port: 80}]}]}"),
            Findings{"fail:p"});
  // Ingress rules of an egress-only policy are ignored by Kubernetes.
  EXPECT_EQ(
      RunRule("NET-016", p + "spec: {podSelector: {}, policyTypes: [Egress], ingress: [{from: "
                             "[{namespaceSelector: {}}]}]}"),
      Findings{"pass:p"});
  // An invalid policy is NET-007's.
  EXPECT_EQ(RunRule("NET-016", p + "spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: "
                                   "{}, ipBlock: {cidr: 10.0.0.0/8}}]}]}"),
            Findings{});
}

TEST(NetworkRules, EgressToTheMetadataService) {
  std::string p =
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n"
      "spec: {podSelector: {}, policyTypes: [Egress], egress: ";
  EXPECT_EQ(RunRule("NET-017", p + "[{}]}"), Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-017", p + "[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]}"),
            Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-017", p + "[{to: [{ipBlock: {cidr: 169.254.0.0/16}}], ports: [{port: 70, "
                                   "endPort: 90}]}]}"),
            Findings{"fail:p"});
  EXPECT_EQ(RunRule("NET-017", p + "[{to: [{ipBlock: {cidr: '::/0'}}]}]}"), Findings{"fail:p"});
  // Excepted, other ports, UDP, named ports (which never match an address): pass.
  EXPECT_EQ(RunRule("NET-017", p + "[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: "
                                   "[169.254.169.254/32]}}]}]}"),
            Findings{"pass:p"});
  EXPECT_EQ(RunRule("NET-017", p + "[{ports: [{port: 443}, {port: 80, protocol: UDP}, {port: "
                                   "http}]}]}"),
            Findings{"pass:p"});
  EXPECT_EQ(RunRule("NET-017", p + "[{to: [{namespaceSelector: {}}]}]}"), Findings{"pass:p"});
}

TEST(NetworkRules, IngressAndGatewayEntryPoints) {
  auto ing = [](const std::string& version, const std::string& spec) {
    return "apiVersion: " + version + "\nkind: Ingress\nmetadata: {name: i}\nspec: " + spec + "\n";
  };
  EXPECT_EQ(RunRule("NET-018", ing("networking.k8s.io/v1", "{rules: [{host: a.example.com}]}")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-018", ing("networking.k8s.io/v1", "{rules: [{host: ''}]}")),
            Findings{"fail:i"});
  EXPECT_EQ(
      RunRule("NET-018", ing("extensions/v1beta1", "{backend: {serviceName: s, servicePort: 80}}")),
      Findings{"fail:i"});
  auto gw = [](const std::string& listeners) {
    return "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n"
           "spec: {gatewayClassName: c, listeners: " +
           listeners + "}\n";
  };
  EXPECT_EQ(RunRule("NET-019", gw("[{name: a, protocol: HTTPS, port: 443, allowedRoutes: "
                                  "{namespaces: {from: All}}}]")),
            Findings{"fail:g"});
  EXPECT_EQ(RunRule("NET-019", gw("[{name: a, protocol: HTTPS, port: 443}]")), Findings{"pass:g"});
  // HTTP next to HTTPS for the same names (a redirect) passes; a wildcard
  // covers names below it; a named HTTPS listener does not cover every name.
  EXPECT_EQ(RunRule("NET-020", gw("[{name: a, protocol: HTTP, port: 80, hostname: a.example.com}, "
                                  "{name: b, protocol: HTTPS, port: 443, hostname: "
                                  "'*.example.com'}]")),
            Findings{"pass:g"});
  EXPECT_EQ(RunRule("NET-020", gw("[{name: a, protocol: HTTP, port: 80}, {name: b, protocol: "
                                  "HTTPS, port: 443, hostname: a.example.com}]")),
            Findings{"fail:g"});
  EXPECT_EQ(RunRule("NET-020", gw("[{name: a, protocol: HTTP, port: 80, hostname: example.com}, "
                                  "{name: b, protocol: TLS, port: 443, hostname: "
                                  "'*.example.com'}]")),
            Findings{"fail:g"});
  EXPECT_EQ(RunRule("NET-020", gw("[{name: a, protocol: TCP, port: 5432}]")), Findings{});
}

TEST(NetworkRules, EgressIsolationUsesDerivedPolicyTypes) {
  std::string pods =
      Pod("a", "ns", "{app: a}") + Pod("host", "ns", "{app: h}", "hostNetwork: true");
  EXPECT_EQ(RunRule("NET-023", pods), Findings{"fail:a"});
  // Without policyTypes, a policy with egress rules isolates for egress too ...
  EXPECT_EQ(RunRule("NET-023", pods + Policy("p", "ns",
                                             "{podSelector: {matchLabels: {app: a}}, egress: "
                                             "[{to: [{podSelector: {}}]}]}")),
            Findings{"pass:a"});
  // ... one without egress rules defaults to [Ingress] only.
  EXPECT_EQ(RunRule("NET-023", pods + Policy("p", "ns", "{podSelector: {}}")), Findings{"fail:a"});
  EXPECT_EQ(
      RunRule("NET-023", pods + Policy("p", "ns", "{podSelector: {}, policyTypes: [Egress]}")),
      Findings{"pass:a"});
  // An invalid policy isolates nothing.
  EXPECT_EQ(RunRule("NET-023", pods + Policy("p", "ns", "{podSelector: {}, policyTypes: [Out]}")),
            Findings{"fail:a"});
}

TEST(NetworkRules, ServiceSelectorsMatchPodTemplates) {
  auto svc = [](const std::string& name, const std::string& ns, const std::string& spec) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns +
           "}\nspec: " + spec + "\n---\n";
  };
  std::string pods = Pod("a", "ns", "{app: a, tier: web}");
  EXPECT_EQ(RunRule("NET-024", pods + svc("s", "ns", "{selector: {app: a}}")), Findings{"pass:s"});
  // Every pair must match the same pod.
  EXPECT_EQ(RunRule("NET-024", pods + svc("s", "ns", "{selector: {app: a, tier: db}}")),
            Findings{"fail:s"});
  // Pods of another namespace do not count.
  EXPECT_EQ(RunRule("NET-024", pods + Pod("b", "other", "{app: b}") +
                                   svc("s", "other", "{selector: {app: a}}")),
            Findings{"fail:s"});
  // Not evaluated: no workload in the namespace, ExternalName, no selector.
  EXPECT_EQ(RunRule("NET-024", pods + svc("s", "empty", "{selector: {app: a}}")), Findings{});
  EXPECT_EQ(RunRule("NET-024",
                    pods + svc("s", "ns", "{type: ExternalName, externalName: x.example.com}")),
            Findings{});
  EXPECT_EQ(RunRule("NET-024", pods + svc("s", "ns", "{ports: [{port: 80}]}")), Findings{});
  // Labels the controller adds to its pods.
  std::string sts =
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: ns}\nspec: "
      "{template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}\n"
      "---\n";
  EXPECT_EQ(RunRule("NET-024",
                    sts + svc("s", "ns",
                              "{selector: {app: db, statefulset.kubernetes.io/pod-name: db-0}}")),
            Findings{"pass:s"});
  EXPECT_EQ(RunRule("NET-024", pods + svc("s", "ns",
                                          "{selector: {app: a, statefulset.kubernetes.io/pod-name: "
                                          "a-0}}")),
            Findings{"fail:s"});
  // A value of the wrong type is never a pass.
  EXPECT_EQ(RunRule("NET-024", pods + svc("s", "ns", "{selector: {app: 1}}")), Findings{"fail:s"});
  // Operators create pods the manifests do not show.
  EXPECT_EQ(RunRule("NET-024", sts +
                                   "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\n"
                                   "metadata: {name: k8s, namespace: ns}\nspec: {}\n---\n" +
                                   svc("s", "ns", "{selector: {app: prometheus}}")),
            Findings{});
  // Large namespaces go through the label index: the same answers.
  std::string many;
  for (int i = 0; i < 40; ++i) {
    many += Pod("p" + std::to_string(i), "ns", "{app: p" + std::to_string(i) + "}");
  }
  EXPECT_EQ(RunRule("NET-024", many + svc("s", "ns", "{selector: {app: p39}}")),
            Findings{"pass:s"});
  EXPECT_EQ(RunRule("NET-024", many + svc("s", "ns", "{selector: {app: p40}}")),
            Findings{"fail:s"});
}

TEST(NetworkRules, IngressBackendsNameServicesAndPorts) {
  std::string svc =
      "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ns}\nspec: {selector: "
      "{app: a}, ports: [{name: http, port: 80}]}\n---\n";
  auto ingress = [](const std::string& api, const std::string& backend) {
    return "apiVersion: " + api +
           "\nkind: Ingress\nmetadata: {name: i, namespace: ns}\nspec: {rules: [{http: {paths: "
           "[{path: /, pathType: Prefix, backend: " +
           backend + "}]}}]}\n";
  };
  const std::string v1 = "networking.k8s.io/v1";
  EXPECT_EQ(RunRule("NET-025", svc + ingress(v1, "{service: {name: web, port: {number: 80}}}")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-025", svc + ingress(v1, "{service: {name: web, port: {name: http}}}")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-025", svc + ingress(v1, "{service: {name: web, port: {number: 8080}}}")),
            Findings{"fail:i"});
  EXPECT_EQ(RunRule("NET-025", svc + ingress(v1, "{service: {name: web, port: {name: grpc}}}")),
            Findings{"fail:i"});
  EXPECT_EQ(RunRule("NET-025", svc + ingress(v1, "{service: {name: api, port: {number: 80}}}")),
            Findings{"fail:i"});
  // The v1beta1 shape, with a numeric or a named servicePort.
  EXPECT_EQ(RunRule("NET-025",
                    svc + ingress("extensions/v1beta1", "{serviceName: web, servicePort: http}")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-025", svc + ingress("networking.k8s.io/v1beta1",
                                             "{serviceName: web, servicePort: 81}")),
            Findings{"fail:i"});
  // Resource backends are not Services; without Services in the namespace there
  // is nothing to compare with.
  EXPECT_EQ(RunRule("NET-025", svc + ingress(v1,
                                             "{resource: {apiGroup: k8s.example.com, kind: Bucket, "
                                             "name: static}}")),
            Findings{"pass:i"});
  EXPECT_EQ(RunRule("NET-025", ingress(v1, "{service: {name: api, port: {number: 80}}}")),
            Findings{});
}

TEST(NetworkRules, ExternalNameAndSensitivePorts) {
  auto svc = [](const std::string& annotations, const std::string& spec) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {" + annotations +
           "}}\nspec: " + spec + "\n";
  };
  EXPECT_EQ(RunRule("NET-021", svc("", "{type: ExternalName, externalName: db.example.com}")),
            Findings{"fail:s"});
  EXPECT_EQ(RunRule("NET-021", svc("", "{ports: [{port: 80}]}")), Findings{"pass:s"});
  EXPECT_EQ(RunRule("NET-022", svc("", "{type: LoadBalancer, ports: [{port: 6379}]}")),
            Findings{"fail:s"});
  EXPECT_EQ(RunRule("NET-022", svc("", "{type: NodePort, ports: [{port: 80, targetPort: 3306}]}")),
            Findings{"fail:s"});
  // A named targetPort says nothing; internal or restricted load balancers pass.
  EXPECT_EQ(RunRule("NET-022", svc("", "{type: NodePort, ports: [{port: 80, targetPort: ssh}]}")),
            Findings{"pass:s"});
  EXPECT_EQ(RunRule("NET-022", svc("networking.gke.io/load-balancer-type: Internal",
                                   "{type: LoadBalancer, ports: [{port: 5432}]}")),
            Findings{"pass:s"});
  EXPECT_EQ(RunRule("NET-022", svc("service.beta.kubernetes.io/load-balancer-source-ranges: "
                                   "10.0.0.0/8",
                                   "{type: LoadBalancer, ports: [{port: 5432}]}")),
            Findings{"pass:s"});
  EXPECT_EQ(RunRule("NET-022", svc("",
                                   "{type: LoadBalancer, loadBalancerSourceRanges: "
                                   "[0.0.0.0/0], ports: [{port: 5432}]}")),
            Findings{"fail:s"});
  EXPECT_EQ(RunRule("NET-022", svc("", "{ports: [{port: 5432}]}")), Findings{});
}

}  // namespace
}  // namespace kspm

// The workload hardening family against docs/rules/workload.md: image
// reference parsing, registry allow-lists, capability names, hostPath
// normalisation and path classes, label selectors, and each rule's tricky
// verdicts (defaults, inheritance, cross-object lookups, type errors).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/registry.h"
#include "rules/builtin.h"
#include "rules/workload_support.h"

namespace kspm {
namespace {

using rules::workload::HostPathClass;

// ---------------------------------------------------------------------------
// Image references

struct ImageCase {
  const char* image;
  const char* domain;
  const char* path;
  const char* tag;
  const char* digest;
  bool latest;
};

TEST(WorkloadImages, ParseLikeDistributionReference) {
  const ImageCase cases[] = {
      {"nginx", "docker.io", "nginx", "", "", true},
      {"nginx:1.25", "docker.io", "nginx", "1.25", "", false},
      {"nginx:latest", "docker.io", "nginx", "latest", "", true},
      {"bitnami/redis:7", "docker.io", "bitnami/redis", "7", "", false},
      {"registry:5000/app", "registry:5000", "app", "", "", true},
      {"registry:5000/app:v1", "registry:5000", "app", "v1", "", false},
      {"localhost/app:1", "localhost", "app", "1", "", false},
      {"Acme/app", "Acme", "app", "", "", true},  // upper case: a host, not a path
      {"index.docker.io/library/nginx:1", "docker.io", "library/nginx", "1", "", false},
      {"gcr.io/proj/app@sha256:abc", "gcr.io", "proj/app", "", "sha256:abc", false},
      {"gcr.io/proj/app:1.0@sha256:abc", "gcr.io", "proj/app", "1.0", "sha256:abc", false},
      {"ghcr.io/acme/tools/cli:latest", "ghcr.io", "acme/tools/cli", "latest", "", true},
  };
  for (const ImageCase& c : cases) {
    SCOPED_TRACE(c.image);
    rules::workload::ImageRef ref = rules::workload::ParseImageRef(c.image);
    EXPECT_EQ(ref.domain, c.domain);
    EXPECT_EQ(ref.path, c.path);
    EXPECT_EQ(ref.tag, c.tag);
    EXPECT_EQ(ref.digest, c.digest);
    EXPECT_EQ(rules::workload::UsesLatest(ref), c.latest);
  }
}

TEST(WorkloadImages, RegistryAllowList) {
  struct Case {
    const char* entry;
    const char* image;
    bool allowed;
  };
  const Case cases[] = {
      {"registry.example.com", "registry.example.com/team/app:1", true},
      {"registry.example.com/", "registry.example.com/app", true},
      {"REGISTRY.example.com", "registry.example.com/app", true},
      {"registry.example.com", "registry.example.com.evil.io/app", false},
      {"registry.example.com", "evil.io/registry.example.com/app", false},
      {"ghcr.io/acme", "ghcr.io/acme/app:1", true},
      {"ghcr.io/acme", "ghcr.io/acme-evil/app:1", false},
      {"ghcr.io/acme", "ghcr.io/acme:1", true},
      {"docker.io", "nginx", true},
      {"docker.io/library", "nginx:1.25", true},
      {"docker.io/library", "bitnami/redis", false},
      {"index.docker.io", "docker.io/bitnami/redis", true},
      {"*.dkr.ecr.eu-west-1.amazonaws.com", "123.dkr.ecr.eu-west-1.amazonaws.com/app", true},
      {"*.dkr.ecr.eu-west-1.amazonaws.com", "dkr.ecr.eu-west-1.amazonaws.com/app", false},
      {"registry:5000", "registry:5000/app", true},
      {"registry", "registry:5000/app", false},
      {"", "nginx", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.entry) + " vs " + c.image);
    EXPECT_EQ(rules::workload::RegistryAllows(c.entry, rules::workload::ParseImageRef(c.image)),
              c.allowed);
  }
}

TEST(WorkloadImages, AllowedRegistriesFromConfig) {
  auto ok = rules::workload::ReadAllowedRegistries(
      ".kspm.yaml", "apiVersion: kspm.dev/v1\nkind: Config\nallowedRegistries: [a.io, b.io/x]\n");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, (std::vector<std::string>{"a.io", "b.io/x"}));

  auto absent = rules::workload::ReadAllowedRegistries(".kspm.yaml", "exceptions: []\n");
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->empty());

  auto not_list = rules::workload::ReadAllowedRegistries(".kspm.yaml", "allowedRegistries: a.io\n");
  ASSERT_FALSE(not_list.ok());
  EXPECT_EQ(not_list.status().message(),
            ".kspm.yaml:1:20: `allowedRegistries` must be a list of registries");

  auto bad_item =
      rules::workload::ReadAllowedRegistries(".kspm.yaml", "allowedRegistries:\n  - a.io\n  - 5\n");
  ASSERT_FALSE(bad_item.ok());
  EXPECT_EQ(bad_item.status().message(),
            ".kspm.yaml:3:5: an allowed registry must be a non-empty string such as "
            "registry.example.com or ghcr.io/acme");
}

TEST(WorkloadCapabilities, NamesAsRuntimesReadThem) {
  EXPECT_TRUE(rules::workload::CapabilityIs("SYS_ADMIN", "SYS_ADMIN"));
  EXPECT_TRUE(rules::workload::CapabilityIs("sys_admin", "SYS_ADMIN"));
  EXPECT_TRUE(rules::workload::CapabilityIs("CAP_SYS_ADMIN", "SYS_ADMIN"));
  EXPECT_TRUE(rules::workload::CapabilityIs("cap_net_raw", "NET_RAW"));
  EXPECT_FALSE(rules::workload::CapabilityIs("SYS_ADMINX", "SYS_ADMIN"));
  EXPECT_FALSE(rules::workload::CapabilityIs("CAP_", "ALL"));
  EXPECT_TRUE(rules::workload::CapabilityIs("all", "ALL"));
}

// ---------------------------------------------------------------------------
// hostPath paths

TEST(WorkloadHostPaths, Normalize) {
  const std::pair<const char*, const char*> cases[] = {
      {"/var/run/../log/", "/var/log"},
      {"//etc///kubernetes/", "/etc/kubernetes"},
      {"/", "/"},
      {"", "/"},
      {"/..", "/"},
      {"/./proc/./sys", "/proc/sys"},
      {"relative/dir", "/relative/dir"},
      {"/data/../../etc", "/etc"},
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(rules::workload::NormalizeHostPath(in), out) << in;
  }
}

TEST(WorkloadHostPaths, Classes) {
  using C = HostPathClass;
  struct Case {
    const char* path;
    std::vector<C> classes;
  };
  const std::vector<Case> cases = {
      {"/", {C::kRoot}},
      {"/var/run/docker.sock", {C::kRuntimeSocket}},
      {"/run/containerd/containerd.sock", {C::kRuntimeSocket}},
      {"/run/containerd", {C::kRuntimeSocket}},
      {"/var/run", {C::kRuntimeSocket}},
      {"/run", {C::kRuntimeSocket}},
      {"/run/user/1000/docker.sock", {C::kRuntimeSocket}},
      {"/var/snap/microk8s/common/run/containerd.sock", {C::kRuntimeSocket}},
      {"/var", {C::kRuntimeSocket, C::kNodeConfig, C::kSystem, C::kLogs}},
      {"/var/lib", {C::kNodeConfig, C::kSystem}},
      {"/etc", {C::kNodeConfig}},
      {"/etc/kubernetes/pki", {C::kNodeConfig}},
      {"/etc/ssl", {C::kNodeConfig}},
      {"/etc/ssl/certs", {}},
      {"/etc/ssl/certs/ca-certificates.crt", {}},
      {"/etc/localtime", {}},
      {"/etc/localtimes", {C::kNodeConfig}},
      {"/home/alice/.ssh", {C::kNodeConfig}},
      {"/root", {C::kNodeConfig}},
      {"/var/lib/kubelet/pods", {C::kNodeConfig}},
      {"/var/lib/etcd", {C::kNodeConfig}},
      {"/proc", {C::kKernel}},
      {"/proc/sys/net", {C::kKernel}},
      {"/sys/fs/cgroup", {C::kKernel}},
      {"/dev/shm", {C::kKernel}},
      {"/boot", {C::kKernel}},
      {"/lib/modules", {C::kKernel}},
      {"/lib", {C::kKernel, C::kSystem}},
      {"/usr", {C::kKernel, C::kSystem}},
      {"/usr/share/zoneinfo", {}},
      {"/usr/local/bin", {C::kSystem}},
      {"/opt/cni/bin", {C::kSystem}},
      {"/var/lib/docker/containers", {C::kSystem}},
      {"/var/lib/containerd", {C::kSystem}},
      {"/var/log", {C::kLogs}},
      {"/var/log/pods", {C::kLogs}},
      {"/var/logs", {}},
      {"/data", {}},
      {"/tmp", {}},
      {"/mnt/disks/ssd0", {}},
      {"/opt/local-path-provisioner", {}},
  };
  const C all[] = {C::kRoot, C::kRuntimeSocket, C::kNodeConfig, C::kKernel, C::kSystem, C::kLogs};
  for (const Case& c : cases) {
    for (C cls : all) {
      bool want = std::find(c.classes.begin(), c.classes.end(), cls) != c.classes.end();
      EXPECT_EQ(!rules::workload::SensitivePathMatch(cls, c.path).empty(), want)
          << c.path << " class " << static_cast<int>(cls);
    }
  }
  // What the message names: the sensitive path inside a broader mount.
  EXPECT_EQ(rules::workload::SensitivePathMatch(C::kNodeConfig, "/var"), "/var/lib/kubelet");
  EXPECT_EQ(rules::workload::SensitivePathMatch(C::kRuntimeSocket, "/run"), "/run/docker.sock");
  EXPECT_EQ(rules::workload::SensitivePathMatch(C::kNodeConfig, "/etc/ssl"), "/etc");
}

// ---------------------------------------------------------------------------
// Label selectors and structural equality

core::LoadResult Load(const std::string& yaml) {
  return core::DecodeSources({{"in.yaml", yaml}}, {});
}

TEST(WorkloadSelectors, MatchLikeMetav1) {
  struct Case {
    const char* selector;
    const char* labels;  // flow mapping, or "" for none
    bool match;
  };
  const Case cases[] = {
      {"{}", "{app: web}", true},
      {"{}", "", true},
      {"{matchLabels: {app: web}}", "{app: web, tier: x}", true},
      {"{matchLabels: {app: web}}", "{app: api}", false},
      {"{matchLabels: {app: web}}", "", false},
      {"{matchLabels: {v: '1'}}", "{v: 1}", false},  // a label value must be a string
      {"{matchExpressions: [{key: app, operator: In, values: [web, api]}]}", "{app: api}", true},
      {"{matchExpressions: [{key: app, operator: In, values: [web]}]}", "{}", false},
      {"{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}", "{}", true},
      {"{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}", "{app: web}", false},
      {"{matchExpressions: [{key: app, operator: Exists}]}", "{app: x}", true},
      {"{matchExpressions: [{key: app, operator: DoesNotExist}]}", "{app: x}", false},
      {"{matchExpressions: [{key: app, operator: Like, values: [x]}]}", "{app: x}", false},
      {"{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: Exists}]}", "{app: web}",
       false},
  };
  for (const Case& c : cases) {
    std::string yaml = std::string("s: ") + c.selector + "\nl: " + (*c.labels ? c.labels : "null");
    auto loaded = core::DecodeSource("in.yaml", yaml);
    ASSERT_EQ(loaded.documents.size(), 1u);
    const core::Node& root = loaded.documents[0].root();
    const core::Node* labels = root.Get("l");
    if (labels != nullptr && labels->IsNull()) labels = nullptr;
    EXPECT_EQ(rules::workload::SelectorMatches(*root.Get("s"), labels), c.match) << yaml;
  }
}

TEST(WorkloadSelectors, SameValueIgnoresKeyOrder) {
  auto loaded = core::DecodeSource(
      "in.yaml",
      "a: {httpGet: {path: /h, port: 8080}}\nb: {httpGet: {port: 8080.0, path: /h}}\n"
      "c: {httpGet: {path: /h, port: 8081}}\nd: {httpGet: {path: /h}}\n");
  const core::Node& root = loaded.documents[0].root();
  EXPECT_TRUE(rules::workload::SameValue(*root.Get("a"), *root.Get("b")));
  EXPECT_FALSE(rules::workload::SameValue(*root.Get("a"), *root.Get("c")));
  EXPECT_FALSE(rules::workload::SameValue(*root.Get("a"), *root.Get("d")));
}

// ---------------------------------------------------------------------------
// Commands

TEST(WorkloadCommands, RunsProgramAsAShellWord) {
  struct Case {
    const char* text;
    const char* program;
    bool runs;
  };
  const Case cases[] = {
      {"sudo", "sudo", true},
      {"/usr/bin/sudo", "sudo", true},
      {"sudo -u app ./run", "sudo", true},
      {"set -e; sudo chown app /data && exec app", "sudo", true},
      {"echo ok|sudo tee /etc/x", "sudo", true},
      {"$(sudo id)", "sudo", true},  // command substitution runs it too
      {"(sudo id)", "sudo", true},
      {"pseudo-random", "sudo", false},
      {"--sudo", "sudo", false},
      {"sudoers", "sudo", false},
      {"/usr/sbin/sshd -D -e", "sshd", true},
      {"exec /usr/sbin/sshd", "sshd", true},
      {"sshd_config", "sshd", false},
      {"", "sudo", false},
      {"   ", "sudo", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(rules::workload::CommandRuns(c.text, c.program), c.runs);
  }
}

// ---------------------------------------------------------------------------
// Rules, run the way Evaluate runs them

const engine::RuleRegistry& Registry() {
  static const engine::RuleRegistry* registry = [] {
    auto* r = new engine::RuleRegistry();
    rules::RegisterWorkloadRules(*r);
    return r;
  }();
  return *registry;
}

enum class Want { kPass, kFail, kNotApplicable };

struct Outcome {
  Want got = Want::kNotApplicable;
  std::string message;
  std::vector<engine::Evidence> evidence;
};

// Runs one rule over `yaml` and returns its verdict on the object named
// `target` ("Kind/name"; the first object when empty).
Outcome Run(const std::string& rule_id, const std::string& yaml, const std::string& target = "",
            std::vector<std::string> allowed_registries = {}) {
  core::LoadResult loaded = Load(yaml);
  EXPECT_FALSE(loaded.input_error) << yaml;
  const engine::Rule* rule = Registry().Find(rule_id);
  EXPECT_NE(rule, nullptr) << rule_id;
  Outcome out;
  if (rule == nullptr || loaded.inventory.resources().empty()) return out;
  engine::RuleContext ctx;
  ctx.inventory = &loaded.inventory;
  ctx.allowed_registries = std::move(allowed_registries);
  const core::Resource* want = &loaded.inventory.resources().front();
  for (const core::Resource& r : loaded.inventory.resources()) {
    if (r.kind + "/" + r.name == target) want = &r;
  }
  for (engine::Finding& f : engine::Evaluate({rule}, loaded.inventory, ctx, 1)) {
    if (f.resource != want) continue;
    out.got = f.status == engine::FindingStatus::kFail ? Want::kFail : Want::kPass;
    out.message = f.message();
    out.evidence = f.evidence();
  }
  return out;
}

std::string Describe(const Outcome& o) {
  std::string s = o.got == Want::kPass ? "PASS" : o.got == Want::kFail ? "FAIL" : "N/A";
  s += " " + o.message;
  for (const auto& e : o.evidence) s += "\n  " + e.pointer + " " + e.actual + " " + e.message;
  return s;
}

struct RuleCase {
  const char* name;
  const char* rule;
  std::string yaml;
  Want want;
  std::string pointer = "";  // of the first evidence, when failing
  std::string target = "";
  std::vector<std::string> allowed = {};
};

void Expect(const std::vector<RuleCase>& cases) {
  for (const RuleCase& c : cases) {
    Outcome o = Run(c.rule, c.yaml, c.target, c.allowed);
    SCOPED_TRACE(std::string(c.name) + " (" + c.rule + "): " + Describe(o));
    EXPECT_EQ(o.got, c.want);
    if (c.want == Want::kFail) {
      EXPECT_FALSE(o.evidence.empty());
      EXPECT_FALSE(o.message.empty());
      if (!c.pointer.empty() && !o.evidence.empty()) {
        EXPECT_EQ(o.evidence.front().pointer, c.pointer);
      }
    }
  }
}

// A Pod with the given spec body (YAML indented by two spaces under spec:).
std::string Pod(const std::string& spec, const std::string& metadata = "name: p") {
  return "apiVersion: v1\nkind: Pod\nmetadata: {" + metadata + "}\nspec:\n" + spec;
}

std::string Deployment(const std::string& spec_extra, const std::string& pod_spec,
                       const std::string& labels = "{app: web}", const std::string& ns = "shop") {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: " + ns +
         "}\nspec:\n" + spec_extra + "  template:\n    metadata: {labels: " + labels +
         "}\n    spec:\n" + pod_spec;
}

TEST(WorkloadRules, SecurityContext) {
  Expect({
      {"read-only root", "WL-001",
       Pod("  containers: [{name: a, image: x:1, securityContext: {readOnlyRootFilesystem: "
           "true}}]\n"),
       Want::kPass},
      {"unset", "WL-001", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/containers/0/securityContext/readOnlyRootFilesystem"},
      {"init container counts", "WL-001",
       Pod("  initContainers: [{name: i, image: x:1}]\n"
           "  containers: [{name: a, image: x:1, securityContext: {readOnlyRootFilesystem: "
           "true}}]\n"),
       Want::kFail, "/spec/initContainers/0/securityContext/readOnlyRootFilesystem"},
      {"string is a type error, never a pass", "WL-001",
       Pod("  containers: [{name: a, image: x:1, securityContext: {readOnlyRootFilesystem: "
           "'true'}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/readOnlyRootFilesystem"},
      {"windows pods have no read-only root", "WL-001",
       Pod("  os: {name: windows}\n  containers: [{name: a, image: x:1}]\n"), Want::kNotApplicable},

      {"pod security context is enough", "WL-002",
       Pod("  securityContext: {runAsNonRoot: true}\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"empty everywhere", "WL-002",
       Pod("  securityContext: {}\n  containers: [{name: a, image: x:1, securityContext: {}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext"},

      {"pod UID inherited", "WL-003",
       Pod("  securityContext: {runAsUser: 20000}\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"container overrides pod", "WL-003",
       Pod("  securityContext: {runAsUser: 20000}\n"
           "  containers: [{name: a, image: x:1, securityContext: {runAsUser: 1000}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsUser"},
      {"pod-level low UID reported at the pod", "WL-003",
       Pod("  securityContext: {runAsUser: 999}\n"
           "  containers: [{name: a, image: x:1}, {name: b, image: x:1}]\n"),
       Want::kFail, "/spec/securityContext/runAsUser"},
      {"10000 is high enough", "WL-003",
       Pod("  containers: [{name: a, image: x:1, securityContext: {runAsUser: 10000}}]\n"),
       Want::kPass},
      {"unset UID: the image decides", "WL-003", Pod("  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsUser"},

      {"fsGroup 0", "WL-004",
       Pod("  securityContext: {fsGroup: 0}\n  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/securityContext/fsGroup"},
      {"supplementalGroups with 0", "WL-004",
       Pod("  securityContext: {supplementalGroups: [1000, 0]}\n"
           "  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/securityContext/supplementalGroups/1"},
      {"container runAsGroup 0", "WL-004",
       Pod("  containers: [{name: a, image: x:1, securityContext: {runAsGroup: 0}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsGroup"},
      {"unset groups pass", "WL-004", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kPass},
  });
}

TEST(WorkloadRules, ServiceAccounts) {
  const std::string sa_off =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: shop}\n"
      "automountServiceAccountToken: false\n";
  const std::string sa_on =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: shop}\n";
  const std::string pod_app =
      Pod("  serviceAccountName: app\n  containers: [{name: a, image: x:1}]\n",
          "name: p, namespace: shop");
  Expect({
      {"pod opts out", "WL-005",
       Pod("  automountServiceAccountToken: false\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"default: token mounted", "WL-005", Pod("  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/automountServiceAccountToken"},
      {"ServiceAccount opts out", "WL-005", pod_app + sa_off, Want::kPass},
      {"ServiceAccount does not opt out", "WL-005", pod_app + sa_on, Want::kFail},
      {"ServiceAccount of another namespace", "WL-005",
       Pod("  serviceAccountName: app\n  containers: [{name: a, image: x:1}]\n",
           "name: p, namespace: other") +
           sa_off,
       Want::kFail},
      {"the pod's true wins over the ServiceAccount", "WL-005",
       Pod("  serviceAccountName: app\n  automountServiceAccountToken: true\n"
           "  containers: [{name: a, image: x:1}]\n",
           "name: p, namespace: shop") +
           sa_off,
       Want::kFail, "/spec/automountServiceAccountToken"},
      {"deprecated serviceAccount field names the account", "WL-005",
       Pod("  serviceAccount: app\n  containers: [{name: a, image: x:1}]\n",
           "name: p, namespace: shop") +
           sa_off,
       Want::kPass},
      {"wrong type", "WL-005",
       Pod("  automountServiceAccountToken: 'no'\n  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/automountServiceAccountToken"},

      {"dedicated account", "WL-006", pod_app, Want::kPass},
      {"no account", "WL-006", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/serviceAccountName"},
      {"explicit default", "WL-006",
       Pod("  serviceAccountName: default\n  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/serviceAccountName"},
      {"deprecated field", "WL-006",
       Pod("  serviceAccount: app\n  containers: [{name: a, image: x:1}]\n"), Want::kPass},

      {"explicit default namespace", "WL-007",
       Pod("  containers: [{name: a, image: x:1}]\n", "name: p, namespace: default"), Want::kFail,
       "/metadata/namespace"},
      {"namespace chosen at apply time", "WL-007", Pod("  containers: [{name: a, image: x:1}]\n"),
       Want::kNotApplicable},
      {"own namespace", "WL-007",
       Pod("  containers: [{name: a, image: x:1}]\n", "name: p, namespace: shop"), Want::kPass},
  });
}

TEST(WorkloadRules, Images) {
  auto image = [](const std::string& img, const std::string& extra = "") {
    return Pod("  containers: [{name: a, image: '" + img + "'" + extra + "}]\n");
  };
  const std::string digest =
      "@sha256:4b3c5f7a1d2e9f0a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a";
  Expect({
      {"no tag", "WL-008", image("nginx"), Want::kFail, "/spec/containers/0/image"},
      {"latest", "WL-008", image("registry:5000/app:latest"), Want::kFail},
      {"port is not a tag", "WL-008", image("registry:5000/app"), Want::kFail},
      {"version tag", "WL-008", image("nginx:1.25"), Want::kPass},
      {"digest without tag", "WL-008", image("nginx" + digest), Want::kPass},
      {"ephemeral container counts", "WL-008",
       Pod("  containers: [{name: a, image: x:1}]\n"
           "  ephemeralContainers: [{name: debug, image: busybox}]\n"),
       Want::kFail, "/spec/ephemeralContainers/0/image"},
      {"image of the wrong type", "WL-008", Pod("  containers: [{name: a, image: 5}]\n"),
       Want::kFail, "/spec/containers/0/image"},

      {"tag only", "WL-009", image("nginx:1.25"), Want::kFail},
      {"digest", "WL-009", image("nginx:1.25" + digest), Want::kPass},

      {"no allow-list", "WL-010", image("nginx:1.25"), Want::kNotApplicable},
      {"allowed", "WL-010", image("nginx:1.25"), Want::kPass, "", "", {"docker.io/library"}},
      {"not allowed",
       "WL-010",
       image("ghcr.io/x/y:1"),
       Want::kFail,
       "/spec/containers/0/image",
       "",
       {"docker.io/library", "registry.example.com"}},

      {"tag defaults to IfNotPresent", "WL-011", image("nginx:1.25"), Want::kFail,
       "/spec/containers/0/imagePullPolicy"},
      {"latest defaults to Always", "WL-011", image("nginx"), Want::kPass},
      {"explicit Always", "WL-011", image("nginx:1.25", ", imagePullPolicy: Always"), Want::kPass},
      {"explicit IfNotPresent with latest", "WL-011",
       image("nginx:latest", ", imagePullPolicy: IfNotPresent"), Want::kFail},
      {"digest never changes", "WL-011", image("nginx" + digest, ", imagePullPolicy: Never"),
       Want::kPass},
  });
}

std::string HostPathPod(const std::string& path, bool read_only = true,
                        const std::string& extra = "") {
  return Pod("  containers: [{name: a, image: x:1, volumeMounts: [{name: h, mountPath: /h" +
             std::string(read_only ? ", readOnly: true" : "") + "}]}]\n" +
             "  volumes: [{name: h, hostPath: {path: '" + path + "'}}" + extra + "]\n");
}

TEST(WorkloadRules, HostPaths) {
  Expect({
      {"root", "WL-012", HostPathPod("/"), Want::kFail, "/spec/volumes/0/hostPath/path"},
      {"root spelled oddly", "WL-012", HostPathPod("//./"), Want::kFail},
      {"not root", "WL-012", HostPathPod("/data"), Want::kPass},
      {"docker socket", "WL-013", HostPathPod("/var/run/docker.sock"), Want::kFail,
       "/spec/volumes/0/hostPath/path"},
      {"folder of the socket", "WL-013", HostPathPod("/var/run/"), Want::kFail},
      {"socket through ..", "WL-013", HostPathPod("/var/lib/../run/crio/crio.sock"), Want::kFail},
      {"root is the root rule's", "WL-013", HostPathPod("/"), Want::kPass},
      {"runtime storage is not a socket", "WL-013", HostPathPod("/var/lib/docker"), Want::kPass},
      {"kubelet state", "WL-014", HostPathPod("/var/lib/kubelet/pods"), Want::kFail},
      {"CA bundle", "WL-014", HostPathPod("/etc/ssl/certs"), Want::kPass},
      {"proc", "WL-015", HostPathPod("/proc"), Want::kFail},
      {"runtime storage", "WL-016", HostPathPod("/var/lib/docker/containers"), Want::kFail},
      {"logs", "WL-017", HostPathPod("/var/log/"), Want::kFail},
      {"no hostPath", "WL-017",
       Pod("  containers: [{name: a, image: x:1}]\n  volumes: [{name: e, emptyDir: {}}]\n"),
       Want::kPass},

      {"read-only mount", "WL-018", HostPathPod("/data"), Want::kPass},
      {"writable mount", "WL-018", HostPathPod("/data", false), Want::kFail,
       "/spec/containers/0/volumeMounts/0/readOnly"},
      {"readOnly false", "WL-018",
       Pod("  containers: [{name: a, image: x:1, volumeMounts: [{name: h, mountPath: /h, "
           "readOnly: false}]}]\n  volumes: [{name: h, hostPath: {path: /data}}]\n"),
       Want::kFail, "/spec/containers/0/volumeMounts/0/readOnly"},
      {"hostPath declared, never mounted", "WL-018",
       Pod("  containers: [{name: a, image: x:1}]\n  volumes: [{name: h, hostPath: {path: /d}}]\n"),
       Want::kPass},
      {"writable emptyDir is fine", "WL-018",
       Pod("  containers: [{name: a, image: x:1, volumeMounts: [{name: e, mountPath: /e}]}]\n"
           "  volumes: [{name: e, emptyDir: {}}]\n"),
       Want::kPass},

      {"shared process namespace", "WL-019",
       Pod("  shareProcessNamespace: true\n  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/shareProcessNamespace"},
  });
}

std::string CapsPod(const std::string& security_context, const std::string& pod_extra = "") {
  return Pod(pod_extra +
             "  containers: [{name: a, image: x:1, securityContext: " + security_context + "}]\n");
}

TEST(WorkloadRules, Capabilities) {
  Expect({
      {"ALL added", "WL-020", CapsPod("{capabilities: {add: [ALL]}}"), Want::kFail,
       "/spec/containers/0/securityContext/capabilities/add/0"},
      {"ALL is not SYS_ADMIN's rule", "WL-021", CapsPod("{capabilities: {add: [ALL]}}"),
       Want::kPass},
      {"lower-case name", "WL-021", CapsPod("{capabilities: {add: [NET_BIND_SERVICE, sys_admin]}}"),
       Want::kFail, "/spec/containers/0/securityContext/capabilities/add/1"},
      {"CAP_ prefix", "WL-022", CapsPod("{capabilities: {add: [CAP_SYS_MODULE]}}"), Want::kFail},
      {"SYS_BOOT", "WL-022", CapsPod("{capabilities: {add: [SYS_BOOT]}}"), Want::kFail},
      {"SYS_PTRACE", "WL-023", CapsPod("{capabilities: {add: [SYS_PTRACE]}}"), Want::kFail},
      {"BPF", "WL-024", CapsPod("{capabilities: {add: [BPF]}}"), Want::kFail},
      {"NET_ADMIN", "WL-025", CapsPod("{capabilities: {add: [NET_ADMIN]}}"), Want::kFail},
      {"SYS_TIME", "WL-026", CapsPod("{capabilities: {add: [SYS_TIME]}}"), Want::kFail},
      {"drop does not add", "WL-025", CapsPod("{capabilities: {drop: [NET_ADMIN]}}"), Want::kPass},
      {"add of the wrong type", "WL-021", CapsPod("{capabilities: {add: SYS_ADMIN}}"), Want::kFail,
       "/spec/containers/0/securityContext/capabilities/add"},
      {"windows", "WL-021",
       CapsPod("{capabilities: {add: [SYS_ADMIN]}}", "  os: {name: windows}\n"),
       Want::kNotApplicable},

      {"drop ALL", "WL-027", CapsPod("{capabilities: {drop: [ALL]}}"), Want::kPass},
      {"drop NET_RAW", "WL-027", CapsPod("{capabilities: {drop: [net_raw]}}"), Want::kPass},
      {"nothing dropped", "WL-027", CapsPod("{}"), Want::kFail,
       "/spec/containers/0/securityContext/capabilities/drop"},
      {"other drops", "WL-027", CapsPod("{capabilities: {drop: [SYS_ADMIN]}}"), Want::kFail,
       "/spec/containers/0/securityContext/capabilities/drop"},
      {"added back", "WL-027", CapsPod("{capabilities: {drop: [ALL], add: [NET_RAW]}}"),
       Want::kFail, "/spec/containers/0/securityContext/capabilities/add/0"},
      {"privileged keeps everything", "WL-027",
       CapsPod("{privileged: true, capabilities: {drop: [ALL]}}"), Want::kFail,
       "/spec/containers/0/securityContext/privileged"},
  });
}

TEST(WorkloadRules, Resources) {
  const std::string limit_range =
      "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: lr, namespace: shop}\n"
      "spec:\n  limits:\n  - type: Container\n    default: {memory: 256Mi}\n";
  const std::string pod_shop =
      Pod("  containers: [{name: a, image: x:1}]\n", "name: p, namespace: shop");
  Expect({
      {"set", "WL-031",
       Pod("  containers: [{name: a, image: x:1, resources: {limits: {memory: 1Gi}}}]\n"),
       Want::kPass},
      {"missing", "WL-031", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/containers/0/resources/limits/memory"},
      {"init container", "WL-031",
       Pod("  initContainers: [{name: i, image: x:1}]\n"
           "  containers: [{name: a, image: x:1, resources: {limits: {memory: 1Gi}}}]\n"),
       Want::kFail, "/spec/initContainers/0/resources/limits/memory"},
      {"ephemeral containers cannot have resources", "WL-031",
       Pod("  containers: [{name: a, image: x:1, resources: {limits: {memory: 1Gi}}}]\n"
           "  ephemeralContainers: [{name: d, image: x:1}]\n"),
       Want::kPass},
      {"LimitRange default in the namespace", "WL-031", pod_shop + limit_range, Want::kPass},
      {"LimitRange of another namespace", "WL-031",
       Pod("  containers: [{name: a, image: x:1}]\n", "name: p, namespace: other") + limit_range,
       Want::kFail},
      {"LimitRange default also defaults the request", "WL-030", pod_shop + limit_range,
       Want::kPass},
      {"LimitRange says nothing about cpu", "WL-029", pod_shop + limit_range, Want::kFail},
      {"pod-level resources", "WL-031",
       Pod("  resources: {limits: {memory: 1Gi}}\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"request defaults to the limit", "WL-028",
       Pod("  containers: [{name: a, image: x:1, resources: {limits: {cpu: 500m}}}]\n"),
       Want::kPass},
      {"limit does not default to the request", "WL-029",
       Pod("  containers: [{name: a, image: x:1, resources: {requests: {cpu: 500m}}}]\n"),
       Want::kFail, "/spec/containers/0/resources/limits/cpu"},
      {"numbers are quantities", "WL-029",
       Pod("  containers: [{name: a, image: x:1, resources: {limits: {cpu: 2}}}]\n"), Want::kPass},
      {"a mapping is not a quantity", "WL-029",
       Pod("  containers: [{name: a, image: x:1, resources: {limits: {cpu: {n: 2}}}}]\n"),
       Want::kFail, "/spec/containers/0/resources/limits/cpu"},
      {"ephemeral storage", "WL-032",
       Pod("  containers: [{name: a, image: x:1, resources: {limits: {ephemeral-storage: "
           "1Gi}}}]\n"),
       Want::kPass},
  });
}

TEST(WorkloadRules, Probes) {
  const std::string probes =
      "livenessProbe: {tcpSocket: {port: 8080}}, readinessProbe: {httpGet: {path: /ready, port: "
      "8080}}";
  Expect({
      {"both", "WL-033", Pod("  containers: [{name: a, image: x:1, " + probes + "}]\n"),
       Want::kPass},
      {"missing", "WL-033", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/containers/0/livenessProbe"},
      {"init containers need none", "WL-034",
       Pod("  initContainers: [{name: i, image: x:1}]\n"
           "  containers: [{name: a, image: x:1, " +
           probes + "}]\n"),
       Want::kPass},
      {"run-to-completion pod", "WL-034",
       Pod("  restartPolicy: Never\n  containers: [{name: a, image: x:1}]\n"),
       Want::kNotApplicable},
      {"Job", "WL-033",
       "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
       "      restartPolicy: OnFailure\n      containers: [{name: a, image: x:1}]\n",
       Want::kNotApplicable},
      {"probe of the wrong type", "WL-034",
       Pod("  containers: [{name: a, image: x:1, readinessProbe: yes}]\n"), Want::kFail,
       "/spec/containers/0/readinessProbe"},

      {"different checks", "WL-035", Pod("  containers: [{name: a, image: x:1, " + probes + "}]\n"),
       Want::kPass},
      {"same check, other timings", "WL-035",
       Pod("  containers: [{name: a, image: x:1, livenessProbe: {periodSeconds: 30, grpc: {port: "
           "9}}, readinessProbe: {grpc: {port: 9}}}]\n"),
       Want::kFail, "/spec/containers/0/livenessProbe"},
      {"only one probe", "WL-035",
       Pod("  containers: [{name: a, image: x:1, livenessProbe: {grpc: {port: 9}}}]\n"),
       Want::kPass},
  });
}

TEST(WorkloadRules, Availability) {
  const std::string hpa = [](int min) {
    return "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
           "metadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, "
           "kind: Deployment, name: web}\n  minReplicas: " +
           std::to_string(min) + "\n  maxReplicas: 10\n";
  }(3);
  const std::string hpa_min1 =
      "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
      "metadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {kind: Deployment, name: "
      "web}\n  maxReplicas: 10\n";
  const std::string pod = "      containers: [{name: a, image: x:1}]\n";
  auto pdb = [](const std::string& api, const std::string& selector, const std::string& ns) {
    return "---\napiVersion: " + api +
           "\nkind: PodDisruptionBudget\nmetadata: {name: b, "
           "namespace: " +
           ns + "}\nspec:\n  maxUnavailable: 1\n  selector: " + selector + "\n";
  };
  Expect({
      {"owned pod", "WL-036",
       Pod("  containers: [{name: a, image: x:1}]\n",
           "name: p, ownerReferences: [{kind: ReplicaSet, name: rs, uid: u, controller: true}]"),
       Want::kPass},
      {"naked", "WL-036", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/metadata/ownerReferences"},
      {"helm test hook", "WL-036",
       Pod("  containers: [{name: a, image: x:1}]\n", "name: p, annotations: {helm.sh/hook: test}"),
       Want::kNotApplicable},
      {"mirror pod", "WL-036",
       Pod("  containers: [{name: a, image: x:1}]\n",
           "name: p, annotations: {kubernetes.io/config.mirror: abc}"),
       Want::kNotApplicable},

      {"three replicas", "WL-037", Deployment("  replicas: 3\n", pod), Want::kPass},
      {"unset replicas", "WL-037", Deployment("", pod), Want::kFail, "/spec/replicas"},
      {"one replica", "WL-037", Deployment("  replicas: 1\n", pod), Want::kFail, "/spec/replicas"},
      {"scaled to zero", "WL-037", Deployment("  replicas: 0\n", pod), Want::kNotApplicable},
      {"autoscaler minimum counts", "WL-037", Deployment("  replicas: 1\n", pod) + hpa,
       Want::kPass},
      {"autoscaler minimum defaults to 1", "WL-037", Deployment("  replicas: 5\n", pod) + hpa_min1,
       Want::kFail},
      {"replicas of the wrong type", "WL-037", Deployment("  replicas: '3'\n", pod), Want::kFail,
       "/spec/replicas"},
      {"ReplicaSet of a Deployment", "WL-037",
       "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs, ownerReferences: [{kind: "
       "Deployment, name: web, uid: u}]}\nspec:\n  replicas: 1\n  template:\n    spec:\n" +
           pod,
       Want::kNotApplicable},

      {"budget selects the pods", "WL-038",
       Deployment("  replicas: 3\n", pod) + pdb("policy/v1", "{matchLabels: {app: web}}", "shop"),
       Want::kPass},
      {"no budget", "WL-038", Deployment("  replicas: 3\n", pod), Want::kFail, ""},
      {"budget in another namespace", "WL-038",
       Deployment("  replicas: 3\n", pod) + pdb("policy/v1", "{matchLabels: {app: web}}", "other"),
       Want::kFail},
      {"budget selects other pods", "WL-038",
       Deployment("  replicas: 3\n", pod) + pdb("policy/v1", "{matchLabels: {app: api}}", "shop"),
       Want::kFail},
      {"empty selector in policy/v1 selects all", "WL-038",
       Deployment("  replicas: 3\n", pod) + pdb("policy/v1", "{}", "shop"), Want::kPass},
      {"labels written without matchLabels select nothing", "WL-038",
       Deployment("  replicas: 3\n", pod) + pdb("policy/v1", "{app: web}", "shop"), Want::kFail},
      {"empty selector in policy/v1beta1 selects none", "WL-038",
       Deployment("  replicas: 3\n", pod) + pdb("policy/v1beta1", "{}", "shop"), Want::kFail},
      {"single replica needs no budget", "WL-038", Deployment("  replicas: 1\n", pod),
       Want::kNotApplicable},
      {"autoscaled to at least 3", "WL-038", Deployment("", pod) + hpa, Want::kFail},

      {"deadline", "WL-039",
       "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '@daily'\n"
       "  startingDeadlineSeconds: 300\n",
       Want::kPass},
      {"no deadline", "WL-039",
       "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '@daily'\n",
       Want::kFail, "/spec/startingDeadlineSeconds"},
  });
}

TEST(WorkloadRules, GroupsPortsHostsAndCommands) {
  Expect({
      {"pod GID inherited", "WL-040",
       Pod("  securityContext: {runAsGroup: 20000}\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"container GID overrides the pod's", "WL-040",
       Pod("  securityContext: {runAsGroup: 20000}\n"
           "  containers: [{name: a, image: x:1, securityContext: {runAsGroup: 1000}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsGroup"},
      {"low pod GID reported once, at the pod", "WL-040",
       Pod("  securityContext: {runAsGroup: 1000}\n"
           "  containers: [{name: a, image: x:1}, {name: b, image: x:1}]\n"),
       Want::kFail, "/spec/securityContext/runAsGroup"},
      {"unset GID: the image decides", "WL-040", Pod("  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsGroup"},
      {"runAsUser does not set the group", "WL-040",
       Pod("  securityContext: {runAsUser: 20000, fsGroup: 20000}\n"
           "  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsGroup"},
      {"GID as a string is a type error", "WL-040",
       Pod("  containers: [{name: a, image: x:1, securityContext: {runAsGroup: '20000'}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/runAsGroup"},
      {"windows", "WL-040", Pod("  os: {name: windows}\n  containers: [{name: a, image: x:1}]\n"),
       Want::kNotApplicable},

      {"port 80", "WL-041",
       Pod("  containers: [{name: a, image: x:1, ports: [{containerPort: 8080}, {containerPort: "
           "80}]}]\n"),
       Want::kFail, "/spec/containers/0/ports/1/containerPort"},
      {"port 1024 is unprivileged", "WL-041",
       Pod("  containers: [{name: a, image: x:1, ports: [{containerPort: 1024}]}]\n"), Want::kPass},
      {"the pod lowers the unprivileged port range", "WL-041",
       Pod("  securityContext: {sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "
           "'80'}]}\n"
           "  containers: [{name: a, image: x:1, ports: [{containerPort: 80}]}]\n"),
       Want::kPass},
      {"not low enough", "WL-041",
       Pod("  securityContext: {sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "
           "'443'}]}\n"
           "  containers: [{name: a, image: x:1, ports: [{containerPort: 80}]}]\n"),
       Want::kFail, "/spec/containers/0/ports/0/containerPort"},
      {"no ports", "WL-041", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kPass},
      {"port as a string is a type error", "WL-041",
       Pod("  containers: [{name: a, image: x:1, ports: [{containerPort: '8080'}]}]\n"),
       Want::kFail, "/spec/containers/0/ports/0/containerPort"},
      {"ports not a list", "WL-041",
       Pod("  containers: [{name: a, image: x:1, ports: {containerPort: 80}}]\n"), Want::kFail,
       "/spec/containers/0/ports"},

      {"host aliases", "WL-042",
       Pod("  hostAliases: [{ip: 10.0.0.1, hostnames: [db.internal]}]\n"
           "  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/hostAliases"},
      {"empty list", "WL-042", Pod("  hostAliases: []\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"unset", "WL-042", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kPass},

      {"port 22", "WL-043",
       Pod("  containers: [{name: a, image: x:1, ports: [{containerPort: 22}]}]\n"), Want::kFail,
       "/spec/containers/0/ports/0/containerPort"},
      {"port 2222 over TCP", "WL-043",
       Pod("  containers: [{name: a, image: x:1, ports: [{containerPort: 2222, protocol: "
           "TCP}]}]\n"),
       Want::kFail, "/spec/containers/0/ports/0/containerPort"},
      {"UDP 22 is not SSH", "WL-043",
       Pod("  containers: [{name: a, image: x:1, ports: [{containerPort: 22, protocol: "
           "UDP}]}]\n"),
       Want::kPass},
      {"sshd in the command", "WL-043",
       Pod("  containers: [{name: a, image: x:1, command: [/usr/sbin/sshd, -D]}]\n"), Want::kFail,
       "/spec/containers/0/command/0"},
      {"sshd started by a shell", "WL-043",
       Pod("  containers: [{name: a, image: x:1, command: [sh, -c], args: ['setup && exec sshd "
           "-D']}]\n"),
       Want::kFail, "/spec/containers/0/args/0"},
      {"sshd_config is not sshd", "WL-043",
       Pod("  containers: [{name: a, image: x:1, args: [--config, /etc/ssh/sshd_config]}]\n"),
       Want::kPass},

      {"sudo in a shell command", "WL-044",
       Pod("  containers: [{name: a, image: x:1, command: [sh, -c, 'sudo -E ./start.sh']}]\n"),
       Want::kFail, "/spec/containers/0/command/2"},
      {"sudo as the entrypoint", "WL-044",
       Pod("  initContainers: [{name: i, image: x:1, command: [/usr/bin/sudo, chown, app, "
           "/data]}]\n  containers: [{name: a, image: x:1}]\n"),
       Want::kFail, "/spec/initContainers/0/command/0"},
      {"pseudo is not sudo", "WL-044",
       Pod("  containers: [{name: a, image: x:1, args: [--pseudo-tty]}]\n"), Want::kPass},
      {"command item of the wrong type", "WL-044",
       Pod("  containers: [{name: a, image: x:1, command: [run, {x: 1}]}]\n"), Want::kFail,
       "/spec/containers/0/command/1"},
  });
}

TEST(WorkloadRules, SchedulingAndDisruption) {
  const std::string pod = "      containers: [{name: a, image: x:1}]\n";
  auto hpa = [](const std::string& bounds) {
    return "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
           "metadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, "
           "kind: Deployment, name: web}\n" +
           bounds;
  };
  auto pdb = [](const std::string& budget, const std::string& api = "policy/v1") {
    return "---\napiVersion: " + api +
           "\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\nspec:\n"
           "  selector: {matchLabels: {app: web}}\n" +
           budget;
  };
  auto cronjob = [](const std::string& extra) {
    return "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "
           "'@daily'\n" +
           extra;
  };
  const std::string spread_self =
      "      topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, "
      "whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}]\n";
  const std::string spread_other =
      "      topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, "
      "whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: db}}}]\n";
  const std::string anti_preferred =
      "      affinity:\n        podAntiAffinity:\n"
      "          preferredDuringSchedulingIgnoredDuringExecution:\n"
      "          - weight: 100\n            podAffinityTerm: {topologyKey: kubernetes.io/hostname, "
      "labelSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}\n";
  const std::string match_label_keys =
      "      topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
      "whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app]}]\n";
  Expect({
      {"unset policy defaults to Allow", "WL-045", cronjob(""), Want::kFail,
       "/spec/concurrencyPolicy"},
      {"Allow", "WL-045", cronjob("  concurrencyPolicy: Allow\n"), Want::kFail,
       "/spec/concurrencyPolicy"},
      {"Forbid", "WL-045", cronjob("  concurrencyPolicy: Forbid\n"), Want::kPass},
      {"Replace", "WL-045", cronjob("  concurrencyPolicy: Replace\n"), Want::kPass},
      {"misspelt policy", "WL-045", cronjob("  concurrencyPolicy: forbid\n"), Want::kFail,
       "/spec/concurrencyPolicy"},
      {"Deployments are out of scope", "WL-045", Deployment("", pod), Want::kNotApplicable},

      {"room to scale", "WL-046", hpa("  minReplicas: 2\n  maxReplicas: 5\n").substr(4),
       Want::kPass},
      {"max equals min", "WL-046", hpa("  minReplicas: 3\n  maxReplicas: 3\n").substr(4),
       Want::kFail, "/spec/maxReplicas"},
      {"max 1 with the default min", "WL-046", hpa("  maxReplicas: 1\n").substr(4), Want::kFail,
       "/spec/maxReplicas"},
      {"max missing", "WL-046", hpa("  minReplicas: 2\n").substr(4), Want::kFail,
       "/spec/maxReplicas"},
      {"max of the wrong type", "WL-046", hpa("  maxReplicas: '5'\n").substr(4), Want::kFail,
       "/spec/maxReplicas"},

      {"maxUnavailable 0", "WL-047",
       Deployment("  replicas: 3\n", pod) + pdb("  maxUnavailable: 0\n"), Want::kFail,
       "/spec/maxUnavailable", "PodDisruptionBudget/web"},
      {"maxUnavailable 0%", "WL-047",
       Deployment("  replicas: 3\n", pod) + pdb("  maxUnavailable: '0%'\n"), Want::kFail,
       "/spec/maxUnavailable", "PodDisruptionBudget/web"},
      {"maxUnavailable 1", "WL-047",
       Deployment("  replicas: 3\n", pod) + pdb("  maxUnavailable: 1\n"), Want::kPass, "",
       "PodDisruptionBudget/web"},
      {"minAvailable equals the replicas", "WL-047",
       Deployment("  replicas: 3\n", pod) + pdb("  minAvailable: 3\n"), Want::kFail,
       "/spec/minAvailable", "PodDisruptionBudget/web"},
      {"minAvailable below the replicas", "WL-047",
       Deployment("  replicas: 3\n", pod) + pdb("  minAvailable: 2\n"), Want::kPass, "",
       "PodDisruptionBudget/web"},
      {"minAvailable 1 of a single replica", "WL-047",
       Deployment("", pod) + pdb("  minAvailable: 1\n"), Want::kFail, "/spec/minAvailable",
       "PodDisruptionBudget/web"},
      {"percentages round up: 67% of 3 is 3", "WL-047",
       Deployment("  replicas: 3\n", pod) + pdb("  minAvailable: 67%\n"), Want::kFail,
       "/spec/minAvailable", "PodDisruptionBudget/web"},
      {"50% of 3 is 2", "WL-047", Deployment("  replicas: 3\n", pod) + pdb("  minAvailable: 50%\n"),
       Want::kPass, "", "PodDisruptionBudget/web"},
      {"100% blocks without knowing the workload", "WL-047",
       pdb("  minAvailable: 100%\n").substr(4), Want::kFail, "/spec/minAvailable"},
      {"the autoscaler's minimum counts", "WL-047",
       Deployment("  replicas: 5\n", pod) + hpa("  minReplicas: 2\n  maxReplicas: 6\n") +
           pdb("  minAvailable: 2\n"),
       Want::kFail, "/spec/minAvailable", "PodDisruptionBudget/web"},
      {"unknown workload: only static values judged", "WL-047",
       pdb("  minAvailable: 2\n").substr(4), Want::kPass},
      {"integer as a string is a type error", "WL-047", pdb("  minAvailable: '2'\n").substr(4),
       Want::kFail, "/spec/minAvailable"},

      {"replicas pinned under an autoscaler", "WL-048",
       Deployment("  replicas: 3\n", pod) + hpa("  minReplicas: 2\n  maxReplicas: 6\n"),
       Want::kFail, "/spec/replicas"},
      {"autoscaler owns the count", "WL-048",
       Deployment("", pod) + hpa("  minReplicas: 2\n  maxReplicas: 6\n"), Want::kPass},
      {"no autoscaler", "WL-048", Deployment("  replicas: 3\n", pod), Want::kNotApplicable},

      {"no spreading", "WL-049", Deployment("  replicas: 3\n", pod), Want::kFail,
       "/spec/template/spec/topologySpreadConstraints"},
      {"spread over its own pods", "WL-049", Deployment("  replicas: 3\n", pod + spread_self),
       Want::kPass},
      {"spread over other pods", "WL-049", Deployment("  replicas: 3\n", pod + spread_other),
       Want::kFail, "/spec/template/spec/topologySpreadConstraints"},
      {"preferred anti-affinity", "WL-049", Deployment("  replicas: 3\n", pod + anti_preferred),
       Want::kPass},
      {"matchLabelKeys select the pod's own", "WL-049",
       Deployment("  replicas: 3\n", pod + match_label_keys), Want::kPass},
      {"single replica is WL-037's", "WL-049", Deployment("  replicas: 1\n", pod),
       Want::kNotApplicable},

      {"no priority class", "WL-050", Pod("  containers: [{name: a, image: x:1}]\n"), Want::kFail,
       "/spec/priorityClassName"},
      {"priority class", "WL-050",
       Pod("  priorityClassName: business-critical\n  containers: [{name: a, image: x:1}]\n"),
       Want::kPass},
      {"a global default applies", "WL-050",
       Pod("  containers: [{name: a, image: x:1}]\n") +
           "\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: "
           "normal}\nvalue: 1000\nglobalDefault: true\n",
       Want::kPass},

      {"name label", "WL-051",
       Pod("  containers: [{name: a, image: x:1}]\n",
           "name: p, labels: {app.kubernetes.io/name: shop}"),
       Want::kPass},
      {"only an app label", "WL-051",
       Pod("  containers: [{name: a, image: x:1}]\n", "name: p, labels: {app: shop}"), Want::kFail,
       "/metadata/labels/app.kubernetes.io~1name"},
      {"duplicate env name", "WL-052",
       Pod("  containers: [{name: a, image: x:1, env: [{name: MODE, value: safe}, {name: PORT, "
           "value: '80'}, {name: MODE, value: debug}]}]\n"),
       Want::kFail, "/spec/containers/0/env/2/name"},
      {"same name in two containers", "WL-052",
       Pod("  containers: [{name: a, image: x:1, env: [{name: MODE, value: a}]}, {name: b, "
           "image: x:1, env: [{name: MODE, value: b}]}]\n"),
       Want::kPass},
      {"env of the wrong type", "WL-052",
       Pod("  containers: [{name: a, image: x:1, env: {MODE: safe}}]\n"), Want::kFail,
       "/spec/containers/0/env"},
      {"pods of a controller carry its template's labels", "WL-051",
       Pod("  containers: [{name: a, image: x:1}]\n",
           "name: p, ownerReferences: [{kind: ReplicaSet, name: rs, uid: u}]"),
       Want::kNotApplicable},
  });
}

// WL-053: any one mechanism is enough, each read with Kubernetes' precedence
// (the container's field overrides the pod's); privileged undoes them all.
TEST(WorkloadRules, LinuxHardening) {
  const std::string c = "  containers: [{name: a, image: x:1";
  Expect({
      {"nothing", "WL-053", Pod(c + "}]\n"), Want::kFail,
       "/spec/containers/0/securityContext/seccompProfile"},
      {"pod RuntimeDefault", "WL-053",
       Pod("  securityContext: {seccompProfile: {type: RuntimeDefault}}\n" + c + "}]\n"),
       Want::kPass},
      {"container Localhost", "WL-053",
       Pod(c +
           ", securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}}]\n"),
       Want::kPass},
      {"container Unconfined overrides the pod", "WL-053",
       Pod("  securityContext: {seccompProfile: {type: RuntimeDefault}}\n" + c +
           ", securityContext: {seccompProfile: {type: Unconfined}}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/seccompProfile"},
      {"container profile overrides an Unconfined pod", "WL-053",
       Pod("  securityContext: {seccompProfile: {type: Unconfined}}\n" + c +
           ", securityContext: {seccompProfile: {type: RuntimeDefault}}}]\n"),
       Want::kPass},
      {"profile without type confines nothing", "WL-053",
       Pod("  securityContext: {seccompProfile: {}}\n" + c + "}]\n"), Want::kFail},
      {"seccomp type of the wrong type is reported", "WL-053",
       Pod(c + ", securityContext: {seccompProfile: {type: 1}}}]\n"), Want::kFail,
       "/spec/containers/0/securityContext/seccompProfile/type"},
      {"AppArmor annotation for the container", "WL-053",
       Pod(c + "}]\n",
           "name: p, annotations: {container.apparmor.security.beta.kubernetes.io/a: "
           "runtime/default}"),
       Want::kPass},
      {"AppArmor annotation for another container", "WL-053",
       Pod(c + "}]\n",
           "name: p, annotations: {container.apparmor.security.beta.kubernetes.io/b: "
           "runtime/default}"),
       Want::kFail},
      {"AppArmor annotation unconfined", "WL-053",
       Pod(c + "}]\n",
           "name: p, annotations: {container.apparmor.security.beta.kubernetes.io/a: "
           "unconfined}"),
       Want::kFail},
      {"AppArmor field on the pod", "WL-053",
       Pod("  securityContext: {appArmorProfile: {type: RuntimeDefault}}\n" + c + "}]\n"),
       Want::kPass},
      {"container AppArmor Unconfined overrides the pod", "WL-053",
       Pod("  securityContext: {appArmorProfile: {type: RuntimeDefault}}\n" + c +
           ", securityContext: {appArmorProfile: {type: Unconfined}}}]\n"),
       Want::kFail},
      {"SELinux level on the pod", "WL-053",
       Pod("  securityContext: {seLinuxOptions: {level: 's0:c1,c2'}}\n" + c + "}]\n"), Want::kPass},
      {"empty SELinux options", "WL-053",
       Pod("  securityContext: {seLinuxOptions: {}}\n" + c + "}]\n"), Want::kFail},
      {"empty container SELinux options override the pod's", "WL-053",
       Pod("  securityContext: {seLinuxOptions: {type: spc_t}}\n" + c +
           ", securityContext: {seLinuxOptions: {}}}]\n"),
       Want::kFail},
      {"drop all (any case)", "WL-053",
       Pod(c + ", securityContext: {capabilities: {drop: [all]}}}]\n"), Want::kPass},
      {"drop one capability is not enough", "WL-053",
       Pod(c + ", securityContext: {capabilities: {drop: [NET_RAW]}}}]\n"), Want::kFail},
      {"drop ALL undone by add ALL", "WL-053",
       Pod(c + ", securityContext: {capabilities: {drop: [ALL], add: [CAP_ALL]}}}]\n"), Want::kFail,
       "/spec/containers/0/securityContext/capabilities/add/0"},
      {"privileged is never hardened", "WL-053",
       Pod("  securityContext: {seccompProfile: {type: RuntimeDefault}}\n" + c +
           ", securityContext: {privileged: true}}]\n"),
       Want::kFail, "/spec/containers/0/securityContext/privileged"},
      {"init containers count", "WL-053",
       Pod("  initContainers: [{name: i, image: x:1}]\n" + c +
           ", securityContext: {capabilities: {drop: [ALL]}}}]\n"),
       Want::kFail, "/spec/initContainers/0/securityContext/seccompProfile"},
      {"windows pods", "WL-053", Pod("  os: {name: windows}\n" + c + "}]\n"), Want::kNotApplicable},
  });
}

// WL-054: the target is looked up by namespace, kind and name among the
// objects of the input.
TEST(WorkloadRules, AutoscalerTargets) {
  auto hpa = [](const std::string& kind, const std::string& name, const std::string& ns = "shop") {
    return "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, "
           "namespace: " +
           ns + "}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: " + kind +
           ", name: " + name + "}, maxReplicas: 3}\n";
  };
  const std::string web = Deployment("", "      containers: [{name: a, image: x:1}]\n");
  Expect({
      {"target present", "WL-054", hpa("Deployment", "web") + "---\n" + web, Want::kPass, "",
       "HorizontalPodAutoscaler/h"},
      {"target renamed", "WL-054", hpa("Deployment", "web-v1") + "---\n" + web, Want::kFail,
       "/spec/scaleTargetRef/name", "HorizontalPodAutoscaler/h"},
      {"same name, other kind", "WL-054", hpa("StatefulSet", "web") + "---\n" + web, Want::kFail,
       "/spec/scaleTargetRef/name", "HorizontalPodAutoscaler/h"},
      {"same name, other namespace", "WL-054",
       hpa("Deployment", "web", "shop") + "---\n" +
           Deployment("", "      containers: [{name: a, image: x:1}]\n", "{app: web}", "other") +
           "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n",
       Want::kFail, "/spec/scaleTargetRef/name", "HorizontalPodAutoscaler/h"},
      {"nothing else in the namespace", "WL-054", hpa("Deployment", "web"), Want::kNotApplicable},
      {"name of the wrong type", "WL-054", hpa("Deployment", "7") + "---\n" + web, Want::kFail,
       "/spec/scaleTargetRef/name", "HorizontalPodAutoscaler/h"},
  });
}

// Every rule of the family names only known frameworks' controls and at
// least one reference, and the IDs run WL-001 … in order.
TEST(WorkloadRules, CatalogIsComplete) {
  int n = 0;
  for (const auto& rule : Registry().rules()) {
    ++n;
    char id[16];
    std::snprintf(id, sizeof id, "WL-%03d", n);
    EXPECT_EQ(rule->info.id, id);
    EXPECT_FALSE(rule->info.description.empty()) << id;
    EXPECT_FALSE(rule->info.remediation.empty()) << id;
    EXPECT_FALSE(rule->info.references.empty()) << id;
    EXPECT_TRUE(rule->check || rule->inventory_check) << id;
  }
  EXPECT_EQ(n, 54);
}

}  // namespace
}  // namespace kspm

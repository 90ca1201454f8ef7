// Deprecated and removed APIs, aware of the target Kubernetes version.
//
// The lifecycle of every API version is data (data/deprecations.yaml); the
// rules are the behaviours: an object the target no longer serves (API-001),
// serves with a deprecation warning (API-002) or does not serve yet (API-003);
// PodSecurityPolicies that nothing enforces any more (API-004); pre-release
// APIs a default cluster does not serve (API-005) or serves as beta (API-006).
// API-007..014 are field-level: volume plugins, annotations, node labels and
// fields of served kinds that the target ignores, rejects or deprecates.
#include "rules/deprecated_api.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>

#include "core/decode.h"
#include "data/embedded.h"
#include "rules/builtin.h"

namespace kspm::rules {
namespace {

using core::Node;
using core::Resource;
using engine::Evidence;
using engine::Rule;
using engine::RuleContext;
using engine::Severity;
using engine::Verdict;

constexpr std::string_view kCatalogPath = "data/deprecations.yaml";
constexpr const char* kGuide = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/";
constexpr const char* kPolicy =
    "https://kubernetes.io/docs/reference/using-api/deprecation-policy/";
constexpr int kPspRemovedMinor = 25;
// From 1.24 on, new beta APIs are off by default (KEP-3136).
constexpr int kBetasOffByDefaultSince = 24;

// ---------------------------------------------------------------------------
// Parsing data/deprecations.yaml

class CatalogParser {
 public:
  explicit CatalogParser(std::string_view file) : file_(file) {}

  bool Fail(const Node& at, const std::string& message) {
    if (error_.empty()) {
      error_ = std::string(file_);
      if (at.position().known()) {
        error_ +=
            ":" + std::to_string(at.position().line) + ":" + std::to_string(at.position().column);
      }
      error_ += ": " + message;
    }
    return false;
  }
  const std::string& error() const { return error_; }

  bool String(const Node& n, std::string_view what, std::string& out) {
    auto s = n.GetString();
    if (!s) return Fail(n, std::string(what) + " must be a string");
    out = *s;
    return true;
  }

  // "1.N" -> N. Versions must be quoted strings: YAML reads 1.10 as 1.1.
  bool Minor(const Node& n, std::string_view what, int& out) {
    auto s = n.GetString();
    if (!s) return Fail(n, std::string(what) + " must be a quoted \"1.N\" string");
    std::string_view v = *s;
    int minor = -1;
    if (v.substr(0, 2) == "1.") {
      auto [ptr, ec] = std::from_chars(v.data() + 2, v.data() + v.size(), minor);
      if (ec != std::errc() || ptr != v.data() + v.size()) minor = -1;
    }
    if (minor < 0) return Fail(n, std::string(what) + " \"" + std::string(v) + "\" is not 1.N");
    out = minor;
    return true;
  }

  bool Replacement(const Node& n, ApiReplacement& out) {
    if (!n.IsMapping()) return Fail(n, "a replacement must be a mapping");
    for (const core::Member& m : n.members()) {
      std::string_view key = m.key_string();
      bool ok = key == "apiVersion" ? String(m.value, "replacement apiVersion", out.api_version)
                : key == "kind"     ? String(m.value, "replacement kind", out.kind)
                : key == "since"    ? Minor(m.value, "since", out.since)
                                    : Fail(m.key, "unknown replacement field " + std::string(key));
      if (!ok) return false;
    }
    if (out.api_version.empty() || out.since == 0) {
      return Fail(n, "a replacement needs apiVersion and since");
    }
    return true;
  }

  // One item of `apis`: one ApiLifecycle per kind.
  bool Api(const Node& n, std::vector<ApiLifecycle>& out) {
    if (!n.IsMapping()) return Fail(n, "an api must be a mapping");
    ApiLifecycle api;
    std::vector<std::string> kinds;
    for (const core::Member& m : n.members()) {
      std::string_view key = m.key_string();
      bool ok = true;
      if (key == "apiVersion") {
        ok = String(m.value, "apiVersion", api.api_version);
      } else if (key == "kinds") {
        if (!m.value.IsSequence() || m.value.size() == 0) {
          return Fail(m.value, "kinds must be a non-empty list");
        }
        for (const Node& k : m.value.items()) {
          ok = ok && String(k, "a kind", kinds.emplace_back());
        }
      } else if (key == "introduced") {
        ok = Minor(m.value, "introduced", api.introduced);
      } else if (key == "deprecated") {
        ok = Minor(m.value, "deprecated", api.deprecated);
      } else if (key == "removed") {
        ok = Minor(m.value, "removed", api.removed);
      } else if (key == "servedByDefault") {
        auto b = m.value.GetBool();
        if (!b) return Fail(m.value, "servedByDefault must be a boolean");
        api.served_by_default = *b;
      } else if (key == "replacements") {
        if (!m.value.IsSequence()) return Fail(m.value, "replacements must be a list");
        for (const Node& r : m.value.items()) {
          ok = ok && Replacement(r, api.replacements.emplace_back());
        }
      } else if (key == "notes") {
        ok = String(m.value, "notes", api.notes);
      } else {
        return Fail(m.key, "unknown api field " + std::string(key));
      }
      if (!ok) return false;
    }
    if (api.api_version.empty() || kinds.empty())
      return Fail(n, "an api needs apiVersion and kinds");
    if (api.deprecated != 0 && api.removed != 0 && api.deprecated >= api.removed) {
      return Fail(n, api.api_version + ": deprecated must come before removed");
    }
    if (api.introduced != 0 && api.removed != 0 && api.introduced >= api.removed) {
      return Fail(n, api.api_version + ": introduced must come before removed");
    }
    for (std::string& kind : kinds) {
      ApiLifecycle one = api;
      one.kind = std::move(kind);
      out.push_back(std::move(one));
    }
    return true;
  }

 private:
  std::string_view file_;
  std::string error_;
};

// ---------------------------------------------------------------------------
// Messages

std::string MinorName(int minor) { return "1." + std::to_string(minor); }

std::string ApiName(std::string_view api_version, std::string_view kind) {
  return std::string(api_version) + " " + std::string(kind);
}

std::string ReplacementName(const ApiReplacement& r, std::string_view kind) {
  return r.kind.empty() || r.kind == kind ? r.api_version : r.api_version + " " + r.kind;
}

// What to write instead, at the target minor.
std::string Instead(const ApiCatalog& catalog, const ApiLifecycle& entry, int minor) {
  const ApiReplacement* r = catalog.ReplacementAt(entry, minor);
  if (r == nullptr) return "no replacement API (see the notes)";
  std::string out = ReplacementName(*r, entry.kind);
  if (r->since > minor) out += " (served from " + MinorName(r->since) + ")";
  return out;
}

// Evidence on the apiVersion field. An item of a typed List may inherit its
// apiVersion; the evidence then sits on the object itself.
Evidence ApiVersionEvidence(const Resource& res, std::string expected, std::string message) {
  if (const Node* node = res.root->Get("apiVersion")) {
    return engine::BadValue(*node, "/apiVersion", std::move(expected), std::move(message));
  }
  Evidence e;
  e.pointer = "/apiVersion";
  e.reason = engine::EvidenceReason::kValue;
  core::AppendJsonString(e.actual, res.api_version);
  e.expected = std::move(expected);
  e.position = res.position();
  e.message = std::move(message);
  return e;
}

bool IsBuiltin(const ApiCatalog& catalog, const Resource& res) {
  return catalog.IsBuiltinGroup(ApiCatalog::Group(res.api_version));
}

// ---------------------------------------------------------------------------
// Rules

Rule ApiRule(std::string id, std::string slug, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.severity = severity;
  r.info.category = "deprecated-api";
  r.info.controls = {"nsa:upgrades"};
  r.info.references = {kGuide, kPolicy};
  return r;
}

void RegisterRemovedRule(engine::RuleRegistry& registry) {
  Rule r = ApiRule("API-001", "removed-api", Severity::kHigh);
  r.info.title = "API version no longer served by the target Kubernetes version";
  r.info.description =
      "The API server of the target version does not serve this apiVersion and kind any more: "
      "applying the manifest fails, so a deployment pipeline breaks at the upgrade, or a "
      "security object (a policy, a role, a webhook) silently never reaches the cluster.";
  r.info.remediation =
      "Rewrite the object with the replacement apiVersion named in the finding (kubectl-convert "
      "can do it: kubectl-convert -f FILE --output-version GROUP/VERSION) and apply the field "
      "changes listed in the evidence; then re-apply it.";
  r.info.equivalents = {{"trivy", "KSV107"}, {"kube-score", "stable-version"}};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const ApiCatalog& catalog = BuiltinApiCatalog();
    if (!IsBuiltin(catalog, res)) return v.NotApplicable();
    if (catalog.StateAt(res.api_version, res.kind, ctx.k8s_minor) != ApiState::kRemoved) return;
    const ApiLifecycle& e = *catalog.Find(res.api_version, res.kind);
    std::string history = "removed in " + MinorName(e.removed);
    if (e.deprecated != 0) history += ", deprecated since " + MinorName(e.deprecated);
    v.Fail(ApiVersionEvidence(res, Instead(catalog, e, ctx.k8s_minor),
                              ApiName(e.api_version, e.kind) + " " + history + ". " + e.notes));
    v.SetMessage(ApiName(res.api_version, res.kind) + " is not served by Kubernetes " +
                 MinorName(ctx.k8s_minor) + " (" + history + ")");
  };
  registry.Add(std::move(r));
}

void RegisterDeprecatedRule(engine::RuleRegistry& registry) {
  Rule r = ApiRule("API-002", "deprecated-api", Severity::kLow);
  r.info.title = "Deprecated API version";
  r.info.description =
      "The target version still serves this apiVersion but warns on every request: it is "
      "scheduled for removal (a beta at least three releases after its deprecation), and an "
      "upgrade past that point makes the manifest fail to apply.";
  r.info.remediation =
      "Move the object to the replacement apiVersion named in the finding before upgrading to "
      "the release that removes it; the evidence lists the field changes.";
  r.info.equivalents = {{"trivy", "KSV107"}, {"kube-score", "stable-version"}};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const ApiCatalog& catalog = BuiltinApiCatalog();
    if (!IsBuiltin(catalog, res)) return v.NotApplicable();
    if (catalog.StateAt(res.api_version, res.kind, ctx.k8s_minor) != ApiState::kDeprecated) return;
    const ApiLifecycle& e = *catalog.Find(res.api_version, res.kind);
    std::string when = "deprecated since " + MinorName(e.deprecated);
    if (e.removed != 0) {
      int left = e.removed - ctx.k8s_minor;
      when += " and removed in " + MinorName(e.removed) + ", " + std::to_string(left) +
              (left == 1 ? " minor release" : " minor releases") + " after " +
              MinorName(ctx.k8s_minor);
    } else {
      when += ", with no removal scheduled";
    }
    v.Fail(ApiVersionEvidence(res, Instead(catalog, e, ctx.k8s_minor),
                              ApiName(e.api_version, e.kind) + " is " + when + ". " + e.notes));
    v.SetMessage(ApiName(res.api_version, res.kind) + " is " + when);
  };
  registry.Add(std::move(r));
}

void RegisterNotYetRule(engine::RuleRegistry& registry) {
  Rule r = ApiRule("API-003", "api-not-yet-available", Severity::kHigh);
  r.info.title = "API version not yet served by the target Kubernetes version";
  r.info.description =
      "The manifest uses an apiVersion that the target Kubernetes version does not know yet: "
      "applying it to a cluster of that version fails, so the object (and whatever protection "
      "it carries) is missing there.";
  r.info.remediation =
      "Either upgrade the cluster to the version named in the finding, or write the object with "
      "the older apiVersion the target still serves (named in the evidence) until it is "
      "upgraded.";
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const ApiCatalog& catalog = BuiltinApiCatalog();
    if (!IsBuiltin(catalog, res)) return v.NotApplicable();
    int since = catalog.IntroducedIn(res.api_version, res.kind);
    if (since == 0) return v.NotApplicable();
    if (catalog.StateAt(res.api_version, res.kind, ctx.k8s_minor) != ApiState::kNotYetServed) {
      return;
    }
    // An older version of the same kind that the target serves.
    std::string expected = "Kubernetes " + MinorName(since) + " or newer";
    const ApiLifecycle* best = nullptr;
    int best_introduced = 0;
    for (const ApiLifecycle& e : catalog.entries()) {
      bool replaced_by_this =
          std::any_of(e.replacements.begin(), e.replacements.end(), [&](const ApiReplacement& rep) {
            return rep.api_version == res.api_version &&
                   (rep.kind.empty() ? e.kind : rep.kind) == res.kind;
          });
      if (!replaced_by_this) continue;
      ApiState state = catalog.StateAt(e.api_version, e.kind, ctx.k8s_minor);
      if (state != ApiState::kServed && state != ApiState::kDeprecated) continue;
      // The newest one the target serves.
      int introduced = catalog.IntroducedIn(e.api_version, e.kind);
      if (best != nullptr && introduced <= best_introduced) continue;
      best = &e;
      best_introduced = introduced;
    }
    if (best != nullptr) {
      expected = best->api_version + (best->kind == res.kind ? "" : " " + best->kind) + " until " +
                 MinorName(since);
    }
    v.Fail(ApiVersionEvidence(
        res, expected,
        ApiName(res.api_version, res.kind) + " is served from " + MinorName(since) + " on"));
    v.SetMessage(ApiName(res.api_version, res.kind) + " is not served by Kubernetes " +
                 MinorName(ctx.k8s_minor) + " (first served in " + MinorName(since) + ")");
  };
  registry.Add(std::move(r));
}

// Pod Security Admission levels, loosest first; a missing or invalid enforce
// label leaves the cluster default, privileged unless configured otherwise.
int PsaRank(std::string_view level) {
  return level == "restricted" ? 2 : level == "baseline" ? 1 : 0;
}

void RegisterPspRule(engine::RuleRegistry& registry) {
  Rule r = ApiRule("API-004", "pod-security-policy-removed", Severity::kMedium);
  r.info.title = "PodSecurityPolicy no longer enforced and not replaced by Pod Security Admission";
  r.info.description =
      "Kubernetes 1.25 removed PodSecurityPolicy and its admission controller: the policy "
      "protects nothing, and unless the namespaces enforce a Pod Security Admission level at "
      "least as strict, pods it used to reject (privileged, host namespaces, hostPath) are "
      "admitted again.";
  r.info.remediation =
      "Label every namespace the policy covered with pod-security.kubernetes.io/enforce at the "
      "level named in the finding (with warn and audit one level stricter, to see which pods "
      "the next level would reject), then delete the PodSecurityPolicy and the RBAC that "
      "granted `use` on it.";
  r.info.references = {"https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/",
                       "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
                       kGuide};
  r.info.controls = {"nsa:upgrades", "nsa:pod-security-enforcement"};
  r.kinds = {"PodSecurityPolicy"};
  r.min_k8s_minor = kPspRemovedMinor;
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    std::string_view group = ApiCatalog::Group(res.api_version);
    if (group != "policy" && group != "extensions") return v.NotApplicable();
    std::string why;
    std::string level(PsaLevelForPsp(*res.root, why));
    // A privileged policy enforced nothing that the default level does not.
    if (PsaRank(level) == 0) return;
    // Every namespace of the input must enforce that level or a stricter one.
    std::string lacking;
    size_t namespaces = 0;
    size_t lacking_count = 0;
    if (ctx.inventory != nullptr) {
      for (const Resource* ns : ctx.inventory->ByKind("Namespace")) {
        ++namespaces;
        const Node* label = ns->Label("pod-security.kubernetes.io/enforce");
        auto value = label ? label->GetString() : std::nullopt;
        if (PsaRank(value.value_or("")) >= PsaRank(level)) continue;
        lacking += (lacking.empty() ? "" : ", ") + ns->name;
        ++lacking_count;
      }
    }
    if (namespaces > 0 && lacking.empty()) return;
    // Enforce what the policy enforced; warn and audit one level stricter.
    std::string labels = "pod-security.kubernetes.io/enforce=" + level;
    if (level != "restricted") {
      labels +=
          ", pod-security.kubernetes.io/warn=restricted, "
          "pod-security.kubernetes.io/audit=restricted";
    }
    std::string gap = namespaces == 0      ? "no Namespace in the input enforces " + level
                      : lacking_count == 1 ? "namespace " + lacking + " does not enforce " + level
                                           : "namespaces " + lacking + " do not enforce " + level;
    v.Fail(ApiVersionEvidence(res, "Pod Security Admission labels on the namespaces: " + labels,
                              "PodSecurityPolicy was removed in 1.25; this policy corresponds "
                              "to the " +
                                  level + " level (" + why + ") and " + gap));
    v.SetMessage("PodSecurityPolicy \"" + res.name + "\" is ignored by Kubernetes " +
                 MinorName(ctx.k8s_minor) + " and " + gap + "; label them " + labels);
  };
  registry.Add(std::move(r));
}

void RegisterNotByDefaultRule(engine::RuleRegistry& registry) {
  Rule r = ApiRule("API-005", "api-not-enabled-by-default", Severity::kLow);
  r.info.title = "API version not served by default (alpha, or beta added after 1.24)";
  r.info.description =
      "Alpha APIs, and beta APIs introduced after Kubernetes 1.24, are served only when the "
      "cluster enables them (--runtime-config, often with a feature gate): on a default cluster "
      "the manifest fails to apply, and alpha APIs may change or disappear without deprecation.";
  r.info.remediation =
      "Use the GA apiVersion named in the finding where the target serves one; otherwise enable "
      "the API version on the API server deliberately and track its changes at each upgrade.";
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const ApiCatalog& catalog = BuiltinApiCatalog();
    if (!IsBuiltin(catalog, res)) return v.NotApplicable();
    ApiStability stability = ApiCatalog::Stability(res.api_version);
    if (stability == ApiStability::kGA) return v.NotApplicable();
    ApiState state = catalog.StateAt(res.api_version, res.kind, ctx.k8s_minor);
    if (state == ApiState::kServed || state == ApiState::kDeprecated) return;  // pass
    if (state != ApiState::kNotServedByDefault) return v.NotApplicable();
    const char* what = stability == ApiStability::kAlpha ? "an alpha API" : "a beta API";
    std::string expected = "a GA apiVersion, or the API enabled with --runtime-config";
    if (const ApiLifecycle* e = catalog.Find(res.api_version, res.kind)) {
      if (const ApiReplacement* rep = catalog.ReplacementAt(*e, ctx.k8s_minor);
          rep != nullptr && rep->since <= ctx.k8s_minor) {
        expected =
            ReplacementName(*rep, res.kind) + " (served since " + MinorName(rep->since) + ")";
      }
    }
    v.Fail(ApiVersionEvidence(res, expected,
                              ApiName(res.api_version, res.kind) + " is " + what +
                                  " that a default cluster does not serve"));
    v.SetMessage(ApiName(res.api_version, res.kind) + " is " + what + " not served by default by " +
                 "Kubernetes " + MinorName(ctx.k8s_minor));
  };
  registry.Add(std::move(r));
}

void RegisterBetaRule(engine::RuleRegistry& registry) {
  Rule r = ApiRule("API-006", "beta-api", Severity::kInfo);
  r.info.title = "Beta API version in use";
  r.info.description =
      "The target serves this beta apiVersion by default, but beta APIs are deprecated and "
      "removed once a stable version exists: the manifest will need a migration within a few "
      "releases.";
  r.info.remediation =
      "Prefer the GA apiVersion named in the finding as soon as the cluster serves it.";
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const ApiCatalog& catalog = BuiltinApiCatalog();
    if (!IsBuiltin(catalog, res)) return v.NotApplicable();
    if (ApiCatalog::Stability(res.api_version) != ApiStability::kBeta) return;  // GA or alpha
    if (catalog.StateAt(res.api_version, res.kind, ctx.k8s_minor) != ApiState::kServed) {
      return v.NotApplicable();  // another API rule reports it
    }
    const ApiLifecycle& e = *catalog.Find(res.api_version, res.kind);
    std::string expected = "a stable apiVersion (none exists; see the notes)";
    if (!e.replacements.empty()) expected = Instead(catalog, e, ctx.k8s_minor);
    v.Fail(ApiVersionEvidence(
        res, expected,
        ApiName(res.api_version, res.kind) + " is a beta API served by default. " + e.notes));
    v.SetMessage(ApiName(res.api_version, res.kind) + " is a beta API");
  };
  registry.Add(std::move(r));
}

// ---------------------------------------------------------------------------
// PodSecurityPolicy -> Pod Security Admission level

bool ListHas(const Node* list, std::string_view value) {
  if (list == nullptr) return false;
  for (const Node& item : list->items()) {
    if (item.GetString() == std::optional<std::string_view>(value)) return true;
  }
  return false;
}

// True when every item of `list` is a string accepted by `ok`.
template <typename Pred>
bool AllStrings(const Node* list, Pred ok) {
  if (list == nullptr) return true;
  if (!list->IsSequence()) return false;
  for (const Node& item : list->items()) {
    auto s = item.GetString();
    if (!s || !ok(*s)) return false;
  }
  return true;
}

// A boolean field that makes the policy permissive when true; a value of
// another type counts as permissive (never a silent pass).
bool Allows(const Node* spec, std::string_view field) {
  const Node* n = spec ? spec->Get(field) : nullptr;
  if (n == nullptr || n->IsNull()) return false;
  return n->GetBool() != std::optional<bool>(false);
}

constexpr std::array<std::string_view, 13> kBaselineCapabilities = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};
constexpr std::array<std::string_view, 8> kRestrictedVolumes = {
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
    "projected", "secret"};

std::string_view CapabilityName(std::string_view c) {
  return c.substr(0, 4) == "CAP_" ? c.substr(4) : c;
}

// Why the policy admits pods that baseline rejects, or empty.
std::string PrivilegedReason(const Node* spec) {
  if (spec == nullptr || !spec->IsMapping()) return "the policy has no spec";
  if (Allows(spec, "privileged")) return "spec.privileged allows privileged containers";
  for (std::string_view ns : {"hostNetwork", "hostPID", "hostIPC"}) {
    if (Allows(spec, ns)) return "spec." + std::string(ns) + " allows sharing a host namespace";
  }
  if (const Node* ports = spec->Get("hostPorts"); ports != nullptr && ports->size() > 0) {
    return "spec.hostPorts allows host ports";
  }
  const Node* volumes = spec->Get("volumes");
  if (ListHas(volumes, "*") || ListHas(volumes, "hostPath")) {
    return "spec.volumes allows hostPath volumes";
  }
  if (volumes != nullptr && !volumes->IsSequence()) return "spec.volumes is not a list";
  if (!AllStrings(spec->Get("allowedCapabilities"), [](std::string_view c) {
        return std::find(kBaselineCapabilities.begin(), kBaselineCapabilities.end(),
                         CapabilityName(c)) != kBaselineCapabilities.end();
      })) {
    return "spec.allowedCapabilities allows capabilities beyond the baseline set";
  }
  if (const Node* sysctls = spec->Get("allowedUnsafeSysctls");
      sysctls != nullptr && sysctls->size() > 0) {
    return "spec.allowedUnsafeSysctls allows unsafe sysctls";
  }
  if (ListHas(spec->Get("allowedProcMountTypes"), "Unmasked")) {
    return "spec.allowedProcMountTypes allows an unmasked /proc";
  }
  return {};
}

// Why the policy admits pods that restricted rejects, or empty.
std::string NotRestrictedReason(const Node& psp, const Node* spec) {
  const Node* escalation = spec->Get("allowPrivilegeEscalation");
  if (escalation == nullptr || escalation->GetBool() != std::optional<bool>(false)) {
    return "spec.allowPrivilegeEscalation is not false";
  }
  if (!ListHas(spec->Get("requiredDropCapabilities"), "ALL")) {
    return "spec.requiredDropCapabilities does not drop ALL";
  }
  if (!AllStrings(spec->Get("allowedCapabilities"),
                  [](std::string_view c) { return CapabilityName(c) == "NET_BIND_SERVICE"; })) {
    return "spec.allowedCapabilities allows more than NET_BIND_SERVICE";
  }
  const Node* volumes = spec->Get("volumes");
  if (volumes == nullptr || !AllStrings(volumes, [](std::string_view vol) {
        return std::find(kRestrictedVolumes.begin(), kRestrictedVolumes.end(), vol) !=
               kRestrictedVolumes.end();
      })) {
    return "spec.volumes allows volume types beyond the restricted set";
  }
  const Node* rule = spec->Find({"runAsUser", "rule"});
  auto rule_name = rule ? rule->GetString() : std::nullopt;
  bool non_root = rule_name == std::optional<std::string_view>("MustRunAsNonRoot");
  if (rule_name == std::optional<std::string_view>("MustRunAs")) {
    const Node* ranges = spec->Find({"runAsUser", "ranges"});
    non_root = ranges != nullptr && ranges->size() > 0;
    for (const Node& range : ranges ? ranges->items() : std::span<const Node>{}) {
      const Node* min = range.Get("min");
      auto value = min ? min->GetInt() : std::nullopt;
      if (!value || *value < 1) non_root = false;
    }
  }
  if (!non_root) return "spec.runAsUser lets containers run as root";
  const Node* seccomp = psp.Find(
      {"metadata", "annotations", "seccomp.security.alpha.kubernetes.io/allowedProfileNames"});
  auto profiles = seccomp ? seccomp->GetString() : std::nullopt;
  bool confined = profiles.has_value() && !profiles->empty();
  for (std::string_view rest = profiles.value_or(""); confined && !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view p = rest.substr(0, comma);
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
    confined = p == "runtime/default" || p == "docker/default" || p.substr(0, 10) == "localhost/";
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (!confined) return "its seccomp annotation allows unconfined containers";
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------
// ApiCatalog

std::string_view ApiCatalog::Group(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view{} : api_version.substr(0, slash);
}

ApiStability ApiCatalog::Stability(std::string_view api_version) {
  size_t slash = api_version.find('/');
  std::string_view version =
      slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
  if (version.find("alpha") != std::string_view::npos) return ApiStability::kAlpha;
  if (version.find("beta") != std::string_view::npos) return ApiStability::kBeta;
  return ApiStability::kGA;
}

bool ApiCatalog::IsBuiltinGroup(std::string_view group) const {
  return std::binary_search(builtin_groups_.begin(), builtin_groups_.end(), group, std::less<>());
}

const ApiLifecycle* ApiCatalog::Find(std::string_view api_version, std::string_view kind) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), std::pair(api_version, kind),
                             [](const ApiLifecycle& e, const auto& key) {
                               return std::pair<std::string_view, std::string_view>(e.api_version,
                                                                                    e.kind) < key;
                             });
  if (it == entries_.end() || it->api_version != api_version || it->kind != kind) return nullptr;
  return &*it;
}

int ApiCatalog::IntroducedIn(std::string_view api_version, std::string_view kind) const {
  auto key = std::pair(api_version, kind);
  auto it = std::lower_bound(
      first_served_.begin(), first_served_.end(), key, [](const FirstServed& f, const auto& k) {
        return std::pair<std::string_view, std::string_view>(f.api_version, f.kind) < k;
      });
  if (it == first_served_.end() || it->api_version != api_version || it->kind != kind) return 0;
  return it->minor;
}

ApiState ApiCatalog::StateAt(std::string_view api_version, std::string_view kind, int minor) const {
  const ApiLifecycle* e = Find(api_version, kind);
  if (e != nullptr && e->removed != 0 && minor >= e->removed) return ApiState::kRemoved;
  int introduced = IntroducedIn(api_version, kind);
  if (introduced != 0 && minor < introduced) return ApiState::kNotYetServed;
  if (e != nullptr) {
    if (!e->served_by_default) return ApiState::kNotServedByDefault;
    if (e->deprecated != 0 && minor >= e->deprecated) return ApiState::kDeprecated;
    return ApiState::kServed;
  }
  if (!IsBuiltinGroup(Group(api_version))) return ApiState::kUnknown;
  switch (Stability(api_version)) {
    case ApiStability::kAlpha:
      return ApiState::kNotServedByDefault;
    case ApiStability::kBeta:
      return minor >= kBetasOffByDefaultSince ? ApiState::kNotServedByDefault : ApiState::kUnknown;
    case ApiStability::kGA:
      break;
  }
  return introduced != 0 ? ApiState::kServed : ApiState::kUnknown;
}

const ApiReplacement* ApiCatalog::ReplacementAt(const ApiLifecycle& entry, int minor) const {
  for (const ApiReplacement& r : entry.replacements) {
    if (r.since > minor) continue;
    const ApiLifecycle* target = Find(r.api_version, r.kind.empty() ? entry.kind : r.kind);
    if (target != nullptr && target->removed != 0 && minor >= target->removed) continue;
    return &r;
  }
  return entry.replacements.empty() ? nullptr : &entry.replacements.front();
}

Result<ApiCatalog> ParseApiCatalog(std::string_view file, std::string_view yaml) {
  core::DecodedSource decoded = core::DecodeSource(file, yaml);
  if (!decoded.diagnostics.empty()) {
    core::Diagnostic d = decoded.diagnostics.front();
    d.file = std::string(file);
    return ParseError(d.ToString());
  }
  if (decoded.documents.size() != 1) {
    return ParseError(std::string(file) + ": expected exactly one YAML document");
  }
  const Node& root = decoded.documents[0].root();
  CatalogParser p(file);
  ApiCatalog catalog;
  const Node* newest = root.Find({"metadata", "newestMinor"});
  const Node* groups = root.Get("builtinGroups");
  const Node* apis = root.Get("apis");
  if (newest == nullptr || groups == nullptr || apis == nullptr) {
    return ParseError(std::string(file) + ": needs metadata.newestMinor, builtinGroups and apis");
  }
  bool ok = p.Minor(*newest, "metadata.newestMinor", catalog.newest_minor_);
  if (ok && !groups->IsSequence()) ok = p.Fail(*groups, "builtinGroups must be a list");
  for (const Node& g : ok ? groups->items() : std::span<const Node>{}) {
    ok = ok && p.String(g, "a builtin group", catalog.builtin_groups_.emplace_back());
  }
  if (ok && !apis->IsSequence()) ok = p.Fail(*apis, "apis must be a list");
  for (const Node& api : ok ? apis->items() : std::span<const Node>{}) {
    ok = ok && p.Api(api, catalog.entries_);
  }
  if (!ok) return ParseError(p.error());
  std::sort(catalog.builtin_groups_.begin(), catalog.builtin_groups_.end());
  auto key = [](const ApiLifecycle& e) {
    return std::pair<std::string_view, std::string_view>(e.api_version, e.kind);
  };
  std::sort(catalog.entries_.begin(), catalog.entries_.end(),
            [&](const ApiLifecycle& a, const ApiLifecycle& b) { return key(a) < key(b); });
  for (size_t i = 1; i < catalog.entries_.size(); ++i) {
    if (key(catalog.entries_[i - 1]) == key(catalog.entries_[i])) {
      return ParseError(std::string(file) + ": " + catalog.entries_[i].api_version + " " +
                        catalog.entries_[i].kind + " is listed twice");
    }
  }
  // First serving versions: an entry's own `introduced` wins over the `since`
  // of the replacements that name it (the earliest of those otherwise).
  std::map<std::pair<std::string, std::string>, std::pair<bool, int>> first;
  for (const ApiLifecycle& e : catalog.entries_) {
    if (e.introduced != 0) first[{e.api_version, e.kind}] = {true, e.introduced};
  }
  for (const ApiLifecycle& e : catalog.entries_) {
    for (const ApiReplacement& r : e.replacements) {
      auto& [own, minor] = first[{r.api_version, r.kind.empty() ? e.kind : r.kind}];
      if (!own && (minor == 0 || r.since < minor)) minor = r.since;
    }
  }
  for (const auto& [k, v] : first) {
    catalog.first_served_.push_back({k.first, k.second, v.second});
  }
  for (const ApiLifecycle& e : catalog.entries_) {
    if (!catalog.IsBuiltinGroup(ApiCatalog::Group(e.api_version))) {
      return ParseError(std::string(file) + ": " + e.api_version +
                        " is not in a group listed in builtinGroups");
    }
  }
  return catalog;
}

const ApiCatalog& BuiltinApiCatalog() {
  static const ApiCatalog kCatalog = [] {
    for (const data::EmbeddedFile& f : data::EmbeddedFiles()) {
      if (f.path != kCatalogPath) continue;
      Result<ApiCatalog> parsed = ParseApiCatalog(f.path, f.content);
      if (parsed.ok()) return std::move(parsed).value();
      std::fprintf(stderr, "kspm: internal error: embedded %s is malformed: %s\n",
                   std::string(kCatalogPath).c_str(), parsed.status().message().c_str());
      std::abort();
    }
    std::fprintf(stderr, "kspm: internal error: %s is not embedded\n",
                 std::string(kCatalogPath).c_str());
    std::abort();
  }();
  return kCatalog;
}

std::string_view PsaLevelForPsp(const core::Node& psp, std::string& why) {
  const Node* spec = psp.Get("spec");
  why = PrivilegedReason(spec);
  if (!why.empty()) return "privileged";
  why = NotRestrictedReason(psp, spec);
  if (!why.empty()) return "baseline";
  why = "it admits only pods that meet the restricted profile";
  return "restricted";
}

// ---------------------------------------------------------------------------
// Field-level deprecations: volume plugins, annotations, node labels and
// fields of built-in kinds that the target no longer honours, or honours with
// a deprecation warning. The tables follow the warnings kube-apiserver itself
// returns (pkg/api/pod/warnings.go, pkg/api/node/util.go).

namespace {

using core::PodSpecView;

constexpr const char* kPodWarnings =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/api/pod/warnings.go";

Rule FieldRule(std::string id, std::string slug, Severity severity) {
  Rule r = ApiRule(std::move(id), std::move(slug), severity);
  r.info.references = {kGuide};
  return r;
}

const PodSpecView* PodSpecOrNotApplicable(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = ctx.inventory != nullptr ? ctx.inventory->PodSpecOf(res) : nullptr;
  if (pod == nullptr) v.NotApplicable();
  return pod;
}

const Node* PodAnnotations(const PodSpecView& pod) {
  return pod.metadata != nullptr ? pod.metadata->Get("annotations") : nullptr;
}

std::string AnnotationPointer(std::string_view metadata_pointer, std::string_view key) {
  return std::string(metadata_pointer) + "/annotations/" + engine::PointerEscape(key);
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string VolumeName(const Node& volume) {
  const Node* name = volume.Get("name");
  auto s = name != nullptr ? name->GetString() : std::nullopt;
  return s ? Quoted(*s) : std::string("(unnamed)");
}

void SummarizeFailures(Verdict& v, std::string_view many) {
  size_t n = v.violations().size();
  if (n == 0) return;
  if (n == 1) return v.SetMessage(v.violations().front().message);
  v.SetMessage(std::to_string(n) + " " + std::string(many));
}

// True when `value` asks for a confining profile in the annotation syntax
// (runtime/default, docker/default, localhost/<file>). A non-string value
// counts: it is never read as "unconfined".
bool ConfiningAnnotation(const Node& value) {
  auto s = value.GetString();
  if (!s) return true;
  return *s == "runtime/default" || *s == "docker/default" || s->starts_with("localhost/");
}

// ---- API-007 gitRepo volumes ----------------------------------------------

constexpr int kGitRepoDriverOffByDefault = 33;  // KEP-5040: GitRepoVolumeDriver=false
constexpr int kGitRepoDriverLocked = 36;        // the feature gate can no longer be enabled

void RegisterGitRepoRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-007", "gitrepo-volume", Severity::kHigh);
  r.kinds = {"*workload"};
  r.info.title = "Pod uses a gitRepo volume";
  r.info.description =
      "The kubelet clones a gitRepo volume by running git as root on the node, and a crafted "
      "repository can run commands there through its hooks (CVE-2024-10220). Deprecated since "
      "1.11, the driver is disabled by default from 1.33 (KEP-5040) and cannot be re-enabled "
      "from 1.36: there the pod does not start at all.";
  r.info.remediation =
      "Replace the gitRepo volume with an emptyDir that an init container fills (git clone in "
      "an unprivileged container), or run git-sync as a sidecar; do not enable the "
      "GitRepoVolumeDriver feature gate.";
  r.info.controls = {"nsa:upgrades", "mitre:T1611"};
  r.info.references = {"https://kubernetes.io/docs/concepts/storage/volumes/#gitrepo",
                       "https://github.com/kubernetes/enhancements/issues/5040",
                       "https://nvd.nist.gov/vuln/detail/CVE-2024-10220"};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
    if (pod == nullptr) return;
    const Node* volumes = pod->spec->Get("volumes");
    size_t i = 0;
    for (const Node& volume : volumes != nullptr ? volumes->items() : std::span<const Node>{}) {
      const Node* git = volume.Get("gitRepo");
      size_t index = i++;
      if (git == nullptr || git->IsNull()) continue;
      std::string what = "gitRepo volume " + VolumeName(volume);
      std::string message =
          ctx.k8s_minor >= kGitRepoDriverLocked
              ? what + " cannot be mounted: the kubelet's gitRepo driver is off and locked from " +
                    MinorName(kGitRepoDriverLocked) + ", so the pod does not start"
          : ctx.k8s_minor >= kGitRepoDriverOffByDefault
              ? what + " is not mounted by a default kubelet from " +
                    MinorName(kGitRepoDriverOffByDefault) +
                    " (GitRepoVolumeDriver off), so the pod does not start; enabling the gate "
                    "reopens CVE-2024-10220"
              : what +
                    " makes the kubelet run git as root on the node (CVE-2024-10220: a "
                    "crafted repository runs commands through its hooks)";
      v.Fail(engine::BadValue(
          *git, pod->spec_pointer + "/volumes/" + std::to_string(index) + "/gitRepo",
          "an emptyDir filled by an init container (or a git-sync sidecar)", std::move(message)));
    }
    SummarizeFailures(v, "gitRepo volumes");
  };
  registry.Add(std::move(r));
}

// ---- API-008 in-tree volume plugins that were removed ---------------------

struct VolumePluginLifecycle {
  std::string_view field;  // the volume source field (JSON name)
  int deprecated;
  int removed;  // first minor where the plugin is non-functional
};

constexpr std::array<VolumePluginLifecycle, 8> kVolumePlugins = {{
    {"photonPersistentDisk", 11, 16},
    {"scaleIO", 16, 22},
    {"flocker", 22, 25},
    {"storageos", 22, 25},
    {"quobyte", 22, 25},
    {"glusterfs", 25, 26},
    {"cephfs", 28, 31},
    {"rbd", 28, 31},
}};

// Reports the removed plugin of one volume source (a pod volume or a
// PersistentVolume spec) at `pointer`.
void CheckVolumeSource(const Node& source, const std::string& pointer, std::string_view what,
                       int minor, Verdict& v) {
  for (const VolumePluginLifecycle& p : kVolumePlugins) {
    if (minor < p.deprecated) continue;
    const Node* field = source.Get(p.field);
    if (field == nullptr || field->IsNull()) continue;
    std::string message = std::string(what) + " uses the in-tree " + std::string(p.field) +
                          " plugin, deprecated in " + MinorName(p.deprecated);
    message += minor >= p.removed
                   ? " and non-functional from " + MinorName(p.removed) + ": it cannot be mounted"
                   : " and non-functional from " + MinorName(p.removed);
    v.Fail(engine::BadValue(*field, pointer + "/" + std::string(p.field),
                            "a CSI driver for the same storage", std::move(message)));
  }
}

void RegisterRemovedVolumePluginRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-008", "removed-volume-plugin", Severity::kMedium);
  r.kinds = {"*workload", "PersistentVolume"};
  r.info.title = "Volume uses an in-tree plugin that was deprecated or removed";
  r.info.description =
      "Kubernetes removed several in-tree volume plugins (glusterfs, cephfs, rbd, storageos, "
      "quobyte, flocker, scaleIO, photonPersistentDisk): on a target where the plugin is "
      "non-functional the volume cannot be mounted and the pod never starts, usually "
      "discovered only after the upgrade.";
  r.info.remediation =
      "Move the volume to the storage's CSI driver (for example ceph-csi for cephfs and rbd) "
      "through a PersistentVolumeClaim and StorageClass, and migrate the data before upgrading.";
  r.info.references = {"https://kubernetes.io/docs/concepts/storage/volumes/", kPodWarnings};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    // Strings are built only for sources that use a listed plugin.
    auto uses_listed = [&](const Node& source) {
      return std::any_of(kVolumePlugins.begin(), kVolumePlugins.end(),
                         [&](const VolumePluginLifecycle& p) {
                           return ctx.k8s_minor >= p.deprecated && source.Get(p.field) != nullptr;
                         });
    };
    if (res.kind == "PersistentVolume") {
      const Node* spec = res.root->Get("spec");
      if (spec != nullptr && uses_listed(*spec)) {
        CheckVolumeSource(*spec, "/spec", "PersistentVolume \"" + res.name + "\"", ctx.k8s_minor,
                          v);
      }
      return SummarizeFailures(v, "removed volume plugins");
    }
    const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
    if (pod == nullptr) return;
    const Node* volumes = pod->spec->Get("volumes");
    size_t i = 0;
    for (const Node& volume : volumes != nullptr ? volumes->items() : std::span<const Node>{}) {
      size_t index = i++;
      if (!uses_listed(volume)) continue;
      CheckVolumeSource(volume, pod->spec_pointer + "/volumes/" + std::to_string(index),
                        "volume " + VolumeName(volume), ctx.k8s_minor, v);
    }
    SummarizeFailures(v, "volumes use removed plugins");
  };
  registry.Add(std::move(r));
}

// ---- API-009 seccomp annotations, API-010 AppArmor annotations ------------

constexpr int kSeccompAnnotationsIgnored = 27;
constexpr int kAppArmorAnnotationsDeprecated = 30;
constexpr std::string_view kSeccompPodKey = "seccomp.security.alpha.kubernetes.io/pod";
constexpr std::string_view kSeccompContainerPrefix =
    "container.seccomp.security.alpha.kubernetes.io/";
constexpr std::string_view kAppArmorPrefix = "container.apparmor.security.beta.kubernetes.io/";

bool HasSecurityField(const Node* owner, std::string_view field) {
  if (owner == nullptr) return false;
  const Node* sc = owner->Get("securityContext");
  const Node* f = sc != nullptr ? sc->Get(field) : nullptr;
  return f != nullptr && !f->IsNull();
}

const core::ContainerRef* ContainerNamed(const PodSpecView& pod, std::string_view name) {
  for (const core::ContainerRef& c : pod.containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void RegisterSeccompAnnotationRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-009", "seccomp-annotation-ignored", Severity::kHigh);
  r.kinds = {"*workload"};
  r.min_k8s_minor = kSeccompAnnotationsIgnored;
  r.info.title = "Seccomp profile set only through the removed alpha annotations";
  r.info.description =
      "From Kubernetes 1.27 the seccomp.security.alpha.kubernetes.io annotations do nothing: "
      "the API server no longer copies them into securityContext.seccompProfile. A workload "
      "that asks for RuntimeDefault or a Localhost profile only through them runs unconfined "
      "(unless the kubelet defaults seccomp), while its manifest looks hardened.";
  r.info.remediation =
      "Set securityContext.seccompProfile (type: RuntimeDefault, or type: Localhost with "
      "localhostProfile) on the pod or the container, then remove the annotations.";
  r.info.controls = {"nsa:upgrades", "nsa:container-hardening", "cis:5.6.2"};
  r.info.references = {"https://kubernetes.io/docs/tutorials/security/seccomp/",
                       "https://github.com/kubernetes/kubernetes/pull/114947", kPodWarnings};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
    if (pod == nullptr) return;
    const Node* annotations = PodAnnotations(*pod);
    if (annotations == nullptr) return;
    bool pod_field = HasSecurityField(pod->spec, "seccompProfile");
    if (pod_field) return;  // every container without its own field inherits it
    for (const core::Member& m : annotations->members()) {
      std::string_view key = m.key_string();
      bool pod_key = key == kSeccompPodKey;
      if (!pod_key && !key.starts_with(kSeccompContainerPrefix)) continue;
      if (!ConfiningAnnotation(m.value)) continue;  // unconfined: nothing is lost
      std::string who;
      if (pod_key) {
        bool all_covered = std::all_of(
            pod->containers.begin(), pod->containers.end(),
            [](const core::ContainerRef& c) { return HasSecurityField(c.node, "seccompProfile"); });
        if (all_covered) continue;
        who = "the pod";
      } else {
        const core::ContainerRef* c =
            ContainerNamed(*pod, key.substr(kSeccompContainerPrefix.size()));
        if (c == nullptr || HasSecurityField(c->node, "seccompProfile")) continue;
        who = "container " + Quoted(c->name);
      }
      v.Fail(engine::BadValue(m.value, AnnotationPointer(pod->metadata_pointer, key),
                              "securityContext.seccompProfile on the pod or container",
                              "annotation " + std::string(key) + " is ignored from " +
                                  MinorName(kSeccompAnnotationsIgnored) + ": " + who +
                                  " gets no seccomp profile from it"));
    }
    SummarizeFailures(v, "seccomp annotations are ignored: the containers run unconfined");
  };
  registry.Add(std::move(r));
}

void RegisterAppArmorAnnotationRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-010", "apparmor-annotation-deprecated", Severity::kLow);
  r.kinds = {"*workload"};
  r.min_k8s_minor = kAppArmorAnnotationsDeprecated;
  r.info.title = "AppArmor profile set only through the deprecated beta annotation";
  r.info.description =
      "The container.apparmor.security.beta.kubernetes.io annotations are deprecated since "
      "1.30 in favour of securityContext.appArmorProfile. The API server still copies them "
      "into the field when a pod is created, but the removal plan ends that copy; from then "
      "on the profile is silently dropped, as happened to the seccomp annotations.";
  r.info.remediation =
      "Set securityContext.appArmorProfile (type: RuntimeDefault, or type: Localhost with "
      "localhostProfile) on the container or the pod, then remove the annotation.";
  r.info.controls = {"nsa:upgrades", "nsa:container-hardening"};
  r.info.references = {"https://kubernetes.io/docs/tutorials/security/apparmor/",
                       "https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/"
                       "24-apparmor#removing-annotation-support"};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
    if (pod == nullptr) return;
    const Node* annotations = PodAnnotations(*pod);
    if (annotations == nullptr || HasSecurityField(pod->spec, "appArmorProfile")) return;
    for (const core::Member& m : annotations->members()) {
      std::string_view key = m.key_string();
      if (!key.starts_with(kAppArmorPrefix)) continue;
      const core::ContainerRef* c = ContainerNamed(*pod, key.substr(kAppArmorPrefix.size()));
      if (c == nullptr || HasSecurityField(c->node, "appArmorProfile")) continue;
      v.Fail(engine::BadValue(m.value, AnnotationPointer(pod->metadata_pointer, key),
                              "securityContext.appArmorProfile on container " + Quoted(c->name),
                              "annotation " + std::string(key) + " is deprecated since " +
                                  MinorName(kAppArmorAnnotationsDeprecated) + " and container " +
                                  Quoted(c->name) + " sets no appArmorProfile field"));
    }
    SummarizeFailures(v, "containers set AppArmor only through the deprecated annotation");
  };
  registry.Add(std::move(r));
}

// ---- API-011 pod annotations that stopped working -------------------------

struct RemovedAnnotation {
  std::string_view key;
  int removed;  // first minor where it does nothing
  std::string_view instead;
};

constexpr std::array<RemovedAnnotation, 3> kRemovedPodAnnotations = {{
    {"scheduler.alpha.kubernetes.io/critical-pod", 16,
     "priorityClassName: system-cluster-critical (or system-node-critical)"},
    {"security.alpha.kubernetes.io/sysctls", 11, "spec.securityContext.sysctls"},
    {"security.alpha.kubernetes.io/unsafe-sysctls", 11,
     "spec.securityContext.sysctls (with the sysctl allowed on the kubelet)"},
}};

void RegisterRemovedAnnotationRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-011", "removed-pod-annotation", Severity::kMedium);
  r.kinds = {"*workload"};
  r.info.title = "Pod relies on an annotation Kubernetes no longer honours";
  r.info.description =
      "scheduler.alpha.kubernetes.io/critical-pod stopped protecting pods in 1.16 and the "
      "security.alpha.kubernetes.io sysctl annotations stopped applying in 1.11: a system "
      "component that counts on them can be preempted or evicted under pressure, or runs "
      "without the kernel settings it expects.";
  r.info.remediation =
      "Use the field named in the finding (priorityClassName: system-cluster-critical or "
      "system-node-critical, securityContext.sysctls) and remove the annotation.";
  r.info.references = {
      "https://kubernetes.io/docs/tasks/administer-cluster/guaranteed-scheduling-critical-"
      "addon-pods/",
      "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/", kPodWarnings};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
    if (pod == nullptr) return;
    const Node* annotations = PodAnnotations(*pod);
    if (annotations == nullptr) return;
    for (const RemovedAnnotation& a : kRemovedPodAnnotations) {
      if (ctx.k8s_minor < a.removed) continue;
      const Node* value = annotations->Get(a.key);
      if (value == nullptr) continue;
      v.Fail(engine::BadValue(
          *value, AnnotationPointer(pod->metadata_pointer, a.key), std::string(a.instead),
          "annotation " + std::string(a.key) + " does nothing from " + MinorName(a.removed)));
    }
    SummarizeFailures(v, "annotations do nothing on the target version");
  };
  registry.Add(std::move(r));
}

// ---- API-012 deprecated node labels in scheduling constraints --------------

struct DeprecatedNodeLabel {
  std::string_view key;
  int since;
  std::string_view instead;
};

constexpr std::array<DeprecatedNodeLabel, 5> kDeprecatedNodeLabels = {{
    {"beta.kubernetes.io/arch", 14, "kubernetes.io/arch"},
    {"beta.kubernetes.io/os", 14, "kubernetes.io/os"},
    {"failure-domain.beta.kubernetes.io/region", 17, "topology.kubernetes.io/region"},
    {"failure-domain.beta.kubernetes.io/zone", 17, "topology.kubernetes.io/zone"},
    {"beta.kubernetes.io/instance-type", 17, "node.kubernetes.io/instance-type"},
}};

const DeprecatedNodeLabel* DeprecatedLabel(const Node& key, int minor) {
  auto s = key.GetString();
  if (!s) return nullptr;
  for (const DeprecatedNodeLabel& l : kDeprecatedNodeLabels) {
    if (*s == l.key && minor >= l.since) return &l;
  }
  return nullptr;
}

void ReportLabel(const DeprecatedNodeLabel& l, const Node& at, std::string pointer,
                 std::string_view where, Verdict& v) {
  v.Fail(engine::BadValue(at, std::move(pointer), std::string(l.instead),
                          std::string(where) + " uses node label " + std::string(l.key) +
                              ", deprecated since " + MinorName(l.since)));
}

// matchExpressions[*].key of a node selector term; `pointer()` builds the
// term's pointer, only when there is something to report.
template <typename PointerFn>
void CheckSelectorTerm(const Node* term, PointerFn pointer, int minor, Verdict& v) {
  const Node* exprs = term != nullptr ? term->Get("matchExpressions") : nullptr;
  size_t j = 0;
  for (const Node& e : exprs != nullptr ? exprs->items() : std::span<const Node>{}) {
    size_t index = j++;
    const Node* key = e.Get("key");
    const DeprecatedNodeLabel* l = key != nullptr ? DeprecatedLabel(*key, minor) : nullptr;
    if (l == nullptr) continue;
    ReportLabel(*l, *key, pointer() + "/matchExpressions/" + std::to_string(index) + "/key",
                "node affinity", v);
  }
}

// topologyKey of the pod (anti-)affinity terms under spec.affinity.<field>.
void CheckPodAffinity(const PodSpecView& pod, const Node* affinity, std::string_view field,
                      int minor, Verdict& v) {
  const Node* terms = affinity != nullptr ? affinity->Get(field) : nullptr;
  if (terms == nullptr) return;
  auto check = [&](const Node* term, auto pointer) {
    const Node* key = term != nullptr ? term->Get("topologyKey") : nullptr;
    const DeprecatedNodeLabel* l = key != nullptr ? DeprecatedLabel(*key, minor) : nullptr;
    if (l != nullptr) ReportLabel(*l, *key, pointer() + "/topologyKey", "pod affinity", v);
  };
  auto base = [&] { return pod.spec_pointer + "/affinity/" + std::string(field); };
  const Node* required = terms->Get("requiredDuringSchedulingIgnoredDuringExecution");
  size_t i = 0;
  for (const Node& t : required != nullptr ? required->items() : std::span<const Node>{}) {
    size_t index = i++;
    check(&t, [&] {
      return base() + "/requiredDuringSchedulingIgnoredDuringExecution/" + std::to_string(index);
    });
  }
  const Node* preferred = terms->Get("preferredDuringSchedulingIgnoredDuringExecution");
  i = 0;
  for (const Node& t : preferred != nullptr ? preferred->items() : std::span<const Node>{}) {
    size_t index = i++;
    check(t.Get("podAffinityTerm"), [&] {
      return base() + "/preferredDuringSchedulingIgnoredDuringExecution/" + std::to_string(index) +
             "/podAffinityTerm";
    });
  }
}

void RegisterDeprecatedNodeLabelRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-012", "deprecated-node-label", Severity::kLow);
  r.kinds = {"*workload"};
  r.info.title = "Scheduling constraint uses a deprecated node label";
  r.info.description =
      "beta.kubernetes.io/os, beta.kubernetes.io/arch and the failure-domain.beta zone and "
      "region labels were replaced by kubernetes.io/os, kubernetes.io/arch and "
      "topology.kubernetes.io/*; nodes that stop carrying the beta labels leave a pod that "
      "requires them unschedulable, and spreading or anti-affinity on them silently stops "
      "spreading.";
  r.info.remediation =
      "Replace the label key with the GA label named in the finding in nodeSelector, node "
      "affinity, pod (anti-)affinity topologyKey and topologySpreadConstraints.";
  r.info.references = {"https://kubernetes.io/docs/reference/labels-annotations-taints/",
                       kPodWarnings};
  r.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
    if (pod == nullptr) return;
    int minor = ctx.k8s_minor;
    const Node& spec = *pod->spec;
    if (const Node* selector = spec.Get("nodeSelector")) {
      for (const core::Member& m : selector->members()) {
        const DeprecatedNodeLabel* l = DeprecatedLabel(m.key, minor);
        if (l == nullptr) continue;
        ReportLabel(*l, m.key,
                    pod->spec_pointer + "/nodeSelector/" + engine::PointerEscape(m.key_string()),
                    "nodeSelector", v);
      }
    }
    if (const Node* affinity = spec.Get("affinity")) {
      if (const Node* node = affinity->Get("nodeAffinity")) {
        auto base = [&] { return pod->spec_pointer + "/affinity/nodeAffinity"; };
        const Node* terms =
            node->Find({"requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
        size_t i = 0;
        for (const Node& t : terms != nullptr ? terms->items() : std::span<const Node>{}) {
          size_t index = i++;
          CheckSelectorTerm(
              &t,
              [&] {
                return base() +
                       "/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/" +
                       std::to_string(index);
              },
              minor, v);
        }
        const Node* preferred = node->Get("preferredDuringSchedulingIgnoredDuringExecution");
        i = 0;
        for (const Node& p : preferred != nullptr ? preferred->items() : std::span<const Node>{}) {
          size_t index = i++;
          CheckSelectorTerm(
              p.Get("preference"),
              [&] {
                return base() + "/preferredDuringSchedulingIgnoredDuringExecution/" +
                       std::to_string(index) + "/preference";
              },
              minor, v);
        }
      }
      CheckPodAffinity(*pod, affinity, "podAffinity", minor, v);
      CheckPodAffinity(*pod, affinity, "podAntiAffinity", minor, v);
    }
    const Node* spread = spec.Get("topologySpreadConstraints");
    size_t i = 0;
    for (const Node& c : spread != nullptr ? spread->items() : std::span<const Node>{}) {
      size_t index = i++;
      const Node* key = c.Get("topologyKey");
      const DeprecatedNodeLabel* l = key != nullptr ? DeprecatedLabel(*key, minor) : nullptr;
      if (l == nullptr) continue;
      ReportLabel(*l, *key,
                  pod->spec_pointer + "/topologySpreadConstraints/" + std::to_string(index) +
                      "/topologyKey",
                  "topologySpreadConstraints", v);
    }
    SummarizeFailures(v, "scheduling constraints use deprecated node labels");
  };
  registry.Add(std::move(r));
}

// ---- API-013 Service spec.loadBalancerIP ------------------------------------

void RegisterLoadBalancerIpRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-013", "service-load-balancer-ip", Severity::kLow);
  r.kinds = {"Service"};
  r.min_k8s_minor = 24;
  r.info.title = "Service sets the deprecated spec.loadBalancerIP";
  r.info.description =
      "spec.loadBalancerIP is deprecated since 1.24: its meaning was never specified, each "
      "cloud provider or load balancer implementation reads it differently (or ignores it), "
      "and it cannot express dual-stack addresses, so the Service may not get the address "
      "its firewall rules and DNS records expect.";
  r.info.remediation =
      "Request the address with the implementation's own annotation (for example "
      "metallb.io/loadBalancerIPs, service.beta.kubernetes.io/azure-load-balancer-ipv4, "
      "networking.gke.io/load-balancer-ip-addresses) or move to a Gateway with spec.addresses.";
  r.info.references = {
      "https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/",
      "https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer"};
  r.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    const Node* ip = res.root->Find({"spec", "loadBalancerIP"});
    if (ip == nullptr || ip->IsNull()) return;
    auto s = ip->GetString();
    if (s && s->empty()) return;
    v.Fail(engine::BadValue(*ip, "/spec/loadBalancerIP",
                            "the load balancer implementation's address annotation",
                            "spec.loadBalancerIP is deprecated since 1.24 and read differently "
                            "by each implementation"));
    v.SetMessage("Service \"" + res.name + "\" sets the deprecated spec.loadBalancerIP");
  };
  registry.Add(std::move(r));
}

// ---- API-014 Ingress kubernetes.io/ingress.class annotation ----------------

void RegisterIngressClassAnnotationRule(engine::RuleRegistry& registry) {
  Rule r = FieldRule("API-014", "ingress-class-annotation", Severity::kLow);
  r.kinds = {"Ingress"};
  r.min_k8s_minor = 18;
  r.info.title = "Ingress selects its controller with the deprecated kubernetes.io/ingress.class";
  r.info.description =
      "Since 1.18 spec.ingressClassName names the controller that serves an Ingress; the "
      "kubernetes.io/ingress.class annotation was never formally defined, and controllers "
      "disagree on how they treat it. An Ingress served by an unintended controller gets that "
      "controller's TLS, authentication and exposure settings. With both set, the API server "
      "rejects the Ingress.";
  r.info.remediation =
      "Set spec.ingressClassName to the IngressClass of the intended controller and remove "
      "the annotation.";
  r.info.references = {
      "https://kubernetes.io/docs/concepts/services-networking/ingress/"
      "#deprecated-annotation"};
  r.check = [](const Resource& res, const RuleContext&, Verdict& v) {
    constexpr std::string_view kKey = "kubernetes.io/ingress.class";
    const Node* value = res.Annotation(kKey);
    if (value == nullptr) return;
    const Node* class_name = res.root->Find({"spec", "ingressClassName"});
    bool both = class_name != nullptr && !class_name->IsNull();
    std::string message = both ? "kubernetes.io/ingress.class is set together with "
                                 "spec.ingressClassName: the API server rejects the Ingress"
                               : "kubernetes.io/ingress.class is deprecated since 1.18";
    v.Fail(engine::BadValue(*value, AnnotationPointer("/metadata", kKey),
                            "spec.ingressClassName, without the annotation", message));
    v.SetMessage("Ingress \"" + res.name + "\": " + message);
  };
  registry.Add(std::move(r));
}

}  // namespace

void RegisterDeprecatedApiRules(engine::RuleRegistry& registry) {
  RegisterRemovedRule(registry);
  RegisterDeprecatedRule(registry);
  RegisterNotYetRule(registry);
  RegisterPspRule(registry);
  RegisterNotByDefaultRule(registry);
  RegisterBetaRule(registry);
  RegisterGitRepoRule(registry);
  RegisterRemovedVolumePluginRule(registry);
  RegisterSeccompAnnotationRule(registry);
  RegisterAppArmorAnnotationRule(registry);
  RegisterRemovedAnnotationRule(registry);
  RegisterDeprecatedNodeLabelRule(registry);
  RegisterLoadBalancerIpRule(registry);
  RegisterIngressClassAnnotationRule(registry);
}

}  // namespace kspm::rules

#include "engine/registry.h"

#include <algorithm>
#include <cassert>
#include <cctype>

namespace kspm::engine {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// Kubernetes' own baseline check IDs; everything else under pss: is restricted.
constexpr std::string_view kBaselineChecks[] = {
    "hostNamespaces",  "privileged",         "capabilities_baseline",
    "hostPathVolumes", "hostPorts",          "appArmorProfile",
    "seLinuxOptions",  "procMount",          "seccompProfile_baseline",
    "sysctls",         "windowsHostProcess", "hostProbesAndHostLifecycle"};

}  // namespace

void RuleRegistry::Add(Rule rule) {
  assert(Find(rule.info.id) == nullptr && Find(rule.info.slug) == nullptr);
  rules_.push_back(std::make_unique<Rule>(std::move(rule)));
}

const Rule* RuleRegistry::Find(std::string_view id_or_slug) const {
  for (const auto& r : rules_) {
    if (EqualsIgnoreCase(r->info.id, id_or_slug) || r->info.slug == id_or_slug) return r.get();
  }
  return nullptr;
}

std::string_view PssLevel(std::string_view check_id) {
  for (std::string_view b : kBaselineChecks) {
    if (b == check_id) return "baseline";
  }
  return "restricted";
}

bool Framework::Covers(std::string_view control) const {
  auto colon = control.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view prefix = control.substr(0, colon);
  std::string_view id = control.substr(colon + 1);
  if (name == "pss-baseline") return prefix == "pss" && PssLevel(id) == "baseline";
  if (name == "pss-restricted") return prefix == "pss";
  return prefix == name;
}

bool Framework::CoversRule(const Rule& rule) const {
  return std::any_of(rule.info.controls.begin(), rule.info.controls.end(),
                     [&](const std::string& c) { return Covers(c); });
}

const std::vector<Framework>& Frameworks() {
  static const std::vector<Framework> kFrameworks = {
      {"cis", "CIS Kubernetes Benchmark v1.12"},
      {"nsa", "NSA-CISA Kubernetes Hardening Guidance v1.2"},
      {"mitre", "MITRE ATT&CK for Containers"},
      {"pss-baseline", "Pod Security Standards: baseline"},
      {"pss-restricted", "Pod Security Standards: restricted (includes baseline)"},
  };
  return kFrameworks;
}

const Framework* FindFramework(std::string_view name) {
  for (const Framework& f : Frameworks()) {
    if (EqualsIgnoreCase(f.name, name)) return &f;
  }
  return nullptr;
}

Result<std::vector<const Rule*>> SelectRules(const RuleRegistry& registry, const Selection& s) {
  std::vector<const Framework*> frameworks;
  for (const std::string& name : s.frameworks) {
    const Framework* f = FindFramework(name);
    if (f == nullptr) {
      std::string known;
      for (const Framework& k : Frameworks()) known += (known.empty() ? "" : ", ") + k.name;
      return InvalidArgument("unknown framework \"" + name + "\" (known: " + known + ")");
    }
    frameworks.push_back(f);
  }
  std::vector<const Rule*> picked;
  for (const std::string& id : s.rules) {
    const Rule* r = registry.Find(id);
    if (r == nullptr) return InvalidArgument("unknown rule \"" + id + "\" (see: kspm rules list)");
    picked.push_back(r);
  }
  std::vector<const Rule*> skipped;
  for (const std::string& id : s.skip_rules) {
    const Rule* r = registry.Find(id);
    if (r == nullptr) return InvalidArgument("unknown rule \"" + id + "\" (see: kspm rules list)");
    skipped.push_back(r);
  }
  std::vector<const Rule*> out;
  for (const auto& r : registry.rules()) {
    const Rule* rule = r.get();
    if (!picked.empty() && std::find(picked.begin(), picked.end(), rule) == picked.end()) continue;
    if (std::find(skipped.begin(), skipped.end(), rule) != skipped.end()) continue;
    if (!frameworks.empty() &&
        std::none_of(frameworks.begin(), frameworks.end(),
                     [&](const Framework* f) { return f->CoversRule(*rule); })) {
      continue;
    }
    out.push_back(rule);
  }
  return out;
}

}  // namespace kspm::engine

#include "engine/frameworks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "core/decode.h"
#include "data/embedded.h"

namespace kspm::engine {
namespace {

std::string Text(const core::Node* n) {
  if (n == nullptr) return {};
  if (auto s = n->GetString()) return std::string(*s);
  return n->ToJson();
}

FrameworkCatalog ParseCatalog(const data::EmbeddedFile& file) {
  core::DecodedSource decoded = core::DecodeSource(file.path, file.content);
  if (!decoded.diagnostics.empty() || decoded.documents.size() != 1) {
    std::fprintf(stderr, "kspm: internal error: embedded %s is malformed\n",
                 std::string(file.path).c_str());
    std::abort();
  }
  const core::Node& root = decoded.documents[0].root();
  FrameworkCatalog c;
  c.name = Text(root.Find({"metadata", "name"}));
  c.title = Text(root.Find({"metadata", "title"}));
  c.version = Text(root.Find({"metadata", "version"}));
  if (const core::Node* controls = root.Get("controls")) {
    for (const core::Node& item : controls->items()) {
      Control control;
      control.id = Text(item.Get("id"));
      control.title = Text(item.Get("title"));
      control.section = item.Get("level") ? Text(item.Get("level")) : Text(item.Get("section"));
      control.assessment = Text(item.Get("assessment"));
      c.controls.push_back(std::move(control));
    }
  }
  return c;
}

}  // namespace

const Control* FrameworkCatalog::Find(std::string_view id) const {
  for (const Control& c : controls) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const std::vector<FrameworkCatalog>& FrameworkCatalogs() {
  static const std::vector<FrameworkCatalog> kCatalogs = [] {
    std::vector<FrameworkCatalog> out;
    for (const data::EmbeddedFile& f : data::EmbeddedFiles()) {
      if (f.path.starts_with("data/frameworks/")) out.push_back(ParseCatalog(f));
    }
    return out;
  }();
  return kCatalogs;
}

const FrameworkCatalog* FindCatalog(std::string_view name) {
  for (const FrameworkCatalog& c : FrameworkCatalogs()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string_view ControlStateName(ControlState s) {
  switch (s) {
    case ControlState::kFail:
      return "fail";
    case ControlState::kPass:
      return "pass";
    case ControlState::kNotEvaluated:
      return "not-evaluated";
    case ControlState::kNotAutomated:
      return "not-automated";
  }
  return "not-automated";
}

std::string FrameworkCoverage::Line() const {
  size_t failed = 0;
  std::map<std::string, size_t> by_assessment;
  std::string not_evaluated;
  for (const ControlStatus& c : controls) {
    if (c.state == ControlState::kFail) ++failed;
    if (c.state == ControlState::kNotAutomated) ++by_assessment[c.control->assessment];
    if (c.state == ControlState::kNotEvaluated) {
      not_evaluated += (not_evaluated.empty() ? "" : ", ") + c.control->id;
    }
  }
  std::string out = name + ": " + std::to_string(automated) + "/" + std::to_string(total) +
                    " controls automated, " + std::to_string(evaluated) +
                    " evaluated in this scan (" + std::to_string(failed) + " failing)";
  out += "; not evaluated: " + (not_evaluated.empty() ? std::string("none") : not_evaluated);
  if (not_automated > 0) {
    struct Kind {
      const char* assessment;
      const char* one;   // words after "1"
      const char* many;  // words after any other count
    };
    static const Kind kKinds[] = {
        {"cluster", "needs a live cluster", "need a live cluster"},
        {"node", "needs node access", "need node access"},
        {"runtime", "is runtime behaviour", "are runtime behaviour"},
        {"manual", "is manual", "are manual"},
        {"manifest", "not yet covered by a rule", "not yet covered by a rule"}};
    std::string parts;
    for (const Kind& kind : kKinds) {
      auto it = by_assessment.find(kind.assessment);
      if (it == by_assessment.end()) continue;
      parts += (parts.empty() ? "" : ", ") + std::to_string(it->second) + " " +
               (it->second == 1 ? kind.one : kind.many);
    }
    out += "; not automated: " + parts;
  }
  return out;
}

std::vector<FrameworkCoverage> ComputeCoverage(const RuleRegistry& registry,
                                               const std::vector<Finding>& findings,
                                               const std::vector<std::string>& only) {
  struct Tally {
    size_t passed = 0;
    size_t failed = 0;
  };
  std::unordered_map<const Rule*, Tally> per_rule;
  for (const Finding& f : findings) {
    if (f.status == FindingStatus::kSkipped) continue;
    Tally& t = per_rule[f.rule];
    if (f.status == FindingStatus::kFail && !f.excepted) {
      ++t.failed;
    } else {
      ++t.passed;
    }
  }
  std::vector<FrameworkCoverage> out;
  for (const Framework& fw : Frameworks()) {
    if (!only.empty() && std::find(only.begin(), only.end(), fw.name) == only.end()) continue;
    bool pss = fw.name.starts_with("pss-");
    const FrameworkCatalog* catalog = FindCatalog(pss ? "pss" : fw.name);
    if (catalog == nullptr) continue;
    FrameworkCoverage cov;
    cov.name = fw.name;
    cov.title = catalog->title + " " + catalog->version;
    if (pss) cov.title = fw.title;
    for (const Control& control : catalog->controls) {
      if (fw.name == "pss-baseline" && control.section != "baseline") continue;
      ControlStatus status;
      status.control = &control;
      std::string key = (pss ? std::string("pss") : fw.name) + ":" + control.id;
      for (const auto& rule : registry.rules()) {
        for (const std::string& c : rule->info.controls) {
          if (c == key) {
            status.rules.push_back(rule.get());
            break;
          }
        }
      }
      for (const Rule* r : status.rules) {
        auto it = per_rule.find(r);
        if (it == per_rule.end()) continue;
        status.passed += it->second.passed;
        status.failed += it->second.failed;
      }
      ++cov.total;
      if (status.rules.empty()) {
        status.state = ControlState::kNotAutomated;
        ++cov.not_automated;
      } else {
        ++cov.automated;
        if (status.passed + status.failed == 0) {
          status.state = ControlState::kNotEvaluated;
        } else {
          ++cov.evaluated;
          status.state = status.failed > 0 ? ControlState::kFail : ControlState::kPass;
        }
      }
      cov.controls.push_back(std::move(status));
    }
    out.push_back(std::move(cov));
  }
  return out;
}

}  // namespace kspm::engine

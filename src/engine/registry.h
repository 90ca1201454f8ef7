// RuleRegistry: the explicit list of every rule kspm knows.
//
// Rules are added by each family's RegisterXxxRules(RuleRegistry&) function,
// all called from one place (rules/builtin.cpp); no static registration.
// Not thread-safe while rules are added; read-only afterwards.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/rule.h"

namespace kspm::engine {

class RuleRegistry {
 public:
  // Adds a rule; duplicate ids or slugs are a programming error (asserted).
  void Add(Rule rule);
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  // By id (case-insensitive) or slug; nullptr if unknown.
  const Rule* Find(std::string_view id_or_slug) const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
};

// A compliance framework: which controls belong to it.
struct Framework {
  std::string name;  // command-line name: cis, nsa, mitre, pss-baseline, pss-restricted
  std::string title;
  // Whether a rule's control belongs to this framework.
  bool Covers(std::string_view control) const;
  bool CoversRule(const Rule& rule) const;
};

const std::vector<Framework>& Frameworks();
const Framework* FindFramework(std::string_view name);

// The Pod Security Standards level of a `pss:` check id ("baseline" or "restricted").
std::string_view PssLevel(std::string_view check_id);

// Selects rules for a scan. Unknown names are an error, never an empty selection.
struct Selection {
  std::vector<std::string> frameworks;  // empty = all rules
  std::vector<std::string> rules;       // --rule: ids or slugs; empty = all
  std::vector<std::string> skip_rules;  // --skip-rule
};
Result<std::vector<const Rule*>> SelectRules(const RuleRegistry& registry, const Selection& s);

}  // namespace kspm::engine

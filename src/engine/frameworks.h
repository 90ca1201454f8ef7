// Framework catalogs (data/frameworks/*.yaml, embedded in the binary) and the
// coverage of each framework by kspm's rules in one scan.
//
// A control that was not evaluated in a scan is never reported as passed: its
// state is kNotEvaluated (kspm has a rule for it but nothing in the input
// exercised it, or the rule was not selected) or kNotAutomated (kspm cannot
// judge it from manifests: it needs a live cluster, a node, runtime behaviour
// or a human). Catalogs are parsed once, on first use; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/registry.h"
#include "engine/rule.h"

namespace kspm::engine {

struct Control {
  std::string id;  // as used in rule controls after "framework:", e.g. "5.1.3"
  std::string title;
  std::string section;     // or the PSS level
  std::string assessment;  // manifest | cluster | node | manual | runtime
};

struct FrameworkCatalog {
  std::string name;  // "cis", "nsa", "mitre", "pss"
  std::string title;
  std::string version;
  std::vector<Control> controls;
  const Control* Find(std::string_view id) const;
};

// Every embedded catalog. Aborts on malformed embedded data (our own bug,
// caught by the unit tests).
const std::vector<FrameworkCatalog>& FrameworkCatalogs();
const FrameworkCatalog* FindCatalog(std::string_view name);

enum class ControlState { kFail, kPass, kNotEvaluated, kNotAutomated };
std::string_view ControlStateName(ControlState s);

struct ControlStatus {
  const Control* control = nullptr;
  ControlState state = ControlState::kNotAutomated;
  std::vector<const Rule*> rules;  // rules of the registry mapped to the control
  size_t passed = 0;
  size_t failed = 0;  // excepted findings count as passed, as in the score
};

struct FrameworkCoverage {
  std::string name;  // the framework as selectable: cis, nsa, mitre, pss-baseline, pss-restricted
  std::string title;
  size_t total = 0;
  size_t automated = 0;      // controls with at least one kspm rule
  size_t evaluated = 0;      // automated controls that evaluated something in this scan
  size_t not_automated = 0;  // needs a cluster, node, runtime view or a human
  std::vector<ControlStatus> controls;
  // One line: "cis: 28/34 controls automated by kspm, 25 evaluated in this scan (…)".
  std::string Line() const;
};

// Coverage of every selectable framework (or only `only`, when non-empty).
std::vector<FrameworkCoverage> ComputeCoverage(const RuleRegistry& registry,
                                               const std::vector<Finding>& findings,
                                               const std::vector<std::string>& only = {});

}  // namespace kspm::engine

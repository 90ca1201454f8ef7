#include "engine/score.h"

#include <cmath>
#include <unordered_map>

#include "engine/registry.h"

namespace kspm::engine {

ScoreValue ComputeScore(const std::vector<const Finding*>& findings) {
  struct Tally {
    size_t passed = 0;
    size_t evaluated = 0;
  };
  std::unordered_map<const Rule*, Tally> per_rule;
  std::vector<const Rule*> order;
  ScoreValue v;
  for (const Finding* f : findings) {
    if (f->status == FindingStatus::kSkipped) continue;
    auto [it, inserted] = per_rule.try_emplace(f->rule);
    if (inserted) order.push_back(f->rule);
    ++it->second.evaluated;
    if (f->status == FindingStatus::kPass || f->excepted) {
      ++it->second.passed;
      if (f->excepted) {
        ++v.excepted;
      } else {
        ++v.passed;
      }
    } else {
      ++v.failed;
    }
  }
  double weighted = 0;
  double weights = 0;
  for (const Rule* r : order) {
    const Tally& t = per_rule[r];
    int w = SeverityWeight(r->info.severity);
    weighted += w * static_cast<double>(t.passed) / static_cast<double>(t.evaluated);
    weights += w;
  }
  v.rules_evaluated = order.size();
  if (weights > 0) v.score = std::round(1000.0 * weighted / weights) / 10.0;
  return v;
}

Scores ComputeScores(const std::vector<Finding>& findings) {
  Scores s;
  const std::vector<Framework>& frameworks = Frameworks();
  std::vector<const Finding*> all;
  all.reserve(findings.size());
  std::map<std::string, std::vector<const Finding*>, std::less<>> by_ns;
  std::vector<std::vector<const Finding*>> by_fw(frameworks.size());
  // Which frameworks cover a rule, worked out once per rule, not per finding.
  std::unordered_map<const Rule*, std::vector<size_t>> rule_frameworks;
  for (const Finding& f : findings) {
    all.push_back(&f);
    if (f.resource != nullptr) {
      std::string_view ns = f.resource->effective_namespace();
      auto it = by_ns.find(ns);
      if (it == by_ns.end())
        it = by_ns.emplace(std::string(ns), std::vector<const Finding*>{}).first;
      it->second.push_back(&f);
    }
    auto [fw_it, inserted] = rule_frameworks.try_emplace(f.rule);
    if (inserted) {
      for (size_t i = 0; i < frameworks.size(); ++i) {
        if (frameworks[i].CoversRule(*f.rule)) fw_it->second.push_back(i);
      }
    }
    for (size_t i : fw_it->second) by_fw[i].push_back(&f);
  }
  s.overall = ComputeScore(all);
  for (auto& [ns, list] : by_ns) s.by_namespace[ns] = ComputeScore(list);
  for (size_t i = 0; i < frameworks.size(); ++i) {
    if (!by_fw[i].empty()) s.by_framework[frameworks[i].name] = ComputeScore(by_fw[i]);
  }
  return s;
}

}  // namespace kspm::engine

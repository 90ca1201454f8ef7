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
  std::vector<const Finding*> all;
  std::map<std::string, std::vector<const Finding*>> by_ns;
  std::map<std::string, std::vector<const Finding*>> by_fw;
  for (const Finding& f : findings) {
    all.push_back(&f);
    if (f.resource != nullptr) by_ns[std::string(f.resource->effective_namespace())].push_back(&f);
    for (const Framework& fw : Frameworks()) {
      if (fw.CoversRule(*f.rule)) by_fw[fw.name].push_back(&f);
    }
  }
  s.overall = ComputeScore(all);
  for (auto& [ns, list] : by_ns) s.by_namespace[ns] = ComputeScore(list);
  for (auto& [fw, list] : by_fw) s.by_framework[fw] = ComputeScore(list);
  return s;
}

}  // namespace kspm::engine

#include "engine/score.h"

#include <cmath>
#include <unordered_map>

#include "engine/registry.h"

namespace kspm::engine {

namespace {

// Pass and evaluation counts per rule of one scope (the whole input, a
// namespace or a framework). Rules are numbered densely as first seen, so a
// finding costs one hash lookup however many scopes it counts in.
class ScoreTally {
 public:
  void Add(const Finding& f, size_t rule_index) {
    if (rule_index >= per_rule_.size()) per_rule_.resize(rule_index + 1);
    RuleTally& t = per_rule_[rule_index];
    if (t.rule == nullptr) {
      t.rule = f.rule;
      order_.push_back(rule_index);
    }
    ++t.evaluated;
    if (f.status == FindingStatus::kPass || f.excepted) {
      ++t.passed;
      if (f.excepted) {
        ++value_.excepted;
      } else {
        ++value_.passed;
      }
    } else {
      ++value_.failed;
    }
  }

  ScoreValue Value() const {
    ScoreValue v = value_;
    double weighted = 0;
    double weights = 0;
    for (size_t i : order_) {
      const RuleTally& t = per_rule_[i];
      int w = SeverityWeight(t.rule->info.severity);
      weighted += w * static_cast<double>(t.passed) / static_cast<double>(t.evaluated);
      weights += w;
    }
    v.rules_evaluated = order_.size();
    if (weights > 0) v.score = std::round(1000.0 * weighted / weights) / 10.0;
    return v;
  }

 private:
  struct RuleTally {
    const Rule* rule = nullptr;
    size_t passed = 0;
    size_t evaluated = 0;
  };
  std::vector<RuleTally> per_rule_;
  std::vector<size_t> order_;  // rules in the order first seen
  ScoreValue value_;
};

// Dense numbers for rules, and the frameworks that cover each.
class RuleIndex {
 public:
  explicit RuleIndex(const std::vector<Framework>& frameworks) : frameworks_(frameworks) {}

  size_t Of(const Rule* rule) {
    auto [it, inserted] = index_.try_emplace(rule, covered_by_.size());
    if (inserted) {
      std::vector<size_t>& fws = covered_by_.emplace_back();
      for (size_t i = 0; i < frameworks_.size(); ++i) {
        if (frameworks_[i].CoversRule(*rule)) fws.push_back(i);
      }
    }
    return it->second;
  }
  const std::vector<size_t>& FrameworksOf(size_t index) const { return covered_by_[index]; }

 private:
  const std::vector<Framework>& frameworks_;
  std::unordered_map<const Rule*, size_t> index_;
  std::vector<std::vector<size_t>> covered_by_;
};

}  // namespace

ScoreValue ComputeScore(const std::vector<const Finding*>& findings) {
  RuleIndex index(Frameworks());
  ScoreTally tally;
  for (const Finding* f : findings) {
    if (f->status != FindingStatus::kSkipped) tally.Add(*f, index.Of(f->rule));
  }
  return tally.Value();
}

Scores ComputeScores(const std::vector<Finding>& findings) {
  const std::vector<Framework>& frameworks = Frameworks();
  RuleIndex index(frameworks);
  ScoreTally overall;
  std::map<std::string, ScoreTally, std::less<>> by_ns;
  std::vector<ScoreTally> by_fw(frameworks.size());
  std::vector<bool> fw_seen(frameworks.size(), false);
  // Findings come grouped by resource: look the namespace up once per run.
  const core::Resource* last_resource = nullptr;
  ScoreTally* ns_tally = nullptr;
  for (const Finding& f : findings) {
    // A scope a finding belongs to is listed even when the finding was
    // skipped (its score is then null): it was part of the scan.
    size_t rule = index.Of(f.rule);
    bool counts = f.status != FindingStatus::kSkipped;
    if (counts) overall.Add(f, rule);
    if (f.resource != nullptr) {
      if (f.resource != last_resource) {
        last_resource = f.resource;
        std::string_view ns = f.resource->effective_namespace();
        auto it = by_ns.find(ns);
        if (it == by_ns.end()) it = by_ns.emplace(std::string(ns), ScoreTally{}).first;
        ns_tally = &it->second;
      }
      if (counts) ns_tally->Add(f, rule);
    }
    for (size_t i : index.FrameworksOf(rule)) {
      if (counts) by_fw[i].Add(f, rule);
      fw_seen[i] = true;
    }
  }
  Scores s;
  s.overall = overall.Value();
  for (const auto& [ns, tally] : by_ns) s.by_namespace[ns] = tally.Value();
  for (size_t i = 0; i < frameworks.size(); ++i) {
    if (fw_seen[i]) s.by_framework[frameworks[i].name] = by_fw[i].Value();
  }
  return s;
}

}  // namespace kspm::engine

// Posture score (DESIGN §6): for each rule that evaluated at least one
// resource, compliance = passed / evaluated (excepted findings count as
// passed); the score is the severity-weighted mean of rule compliance
// (critical 10, high 6, medium 3, low 1, info 0) × 100, one decimal.
// Computed for the whole input, per namespace and per framework.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace kspm::engine {

inline constexpr const char* kScoreFormula =
    "score = 100 × Σ(w_r × passed_r / evaluated_r) / Σ w_r over rules that evaluated at least "
    "one resource; w = critical 10, high 6, medium 3, low 1, info 0; excepted findings count as "
    "passed";

struct ScoreValue {
  std::optional<double> score;  // nullopt when no weighted rule was evaluated
  size_t rules_evaluated = 0;
  size_t passed = 0;
  size_t failed = 0;
  size_t excepted = 0;
};

struct Scores {
  ScoreValue overall;
  std::map<std::string, ScoreValue> by_namespace;  // "" = cluster-scoped objects
  std::map<std::string, ScoreValue> by_framework;  // every framework with an evaluated rule
};

ScoreValue ComputeScore(const std::vector<const Finding*>& findings);
Scores ComputeScores(const std::vector<Finding>& findings);

}  // namespace kspm::engine

// Evaluation: runs the selected rules over an Inventory, spread over threads.
//
// The output order is deterministic whatever the thread count: findings are
// ordered by resource (inventory order), then by rule (selection order).
#pragma once

#include <vector>

#include "core/inventory.h"
#include "engine/rule.h"

namespace kspm::engine {

std::vector<Finding> Evaluate(const std::vector<const Rule*>& rules, const core::Inventory& inv,
                              const RuleContext& context, unsigned threads = 0);

}  // namespace kspm::engine

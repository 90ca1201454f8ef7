// The one place that lists every built-in rule family.
#pragma once

#include "engine/registry.h"

namespace kspm::rules {

// Registers every built-in rule, family by family, in catalog order.
void RegisterBuiltinRules(engine::RuleRegistry& registry);

// One function per family (one source file each).
void RegisterPodSecurityRules(engine::RuleRegistry& registry);
void RegisterWorkloadRules(engine::RuleRegistry& registry);

}  // namespace kspm::rules

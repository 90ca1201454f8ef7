// The one place that lists every built-in rule family.
#pragma once

#include "engine/registry.h"

namespace kspm::rules {

// Registers every built-in rule, family by family, in catalog order.
void RegisterBuiltinRules(engine::RuleRegistry& registry);

// One function per family (one source file each).
void RegisterPodSecurityRules(engine::RuleRegistry& registry);    // PSS-NNN
void RegisterWorkloadRules(engine::RuleRegistry& registry);       // WL-NNN
void RegisterSecretRules(engine::RuleRegistry& registry);         // SEC-NNN
void RegisterRbacRules(engine::RuleRegistry& registry);           // RBAC-NNN
void RegisterNetworkRules(engine::RuleRegistry& registry);        // NET-NNN
void RegisterDeprecatedApiRules(engine::RuleRegistry& registry);  // API-NNN
void RegisterClusterConfigRules(engine::RuleRegistry& registry);  // CFG-NNN

}  // namespace kspm::rules

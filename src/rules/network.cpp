// Network: NetworkPolicy coverage with Kubernetes' selector semantics, and exposure.
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterNetworkRules(engine::RuleRegistry& registry) { (void)registry; }

}  // namespace kspm::rules

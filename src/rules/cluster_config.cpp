// Namespace and cluster configuration visible in manifests (PSA labels, quotas,
// admission webhooks).
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterClusterConfigRules(engine::RuleRegistry& registry) { (void)registry; }

}  // namespace kspm::rules

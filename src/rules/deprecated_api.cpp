// Deprecated and removed APIs, aware of the target Kubernetes version.
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterDeprecatedApiRules(engine::RuleRegistry& registry) { (void)registry; }

}  // namespace kspm::rules

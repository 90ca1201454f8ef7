// RBAC: effective permissions of subjects through bindings and aggregated ClusterRoles.
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterRbacRules(engine::RuleRegistry& registry) { (void)registry; }

}  // namespace kspm::rules

#include "rules/builtin.h"

namespace kspm::rules {

void RegisterBuiltinRules(engine::RuleRegistry& registry) {
  RegisterPodSecurityRules(registry);
  RegisterWorkloadRules(registry);
  RegisterSecretRules(registry);
  RegisterRbacRules(registry);
  RegisterNetworkRules(registry);
  RegisterDeprecatedApiRules(registry);
  RegisterClusterConfigRules(registry);
}

}  // namespace kspm::rules

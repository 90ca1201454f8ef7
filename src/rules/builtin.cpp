#include "rules/builtin.h"

namespace kspm::rules {

void RegisterBuiltinRules(engine::RuleRegistry& registry) {
  RegisterPodSecurityRules(registry);
  RegisterWorkloadRules(registry);
}

}  // namespace kspm::rules

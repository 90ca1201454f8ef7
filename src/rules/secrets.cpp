// Secrets: credentials in env values, ConfigMaps and Secret data (base64 decoded),
// secrets passed through environment variables.
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterSecretRules(engine::RuleRegistry& registry) { (void)registry; }

}  // namespace kspm::rules

// Workload hygiene beyond the Pod Security Standards (images, resources,
// probes, service-account tokens, host mounts).
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterWorkloadRules(engine::RuleRegistry& registry) { (void)registry; }

}  // namespace kspm::rules

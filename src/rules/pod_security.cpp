// Placeholder: the Pod Security Standards family is being written (see docs/pss.md).
#include "rules/builtin.h"

namespace kspm::rules {

void RegisterPodSecurityRules(engine::RuleRegistry& registry) {
  engine::Rule r;
  r.info.id = "PSS-002";
  r.info.slug = "privileged-container";
  r.info.title = "Privileged container";
  r.info.severity = engine::Severity::kCritical;
  r.info.controls = {"pss:privileged"};
  r.kinds = {"*workload"};
  r.check = [](const core::Resource& res, const engine::RuleContext& ctx, engine::Verdict& v) {
    const core::PodSpecView* view = ctx.inventory->PodSpecOf(res);
    if (view == nullptr) return v.NotApplicable();
    for (const core::ContainerRef& c : view->containers) {
      const core::Node* p = c.node->Find({"securityContext", "privileged"});
      if (p != nullptr && p->GetBool().value_or(false)) {
        v.Fail(engine::BadValue(*p, c.pointer + "/securityContext/privileged", "false or unset",
                                "container \"" + std::string(c.name) + "\" is privileged"));
      }
    }
  };
  registry.Add(std::move(r));
}

}  // namespace kspm::rules

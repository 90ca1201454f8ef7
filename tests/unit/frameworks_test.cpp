#include <gtest/gtest.h>

#include <set>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/frameworks.h"
#include "rules/builtin.h"

namespace kspm::engine {
namespace {

TEST(Frameworks, CatalogsParseWithUniqueIds) {
  const auto& catalogs = FrameworkCatalogs();
  std::set<std::string> names;
  for (const FrameworkCatalog& c : catalogs) {
    names.insert(c.name);
    EXPECT_FALSE(c.title.empty()) << c.name;
    EXPECT_FALSE(c.version.empty()) << c.name;
    std::set<std::string> ids;
    for (const Control& control : c.controls) {
      EXPECT_TRUE(ids.insert(control.id).second) << c.name << " repeats " << control.id;
      EXPECT_FALSE(control.title.empty()) << c.name << ":" << control.id;
      static const std::set<std::string> kAssessments = {"manifest", "cluster", "node", "manual",
                                                         "runtime"};
      EXPECT_TRUE(kAssessments.count(control.assessment))
          << c.name << ":" << control.id << " has assessment " << control.assessment;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"cis", "mitre", "nsa", "pss"}));
  ASSERT_NE(FindCatalog("pss"), nullptr);
  EXPECT_EQ(FindCatalog("pss")->Find("privileged")->section, "baseline");
  EXPECT_EQ(FindCatalog("pss")->Find("runAsNonRoot")->section, "restricted");
}

// A rule that names a control no catalog lists is a typo that would silently
// drop out of every framework report.
TEST(Frameworks, EveryRuleControlExistsInItsCatalog) {
  RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  for (const auto& rule : registry.rules()) {
    for (const std::string& control : rule->info.controls) {
      auto colon = control.find(':');
      ASSERT_NE(colon, std::string::npos) << rule->info.id << ": " << control;
      const FrameworkCatalog* catalog = FindCatalog(control.substr(0, colon));
      ASSERT_NE(catalog, nullptr) << rule->info.id << " names unknown framework in " << control;
      EXPECT_NE(catalog->Find(control.substr(colon + 1)), nullptr)
          << rule->info.id << " names unknown control " << control
          << ": valid ids are listed in data/frameworks/" << catalog->name << ".yaml";
    }
  }
}

// The PSS level in the catalog and the one used to select rules must agree.
TEST(Frameworks, PssLevelsAgreeWithSelection) {
  for (const Control& c : FindCatalog("pss")->controls) {
    EXPECT_EQ(PssLevel(c.id), c.section) << c.id;
  }
}

TEST(Frameworks, CoverageNeverReportsUnevaluatedControlsAsPassed) {
  RuleRegistry registry;
  Rule r;
  r.info.id = "T-001";
  r.info.slug = "t";
  r.info.controls = {"cis:5.2.2"};
  r.kinds = {"Pod"};
  r.check = [](const core::Resource&, const RuleContext&, Verdict&) {};
  registry.Add(r);
  Rule unused = r;
  unused.info.id = "T-002";
  unused.info.slug = "u";
  unused.info.controls = {"cis:5.2.3"};
  unused.kinds = {"Deployment"};
  registry.Add(unused);
  auto loaded = core::DecodeSources(
      {{"p.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n"}}, {});
  RuleContext ctx{&loaded.inventory, 37};
  std::vector<const Rule*> all = {registry.rules()[0].get(), registry.rules()[1].get()};
  auto findings = Evaluate(all, loaded.inventory, ctx, 1);
  auto coverage = ComputeCoverage(registry, findings, {"cis"});
  ASSERT_EQ(coverage.size(), 1u);
  const FrameworkCoverage& cis = coverage[0];
  EXPECT_EQ(cis.automated, 2u);
  EXPECT_EQ(cis.evaluated, 1u);
  for (const ControlStatus& s : cis.controls) {
    if (s.control->id == "5.2.2") {
      EXPECT_EQ(s.state, ControlState::kPass);
    } else if (s.control->id == "5.2.3") {
      EXPECT_EQ(s.state, ControlState::kNotEvaluated);
    } else {
      EXPECT_EQ(s.state, ControlState::kNotAutomated) << s.control->id;
    }
  }
  EXPECT_NE(cis.Line().find("not evaluated: 5.2.3"), std::string::npos) << cis.Line();
  EXPECT_NE(cis.Line().find("need a live cluster"), std::string::npos) << cis.Line();
}

}  // namespace
}  // namespace kspm::engine

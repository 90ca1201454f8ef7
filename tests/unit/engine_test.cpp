#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <utility>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/exceptions.h"
#include "engine/registry.h"
#include "engine/score.h"
#include "rules/builtin.h"

namespace kspm::engine {
namespace {

// A rule that fails every Pod whose name starts with "bad".
Rule NameRule(std::string id, std::string slug, Severity severity,
              std::vector<std::string> controls = {}) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.severity = severity;
  r.info.controls = std::move(controls);
  r.kinds = {"Pod"};
  r.check = [](const core::Resource& res, const RuleContext&, Verdict& v) {
    if (res.name.rfind("bad", 0) == 0) {
      v.Fail(BadValue(*res.root->Find({"metadata", "name"}), "/metadata/name", "a good name",
                      "bad name"));
    }
  };
  return r;
}

core::LoadResult Load(const std::string& yaml) {
  return core::DecodeSources({{"in.yaml", yaml}}, {});
}

const char* kPods = R"(apiVersion: v1
kind: Pod
metadata: {name: bad-1, namespace: a}
---
apiVersion: v1
kind: Pod
metadata: {name: good-1, namespace: a}
---
apiVersion: v1
kind: Pod
metadata:
  name: bad-2
  namespace: b
  annotations:
    kspm.dev/ignore: "T-001,other accepted for the test"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: bad-cm}
)";

TEST(Evaluate, PassFailAndOrderAreDeterministic) {
  RuleRegistry reg;
  reg.Add(NameRule("T-001", "bad-name", Severity::kHigh));
  reg.Add(NameRule("T-002", "bad-name-low", Severity::kLow));
  auto loaded = Load(kPods);
  RuleContext ctx{&loaded.inventory, 37};
  auto rules = SelectRules(reg, {});
  ASSERT_TRUE(rules.ok());
  for (unsigned threads : {1u, 2u, 8u}) {
    auto findings = Evaluate(*rules, loaded.inventory, ctx, threads);
    ASSERT_EQ(findings.size(), 6u);  // 3 pods × 2 rules; the ConfigMap is not a Pod
    EXPECT_EQ(findings[0].resource->name, "bad-1");
    EXPECT_EQ(findings[0].rule->info.id, "T-001");
    EXPECT_EQ(findings[0].status, FindingStatus::kFail);
    EXPECT_EQ(findings[1].rule->info.id, "T-002");
    EXPECT_EQ(findings[2].status, FindingStatus::kPass);
    EXPECT_EQ(findings[0].evidence()[0].actual, "\"bad-1\"");
    EXPECT_EQ(findings[0].evidence()[0].position.line, 3u);
  }
}

TEST(Exceptions, FileAndAnnotation) {
  RuleRegistry reg;
  reg.Add(NameRule("T-001", "bad-name", Severity::kHigh));
  reg.Add(NameRule("T-002", "bad-name-low", Severity::kLow));
  auto set = ParseExceptions(".kspm.yaml", R"(apiVersion: kspm.dev/v1
kind: Exceptions
exceptions:
  - rule: bad-name-low
    resource: {namespace: a, name: "bad-*"}
    reason: accepted
    owner: team
    expires: "2030-01-01"
  - rules: [T-001]
    resource: {kind: Pod}
    reason: old
    expires: "2020-01-01"
)",
                             reg);
  ASSERT_TRUE(set.ok()) << set.status().message();
  auto loaded = Load(kPods);
  RuleContext ctx{&loaded.inventory, 37};
  auto findings = Evaluate(*SelectRules(reg, {}), loaded.inventory, ctx, 1);
  ExceptionReport rep = ApplyExceptions(*set, "2026-11-25", findings);
  ASSERT_EQ(rep.expired.size(), 1u);
  EXPECT_EQ(rep.expired[0]->reason, "old");
  EXPECT_NE(rep.warnings[0].message.find("expired on 2020-01-01"), std::string::npos);
  // bad-1 / T-001: the only matching exception expired, so it still fails.
  EXPECT_FALSE(findings[0].excepted);
  // bad-1 / T-002: excepted by the file.
  EXPECT_TRUE(findings[1].excepted);
  EXPECT_EQ(findings[1].exception_reason(), "accepted");
  // bad-2 / T-001: excepted by its annotation, with the reason that follows the list.
  EXPECT_TRUE(findings[4].excepted);
  EXPECT_EQ(findings[4].exception_reason(), "accepted for the test");
  EXPECT_EQ(findings[4].exception_source(), "annotation kspm.dev/ignore");
  // bad-2 / T-002 is not listed in the annotation.
  EXPECT_FALSE(findings[5].excepted);
}

TEST(Exceptions, ErrorsNamePosition) {
  RuleRegistry reg;
  reg.Add(NameRule("T-001", "bad-name", Severity::kHigh));
  auto unknown = ParseExceptions("x.yaml", "exceptions:\n  - rule: NOPE-1\n    reason: r\n", reg);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "x.yaml:2:11: unknown rule \"NOPE-1\"");
  auto no_reason = ParseExceptions("x.yaml", "exceptions:\n  - rule: T-001\n", reg);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.status().message(), "x.yaml:2:5: an exception needs a `reason`");
  auto bad_date =
      ParseExceptions("x.yaml", "exceptions:\n  - {rule: T-001, reason: r, expires: soon}\n", reg);
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.status().message().find("YYYY-MM-DD"), std::string::npos);
}

TEST(Exceptions, Glob) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("queue-*", "queue-worker"));
  EXPECT_TRUE(GlobMatch("*-worker", "queue-worker"));
  EXPECT_FALSE(GlobMatch("queue-*", "worker"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
}

TEST(Score, SeverityWeightedMeanOfRuleCompliance) {
  RuleRegistry reg;
  reg.Add(NameRule("T-001", "high", Severity::kHigh, {"cis:5.2.1"}));
  reg.Add(NameRule("T-002", "low", Severity::kLow, {"nsa:pod-security"}));
  reg.Add(NameRule("T-003", "info", Severity::kInfo));
  auto loaded = Load(kPods);
  RuleContext ctx{&loaded.inventory, 37};
  auto findings = Evaluate(*SelectRules(reg, {}), loaded.inventory, ctx, 1);
  Scores s = ComputeScores(findings);
  // Each rule: 1 of 3 pods passes. high 6 × 1/3 + low 1 × 1/3 = 7/3 of 7 → 33.3.
  ASSERT_TRUE(s.overall.score.has_value());
  EXPECT_DOUBLE_EQ(*s.overall.score, 33.3);
  EXPECT_EQ(s.overall.rules_evaluated, 3u);
  // Namespace a: bad-1 fails, good-1 passes → 50.
  EXPECT_DOUBLE_EQ(*s.by_namespace["a"].score, 50.0);
  EXPECT_DOUBLE_EQ(*s.by_namespace["b"].score, 0.0);
  EXPECT_EQ(s.by_framework.count("cis"), 1u);
  EXPECT_EQ(s.by_framework.count("mitre"), 0u);
  // An excepted finding counts as passed.
  findings[0].excepted = true;
  // Namespace a then: high rule 2/2, low rule 1/2 → (6 × 1 + 1 × 0.5) / 7 = 92.9.
  EXPECT_DOUBLE_EQ(*ComputeScores(findings).by_namespace["a"].score, 92.9);
}

TEST(Selection, UnknownNamesAreErrors) {
  RuleRegistry reg;
  reg.Add(NameRule("T-001", "bad-name", Severity::kHigh, {"pss:privileged"}));
  reg.Add(NameRule("T-002", "other", Severity::kHigh, {"pss:runAsNonRoot"}));
  Selection bad_fw;
  bad_fw.frameworks = {"pci"};
  auto r = SelectRules(reg, bad_fw);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown framework \"pci\""), std::string::npos);
  Selection bad_rule;
  bad_rule.rules = {"T-999"};
  EXPECT_FALSE(SelectRules(reg, bad_rule).ok());
  Selection bad_skip;
  bad_skip.skip_rules = {"nope"};
  EXPECT_FALSE(SelectRules(reg, bad_skip).ok());

  Selection baseline;
  baseline.frameworks = {"pss-baseline"};
  auto b = SelectRules(reg, baseline);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0]->info.id, "T-001");
  Selection restricted;
  restricted.frameworks = {"pss-restricted"};
  EXPECT_EQ(SelectRules(reg, restricted)->size(), 2u);
  Selection by_slug;
  by_slug.rules = {"other"};
  by_slug.skip_rules = {"t-001"};
  auto s = SelectRules(reg, by_slug);
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0]->info.id, "T-002");
}

// Teams map their Polaris, kube-score, trivy and kubescape results and
// exceptions onto kspm rules through RuleInfo::equivalents
// (docs/equivalents.md), so a misspelt tool or a malformed id silently breaks
// a migration.
TEST(Registry, EquivalentsNameKnownToolsWithWellFormedIds) {
  RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  const std::regex polaris_id("[a-z][A-Za-z]+");             // checks/<id>.yaml
  const std::regex kube_score_id("[a-z0-9]+(-[a-z0-9]+)*");  // kube-score list
  const std::regex trivy_id("KSV[0-9]{3}");                  // custom.id of the check
  const std::regex kubescape_id("C-[0-9]{4}");               // controlID
  size_t total = 0;
  for (const auto& rule : registry.rules()) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const Equivalent& e : rule->info.equivalents) {
      ++total;
      const std::string where = rule->info.id + " names " + e.tool + ":" + e.id;
      if (e.tool == "polaris") {
        EXPECT_TRUE(std::regex_match(e.id, polaris_id)) << where;
      } else if (e.tool == "kube-score") {
        EXPECT_TRUE(std::regex_match(e.id, kube_score_id)) << where;
      } else if (e.tool == "trivy") {
        EXPECT_TRUE(std::regex_match(e.id, trivy_id)) << where << ": expected KSVnnn";
      } else if (e.tool == "kubescape") {
        EXPECT_TRUE(std::regex_match(e.id, kubescape_id)) << where << ": expected C-nnnn";
      } else {
        ADD_FAILURE() << where << ": tool must be polaris, kube-score, trivy or kubescape";
      }
      EXPECT_TRUE(seen.emplace(e.tool, e.id).second) << where << " twice";
    }
  }
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace kspm::engine

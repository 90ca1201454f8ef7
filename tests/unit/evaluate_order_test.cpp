// Evaluate's output order with inventory rules in the mix: findings ordered by
// resource (inventory order), then by rule (selection order), inventory
// findings for the same resource and rule in the order the rule emitted them,
// findings about no resource last; the same whatever the thread count.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "core/source.h"
#include "engine/evaluate.h"

namespace kspm::engine {
namespace {

constexpr int kPods = 600;  // several evaluation blocks of 256 resources

core::LoadResult LoadPods() {
  std::string yaml;
  for (int i = 0; i < kPods; ++i) {
    if (i) yaml += "---\n";
    yaml += "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p" + std::to_string(i) + "\n";
  }
  yaml += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";
  return core::DecodeSources({{"in.yaml", yaml}}, {});
}

Rule PerResource(std::string id, int modulo) {
  Rule r;
  r.info.id = id;
  r.info.slug = "slug-" + id;
  r.kinds = {"Pod"};
  r.check = [modulo](const core::Resource& res, const RuleContext&, Verdict& v) {
    if (res.order % modulo == 0) v.NotApplicable();
  };
  return r;
}

// Emits, for every third resource from the last to the first, two findings
// ("a" then "b"), then one about no resource.
Rule Inventory(std::string id) {
  Rule r;
  r.info.id = id;
  r.info.slug = "slug-" + id;
  r.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    const auto& resources = ctx.inventory->resources();
    for (size_t i = resources.size(); i-- > 0;) {
      if (i % 3 != 0) continue;
      for (const char* m : {"a", "b"}) {
        Finding f;
        f.resource = &resources[i];
        f.status = FindingStatus::kFail;
        f.SetMessage(m);
        out.push_back(std::move(f));
      }
    }
    Finding whole;
    whole.SetMessage("input");
    out.push_back(std::move(whole));
  };
  return r;
}

using Key = std::tuple<std::string, std::string, std::string>;  // resource, rule, message

std::vector<Key> Describe(const std::vector<Finding>& findings) {
  std::vector<Key> out;
  for (const Finding& f : findings) {
    out.emplace_back(f.resource ? f.resource->name : "-", f.rule->info.id, f.message());
  }
  return out;
}

TEST(EvaluateOrder, InventoryFindingsMergeIntoResourceOrder) {
  core::LoadResult loaded = LoadPods();
  ASSERT_EQ(loaded.inventory.resources().size(), kPods + 1u);
  Rule r1 = PerResource("R-1", 2);
  Rule w1 = Inventory("W-1");
  Rule r2 = PerResource("R-2", 5);
  Rule w2 = Inventory("W-2");
  // A rule with both kinds of check: its per-resource finding comes first.
  Rule both = PerResource("B-1", 7);
  both.inventory_check = Inventory("B-1").inventory_check;
  std::vector<const Rule*> rules = {&r1, &w1, &r2, &w2, &both};

  // What the order must be, built directly from the rules' definitions.
  std::vector<Key> expected;
  for (const core::Resource& res : loaded.inventory.resources()) {
    bool pod = res.kind == "Pod";
    bool inventory_hit = res.order % 3 == 0;
    auto per = [&](const char* id, int modulo) {
      if (pod && res.order % modulo != 0) expected.emplace_back(res.name, id, "");
    };
    auto inv = [&](const char* id) {
      if (!inventory_hit) return;
      expected.emplace_back(res.name, id, "a");
      expected.emplace_back(res.name, id, "b");
    };
    per("R-1", 2);
    inv("W-1");
    per("R-2", 5);
    inv("W-2");
    per("B-1", 7);
    inv("B-1");
  }
  for (const char* id : {"W-1", "W-2", "B-1"}) expected.emplace_back("-", id, "input");

  RuleContext ctx;
  ctx.inventory = &loaded.inventory;
  for (unsigned threads : {1u, 2u, 4u}) {
    EXPECT_EQ(Describe(Evaluate(rules, loaded.inventory, ctx, threads)), expected)
        << threads << " threads";
  }
}

}  // namespace
}  // namespace kspm::engine

#include "engine/evaluate.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace kspm::engine {
namespace {

constexpr size_t kTrimBytes = size_t{32} << 20;

// Returns free memory of every malloc arena to the system (glibc only).
void ReleaseFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace

std::vector<Finding> Evaluate(const std::vector<const Rule*>& rules, const core::Inventory& inv,
                              const RuleContext& context, unsigned threads) {
  const auto& resources = inv.resources();
  std::vector<const Rule*> per_resource;
  std::vector<const Rule*> whole;
  for (const Rule* r : rules) {
    if (context.k8s_minor < r->min_k8s_minor || context.k8s_minor > r->max_k8s_minor) continue;
    if (r->check) per_resource.push_back(r);
    if (r->inventory_check) whole.push_back(r);
  }
  std::unordered_map<const Rule*, size_t> rule_rank;
  for (size_t i = 0; i < rules.size(); ++i) rule_rank.emplace(rules[i], i);
  auto rank_of = [&](const Rule* r) { return rule_rank.at(r); };

  // The per-resource rules that apply to each kind, in selection order. An
  // input has a few dozen kinds and may have millions of (resource, rule)
  // pairs: matching kinds once per kind, not once per pair, keeps the loop
  // below to the checks themselves.
  std::unordered_map<std::string_view, std::vector<const Rule*>> rules_by_kind;
  for (const core::Resource& res : resources) {
    auto [it, inserted] = rules_by_kind.try_emplace(res.kind);
    if (!inserted) continue;
    for (const Rule* rule : per_resource) {
      if (rule->AppliesToKind(res.kind)) it->second.push_back(rule);
    }
  }

  // Blocks of resources, then inventory rules, each handled by one thread.
  constexpr size_t kBlock = 256;
  size_t resource_blocks = (resources.size() + kBlock - 1) / kBlock;
  size_t tasks = resource_blocks + whole.size();
  std::vector<std::vector<Finding>> outputs(tasks);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) {
      std::vector<Finding>& out = outputs[t];
      if (t >= resource_blocks) {
        const Rule* rule = whole[t - resource_blocks];
        rule->inventory_check(*rule, context, out);
        for (Finding& f : out) f.rule = rule;
        continue;
      }
      size_t end = std::min(resources.size(), (t + 1) * kBlock);
      for (size_t i = t * kBlock; i < end; ++i) {
        const core::Resource& res = resources[i];
        for (const Rule* rule : rules_by_kind.find(res.kind)->second) {
          Verdict v;
          rule->check(res, context, v);
          if (!v.applicable()) continue;
          Finding f;
          f.rule = rule;
          f.resource = &res;
          f.status = v.violations().empty() ? FindingStatus::kPass : FindingStatus::kFail;
          f.SetMessage(v.message());
          f.SetEvidence(std::move(v.mutable_violations()));
          out.push_back(std::move(f));
        }
      }
    }
  };
  unsigned n = threads ? threads : std::thread::hardware_concurrency();
  n = std::max(1u, std::min<unsigned>(n, static_cast<unsigned>(std::max<size_t>(tasks, 1))));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < n; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  // The derived views the rules shared (network and RBAC models) are not
  // needed any more: free them before the merge and the report.
  inv.DropViews();

  // The result is ordered by (resource, rule rank), stably. Per-resource
  // findings are already in that order: blocks follow the inventory and each
  // resource's rules follow the selection. Only the inventory rules' findings
  // need sorting (as references, on precomputed keys); the two runs are then
  // merged, each finding moved once, straight into place.
  struct InventoryRef {
    uint64_t key;  // resource order (UINT32_MAX for none) << 32 | rule rank
    Finding* finding;
  };
  auto key_of = [&](const Finding& f) {
    uint64_t r = f.resource ? f.resource->order : UINT32_MAX;
    return r << 32 | static_cast<uint32_t>(rank_of(f.rule));
  };
  std::vector<InventoryRef> inventory_findings;
  size_t total = 0;
  for (size_t t = 0; t < outputs.size(); ++t) {
    total += outputs[t].size();
    if (t < resource_blocks) continue;
    for (Finding& f : outputs[t]) inventory_findings.push_back({key_of(f), &f});
  }
  std::stable_sort(inventory_findings.begin(), inventory_findings.end(),
                   [](const InventoryRef& a, const InventoryRef& b) { return a.key < b.key; });

  std::vector<Finding> findings;
  findings.reserve(total);
  // Each block's output is freed once merged: on 100,000 resources and 119
  // rules the findings themselves take ~400 MB. The freed blocks sit in the
  // worker threads' malloc arenas, where the one large result cannot reuse
  // them, so they are handed back to the system as the merge goes; otherwise
  // both copies count in the peak.
  size_t released = 0;
  auto release = [&](std::vector<Finding>& o) {
    released += o.capacity() * sizeof(Finding);
    std::vector<Finding>().swap(o);
    if (released >= kTrimBytes) {
      ReleaseFreedMemory();
      released = 0;
    }
  };
  size_t next_inventory = 0;
  auto take_inventory_before = [&](const Finding* f) {
    // Inventory findings that sort before `f` (all of them when f is null);
    // on equal keys the per-resource finding goes first, as a stable sort of
    // the concatenation would have it.
    while (next_inventory < inventory_findings.size() &&
           (f == nullptr || inventory_findings[next_inventory].key < key_of(*f))) {
      findings.push_back(std::move(*inventory_findings[next_inventory++].finding));
    }
  };
  for (size_t t = 0; t < resource_blocks; ++t) {
    for (Finding& f : outputs[t]) {
      // Compare resource orders first: rule ranks (a map lookup) only matter
      // when an inventory finding is about the same resource.
      if (next_inventory < inventory_findings.size() &&
          (inventory_findings[next_inventory].key >> 32) <= f.resource->order) {
        take_inventory_before(&f);
      }
      findings.push_back(std::move(f));
    }
    release(outputs[t]);
  }
  take_inventory_before(nullptr);
  std::vector<InventoryRef>().swap(inventory_findings);
  for (size_t t = resource_blocks; t < outputs.size(); ++t) release(outputs[t]);
  if (released > 0) ReleaseFreedMemory();
  return findings;
}

}  // namespace kspm::engine

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
          f.message = v.message();
          f.evidence = std::move(v.mutable_violations());
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

  size_t total = 0;
  size_t from_resources = 0;  // findings of per-resource rules, which come first
  for (size_t t = 0; t < outputs.size(); ++t) {
    total += outputs[t].size();
    if (t < resource_blocks) from_resources += outputs[t].size();
  }
  std::vector<Finding> findings;
  findings.reserve(total);
  // Free each thread's output as it is moved: on 100,000 resources and 119
  // rules the findings themselves take ~400 MB. The freed blocks sit in the
  // worker threads' malloc arenas, where the one large final vector cannot
  // reuse them, so they are handed back to the system as the merge goes;
  // otherwise both copies count in the peak.
  size_t released = 0;
  for (auto& o : outputs) {
    for (Finding& f : o) findings.push_back(std::move(f));
    released += o.capacity() * sizeof(Finding);
    std::vector<Finding>().swap(o);
    if (released >= kTrimBytes) {
      ReleaseFreedMemory();
      released = 0;
    }
  }
  if (released > 0) ReleaseFreedMemory();
  if (whole.empty()) return findings;

  // Inventory findings interleave with per-resource ones: order them all by
  // (resource, rule rank), stably. The per-resource findings are already in
  // that order (blocks follow the inventory, each resource's rules follow the
  // selection), so only the inventory findings after them are sorted, then
  // the two runs are merged. This works on indices with precomputed keys:
  // comparing findings through the rank map cost a second for 2.6 million of
  // them, and a stable sort of findings would allocate a second copy of them
  // all. The permutation is then applied in place, cycle by cycle.
  std::vector<uint64_t> keys(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    uint64_t r = f.resource ? f.resource->order : UINT32_MAX;
    keys[i] = r << 32 | static_cast<uint32_t>(rank_of(f.rule));
  }
  std::vector<uint32_t> tail(findings.size() - from_resources);
  for (size_t i = 0; i < tail.size(); ++i) tail[i] = static_cast<uint32_t>(from_resources + i);
  std::stable_sort(tail.begin(), tail.end(),
                   [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  std::vector<uint32_t> order;
  order.reserve(findings.size());
  size_t left = 0, right = 0;
  while (left < from_resources || right < tail.size()) {
    // On equal keys the earlier finding (the per-resource one) goes first.
    if (right == tail.size() || (left < from_resources && keys[left] <= keys[tail[right]])) {
      order.push_back(static_cast<uint32_t>(left++));
    } else {
      order.push_back(tail[right++]);
    }
  }
  std::vector<uint64_t>().swap(keys);
  std::vector<uint32_t>().swap(tail);
  // order[k] = the index of the finding that belongs at position k.
  for (uint32_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    Finding held = std::move(findings[start]);
    uint32_t k = start;
    while (order[k] != start) {
      uint32_t from = order[k];
      findings[k] = std::move(findings[from]);
      order[k] = k;
      k = from;
    }
    findings[k] = std::move(held);
    order[k] = k;
  }
  return findings;
}

}  // namespace kspm::engine

// The Pod Security Standards checks, one per Kubernetes pod-security-admission
// check ID, each with its versioned revisions (docs/pss.md is the spec).
//
// A check runs on one pod spec (a Pod, or the pod template of any workload
// kind) at one Kubernetes minor version and reports through a Verdict:
// NotApplicable when the check does not exist at that version, when the
// restricted profile replaces it by a stricter restricted check (overrides),
// or when it exempts the pod (Windows pods in three restricted checks from
// 1.25); otherwise pass or fail with one Evidence per offending field and a
// Kubernetes-style message `reason (detail)`.
//
// Stateless and thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "core/inventory.h"
#include "engine/rule.h"

namespace kspm::rules::pss {

enum class Level { kBaseline, kRestricted };

struct CheckInput {
  const core::PodSpecView& pod;
  int minor;  // Kubernetes 1.N the scan targets
};

using CheckFn = void (*)(const CheckInput& in, engine::Verdict& v);

// One versioned implementation: applies from `min_minor` until the next one.
struct Revision {
  int min_minor;
  CheckFn fn;
};

struct CheckDef {
  std::string_view id;  // Kubernetes' check ID, e.g. "capabilities_baseline"
  Level level;
  std::span<const Revision> revisions;  // ascending min_minor
  // Baseline checks only: from this minor on, a restricted check overrides
  // this one at the restricted level; -1 when never overridden.
  int overridden_from = -1;
  std::string_view overridden_by;  // the overriding restricted check's ID
};

// Every check, baseline first, in kspm's catalog order (PSS-001 … PSS-019).
std::span<const CheckDef> Checks();
const CheckDef* FindCheck(std::string_view id);

// The revision in force at `minor`: the highest min_minor <= minor; nullptr
// when the check does not exist yet.
const Revision* RevisionAt(const CheckDef& def, int minor);

// Runs `def` for one pod spec under the scan's context (version, profile).
void RunCheck(const CheckDef& def, const core::PodSpecView& pod, const engine::RuleContext& ctx,
              engine::Verdict& v);

}  // namespace kspm::rules::pss

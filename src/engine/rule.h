// Rules: metadata (RuleInfo) plus a check, and the Findings they produce.
//
// A per-resource check sees one Resource and the whole Inventory and reports
// through a Verdict: not applicable, pass, or fail with Evidence. An inventory
// check sees the Inventory and emits findings for any resources. Checks are
// pure functions of their inputs and must be safe to call from many threads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/json_pointer.h"
#include "core/node.h"

namespace kspm::engine {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

std::string_view SeverityName(Severity s);
// Accepts critical|high|medium|low|info (any case).
bool ParseSeverity(std::string_view text, Severity& out);
int SeverityWeight(Severity s);  // §6: critical 10, high 6, medium 3, low 1, info 0

// A rule of another tool that checks the same thing.
struct Equivalent {
  std::string tool;  // "polaris", "kubescape", "trivy", "kube-score"
  std::string id;
};

struct RuleInfo {
  std::string id;    // FAMILY-NNN, never changes meaning once released
  std::string slug;  // kebab-case
  std::string title;
  std::string description;  // why it matters
  Severity severity = Severity::kMedium;
  std::string category;               // "pod-security", "workload", ...
  std::vector<std::string> controls;  // "framework:control", e.g. "pss:privileged"
  std::string remediation;
  std::vector<std::string> references;
  std::vector<Equivalent> equivalents;
};

enum class EvidenceReason { kMissing, kValue };
std::string_view EvidenceReasonName(EvidenceReason r);

struct Evidence {
  std::string pointer;  // JSON pointer of the field, relative to the resource
  EvidenceReason reason = EvidenceReason::kValue;
  std::string actual;       // JSON text of the present value; empty when missing
  std::string expected;     // human-readable expectation
  core::Position position;  // of the field, or of its nearest existing ancestor
  std::string message;
};

enum class FindingStatus { kFail, kPass, kSkipped };
std::string_view FindingStatusName(FindingStatus s);

struct Rule;

// What a finding says beyond its verdict. Most findings pass and say nothing
// more, so this lives behind a pointer that only failing or excepted findings
// allocate: a scan of 100,000 resources holds millions of findings.
struct FindingDetail {
  std::string message;
  std::vector<Evidence> evidence;
  std::string exception_reason;
  std::string exception_source;  // ".kspm.yaml:LINE" or "annotation kspm.dev/ignore"
};

class Finding {
 public:
  const Rule* rule = nullptr;
  const core::Resource* resource = nullptr;  // null for findings about the whole input
  FindingStatus status = FindingStatus::kPass;
  bool excepted = false;  // set by the exception stage

  Finding() = default;
  Finding(const Finding& other);
  Finding& operator=(const Finding& other);
  Finding(Finding&&) noexcept = default;
  Finding& operator=(Finding&&) noexcept = default;
  ~Finding() = default;

  // Empty when nothing was said.
  const std::string& message() const { return detail_ ? detail_->message : Empty().message; }
  const std::vector<Evidence>& evidence() const {
    return detail_ ? detail_->evidence : Empty().evidence;
  }
  const std::string& exception_reason() const {
    return detail_ ? detail_->exception_reason : Empty().exception_reason;
  }
  const std::string& exception_source() const {
    return detail_ ? detail_->exception_source : Empty().exception_source;
  }

  void SetMessage(std::string message);
  void AddEvidence(Evidence e);
  // Takes the evidence list as a whole (no allocation when it is empty).
  void SetEvidence(std::vector<Evidence> evidence);
  void SetException(std::string reason, std::string source);

 private:
  static const FindingDetail& Empty();
  FindingDetail& Detail();

  std::unique_ptr<FindingDetail> detail_;
};

// The Pod Security Standards profile a scan asks about (--framework
// pss-baseline / pss-restricted). At the restricted profile some baseline
// checks are replaced by stricter restricted ones, exactly as Kubernetes'
// pod-security-admission does; with kNone every check reports on its own.
enum class PssProfile { kNone, kBaseline, kRestricted };

// Settings every check may read.
struct RuleContext {
  const core::Inventory* inventory = nullptr;
  int k8s_minor = 37;  // Kubernetes 1.N the scan targets
  PssProfile pss_profile = PssProfile::kNone;
  // Registries images may come from (--allowed-registries, or allowedRegistries
  // in .kspm.yaml); empty = no allow-list, and the registry rule does not apply.
  std::vector<std::string> allowed_registries{};
};

// What a per-resource check reports about one resource.
class Verdict {
 public:
  void NotApplicable() { applicable_ = false; }
  void Fail(Evidence e) { violations_.push_back(std::move(e)); }
  void SetMessage(std::string m) { message_ = std::move(m); }
  bool applicable() const { return applicable_; }
  const std::vector<Evidence>& violations() const { return violations_; }
  std::vector<Evidence>& mutable_violations() { return violations_; }
  const std::string& message() const { return message_; }

 private:
  bool applicable_ = true;
  std::vector<Evidence> violations_;
  std::string message_;
};

using ResourceCheck = std::function<void(const core::Resource&, const RuleContext&, Verdict&)>;
using InventoryCheck = std::function<void(const Rule&, const RuleContext&, std::vector<Finding>&)>;

struct Rule {
  RuleInfo info;
  // Kinds the per-resource check applies to; empty = every kind. The special
  // entry "*workload" means every kind with a pod spec.
  std::vector<std::string> kinds;
  ResourceCheck check;             // per-resource rules
  InventoryCheck inventory_check;  // whole-inventory rules
  // For version-aware rules: the Kubernetes minors the rule exists at (inclusive).
  int min_k8s_minor = 0;
  int max_k8s_minor = 1000;

  bool AppliesToKind(std::string_view kind) const;
};

// Evidence helpers: the nearest existing node along a path, for positions.
Evidence MissingField(const core::Node& nearest, std::string pointer, std::string expected,
                      std::string message);
Evidence BadValue(const core::Node& value, std::string pointer, std::string expected,
                  std::string message);

// Escapes a key for use in a JSON pointer (RFC 6901).
using core::PointerEscape;

}  // namespace kspm::engine

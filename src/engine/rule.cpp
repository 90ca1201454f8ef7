#include "engine/rule.h"

#include <algorithm>
#include <cctype>

namespace kspm::engine {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

bool ParseSeverity(std::string_view text, Severity& out) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  for (Severity s :
       {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (SeverityName(s) == lower) {
      out = s;
      return true;
    }
  }
  return false;
}

int SeverityWeight(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return 10;
    case Severity::kHigh:
      return 6;
    case Severity::kMedium:
      return 3;
    case Severity::kLow:
      return 1;
    case Severity::kInfo:
      return 0;
  }
  return 0;
}

std::string_view EvidenceReasonName(EvidenceReason r) {
  return r == EvidenceReason::kMissing ? "missing" : "value";
}

std::string_view FindingStatusName(FindingStatus s) {
  switch (s) {
    case FindingStatus::kFail:
      return "fail";
    case FindingStatus::kPass:
      return "pass";
    case FindingStatus::kSkipped:
      return "skipped";
  }
  return "skipped";
}

const FindingDetail& Finding::Empty() {
  static const FindingDetail empty;
  return empty;
}

Finding::Finding(const Finding& other)
    : rule(other.rule),
      resource(other.resource),
      status(other.status),
      excepted(other.excepted),
      detail_(other.detail_ ? std::make_unique<FindingDetail>(*other.detail_) : nullptr) {}

Finding& Finding::operator=(const Finding& other) {
  if (this != &other) *this = Finding(other);
  return *this;
}

FindingDetail& Finding::Detail() {
  if (!detail_) detail_ = std::make_unique<FindingDetail>();
  return *detail_;
}

void Finding::SetMessage(std::string message) {
  if (message.empty() && !detail_) return;
  Detail().message = std::move(message);
}

void Finding::AddEvidence(Evidence e) { Detail().evidence.push_back(std::move(e)); }

void Finding::SetEvidence(std::vector<Evidence> evidence) {
  if (evidence.empty() && !detail_) return;
  Detail().evidence = std::move(evidence);
}

void Finding::SetException(std::string reason, std::string source) {
  excepted = true;
  FindingDetail& d = Detail();
  d.exception_reason = std::move(reason);
  d.exception_source = std::move(source);
}

bool Rule::AppliesToKind(std::string_view kind) const {
  if (kinds.empty()) return true;
  for (const std::string& k : kinds) {
    if (k == kind) return true;
    if (k == "*workload" && core::IsWorkloadKind(kind)) return true;
  }
  return false;
}

Evidence MissingField(const core::Node& nearest, std::string pointer, std::string expected,
                      std::string message) {
  Evidence e;
  e.pointer = std::move(pointer);
  e.reason = EvidenceReason::kMissing;
  e.expected = std::move(expected);
  e.position = nearest.position();
  e.message = std::move(message);
  return e;
}

Evidence BadValue(const core::Node& value, std::string pointer, std::string expected,
                  std::string message) {
  Evidence e;
  e.pointer = std::move(pointer);
  e.reason = EvidenceReason::kValue;
  e.actual = value.ToJson();
  if (e.actual.size() > 512) {
    // Keep evidence small; a shortened value is reported as a JSON string.
    std::string shortened = e.actual.substr(0, 500) + "...";
    e.actual.clear();
    core::AppendJsonString(e.actual, shortened);
  }
  e.expected = std::move(expected);
  e.position = value.position();
  e.message = std::move(message);
  return e;
}

}  // namespace kspm::engine

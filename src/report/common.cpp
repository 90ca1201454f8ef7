#include "report/common.h"

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <unordered_set>

namespace kspm::report {

std::string Location::ToString() const {
  if (file.empty()) return "";
  if (!position.known()) return file;
  return file + ":" + std::to_string(position.line);
}

Location EvidenceLocation(const engine::Finding& f, const engine::Evidence& e) {
  Location loc;
  if (f.resource == nullptr) return loc;
  loc.file = f.resource->file();
  loc.position = e.position.known() ? e.position : f.resource->position();
  return loc;
}

Location FindingLocation(const engine::Finding& f) {
  Location loc;
  if (f.resource == nullptr) return loc;
  loc.file = f.resource->file();
  loc.position = f.resource->position();
  for (const engine::Evidence& e : f.evidence()) {
    if (e.position.known()) {
      loc.position = e.position;
      break;
    }
  }
  return loc;
}

std::string ResourceLabel(const engine::Finding& f) {
  return f.resource != nullptr ? f.resource->DisplayName() : "(whole input)";
}

void SortForDisplay(std::vector<const engine::Finding*>& findings) {
  // Keys are worked out once per finding, not per comparison: a large scan
  // sorts hundreds of thousands of findings. Views point into the rules and
  // resources, which outlive the sort.
  struct Keyed {
    int severity;
    std::string_view id;
    std::string_view file;
    uint32_t line;
    uint32_t order;
    const engine::Finding* finding;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(findings.size());
  for (const engine::Finding* f : findings) {
    Keyed k{-static_cast<int>(f->rule->info.severity), f->rule->info.id, {}, 0, 0, f};
    if (f->resource != nullptr) {
      k.file = f->resource->file();
      k.line = f->resource->position().line;
      k.order = f->resource->order;
      for (const engine::Evidence& e : f->evidence()) {
        if (e.position.known()) {
          k.line = e.position.line;
          break;
        }
      }
    }
    keyed.push_back(k);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    return std::tie(a.severity, a.id, a.file, a.line, a.order) <
           std::tie(b.severity, b.id, b.file, b.line, b.order);
  });
  for (size_t i = 0; i < keyed.size(); ++i) findings[i] = keyed[i].finding;
}

std::string EvidenceState(const engine::Evidence& e) {
  if (e.reason == engine::EvidenceReason::kMissing || e.actual.empty()) return "missing";
  return "is " + e.actual;
}

std::string EvidenceText(const engine::Evidence& e) {
  std::string out = e.pointer.empty() ? std::string("(object)") : e.pointer;
  out += ": " + EvidenceState(e);
  if (!e.expected.empty()) out += ", expected " + e.expected;
  if (!e.message.empty()) out += " — " + e.message;
  return out;
}

std::string FindingMessage(const engine::Finding& f) {
  if (!f.message().empty()) return f.message();
  for (const engine::Evidence& e : f.evidence()) {
    if (!e.message.empty()) return e.message;
  }
  return f.rule->info.title;
}

std::string FormatScore(const std::optional<double>& score) {
  if (!score) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *score);
  return buf;
}

std::string_view NamespaceLabel(const std::string& ns) {
  return ns.empty() ? std::string_view("(cluster)") : std::string_view(ns);
}

size_t CountAtOrAbove(const ScanReport& report, engine::Severity threshold) {
  size_t n = 0;
  if (report.findings == nullptr) return n;
  for (const engine::Finding& f : *report.findings) {
    if (f.status == engine::FindingStatus::kFail && !f.excepted &&
        f.rule->info.severity >= threshold) {
      ++n;
    }
  }
  return n;
}

bool FailsThreshold(const ScanReport& report) { return CountAtOrAbove(report, report.fail_on) > 0; }

std::vector<const engine::Rule*> ReportRules(const ScanReport& report) {
  std::vector<const engine::Rule*> rules = report.rules;
  if (report.findings == nullptr) return rules;
  std::unordered_set<const engine::Rule*> seen(rules.begin(), rules.end());
  for (const engine::Finding& f : *report.findings) {
    if (seen.insert(f.rule).second) rules.push_back(f.rule);
  }
  return rules;
}

}  // namespace kspm::report

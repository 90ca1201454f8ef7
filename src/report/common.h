// Helpers shared by the reporters (table, SARIF, JUnit, Markdown): ordering
// of findings, where a finding points, and one-line evidence text, so every
// format says the same thing in the same words. Pure functions; thread-safe.
// Internal to src/report/: the public API is report.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"

namespace kspm::report {

// Where a finding points: the first evidence with a known position, else the
// resource itself. `file` is empty for findings about the whole input.
struct Location {
  std::string file;
  core::Position position;
  // "file:line" (or "file" when the line is unknown; "" without a file).
  std::string ToString() const;
};
Location FindingLocation(const engine::Finding& f);
Location EvidenceLocation(const engine::Finding& f, const engine::Evidence& e);

// "Kind/namespace/name", or "(whole input)" for findings without a resource.
std::string ResourceLabel(const engine::Finding& f);

// The findings of `report` that pass `keep`, most severe first, then by rule
// id, file, line and input order, so every format lists them the same way.
template <typename Pred>
std::vector<const engine::Finding*> SortedFindings(const ScanReport& report, Pred keep);
void SortForDisplay(std::vector<const engine::Finding*>& findings);

// One evidence item in one line: "/spec/x: missing, expected Y" or
// "/spec/x: is true, expected false or unset"; the check's message follows
// after " — " when present.
std::string EvidenceText(const engine::Evidence& e);
// "missing" or "is <actual>" for one evidence item.
std::string EvidenceState(const engine::Evidence& e);

// What is wrong, in one line: the finding's message, else the first evidence's
// message, else the rule title.
std::string FindingMessage(const engine::Finding& f);

// A score with one decimal ("83.3"), or "n/a" when no weighted rule ran.
std::string FormatScore(const std::optional<double>& score);

// Namespace key of Scores::by_namespace as shown to people: "" → "(cluster)".
std::string_view NamespaceLabel(const std::string& ns);

// True when a failing, non-excepted finding is at or above report.fail_on.
bool FailsThreshold(const ScanReport& report);
size_t CountAtOrAbove(const ScanReport& report, engine::Severity threshold);

// Rules the report describes: the rules that ran, then any rule that only
// appears in a finding (so every finding's rule has an entry).
std::vector<const engine::Rule*> ReportRules(const ScanReport& report);

template <typename Pred>
std::vector<const engine::Finding*> SortedFindings(const ScanReport& report, Pred keep) {
  std::vector<const engine::Finding*> out;
  if (report.findings == nullptr) return out;
  for (const engine::Finding& f : *report.findings) {
    if (keep(f)) out.push_back(&f);
  }
  SortForDisplay(out);
  return out;
}

}  // namespace kspm::report

// ScanReport: everything a reporter needs, and the reporters themselves.
//
// Reporters are pure functions ScanReport → text. The JSON format is the
// documented, versioned contract (apiVersion kspm.dev/v1, kind ScanReport,
// see docs/output-formats.md); the others are views of the same data.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "core/decode.h"
#include "core/inventory.h"
#include "engine/exceptions.h"
#include "engine/frameworks.h"
#include "engine/rule.h"
#include "engine/score.h"

namespace kspm::report {

struct ScanReport {
  std::string tool_version;
  std::vector<std::string> inputs;
  int k8s_minor = 37;
  std::vector<std::string> frameworks;     // as selected; empty = all rules
  std::vector<const engine::Rule*> rules;  // the rules that ran
  const std::vector<engine::Finding>* findings = nullptr;
  engine::Scores scores;
  std::vector<core::Diagnostic> diagnostics;  // input errors, warnings, notes
  std::vector<const engine::ExceptionEntry*> expired_exceptions;
  size_t resources = 0;
  size_t files = 0;
  size_t documents = 0;
  engine::Severity fail_on = engine::Severity::kHigh;
  bool include_passed = false;  // list passing findings too
  // Control coverage of the selected frameworks (all of them when none selected).
  std::vector<engine::FrameworkCoverage> coverage;
};

// Counts of failing (non-excepted) findings per severity, and the rest.
struct Summary {
  size_t failed[5] = {0, 0, 0, 0, 0};  // indexed by Severity
  size_t failed_total = 0;
  size_t passed = 0;
  size_t excepted = 0;
  size_t skipped = 0;
  size_t input_errors = 0;
};
Summary Summarize(const ScanReport& report);

std::string RenderJson(const ScanReport& report);
// Streams the JSON report to `out` without holding it in memory; false if a write failed.
bool WriteJson(const ScanReport& report, std::FILE* out);
std::string RenderTable(const ScanReport& report, bool color);
std::string RenderSarif(const ScanReport& report);
std::string RenderJunit(const ScanReport& report);
// The same reports streamed to `out` as they are produced (a large scan's
// report never sits in memory whole); false if a write failed.
bool WriteTable(const ScanReport& report, bool color, std::FILE* out);
bool WriteSarif(const ScanReport& report, std::FILE* out);
bool WriteJunit(const ScanReport& report, std::FILE* out);
std::string RenderMarkdown(const ScanReport& report);

// GitHub rejects pull-request comments longer than this many characters.
inline constexpr size_t kMarkdownCommentLimit = 65536;
// Markdown for a pull-request comment, at most `max_bytes` long: sections are
// cut (with a note saying how many entries were omitted) to fit. The
// one-argument form uses kMarkdownCommentLimit.
std::string RenderMarkdown(const ScanReport& report, size_t max_bytes);

// The findings a report lists: failing and excepted ones, plus passing and
// skipped ones when include_passed is set.
bool Listed(const ScanReport& report, const engine::Finding& f);

}  // namespace kspm::report

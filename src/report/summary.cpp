#include "report/report.h"

namespace kspm::report {

Summary Summarize(const ScanReport& report) {
  Summary s;
  for (const engine::Finding& f : *report.findings) {
    switch (f.status) {
      case engine::FindingStatus::kFail:
        if (f.excepted) {
          ++s.excepted;
        } else {
          ++s.failed[static_cast<int>(f.rule->info.severity)];
          ++s.failed_total;
        }
        break;
      case engine::FindingStatus::kPass:
        ++s.passed;
        break;
      case engine::FindingStatus::kSkipped:
        ++s.skipped;
        break;
    }
  }
  for (const core::Diagnostic& d : report.diagnostics) {
    if (d.level == core::DiagnosticLevel::kError) ++s.input_errors;
  }
  return s;
}

bool Listed(const ScanReport& report, const engine::Finding& f) {
  return f.status == engine::FindingStatus::kFail || report.include_passed;
}

}  // namespace kspm::report

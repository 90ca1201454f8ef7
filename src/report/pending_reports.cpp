// Temporary minimal reporters; replaced by table_report.cpp, sarif_report.cpp,
// junit_report.cpp and markdown_report.cpp.
#include "report/report.h"

namespace kspm::report {

std::string RenderTable(const ScanReport& r, bool) {
  std::string out;
  for (const auto& f : *r.findings) {
    if (!Listed(r, f)) continue;
    out += std::string(engine::SeverityName(f.rule->info.severity)) + " " + f.rule->info.id + " " +
           (f.resource ? f.resource->DisplayName() : "") + "\n";
  }
  return out;
}
std::string RenderSarif(const ScanReport& r) { return RenderJson(r); }
std::string RenderJunit(const ScanReport& r) { return RenderJson(r); }
std::string RenderMarkdown(const ScanReport& r) { return RenderTable(r, false); }

}  // namespace kspm::report

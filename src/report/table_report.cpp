// The human-readable terminal report: failing findings grouped by severity
// (critical first) with their evidence, excepted findings in their own
// section, then the scores and the formula. Lines are wrapped to fit a
// 100-column terminal. Manifest text is attacker-controlled, so control
// characters are neutralised before they reach the terminal.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "report/common.h"
#include "report/output.h"
#include "report/report.h"

namespace kspm::report {
namespace {

constexpr size_t kWidth = 100;

enum class Style { kNone, kBold, kDim, kCritical, kHigh, kMedium, kLow, kInfo, kExcepted, kGood };

std::string_view StyleCode(Style s) {
  switch (s) {
    case Style::kNone:
      return "";
    case Style::kBold:
      return "\x1b[1m";
    case Style::kDim:
      return "\x1b[2m";
    case Style::kCritical:
      return "\x1b[1;31m";
    case Style::kHigh:
      return "\x1b[31m";
    case Style::kMedium:
      return "\x1b[33m";
    case Style::kLow:
      return "\x1b[36m";
    case Style::kInfo:
      return "\x1b[2m";
    case Style::kExcepted:
      return "\x1b[35m";
    case Style::kGood:
      return "\x1b[32m";
  }
  return "";
}

Style SeverityStyle(engine::Severity s) {
  switch (s) {
    case engine::Severity::kCritical:
      return Style::kCritical;
    case engine::Severity::kHigh:
      return Style::kHigh;
    case engine::Severity::kMedium:
      return Style::kMedium;
    case engine::Severity::kLow:
      return Style::kLow;
    case engine::Severity::kInfo:
      return Style::kInfo;
  }
  return Style::kNone;
}

// Replaces C0/C1 control characters and DEL (terminal escape sequences in a
// manifest must not reach the terminal) with a visible "\xNN".
std::string Clean(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) {
      unsigned char shown = c1 ? static_cast<unsigned char>(text[++i]) : c;
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", shown);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Terminal columns of UTF-8 text: one per code point (good enough for the
// Latin text and symbols we print).
size_t Columns(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

class Printer {
 public:
  Printer(bool color, ReportOutput& out) : color_(color), out_(out) {}

  std::string Paint(Style s, std::string_view text) const {
    if (!color_ || s == Style::kNone) return std::string(text);
    return std::string(StyleCode(s)) + std::string(text) + "\x1b[0m";
  }

  void Line(std::string_view text = "") {
    out_ += text;
    out_ += '\n';
  }

  // Writes `label` (padded to `label_width`) and `text` word-wrapped so that
  // continuation lines start under the text. Words longer than a line (JSON
  // pointers, paths) stay whole rather than being cut.
  void Field(size_t indent, std::string_view label, size_t label_width, std::string_view text,
             Style style = Style::kNone) {
    std::string clean = Clean(text);
    std::string prefix(indent, ' ');
    std::string head = prefix + std::string(label);
    if (Columns(label) < label_width) head.append(label_width - Columns(label), ' ');
    size_t start_col = indent + label_width;
    size_t avail = kWidth > start_col + 20 ? kWidth - start_col : 20;
    std::string line;
    bool first = true;
    auto flush = [&] {
      out_ += first ? head : std::string(start_col, ' ');
      out_ += Paint(style, line);
      out_ += '\n';
      line.clear();
      first = false;
    };
    size_t pos = 0;
    while (pos < clean.size()) {
      size_t space = clean.find(' ', pos);
      std::string_view word = std::string_view(clean).substr(
          pos, space == std::string::npos ? std::string::npos : space - pos);
      if (!line.empty() && Columns(line) + 1 + Columns(word) > avail) flush();
      if (!line.empty()) line += ' ';
      line += word;
      if (space == std::string::npos) break;
      pos = space + 1;
    }
    if (!line.empty() || first) flush();
  }

 private:
  bool color_;
  ReportOutput& out_;
};

constexpr size_t kLabel = 10;  // width of "resource  ", "evidence  "...

void FindingHeader(Printer& p, const engine::Finding& f, Style id_style) {
  const engine::RuleInfo& info = f.rule->info;
  std::string head =
      p.Paint(id_style, Clean(info.id)) + " " + p.Paint(Style::kBold, Clean(info.slug));
  // The title wraps on its own line when the header would overflow.
  if (2 + Columns(info.id) + 1 + Columns(info.slug) + 3 + Columns(info.title) <= kWidth) {
    p.Line("  " + head + " · " + Clean(info.title));
  } else {
    p.Line("  " + head);
    p.Field(4, "", 0, info.title);
  }
}

void ResourceAndLocation(Printer& p, const engine::Finding& f) {
  p.Field(4, "resource", kLabel, ResourceLabel(f));
  std::string where = FindingLocation(f).ToString();
  if (!where.empty()) p.Field(4, "location", kLabel, where);
}

void FailingFinding(Printer& p, const engine::Finding& f) {
  FindingHeader(p, f, SeverityStyle(f.rule->info.severity));
  ResourceAndLocation(p, f);
  bool message_shown = false;
  for (size_t i = 0; i < f.evidence().size(); ++i) {
    const engine::Evidence& e = f.evidence()[i];
    std::string_view label = i == 0 ? "evidence" : "";
    p.Field(4, label, kLabel, e.pointer.empty() ? "(object)" : e.pointer);
    std::string state = e.reason == engine::EvidenceReason::kMissing
                            ? "missing (absent, so the default applies)"
                            : EvidenceState(e);
    if (!e.expected.empty()) state += ", expected " + e.expected;
    p.Field(4, "", kLabel, state);
    std::string where = EvidenceLocation(f, e).ToString();
    if (f.evidence().size() > 1 && !where.empty())
      p.Field(4, "", kLabel, "at " + where, Style::kDim);
    if (!e.message.empty()) {
      p.Field(4, "", kLabel, e.message);
      if (e.message == f.message()) message_shown = true;
    }
  }
  if (!f.message().empty() && !message_shown) p.Field(4, "message", kLabel, f.message());
}

void ExceptedFinding(Printer& p, const engine::Finding& f) {
  FindingHeader(p, f, Style::kExcepted);
  ResourceAndLocation(p, f);
  p.Field(4, "EXCEPTED", kLabel, f.exception_reason(), Style::kExcepted);
  if (!f.exception_source().empty()) p.Field(4, "by", kLabel, f.exception_source());
}

void BriefFinding(Printer& p, const engine::Finding& f) {
  std::string line = f.rule->info.id + " " + f.rule->info.slug + "  " + ResourceLabel(f);
  std::string where = FindingLocation(f).ToString();
  if (!where.empty()) line += "  " + where;
  if (f.status == engine::FindingStatus::kSkipped && !f.message().empty())
    line += "  " + f.message();
  p.Field(2, "", 0, line);
}

std::string Pad(std::string_view text, size_t width, bool right) {
  std::string t = Clean(text);
  size_t cols = Columns(t);
  if (cols >= width) return t;
  std::string pad(width - cols, ' ');
  return right ? pad + t : t + pad;
}

void ScoreTable(Printer& p, std::string_view heading,
                const std::map<std::string, engine::ScoreValue>& scores, bool namespaces) {
  if (scores.empty()) return;
  size_t name_width = 16;
  for (const auto& [name, v] : scores) {
    size_t w = Columns(namespaces ? NamespaceLabel(name) : std::string_view(name));
    if (w + 1 > name_width) name_width = std::min<size_t>(w + 1, 48);
  }
  p.Line("  " + p.Paint(Style::kBold, Pad(heading, name_width, false) + Pad("score", 7, true) +
                                          Pad("rules", 7, true) + Pad("passed", 8, true) +
                                          Pad("failed", 8, true) + Pad("excepted", 10, true)));
  for (const auto& [name, v] : scores) {
    std::string label(namespaces ? NamespaceLabel(name) : std::string_view(name));
    p.Line("  " + Pad(label, name_width, false) + Pad(FormatScore(v.score), 7, true) +
           Pad(std::to_string(v.rules_evaluated), 7, true) +
           Pad(std::to_string(v.passed), 8, true) + Pad(std::to_string(v.failed), 8, true) +
           Pad(std::to_string(v.excepted), 10, true));
  }
  p.Line();
}

Style ScoreStyle(const std::optional<double>& score) {
  if (!score) return Style::kNone;
  if (*score >= 90) return Style::kGood;
  if (*score >= 70) return Style::kMedium;
  return Style::kHigh;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

namespace {

void TableTo(const ScanReport& r, bool color, ReportOutput& out) {
  Printer p(color, out);
  Summary s = Summarize(r);

  p.Line(p.Paint(Style::kBold, "kspm " + Clean(r.tool_version)) + " · scanned " +
         Plural(r.files, "file", "files") + ", " + Plural(r.documents, "document", "documents") +
         ", " + Plural(r.resources, "resource", "resources") + " with " +
         Plural(r.rules.size(), "rule", "rules") + " (Kubernetes 1." + std::to_string(r.k8s_minor) +
         ")");
  p.Line();

  // Failing findings, one section per severity, most severe first.
  auto failing = SortedFindings(r, [](const engine::Finding& f) {
    return f.status == engine::FindingStatus::kFail && !f.excepted;
  });
  size_t i = 0;
  for (int sev = 4; sev >= 0; --sev) {
    auto severity = static_cast<engine::Severity>(sev);
    size_t n = s.failed[sev];
    if (n == 0) continue;
    std::string name(engine::SeverityName(severity));
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    p.Line(p.Paint(SeverityStyle(severity), name) + " · " +
           Plural(n, "failing finding", "failing findings"));
    size_t end = i;
    while (end < failing.size() && failing[end]->rule->info.severity == severity) ++end;
    WriteItems(out, end - i, [&, first = i](size_t k, ReportOutput& part) {
      Printer printer(color, part);
      FailingFinding(printer, *failing[first + k]);
    });
    i = end;
    p.Line();
  }
  if (failing.empty()) {
    p.Line(p.Paint(Style::kGood, "No failing findings."));
    p.Line();
  }

  auto excepted = SortedFindings(r, [](const engine::Finding& f) {
    return f.status == engine::FindingStatus::kFail && f.excepted;
  });
  if (!excepted.empty()) {
    p.Line(p.Paint(Style::kExcepted, "EXCEPTED") + " · " +
           Plural(excepted.size(), "finding accepted as a risk", "findings accepted as risks"));
    WriteItems(out, excepted.size(), [&](size_t k, ReportOutput& part) {
      Printer printer(color, part);
      ExceptedFinding(printer, *excepted[k]);
    });
    p.Line();
  }

  if (r.include_passed) {
    auto passed = SortedFindings(
        r, [](const engine::Finding& f) { return f.status == engine::FindingStatus::kPass; });
    if (!passed.empty()) {
      p.Line(p.Paint(Style::kGood, "PASSED") + " · " + std::to_string(passed.size()));
      WriteItems(out, passed.size(), [&](size_t k, ReportOutput& part) {
        Printer printer(color, part);
        BriefFinding(printer, *passed[k]);
      });
      p.Line();
    }
    auto skipped = SortedFindings(
        r, [](const engine::Finding& f) { return f.status == engine::FindingStatus::kSkipped; });
    if (!skipped.empty()) {
      p.Line(p.Paint(Style::kDim, "SKIPPED") + " · " + std::to_string(skipped.size()));
      WriteItems(out, skipped.size(), [&](size_t k, ReportOutput& part) {
        Printer printer(color, part);
        BriefFinding(printer, *skipped[k]);
      });
      p.Line();
    }
  }

  if (s.input_errors > 0) {
    p.Line(p.Paint(Style::kHigh, "INPUT ERRORS") + " · " + std::to_string(s.input_errors) +
           " (the rest of the input was still scanned)");
    for (const core::Diagnostic& d : r.diagnostics) {
      if (d.level != core::DiagnosticLevel::kError) continue;
      core::Diagnostic where = d;
      where.message.clear();
      std::string head = where.ToString();
      if (!head.empty() && head.back() == ' ') head.pop_back();
      if (!head.empty() && head.back() == ':') head.pop_back();
      p.Field(2, "", 0, head);
      p.Field(4, "", 0, d.message);
    }
    p.Line();
  }

  if (!r.expired_exceptions.empty()) {
    p.Line(p.Paint(Style::kMedium, "EXPIRED EXCEPTIONS") + " · " +
           std::to_string(r.expired_exceptions.size()) + " (no longer applied)");
    for (const engine::ExceptionEntry* e : r.expired_exceptions) {
      std::string rules;
      for (const std::string& id : e->rules) rules += (rules.empty() ? "" : ",") + id;
      std::string line = e->file + ":" + std::to_string(e->position.line) + "  " + rules +
                         "  expired " + e->expires;
      if (!e->owner.empty()) line += " (owner " + e->owner + ")";
      if (!e->reason.empty()) line += "  " + e->reason;
      p.Field(2, "", 0, line);
    }
    p.Line();
  }

  p.Line(p.Paint(Style::kBold, "SUMMARY"));
  p.Line("  Score       " +
         p.Paint(ScoreStyle(r.scores.overall.score), FormatScore(r.scores.overall.score)) +
         (r.scores.overall.score ? " / 100" : " (no weighted rule evaluated a resource)"));
  std::string by_sev;
  for (int sev = 4; sev >= 0; --sev) {
    auto severity = static_cast<engine::Severity>(sev);
    std::string part =
        std::to_string(s.failed[sev]) + " " + std::string(engine::SeverityName(severity));
    if (s.failed[sev] > 0) part = p.Paint(SeverityStyle(severity), part);
    by_sev += (by_sev.empty() ? "" : " · ") + part;
  }
  p.Line("  Failing     " + by_sev);
  p.Line("  Passed " + std::to_string(s.passed) + " · Excepted " + std::to_string(s.excepted) +
         " · Skipped " + std::to_string(s.skipped) + " · Input errors " +
         std::to_string(s.input_errors));
  p.Line();
  ScoreTable(p, "framework", r.scores.by_framework, false);
  ScoreTable(p, "namespace", r.scores.by_namespace, true);
  p.Field(2, "Score formula:", 15, engine::kScoreFormula, Style::kDim);
  p.Line();
  if (!r.coverage.empty()) {
    p.Line("  Coverage");
    for (const engine::FrameworkCoverage& c : r.coverage) p.Field(4, "", 0, c.Line(), Style::kDim);
    p.Line();
  }

  size_t over = CountAtOrAbove(r, r.fail_on);
  std::string threshold = "--fail-on " + std::string(engine::SeverityName(r.fail_on));
  if (s.input_errors > 0) {
    p.Line(p.Paint(Style::kHigh, "Result: INPUT ERROR") + " — " +
           Plural(s.input_errors, "input could not be read", "inputs could not be read"));
  } else if (over > 0) {
    p.Line(p.Paint(Style::kCritical, "Result: FAIL") + " — " +
           Plural(over, "failing finding", "failing findings") + " at or above " +
           std::string(engine::SeverityName(r.fail_on)) + " (" + threshold + ")");
  } else {
    p.Line(p.Paint(Style::kGood, "Result: PASS") + " — no failing finding at or above " +
           std::string(engine::SeverityName(r.fail_on)) + " (" + threshold + ")");
  }
}

}  // namespace

std::string RenderTable(const ScanReport& r, bool color) {
  return RenderToString([&](ReportOutput& out) { TableTo(r, color, out); });
}

bool WriteTable(const ScanReport& r, bool color, std::FILE* file) {
  return WriteToFile(file, [&](ReportOutput& out) { TableTo(r, color, out); });
}

}  // namespace kspm::report

// JUnit XML, as CI systems (Jenkins, GitLab, GitHub test reporters) read it:
// one <testsuite> per rule that ran, one <testcase> per finding (a rule's
// verdict on one resource). Failing findings carry <failure type=severity>
// with the evidence; excepted ones are <skipped> with the reason. Passing
// testcases are listed only with include_passed; without it a suite lists its
// failures and exceptions, and the properties `evaluated` and `passed` keep
// the full counts. Unreadable input is one <error> per file in a suite of its
// own. See docs/output-formats.md.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "report/common.h"
#include "report/output.h"
#include "report/report.h"

namespace kspm::report {
namespace {

// Appends `text` escaped for XML 1.0: markup characters as entities (and, in
// attributes, whitespace as character references so parsers keep it), and
// characters XML cannot carry at all (C0 controls, U+FFFE, U+FFFF) as U+FFFD.
void Escape(ReportOutput& out, std::string_view text, bool attribute) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += attribute ? "&quot;" : "\"";
        continue;
      case '\'':
        out += attribute ? "&apos;" : "'";
        continue;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        continue;
      case '\r':
        out += "&#13;";
        continue;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        continue;
      default:
        break;
    }
    if (u < 0x20) {
      out += "\xEF\xBF\xBD";
    } else if (u == 0xEF && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(text[i + 2]) == 0xBE ||
                static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out.Put(c);
    }
  }
}

class Xml {
 public:
  explicit Xml(ReportOutput& out) : out_(out) {
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  }
  // A fragment that continues a document at nesting `depth`.
  Xml(ReportOutput& out, int depth) : out_(out), depth_(depth) {}
  int depth() const { return depth_; }
  void Open(std::string_view tag,
            std::initializer_list<std::pair<std::string_view, std::string>> attrs,
            bool empty = false) {
    Indent();
    out_ += '<';
    out_ += tag;
    for (const auto& [name, value] : attrs) {
      out_ += ' ';
      out_ += name;
      out_ += "=\"";
      Escape(out_, value, true);
      out_ += '"';
    }
    out_ += empty ? "/>\n" : ">\n";
    if (!empty) ++depth_;
  }
  // An element with text content on the lines that follow its start tag.
  void TextElement(std::string_view tag,
                   std::initializer_list<std::pair<std::string_view, std::string>> attrs,
                   std::string_view text) {
    Indent();
    out_ += '<';
    out_ += tag;
    for (const auto& [name, value] : attrs) {
      out_ += ' ';
      out_ += name;
      out_ += "=\"";
      Escape(out_, value, true);
      out_ += '"';
    }
    out_ += '>';
    Escape(out_, text, false);
    out_ += "</";
    out_ += tag;
    out_ += ">\n";
  }
  void Close(std::string_view tag) {
    --depth_;
    Indent();
    out_ += "</";
    out_ += tag;
    out_ += ">\n";
  }

 private:
  void Indent() { out_.Append(2 * depth_, ' '); }
  ReportOutput& out_;
  int depth_ = 0;
};

struct Suite {
  const engine::Rule* rule = nullptr;
  std::vector<const engine::Finding*> cases;  // listed testcases
  size_t evaluated = 0;                       // every non-skipped finding
  size_t passed = 0;
  size_t failures = 0;
  size_t skipped = 0;  // listed <skipped>: excepted, and skipped findings when listed
};

std::string ClassName(const engine::Finding& f) {
  if (f.resource == nullptr) return "(whole input)";
  std::string out = f.resource->kind;
  std::string_view ns = f.resource->effective_namespace();
  if (!ns.empty()) out += "/" + std::string(ns);
  return out;
}

std::string FailureText(const engine::Finding& f) {
  const engine::RuleInfo& info = f.rule->info;
  std::string text = info.id + " " + info.slug + ": " + info.title + "\n";
  text += "severity: " + std::string(engine::SeverityName(info.severity)) + "\n";
  text += "resource: " + ResourceLabel(f) + "\n";
  std::string where = FindingLocation(f).ToString();
  if (!where.empty()) text += "location: " + where + "\n";
  if (!f.message().empty()) text += "message: " + f.message() + "\n";
  if (!f.evidence().empty()) {
    text += "evidence:\n";
    for (const engine::Evidence& e : f.evidence()) {
      text += "  " + EvidenceText(e);
      std::string at = EvidenceLocation(f, e).ToString();
      if (!at.empty()) text += " (" + at + ")";
      text += "\n";
    }
  }
  if (!info.remediation.empty()) text += "remediation: " + info.remediation + "\n";
  return text;
}

void TestCase(Xml& x, const engine::Finding& f) {
  std::string name = f.resource != nullptr ? f.resource->name : f.rule->info.id;
  Location loc = FindingLocation(f);
  bool has_body = f.status != engine::FindingStatus::kPass;
  if (loc.file.empty()) {
    x.Open("testcase", {{"classname", ClassName(f)}, {"name", name}}, !has_body);
  } else if (loc.position.known()) {
    x.Open("testcase",
           {{"classname", ClassName(f)},
            {"name", name},
            {"file", loc.file},
            {"line", std::to_string(loc.position.line)}},
           !has_body);
  } else {
    x.Open("testcase", {{"classname", ClassName(f)}, {"name", name}, {"file", loc.file}},
           !has_body);
  }
  if (!has_body) return;
  if (f.status == engine::FindingStatus::kFail && f.excepted) {
    std::string why = "excepted: " + f.exception_reason();
    if (!f.exception_source().empty()) why += " (" + f.exception_source() + ")";
    x.Open("skipped", {{"message", why}}, true);
  } else if (f.status == engine::FindingStatus::kFail) {
    x.TextElement("failure",
                  {{"message", FindingMessage(f)},
                   {"type", std::string(engine::SeverityName(f.rule->info.severity))}},
                  FailureText(f));
  } else {
    x.Open("skipped", {{"message", f.message().empty() ? "not evaluated" : f.message()}}, true);
  }
  x.Close("testcase");
}

}  // namespace

namespace {

void JunitTo(const ScanReport& r, ReportOutput& out) {
  std::vector<const engine::Rule*> rules = ReportRules(r);
  std::vector<Suite> suites(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) suites[i].rule = rules[i];
  auto listed = SortedFindings(r, [&](const engine::Finding& f) { return Listed(r, f); });
  std::unordered_map<const engine::Rule*, size_t> index;
  for (size_t i = 0; i < rules.size(); ++i) index.emplace(rules[i], i);
  // ReportRules lists every finding's rule, so the lookup always succeeds.
  auto suite_of = [&](const engine::Rule* rule) -> Suite& { return suites[index.at(rule)]; };
  if (r.findings != nullptr) {
    for (const engine::Finding& f : *r.findings) {
      Suite& s = suite_of(f.rule);
      if (f.status != engine::FindingStatus::kSkipped) ++s.evaluated;
      if (f.status == engine::FindingStatus::kPass) ++s.passed;
    }
  }
  for (const engine::Finding* f : listed) {
    Suite& s = suite_of(f->rule);
    s.cases.push_back(f);
    if (f->status == engine::FindingStatus::kFail && !f->excepted) {
      ++s.failures;
    } else if (f->status != engine::FindingStatus::kPass) {
      ++s.skipped;
    }
  }
  // Suites in catalog order of severity, like the other reports.
  std::stable_sort(suites.begin(), suites.end(), [](const Suite& a, const Suite& b) {
    if (a.rule->info.severity != b.rule->info.severity) {
      return a.rule->info.severity > b.rule->info.severity;
    }
    return a.rule->info.id < b.rule->info.id;
  });

  std::vector<const core::Diagnostic*> errors;
  for (const core::Diagnostic& d : r.diagnostics) {
    if (d.level == core::DiagnosticLevel::kError) errors.push_back(&d);
  }

  size_t tests = errors.size();
  size_t failures = 0;
  size_t skipped = 0;
  for (const Suite& s : suites) {
    tests += s.cases.size();
    failures += s.failures;
    skipped += s.skipped;
  }

  Xml x(out);
  x.Open("testsuites", {{"name", "kspm"},
                        {"tests", std::to_string(tests)},
                        {"failures", std::to_string(failures)},
                        {"errors", std::to_string(errors.size())},
                        {"skipped", std::to_string(skipped)}});
  for (const Suite& s : suites) {
    const engine::RuleInfo& info = s.rule->info;
    x.Open("testsuite", {{"name", info.id + " " + info.slug},
                         {"tests", std::to_string(s.cases.size())},
                         {"failures", std::to_string(s.failures)},
                         {"errors", "0"},
                         {"skipped", std::to_string(s.skipped)}});
    x.Open("properties", {});
    x.Open("property", {{"name", "title"}, {"value", info.title}}, true);
    x.Open("property",
           {{"name", "severity"}, {"value", std::string(engine::SeverityName(info.severity))}},
           true);
    std::string controls;
    for (const std::string& c : info.controls) controls += (controls.empty() ? "" : ",") + c;
    x.Open("property", {{"name", "controls"}, {"value", controls}}, true);
    x.Open("property", {{"name", "evaluated"}, {"value", std::to_string(s.evaluated)}}, true);
    x.Open("property", {{"name", "passed"}, {"value", std::to_string(s.passed)}}, true);
    x.Close("properties");
    WriteItems(out, s.cases.size(), [&](size_t k, ReportOutput& part) {
      Xml fragment(part, x.depth());
      TestCase(fragment, *s.cases[k]);
    });
    x.Close("testsuite");
  }
  if (!errors.empty()) {
    x.Open("testsuite", {{"name", "input"},
                         {"tests", std::to_string(errors.size())},
                         {"failures", "0"},
                         {"errors", std::to_string(errors.size())},
                         {"skipped", "0"}});
    for (const core::Diagnostic* d : errors) {
      x.Open("testcase", {{"classname", "input"}, {"name", d->file}, {"file", d->file}});
      x.TextElement("error", {{"message", d->message}, {"type", "input-error"}}, d->ToString());
      x.Close("testcase");
    }
    x.Close("testsuite");
  }
  x.Close("testsuites");
}

}  // namespace

std::string RenderJunit(const ScanReport& r) {
  return RenderToString([&](ReportOutput& out) { JunitTo(r, out); });
}

bool WriteJunit(const ScanReport& r, std::FILE* file) {
  return WriteToFile(file, [&](ReportOutput& out) { JunitTo(r, out); });
}

}  // namespace kspm::report

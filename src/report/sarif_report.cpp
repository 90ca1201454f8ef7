// SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read
// it: one run; the rules that ran as reportingDescriptors (with GitHub's
// `security-severity`); one result per failing finding, excepted ones carrying
// a suppression; input errors as tool execution notifications. Validated
// against the published 2.1.0 JSON schema by tests/integration/sarif_schema_test.sh.
#include <rapidjson/prettywriter.h>

#include <cstdio>
#include <unordered_map>

#include "report/common.h"
#include "report/output.h"
#include "report/report.h"

namespace kspm::report {
namespace {

using Writer = rapidjson::PrettyWriter<ReportOutput>;

constexpr std::string_view kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// The project's home, the domain of its apiVersion and annotations.
constexpr std::string_view kInformationUri = "https://kspm.dev";

void Str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}

void Message(Writer& w, std::string_view text) {
  Key(w, "message");
  w.StartObject();
  Key(w, "text");
  Str(w, text);
  w.EndObject();
}

// A file path as a URI reference (RFC 3986): relative paths stay relative so
// viewers resolve them against the repository root; absolute paths become
// file:// URIs. Everything but unreserved characters and '/' is escaped.
std::string PathToUri(std::string_view path) {
  std::string out;
  if (!path.empty() && path[0] == '/') out = "file://";
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void PhysicalLocation(Writer& w, const std::string& file, core::Position pos) {
  Key(w, "physicalLocation");
  w.StartObject();
  Key(w, "artifactLocation");
  w.StartObject();
  Key(w, "uri");
  Str(w, PathToUri(file));
  w.EndObject();
  if (pos.known()) {
    Key(w, "region");
    w.StartObject();
    Key(w, "startLine");
    w.Uint(pos.line);
    if (pos.column > 0) {
      Key(w, "startColumn");
      w.Uint(pos.column);
    }
    w.EndObject();
  }
  w.EndObject();
}

std::string_view Level(engine::Severity s) {
  switch (s) {
    case engine::Severity::kCritical:
    case engine::Severity::kHigh:
      return "error";
    case engine::Severity::kMedium:
      return "warning";
    case engine::Severity::kLow:
    case engine::Severity::kInfo:
      return "note";
  }
  return "note";
}

// GitHub code scanning maps these to its critical/high/medium/low bands
// (> 9.0, 7.0–8.9, 4.0–6.9, 0.1–3.9). CodeQL writes them as strings.
std::string_view SecuritySeverity(engine::Severity s) {
  switch (s) {
    case engine::Severity::kCritical:
      return "9.5";
    case engine::Severity::kHigh:
      return "8.0";
    case engine::Severity::kMedium:
      return "5.5";
    case engine::Severity::kLow:
      return "3.0";
    case engine::Severity::kInfo:
      return "0.0";
  }
  return "0.0";
}

void RuleDescriptor(Writer& w, const engine::Rule& rule) {
  const engine::RuleInfo& info = rule.info;
  w.StartObject();
  Key(w, "id");
  Str(w, info.id);
  Key(w, "name");
  Str(w, info.slug);
  Key(w, "shortDescription");
  w.StartObject();
  Key(w, "text");
  Str(w, info.title);
  w.EndObject();
  Key(w, "fullDescription");
  w.StartObject();
  Key(w, "text");
  Str(w, info.description.empty() ? info.title : info.description);
  w.EndObject();
  std::string help = info.remediation.empty() ? "Run `kspm rules show " + info.id + "` for details."
                                              : info.remediation;
  Key(w, "help");
  w.StartObject();
  Key(w, "text");
  Str(w, help);
  Key(w, "markdown");
  Str(w, "**Remediation:** " + help);
  w.EndObject();
  for (const std::string& ref : info.references) {
    if (ref.rfind("https://", 0) == 0 || ref.rfind("http://", 0) == 0) {
      Key(w, "helpUri");
      Str(w, ref);
      break;
    }
  }
  Key(w, "defaultConfiguration");
  w.StartObject();
  Key(w, "level");
  Str(w, Level(info.severity));
  w.EndObject();
  Key(w, "properties");
  w.StartObject();
  Key(w, "security-severity");
  Str(w, SecuritySeverity(info.severity));
  Key(w, "severity");
  Str(w, engine::SeverityName(info.severity));
  if (!info.category.empty()) {
    Key(w, "category");
    Str(w, info.category);
  }
  Key(w, "tags");
  w.StartArray();
  Str(w, "security");
  Str(w, "kubernetes");
  for (const std::string& c : info.controls) Str(w, c);
  w.EndArray();
  w.EndObject();
  w.EndObject();
}

// First line: what is wrong and where (viewers show it as the title); then
// one line per evidence item, without repeating the first line's message.
std::string ResultText(const engine::Finding& f) {
  std::string headline = FindingMessage(f);
  std::string text = f.rule->info.title + ": " + headline;
  if (f.resource != nullptr) text += " (" + f.resource->DisplayName() + ")";
  for (const engine::Evidence& e : f.evidence()) {
    if (e.message == headline) {
      engine::Evidence quiet = e;
      quiet.message.clear();
      text += "\n- " + EvidenceText(quiet);
    } else {
      text += "\n- " + EvidenceText(e);
    }
  }
  return text;
}

void Result(Writer& w, const engine::Finding& f, size_t rule_index) {
  w.StartObject();
  Key(w, "ruleId");
  Str(w, f.rule->info.id);
  Key(w, "ruleIndex");
  w.Uint64(rule_index);
  Key(w, "level");
  Str(w, Level(f.rule->info.severity));
  Message(w, ResultText(f));
  Key(w, "locations");
  w.StartArray();
  if (f.resource != nullptr) {
    const core::Resource& r = *f.resource;
    Location loc = FindingLocation(f);
    w.StartObject();
    PhysicalLocation(w, loc.file, loc.position);
    Key(w, "logicalLocations");
    w.StartArray();
    w.StartObject();
    Key(w, "name");
    Str(w, r.name);
    Key(w, "fullyQualifiedName");
    Str(w, r.DisplayName());
    Key(w, "kind");
    Str(w, "resource");
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  // Further evidence of the same finding: where else the fix must be made.
  if (f.resource != nullptr && f.evidence().size() > 1) {
    Key(w, "relatedLocations");
    w.StartArray();
    for (size_t i = 0; i < f.evidence().size(); ++i) {
      Location loc = EvidenceLocation(f, f.evidence()[i]);
      w.StartObject();
      Key(w, "id");
      w.Uint64(i);
      PhysicalLocation(w, loc.file, loc.position);
      Message(w, EvidenceText(f.evidence()[i]));
      w.EndObject();
    }
    w.EndArray();
  }
  // Stable across runs and line moves, so code scanning tracks a finding.
  Key(w, "partialFingerprints");
  w.StartObject();
  Key(w, "kspmFinding/v1");
  std::string print = f.rule->info.id + "|" + ResourceLabel(f);
  if (!f.evidence().empty()) print += "|" + f.evidence().front().pointer;
  Str(w, print);
  w.EndObject();
  if (f.excepted) {
    Key(w, "suppressions");
    w.StartArray();
    w.StartObject();
    Key(w, "kind");
    // An annotation lives in the manifest itself; .kspm.yaml is outside it.
    Str(w, f.exception_source().rfind("annotation", 0) == 0 ? "inSource" : "external");
    Key(w, "status");
    Str(w, "accepted");
    Key(w, "justification");
    Str(w, f.exception_reason());
    if (!f.exception_source().empty()) {
      Key(w, "properties");
      w.StartObject();
      Key(w, "source");
      Str(w, f.exception_source());
      w.EndObject();
    }
    w.EndObject();
    w.EndArray();
  }
  Key(w, "properties");
  w.StartObject();
  Key(w, "severity");
  Str(w, engine::SeverityName(f.rule->info.severity));
  w.EndObject();
  w.EndObject();
}

std::string_view NotificationLevel(core::DiagnosticLevel l) {
  switch (l) {
    case core::DiagnosticLevel::kError:
      return "error";
    case core::DiagnosticLevel::kWarning:
      return "warning";
    case core::DiagnosticLevel::kNote:
      return "note";
  }
  return "note";
}

void Notification(Writer& w, std::string_view level, std::string_view text, const std::string& file,
                  core::Position pos) {
  w.StartObject();
  Key(w, "level");
  Str(w, level);
  Message(w, text);
  if (!file.empty()) {
    Key(w, "locations");
    w.StartArray();
    w.StartObject();
    PhysicalLocation(w, file, pos);
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
}

void ScoreNumber(Writer& w, const std::optional<double>& score) {
  if (score) {
    w.Double(*score);
  } else {
    w.Null();
  }
}

}  // namespace

namespace {

void SarifTo(const ScanReport& r, ReportOutput& out) {
  std::vector<const engine::Rule*> rules = ReportRules(r);
  std::unordered_map<const engine::Rule*, size_t> rule_index;
  for (size_t i = 0; i < rules.size(); ++i) rule_index.emplace(rules[i], i);
  Summary s = Summarize(r);

  Writer w(out);
  w.SetIndent(' ', 2);
  w.StartObject();
  Key(w, "$schema");
  Str(w, kSchemaUri);
  Key(w, "version");
  Str(w, "2.1.0");
  Key(w, "runs");
  w.StartArray();
  w.StartObject();

  Key(w, "tool");
  w.StartObject();
  Key(w, "driver");
  w.StartObject();
  Key(w, "name");
  Str(w, "kspm");
  Key(w, "version");
  Str(w, r.tool_version);
  Key(w, "informationUri");
  Str(w, kInformationUri);
  Key(w, "rules");
  w.StartArray();
  for (const engine::Rule* rule : rules) RuleDescriptor(w, *rule);
  w.EndArray();
  w.EndObject();
  w.EndObject();

  Key(w, "invocations");
  w.StartArray();
  w.StartObject();
  // Unreadable input means part of what was asked was not scanned.
  Key(w, "executionSuccessful");
  w.Bool(s.input_errors == 0);
  Key(w, "toolExecutionNotifications");
  w.StartArray();
  for (const core::Diagnostic& d : r.diagnostics) {
    Notification(w, NotificationLevel(d.level), d.message, d.file, d.position);
  }
  w.EndArray();
  if (!r.expired_exceptions.empty()) {
    Key(w, "toolConfigurationNotifications");
    w.StartArray();
    for (const engine::ExceptionEntry* e : r.expired_exceptions) {
      std::string ids;
      for (const std::string& id : e->rules) ids += (ids.empty() ? "" : ",") + id;
      Notification(w, "warning",
                   "exception for " + ids + " expired on " + e->expires + " and no longer applies",
                   e->file, e->position);
    }
    w.EndArray();
  }
  w.EndObject();
  w.EndArray();

  // Our columns count Unicode characters, not UTF-16 units.
  Key(w, "columnKind");
  Str(w, "unicodeCodePoints");

  Key(w, "results");
  w.StartArray();
  auto failing = SortedFindings(
      r, [](const engine::Finding& f) { return f.status == engine::FindingStatus::kFail; });
  auto open = [](Writer& pw) {
    pw.StartObject();
    Key(pw, "runs");
    pw.StartArray();
    pw.StartObject();
    Key(pw, "results");
    pw.StartArray();
  };
  WriteJsonItems(w, out, failing.size(), open, [&](size_t i, Writer& writer) {
    Result(writer, *failing[i], rule_index.at(failing[i]->rule));
  });
  w.EndArray();

  Key(w, "properties");
  w.StartObject();
  Key(w, "score");
  ScoreNumber(w, r.scores.overall.score);
  Key(w, "scoreFormula");
  Str(w, engine::kScoreFormula);
  Key(w, "scoreByFramework");
  w.StartObject();
  for (const auto& [fw, v] : r.scores.by_framework) {
    Key(w, fw);
    ScoreNumber(w, v.score);
  }
  w.EndObject();
  Key(w, "scoreByNamespace");
  w.StartObject();
  for (const auto& [ns, v] : r.scores.by_namespace) {
    Key(w, NamespaceLabel(ns));
    ScoreNumber(w, v.score);
  }
  w.EndObject();
  Key(w, "failOn");
  Str(w, engine::SeverityName(r.fail_on));
  Key(w, "passed");
  w.Uint64(s.passed);
  Key(w, "failed");
  w.Uint64(s.failed_total);
  Key(w, "excepted");
  w.Uint64(s.excepted);
  Key(w, "inputErrors");
  w.Uint64(s.input_errors);
  w.EndObject();

  w.EndObject();
  w.EndArray();
  w.EndObject();
  out += '\n';
}

}  // namespace

std::string RenderSarif(const ScanReport& r) {
  return RenderToString([&](ReportOutput& out) { SarifTo(r, out); });
}

bool WriteSarif(const ScanReport& r, std::FILE* file) {
  return WriteToFile(file, [&](ReportOutput& out) { SarifTo(r, out); });
}

}  // namespace kspm::report

#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine/registry.h"
#include "report/output.h"
#include "report/report.h"

namespace kspm::report {
namespace {

using Writer = rapidjson::PrettyWriter<ReportOutput>;

// A generous estimate of the report's size: the fixed text of a finding plus
// its variable strings, escaped and indented. Reserving more than is written
// costs no memory (untouched pages are never resident); reserving too little
// only means the string grows.
size_t EstimateSize(const ScanReport& r) {
  size_t size = 64 * 1024;
  for (const engine::Finding& f : *r.findings) {
    if (!Listed(r, f)) continue;
    const engine::RuleInfo& info = f.rule->info;
    size += 1024 + info.id.size() + info.slug.size() + info.title.size() + info.remediation.size() +
            f.message().size() + f.exception_reason().size() + 32 * info.controls.size();
    size_t file = 0;
    if (f.resource != nullptr) {
      file = f.resource->file().size();
      size += 256 + f.resource->api_version.size() + f.resource->kind.size() +
              f.resource->namespace_.size() + f.resource->name.size() + file;
    }
    for (const engine::Evidence& e : f.evidence()) {
      size +=
          320 + file + e.pointer.size() + e.actual.size() + e.expected.size() + e.message.size();
    }
  }
  size += 512 * r.diagnostics.size();
  return size + size / 8;
}

void Str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}

void Source(Writer& w, const std::string& file, core::Position p) {
  Key(w, "source");
  w.StartObject();
  Key(w, "file");
  Str(w, file);
  if (p.known()) {
    Key(w, "line");
    w.Uint(p.line);
    Key(w, "column");
    w.Uint(p.column);
  }
  w.EndObject();
}

void ScoreObject(Writer& w, const engine::ScoreValue& v) {
  w.StartObject();
  Key(w, "score");
  if (v.score) {
    w.Double(*v.score);
  } else {
    w.Null();
  }
  Key(w, "rulesEvaluated");
  w.Uint64(v.rules_evaluated);
  Key(w, "passed");
  w.Uint64(v.passed);
  Key(w, "failed");
  w.Uint64(v.failed);
  Key(w, "excepted");
  w.Uint64(v.excepted);
  w.EndObject();
}

void Diagnostics(Writer& w, const ScanReport& r, core::DiagnosticLevel level,
                 std::string_view key) {
  Key(w, key);
  w.StartArray();
  for (const core::Diagnostic& d : r.diagnostics) {
    if (d.level != level) continue;
    w.StartObject();
    Key(w, "file");
    Str(w, d.file);
    if (d.position.known()) {
      Key(w, "line");
      w.Uint(d.position.line);
      Key(w, "column");
      w.Uint(d.position.column);
    }
    Key(w, "message");
    Str(w, d.message);
    w.EndObject();
  }
  w.EndArray();
}

void FindingObject(Writer& w, const engine::Finding& f) {
  const engine::RuleInfo& info = f.rule->info;
  w.StartObject();
  Key(w, "ruleId");
  Str(w, info.id);
  Key(w, "slug");
  Str(w, info.slug);
  Key(w, "title");
  Str(w, info.title);
  Key(w, "status");
  Str(w, engine::FindingStatusName(f.status));
  Key(w, "severity");
  Str(w, engine::SeverityName(info.severity));
  Key(w, "excepted");
  w.Bool(f.excepted);
  if (f.excepted) {
    Key(w, "exception");
    w.StartObject();
    Key(w, "reason");
    Str(w, f.exception_reason());
    Key(w, "source");
    Str(w, f.exception_source());
    w.EndObject();
  }
  if (!f.message().empty()) {
    Key(w, "message");
    Str(w, f.message());
  }
  if (f.resource != nullptr) {
    const core::Resource& r = *f.resource;
    Key(w, "resource");
    w.StartObject();
    Key(w, "apiVersion");
    Str(w, r.api_version);
    Key(w, "kind");
    Str(w, r.kind);
    Key(w, "namespace");
    Str(w, r.effective_namespace());
    Key(w, "name");
    Str(w, r.name);
    Source(w, r.file(), r.position());
    w.EndObject();
  }
  Key(w, "evidence");
  w.StartArray();
  for (const engine::Evidence& e : f.evidence()) {
    w.StartObject();
    Key(w, "pointer");
    Str(w, e.pointer);
    Key(w, "reason");
    Str(w, engine::EvidenceReasonName(e.reason));
    Key(w, "actual");
    if (e.actual.empty()) {
      w.Null();
    } else {
      w.RawValue(e.actual.data(), e.actual.size(), rapidjson::kStringType);
    }
    Key(w, "expected");
    Str(w, e.expected);
    if (!e.message.empty()) {
      Key(w, "message");
      Str(w, e.message);
    }
    if (f.resource != nullptr) Source(w, f.resource->file(), e.position);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "controls");
  w.StartArray();
  for (const std::string& c : info.controls) Str(w, c);
  w.EndArray();
  Key(w, "remediation");
  Str(w, info.remediation);
  w.EndObject();
}

}  // namespace

namespace {

// The findings array's elements, rendered on all cores (see WriteJsonItems).
void WriteFindings(Writer& w, ReportOutput& stream, const ScanReport& r) {
  std::vector<const engine::Finding*> listed;
  for (const engine::Finding& f : *r.findings) {
    if (Listed(r, f)) listed.push_back(&f);
  }
  auto open = [](Writer& pw) {
    pw.StartObject();
    Key(pw, "findings");
    pw.StartArray();
  };
  WriteJsonItems(w, stream, listed.size(), open,
                 [&](size_t i, Writer& out) { FindingObject(out, *listed[i]); });
}

void WriteReport(const ScanReport& r, ReportOutput& stream) {
  Writer w(stream);
  w.SetIndent(' ', 2);
  w.StartObject();
  Key(w, "apiVersion");
  Str(w, "kspm.dev/v1");
  Key(w, "kind");
  Str(w, "ScanReport");
  Key(w, "metadata");
  w.StartObject();
  Key(w, "tool");
  Str(w, "kspm");
  Key(w, "version");
  Str(w, r.tool_version);
  Key(w, "kubernetesVersion");
  Str(w, "1." + std::to_string(r.k8s_minor));
  Key(w, "inputs");
  w.StartArray();
  for (const std::string& in : r.inputs) Str(w, in);
  w.EndArray();
  Key(w, "frameworks");
  w.StartArray();
  for (const std::string& fw : r.frameworks) Str(w, fw);
  w.EndArray();
  Key(w, "failOn");
  Str(w, engine::SeverityName(r.fail_on));
  w.EndObject();

  Key(w, "score");
  w.StartObject();
  Key(w, "formula");
  Str(w, engine::kScoreFormula);
  Key(w, "overall");
  ScoreObject(w, r.scores.overall);
  Key(w, "byNamespace");
  w.StartObject();
  for (const auto& [ns, v] : r.scores.by_namespace) {
    Key(w, ns.empty() ? std::string_view("(cluster)") : std::string_view(ns));
    ScoreObject(w, v);
  }
  w.EndObject();
  Key(w, "byFramework");
  w.StartObject();
  for (const auto& [fw, v] : r.scores.by_framework) {
    Key(w, fw);
    ScoreObject(w, v);
  }
  w.EndObject();
  w.EndObject();

  Summary s = Summarize(r);
  Key(w, "summary");
  w.StartObject();
  Key(w, "files");
  w.Uint64(r.files);
  Key(w, "documents");
  w.Uint64(r.documents);
  Key(w, "resources");
  w.Uint64(r.resources);
  Key(w, "rules");
  w.Uint64(r.rules.size());
  Key(w, "failed");
  w.Uint64(s.failed_total);
  Key(w, "passed");
  w.Uint64(s.passed);
  Key(w, "excepted");
  w.Uint64(s.excepted);
  Key(w, "skipped");
  w.Uint64(s.skipped);
  Key(w, "inputErrors");
  w.Uint64(s.input_errors);
  Key(w, "failedBySeverity");
  w.StartObject();
  for (int sev = 4; sev >= 0; --sev) {
    Key(w, engine::SeverityName(static_cast<engine::Severity>(sev)));
    w.Uint64(s.failed[sev]);
  }
  w.EndObject();
  w.EndObject();

  Key(w, "frameworks");
  w.StartArray();
  for (const engine::FrameworkCoverage& c : r.coverage) {
    w.StartObject();
    Key(w, "name");
    Str(w, c.name);
    Key(w, "title");
    Str(w, c.title);
    Key(w, "controls");
    w.Uint64(c.total);
    Key(w, "automated");
    w.Uint64(c.automated);
    Key(w, "evaluated");
    w.Uint64(c.evaluated);
    Key(w, "notAutomated");
    w.Uint64(c.not_automated);
    Key(w, "coverage");
    Str(w, c.Line());
    Key(w, "controlStatus");
    w.StartArray();
    for (const engine::ControlStatus& cs : c.controls) {
      w.StartObject();
      Key(w, "id");
      Str(w, cs.control->id);
      Key(w, "title");
      Str(w, cs.control->title);
      Key(w, "state");
      Str(w, engine::ControlStateName(cs.state));
      Key(w, "assessment");
      Str(w, cs.control->assessment);
      Key(w, "passed");
      w.Uint64(cs.passed);
      Key(w, "failed");
      w.Uint64(cs.failed);
      Key(w, "rules");
      w.StartArray();
      for (const engine::Rule* rule : cs.rules) Str(w, rule->info.id);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  Key(w, "findings");
  w.StartArray();
  WriteFindings(w, stream, r);
  w.EndArray();

  Diagnostics(w, r, core::DiagnosticLevel::kError, "errors");
  Diagnostics(w, r, core::DiagnosticLevel::kWarning, "warnings");
  Diagnostics(w, r, core::DiagnosticLevel::kNote, "notes");

  Key(w, "expiredExceptions");
  w.StartArray();
  for (const engine::ExceptionEntry* e : r.expired_exceptions) {
    w.StartObject();
    Key(w, "rules");
    w.StartArray();
    for (const std::string& id : e->rules) Str(w, id);
    w.EndArray();
    Key(w, "reason");
    Str(w, e->reason);
    Key(w, "owner");
    Str(w, e->owner);
    Key(w, "expires");
    Str(w, e->expires);
    Key(w, "file");
    Str(w, e->file);
    Key(w, "line");
    w.Uint(e->position.line);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  stream.Put('\n');
  stream.Flush();
}

}  // namespace

std::string RenderJson(const ScanReport& r) {
  std::string out;
  out.reserve(EstimateSize(r));
  ReportOutput stream(out);
  WriteReport(r, stream);
  return out;
}

bool WriteJson(const ScanReport& r, std::FILE* file) {
  return WriteToFile(file, [&](ReportOutput& out) { WriteReport(r, out); });
}

}  // namespace kspm::report

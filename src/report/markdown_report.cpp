// GitHub-flavoured Markdown for pull-request comments: a headline with the
// score and the pass/fail state against fail_on, counts by severity, a table
// of failing findings, per-rule evidence and remediation in collapsible
// <details>, excepted findings and input errors. Manifest text is
// attacker-controlled and a comment renders HTML, so every piece of it is
// escaped (prose) or put in a code span. The comment is kept under GitHub's
// size limit by cutting sections in priority order, with a note.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "report/common.h"
#include "report/report.h"

namespace kspm::report {
namespace {

// Control characters (terminal escapes, NUL) have no business in a comment.
void AppendVisible(std::string& out, char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7F) {
    out += "\xEF\xBF\xBD";
  } else {
    out += c;
  }
}

// Prose: Markdown punctuation backslash-escaped, HTML specials as entities,
// line breaks flattened (a newline would end a table row).
std::string Text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      default:
        AppendVisible(out, c);
    }
  }
  return out;
}

// An inline code span that shows `s` literally, whatever backticks it holds:
// the fence is one backtick longer than the longest run inside, padded with a
// space when the content starts or ends with a backtick. In a table cell `|`
// must still be escaped (GFM splits cells before parsing code spans).
std::string Code(std::string_view s, bool in_table) {
  std::string content;
  size_t run = 0;
  size_t longest = 0;
  for (char c : s) {
    if (c == '`') {
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      content += ' ';
    } else if (c == '|' && in_table) {
      content += "\\|";
    } else {
      AppendVisible(content, c);
    }
  }
  if (content.empty()) return "_(empty)_";
  std::string fence(longest + 1, '`');
  bool pad = content.front() == '`' || content.back() == '`';
  return fence + (pad ? " " : "") + content + (pad ? " " : "") + fence;
}

// Text inside HTML elements (<summary>): entities only.
std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        AppendVisible(out, c);
    }
  }
  return out;
}

std::string EvidenceMarkdown(const engine::Evidence& e) {
  std::string out = Code(e.pointer.empty() ? "(object)" : e.pointer, false) + ": ";
  if (e.reason == engine::EvidenceReason::kMissing || e.actual.empty()) {
    out += "missing";
  } else {
    out += "is " + Code(e.actual, false);
  }
  if (!e.expected.empty()) out += ", expected " + Text(e.expected);
  if (!e.message.empty()) out += " — " + Text(e.message);
  return out;
}

// A part of the comment whose entries can be cut to fit.
struct Section {
  std::string head;
  std::vector<std::string> items;
  std::string tail;
  std::string noun;  // "failing findings", for the truncation note
  size_t kept = 0;

  size_t omitted() const { return items.size() - kept; }
  // Keeps as many entries as fit in `budget` (head and tail included).
  void Fill(size_t& budget) {
    if (items.empty()) return;
    size_t need = head.size() + tail.size();
    if (need + items[0].size() > budget) return;
    budget -= need;
    while (kept < items.size() && items[kept].size() <= budget) {
      budget -= items[kept].size();
      ++kept;
    }
  }
  std::string Render() const {
    if (kept == 0) return "";
    std::string out = head;
    for (size_t i = 0; i < kept; ++i) out += items[i];
    return out + tail;
  }
};

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string ScoreTable(std::string_view heading,
                       const std::map<std::string, engine::ScoreValue>& scores, bool namespaces) {
  std::string out = "| " + std::string(heading) +
                    " | Score | Rules | Passed | Failed | Excepted |\n"
                    "| --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& [name, v] : scores) {
    out += "| " + Text(namespaces ? NamespaceLabel(name) : std::string_view(name)) + " | " +
           FormatScore(v.score) + " | " + std::to_string(v.rules_evaluated) + " | " +
           std::to_string(v.passed) + " | " + std::to_string(v.failed) + " | " +
           std::to_string(v.excepted) + " |\n";
  }
  return out + "\n";
}

}  // namespace

std::string RenderMarkdown(const ScanReport& r) { return RenderMarkdown(r, kMarkdownCommentLimit); }

std::string RenderMarkdown(const ScanReport& r, size_t max_bytes) {
  Summary s = Summarize(r);
  size_t over = CountAtOrAbove(r, r.fail_on);
  std::string sev_name(engine::SeverityName(r.fail_on));
  std::string score = FormatScore(r.scores.overall.score);
  if (r.scores.overall.score) score += "/100";

  // Headline and counts: always shown.
  std::string top;
  if (s.input_errors > 0) {
    top += "## ⚠️ kspm: input errors — score " + score + "\n\n";
    top += Plural(s.input_errors, "input", "inputs") + " could not be read; the rest was scanned. ";
  } else if (over > 0) {
    top += "## ❌ kspm: failing — score " + score + "\n\n";
    top += "**" + Plural(over, "failing finding", "failing findings") + "** at or above **" +
           sev_name + "** (`--fail-on " + sev_name + "`). ";
  } else {
    top += "## ✅ kspm: passing — score " + score + "\n\n";
    top += "No failing finding at or above **" + sev_name + "** (`--fail-on " + sev_name + "`). ";
  }
  top += "Scanned " + Plural(r.files, "file", "files") + ", " +
         Plural(r.resources, "resource", "resources") + " with " +
         Plural(r.rules.size(), "rule", "rules") + " (Kubernetes 1." + std::to_string(r.k8s_minor) +
         ").\n\n";
  top += "| Severity | Failing |\n| --- | ---: |\n";
  for (int sev = 4; sev >= 0; --sev) {
    top += "| " + std::string(engine::SeverityName(static_cast<engine::Severity>(sev))) + " | " +
           std::to_string(s.failed[sev]) + " |\n";
  }
  top += "| _excepted_ | " + std::to_string(s.excepted) + " |\n";
  top += "| _passed_ | " + std::to_string(s.passed) + " |\n";
  top += "| _input errors_ | " + std::to_string(s.input_errors) + " |\n\n";
  if (!r.scores.by_framework.empty()) {
    top += "Framework scores:";
    bool first = true;
    for (const auto& [fw, v] : r.scores.by_framework) {
      top += std::string(first ? " " : " · ") + Text(fw) + " **" + FormatScore(v.score) + "**";
      first = false;
    }
    top += "\n\n";
  }

  auto failing = SortedFindings(r, [](const engine::Finding& f) {
    return f.status == engine::FindingStatus::kFail && !f.excepted;
  });
  auto excepted = SortedFindings(r, [](const engine::Finding& f) {
    return f.status == engine::FindingStatus::kFail && f.excepted;
  });

  Section table;
  table.noun = "failing findings";
  table.head =
      "### Failing findings\n\n| Severity | Rule | Resource | Location | What's wrong |\n"
      "| --- | --- | --- | --- | --- |\n";
  table.tail = "\n";
  for (const engine::Finding* f : failing) {
    const engine::RuleInfo& info = f->rule->info;
    std::string where = FindingLocation(*f).ToString();
    table.items.push_back(
        "| " + std::string(engine::SeverityName(info.severity)) + " | " + Code(info.id, true) +
        " " + Text(info.slug) + " | " + Code(ResourceLabel(*f), true) + " | " +
        (where.empty() ? "" : Code(where, true)) + " | " + Text(FindingMessage(*f)) + " |\n");
  }

  // Evidence and remediation, one collapsible block per rule.
  Section details;
  details.noun = "rules' evidence details";
  details.head = "### Details\n\n";
  {
    std::vector<const engine::Rule*> order;
    std::unordered_map<const engine::Rule*, std::vector<const engine::Finding*>> by_rule;
    for (const engine::Finding* f : failing) {
      auto& list = by_rule[f->rule];
      if (list.empty()) order.push_back(f->rule);
      list.push_back(f);
    }
    for (const engine::Rule* rule : order) {
      const engine::RuleInfo& info = rule->info;
      const auto& list = by_rule[rule];
      std::string block = "<details>\n<summary><b>" + Html(info.id) + "</b> " + Html(info.slug) +
                          " — " + Html(info.title) + " (" +
                          std::string(engine::SeverityName(info.severity)) + ", " +
                          Plural(list.size(), "finding", "findings") + ")</summary>\n\n";
      if (!info.description.empty()) block += Text(info.description) + "\n\n";
      block += "**Fix:** " +
               (info.remediation.empty() ? "see `kspm rules show " + info.id + "`"
                                         : Text(info.remediation)) +
               "\n\n";
      // A rule failing everywhere would fill the comment on its own.
      constexpr size_t kMaxPerRule = 20;
      for (size_t i = 0; i < list.size() && i < kMaxPerRule; ++i) {
        const engine::Finding& f = *list[i];
        std::string where = FindingLocation(f).ToString();
        block += "- " + Code(ResourceLabel(f), false) +
                 (where.empty() ? "" : " at " + Code(where, false)) + "\n";
        for (const engine::Evidence& e : f.evidence()) block += "  - " + EvidenceMarkdown(e) + "\n";
        if (f.evidence().empty()) block += "  - " + Text(FindingMessage(f)) + "\n";
      }
      if (list.size() > kMaxPerRule) {
        block += "- _and " + std::to_string(list.size() - kMaxPerRule) +
                 " more (listed in the table above)_\n";
      }
      block += "\n</details>\n\n";
      details.items.push_back(std::move(block));
    }
  }

  Section except;
  except.noun = "excepted findings";
  except.head = "### Excepted findings (" + std::to_string(excepted.size()) +
                ")\n\n| Rule | Resource | Location | Reason | Excepted by |\n"
                "| --- | --- | --- | --- | --- |\n";
  except.tail = "\n";
  for (const engine::Finding* f : excepted) {
    std::string where = FindingLocation(*f).ToString();
    except.items.push_back(
        "| " + Code(f->rule->info.id, true) + " " + Text(f->rule->info.slug) + " | " +
        Code(ResourceLabel(*f), true) + " | " + (where.empty() ? "" : Code(where, true)) + " | " +
        Text(f->exception_reason()) + " | " + Text(f->exception_source()) + " |\n");
  }

  Section errors;
  errors.noun = "input errors";
  errors.head = "### Input errors (" + std::to_string(s.input_errors) + ")\n\n";
  errors.tail = "\n";
  for (const core::Diagnostic& d : r.diagnostics) {
    if (d.level != core::DiagnosticLevel::kError) continue;
    std::string where = d.file;
    if (d.position.known()) {
      where += ":" + std::to_string(d.position.line) + ":" + std::to_string(d.position.column);
    }
    errors.items.push_back("- " + Code(where, false) + ": " + Text(d.message) + "\n");
  }

  Section expired;
  expired.noun = "expired exceptions";
  expired.head = "### Expired exceptions (no longer applied)\n\n";
  expired.tail = "\n";
  for (const engine::ExceptionEntry* e : r.expired_exceptions) {
    std::string ids;
    for (const std::string& id : e->rules) ids += (ids.empty() ? "" : ",") + id;
    expired.items.push_back("- " + Code(e->file + ":" + std::to_string(e->position.line), false) +
                            ": " + Code(ids, false) + " expired " + Text(e->expires) +
                            (e->reason.empty() ? "" : " — " + Text(e->reason)) + "\n");
  }

  Section scores;
  scores.noun = "score tables";
  if (!r.scores.by_namespace.empty() || !r.scores.by_framework.empty()) {
    scores.head = "<details>\n<summary>Scores by framework and namespace</summary>\n\n";
    scores.tail = "</details>\n\n";
    if (!r.scores.by_framework.empty()) {
      scores.items.push_back(ScoreTable("Framework", r.scores.by_framework, false));
    }
    if (!r.scores.by_namespace.empty()) {
      scores.items.push_back(ScoreTable("Namespace", r.scores.by_namespace, true));
    }
  }

  std::string coverage;
  for (const engine::FrameworkCoverage& c : r.coverage)
    coverage += "<sub>" + Html(c.Line()) + "</sub><br>\n";
  std::string formula = coverage + "<sub>Score formula: " + Html(engine::kScoreFormula) +
                        ". Generated by kspm " + Html(r.tool_version) + ".</sub>\n";

  // Room for the truncation note, then fill sections by priority: what
  // fails first, then what was not scanned, then the rest.
  constexpr size_t kNoteReserve = 512;
  size_t fixed = top.size() + formula.size() + kNoteReserve;
  size_t budget = max_bytes > fixed ? max_bytes - fixed : 0;
  for (Section* sec : {&table, &errors, &except, &expired, &details, &scores}) sec->Fill(budget);

  std::string out = top;
  for (const Section* sec : {&table, &details, &except, &errors, &expired, &scores}) {
    out += sec->Render();
  }
  std::string omitted;
  for (const Section* sec : {&table, &details, &except, &errors, &expired, &scores}) {
    if (sec->omitted() == 0) continue;
    omitted += (omitted.empty() ? "" : ", ") + std::to_string(sec->omitted()) + " " + sec->noun;
  }
  if (!omitted.empty()) {
    out += "> **Truncated** to stay under the " + std::to_string(max_bytes) +
           "-character comment limit: " + omitted +
           " omitted. Run `kspm scan -o json` for the full report.\n\n";
  }
  out += formula;
  return out;
}

}  // namespace kspm::report

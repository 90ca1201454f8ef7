#include "engine/exceptions.h"

#include <algorithm>

namespace kspm::engine {
namespace {

using core::Node;

std::string At(const std::string& file, const Node& n) {
  return file + ":" + std::to_string(n.position().line) + ":" +
         std::to_string(n.position().column) + ": ";
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool RuleMatches(const std::vector<std::string>& names, const Rule& rule) {
  for (const std::string& n : names) {
    if (n == "*" || n == rule.info.slug) return true;
    if (n.size() == rule.info.id.size() &&
        std::equal(n.begin(), n.end(), rule.info.id.begin(),
                   [](char a, char b) { return std::toupper(a) == std::toupper(b); })) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<ExceptionSet> ParseExceptions(const std::string& file, std::string_view content,
                                     const RuleRegistry& registry) {
  core::DecodedSource decoded = core::DecodeSource(file, content);
  if (!decoded.diagnostics.empty()) return ParseError(decoded.diagnostics.front().ToString());
  ExceptionSet set;
  for (const core::Document& doc : decoded.documents) {
    const Node& root = doc.root();
    if (!root.IsMapping()) return ParseError(At(file, root) + "expected a mapping");
    const Node* list = root.Get("exceptions");
    if (list == nullptr) continue;
    if (!list->IsSequence()) return ParseError(At(file, *list) + "`exceptions` must be a list");
    for (const Node& item : list->items()) {
      if (!item.IsMapping()) return ParseError(At(file, item) + "an exception must be a mapping");
      ExceptionEntry e;
      e.file = file;
      e.position = item.position();
      auto add_rule = [&](const Node& n) -> Status {
        auto s = n.GetString();
        if (!s) return ParseError(At(file, n) + "a rule must be a string (id or slug)");
        if (*s != "*" && registry.Find(*s) == nullptr) {
          return ParseError(At(file, n) + "unknown rule \"" + std::string(*s) + "\"");
        }
        e.rules.emplace_back(*s);
        return Status::Ok();
      };
      for (const core::Member& m : item.members()) {
        std::string_view key = m.key_string();
        const Node& v = m.value;
        if (key == "rule") {
          if (Status s = add_rule(v); !s.ok()) return s;
        } else if (key == "rules") {
          for (const Node& r : v.items()) {
            if (Status s = add_rule(r); !s.ok()) return s;
          }
        } else if (key == "resource") {
          for (const core::Member& sel : v.members()) {
            auto s = sel.value.GetString();
            if (!s) return ParseError(At(file, sel.value) + "selector values must be strings");
            if (sel.key_string() == "kind") {
              e.kind = *s;
            } else if (sel.key_string() == "namespace") {
              e.namespace_ = *s;
            } else if (sel.key_string() == "name") {
              e.name = *s;
            } else {
              return ParseError(At(file, sel.key) + "unknown selector field \"" +
                                std::string(sel.key_string()) + "\" (kind, namespace, name)");
            }
          }
        } else if (key == "reason" || key == "owner" || key == "expires") {
          auto s = v.GetString();
          if (!s) return ParseError(At(file, v) + "`" + std::string(key) + "` must be a string");
          if (key == "reason") e.reason = *s;
          if (key == "owner") e.owner = *s;
          if (key == "expires") {
            if (!IsDate(*s)) return ParseError(At(file, v) + "`expires` must be a date YYYY-MM-DD");
            e.expires = *s;
          }
        } else {
          return ParseError(At(file, m.key) + "unknown field \"" + std::string(key) + "\"");
        }
      }
      if (e.rules.empty())
        return ParseError(At(file, item) + "an exception needs `rule` or `rules`");
      if (e.reason.empty()) return ParseError(At(file, item) + "an exception needs a `reason`");
      set.entries.push_back(std::move(e));
    }
  }
  return set;
}

ExceptionReport ApplyExceptions(const ExceptionSet& set, const std::string& today,
                                std::vector<Finding>& findings) {
  ExceptionReport report;
  std::vector<const ExceptionEntry*> active;
  for (const ExceptionEntry& e : set.entries) {
    if (!e.expires.empty() && e.expires < today) {
      report.expired.push_back(&e);
      report.warnings.push_back(
          {core::DiagnosticLevel::kWarning, e.file, e.position,
           "exception expired on " + e.expires + " no longer applies: " + e.reason});
    } else {
      active.push_back(&e);
    }
  }
  for (Finding& f : findings) {
    if (f.status != FindingStatus::kFail || f.resource == nullptr) continue;
    const core::Resource& r = *f.resource;
    for (const ExceptionEntry* e : active) {
      if (!RuleMatches(e->rules, *f.rule)) continue;
      if (!GlobMatch(e->kind, r.kind) || !GlobMatch(e->namespace_, r.effective_namespace()) ||
          !GlobMatch(e->name, r.name)) {
        continue;
      }
      f.SetException(e->reason, e->file + ":" + std::to_string(e->position.line));
      break;
    }
    if (f.excepted) continue;
    // kspm.dev/ignore: "RULE[,RULE] reason"
    const core::Node* note = r.Annotation("kspm.dev/ignore");
    if (note == nullptr || !note->IsString()) continue;
    std::string_view text = note->string_value();
    size_t space = text.find_first_of(" \t");
    std::string_view list = text.substr(0, space);
    std::string_view reason =
        space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    std::vector<std::string> names;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string_view item =
          list.substr(start, comma == std::string_view::npos ? comma : comma - start);
      if (!item.empty()) names.emplace_back(item);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (RuleMatches(names, *f.rule)) {
      f.SetException(reason.empty() ? "no reason given" : std::string(reason),
                     "annotation kspm.dev/ignore");
    }
  }
  return report;
}

}  // namespace kspm::engine

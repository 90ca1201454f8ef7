// Exceptions: accepted risks that turn failing findings into excepted ones.
//
// Two sources: a file (.kspm.yaml) of rule + resource selector + reason +
// optional expiry and owner, and the annotation
// `kspm.dev/ignore: "RULE[,RULE] reason"` on a resource. Excepted findings
// stay in the report marked as excepted; an expired exception stops applying
// and is reported. Pure: today's date is an argument.
#pragma once

#include <string>
#include <vector>

#include "core/decode.h"
#include "core/result.h"
#include "engine/registry.h"
#include "engine/rule.h"

namespace kspm::engine {

struct ExceptionEntry {
  std::vector<std::string> rules;  // ids or slugs; "*" = every rule
  std::string kind = "*";          // selectors: "*" globs allowed
  std::string namespace_ = "*";
  std::string name = "*";
  std::string reason;
  std::string owner;
  std::string expires;  // YYYY-MM-DD; empty = never
  std::string file;
  core::Position position;
};

struct ExceptionSet {
  std::vector<ExceptionEntry> entries;
};

// Parses a .kspm.yaml file (apiVersion kspm.dev/v1, kind Exceptions or Config,
// `exceptions:` list). Unknown rule names are errors naming file:line:column.
Result<ExceptionSet> ParseExceptions(const std::string& file, std::string_view content,
                                     const RuleRegistry& registry);

struct ExceptionReport {
  std::vector<const ExceptionEntry*> expired;  // in the file but past their date
  std::vector<core::Diagnostic> warnings;
};

// Marks matching failing findings as excepted. `today` is YYYY-MM-DD.
ExceptionReport ApplyExceptions(const ExceptionSet& set, const std::string& today,
                                std::vector<Finding>& findings);

// `*` matches any run of characters.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace kspm::engine

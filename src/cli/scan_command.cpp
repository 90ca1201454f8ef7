#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/exceptions.h"
#include "engine/frameworks.h"
#include "engine/registry.h"
#include "engine/score.h"
#include "report/report.h"
#include "rules/builtin.h"
#include "rules/workload_support.h"

namespace kspm::cli {
namespace {

struct ScanFlags {
  std::vector<std::string> paths;
  std::string format = "table";
  std::string output;
  std::vector<std::string> frameworks;
  std::vector<std::string> rules;
  std::vector<std::string> skip_rules;
  std::string fail_on = "high";
  double min_score = -1;
  std::string exceptions;
  std::string k8s_version;
  std::vector<std::string> allowed_registries;
  bool quiet = false;
  bool include_passed = false;
  unsigned threads = 0;
};

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Splits comma-separated flag values ("--framework cis,nsa").
std::vector<std::string> SplitCommas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string item =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

int Fail(const std::string& message) {
  std::cerr << "kspm: error: " << message << "\n";
  return kExitError;
}

int RunScan(const ScanFlags& flags) {
  static const char* kFormats[] = {"table", "json", "sarif", "junit", "markdown"};
  if (std::find_if(std::begin(kFormats), std::end(kFormats),
                   [&](const char* f) { return flags.format == f; }) == std::end(kFormats)) {
    return Fail("unknown output format \"" + flags.format +
                "\" (table, json, sarif, junit, markdown)");
  }
  engine::Severity fail_on;
  if (!engine::ParseSeverity(flags.fail_on, fail_on)) {
    return Fail("unknown severity \"" + flags.fail_on +
                "\" for --fail-on (critical, high, medium, low, info)");
  }
  int minor = kNewestK8sMinor;
  if (!flags.k8s_version.empty() && !ParseK8sVersion(flags.k8s_version, minor)) {
    return Fail("unsupported --k8s-version \"" + flags.k8s_version + "\" (expected 1.0 to 1." +
                std::to_string(kNewestK8sMinor) + ", e.g. 1.29)");
  }
  if (flags.min_score > 100) return Fail("--min-score must be between 0 and 100");
  if (flags.paths.empty()) return Fail("nothing to scan: give files, folders or - for stdin");

  engine::RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  engine::Selection selection;
  selection.frameworks = SplitCommas(flags.frameworks);
  selection.rules = SplitCommas(flags.rules);
  selection.skip_rules = SplitCommas(flags.skip_rules);
  Result<std::vector<const engine::Rule*>> selected = engine::SelectRules(registry, selection);
  if (!selected.ok()) return Fail(selected.status().message());

  auto fs = core::MakeLocalFileSystem();
  engine::ExceptionSet exceptions;
  // --exceptions FILE, else ./.kspm.yaml, else the .kspm.yaml at the top of each scanned
  // folder (as a repository keeps its accepted risks next to its manifests).
  std::vector<std::string> exception_files;
  if (!flags.exceptions.empty()) {
    exception_files.push_back(flags.exceptions);
  } else if (fs->Exists(".kspm.yaml") && !fs->IsDirectory(".kspm.yaml")) {
    exception_files.push_back(".kspm.yaml");
  } else {
    for (const std::string& path : flags.paths) {
      if (path == "-" || !fs->IsDirectory(path)) continue;
      std::string candidate = path + (path.ends_with("/") ? "" : "/") + ".kspm.yaml";
      if (fs->Exists(candidate) && !fs->IsDirectory(candidate))
        exception_files.push_back(candidate);
    }
  }
  // --allowed-registries wins over allowedRegistries in the config files.
  std::vector<std::string> allowed_registries = SplitCommas(flags.allowed_registries);
  for (const std::string& file : exception_files) {
    Result<std::string> content = fs->ReadFile(file);
    if (!content.ok()) return Fail(content.status().message());
    Result<engine::ExceptionSet> parsed = engine::ParseExceptions(file, *content, registry);
    if (!parsed.ok()) return Fail(parsed.status().message());
    for (engine::ExceptionEntry& e : parsed->entries) exceptions.entries.push_back(std::move(e));
    if (!flags.allowed_registries.empty()) continue;
    Result<std::vector<std::string>> registries =
        rules::workload::ReadAllowedRegistries(file, *content);
    if (!registries.ok()) return Fail(registries.status().message());
    for (std::string& r : *registries) allowed_registries.push_back(std::move(r));
  }

  core::LoadOptions load_options;
  load_options.threads = flags.threads;
  core::LoadResult loaded = core::LoadManifests(flags.paths, *fs, load_options);

  if (loaded.inventory.resources().empty() && !loaded.input_error) {
    loaded.diagnostics.push_back({core::DiagnosticLevel::kWarning,
                                  flags.paths.front(),
                                  {},
                                  "no Kubernetes objects found in the input"});
  }

  engine::RuleContext context;
  context.inventory = &loaded.inventory;
  context.k8s_minor = minor;
  context.allowed_registries = std::move(allowed_registries);
  for (const std::string& fw : selection.frameworks) {
    if (fw == "pss-restricted") {
      context.pss_profile = engine::PssProfile::kRestricted;
    } else if (fw == "pss-baseline" && context.pss_profile == engine::PssProfile::kNone) {
      context.pss_profile = engine::PssProfile::kBaseline;
    }
  }
  std::vector<engine::Finding> findings =
      engine::Evaluate(*selected, loaded.inventory, context, flags.threads);
  engine::ExceptionReport exception_report = engine::ApplyExceptions(exceptions, Today(), findings);

  report::ScanReport rep;
  rep.tool_version = Version();
  rep.inputs = flags.paths;
  rep.k8s_minor = minor;
  rep.frameworks = selection.frameworks;
  rep.rules = *selected;
  rep.findings = &findings;
  rep.scores = engine::ComputeScores(findings);
  rep.diagnostics = std::move(loaded.diagnostics);
  for (core::Diagnostic& w : exception_report.warnings) rep.diagnostics.push_back(std::move(w));
  rep.expired_exceptions = exception_report.expired;
  rep.resources = loaded.inventory.resources().size();
  rep.files = loaded.files;
  rep.documents = loaded.documents;
  rep.fail_on = fail_on;
  rep.include_passed = flags.include_passed;
  // Coverage answers "how much of this framework did the scan assess": it is given for the
  // frameworks asked for, or for all of them in a full scan, but not for a scan narrowed to
  // hand-picked rules, which is no framework assessment.
  if (!selection.frameworks.empty() || selection.rules.empty()) {
    rep.coverage = engine::ComputeCoverage(registry, findings, selection.frameworks);
  }

  // Diagnostics go to stderr: errors always, warnings and notes unless -q.
  for (const core::Diagnostic& d : rep.diagnostics) {
    if (d.level == core::DiagnosticLevel::kError) {
      std::cerr << "error: " << d.ToString() << "\n";
    } else if (!flags.quiet) {
      std::cerr << (d.level == core::DiagnosticLevel::kWarning ? "warning: " : "note: ")
                << d.ToString() << "\n";
    }
  }

  bool to_terminal = flags.output.empty() && isatty(STDOUT_FILENO);
  bool color = to_terminal && std::getenv("NO_COLOR") == nullptr;
  // Every format but Markdown (a pull-request comment, 64 KB at most) is
  // streamed: a large scan's report would otherwise add its whole size to
  // peak memory.
  std::FILE* out = flags.output.empty() ? stdout : std::fopen(flags.output.c_str(), "wb");
  if (out == nullptr) return Fail("cannot write " + flags.output + ": " + std::strerror(errno));
  bool written = false;
  if (flags.format == "json") {
    written = report::WriteJson(rep, out);
  } else if (flags.format == "sarif") {
    written = report::WriteSarif(rep, out);
  } else if (flags.format == "junit") {
    written = report::WriteJunit(rep, out);
  } else if (flags.format == "markdown") {
    std::string text = report::RenderMarkdown(rep);
    written = std::fwrite(text.data(), 1, text.size(), out) == text.size() && std::fflush(out) == 0;
  } else {
    written = report::WriteTable(rep, color, out);
  }
  if (out != stdout) written = std::fclose(out) == 0 && written;
  if (!written) return Fail("cannot write " + (flags.output.empty() ? "stdout" : flags.output));

  // Exit without tearing down the inventory and findings: a large scan holds
  // millions of small allocations whose freeing costs a noticeable part of the run.
  auto finish = [](int code) {
    std::cout.flush();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
    return code;
  };
  if (loaded.input_error) return finish(kExitError);
  bool failing = false;
  for (const engine::Finding& f : findings) {
    if (f.status == engine::FindingStatus::kFail && !f.excepted &&
        f.rule->info.severity >= fail_on) {
      failing = true;
      break;
    }
  }
  if (flags.min_score >= 0 && rep.scores.overall.score &&
      *rep.scores.overall.score < flags.min_score) {
    if (!flags.quiet) {
      std::cerr << "kspm: score " << *rep.scores.overall.score << " is under --min-score "
                << flags.min_score << "\n";
    }
    failing = true;
  }
  return finish(failing ? kExitFindings : kExitClean);
}

}  // namespace

void AddScanCommand(CLI::App& app, std::function<int()>& run) {
  auto flags = std::make_shared<ScanFlags>();
  CLI::App* cmd = app.add_subcommand("scan", "Scan manifests (files, folders, - for stdin)");
  cmd->add_option("paths", flags->paths, "Files, folders (recursive) or - for stdin");
  cmd->add_option("-o,--format", flags->format, "table|json|sarif|junit|markdown");
  cmd->add_option("--output", flags->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--framework", flags->frameworks,
                  "Only rules mapped to: cis|nsa|mitre|pss-baseline|pss-restricted")
      ->allow_extra_args(false);
  cmd->add_option("--rule", flags->rules, "Only these rules (id or slug)")->allow_extra_args(false);
  cmd->add_option("--skip-rule", flags->skip_rules, "Skip these rules (id or slug)")
      ->allow_extra_args(false);
  cmd->add_option("--fail-on", flags->fail_on,
                  "Exit 1 on failing findings at or above: critical|high|medium|low|info");
  cmd->add_option("--min-score", flags->min_score, "Exit 1 when the score is under N");
  cmd->add_option(
      "--exceptions", flags->exceptions,
      "Exceptions file (default: ./.kspm.yaml, else .kspm.yaml in each scanned folder)");
  cmd->add_option("--k8s-version", flags->k8s_version,
                  "Target Kubernetes version, 1.0 to 1." + std::to_string(kNewestK8sMinor));
  cmd->add_option("--allowed-registries", flags->allowed_registries,
                  "Registries images may come from, comma-separated (e.g. "
                  "registry.example.com,ghcr.io/acme); default: allowedRegistries in .kspm.yaml")
      ->allow_extra_args(false);
  cmd->add_flag("-q,--quiet", flags->quiet, "Only errors on stderr");
  cmd->add_flag("--include-passed", flags->include_passed, "List passing findings too");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->callback([flags, &run] { run = [flags] { return RunScan(*flags); }; });
}

}  // namespace kspm::cli

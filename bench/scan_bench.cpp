// scan_bench: in-process throughput of kspm's scan pipeline over manifests on
// disk (typically a folder written by kspm_generate; see scripts/bench.sh).
//
//   scan_bench --mode decode PATH...   read + decode + inventory (core::LoadManifests)
//   scan_bench --mode full PATH...     the whole `kspm scan -o json`: load, every built-in
//                                      rule (engine::Evaluate), exceptions, scores, JSON
//   scan_bench --mode rules PATH...    load once, then time each rule on its own
//
// One measurement per process, because peak RSS (getrusage ru_maxrss) is a
// per-process high-water mark: the decode and full figures come from separate
// runs. The last line is machine-readable ("RESULT key=value ...") for the script.
// Benchmarks print figures; nothing here asserts a timing.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/exceptions.h"
#include "engine/registry.h"
#include "engine/score.h"
#include "report/report.h"
#include "rules/builtin.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

struct Usage {
  double user_s = 0;
  double sys_s = 0;
  double peak_rss_mb = 0;
};

Usage GetUsage() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  Usage u;
  u.user_s = static_cast<double>(ru.ru_utime.tv_sec) + ru.ru_utime.tv_usec / 1e6;
  u.sys_s = static_cast<double>(ru.ru_stime.tv_sec) + ru.ru_stime.tv_usec / 1e6;
  u.peak_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
  return u;
}

int PrintUsage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--mode decode|full|rules] [--threads N] PATH...\n"
               "  decode  load and decode only (core::LoadManifests)\n"
               "  full    load, evaluate every built-in rule, exceptions, scores, JSON report\n"
               "  rules   load once, then time each rule on its own\n",
               argv0);
  return 2;
}

// What one run measured.
struct Figures {
  size_t files = 0;
  size_t bytes = 0;
  size_t documents = 0;
  size_t resources = 0;
  size_t rules = 0;
  size_t input_errors = 0;
  double load_s = 0;
  double evaluate_s = 0;
  double exceptions_s = 0;
  double score_s = 0;
  double render_s = 0;
  double rss_after_load_mb = 0;
  size_t findings = 0;
  size_t failed = 0;
  size_t report_bytes = 0;
  Clock::time_point done;  // before the inventory and findings are freed
};

// Resident set size now (not the peak), from /proc/self/statm.
double CurrentRssMb() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

// The pipeline of `kspm scan -o json` (src/cli/scan_command.cpp) with every
// built-in rule and no exceptions file. Everything it allocates is freed on
// return, so the caller can time the teardown the CLI pays too.
Figures Run(const std::string& mode, const std::vector<std::string>& paths, unsigned threads) {
  using namespace kspm;
  Figures fig;
  Clock::time_point start = Clock::now();
  engine::RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  Result<std::vector<const engine::Rule*>> selected = engine::SelectRules(registry, {});
  if (!selected.ok()) {
    std::fprintf(stderr, "scan_bench: %s\n", selected.status().message().c_str());
    std::exit(2);
  }
  fig.rules = selected->size();

  auto fs = core::MakeLocalFileSystem();
  core::LoadOptions load_options;
  load_options.threads = threads;
  core::LoadResult loaded = core::LoadManifests(paths, *fs, load_options);
  Clock::time_point loaded_at = Clock::now();
  fig.load_s = Seconds(start, loaded_at);
  fig.rss_after_load_mb = CurrentRssMb();
  fig.files = loaded.files;
  fig.bytes = loaded.bytes;
  fig.documents = loaded.documents;
  fig.resources = loaded.inventory.resources().size();
  for (const core::Diagnostic& d : loaded.diagnostics) {
    if (d.level != core::DiagnosticLevel::kError) continue;
    // Benchmark input is expected to be clean: say so loudly, but still measure.
    if (fig.input_errors++ == 0) {
      std::fprintf(stderr, "scan_bench: warning: input error: %s\n", d.ToString().c_str());
    }
  }

  engine::RuleContext context;
  context.inventory = &loaded.inventory;

  if (mode == "rules") {
    struct Timing {
      const engine::Rule* rule;
      double seconds;
      size_t findings;
    };
    std::vector<Timing> timings;
    for (const engine::Rule* rule : *selected) {
      Clock::time_point t0 = Clock::now();
      std::vector<engine::Finding> f = engine::Evaluate({rule}, loaded.inventory, context, threads);
      timings.push_back({rule, Seconds(t0, Clock::now()), f.size()});
    }
    std::sort(timings.begin(), timings.end(),
              [](const Timing& a, const Timing& b) { return a.seconds > b.seconds; });
    std::printf("%-10s %-40s %10s %10s\n", "rule", "slug", "seconds", "findings");
    for (const Timing& t : timings) {
      std::printf("%-10s %-40s %10.3f %10zu\n", t.rule->info.id.c_str(), t.rule->info.slug.c_str(),
                  t.seconds, t.findings);
    }
  }

  if (mode == "full") {
    Clock::time_point t0 = Clock::now();
    std::vector<engine::Finding> findings =
        engine::Evaluate(*selected, loaded.inventory, context, threads);
    Clock::time_point t1 = Clock::now();
    engine::ExceptionReport exception_report =
        engine::ApplyExceptions(engine::ExceptionSet{}, "2025-01-01", findings);
    Clock::time_point t2 = Clock::now();
    report::ScanReport rep;
    rep.tool_version = "bench";
    rep.inputs = paths;
    rep.rules = *selected;
    rep.findings = &findings;
    rep.scores = engine::ComputeScores(findings);
    Clock::time_point t3 = Clock::now();
    rep.diagnostics = std::move(loaded.diagnostics);
    rep.expired_exceptions = exception_report.expired;
    rep.resources = fig.resources;
    rep.files = loaded.files;
    rep.documents = loaded.documents;
    std::string json = report::RenderJson(rep);
    Clock::time_point t4 = Clock::now();
    fig.evaluate_s = Seconds(t0, t1);
    fig.exceptions_s = Seconds(t1, t2);
    fig.score_s = Seconds(t2, t3);
    fig.render_s = Seconds(t3, t4);
    fig.findings = findings.size();
    for (const engine::Finding& f : findings)
      fig.failed += f.status == engine::FindingStatus::kFail;
    fig.report_bytes = json.size();
  }
  fig.done = Clock::now();
  return fig;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "full";
  unsigned threads = 0;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) {
      mode = argv[++i];
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else if (arg == "-h" || arg == "--help" || arg.starts_with("--")) {
      return PrintUsage(argv[0]);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty() || (mode != "decode" && mode != "full" && mode != "rules")) {
    return PrintUsage(argv[0]);
  }

  Clock::time_point start = Clock::now();
  Figures fig = Run(mode, paths, threads);
  Clock::time_point end = Clock::now();
  Usage u = GetUsage();
  if (mode == "rules") return 0;

  double wall = Seconds(start, end);
  double teardown_s = Seconds(fig.done, end);
  double mb = static_cast<double>(fig.bytes) / 1e6;
  std::printf("mode            %s\n", mode.c_str());
  std::printf("input           %zu files, %.1f MB, %zu documents, %zu resources\n", fig.files, mb,
              fig.documents, fig.resources);
  std::printf("rules           %zu\n", fig.rules);
  std::printf("load            %.3f s (rss after load %.0f MB)\n", fig.load_s,
              fig.rss_after_load_mb);
  if (mode == "full") {
    std::printf("evaluate        %.3f s (%zu findings, %zu failing)\n", fig.evaluate_s,
                fig.findings, fig.failed);
    std::printf("exceptions      %.3f s\n", fig.exceptions_s);
    std::printf("scores          %.3f s\n", fig.score_s);
    std::printf("render json     %.3f s (%.1f MB)\n", fig.render_s,
                static_cast<double>(fig.report_bytes) / 1e6);
  }
  std::printf("teardown        %.3f s\n", teardown_s);
  std::printf("wall            %.3f s\n", wall);
  std::printf("cpu             %.3f s user, %.3f s sys\n", u.user_s, u.sys_s);
  std::printf("throughput      %.0f resources/s, %.1f MB/s\n", fig.resources / wall, mb / wall);
  std::printf("peak rss        %.0f MB\n", u.peak_rss_mb);
  std::printf(
      "RESULT mode=%s resources=%zu bytes=%zu rules=%zu input_errors=%zu wall_s=%.3f "
      "load_s=%.3f evaluate_s=%.3f score_s=%.3f render_s=%.3f teardown_s=%.3f user_s=%.3f "
      "sys_s=%.3f rss_after_load_mb=%.0f peak_rss_mb=%.0f findings=%zu failed=%zu "
      "report_bytes=%zu\n",
      mode.c_str(), fig.resources, fig.bytes, fig.rules, fig.input_errors, wall, fig.load_s,
      fig.evaluate_s, fig.score_s, fig.render_s, teardown_s, u.user_s, u.sys_s,
      fig.rss_after_load_mb, u.peak_rss_mb, fig.findings, fig.failed, fig.report_bytes);
  return fig.input_errors > 0 ? 1 : 0;
}

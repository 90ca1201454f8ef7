// scan_bench: in-process throughput of kspm's scan pipeline over manifests on
// disk (typically a folder written by kspm_generate; see scripts/bench.sh).
//
//   scan_bench --mode decode PATH...   read + decode + inventory (core::LoadManifests)
//   scan_bench --mode full PATH...     the whole `kspm scan -o json`: load, every built-in
//                                      rule (engine::Evaluate), exceptions, scores, JSON
//   scan_bench --mode rules PATH...    load once, then time each rule on its own
//
// Each phase reports wall time, CPU time (user + sys, all threads: on a
// shared machine CPU time moves less than wall time) and the resident set
// size when it ends. One measurement per process, because peak RSS
// (getrusage ru_maxrss) is a per-process high-water mark: the decode and full
// figures come from separate runs. The last line is machine-readable
// ("RESULT key=value ...") for scripts/bench.sh. Nothing here asserts a timing.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

double PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

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

struct Phase {
  const char* name;
  double wall_s;
  double cpu_s;
  double rss_mb;  // at the end of the phase
};

// Marks the end of one phase after another.
class Phases {
 public:
  Phases() : last_(Clock::now()), last_cpu_(CpuSeconds()) {}
  void End(const char* name) {
    Clock::time_point now = Clock::now();
    double cpu = CpuSeconds();
    phases_.push_back({name, Seconds(last_, now), cpu - last_cpu_, CurrentRssMb()});
    last_ = now;
    last_cpu_ = cpu;
  }
  const std::vector<Phase>& phases() const { return phases_; }

 private:
  Clock::time_point last_;
  double last_cpu_;
  std::vector<Phase> phases_;
};

// What one run measured.
struct Figures {
  size_t files = 0;
  size_t bytes = 0;
  size_t documents = 0;
  size_t resources = 0;
  size_t rules = 0;
  size_t input_errors = 0;
  size_t findings = 0;
  size_t failed = 0;
  size_t report_bytes = 0;
};

// A FILE that discards what is written to it and adds its size to `bytes`.
std::FILE* CountingSink(size_t& bytes) {
  cookie_io_functions_t io{};
  io.write = [](void* cookie, const char*, size_t size) -> ssize_t {
    *static_cast<size_t*>(cookie) += size;
    return static_cast<ssize_t>(size);
  };
  return fopencookie(&bytes, "w", io);
}

// The pipeline of `kspm scan -o json --output FILE` (src/cli/scan_command.cpp)
// with every built-in rule and no exceptions file. Everything it allocates is freed on
// return, so the caller times the teardown the CLI pays too.
Figures Run(const std::string& mode, const std::vector<std::string>& paths, unsigned threads,
            Phases& phases) {
  using namespace kspm;
  Figures fig;
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
  phases.End("load");
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
    phases.End("rules");
  }

  if (mode == "full") {
    std::vector<engine::Finding> findings =
        engine::Evaluate(*selected, loaded.inventory, context, threads);
    phases.End("evaluate");
    engine::ExceptionReport exception_report =
        engine::ApplyExceptions(engine::ExceptionSet{}, "2025-01-01", findings);
    phases.End("exceptions");
    report::ScanReport rep;
    rep.tool_version = "bench";
    rep.inputs = paths;
    rep.rules = *selected;
    rep.findings = &findings;
    rep.scores = engine::ComputeScores(findings);
    phases.End("scores");
    rep.diagnostics = std::move(loaded.diagnostics);
    rep.expired_exceptions = exception_report.expired;
    rep.resources = fig.resources;
    rep.files = loaded.files;
    rep.documents = loaded.documents;
    // Streamed to a sink that only counts, as the CLI streams it to --output.
    std::FILE* sink = CountingSink(fig.report_bytes);
    if (sink == nullptr || !report::WriteJson(rep, sink) || std::fclose(sink) != 0) {
      std::fprintf(stderr, "scan_bench: writing the JSON report failed\n");
      std::exit(2);
    }
    phases.End("render");
    fig.findings = findings.size();
    for (const engine::Finding& f : findings) {
      fig.failed += f.status == engine::FindingStatus::kFail;
    }
  }
  return fig;
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
  double cpu_start = CpuSeconds();
  Phases phases;
  Figures fig = Run(mode, paths, threads, phases);
  phases.End("teardown");
  double wall = Seconds(start, Clock::now());
  double cpu = CpuSeconds() - cpu_start;
  double peak = PeakRssMb();
  if (mode == "rules") return 0;

  double mb = static_cast<double>(fig.bytes) / 1e6;
  std::printf("mode          %s\n", mode.c_str());
  std::printf("input         %zu files, %.1f MB, %zu documents, %zu resources\n", fig.files, mb,
              fig.documents, fig.resources);
  std::printf("rules         %zu\n", fig.rules);
  if (mode == "full") {
    std::printf("findings      %zu (%zu failing), JSON report %.1f MB\n", fig.findings, fig.failed,
                static_cast<double>(fig.report_bytes) / 1e6);
  }
  std::printf("%-13s %9s %9s %12s\n", "phase", "wall s", "cpu s", "rss MB after");
  for (const Phase& p : phases.phases()) {
    std::printf("%-13s %9.3f %9.3f %12.0f\n", p.name, p.wall_s, p.cpu_s, p.rss_mb);
  }
  std::printf("%-13s %9.3f %9.3f\n", "total", wall, cpu);
  std::printf("throughput    %.0f resources/s, %.1f MB/s\n", fig.resources / wall, mb / wall);
  std::printf("peak rss      %.0f MB\n", peak);

  std::printf(
      "RESULT mode=%s resources=%zu bytes=%zu rules=%zu input_errors=%zu wall_s=%.3f "
      "cpu_s=%.3f peak_rss_mb=%.0f findings=%zu failed=%zu report_bytes=%zu",
      mode.c_str(), fig.resources, fig.bytes, fig.rules, fig.input_errors, wall, cpu, peak,
      fig.findings, fig.failed, fig.report_bytes);
  for (const Phase& p : phases.phases()) {
    std::printf(" %s_s=%.3f %s_cpu_s=%.3f %s_rss_mb=%.0f", p.name, p.wall_s, p.name, p.cpu_s,
                p.name, p.rss_mb);
  }
  std::printf("\n");
  return fig.input_errors > 0 ? 1 : 0;
}

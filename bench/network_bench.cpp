// network_bench: the cost of building the network model (engine/network_model.h)
// over real input, which every NET inventory rule pays once per scan.
//
//   network_bench [--runs N] PATH...
//
// Loads the manifests once, then builds the model N times (default 5) and
// prints the best and median CPU time per build with the model's sizes, for
// the full model and for the narrower builds the NET rules ask for.
// Nothing here asserts a timing.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "core/source.h"
#include "engine/network_model.h"

// CPU time of this thread: on a shared machine it moves less with the load
// than wall time does.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int main(int argc, char** argv) {
  using namespace kspm;
  int runs = 5;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s [--runs N] PATH...\n", argv[0]);
    return 2;
  }
  auto fs = core::MakeLocalFileSystem();
  core::LoadResult loaded = core::LoadManifests(paths, *fs, {});
  // The full model, then the narrower ones the NET rules build.
  struct Variant {
    const char* name;
    engine::network::BuildOptions options;
  };
  const Variant variants[] = {
      {"full", {}},
      {"namespaces only (NET-001..003)", {false, false, false, false}},
      {"selection (NET-004, 008, 009)", {true, false, true, false}},
      {"exposure (NET-015)", {false, true, false, false}},
  };
  for (const Variant& v : variants) {
    std::vector<double> seconds;
    engine::network::Model last;
    for (int i = 0; i < runs; ++i) {
      double t0 = ThreadCpuSeconds();
      engine::network::Model m = engine::network::Model::Build(loaded.inventory, 37, v.options);
      seconds.push_back(ThreadCpuSeconds() - t0);
      if (i + 1 == runs) last = std::move(m);
    }
    size_t selected = 0;
    size_t exposed = 0;
    for (size_t p = 0; p < last.policies().size(); ++p) selected += last.SelectedBy(p).size();
    for (const auto& w : last.workloads()) exposed += w.exposures.empty() ? 0 : 1;
    std::sort(seconds.begin(), seconds.end());
    std::printf(
        "%-32s CPU best %.4f s, median %.4f s over %d runs: %zu namespaces, %zu workloads, "
        "%zu policies (%zu selections), %zu services, %zu exposed workloads\n",
        v.name, seconds.front(), seconds[seconds.size() / 2], runs, last.namespaces().size(),
        last.workloads().size(), last.policies().size(), selected, last.services().size(), exposed);
  }
  return 0;
}

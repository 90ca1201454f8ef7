#include <iostream>

#include "cli/commands.h"

#ifndef KSPM_VERSION
#define KSPM_VERSION "0.0.0-dev"
#endif

namespace kspm::cli {

const char* Version() { return KSPM_VERSION; }

bool ParseK8sVersion(std::string_view text, int& minor) {
  if (text == "latest") {
    minor = kNewestK8sMinor;
    return true;
  }
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  if (text.substr(0, 2) != "1.") return false;
  text.remove_prefix(2);
  size_t dot = text.find('.');
  std::string_view digits = text.substr(0, dot);
  if (digits.empty() || digits.size() > 3) return false;
  int v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (dot != std::string_view::npos) {
    std::string_view patch = text.substr(dot + 1);
    if (patch.empty()) return false;
    for (char c : patch) {
      if (c < '0' || c > '9') return false;
    }
  }
  if (v > kNewestK8sMinor) return false;
  minor = v;
  return true;
}

void AddVersionCommand(CLI::App& app, std::function<int()>& run) {
  CLI::App* cmd = app.add_subcommand("version", "Print the kspm version");
  cmd->callback([&run] {
    run = [] {
      std::cout << "kspm " << Version() << " (Kubernetes 1.0–1." << kNewestK8sMinor
                << " Pod Security Standards)\n";
      return kExitClean;
    };
  });
}

}  // namespace kspm::cli

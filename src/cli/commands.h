// The kspm command line: one function per command; main only dispatches.
// Each returns the process exit code: 0 clean, 1 findings at or above the
// threshold (or a score under --min-score), 2 usage or input error.
#pragma once

#include <CLI/CLI.hpp>

namespace kspm::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

// Registers the subcommand on `app`; `run` is set to its entry point when chosen.
void AddScanCommand(CLI::App& app, std::function<int()>& run);
void AddRulesCommand(CLI::App& app, std::function<int()>& run);
void AddVersionCommand(CLI::App& app, std::function<int()>& run);
void AddRbacCommand(CLI::App& app, std::function<int()>& run);

const char* Version();

// Parses "1.29", "v1.29" or "1.29.3" into the minor version; false if not 1.0–1.37.
bool ParseK8sVersion(std::string_view text, int& minor);
inline constexpr int kNewestK8sMinor = 37;

}  // namespace kspm::cli

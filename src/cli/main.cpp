#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kspm: Kubernetes Security Posture Management", "kspm"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kspm::cli::Version());
  std::function<int()> run;
  kspm::cli::AddScanCommand(app, run);
  kspm::cli::AddRulesCommand(app, run);
  kspm::cli::AddVersionCommand(app, run);
  kspm::cli::AddRbacCommand(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kspm::cli::kExitError;
  }
  return run ? run() : kspm::cli::kExitError;
}

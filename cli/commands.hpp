// The subcommands of the `kpi` command. Each cli/cmd_<name>.cpp defines one `add_<name>_command`,
// which registers the subcommand, its options and its callback on the application.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace kpi::cli {

/// Exit codes of the `kpi` command (documented in `kpi --help` and docs/cli.md).
enum exit_code : int {
  exit_ok = 0,         ///< Success.
  exit_bad_input = 1,  ///< An input file is missing, unreadable or malformed (strict mode), or a
                       ///< computation failed on it.
  exit_usage = 2,      ///< Unknown option, missing argument or an invalid value.
};

/// Thrown by a subcommand to end the run with `code` after printing `message` to stderr.
struct exit_error {
  int code;
  std::string message;
};

void add_version_command(CLI::App &app);
void add_kpis_command(CLI::App &app);
void add_report_command(CLI::App &app);
void add_staff_command(CLI::App &app);
void add_clv_command(CLI::App &app);

}  // namespace kpi::cli

// The `kpi` command: sales call reports, the KPI catalog, staffing and customer value from the shell.
#include <iostream>

#include "commands.hpp"
#include "kpi/error.hpp"
#include "kpi/version.h"

int main(int argc, char **argv) {
  CLI::App app{
      "kpi: sales, marketing and telesales KPIs (libkpi)\n"
      "Exit codes: 0 ok, 1 bad input, 2 usage error."};
  app.require_subcommand(1);
  app.set_version_flag("--version", KPI_VERSION_STRING);

  kpi::cli::add_version_command(app);
  kpi::cli::add_kpis_command(app);
  kpi::cli::add_report_command(app);
  kpi::cli::add_staff_command(app);
  kpi::cli::add_clv_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    return app.exit(e) == 0 ? kpi::cli::exit_ok : kpi::cli::exit_usage;
  } catch (const kpi::cli::exit_error &e) {
    std::cerr << "kpi: " << e.message << "\n";
    return e.code;
  } catch (const kpi::parse_error &e) {
    std::cerr << "kpi: " << e.what() << "\n";
    return kpi::cli::exit_bad_input;
  } catch (const kpi::error &e) {
    std::cerr << "kpi: " << e.what() << "\n";
    return e.code() == kpi::errc::invalid_argument ? kpi::cli::exit_usage : kpi::cli::exit_bad_input;
  } catch (const std::exception &e) {
    std::cerr << "kpi: internal error: " << e.what() << "\n";
    return kpi::cli::exit_bad_input;
  }
  return kpi::cli::exit_ok;
}

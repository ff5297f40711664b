// `kpi version`: the library version, the ABI version and the instruction set of the batch path.
#include <iostream>

#include "commands.hpp"
#include "kpi/engine.hpp"
#include "kpi/version.h"

namespace kpi::cli {

void add_version_command(CLI::App &app) {
  auto *cmd = app.add_subcommand("version", "Print libkpi's version and ABI version");
  cmd->callback([] {
    std::cout << "kpi " << KPI_VERSION_STRING << " (ABI " << KPI_ABI_VERSION << ")\n"
              << "batch validation: " << kpi::batch_simd() << " (KPI_SIMD caps it)\n";
  });
}

}  // namespace kpi::cli

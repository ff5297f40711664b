// Links the static C++ core (found by find_package or add_subdirectory) and uses it.
#include <kpi/version.h>
#include <kpi/error.hpp>
#include <kpi/value.hpp>

#include <iostream>

int main() {
  const kpi::value connection_rate = kpi::ratio(61, 100);
  std::cout << "libkpi " << KPI_VERSION_STRING << " connection rate " << *connection_rate << "\n";
  return (connection_rate && !kpi::ratio(1, 0) && kpi::errc_name(kpi::errc::parse)[0] != '\0') ? 0 : 1;
}

// kpi/kpi.h must compile as C++ with -pedantic-errors -Werror and link.
#include "kpi/kpi.h"

#include <cstring>

int main() {
  return std::strcmp(kpi_version_string(), KPI_VERSION_STRING) == 0 ? 0 : 1;
}

/* Links libkpi.so (found by find_package, pkg-config or add_subdirectory) and checks header and library
 * agree. */
#include <kpi/kpi.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  printf("libkpi %s\n", kpi_version_string());
  return (kpi_version_number() == KPI_VERSION_NUMBER && strcmp(kpi_status_str(KPI_EBUFS), "ok") != 0) ? 0 : 1;
}

/* kpi/kpi.h must compile as strict C99 (-std=c99 -pedantic-errors -Werror) and link. */
#include "kpi/kpi.h"

#include <stdio.h>

int main(void) {
  if (kpi_version_number() != KPI_VERSION_NUMBER) {
    fprintf(stderr, "header %d, library %d\n", KPI_VERSION_NUMBER, (int)kpi_version_number());
    return 1;
  }
  return 0;
}

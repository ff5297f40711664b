/* The C test program of the ABI: runs every module's checks and prints "N passed, N failed". */
#include "capi_test.h"

int kpi_test_passed = 0;
int kpi_test_failed = 0;

int main(void) {
  test_common();
  test_catalog();
  test_engine();
  test_models();
  test_staffing();
  test_views();
  printf("%d passed, %d failed\n", kpi_test_passed, kpi_test_failed);
  return kpi_test_failed == 0 ? 0 : 1;
}

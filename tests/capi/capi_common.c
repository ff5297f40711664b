/* Status codes, last-error handling and versions of the C ABI. */
#include "capi_test.h"

void test_common(void) {
  /* One version source: header macros and run-time functions agree. */
  CHECK(kpi_version_number() == KPI_VERSION_NUMBER);
  CHECK(strcmp(kpi_version_string(), KPI_VERSION_STRING) == 0);
  CHECK(kpi_abi_version() == KPI_ABI_VERSION);
  CHECK(KPI_VERSION_CHECK(0, 0, 1));
  CHECK(!KPI_VERSION_CHECK(KPI_VERSION_MAJOR + 1, 0, 0));

  /* Every status has static text; unknown codes too. */
  CHECK(strcmp(kpi_status_str(KPI_OK), "ok") == 0);
  CHECK(strcmp(kpi_status_str(KPI_EBUFS), "buffer too small") == 0);
  CHECK(strcmp(kpi_status_str(KPI_EUNDEFINED), "undefined result") == 0);
  CHECK(strcmp(kpi_status_str(-4242), "unknown status") == 0);
  CHECK(kpi_status_str(KPI_EINTERNAL) != NULL);

  /* The last error starts empty and can be cleared. */
  kpi_clear_error();
  CHECK(kpi_last_error_message() != NULL);
  CHECK(kpi_last_error_message()[0] == '\0');
}

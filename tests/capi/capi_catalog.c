/* The KPI catalog through the C ABI: listing, lookup by id and name, and every error path. */
#include "capi_test.h"

void test_catalog(void) {
  size_t count = 0, i;
  kpi_kpi_info info = KPI_KPI_INFO_INIT;
  kpi_kpi_info bad = KPI_KPI_INFO_INIT;
  int32_t previous_id = 0;

  CHECK_STATUS(kpi_catalog_count(&count), KPI_OK);
  CHECK(count >= 60);

  /* In id order, every entry named, described and with a known unit. */
  for (i = 0; i < count; ++i) {
    CHECK_STATUS(kpi_catalog_get(&info, i), KPI_OK);
    CHECK(info.id > previous_id);
    previous_id = info.id;
    CHECK(info.name != NULL && info.name[0] != '\0');
    CHECK(info.description != NULL && info.formula != NULL && info.variants != NULL);
    CHECK(strcmp(kpi_unit_str(info.unit), "unknown") != 0);
  }

  CHECK_STATUS(kpi_catalog_find(&info, "connection_rate"), KPI_OK);
  CHECK(info.id == KPI_ID_CONNECTION_RATE);
  CHECK(info.unit == KPI_UNIT_RATE);
  CHECK((info.families & KPI_FAMILY_CALLS) != 0);
  CHECK(info.windowed == 1);

  CHECK_STATUS(kpi_catalog_info(&info, KPI_ID_PIPELINE_VALUE), KPI_OK);
  CHECK(strcmp(info.name, "pipeline_value") == 0);
  CHECK(info.unit == KPI_UNIT_MONEY);
  CHECK_STATUS(kpi_catalog_info(&info, KPI_ID_OPPORTUNITY_SCORE), KPI_OK);
  CHECK(info.windowed == 0);

  /* Error paths. */
  CHECK_STATUS(kpi_catalog_find(&info, "no_such_kpi"), KPI_EUNKNOWNKPI);
  CHECK(strstr(kpi_last_error_message(), "no_such_kpi") != NULL);
  CHECK_STATUS(kpi_catalog_info(&info, 99999), KPI_EUNKNOWNKPI);
  CHECK_STATUS(kpi_catalog_get(&info, count), KPI_EINVAL);
  CHECK_STATUS(kpi_catalog_get(NULL, 0), KPI_ENULL);
  CHECK_STATUS(kpi_catalog_count(NULL), KPI_ENULL);
  CHECK_STATUS(kpi_catalog_find(&info, NULL), KPI_ENULL);
  bad.version = 0;
  CHECK_STATUS(kpi_catalog_get(&bad, 0), KPI_EVERSION);
  bad.version = KPI_KPI_INFO_VERSION + 1;
  CHECK_STATUS(kpi_catalog_get(&bad, 0), KPI_EVERSION);

  /* The init function for FFI users. */
  CHECK_STATUS(kpi_kpi_info_init(&bad, KPI_KPI_INFO_VERSION), KPI_OK);
  CHECK(bad.version == KPI_KPI_INFO_VERSION && bad.name == NULL);
  CHECK_STATUS(kpi_kpi_info_init(&bad, 0), KPI_EVERSION);
  CHECK_STATUS(kpi_kpi_info_init(NULL, KPI_KPI_INFO_VERSION), KPI_ENULL);
  CHECK(strcmp(kpi_unit_str(12345), "unknown") == 0);
}

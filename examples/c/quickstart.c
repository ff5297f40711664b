/* libkpi from C in one page: an engine grouped by agent with daily periods in Jakarta, a handful of
 * calls, and the KPIs a wallboard shows. Build: cc quickstart.c $(pkg-config --cflags --libs kpi) */
#include <kpi/kpi.h>
#include <math.h>
#include <stdio.h>

/* 2026-11-23 09:00 in Asia/Jakarta (UTC+7), as UTC milliseconds. */
#define NOV23_0900 INT64_C(1795399200000)
#define MINUTE_MS INT64_C(60000)

static kpi_call_record outbound(const char *id, const char *agent, int32_t outcome, int64_t start,
                                double talk_s) {
  kpi_call_record r = {
      KPI_CALL_RECORD_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NAN, 0, NAN, NAN};
  r.call_id = id;
  r.agent_id = agent;
  r.direction = KPI_DIRECTION_OUTBOUND;
  r.outcome = outcome;
  r.start_ms = start;
  r.talk_s = talk_s;
  return r;
}

static int print_kpi(const kpi_engine *engine, const char *name, const char *agent) {
  const int32_t dims[] = {KPI_DIM_AGENT_ID};
  const char *values[] = {agent};
  kpi_kpi_info info = KPI_KPI_INFO_INIT;
  double value = 0;
  int rc = kpi_catalog_find(&info, name);
  if (rc != KPI_OK) return rc;
  rc = kpi_engine_evaluate(&value, engine, info.id, dims, values, agent ? 1 : 0, "2026-11-23");
  if (rc == KPI_EUNDEFINED) {
    printf("%-22s %-4s undefined\n", name, agent ? agent : "all");
    return KPI_OK;
  }
  if (rc != KPI_OK) return rc;
  printf("%-22s %-4s %.3f %s\n", name, agent ? agent : "all", value, kpi_unit_str(info.unit));
  return KPI_OK;
}

int main(void) {
  const int32_t group_by[] = {KPI_DIM_AGENT_ID};
  kpi_engine_options options = KPI_ENGINE_OPTIONS_INIT;
  kpi_engine *engine = NULL;
  kpi_call_record calls[4];
  size_t accepted = 0;
  int rc;

  options.group_by = group_by;
  options.group_by_count = 1;
  options.period = KPI_PERIOD_DAY;
  options.time_zone = "Asia/Jakarta";
  rc = kpi_engine_new(&engine, &options);
  if (rc != KPI_OK) {
    fprintf(stderr, "kpi_engine_new: %s: %s\n", kpi_status_str(rc), kpi_last_error_message());
    return 1;
  }
  calls[0] = outbound("c1", "A1", KPI_OUTCOME_CONNECTED, NOV23_0900, 312);
  calls[1] = outbound("c2", "A1", KPI_OUTCOME_NO_ANSWER, NOV23_0900 + 6 * MINUTE_MS, 0);
  calls[2] = outbound("c3", "A2", KPI_OUTCOME_CONNECTED, NOV23_0900 + 2 * MINUTE_MS, 95);
  calls[3] = outbound("c4", "A2", KPI_OUTCOME_VOICEMAIL, NOV23_0900 + 4 * MINUTE_MS, 0);
  rc = kpi_engine_add_calls(engine, calls, 4, sizeof calls[0], &accepted);
  if (rc == KPI_OK) rc = print_kpi(engine, "connection_rate", NULL);
  if (rc == KPI_OK) rc = print_kpi(engine, "connection_rate", "A1");
  if (rc == KPI_OK) rc = print_kpi(engine, "avg_talk_time_s", NULL);
  if (rc == KPI_OK) rc = print_kpi(engine, "short_call_share", NULL);
  if (rc == KPI_OK) rc = print_kpi(engine, "abandon_rate", NULL); /* no inbound calls: undefined */
  if (rc != KPI_OK) fprintf(stderr, "libkpi: %s: %s\n", kpi_status_str(rc), kpi_last_error_message());
  printf("accepted %zu calls\n", accepted);
  kpi_engine_free(engine);
  return rc == KPI_OK ? 0 : 1;
}

/* The streaming engine through the C ABI: ingest (structs with a stride, and columns), queries,
 * roll-ups, merge, save/load, and every error path. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "capi_test.h"

/* 2026-11-23 00:00 in Asia/Jakarta (UTC+7) is 2026-11-22T17:00:00Z. */
#define JKT_NOV23 INT64_C(1795366800000)
#define HOUR_MS INT64_C(3600000)

static kpi_call_record call(const char *id, const char *agent, int32_t outcome, int64_t start, double talk) {
  kpi_call_record r;
  memset(&r, 0, sizeof r);
  r.version = KPI_CALL_RECORD_VERSION;
  r.call_id = id;
  r.agent_id = agent;
  r.direction = KPI_DIRECTION_OUTBOUND;
  r.outcome = outcome;
  r.start_ms = start;
  r.wait_s = NAN;
  r.talk_s = talk;
  r.hold_s = NAN;
  r.acw_s = NAN;
  return r;
}

static kpi_engine *new_engine(void) {
  const int32_t dims[] = {KPI_DIM_AGENT_ID};
  kpi_engine_options options = KPI_ENGINE_OPTIONS_INIT;
  kpi_engine *engine = NULL;
  options.group_by = dims;
  options.group_by_count = 1;
  options.period = KPI_PERIOD_DAY;
  options.time_zone = "Asia/Jakarta";
  options.default_currency = "IDR";
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_OK);
  return engine;
}

/* Four outbound calls on 23 November (Jakarta), one on the 22nd one millisecond before midnight:
 *   A1 connected 300 s, A1 no_answer, A2 connected 200 s, A2 voicemail (not connected), A1 connected
 *   100 s on the 22nd.
 * 23 Nov: connection_rate = 2 connected / 4 outbound = 0.5; A1: 1/2; avg talk = (300 + 200) / 2. */
static void add_sample(kpi_engine *engine) {
  kpi_call_record calls[5];
  size_t accepted = 0;
  calls[0] = call("c1", "A1", KPI_OUTCOME_CONNECTED, JKT_NOV23, 300);
  calls[1] = call("c2", "A1", KPI_OUTCOME_NO_ANSWER, JKT_NOV23 + HOUR_MS, 0);
  calls[2] = call("c3", "A2", KPI_OUTCOME_CONNECTED, JKT_NOV23 + 2 * HOUR_MS, 200);
  calls[3] = call("c4", "A2", KPI_OUTCOME_VOICEMAIL, JKT_NOV23 + 3 * HOUR_MS, 0);
  calls[4] = call("c5", "A1", KPI_OUTCOME_CONNECTED, JKT_NOV23 - 1, 100);
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 5, sizeof calls[0], &accepted), KPI_OK);
  CHECK(accepted == 5);
}

static void test_queries(void) {
  kpi_engine *engine = new_engine();
  const int32_t agent[] = {KPI_DIM_AGENT_ID};
  const char *a1[] = {"A1"};
  const int32_t ids[] = {KPI_ID_CALLS, KPI_ID_CONNECTION_RATE, KPI_ID_ABANDON_RATE};
  double value = 0, values[3];
  int statuses[3];
  kpi_ingest_counts counts = KPI_INGEST_COUNTS_INIT;

  add_sample(engine);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CONNECTION_RATE, NULL, NULL, 0, "2026-11-23"),
               KPI_OK);
  CHECK_NEAR(value, 0.5, 1e-12);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CONNECTION_RATE, agent, a1, 1, "2026-11-23"),
               KPI_OK);
  CHECK_NEAR(value, 0.5, 1e-12);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_AVG_TALK_TIME_S, NULL, NULL, 0, "2026-11-23"),
               KPI_OK);
  CHECK_NEAR(value, 250.0, 1e-9);
  /* The call one millisecond before Jakarta midnight is on the 22nd. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CALLS, NULL, NULL, 0, "2026-11-22"), KPI_OK);
  CHECK_NEAR(value, 1.0, 0);
  /* The month rolls the days up: 5 calls, 3 connected. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CONNECTION_RATE, NULL, NULL, 0, "2026-11"), KPI_OK);
  CHECK_NEAR(value, 0.6, 1e-12);
  /* No inbound calls: abandon rate is undefined, not 0, and *out is NaN. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_ABANDON_RATE, NULL, NULL, 0, NULL), KPI_EUNDEFINED);
  CHECK(value != value);

  CHECK_STATUS(kpi_engine_evaluate_many(values, statuses, engine, ids, 3, agent, a1, 1, NULL), KPI_OK);
  CHECK_NEAR(values[0], 3.0, 0);
  CHECK_NEAR(values[1], 2.0 / 3.0, 1e-12);
  CHECK(statuses[0] == KPI_OK && statuses[1] == KPI_OK && statuses[2] == KPI_EUNDEFINED);

  CHECK_STATUS(kpi_engine_counts(&counts, engine), KPI_OK);
  CHECK(counts.read == 5 && counts.accepted == 5 && counts.rejected == 0);

  /* The report as JSON, with the size-query protocol. */
  {
    char small[8];
    size_t need = 0;
    char *json;
    CHECK_STATUS(
        kpi_engine_report_json(small, sizeof small, &need, engine, ids, 2, agent, 1, KPI_PERIOD_MONTH),
        KPI_EBUFS);
    CHECK(need > sizeof small);
    json = (char *)malloc(need);
    CHECK_STATUS(kpi_engine_report_json(json, need, &need, engine, ids, 2, agent, 1, KPI_PERIOD_MONTH),
                 KPI_OK);
    CHECK(strstr(json, "\"connection_rate\"") != NULL && strstr(json, "\"A1\"") != NULL);
    CHECK(strlen(json) + 1 == need);
    free(json);
  }

  /* A parameter changes later queries: a short-call threshold of 250 s makes the 200 s call short. */
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_SHORT_CALL_THRESHOLD_S, 250), KPI_OK);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_SHORT_CALL_SHARE, NULL, NULL, 0, "2026-11-23"),
               KPI_OK);
  CHECK_NEAR(value, 0.5, 1e-12); /* 200 < 250, 300 is not: 1 of 2 handled calls */

  /* Errors. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, 99999, NULL, NULL, 0, NULL), KPI_EUNKNOWNKPI);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CALLS, NULL, NULL, 0, "not-a-period"), KPI_EINVAL);
  {
    const int32_t team[] = {KPI_DIM_TEAM_ID};
    const char *t1[] = {"T1"};
    CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CALLS, team, t1, 1, NULL), KPI_EINVAL);
  }
  CHECK_STATUS(kpi_engine_evaluate(NULL, engine, KPI_ID_CALLS, NULL, NULL, 0, NULL), KPI_ENULL);
  CHECK_STATUS(kpi_engine_evaluate(&value, NULL, KPI_ID_CALLS, NULL, NULL, 0, NULL), KPI_ENULL);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_SERVICE_LEVEL_VARIANT, 9), KPI_EINVAL);
  CHECK_STATUS(kpi_engine_set_param(engine, 4242, 1), KPI_EINVAL);
  CHECK_STATUS(kpi_engine_set_param(NULL, KPI_PARAM_SHORT_CALL_THRESHOLD_S, 1), KPI_ENULL);
  kpi_engine_free(engine);
}

static void test_batches_merge_and_state(void) {
  /* The same five calls as columns, split over two engines, merged: equal to the single pass. */
  static const char *const agents[] = {"A1", "A2"};
  const int64_t start[] = {JKT_NOV23, JKT_NOV23 + HOUR_MS, JKT_NOV23 + 2 * HOUR_MS, JKT_NOV23 + 3 * HOUR_MS,
                           JKT_NOV23 - 1};
  const int32_t direction[] = {0, 0, 0, 0, 0};
  const int32_t outcome[] = {KPI_OUTCOME_CONNECTED, KPI_OUTCOME_NO_ANSWER, KPI_OUTCOME_CONNECTED,
                             KPI_OUTCOME_VOICEMAIL, KPI_OUTCOME_CONNECTED};
  const double talk[] = {300, 0, 200, 0, 100};
  const int32_t agent_codes[] = {0, 0, 1, 1, 0};
  kpi_call_columns first = KPI_CALL_COLUMNS_INIT, second = KPI_CALL_COLUMNS_INIT;
  kpi_engine *single = new_engine(), *a = new_engine(), *b = new_engine(), *loaded = NULL;
  size_t accepted = 0, size = 0, size2 = 0;
  unsigned char *bytes;
  double x = 0, y = 0;

  add_sample(single);
  first.rows = 3;
  first.start_ms = start;
  first.direction = direction;
  first.outcome = outcome;
  first.talk_s = talk;
  first.agent_codes = agent_codes;
  first.agent_dictionary = agents;
  first.agent_dictionary_size = 2;
  second = first;
  second.rows = 2;
  second.start_ms = start + 3;
  second.direction = direction + 3;
  second.outcome = outcome + 3;
  second.talk_s = talk + 3;
  second.agent_codes = agent_codes + 3;
  CHECK_STATUS(kpi_engine_add_call_columns(a, &first, &accepted), KPI_OK);
  CHECK(accepted == 3);
  CHECK_STATUS(kpi_engine_add_call_columns(b, &second, &accepted), KPI_OK);
  CHECK(accepted == 2);
  CHECK_STATUS(kpi_engine_merge(b, a), KPI_OK);
  CHECK_STATUS(kpi_engine_evaluate(&x, single, KPI_ID_P90_TALK_TIME_S, NULL, NULL, 0, "2026-11"), KPI_OK);
  CHECK_STATUS(kpi_engine_evaluate(&y, b, KPI_ID_P90_TALK_TIME_S, NULL, NULL, 0, "2026-11"), KPI_OK);
  CHECK(x == y);
  CHECK_STATUS(kpi_engine_evaluate(&y, b, KPI_ID_CALLS, NULL, NULL, 0, NULL), KPI_OK);
  CHECK_NEAR(y, 5.0, 0);

  /* A code outside its dictionary: nothing is added. */
  {
    const int32_t bad_codes[] = {0, 7, 0};
    kpi_call_columns bad = first;
    bad.agent_codes = bad_codes;
    CHECK_STATUS(kpi_engine_add_call_columns(a, &bad, &accepted), KPI_EINVAL);
    bad = first;
    bad.version = 0;
    CHECK_STATUS(kpi_engine_add_call_columns(a, &bad, &accepted), KPI_EVERSION);
    bad = first;
    bad.talk_s = NULL;
    CHECK_STATUS(kpi_engine_add_call_columns(a, &bad, &accepted), KPI_ENULL);
  }

  /* Save with the size-query protocol, load, same answers. */
  CHECK_STATUS(kpi_engine_save(NULL, 0, &size, b), KPI_EBUFS);
  CHECK(size > 16);
  bytes = (unsigned char *)malloc(size);
  CHECK_STATUS(kpi_engine_save(bytes, size - 1, &size2, b), KPI_EBUFS);
  CHECK_STATUS(kpi_engine_save(bytes, size, &size2, b), KPI_OK);
  CHECK(size2 == size);
  CHECK_STATUS(kpi_engine_load(&loaded, bytes, size), KPI_OK);
  CHECK_STATUS(kpi_engine_evaluate(&x, loaded, KPI_ID_CONNECTION_RATE, NULL, NULL, 0, "2026-11"), KPI_OK);
  CHECK_NEAR(x, 0.6, 1e-12);
  kpi_engine_free(loaded);
  loaded = NULL;
  /* Truncated and corrupted bytes are rejected, never a crash. */
  CHECK_STATUS(kpi_engine_load(&loaded, bytes, size / 2), KPI_ECORRUPT);
  CHECK(loaded == NULL);
  bytes[size / 2] ^= 0x5A;
  CHECK_STATUS(kpi_engine_load(&loaded, bytes, size), KPI_ECORRUPT);
  CHECK_STATUS(kpi_engine_load(&loaded, "KPIE", 4), KPI_ECORRUPT);
  CHECK_STATUS(kpi_engine_load(NULL, bytes, size), KPI_ENULL);
  free(bytes);

  kpi_engine_free(single);
  kpi_engine_free(a);
  kpi_engine_free(b);
}

static void test_records_and_currencies(void) {
  kpi_engine *engine = new_engine();
  kpi_order_record orders[2];
  kpi_call_record calls[1];
  size_t accepted = 0;
  double value = 0;

  memset(orders, 0, sizeof orders);
  orders[0].version = KPI_ORDER_RECORD_VERSION;
  orders[0].order_id = "o1";
  orders[0].agent_id = "A1";
  orders[0].time_ms = JKT_NOV23;
  orders[0].amount_minor = INT64_C(85000000); /* Rp850,000.00 */
  orders[0].currency = "IDR";
  orders[1] = orders[0];
  orders[1].order_id = "o2";
  orders[1].agent_id = "A2";
  orders[1].amount_minor = 5000; /* US$50.00 */
  orders[1].currency = "USD";
  CHECK_STATUS(kpi_engine_add_orders(engine, orders, 2, sizeof orders[0], &accepted), KPI_OK);
  CHECK(accepted == 2);
  {
    const int32_t agent[] = {KPI_DIM_AGENT_ID};
    const char *a1[] = {"A1"};
    CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_SALES_REVENUE, agent, a1, 1, NULL), KPI_OK);
    CHECK_NEAR(value, 850000.0, 1e-6);
  }
  /* Two currencies in one roll-up, without rates: an error, never a silent sum. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_SALES_REVENUE, NULL, NULL, 0, NULL), KPI_ECURRENCY);
  CHECK(strstr(kpi_last_error_message(), "USD") != NULL || strstr(kpi_last_error_message(), "IDR") != NULL);
  /* Per agent the orders count; across the two currencies even the count is refused, because the
   * order family of that roll-up could not be merged (calls, leads and the rest would still answer). */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_ORDERS, NULL, NULL, 0, NULL), KPI_ECURRENCY);
  CHECK(strstr(kpi_last_error_message(), "several currencies") != NULL);

  /* Bad records: an unknown currency code or an enum out of range stops the call at that record. */
  orders[1].currency = "QQQ";
  CHECK_STATUS(kpi_engine_add_orders(engine, orders, 2, sizeof orders[0], &accepted), KPI_ECURRENCY);
  CHECK(accepted == 1);
  calls[0] = call("c9", "A1", 77, JKT_NOV23, 0);
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 1, sizeof calls[0], &accepted), KPI_EINVAL);
  calls[0] = call("c9", "A1", KPI_OUTCOME_CONNECTED, JKT_NOV23, 10);
  calls[0].version = 0;
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 1, sizeof calls[0], &accepted), KPI_EVERSION);
  calls[0].version = KPI_CALL_RECORD_VERSION + 1;
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 1, sizeof calls[0], &accepted), KPI_EVERSION);
  calls[0].version = KPI_CALL_RECORD_VERSION;
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 1, 8, &accepted), KPI_EINVAL);
  CHECK_STATUS(kpi_engine_add_calls(engine, NULL, 1, sizeof calls[0], &accepted), KPI_ENULL);
  /* A record the engine finds invalid (negative talk) is rejected and counted, not an error. */
  calls[0].talk_s = -3;
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 1, sizeof calls[0], &accepted), KPI_OK);
  CHECK(accepted == 0);
  {
    kpi_ingest_counts counts = KPI_INGEST_COUNTS_INIT;
    CHECK_STATUS(kpi_engine_counts(&counts, engine), KPI_OK);
    CHECK(counts.rejected == 1);
    counts.version = 0;
    CHECK_STATUS(kpi_engine_counts(&counts, engine), KPI_EVERSION);
  }
  /* Conversion rates let two currencies add up: US$1 = Rp16,000. */
  CHECK_STATUS(kpi_engine_set_rate(engine, "USD", "16000"), KPI_OK);
  CHECK_STATUS(kpi_engine_set_rate(engine, "QQQ", "1"), KPI_ECURRENCY);
  kpi_engine_free(engine);
}

static void test_options(void) {
  kpi_engine *engine = NULL;
  kpi_engine_options options = KPI_ENGINE_OPTIONS_INIT;
  const int32_t twice[] = {KPI_DIM_AGENT_ID, KPI_DIM_AGENT_ID};
  double lo = 0, hi = 0;

  CHECK_STATUS(kpi_engine_new(&engine, NULL), KPI_OK); /* NULL options: the defaults */
  kpi_engine_free(engine);
  kpi_engine_free(NULL); /* allowed */
  CHECK_STATUS(kpi_engine_new(NULL, &options), KPI_ENULL);
  options.version = 0;
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_EVERSION);
  CHECK(engine == NULL);
  options.version = KPI_ENGINE_OPTIONS_VERSION + 1;
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_EVERSION);
  CHECK_STATUS(kpi_engine_options_init(&options, KPI_ENGINE_OPTIONS_VERSION), KPI_OK);
  options.time_zone = "Mars/Olympus_Mons";
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_EINVAL);
  CHECK(strstr(kpi_last_error_message(), "Mars/Olympus_Mons") != NULL);
  options.time_zone = NULL;
  options.default_currency = "QQQ";
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_ECURRENCY);
  options.default_currency = NULL;
  options.group_by = twice;
  options.group_by_count = 2;
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_EINVAL);
  options.group_by_count = 0;
  options.period = 17;
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_EINVAL);

  CHECK_STATUS(kpi_param_bounds(&lo, &hi, KPI_PARAM_SERVICE_LEVEL_VARIANT), KPI_OK);
  CHECK(lo == 0 && hi == 4);
  CHECK_STATUS(kpi_param_bounds(&lo, &hi, 4242), KPI_EINVAL);
  CHECK_STATUS(kpi_param_bounds(NULL, &hi, KPI_PARAM_CLV_DISCOUNT), KPI_ENULL);
}

/* Churn from orders (version 2 options) and the control-group baseline, by hand. Days in UTC, N = 14. */
static void test_order_churn_and_control(void) {
  kpi_engine *engine = NULL;
  kpi_engine_options options;
  kpi_order_record orders[3];
  size_t accepted = 0;
  double value = 0, lo = 0, hi = 0;
  struct {
    uint32_t version;
    const int32_t *group_by;
  } *v1 = NULL;

  CHECK_STATUS(kpi_engine_options_init(&options, KPI_ENGINE_OPTIONS_VERSION), KPI_OK);
  CHECK(options.track_order_activity == 0 && options.order_activity_resolution_days == 1.0);
  options.track_order_activity = 1;
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_OK);
  memset(orders, 0, sizeof orders);
  orders[0].version = KPI_ORDER_RECORD_VERSION;
  orders[0].order_id = "o1";
  orders[0].customer_id = "u1";
  orders[0].time_ms = INT64_C(1792281600000); /* 2026-10-18T00:00Z: exactly 14 days before November */
  orders[0].amount_minor = 10000;             /* Rp100.00 */
  orders[0].currency = "IDR";
  orders[1] = orders[0];
  orders[1].order_id = "o2";
  orders[1].customer_id = "u2";
  orders[1].time_ms = INT64_C(1792800000000); /* 2026-10-24T00:00Z */
  orders[2] = orders[1];
  orders[2].order_id = "o3";
  orders[2].time_ms = INT64_C(1793836800000); /* 2026-11-05T00:00Z: u2 again after 12 days */
  CHECK_STATUS(kpi_engine_add_orders(engine, orders, 3, sizeof orders[0], &accepted), KPI_OK);
  CHECK(accepted == 3);
  /* Contractual (default): no customer records, churn undefined. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CHURN_RATE, NULL, NULL, 0, "2026-11"),
               KPI_EUNDEFINED);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CHURN_INACTIVITY_DAYS, 14), KPI_OK);
  /* At the start of November u1 (10-18) and u2 (10-24); u1 lost at 11-01, u2 lost at 11-19: churn 1. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CUSTOMERS_AT_START, NULL, NULL, 0, "2026-11"),
               KPI_OK);
  CHECK(value == 2.0);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CHURN_RATE, NULL, NULL, 0, "2026-11"), KPI_OK);
  CHECK(value == 1.0);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CHURN_INACTIVITY_DAYS, 0.5), KPI_OK);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CHURN_RATE, NULL, NULL, 0, "2026-11"), KPI_EINVAL);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CHURN_INACTIVITY_DAYS, -1), KPI_EINVAL);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CHURN_INACTIVITY_DAYS, 0), KPI_OK);
  /* Control group: Rp30.00 over 3 customers vs 10 treated: baseline Rp100.00; November revenue Rp100.00. */
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CONTROL_REVENUE, 30), KPI_OK);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CONTROL_SIZE, 3), KPI_OK);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_TREATED_SIZE, 10), KPI_OK);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_INCREMENTAL_SALES, NULL, NULL, 0, "2026-11"),
               KPI_OK);
  CHECK_NEAR(value, 0.0, 1e-9);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CONTROL_SIZE, 0), KPI_EINVAL);
  CHECK_STATUS(kpi_engine_set_param(engine, KPI_PARAM_CONTROL_REVENUE, NAN), KPI_OK); /* back to previous */
  /* Previous period October: Rp200.00. Incremental 100 − 200 = −100. */
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_INCREMENTAL_SALES, NULL, NULL, 0, "2026-11"),
               KPI_OK);
  CHECK_NEAR(value, -100.0, 1e-9);
  CHECK_STATUS(kpi_param_bounds(&lo, &hi, KPI_PARAM_CHURN_INACTIVITY_DAYS), KPI_OK);
  CHECK(lo == 0 && hi == 36500);
  CHECK_STATUS(kpi_param_bounds(&lo, &hi, KPI_PARAM_TREATED_SIZE), KPI_OK);
  CHECK(lo > 0);
  kpi_engine_free(engine);
  /* A version 1 options struct (shorter) is still accepted; init writes only its fields. */
  v1 = malloc(offsetof(kpi_engine_options, track_order_activity));
  CHECK(v1 != NULL);
  CHECK_STATUS(kpi_engine_options_init((kpi_engine_options *)(void *)v1, 1), KPI_OK);
  CHECK(v1->version == 1);
  CHECK_STATUS(kpi_engine_new(&engine, (const kpi_engine_options *)(const void *)v1), KPI_OK);
  kpi_engine_free(engine);
  free(v1);
  options.order_activity_resolution_days = -1;
  CHECK_STATUS(kpi_engine_new(&engine, &options), KPI_EINVAL);
}

/* A long array of structs goes through the columnar kernel in chunks; a bad struct in it still stops
 * the call with every record before it added. 100 connected calls of 60 s on 23 November, the 80th
 * (index 79) with a version from the future: 79 accepted, status KPI_EVERSION; then the last 21. */
static void test_long_record_array(void) {
  kpi_engine *engine = new_engine();
  kpi_call_record calls[100];
  char ids[100][8];
  size_t accepted = 0;
  double value = 0;
  int i;
  for (i = 0; i < 100; ++i) {
    snprintf(ids[i], sizeof ids[i], "L%d", i);
    calls[i] = call(ids[i], i % 2 ? "A1" : "A2", KPI_OUTCOME_CONNECTED, JKT_NOV23 + i * 1000, 60);
  }
  calls[79].version = KPI_CALL_RECORD_VERSION + 1;
  CHECK_STATUS(kpi_engine_add_calls(engine, calls, 100, sizeof calls[0], &accepted), KPI_EVERSION);
  CHECK(accepted == 79);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_CALLS, NULL, NULL, 0, "2026-11-23"), KPI_OK);
  CHECK(value == 79);
  CHECK_STATUS(kpi_engine_add_calls(engine, calls + 79 + 1, 20, sizeof calls[0], &accepted), KPI_OK);
  CHECK(accepted == 20);
  CHECK_STATUS(kpi_engine_evaluate(&value, engine, KPI_ID_TALK_TIME_TOTAL_S, NULL, NULL, 0, "2026-11-23"),
               KPI_OK);
  CHECK(value == 99 * 60);
  kpi_engine_free(engine);
}

void test_engine(void) {
  test_long_record_array();
  test_order_churn_and_control();
  test_queries();
  test_batches_merge_and_state();
  test_records_and_currencies();
  test_options();
}

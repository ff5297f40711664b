/* The views module of the C ABI: targets, target tables, leaderboards, coaching flags, anomaly alerts
 * through a callback, trend. Expected values are worked out by hand in the comments. */
#include "capi_test.h"

/* 2026-01-05T00:00:00Z, a Monday, in Unix milliseconds (20458 days after 1970-01-01). */
#define MONDAY_MS (20458LL * 86400000LL)
#define DAY_MS 86400000LL

typedef struct alert_log {
  int count;
  int64_t last_time_ms;
  double last_score;
  int32_t last_direction;
} alert_log;

static void on_alert(const kpi_anomaly_alert *alert, void *payload) {
  alert_log *log = (alert_log *)payload;
  ++log->count;
  log->last_time_ms = alert->time_ms;
  log->last_score = alert->score;
  log->last_direction = alert->direction;
}

/* Weekly pattern (Monday first) 120 110 100 100 90 40 5, +1 in even weeks, -1 in odd ones: every
 * 28-day window holds b+1, b+1, b-1, b-1 for each weekday: leave-one-out residuals +-2, so m = 0 and
 * MAD = 2; a new point is judged against the median b of all four. */
static double weekly(int i) {
  static const double base[7] = {120, 110, 100, 100, 90, 40, 5};
  return base[i % 7] + ((i / 7) % 2 == 0 ? 1.0 : -1.0);
}

static void test_targets(void) {
  kpi_target_spec spec = KPI_TARGET_SPEC_INIT;
  kpi_target_evaluation ev = KPI_TARGET_EVALUATION_INIT;
  kpi_target_spec bad = KPI_TARGET_SPEC_INIT;
  double progress = 0.0;
  int32_t additive = -1;

  /* Exactly met: >= 80 with 80 at the period's end: met, attainment 1. */
  spec.value = 80.0;
  spec.additive = 1;
  CHECK_STATUS(kpi_target_evaluate(&ev, &spec, 80.0, 1, 1.0), KPI_OK);
  CHECK(ev.status == KPI_TARGET_MET);
  CHECK(ev.has_attainment == 1);
  CHECK_NEAR(ev.attainment, 1.0, 0.0);

  /* >= 30e6 revenue, half the month gone, 12e6 so far: prorated 15e6, run rate 24e6, at risk. */
  spec.value = 30000000.0;
  CHECK_STATUS(kpi_target_evaluate(&ev, &spec, 12000000.0, 1, 0.5), KPI_OK);
  CHECK(ev.status == KPI_TARGET_AT_RISK);
  CHECK_NEAR(ev.prorated_target, 15000000.0, 0.0);
  CHECK(ev.has_projection == 1);
  CHECK_NEAR(ev.projection, 24000000.0, 0.0);
  CHECK_NEAR(ev.attainment, 0.4, 1e-15);
  CHECK(strcmp(kpi_target_status_str(ev.status), "at_risk") == 0);

  /* Talk time between 240 and 360 (a mean): 400 at the end is missed, attainment 360/400 = 0.9. */
  spec.op = KPI_TARGET_BETWEEN;
  spec.value = 240.0;
  spec.value2 = 360.0;
  spec.additive = 0;
  CHECK_STATUS(kpi_target_evaluate(&ev, &spec, 400.0, 1, 1.0), KPI_OK);
  CHECK(ev.status == KPI_TARGET_MISSED);
  CHECK_NEAR(ev.attainment, 0.9, 1e-15);
  CHECK(ev.has_projection == 0);
  CHECK(isnan(ev.projection));
  CHECK(ev.has_prorated_target2 == 1);
  CHECK_NEAR(ev.prorated_target2, 360.0, 0.0);

  /* Undefined actual: no data. */
  CHECK_STATUS(kpi_target_evaluate(&ev, &spec, 0.0, 0, 1.0), KPI_OK);
  CHECK(ev.status == KPI_TARGET_NO_DATA);
  CHECK(strcmp(kpi_target_status_str(KPI_TARGET_NO_DATA), "no_data") == 0);
  CHECK(strcmp(kpi_target_status_str(42), "unknown") == 0);

  /* Errors. */
  CHECK_STATUS(kpi_target_evaluate(&ev, &spec, 1.0, 1, 1.5), KPI_EINVAL);
  CHECK(strstr(kpi_last_error_message(), "1.5") != NULL);
  bad.op = KPI_TARGET_BETWEEN;
  bad.value = 5.0;
  bad.value2 = 4.0;
  CHECK_STATUS(kpi_target_evaluate(&ev, &bad, 1.0, 1, 1.0), KPI_EINVAL);
  bad.op = 9;
  CHECK_STATUS(kpi_target_evaluate(&ev, &bad, 1.0, 1, 1.0), KPI_EINVAL);
  bad.version = 0;
  CHECK_STATUS(kpi_target_evaluate(&ev, &bad, 1.0, 1, 1.0), KPI_EVERSION);
  CHECK_STATUS(kpi_target_evaluate(NULL, &spec, 1.0, 1, 1.0), KPI_ENULL);
  CHECK_STATUS(kpi_target_evaluate(&ev, NULL, 1.0, 1, 1.0), KPI_ENULL);
  CHECK_STATUS(kpi_target_spec_init(&bad, KPI_TARGET_SPEC_VERSION), KPI_OK);
  CHECK(bad.op == KPI_TARGET_AT_LEAST && bad.additive == 0);
  CHECK_STATUS(kpi_target_spec_init(&bad, 99), KPI_EVERSION);
  CHECK_STATUS(kpi_target_evaluation_init(&ev, KPI_TARGET_EVALUATION_VERSION), KPI_OK);
  CHECK(ev.status == KPI_TARGET_NO_DATA);

  /* Progress: "2026-11" (30 days) at 2026-11-16T00:00Z (20773 days) is 15/30 = 0.5. */
  CHECK_STATUS(kpi_period_progress(&progress, "2026-11", NULL, 20773LL * DAY_MS), KPI_OK);
  CHECK_NEAR(progress, 0.5, 0.0);
  /* In Asia/Jakarta (UTC+7) the same instant is 7 h later into the month: (15 d + 7 h) / 30 d. */
  CHECK_STATUS(kpi_period_progress(&progress, "2026-11", "Asia/Jakarta", 20773LL * DAY_MS), KPI_OK);
  CHECK_NEAR(progress, 367.0 / 720.0, 1e-15);
  CHECK_STATUS(kpi_period_progress(&progress, "2026-13", NULL, 0), KPI_EPARSE);
  CHECK_STATUS(kpi_period_progress(&progress, "2026-11", "Nowhere/Atlantis", 0), KPI_ENOTFOUND);

  CHECK_STATUS(kpi_target_is_additive(&additive, "sales_revenue"), KPI_OK);
  CHECK(additive == 1);
  CHECK_STATUS(kpi_target_is_additive(&additive, "connection_rate"), KPI_OK);
  CHECK(additive == 0);
}

static void test_target_table(void) {
  const char *path = "capi_views_targets.csv";
  FILE *f = fopen(path, "w");
  kpi_target_table *table = NULL;
  kpi_target t = KPI_TARGET_INIT;
  kpi_target got = KPI_TARGET_INIT;
  kpi_target_spec spec = KPI_TARGET_SPEC_INIT;
  size_t n = 0;

  CHECK(f != NULL);
  if (f == NULL) return;
  fputs("kpi,agent_id,team_id,campaign_id,period,op,value,value2\n", f);
  fputs("avg_talk_time_s,,north,,2026-11,between,240,360\n", f);
  fputs("orders,,,,2026-11,>=,100,\n", f);
  fclose(f);

  CHECK_STATUS(kpi_target_table_new(&table), KPI_OK);
  CHECK_STATUS(kpi_target_table_read_csv(table, path), KPI_OK);
  CHECK_STATUS(kpi_target_table_count(&n, table), KPI_OK);
  CHECK(n == 2);
  CHECK_STATUS(kpi_target_table_find(&spec, table, "avg_talk_time_s", NULL, "north", "", "2026-11"), KPI_OK);
  CHECK(spec.op == KPI_TARGET_BETWEEN);
  CHECK_NEAR(spec.value, 240.0, 0.0);
  CHECK_NEAR(spec.value2, 360.0, 0.0);
  CHECK(spec.additive == 0);
  CHECK_STATUS(kpi_target_table_find(&spec, table, "orders", NULL, NULL, NULL, "2026-11"), KPI_OK);
  CHECK(spec.additive == 1);
  CHECK_STATUS(kpi_target_table_find(&spec, table, "orders", NULL, NULL, NULL, "2026-12"), KPI_ENOTFOUND);

  /* Set through the API: a new key, then a replacement of an existing one. */
  t.kpi = "connection_rate";
  t.agent_id = "a7";
  t.period = "2026-W48";
  t.value = 0.6;
  CHECK_STATUS(kpi_target_table_set(table, &t), KPI_OK);
  t.kpi = "orders";
  t.agent_id = NULL;
  t.period = "2026-11";
  t.value = 120.0;
  CHECK_STATUS(kpi_target_table_set(table, &t), KPI_OK);
  CHECK_STATUS(kpi_target_table_count(&n, table), KPI_OK);
  CHECK(n == 3);
  CHECK_STATUS(kpi_target_table_get(&got, table, 1), KPI_OK);
  CHECK(strcmp(got.kpi, "orders") == 0);
  CHECK(strcmp(got.period, "2026-11") == 0);
  CHECK_NEAR(got.value, 120.0, 0.0);
  CHECK_STATUS(kpi_target_table_get(&got, table, 2), KPI_OK);
  CHECK(strcmp(got.agent_id, "a7") == 0);
  CHECK(strcmp(got.period, "2026-W48") == 0);
  CHECK_STATUS(kpi_target_table_get(&got, table, 3), KPI_EINVAL);

  /* Errors: a missing file, a bad period, a NULL kpi. */
  CHECK_STATUS(kpi_target_table_read_csv(table, "no/such/targets.csv"), KPI_EIO);
  t.period = "2026-M11";
  CHECK_STATUS(kpi_target_table_set(table, &t), KPI_EPARSE);
  t.period = "2026-11";
  t.kpi = NULL;
  CHECK_STATUS(kpi_target_table_set(table, &t), KPI_ENULL);

  kpi_target_table_free(table);
  kpi_target_table_free(NULL);
  remove(path);
}

static void test_leaderboard_and_coaching(void) {
  /* Revenue 90, 100, 80, 90 (all with 30+ orders) and 500 on 5 orders (minimum 20):
   * dense ranks 2, 1, 3, 2 and 0 (listed, not ranked). */
  const double values[5] = {90, 100, 80, 90, 500};
  const double volumes[5] = {30, 40, 25, 50, 5};
  const char *names[5] = {"dina", "agus", "budi", "citra", "eka"};
  int32_t ranks[5];
  int32_t standing[5];
  size_t order[5];
  /* Coaching: team 0 {50, 40, 30, 20, 10} in 3 periods: p25 = 20 (h = 4 x 0.25 = 1); the agent at 10
   * is under in all 3, the agent at 20 is not (strictly below). */
  const double series[15] = {50, 50, 50, 40, 40, 40, 30, 30, 30, 20, 20, 20, 10, 10, 10};
  const int32_t teams[5] = {0, 0, 0, 0, 0};
  int32_t flagged[5];
  int64_t streak[5];
  const double q[4] = {4, 1, 3, 2};
  double x = 0.0;

  CHECK_STATUS(
      kpi_leaderboard_rank(ranks, standing, order, values, NULL, volumes, names, 5, KPI_BETTER_HIGHER, 20.0),
      KPI_OK);
  CHECK(ranks[0] == 2 && ranks[1] == 1 && ranks[2] == 3 && ranks[3] == 2 && ranks[4] == 0);
  CHECK(standing[4] == KPI_STANDING_BELOW_MIN_VOLUME && standing[0] == KPI_STANDING_RANKED);
  CHECK(order[0] == 1 && order[1] == 3 && order[2] == 0 && order[3] == 2 && order[4] == 4);
  CHECK_STATUS(kpi_leaderboard_rank(ranks, NULL, NULL, values, NULL, volumes, NULL, 5, 7, 20.0), KPI_EINVAL);
  CHECK_STATUS(
      kpi_leaderboard_rank(ranks, NULL, NULL, values, NULL, volumes, NULL, 5, KPI_BETTER_LOWER, -1.0),
      KPI_EINVAL);
  CHECK_STATUS(kpi_leaderboard_rank(NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, KPI_BETTER_LOWER, 0.0),
               KPI_OK);

  CHECK_STATUS(kpi_quantile_type7(&x, q, 4, 0.25), KPI_OK);
  CHECK_NEAR(x, 1.75, 1e-15);
  CHECK_STATUS(kpi_quantile_type7(&x, q, 0, 0.25), KPI_EUNDEFINED);
  CHECK_STATUS(kpi_quantile_type7(&x, q, 4, 2.0), KPI_EINVAL);

  CHECK_STATUS(kpi_coaching_flags(flagged, streak, series, NULL, teams, 5, 3, 3, 0.25, KPI_BETTER_HIGHER),
               KPI_OK);
  CHECK(flagged[4] == 1 && streak[4] == 3);
  CHECK(flagged[3] == 0 && streak[3] == 0);
  CHECK(flagged[0] == 0);
  CHECK_STATUS(kpi_coaching_flags(flagged, streak, series, NULL, teams, 5, 3, 0, 0.25, KPI_BETTER_HIGHER),
               KPI_EINVAL);
}

static void test_anomalies(void) {
  kpi_anomaly_options o = KPI_ANOMALY_OPTIONS_INIT;
  kpi_anomaly_detector *d = NULL;
  kpi_anomaly_alert a;
  alert_log log = {0, 0, 0.0, 0};
  int64_t times[70];
  double values[70];
  size_t alerts = 0;
  int32_t flagged = -1;
  int i;

  memset(&a, 0, sizeof a);
  a.version = KPI_ANOMALY_ALERT_VERSION;
  for (i = 0; i < 70; ++i) {
    times[i] = MONDAY_MS + i * DAY_MS;
    values[i] = weekly(i);
  }
  /* A strong weekly pattern raises nothing. */
  CHECK_STATUS(kpi_anomaly_detector_new(&d, &o, on_alert, &log), KPI_OK);
  CHECK_STATUS(kpi_anomaly_detector_push_many(&alerts, d, times, values, NULL, 70), KPI_OK);
  CHECK(alerts == 0 && log.count == 0);

  /* Day 49 (Monday, odd week: 119) injected at 139: residual 19, z = 0.6745 x 19 / 2 = 6.40775. */
  CHECK_STATUS(kpi_anomaly_detector_reset(d), KPI_OK);
  values[49] = 139.0;
  CHECK_STATUS(kpi_anomaly_detector_push_many(&alerts, d, times, values, NULL, 49), KPI_OK);
  CHECK(alerts == 0);
  CHECK_STATUS(kpi_anomaly_detector_push(&flagged, &a, d, times[49], values[49], 1), KPI_OK);
  CHECK(flagged == 1);
  CHECK(log.count == 1);
  CHECK(log.last_time_ms == times[49]);
  CHECK_NEAR(log.last_score, 0.6745 * 19.0 / 2.0, 1e-12);
  CHECK(log.last_direction == 1);
  CHECK(a.has_score == 1);
  CHECK_NEAR(a.expected, 120.0, 0.0);
  CHECK(a.history == 28);
  CHECK_STATUS(kpi_anomaly_detector_push(&flagged, NULL, d, times[50], values[50], 1), KPI_OK);
  CHECK(flagged == 0);
  /* Undefined points are skipped; out-of-order points are rejected. */
  CHECK_STATUS(kpi_anomaly_detector_push(&flagged, NULL, d, times[51], 0.0, 0), KPI_OK);
  CHECK_STATUS(kpi_anomaly_detector_push(NULL, NULL, d, times[40], 1.0, 1), KPI_EINVAL);
  kpi_anomaly_detector_free(d);
  kpi_anomaly_detector_free(NULL);

  /* Options: defaults through the init function; bad values rejected at creation. */
  CHECK_STATUS(kpi_anomaly_options_init(&o, KPI_ANOMALY_OPTIONS_VERSION), KPI_OK);
  CHECK(o.window_days == 28 && o.min_history == 14);
  CHECK_NEAR(o.threshold, 3.5, 0.0);
  o.window_days = 0;
  CHECK_STATUS(kpi_anomaly_detector_new(&d, &o, NULL, NULL), KPI_EINVAL);
  CHECK(d == NULL);
  o.window_days = 28;
  o.time_zone = "Nowhere/Atlantis";
  CHECK_STATUS(kpi_anomaly_detector_new(&d, &o, NULL, NULL), KPI_ENOTFOUND);
  o.time_zone = "Asia/Jakarta";
  CHECK_STATUS(kpi_anomaly_detector_new(&d, &o, NULL, NULL), KPI_OK);
  kpi_anomaly_detector_free(d);
  CHECK_STATUS(kpi_anomaly_detector_new(&d, NULL, NULL, NULL), KPI_OK); /* NULL options: defaults */
  kpi_anomaly_detector_free(d);
}

static void test_trend(void) {
  const double s[4] = {10, 12, 14, 16};
  const int32_t def[4] = {1, 0, 1, 1};
  double days[10];
  double slope = 0.0;
  double intercept = 0.0;
  kpi_period_projection p = KPI_PERIOD_PROJECTION_INIT;
  int i;

  CHECK_STATUS(kpi_trend_fit(&slope, &intercept, s, NULL, 4, 4), KPI_OK);
  CHECK_NEAR(slope, 2.0, 1e-12);
  CHECK_NEAR(intercept, 10.0, 1e-12);
  /* 10, -, 14, 16 at x = 0, 2, 3 lie on y = 10 + 2x. */
  CHECK_STATUS(kpi_trend_fit(&slope, NULL, s, def, 4, 4), KPI_OK);
  CHECK_NEAR(slope, 2.0, 1e-12);
  CHECK_STATUS(kpi_trend_fit(&slope, NULL, s, def, 2, 2), KPI_EUNDEFINED);
  CHECK(isnan(slope));
  CHECK_STATUS(kpi_trend_fit(&slope, NULL, s, NULL, 4, 1), KPI_EINVAL);

  /* 10 of 30 days with 10..19: actual 145, run rate 435, trend 145 + 590 = 735. */
  for (i = 0; i < 10; ++i) days[i] = 10.0 + i;
  CHECK_STATUS(kpi_trend_project(&p, days, NULL, 10, 30, 10), KPI_OK);
  CHECK_NEAR(p.actual, 145.0, 0.0);
  CHECK(p.has_run_rate == 1 && p.has_trend == 1);
  CHECK_NEAR(p.run_rate, 435.0, 1e-9);
  CHECK_NEAR(p.trend, 735.0, 1e-9);
  CHECK_STATUS(kpi_trend_project(&p, days, NULL, 10, 5, 10), KPI_EINVAL);
}

void test_views(void) {
  test_targets();
  test_target_table();
  test_leaderboard_and_coaching();
  test_anomalies();
  test_trend();
}

/* The models module of the C ABI: the CDNOW oracles (FHL 2005, Fader & Hardie), Fader & Hardie 2007's
 * sBG estimates, hand-computed values, versions and error paths. */
#include <stdlib.h>

#include "capi_test.h"

#define CDNOW_DIR KPI_SHARED_DATA_DIR "/cdnow/"

static void test_cdnow_models(void) {
  kpi_customer_set *set = NULL;
  kpi_bgnbd bg = KPI_BGNBD_INIT;
  kpi_gamma_gamma gg = KPI_GAMMA_GAMMA_INIT;
  kpi_clv_options o = KPI_CLV_OPTIONS_INIT;
  kpi_customer c = KPI_CUSTOMER_INIT;
  size_t n = 0;
  double *x = NULL, *t_x = NULL, *T = NULL, *zbar = NULL;
  double out[3] = {0, 0, 0}, e = 0.0;
  int32_t defined[3] = {0, 0, 0};

  CHECK_STATUS(kpi_customer_set_new(&set), KPI_OK);
  CHECK_STATUS(
      kpi_customer_set_read_summary_csv(set, CDNOW_DIR "cdnow_customers_summary_with_transactions.csv"),
      KPI_OK);
  CHECK_STATUS(kpi_customer_set_count(&n, set), KPI_OK);
  CHECK(n == 2357);
  x = (double *)malloc(4 * n * sizeof(double));
  if (x == NULL) return;
  t_x = x + n;
  T = x + 2 * n;
  zbar = x + 3 * n;
  CHECK_STATUS(kpi_customer_set_columns(x, t_x, T, zbar, n - 1, set), KPI_EBUFS);
  CHECK_STATUS(kpi_customer_set_columns(x, t_x, T, zbar, n, set), KPI_OK);
  /* Customer 1: x = 2, t_x = 30.43, T = 38.86, zbar = 22.35. */
  CHECK_STATUS(kpi_customer_set_get(&c, set, 0), KPI_OK);
  CHECK(strcmp(c.id, "1") == 0);
  CHECK(c.x == 2.0 && t_x[0] == 30.43 && T[0] == 38.86 && zbar[0] == 22.35);
  CHECK_STATUS(kpi_customer_set_get(&c, set, n), KPI_EINVAL);

  /* FHL 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4. */
  CHECK_STATUS(kpi_bgnbd_fit(&bg, x, t_x, T, n, NULL), KPI_OK);
  CHECK_NEAR(bg.r, 0.243, 5e-4);
  CHECK_NEAR(bg.alpha, 4.414, 5e-4);
  CHECK_NEAR(bg.a, 0.793, 5e-4);
  CHECK_NEAR(bg.b, 2.426, 5e-4);
  CHECK_NEAR(bg.loglik, -9582.4, 0.05);
  CHECK(bg.customers == 2357);
  /* Hardie's spreadsheet: E[Y(39) | 2, 30.43, 38.86] = 1.226; E[X(78)] = 1.8576 (to 1e-3). */
  CHECK_STATUS(kpi_bgnbd_conditional_expected_purchases(out, &bg, 39.0, x, t_x, T, 1), KPI_OK);
  CHECK_NEAR(out[0], 1.226, 1e-3);
  CHECK_STATUS(kpi_bgnbd_expected_purchases(&e, &bg, 78.0), KPI_OK);
  CHECK_NEAR(e, 1.8576, 1e-3);
  /* Customer 3 has no repeat purchase: P(alive) = 1. */
  CHECK_STATUS(kpi_bgnbd_p_alive(out, &bg, x, t_x, T, 3), KPI_OK);
  CHECK(out[0] > 0.0 && out[0] < 1.0);
  CHECK(out[2] == 1.0);

  /* Fader & Hardie: p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat buyers. */
  CHECK_STATUS(kpi_gamma_gamma_fit(&gg, x, zbar, n, NULL), KPI_OK);
  CHECK_NEAR(gg.p, 6.25, 5e-3);
  CHECK_NEAR(gg.q, 3.74, 5e-3);
  CHECK_NEAR(gg.gamma, 15.44, 1e-2);
  CHECK(gg.customers == 946);

  /* With no discount the CLV sum telescopes: CLV = E[M] E[Y(12 x 4.345)]. */
  o.monthly_discount = 0.0;
  CHECK_STATUS(kpi_clv(out, defined, &bg, &gg, x, t_x, T, zbar, 1, &o), KPI_OK);
  CHECK(defined[0] == 1);
  {
    double em = 0.0, y = 0.0;
    int32_t d = 0;
    CHECK_STATUS(kpi_gamma_gamma_expected_value(&em, &d, &gg, x, zbar, 1), KPI_OK);
    CHECK_STATUS(kpi_bgnbd_conditional_expected_purchases(&y, &bg, 12 * 4.345, x, t_x, T, 1), KPI_OK);
    CHECK_NEAR(out[0], em * y, 1e-9);
  }

  free(x);
  kpi_customer_set_free(set);
}

static void test_btyd_and_hand_values(void) {
  kpi_bgnbd bg = KPI_BGNBD_INIT;
  kpi_gamma_gamma gg = KPI_GAMMA_GAMMA_INIT;
  double p = 0.0, v[2] = {0, 0};
  const double xs[2] = {4.0, 0.0}, zs[2] = {5.0, 0.0};
  int32_t d[2] = {0, 0};
  bg.r = 0.243;
  bg.alpha = 4.414;
  bg.a = 0.793;
  bg.b = 2.426;
  /* R BTYD: P(X(39) = 0) = 0.5737864, P(X(30) = 11) = 0.0019995214. */
  CHECK_STATUS(kpi_bgnbd_p_purchases(&p, &bg, 39.0, 0), KPI_OK);
  CHECK_NEAR(p, 0.5737864, 1e-7);
  CHECK_STATUS(kpi_bgnbd_p_purchases(&p, &bg, 30.0, 11), KPI_OK);
  CHECK_NEAR(p, 0.0019995214, 1e-10);
  /* E[M] with p = 2, q = 3, gamma = 10: x = 4, zbar = 5: 2 (10 + 20) / (8 + 3 - 1) = 6; x = 0: 20/2. */
  gg.p = 2;
  gg.q = 3;
  gg.gamma = 10;
  CHECK_STATUS(kpi_gamma_gamma_expected_value(v, d, &gg, xs, zs, 2), KPI_OK);
  CHECK_NEAR(v[0], 6.0, 1e-14);
  CHECK_NEAR(v[1], 10.0, 1e-14);
  CHECK(d[0] == 1 && d[1] == 1);
  /* q = 1 and x = 0: no finite mean, undefined (NaN, flag 0), not an error. */
  gg.q = 1;
  CHECK_STATUS(kpi_gamma_gamma_expected_value(v, d, &gg, xs, zs, 2), KPI_OK);
  CHECK(d[0] == 1 && d[1] == 0);
  CHECK(v[1] != v[1]);
  /* A month: 4.345 weeks, 30.415 days. */
  CHECK_STATUS(kpi_models_units_per_month(&p, KPI_TIME_UNIT_WEEK), KPI_OK);
  CHECK(p == 4.345);
  CHECK_STATUS(kpi_models_units_per_month(&p, KPI_TIME_UNIT_DAY), KPI_OK);
  CHECK_NEAR(p, 30.415, 1e-12);
  CHECK_STATUS(kpi_models_units_per_month(&p, 2), KPI_EINVAL);
}

static void test_transactions(void) {
  /* Same-day purchases are one: days 0 (10 + 5), 7 (24), 14 (6); calibration ends on day 21, in weeks:
   * x = 2, t_x = 2, T = 3, zbar = (24 + 6) / 2 = 15. Customer b: one purchase on day 3. */
  const char *ids[5] = {"a", "a", "b", "a", "a"};
  const int64_t day = 86400000;
  const int64_t times[5] = {0, 3600000, 3 * 86400000LL, 7 * 86400000LL, 14 * 86400000LL};
  const double amounts[5] = {10, 5, 99, 24, 6};
  kpi_summary_options so = KPI_SUMMARY_OPTIONS_INIT;
  kpi_customer_set *set = NULL;
  kpi_customer c;
  size_t n = 0;
  CHECK_STATUS(kpi_customer_init(&c, KPI_CUSTOMER_VERSION), KPI_OK);
  so.has_calibration_end = 1;
  so.calibration_end_ms = 21 * day;
  CHECK_STATUS(kpi_customer_set_new(&set), KPI_OK);
  CHECK_STATUS(kpi_customer_set_add_transactions(set, ids, times, amounts, 5, &so), KPI_OK);
  CHECK_STATUS(kpi_customer_set_count(&n, set), KPI_OK);
  CHECK(n == 2);
  CHECK_STATUS(kpi_customer_set_get(&c, set, 0), KPI_OK);
  CHECK(strcmp(c.id, "a") == 0 && c.x == 2.0 && c.t_x == 2.0 && c.T == 3.0 && c.zbar == 15.0);
  CHECK_STATUS(kpi_customer_set_get(&c, set, 1), KPI_OK);
  CHECK(strcmp(c.id, "b") == 0 && c.x == 0.0 && c.T == 18.0 / 7.0);
  /* The CDNOW master file as given: 23,570 customers. */
  so.calibration_end_ms = 875577600000LL; /* 1997-09-30 */
  kpi_customer_set_free(set);
  CHECK_STATUS(kpi_customer_set_new(&set), KPI_OK);
  CHECK_STATUS(kpi_customer_set_read_transactions(set, CDNOW_DIR "CDNOW_master.txt", &so), KPI_OK);
  CHECK_STATUS(kpi_customer_set_count(&n, set), KPI_OK);
  CHECK(n == 23570);
  /* Errors leave the set unchanged. */
  CHECK_STATUS(kpi_customer_set_read_transactions(set, CDNOW_DIR "no-such-file.txt", &so), KPI_EIO);
  so.time_zone = "Mars/Olympus_Mons";
  CHECK_STATUS(kpi_customer_set_add_transactions(set, ids, times, amounts, 5, &so), KPI_ENOTFOUND);
  so.time_zone = NULL;
  so.unit = 9;
  CHECK_STATUS(kpi_customer_set_add_transactions(set, ids, times, amounts, 5, &so), KPI_EINVAL);
  so.unit = KPI_TIME_UNIT_WEEK;
  so.version = 0;
  CHECK_STATUS(kpi_customer_set_add_transactions(set, ids, times, amounts, 5, &so), KPI_EVERSION);
  CHECK_STATUS(kpi_customer_set_add_transactions(set, ids, NULL, amounts, 5, NULL), KPI_ENULL);
  CHECK_STATUS(kpi_customer_set_add_transactions(set, NULL, NULL, NULL, 0, NULL), KPI_OK);
  CHECK_STATUS(kpi_customer_set_count(&n, set), KPI_OK);
  CHECK(n == 23570);
  c.id = "late";
  c.x = 1;
  c.t_x = 5;
  c.T = 4;
  CHECK_STATUS(kpi_customer_set_add(set, &c), KPI_EINVAL);
  kpi_customer_set_free(set);
  kpi_customer_set_free(NULL);
}

static void test_sbg(void) {
  /* Fader & Hardie 2007: regular alpha = 0.704, beta = 1.182; high end 0.668, 3.806. */
  const double regular[8] = {1000, 631, 468, 382, 326, 289, 262, 241};
  const double high_end[8] = {1000, 869, 743, 653, 593, 551, 517, 491};
  const double hand[3] = {10, 6, 3};
  const double rising[3] = {10, 6, 7};
  kpi_sbg m = KPI_SBG_INIT;
  double s[4] = {0, 0, 0, 0}, v = 0.0;
  CHECK_STATUS(kpi_sbg_fit(&m, regular, 8, NULL), KPI_OK);
  CHECK_NEAR(m.alpha, 0.704, 5e-4);
  CHECK_NEAR(m.beta, 1.182, 5e-4);
  CHECK_STATUS(kpi_sbg_fit(&m, high_end, 8, NULL), KPI_OK);
  CHECK_NEAR(m.alpha, 0.668, 5e-4);
  CHECK_NEAR(m.beta, 3.806, 5e-4);
  /* alpha = beta = 1: S(t) = 1/(t+1); P(T=2) = 1/6; r_2 = 2/3;
   * LL{10, 6, 3} = 4 ln(1/2) + 3 ln(1/6) + 3 ln(1/3) = -11.443704. */
  m.alpha = 1;
  m.beta = 1;
  CHECK_STATUS(kpi_sbg_project_survival(s, 4, &m), KPI_OK);
  CHECK_NEAR(s[0], 1.0, 1e-15);
  CHECK_NEAR(s[3], 0.25, 1e-15);
  CHECK_STATUS(kpi_sbg_survival(&v, &m, 2), KPI_OK);
  CHECK_NEAR(v, 1.0 / 3.0, 1e-15);
  CHECK_STATUS(kpi_sbg_churn_probability(&v, &m, 2), KPI_OK);
  CHECK_NEAR(v, 1.0 / 6.0, 1e-15);
  CHECK_STATUS(kpi_sbg_retention(&v, &m, 2), KPI_OK);
  CHECK_NEAR(v, 2.0 / 3.0, 1e-15);
  CHECK_STATUS(kpi_sbg_loglik(&v, &m, hand, 3), KPI_OK);
  CHECK_NEAR(v, -11.443703995928276, 1e-12);
  CHECK_STATUS(kpi_sbg_retention(&v, &m, 0), KPI_EINVAL);
  CHECK_STATUS(kpi_sbg_fit(&m, rising, 3, NULL), KPI_EINVAL);
  CHECK_STATUS(kpi_sbg_fit(&m, regular, 1, NULL), KPI_EINVAL);
  {
    kpi_fit_options f = KPI_FIT_OPTIONS_INIT;
    f.max_iterations = 1;
    CHECK_STATUS(kpi_sbg_fit(&m, regular, 8, &f), KPI_ENOCONVERGE);
    CHECK(strlen(kpi_last_error_message()) > 0);
    f.version = 2;
    CHECK_STATUS(kpi_sbg_fit(&m, regular, 8, &f), KPI_EVERSION);
  }
  m.version = 0;
  CHECK_STATUS(kpi_sbg_survival(&v, &m, 1), KPI_EVERSION);
  CHECK_STATUS(kpi_sbg_survival(NULL, &m, 1), KPI_ENULL);
}

static void test_init_functions(void) {
  kpi_fit_options f;
  kpi_summary_options so;
  kpi_clv_options co;
  kpi_bgnbd bg;
  kpi_gamma_gamma gg;
  kpi_sbg sb;
  CHECK_STATUS(kpi_fit_options_init(&f, KPI_FIT_OPTIONS_VERSION), KPI_OK);
  CHECK(f.max_iterations == 500 && f.tolerance == 1e-9);
  CHECK_STATUS(kpi_summary_options_init(&so, KPI_SUMMARY_OPTIONS_VERSION), KPI_OK);
  CHECK(so.unit == KPI_TIME_UNIT_WEEK && so.has_calibration_end == 0 && so.time_zone == NULL);
  CHECK_STATUS(kpi_clv_options_init(&co, KPI_CLV_OPTIONS_VERSION), KPI_OK);
  CHECK(co.horizon_months == 12 && co.monthly_discount == 0.01 && co.units_per_month == 0.0);
  CHECK_STATUS(kpi_bgnbd_init(&bg, KPI_BGNBD_VERSION), KPI_OK);
  CHECK(bg.version == KPI_BGNBD_VERSION && bg.r == 0.0);
  CHECK_STATUS(kpi_gamma_gamma_init(&gg, KPI_GAMMA_GAMMA_VERSION), KPI_OK);
  CHECK_STATUS(kpi_sbg_init(&sb, KPI_SBG_VERSION), KPI_OK);
  CHECK_STATUS(kpi_bgnbd_init(&bg, 2), KPI_EVERSION);
  CHECK_STATUS(kpi_bgnbd_init(NULL, 1), KPI_ENULL);
  /* Unfitted (zero) parameters are invalid, not silently used. */
  {
    double e = 0.0;
    CHECK_STATUS(kpi_bgnbd_expected_purchases(&e, &bg, 10.0), KPI_EINVAL);
  }
}

void test_models(void) {
  test_init_functions();
  test_btyd_and_hand_values();
  test_transactions();
  test_cdnow_models();
  test_sbg();
}

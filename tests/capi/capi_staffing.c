/* The staffing module of the C ABI: oracles E1, E2, E6 of oracles.md, Erlang A, versions and errors. */
#include "capi_test.h"

static kpi_staffing_params e1_params(void) {
  /* E1: 100 calls per 30 min, AHT 180 s, 80 % in 20 s, max occupancy 0.85, shrinkage 0.30 (A = 10). */
  kpi_staffing_params p = KPI_STAFFING_PARAMS_INIT;
  p.calls = 100.0;
  p.interval_s = 1800.0;
  p.aht_s = 180.0;
  p.answer_within_s = 20.0;
  p.target_service_level = 0.8;
  p.max_occupancy = 0.85;
  p.shrinkage = 0.3;
  return p;
}

void test_staffing(void) {
  double x = 0.0;
  kpi_staffing_params p = e1_params();
  kpi_staffing_result r = KPI_STAFFING_RESULT_INIT;
  kpi_staffing_params q;
  kpi_staffing_result s;

  /* E6: B(1,1) = 0.5, B(2,1) = 0.2, B(5,3) = 0.110054, B(10,5) = 0.018385. */
  CHECK_STATUS(kpi_staffing_erlang_b(&x, 1, 1.0), KPI_OK);
  CHECK_NEAR(x, 0.5, 1e-15);
  CHECK_STATUS(kpi_staffing_erlang_b(&x, 2, 1.0), KPI_OK);
  CHECK_NEAR(x, 0.2, 1e-15);
  CHECK_STATUS(kpi_staffing_erlang_b(&x, 5, 3.0), KPI_OK);
  CHECK_NEAR(x, 0.110054, 5e-7);
  CHECK_STATUS(kpi_staffing_erlang_b(&x, 10, 5.0), KPI_OK);
  CHECK_NEAR(x, 0.018385, 5e-7);

  /* E1, N = 14: P(wait) 0.1741319335950498. */
  CHECK_STATUS(kpi_staffing_erlang_c(&x, 14, 10.0), KPI_OK);
  CHECK_NEAR(x, 0.1741319335950498, 1e-15);

  /* E1 solved: 14 agents, 20 scheduled, SL 0.8883500191794669, occupancy 10/14, ASA 7.836 s. */
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_OK);
  CHECK(r.agents == 14);
  CHECK(r.scheduled == 20);
  CHECK(r.meets_target == 1);
  CHECK(r.has_p_abandon == 0);
  CHECK(r.p_abandon != r.p_abandon); /* NaN: undefined under Erlang C */
  CHECK_NEAR(r.service_level, 0.8883500191794669, 1e-15);
  CHECK_NEAR(r.p_wait, 0.1741319335950498, 1e-15);
  CHECK_NEAR(r.occupancy, 0.7142857142857143, 1e-15);
  CHECK_NEAR(r.asa_s, 7.836, 5e-4);
  CHECK_NEAR(r.mean_wait_s, r.asa_s, 0.0);

  /* E2: cap 0.70 → 15 agents, 22 scheduled, SL 0.941, occupancy 0.667, P(wait) 0.102. */
  p.max_occupancy = 0.70;
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_OK);
  CHECK(r.agents == 15);
  CHECK(r.scheduled == 22);
  CHECK_NEAR(r.service_level, 0.941, 5e-4);
  CHECK_NEAR(r.occupancy, 0.667, 5e-4);
  CHECK_NEAR(r.p_wait, 0.102, 5e-4);

  /* Evaluate 13 agents under E1: SL 0.795595 < 0.8 misses the target; scheduled ceil(13/0.7) = 19. */
  p = e1_params();
  CHECK_STATUS(kpi_staffing_evaluate(&r, &p, 13), KPI_OK);
  CHECK(r.agents == 13);
  CHECK(r.scheduled == 19);
  CHECK(r.meets_target == 0);
  CHECK_NEAR(r.service_level, 0.795595, 5e-7);

  /* Erlang A, patience 300 s, 14 agents (independent mpmath values, see docs/staffing.md):
   * P(abandon) 0.013983744122408938, SL 0.91679209186354687, mean wait 4.1951232367226813 s. */
  p.model = KPI_STAFFING_ERLANG_A;
  p.patience_s = 300.0;
  CHECK_STATUS(kpi_staffing_evaluate(&r, &p, 14), KPI_OK);
  CHECK(r.has_p_abandon == 1);
  CHECK_NEAR(r.p_abandon, 0.013983744122408938, 1e-15);
  CHECK_NEAR(r.service_level, 0.91679209186354687, 1e-14);
  CHECK_NEAR(r.mean_wait_s, 4.1951232367226813, 1e-12);
  /* Solved: 13 agents (SL 0.8581777 >= 0.8 > SL(12) = 0.7722793), 19 scheduled. */
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_OK);
  CHECK(r.agents == 13);
  CHECK(r.scheduled == 19);

  /* The init functions give what the macros give. */
  CHECK_STATUS(kpi_staffing_params_init(&q, KPI_STAFFING_PARAMS_VERSION), KPI_OK);
  CHECK(q.version == KPI_STAFFING_PARAMS_VERSION);
  CHECK(q.model == KPI_STAFFING_ERLANG_C);
  CHECK(q.interval_s == 1800.0 && q.answer_within_s == 20.0 && q.target_service_level == 0.8);
  CHECK(q.max_occupancy == 1.0 && q.shrinkage == 0.0 && q.calls == 0.0 && q.aht_s == 0.0);
  CHECK_STATUS(kpi_staffing_result_init(&s, KPI_STAFFING_RESULT_VERSION), KPI_OK);
  CHECK(s.version == KPI_STAFFING_RESULT_VERSION && s.agents == 0);
  CHECK_STATUS(kpi_staffing_params_init(&q, 0), KPI_EVERSION);
  CHECK_STATUS(kpi_staffing_params_init(&q, KPI_STAFFING_PARAMS_VERSION + 1), KPI_EVERSION);
  CHECK_STATUS(kpi_staffing_result_init(NULL, KPI_STAFFING_RESULT_VERSION), KPI_ENULL);

  /* Errors: agents <= traffic under Erlang C, zero rates, a target outside [0, 1), NULLs, versions. */
  p = e1_params();
  CHECK_STATUS(kpi_staffing_erlang_c(&x, 10, 10.0), KPI_EINVAL);
  CHECK(strstr(kpi_last_error_message(), "agents 10 <= traffic 10") != NULL);
  CHECK_STATUS(kpi_staffing_evaluate(&r, &p, 10), KPI_EINVAL);
  CHECK_STATUS(kpi_staffing_erlang_b(&x, -1, 1.0), KPI_EINVAL);
  CHECK_STATUS(kpi_staffing_erlang_b(&x, 1, 0.0), KPI_EINVAL);
  CHECK_STATUS(kpi_staffing_erlang_b(NULL, 1, 1.0), KPI_ENULL);
  p.target_service_level = 1.5;
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_EINVAL);
  CHECK(strstr(kpi_last_error_message(), "target") != NULL);
  p = e1_params();
  p.aht_s = 0.0;
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_EINVAL);
  p = e1_params();
  p.model = KPI_STAFFING_ERLANG_A; /* patience_s left at 0 */
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_EINVAL);
  CHECK(strstr(kpi_last_error_message(), "patience_s") != NULL);
  p.model = 7;
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_EINVAL);
  p = e1_params();
  CHECK_STATUS(kpi_staffing_solve(NULL, &p), KPI_ENULL);
  CHECK_STATUS(kpi_staffing_solve(&r, NULL), KPI_ENULL);
  p.version = 0;
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_EVERSION);
  p = e1_params();
  r.version = KPI_STAFFING_RESULT_VERSION + 1;
  CHECK_STATUS(kpi_staffing_solve(&r, &p), KPI_EVERSION);
}

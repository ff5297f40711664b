/* A minimal test harness for the C tests of the ABI: CHECK macros and pass/fail counters.
 * Each capi_<module>.c defines `void test_<module>(void)`, called from capi_main.c. */
#ifndef KPI_CAPI_TEST_H
#define KPI_CAPI_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kpi/kpi.h"

extern int kpi_test_passed;
extern int kpi_test_failed;

/** Counts one check; on failure prints the file, line and expression. */
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++kpi_test_passed;                                                       \
    } else {                                                                   \
      ++kpi_test_failed;                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/** Checks that a call returns the expected status, printing the last error message if not. */
#define CHECK_STATUS(call, expected)                                                                   \
  do {                                                                                                 \
    int kpi_check_rc_ = (call);                                                                        \
    if (kpi_check_rc_ == (expected)) {                                                                 \
      ++kpi_test_passed;                                                                               \
    } else {                                                                                           \
      ++kpi_test_failed;                                                                               \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d; last error: %s\n", __FILE__, __LINE__, \
              #call, kpi_check_rc_, kpi_status_str(kpi_check_rc_), (int)(expected),                    \
              kpi_last_error_message());                                                               \
    }                                                                                                  \
  } while (0)

/** Checks |actual - expected| <= tol. */
#define CHECK_NEAR(actual, expected, tol) CHECK(fabs((double)(actual) - (double)(expected)) <= (tol))

void test_common(void);
void test_catalog(void);
void test_engine(void);
void test_models(void);
void test_staffing(void);
void test_views(void);

#endif

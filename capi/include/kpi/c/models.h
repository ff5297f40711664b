/**
 * @file kpi/c/models.h
 * @brief Customer value models: per-customer summaries, BG/NBD (purchases and P(alive)), Gamma-Gamma
 *        (value per purchase), predictive CLV, and the shifted-beta-geometric model of contract
 *        retention.
 *
 * Included by kpi/kpi.h; do not include it directly. A customer is summarized by four numbers, all in
 * one time unit (days or weeks): `x` repeat purchases in the calibration period (a whole number),
 * `t_x` the time of the last purchase after the first (0 when x = 0), `T` the time from the first
 * purchase to the end of the calibration period (0 <= t_x <= T), and `zbar` the mean value of the
 * repeat purchases (0 when x = 0). Batches of customers are passed as parallel caller-owned arrays
 * `x[i], t_x[i], T[i], zbar[i]` of `count` elements, and batch results are written to caller-owned
 * arrays of `count` elements. The definitions, sources and test oracles are in docs/models.md.
 *
 * Functions without a handle are reentrant; a kpi_customer_set must not be used from two threads at
 * once.
 *
 * Example (C): fit both models on the CDNOW sample summary and score customer 0.
 * @code
 * kpi_customer_set *set = NULL;
 * kpi_bgnbd bg = KPI_BGNBD_INIT;
 * kpi_gamma_gamma gg = KPI_GAMMA_GAMMA_INIT;
 * kpi_clv_options o = KPI_CLV_OPTIONS_INIT;   // 12 months, 1 % a month, model in weeks
 * size_t n = 0;
 * double *x, *t_x, *T, *zbar, clv; int32_t defined;
 * kpi_customer_set_new(&set);
 * kpi_customer_set_read_summary_csv(set, "cdnow_customers_summary_with_transactions.csv");
 * kpi_customer_set_count(&n, set);
 * x = malloc(4 * n * sizeof(double)); t_x = x + n; T = x + 2 * n; zbar = x + 3 * n;
 * kpi_customer_set_columns(x, t_x, T, zbar, n, set);
 * kpi_bgnbd_fit(&bg, x, t_x, T, n, NULL);          // r 0.243, alpha 4.414, a 0.793, b 2.426
 * kpi_gamma_gamma_fit(&gg, x, zbar, n, NULL);       // p 6.25, q 3.74, gamma 15.44
 * kpi_clv(&clv, &defined, &bg, &gg, x, t_x, T, zbar, 1, &o);
 * @endcode
 * @since 0.1.0
 */
#ifndef KPI_C_MODELS_H
#define KPI_C_MODELS_H

#include "kpi/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup kpi_models Customer value models (BG/NBD, Gamma-Gamma, CLV, sBG)
 *  @{ */

/** Time units of customer summaries and models. Values are pinned. */
enum {
  KPI_TIME_UNIT_DAY = 0, /**< One calendar day. */
  KPI_TIME_UNIT_WEEK = 1 /**< Seven days (the unit of the CDNOW benchmark). */
};

/**
 * Model time units in one month: 4.345 weeks, or 30.415 days (4.345 × 7). Reentrant.
 * @param[out] out Units per month.
 * @param unit #KPI_TIME_UNIT_DAY or #KPI_TIME_UNIT_WEEK.
 * @return #KPI_OK; #KPI_ENULL if out is NULL; #KPI_EINVAL for another unit.
 */
KPI_API int kpi_models_units_per_month(double *out, int32_t unit);

/* ---------------------------------------------------------------------------------------------- */
/* Fit options                                                                                     */

/** The current version of kpi_fit_options. */
#define KPI_FIT_OPTIONS_VERSION 1

/**
 * How a maximum-likelihood fit iterates (BFGS over the log-parameters, analytic gradients). NULL
 * options mean the defaults of #KPI_FIT_OPTIONS_INIT.
 */
typedef struct kpi_fit_options {
  uint32_t version;       /**< #KPI_FIT_OPTIONS_VERSION. */
  int32_t max_iterations; /**< At most this many iterations, >= 1 (default 500). */
  double tolerance;       /**< Converged when every gradient component (log-parameters) is at most
                               tolerance × (1 + |log-likelihood|); in (0, 1) (default 1e-9). */
} kpi_fit_options;

/** Static initializer of kpi_fit_options with the current version and the defaults. */
#define KPI_FIT_OPTIONS_INIT \
  { KPI_FIT_OPTIONS_VERSION, 500, 1e-9 }

/**
 * Fills `options` with the defaults of #KPI_FIT_OPTIONS_INIT (for FFI callers that cannot use macros).
 * @param[out] options The struct to initialize.
 * @param version #KPI_FIT_OPTIONS_VERSION.
 * @return #KPI_OK; #KPI_ENULL if options is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_fit_options_init(kpi_fit_options *options, uint32_t version);

/* ---------------------------------------------------------------------------------------------- */
/* Customer sets: summaries read from files or computed from transactions                          */

/** The current version of kpi_summary_options. */
#define KPI_SUMMARY_OPTIONS_VERSION 1

/**
 * How transactions become customer summaries. Purchases are counted per calendar day (several on one
 * day are one purchase worth their sum), as the published CDNOW summaries are.
 */
typedef struct kpi_summary_options {
  uint32_t version;            /**< #KPI_SUMMARY_OPTIONS_VERSION. */
  int32_t unit;                /**< Unit of t_x and T: #KPI_TIME_UNIT_WEEK (default) or _DAY. */
  int32_t has_calibration_end; /**< 1: calibration_end_ms applies; 0 (default): the last purchase's day. */
  int32_t reserved;            /**< Must be 0. */
  int64_t calibration_end_ms;  /**< An instant (Unix ms, UTC) in the LAST day of the calibration
                                    period: purchases on that day count and T runs to its start. */
  const char *time_zone;       /**< IANA zone whose days group purchases ("Asia/Jakarta"); NULL or ""
                                    for UTC. Not kept after the call. */
} kpi_summary_options;

/** Static initializer of kpi_summary_options with the current version and the defaults. */
#define KPI_SUMMARY_OPTIONS_INIT \
  { KPI_SUMMARY_OPTIONS_VERSION, KPI_TIME_UNIT_WEEK, 0, 0, 0, NULL }

/**
 * Fills `options` with the defaults of #KPI_SUMMARY_OPTIONS_INIT.
 * @param[out] options The struct to initialize.
 * @param version #KPI_SUMMARY_OPTIONS_VERSION.
 * @return #KPI_OK; #KPI_ENULL if options is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_summary_options_init(kpi_summary_options *options, uint32_t version);

/** The current version of kpi_customer. */
#define KPI_CUSTOMER_VERSION 1

/** One customer summary (see the file comment for the meaning of each number). */
typedef struct kpi_customer {
  uint32_t version; /**< #KPI_CUSTOMER_VERSION. */
  const char *id;   /**< Customer id (UTF-8); from kpi_customer_set_get() it is borrowed from the set. */
  double x;         /**< Repeat purchases, a whole number >= 0. */
  double t_x;       /**< Time of the last purchase after the first, 0 <= t_x <= T. */
  double T;         /**< Time from the first purchase to the end of the calibration period, >= 0. */
  double zbar;      /**< Mean value of the repeat purchases, >= 0. */
} kpi_customer;

/** Static initializer of kpi_customer with the current version. */
#define KPI_CUSTOMER_INIT \
  { KPI_CUSTOMER_VERSION, NULL, 0.0, 0.0, 0.0, 0.0 }

/**
 * Zeroes `customer` and sets its version.
 * @param[out] customer The struct to initialize.
 * @param version #KPI_CUSTOMER_VERSION.
 * @return #KPI_OK; #KPI_ENULL if customer is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_customer_init(kpi_customer *customer, uint32_t version);

/** An ordered set of customer summaries with their ids. Opaque. */
typedef struct kpi_customer_set kpi_customer_set;

/**
 * Creates an empty customer set. Constructor; free it with kpi_customer_set_free().
 * @param[out] out The new set.
 * @return #KPI_OK; #KPI_ENULL if out is NULL; #KPI_ENOMEM.
 */
KPI_API int kpi_customer_set_new(kpi_customer_set **out);

/** Frees a customer set. Destructor; NULL is accepted and ignored. */
KPI_API void kpi_customer_set_free(kpi_customer_set *set);

/**
 * Appends one customer summary (the id is copied; NULL means "").
 * @param set The set.
 * @param customer The summary.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL when the summary breaks the rules above.
 */
KPI_API int kpi_customer_set_add(kpi_customer_set *set, const kpi_customer *customer);

/**
 * Summarizes transactions per customer and appends the customers, in order of first appearance.
 * @param set The set.
 * @param customer_ids `count` customer ids (UTF-8, not empty); copied.
 * @param time_ms `count` purchase times, Unix epoch milliseconds UTC.
 * @param amounts `count` purchase values (major currency units, one currency).
 * @param count Number of transactions (0 adds nothing).
 * @param options NULL for the defaults (weeks, calibration to the last purchase day, UTC).
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer (arrays may be NULL when count is 0); #KPI_EVERSION;
 *         #KPI_EINVAL for an empty id, a non-finite amount or a bad option; #KPI_ENOTFOUND for an
 *         unknown time zone. On error the set is unchanged.
 */
KPI_API int kpi_customer_set_add_transactions(kpi_customer_set *set, const char *const *customer_ids,
                                              const int64_t *time_ms, const double *amounts, size_t count,
                                              const kpi_summary_options *options);

/**
 * Reads a transaction file and appends its customers' summaries. The file is CSV with a header
 * (columns `customer_id`, `time`, `amount` by name; the canonical order CSV reads as is) or the CDNOW
 * layout (whitespace-separated `id [...] YYYYMMDD [...] amount`: CDNOW_master.txt and CDNOW_sample.txt
 * as given). A date alone is midnight in options->time_zone.
 * @param set The set.
 * @param path The file's path.
 * @param options NULL for the defaults.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EIO when the file cannot be read; #KPI_EPARSE for
 *         a bad header or row (the last error names file, line and column); #KPI_EINVAL;
 *         #KPI_ENOTFOUND for an unknown time zone. On error the set is unchanged.
 */
KPI_API int kpi_customer_set_read_transactions(kpi_customer_set *set, const char *path,
                                               const kpi_summary_options *options);

/**
 * Reads a customer summary CSV file (columns by name: optional `ID`/`id`/`customer_id`, `x` or
 * `frequency`, `t_x` or `recency`, `T`, optional `zbar` or `monetary_value`) and appends its rows.
 * @param set The set.
 * @param path The file's path.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EIO; #KPI_EPARSE (file, line and column in the last error). On
 *         error the set is unchanged.
 */
KPI_API int kpi_customer_set_read_summary_csv(kpi_customer_set *set, const char *path);

/**
 * The number of customers.
 * @param[out] out The count.
 * @param set The set.
 * @return #KPI_OK; #KPI_ENULL.
 */
KPI_API int kpi_customer_set_count(size_t *out, const kpi_customer_set *set);

/**
 * The customer at `index` (insertion order). `out->id` is borrowed from the set: valid until the set
 * is next modified or freed.
 * @param[out] out The customer; its version must be set.
 * @param set The set.
 * @param index 0 .. count − 1.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for an index out of range.
 */
KPI_API int kpi_customer_set_get(kpi_customer *out, const kpi_customer_set *set, size_t index);

/**
 * Copies the summaries into caller-owned parallel arrays of `capacity` elements each (any of them may
 * be NULL to skip that column).
 * @param[out] x_out Repeat purchases.
 * @param[out] t_x_out Times of the last purchase.
 * @param[out] T_out Ages.
 * @param[out] zbar_out Mean repeat values.
 * @param capacity Elements available in each non-NULL array.
 * @param set The set.
 * @return #KPI_OK; #KPI_ENULL if set is NULL; #KPI_EBUFS when capacity < the count (nothing written).
 */
KPI_API int kpi_customer_set_columns(double *x_out, double *t_x_out, double *T_out, double *zbar_out,
                                     size_t capacity, const kpi_customer_set *set);

/* ---------------------------------------------------------------------------------------------- */
/* BG/NBD (Fader, Hardie & Lee 2005)                                                               */

/** The current version of kpi_bgnbd. */
#define KPI_BGNBD_VERSION 1

/**
 * A BG/NBD model: the parameters (set them to use known values, or let kpi_bgnbd_fit() fill them) and,
 * after a fit, its log-likelihood, iterations and customers. Times are in the unit of the summaries.
 */
typedef struct kpi_bgnbd {
  uint32_t version;   /**< #KPI_BGNBD_VERSION. */
  int32_t iterations; /**< Iterations of the last fit (0 before any fit). */
  int64_t customers;  /**< Customers in the last fit. */
  double r;           /**< Gamma shape of purchase rates, > 0. */
  double alpha;       /**< Gamma scale of purchase rates (model time unit), > 0. */
  double a;           /**< Beta shape of the drop-out probability, > 0. */
  double b;           /**< Beta shape of the drop-out probability, > 0. */
  double loglik;      /**< Log-likelihood at the estimates (after a fit). */
} kpi_bgnbd;

/** Static initializer of kpi_bgnbd with the current version (parameters 0: set or fit them). */
#define KPI_BGNBD_INIT \
  { KPI_BGNBD_VERSION, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0 }

/**
 * Zeroes `model` and sets its version.
 * @param[out] model The struct to initialize.
 * @param version #KPI_BGNBD_VERSION.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_bgnbd_init(kpi_bgnbd *model, uint32_t version);

/**
 * Fits BG/NBD by maximum likelihood. On the CDNOW sample in weeks: r = 0.243, alpha = 4.414,
 * a = 0.793, b = 2.426, log-likelihood −9582.4.
 * @param[out] out The model; its version must be set.
 * @param x,t_x,T `count` customer summaries.
 * @param count Number of customers, >= 1.
 * @param options NULL for the defaults.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for count 0 or an invalid summary;
 *         #KPI_ENOCONVERGE when the search does not converge or the data do not identify the model.
 */
KPI_API int kpi_bgnbd_fit(kpi_bgnbd *out, const double *x, const double *t_x, const double *T, size_t count,
                          const kpi_fit_options *options);

/**
 * The log-likelihood of the model's parameters for `count` customers.
 * @param[out] out The log-likelihood.
 * @param model The model (its parameters are used).
 * @param x,t_x,T The customer summaries.
 * @param count Number of customers (0 gives 0).
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters or summaries.
 */
KPI_API int kpi_bgnbd_loglik(double *out, const kpi_bgnbd *model, const double *x, const double *t_x,
                             const double *T, size_t count);

/**
 * E[X(t)]: expected purchases of a new customer in (0, t].
 * @param[out] out The expectation.
 * @param model The model.
 * @param t Horizon in the model's time unit, >= 0.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters or t.
 */
KPI_API int kpi_bgnbd_expected_purchases(double *out, const kpi_bgnbd *model, double t);

/**
 * E[Y(t) | x, t_x, T] for each customer: expected purchases in the next `t` time units.
 * @param[out] out `count` expectations.
 * @param model The model.
 * @param t Horizon, >= 0.
 * @param x,t_x,T The customer summaries.
 * @param count Number of customers.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL (nothing is written on error).
 */
KPI_API int kpi_bgnbd_conditional_expected_purchases(double *out, const kpi_bgnbd *model, double t,
                                                     const double *x, const double *t_x, const double *T,
                                                     size_t count);

/**
 * P(alive | x, t_x, T) for each customer, in [0, 1] (exactly 1 when x = 0).
 * @param[out] out `count` probabilities.
 * @param model The model.
 * @param x,t_x,T The customer summaries.
 * @param count Number of customers.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL (nothing is written on error).
 */
KPI_API int kpi_bgnbd_p_alive(double *out, const kpi_bgnbd *model, const double *x, const double *t_x,
                              const double *T, size_t count);

/**
 * P(X(t) = n): the probability that a new customer makes exactly n purchases in (0, t].
 * @param[out] out The probability.
 * @param model The model.
 * @param t Horizon, >= 0.
 * @param n Number of purchases.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL.
 */
KPI_API int kpi_bgnbd_p_purchases(double *out, const kpi_bgnbd *model, double t, uint32_t n);

/* ---------------------------------------------------------------------------------------------- */
/* Gamma-Gamma (Fader & Hardie; Colombo & Jiang 1999)                                              */

/** The current version of kpi_gamma_gamma. */
#define KPI_GAMMA_GAMMA_VERSION 1

/** A Gamma-Gamma value model: parameters and, after a fit, its statistics. */
typedef struct kpi_gamma_gamma {
  uint32_t version;   /**< #KPI_GAMMA_GAMMA_VERSION. */
  int32_t iterations; /**< Iterations of the last fit. */
  int64_t customers;  /**< Customers in the last fit (those with x >= 1 and zbar > 0). */
  double p;           /**< Shape of the per-purchase value distribution, > 0. */
  double q;           /**< Shape of the distribution of nu across customers, > 0. */
  double gamma;       /**< Scale of that distribution (currency units), > 0. */
  double loglik;      /**< Log-likelihood at the estimates (after a fit). */
} kpi_gamma_gamma;

/** Static initializer of kpi_gamma_gamma with the current version. */
#define KPI_GAMMA_GAMMA_INIT \
  { KPI_GAMMA_GAMMA_VERSION, 0, 0, 0.0, 0.0, 0.0, 0.0 }

/**
 * Zeroes `model` and sets its version.
 * @param[out] model The struct to initialize.
 * @param version #KPI_GAMMA_GAMMA_VERSION.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_gamma_gamma_init(kpi_gamma_gamma *model, uint32_t version);

/**
 * Fits Gamma-Gamma by maximum likelihood on the customers with x >= 1 and zbar > 0 (others are
 * skipped). On the CDNOW sample's 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44.
 * @param[out] out The model; its version must be set.
 * @param x Repeat purchases of `count` customers.
 * @param zbar Their mean repeat values.
 * @param count Number of customers.
 * @param options NULL for the defaults.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL when fewer than 2 customers qualify or a
 *         value is invalid; #KPI_ENOCONVERGE.
 */
KPI_API int kpi_gamma_gamma_fit(kpi_gamma_gamma *out, const double *x, const double *zbar, size_t count,
                                const kpi_fit_options *options);

/**
 * The log-likelihood of the model's parameters over the customers with x >= 1 and zbar > 0.
 * @param[out] out The log-likelihood.
 * @param model The model.
 * @param x,zbar The customers.
 * @param count Number of customers.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL.
 */
KPI_API int kpi_gamma_gamma_loglik(double *out, const kpi_gamma_gamma *model, const double *x,
                                   const double *zbar, size_t count);

/**
 * E[M | x, zbar] = p (gamma + x zbar) / (p x + q − 1) for each customer: the expected value of one of
 * their purchases (the population mean p gamma / (q − 1) when x = 0). Undefined when p x + q <= 1.
 * @param[out] out `count` expected values; NaN where undefined.
 * @param[out] defined_out `count` flags, 1 where defined, 0 where undefined; may be NULL.
 * @param model The model.
 * @param x,zbar The customers.
 * @param count Number of customers.
 * @return #KPI_OK (even when some values are undefined); #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL.
 */
KPI_API int kpi_gamma_gamma_expected_value(double *out, int32_t *defined_out, const kpi_gamma_gamma *model,
                                           const double *x, const double *zbar, size_t count);

/* ---------------------------------------------------------------------------------------------- */
/* Predictive CLV                                                                                  */

/** The current version of kpi_clv_options. */
#define KPI_CLV_OPTIONS_VERSION 1

/**
 * CLV = sum over months k = 1..H of E[M] (E[Y(k f)] − E[Y((k − 1) f)]) / (1 + d)^k, with f model time
 * units a month.
 */
typedef struct kpi_clv_options {
  uint32_t version;        /**< #KPI_CLV_OPTIONS_VERSION. */
  int32_t horizon_months;  /**< H, >= 0 (default 12). */
  int32_t unit;            /**< The models' time unit: #KPI_TIME_UNIT_WEEK (default) or _DAY. */
  int32_t reserved;        /**< Must be 0. */
  double monthly_discount; /**< d, a fraction >= 0 (default 0.01). */
  double units_per_month;  /**< f; 0 (default) takes kpi_models_units_per_month(unit). */
} kpi_clv_options;

/** Static initializer of kpi_clv_options with the current version and the defaults. */
#define KPI_CLV_OPTIONS_INIT \
  { KPI_CLV_OPTIONS_VERSION, 12, KPI_TIME_UNIT_WEEK, 0, 0.01, 0.0 }

/**
 * Fills `options` with the defaults of #KPI_CLV_OPTIONS_INIT.
 * @param[out] options The struct to initialize.
 * @param version #KPI_CLV_OPTIONS_VERSION.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_clv_options_init(kpi_clv_options *options, uint32_t version);

/**
 * The discounted CLV of each customer.
 * @param[out] out `count` CLVs (currency units); NaN where undefined (no finite E[M]).
 * @param[out] defined_out `count` flags, 1 where defined; may be NULL.
 * @param purchases The BG/NBD model.
 * @param value The Gamma-Gamma model.
 * @param x,t_x,T,zbar The customer summaries.
 * @param count Number of customers.
 * @param options NULL for the defaults.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters, options or summaries.
 */
KPI_API int kpi_clv(double *out, int32_t *defined_out, const kpi_bgnbd *purchases,
                    const kpi_gamma_gamma *value, const double *x, const double *t_x, const double *T,
                    const double *zbar, size_t count, const kpi_clv_options *options);

/* ---------------------------------------------------------------------------------------------- */
/* Shifted-beta-geometric retention (Fader & Hardie 2007)                                          */

/** The current version of kpi_sbg. */
#define KPI_SBG_VERSION 1

/** An sBG model of contract duration: parameters and, after a fit, its statistics. */
typedef struct kpi_sbg {
  uint32_t version;   /**< #KPI_SBG_VERSION. */
  int32_t iterations; /**< Iterations of the last fit. */
  double alpha;       /**< Beta shape of the cancellation probability, > 0. */
  double beta;        /**< Beta shape of the cancellation probability, > 0. */
  double loglik;      /**< Log-likelihood at the estimates (after a fit). */
} kpi_sbg;

/** Static initializer of kpi_sbg with the current version. */
#define KPI_SBG_INIT \
  { KPI_SBG_VERSION, 0, 0.0, 0.0, 0.0 }

/**
 * Zeroes `model` and sets its version.
 * @param[out] model The struct to initialize.
 * @param version #KPI_SBG_VERSION.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_sbg_init(kpi_sbg *model, uint32_t version);

/**
 * Fits the sBG model to one cohort's survivor counts: `survivors[0]` at the start, `survivors[t]`
 * still active after t renewal opportunities. Counts may be fractional. Fader & Hardie's regular
 * segment (1000, 631, 468, 382, 326, 289, 262, 241) gives alpha = 0.704, beta = 1.182.
 * @param[out] out The model; its version must be set.
 * @param survivors `count` non-increasing counts, survivors[0] > 0.
 * @param count At least 2.
 * @param options NULL for the defaults.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad counts, no renewal after the first
 *         period or no loss at all; #KPI_ENOCONVERGE.
 */
KPI_API int kpi_sbg_fit(kpi_sbg *out, const double *survivors, size_t count, const kpi_fit_options *options);

/**
 * The log-likelihood of the model's parameters for survivor counts (see kpi_sbg_fit()).
 * @param[out] out The log-likelihood.
 * @param model The model.
 * @param survivors,count The counts.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL.
 */
KPI_API int kpi_sbg_loglik(double *out, const kpi_sbg *model, const double *survivors, size_t count);

/**
 * S(t): the share of a new cohort still active after t renewal opportunities (S(0) = 1).
 * @param[out] out The survival.
 * @param model The model.
 * @param t Period, >= 0.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters.
 */
KPI_API int kpi_sbg_survival(double *out, const kpi_sbg *model, uint32_t t);

/**
 * P(T = t): the probability that a new customer cancels at the end of period t.
 * @param[out] out The probability.
 * @param model The model.
 * @param t Period, >= 1.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters or t = 0.
 */
KPI_API int kpi_sbg_churn_probability(double *out, const kpi_sbg *model, uint32_t t);

/**
 * r_t = S(t) / S(t − 1): the retention rate of period t, rising with t.
 * @param[out] out The retention rate.
 * @param model The model.
 * @param t Period, >= 1.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters or t = 0.
 */
KPI_API int kpi_sbg_retention(double *out, const kpi_sbg *model, uint32_t t);

/**
 * The projected survival curve S(0), S(1), ..., S(count − 1).
 * @param[out] out `count` values.
 * @param count Number of values (0 writes nothing).
 * @param model The model.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for bad parameters or a count above 2^32.
 */
KPI_API int kpi_sbg_project_survival(double *out, size_t count, const kpi_sbg *model);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KPI_C_MODELS_H */

/**
 * @file kpi/c/views.h
 * @brief Views over KPIs: targets, leaderboards, coaching flags, anomaly alerts and trend.
 *
 * Included by kpi/kpi.h; do not include it directly. Pure functions over KPI values the caller already
 * has (from the engine or elsewhere); the definitions and worked examples are in docs/views.md.
 *
 * Conventions of this module:
 * - An array of KPI values comes with an optional parallel `const int32_t *defined` array: NULL means
 *   every value is defined; otherwise a value whose `defined` entry is 0 is *undefined* (a zero
 *   denominator, no data) and its number is ignored. Undefined is never read as 0.
 * - Times are int64 Unix epoch milliseconds (UTC); time zones are IANA names ("Asia/Jakarta"), NULL or
 *   "" for UTC; periods are canonical labels ("2026-11", "2026-W48", "2026-11-23", "2026-Q4", "2026").
 * - Functions without a handle are reentrant. A kpi_target_table or kpi_anomaly_detector must not be
 *   used from two threads at once.
 *
 * Example (C): is half a month's revenue on track for its target?
 * @code
 * kpi_target_spec spec = KPI_TARGET_SPEC_INIT;
 * kpi_target_evaluation ev = KPI_TARGET_EVALUATION_INIT;
 * spec.op = KPI_TARGET_AT_LEAST; spec.value = 30000000.0; spec.additive = 1;
 * kpi_target_evaluate(&ev, &spec, 12000000.0, 1, 0.5);
 * // ev.status == KPI_TARGET_AT_RISK, ev.projection == 24000000, ev.prorated_target == 15000000
 * @endcode
 * @since 0.1.0
 */
#ifndef KPI_C_VIEWS_H
#define KPI_C_VIEWS_H

#include "kpi/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup kpi_views Views: targets, leaderboards, coaching flags, anomalies, trend
 *  @{ */

/** Target comparisons (kpi_target_spec.op, kpi_target.op). Values are pinned. */
enum {
  KPI_TARGET_AT_LEAST = 0, /**< actual >= value (CSV `>=`). */
  KPI_TARGET_AT_MOST = 1,  /**< actual <= value (CSV `<=`). */
  KPI_TARGET_BETWEEN = 2   /**< value <= actual <= value2, both inclusive (CSV `between`). */
};

/** Target statuses (kpi_target_evaluation.status). Values are pinned. */
enum {
  KPI_TARGET_NO_DATA = -1, /**< The actual is undefined: no status (no data is not a miss). */
  KPI_TARGET_MET = 0,      /**< Period over and the condition holds, or an additive >= target reached. */
  KPI_TARGET_ON_TRACK = 1, /**< Period open; the projection (additive) or current value (rate) meets it. */
  KPI_TARGET_AT_RISK = 2,  /**< Period open; the projection (additive) or current value (rate) misses. */
  KPI_TARGET_MISSED = 3    /**< Period over and it fails, or an additive upper bound already exceeded. */
};

/** Which direction of a KPI is better. Values are pinned. */
enum {
  KPI_BETTER_HIGHER = 0, /**< Larger is better (revenue, connection rate). */
  KPI_BETTER_LOWER = 1   /**< Smaller is better (abandon rate, ASA, churn). */
};

/** Why a leaderboard row is or is not ranked. Values are pinned. */
enum {
  KPI_STANDING_RANKED = 0,           /**< Ranked. */
  KPI_STANDING_BELOW_MIN_VOLUME = 1, /**< Listed, not ranked: volume < min_volume. */
  KPI_STANDING_UNDEFINED_VALUE = 2   /**< Listed, not ranked: the value is undefined. */
};

/** Seasonal effect removed before anomaly scoring. Values are pinned. */
enum {
  KPI_SEASON_NONE = 0,        /**< None. */
  KPI_SEASON_DAY_OF_WEEK = 1, /**< Local weekday (daily series). */
  KPI_SEASON_HOUR_OF_WEEK = 2 /**< Local weekday and hour (hourly series). */
};

/** Resolution of an anomaly series. Values are pinned. */
enum {
  KPI_RESOLUTION_DAILY = 0, /**< One point per local day. */
  KPI_RESOLUTION_HOURLY = 1 /**< One point per hour. */
};

/* ---------------------------------------------------------------------------------------------- */
/* Targets                                                                                         */

/** The current version of kpi_target_spec. */
#define KPI_TARGET_SPEC_VERSION 1

/** The bound of a target. Fill it with #KPI_TARGET_SPEC_INIT or kpi_target_spec_init(). */
typedef struct kpi_target_spec {
  uint32_t version; /**< #KPI_TARGET_SPEC_VERSION. */
  int32_t op;       /**< #KPI_TARGET_AT_LEAST (default), #KPI_TARGET_AT_MOST or #KPI_TARGET_BETWEEN. */
  int32_t additive; /**< 1 for an additive KPI (count or sum: prorated and projected by run rate), 0
                         for a rate, mean or snapshot (default 0). See kpi_target_is_additive(). */
  double value;     /**< The bound; the lower bound of a between target. Finite. */
  double value2;    /**< The upper bound of a between target (>= value); ignored for the other ops. */
} kpi_target_spec;

/** Static initializer of kpi_target_spec: `>= 0`, not additive. */
#define KPI_TARGET_SPEC_INIT \
  { KPI_TARGET_SPEC_VERSION, KPI_TARGET_AT_LEAST, 0, 0.0, 0.0 }

/** The current version of kpi_target_evaluation. */
#define KPI_TARGET_EVALUATION_VERSION 1

/** The evaluation of a target. The caller sets `version`; the library fills the rest. */
typedef struct kpi_target_evaluation {
  uint32_t version;             /**< #KPI_TARGET_EVALUATION_VERSION. */
  int32_t status;               /**< KPI_TARGET_MET ... KPI_TARGET_MISSED, or KPI_TARGET_NO_DATA. */
  int32_t has_attainment;       /**< 1 when attainment is defined. */
  int32_t has_projection;       /**< 1 when projection is defined. */
  int32_t has_prorated_target2; /**< 1 for a between target. */
  int32_t reserved;             /**< 0; keeps the doubles 8-byte aligned on every ABI. */
  double attainment;            /**< actual / value (>=), value / actual (<=), 1 inside a between
                                     band; NaN when has_attainment is 0. */
  double prorated_target;       /**< value × progress (additive) or value (rate). */
  double prorated_target2;      /**< value2 × progress or value2 (between); NaN otherwise. */
  double projection;            /**< Run rate actual / progress (additive, progress > 0); NaN when
                                     has_projection is 0. */
} kpi_target_evaluation;

/** Static initializer of kpi_target_evaluation with the current version. */
#define KPI_TARGET_EVALUATION_INIT \
  { KPI_TARGET_EVALUATION_VERSION, KPI_TARGET_NO_DATA, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0 }

/**
 * Fills `spec` with #KPI_TARGET_SPEC_INIT for `version` (for FFI callers that cannot use the macro).
 * @param[out] spec The struct to initialize.
 * @param version #KPI_TARGET_SPEC_VERSION.
 * @return #KPI_OK; #KPI_ENULL if spec is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_target_spec_init(kpi_target_spec *spec, uint32_t version);

/**
 * Zeroes `evaluation` (status #KPI_TARGET_NO_DATA) and sets its version.
 * @param[out] evaluation The struct to initialize.
 * @param version #KPI_TARGET_EVALUATION_VERSION.
 * @return #KPI_OK; #KPI_ENULL if evaluation is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_target_evaluation_init(kpi_target_evaluation *evaluation, uint32_t version);

/**
 * Evaluates a target: attainment, prorated target, run-rate projection and status (the rules are in
 * docs/views.md: met when the period is over and the condition holds, or when an additive >= target is
 * already reached; missed when over and failing, or an additive upper bound is already exceeded;
 * otherwise on_track / at_risk by the projection, or by the current value for a rate).
 * Example: >= 80 with actual 80 and progress 1 gives #KPI_TARGET_MET and attainment 1.
 * @param[out] out The evaluation; its version must be set.
 * @param spec The bound.
 * @param actual The KPI's value over the elapsed part of the period (ignored when actual_defined is 0).
 * @param actual_defined 1 when actual is defined, 0 when the KPI is undefined (status NO_DATA).
 * @param progress Elapsed fraction of the period in [0, 1] (kpi_period_progress()); 1 = over.
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer; #KPI_EVERSION for a bad struct version; #KPI_EINVAL
 *         for an invalid spec (non-finite bound, value2 < value, unknown op), a progress outside [0, 1]
 *         or a non-finite defined actual.
 */
KPI_API int kpi_target_evaluate(kpi_target_evaluation *out, const kpi_target_spec *spec, double actual,
                                int32_t actual_defined, double progress);

/**
 * The elapsed fraction of a calendar period at an instant: (as_of − start) / (end − start) of the
 * period's window in `time_zone`, clamped to [0, 1].
 * Example: "2026-11" in UTC at 2026-11-16T00:00Z gives 0.5.
 * @param[out] out The fraction.
 * @param period A period label ("2026-11", "2026-W48", "2026-11-23", "2026-Q4", "2026").
 * @param time_zone IANA zone name, NULL or "" for UTC.
 * @param as_of_ms The instant, Unix epoch milliseconds.
 * @return #KPI_OK; #KPI_ENULL if out or period is NULL; #KPI_EPARSE for a bad label; #KPI_ENOTFOUND for
 *         an unknown zone; #KPI_EINVAL for "all".
 */
KPI_API int kpi_period_progress(double *out, const char *period, const char *time_zone, int64_t as_of_ms);

/**
 * Whether a KPI (by contract name, "sales_revenue") is additive: a count or sum that grows over a
 * period, so its target is prorated and its actual projected by run rate.
 * @param[out] out 1 for additive, 0 otherwise (also for an unknown name).
 * @param kpi_name The KPI's snake_case id.
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer.
 */
KPI_API int kpi_target_is_additive(int32_t *out, const char *kpi_name);

/**
 * Static text of a target status: "met", "on_track", "at_risk", "missed", "no_data"; "unknown" for any
 * other value. Never NULL, nothing to free. Reentrant.
 * @param status A KPI_TARGET_* status.
 * @return A static NUL-terminated string.
 */
KPI_API const char *kpi_target_status_str(int32_t status);

/** A table of targets keyed by (kpi, agent_id, team_id, campaign_id, period). Opaque. */
typedef struct kpi_target_table kpi_target_table;

/** The current version of kpi_target. */
#define KPI_TARGET_VERSION 1

/**
 * One target record (the canonical target CSV's row). Strings are UTF-8; an empty or NULL group id
 * means "not grouped by this dimension".
 */
typedef struct kpi_target {
  uint32_t version;        /**< #KPI_TARGET_VERSION. */
  int32_t op;              /**< KPI_TARGET_AT_LEAST, _AT_MOST or _BETWEEN. */
  const char *kpi;         /**< The KPI id ("connection_rate"), not empty. */
  const char *agent_id;    /**< Group: agent, or NULL / "". */
  const char *team_id;     /**< Group: team, or NULL / "". */
  const char *campaign_id; /**< Group: campaign, or NULL / "". */
  const char *period;      /**< Period label ("2026-11"). */
  double value;            /**< The bound (lower bound of between). */
  double value2;           /**< Upper bound of between; ignored otherwise. */
} kpi_target;

/** Static initializer of kpi_target. */
#define KPI_TARGET_INIT \
  { KPI_TARGET_VERSION, KPI_TARGET_AT_LEAST, NULL, NULL, NULL, NULL, NULL, 0.0, 0.0 }

/**
 * Creates an empty target table. Constructor; free it with kpi_target_table_free().
 * @param[out] out The new table.
 * @return #KPI_OK; #KPI_ENULL if out is NULL; #KPI_ENOMEM.
 */
KPI_API int kpi_target_table_new(kpi_target_table **out);

/** Frees a target table. Destructor; NULL is accepted and ignored. */
KPI_API void kpi_target_table_free(kpi_target_table *table);

/**
 * Reads a canonical target CSV file and adds its rows. On error the table is unchanged.
 * @param table The table.
 * @param path The file's path.
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer; #KPI_EIO when the file cannot be read; #KPI_EPARSE
 *         for a bad header or row (the last error names file, line and column); #KPI_EINVAL when two
 *         rows of the file have the same key.
 */
KPI_API int kpi_target_table_read_csv(kpi_target_table *table, const char *path);

/**
 * Sets (adds or replaces) the target of the record's key. The strings are copied.
 * @param table The table.
 * @param target The target.
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer (table, target, kpi or period); #KPI_EVERSION;
 *         #KPI_EPARSE for a bad period label; #KPI_EINVAL for an invalid record.
 */
KPI_API int kpi_target_table_set(kpi_target_table *table, const kpi_target *target);

/**
 * The number of targets.
 * @param[out] out The count.
 * @param table The table.
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer.
 */
KPI_API int kpi_target_table_count(size_t *out, const kpi_target_table *table);

/**
 * The target at `index` (insertion order). The strings are borrowed from the table: valid until the
 * table is next modified or freed.
 * @param[out] out The target; its version must be set.
 * @param table The table.
 * @param index 0 .. count − 1.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for an index out of range.
 */
KPI_API int kpi_target_table_get(kpi_target *out, const kpi_target_table *table, size_t index);

/**
 * The spec of the target of an exact key (additive set from the KPI's name).
 * @param[out] out The spec; its version must be set.
 * @param table The table.
 * @param kpi The KPI id.
 * @param agent_id Agent, or NULL / "".
 * @param team_id Team, or NULL / "".
 * @param campaign_id Campaign, or NULL / "".
 * @param period Period label.
 * @return #KPI_OK; #KPI_ENOTFOUND when the table has no such target; #KPI_ENULL; #KPI_EVERSION;
 *         #KPI_EPARSE for a bad period label.
 */
KPI_API int kpi_target_table_find(kpi_target_spec *out, const kpi_target_table *table, const char *kpi,
                                  const char *agent_id, const char *team_id, const char *campaign_id,
                                  const char *period);

/* ---------------------------------------------------------------------------------------------- */
/* Leaderboards and coaching flags                                                                 */

/**
 * Ranks entries by value with dense ranks (ties share a rank: 100, 90, 90, 80 rank 1, 2, 2, 3); an
 * entry with volume < min_volume or an undefined value is listed but not ranked (rank 0).
 * @param[out] ranks_out Per input entry: dense rank from 1 (best), 0 when not ranked. `count` entries.
 * @param[out] standing_out Per input entry: KPI_STANDING_*; may be NULL.
 * @param[out] order_out The listing order as input indices: ranked by rank, then below minimum volume
 *             by value, then undefined; ties by name (when names are given), then index. May be NULL.
 * @param values The KPI per entry.
 * @param defined Per entry 1 / 0, or NULL when all are defined.
 * @param volumes The volume behind each value (calls, orders), >= 0.
 * @param names UTF-8 names for tie order, or NULL (ties by index).
 * @param count Number of entries (0 allowed; the pointers may then be NULL).
 * @param better #KPI_BETTER_HIGHER or #KPI_BETTER_LOWER.
 * @param min_volume Minimum volume to be ranked, >= 0 (inclusive).
 * @return #KPI_OK; #KPI_ENULL for a required NULL pointer; #KPI_EINVAL for a negative or non-finite
 *         volume or min_volume, a non-finite defined value, an unknown `better`.
 */
KPI_API int kpi_leaderboard_rank(int32_t *ranks_out, int32_t *standing_out, size_t *order_out,
                                 const double *values, const int32_t *defined, const double *volumes,
                                 const char *const *names, size_t count, int32_t better, double min_volume);

/**
 * The type-7 sample quantile (R's default, Excel's PERCENTILE.INC): sorted x, h = (n − 1)·p,
 * Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]). Example: {1, 2, 3, 4} at p = 0.25 gives 1.75.
 * @param[out] out The quantile.
 * @param values The sample (finite).
 * @param count Its size; 0 gives #KPI_EUNDEFINED.
 * @param p In [0, 1].
 * @return #KPI_OK; #KPI_EUNDEFINED for an empty sample; #KPI_ENULL; #KPI_EINVAL for p outside [0, 1]
 *         or a non-finite value.
 */
KPI_API int kpi_quantile_type7(double *out, const double *values, size_t count, double p);

/**
 * Coaching flags: an agent is flagged when its value is strictly below its team's type-7 quantile
 * `percentile` (strictly above the 1 − percentile quantile for #KPI_BETTER_LOWER) for the last `k`
 * consecutive periods; quantiles are per team and period over the defined values; an undefined value
 * breaks the streak.
 * @param[out] flagged_out Per agent: 1 when flagged, else 0.
 * @param[out] streak_out Per agent: consecutive periods under, ending at the last period; may be NULL.
 * @param values agents × periods values, row-major (agent i's period t at values[i * periods + t]),
 *        oldest period first.
 * @param defined Same shape, 1 / 0; NULL when all are defined.
 * @param teams Team number per agent (any int32; agents with equal numbers share a team).
 * @param agents Number of agents.
 * @param periods Number of periods.
 * @param k Consecutive periods needed, >= 1.
 * @param percentile The quantile p, in (0, 1) (0.25 for the contract's p25).
 * @param better #KPI_BETTER_HIGHER or #KPI_BETTER_LOWER.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EINVAL for k = 0, p outside (0, 1), a non-finite value, `better`.
 */
KPI_API int kpi_coaching_flags(int32_t *flagged_out, int64_t *streak_out, const double *values,
                               const int32_t *defined, const int32_t *teams, size_t agents, size_t periods,
                               size_t k, double percentile, int32_t better);

/* ---------------------------------------------------------------------------------------------- */
/* Anomaly alerts                                                                                  */

/** The current version of kpi_anomaly_options. */
#define KPI_ANOMALY_OPTIONS_VERSION 1

/** Options of an anomaly detector. Fill with #KPI_ANOMALY_OPTIONS_INIT or kpi_anomaly_options_init(). */
typedef struct kpi_anomaly_options {
  uint32_t version;      /**< #KPI_ANOMALY_OPTIONS_VERSION. */
  int32_t resolution;    /**< #KPI_RESOLUTION_DAILY (default) or #KPI_RESOLUTION_HOURLY. */
  int32_t seasonality;   /**< #KPI_SEASON_DAY_OF_WEEK (default), _HOUR_OF_WEEK or _NONE. */
  int32_t window_days;   /**< Trailing window in days, >= 1 (default 28). */
  double threshold;      /**< Flag when |z| > threshold (default 3.5). */
  int64_t min_history;   /**< Points needed in the window before judging, >= 3 (default 14). */
  double min_deviation;  /**< Also require |residual − median| > this, >= 0 (default 0). */
  const char *time_zone; /**< IANA zone of local days and hours; NULL or "" for UTC (default NULL).
                              Copied by kpi_anomaly_detector_new(). */
} kpi_anomaly_options;

/** Static initializer of kpi_anomaly_options with the defaults. */
#define KPI_ANOMALY_OPTIONS_INIT \
  { KPI_ANOMALY_OPTIONS_VERSION, KPI_RESOLUTION_DAILY, KPI_SEASON_DAY_OF_WEEK, 28, 3.5, 14, 0.0, NULL }

/** The current version of kpi_anomaly_alert. */
#define KPI_ANOMALY_ALERT_VERSION 1

/** An anomaly alert, as passed to the callback (filled with the current version). */
typedef struct kpi_anomaly_alert {
  uint32_t version;  /**< #KPI_ANOMALY_ALERT_VERSION. */
  int32_t direction; /**< +1 a spike, −1 a drop. */
  int32_t has_score; /**< 0 when the history is perfectly regular (MAD = MeanAD = 0): no z. */
  int32_t reserved;  /**< 0. */
  int64_t time_ms;   /**< The point's time, Unix epoch milliseconds. */
  double actual;     /**< Its value. */
  double expected;   /**< Seasonal median + median residual. */
  double score;      /**< Robust z-score; NaN when has_score is 0. */
  double scale;      /**< The scale used, in KPI units (≈ σ); 0 when has_score is 0. */
  int64_t history;   /**< Points of the window it was judged against. */
} kpi_anomaly_alert;

/**
 * Receives each alert of a detector, on the thread that pushed the point, before the push returns.
 * `alert` is valid during the call only. The callback must not call back into the same detector.
 */
typedef void KPI_CALLBACK(kpi_anomaly_callback)(const kpi_anomaly_alert *alert, void *payload);

/** A streaming anomaly detector over one series. Opaque. */
typedef struct kpi_anomaly_detector kpi_anomaly_detector;

/**
 * Fills `options` with #KPI_ANOMALY_OPTIONS_INIT for `version`.
 * @param[out] options The struct to initialize.
 * @param version #KPI_ANOMALY_OPTIONS_VERSION.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_anomaly_options_init(kpi_anomaly_options *options, uint32_t version);

/**
 * Creates a detector. Constructor; free it with kpi_anomaly_detector_free().
 * @param[out] out The new detector.
 * @param options The options, or NULL for the defaults.
 * @param callback Called with each alert, or NULL (use kpi_anomaly_detector_push()'s result).
 * @param payload Passed to the callback unchanged; the library never dereferences it.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for an option out of range; #KPI_ENOTFOUND
 *         for an unknown time zone.
 */
KPI_API int kpi_anomaly_detector_new(kpi_anomaly_detector **out, const kpi_anomaly_options *options,
                                     kpi_anomaly_callback callback, void *payload);

/** Frees a detector. Destructor; NULL is accepted and ignored. */
KPI_API void kpi_anomaly_detector_free(kpi_anomaly_detector *detector);

/**
 * Judges one point against the history (calling the callback when it is an anomaly), then adds it.
 * @param[out] flagged_out 1 when the point is an anomaly, else 0; may be NULL.
 * @param[out] alert_out Filled with the alert when there is one (its version must be set); may be NULL.
 * @param detector The detector.
 * @param time_ms The point's time, after the previous point's (daily: a later local day).
 * @param value Its value (ignored when defined is 0).
 * @param defined 1 when defined; 0 skips the point.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for a point out of order or a non-finite value.
 */
KPI_API int kpi_anomaly_detector_push(int32_t *flagged_out, kpi_anomaly_alert *alert_out,
                                      kpi_anomaly_detector *detector, int64_t time_ms, double value,
                                      int32_t defined);

/**
 * Pushes `count` points in order (one FFI call for a whole series); alerts reach the callback.
 * @param[out] alerts_out The number of alerts raised; may be NULL.
 * @param detector The detector.
 * @param times_ms The points' times, increasing.
 * @param values Their values.
 * @param defined 1 / 0 per point, or NULL when all are defined.
 * @param count Number of points.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EINVAL as kpi_anomaly_detector_push() (the points before the bad
 *         one were pushed).
 */
KPI_API int kpi_anomaly_detector_push_many(size_t *alerts_out, kpi_anomaly_detector *detector,
                                           const int64_t *times_ms, const double *values,
                                           const int32_t *defined, size_t count);

/**
 * Forgets the history (options and callback stay).
 * @param detector The detector.
 * @return #KPI_OK; #KPI_ENULL.
 */
KPI_API int kpi_anomaly_detector_reset(kpi_anomaly_detector *detector);

/* ---------------------------------------------------------------------------------------------- */
/* Trend                                                                                           */

/**
 * Least-squares line y = intercept + slope·x over the last `n` values (x = 0-based index in the
 * whole array; undefined values skipped, their index kept).
 * Example: 10, 12, 14, 16 gives slope 2 and intercept 10.
 * @param[out] slope_out Change per period; NaN when undefined.
 * @param[out] intercept_out Fitted value at index 0; may be NULL.
 * @param values The series, oldest first.
 * @param defined 1 / 0 per value, or NULL when all are defined.
 * @param count Length of the series.
 * @param n Periods to fit, >= 2.
 * @return #KPI_OK; #KPI_EUNDEFINED with fewer than 2 defined values among the last n; #KPI_ENULL;
 *         #KPI_EINVAL for n < 2 or a non-finite value.
 */
KPI_API int kpi_trend_fit(double *slope_out, double *intercept_out, const double *values,
                          const int32_t *defined, size_t count, size_t n);

/** The current version of kpi_period_projection. */
#define KPI_PERIOD_PROJECTION_VERSION 1

/** Projections of an additive KPI to the end of a period. The caller sets `version`. */
typedef struct kpi_period_projection {
  uint32_t version;     /**< #KPI_PERIOD_PROJECTION_VERSION. */
  int32_t has_run_rate; /**< 0 when no sub-period has elapsed. */
  int32_t has_trend;    /**< 0 when the trend fit is undefined. */
  int32_t reserved;     /**< 0. */
  double actual;        /**< Sum of the elapsed sub-periods (undefined ones count 0). */
  double run_rate;      /**< actual × total / elapsed; NaN when has_run_rate is 0. */
  double trend;         /**< actual + the fitted line over the remaining sub-periods; NaN if undefined. */
} kpi_period_projection;

/** Static initializer of kpi_period_projection with the current version. */
#define KPI_PERIOD_PROJECTION_INIT \
  { KPI_PERIOD_PROJECTION_VERSION, 0, 0, 0, 0.0, 0.0, 0.0 }

/**
 * Projects an additive KPI to the end of a period of `total` sub-periods from the `count` elapsed ones.
 * Example: 10 of 30 days with 10, 11, ..., 19 gives actual 145, run rate 435, trend 735 (n = 10).
 * @param[out] out The projections; its version must be set.
 * @param values Elapsed sub-periods' values, in order.
 * @param defined 1 / 0 per value, or NULL.
 * @param count Elapsed sub-periods, <= total.
 * @param total Sub-periods in the period.
 * @param n Sub-periods the trend is fitted over, >= 2.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL for count > total, n < 2, non-finite values.
 */
KPI_API int kpi_trend_project(kpi_period_projection *out, const double *values, const int32_t *defined,
                              size_t count, size_t total, size_t n);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KPI_C_VIEWS_H */

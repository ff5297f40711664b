/**
 * @file kpi/c/engine.h
 * @brief The streaming KPI engine through the C ABI: records in (one at a time, as arrays of structs
 * with a stride, or as columns), any KPI out for any group, period and roll-up; merge and save/load.
 *
 * Included by kpi/kpi.h.
 *
 * Lifecycle: kpi_engine_new() creates an engine, kpi_engine_free() destroys it. An engine must not be
 * used from two threads at once; for parallel ingest use one engine per thread and kpi_engine_merge().
 *
 * Out of memory: an ingest or merge call that returns #KPI_ENOMEM may have stored part of a record or
 * of a cell, so the engine then refuses every later call but kpi_engine_free() and the counts with
 * #KPI_ENOMEM (never a wrong number or a corrupt save): load the last saved state or start a new
 * engine. A query or save that returns #KPI_ENOMEM changes nothing.
 *
 * Units: timestamps are int64 milliseconds since the Unix epoch (UTC); durations are double seconds,
 * NaN meaning "absent" for optional ones; money is int64 minor units of an ISO 4217 currency (IDR has
 * 2 decimals: Rp850,000 is 85000000); rates are fractions in [0, 1]. Strings are NUL-terminated UTF-8;
 * NULL is the same as "" for optional ones. Nothing passed in is kept after a call returns.
 */
#ifndef KPI_C_ENGINE_H
#define KPI_C_ENGINE_H

#include "kpi/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup kpi_engine Streaming engine
 *  @{ */

/** An engine: grouped, windowed, mergeable KPI state. Opaque; see kpi_engine_new(). */
typedef struct kpi_engine kpi_engine;

/** Group-by dimensions (pinned). */
enum {
  KPI_DIM_AGENT_ID = 0,    /**< The agent. */
  KPI_DIM_TEAM_ID = 1,     /**< The team. */
  KPI_DIM_CAMPAIGN_ID = 2, /**< The campaign. */
  KPI_DIM_QUEUE_ID = 3,    /**< The call queue. */
  KPI_DIM_CHANNEL = 4,     /**< The marketing channel. */
  KPI_DIM_SOURCE = 5       /**< The lead source. */
};

/** Calendar periods (pinned). */
enum {
  KPI_PERIOD_NONE = 0,    /**< All time: one window. */
  KPI_PERIOD_DAY = 1,     /**< Local calendar day. */
  KPI_PERIOD_WEEK = 2,    /**< ISO week (Monday to Sunday). */
  KPI_PERIOD_MONTH = 3,   /**< Calendar month. */
  KPI_PERIOD_QUARTER = 4, /**< Calendar quarter. */
  KPI_PERIOD_YEAR = 5     /**< Calendar year. */
};

/** Call directions (kpi_call_record::direction). */
enum { KPI_DIRECTION_OUTBOUND = 0, /**< Dialled by an agent. */ KPI_DIRECTION_INBOUND = 1 /**< Received. */ };

/** Call outcomes (kpi_call_record::outcome). */
enum {
  KPI_OUTCOME_CONNECTED = 0, /**< A person talked with an agent. */
  KPI_OUTCOME_NO_ANSWER = 1, /**< Rang out. */
  KPI_OUTCOME_BUSY = 2,      /**< Line busy. */
  KPI_OUTCOME_FAILED = 3,    /**< Could not be placed. */
  KPI_OUTCOME_VOICEMAIL = 4, /**< Reached a machine (not connected). */
  KPI_OUTCOME_ABANDONED = 5, /**< Inbound: caller hung up while waiting. */
  KPI_OUTCOME_TIMEOUT = 6    /**< Inbound: the queue's maximum wait expired. */
};

/** Order kinds (kpi_order_record::kind). */
enum {
  KPI_ORDER_NEW = 0,
  /**< New sale. */ KPI_ORDER_UPSELL = 1,
  /**< Upsell. */ KPI_ORDER_CROSS_SELL = 2 /**< Cross-sell. */
};

/** Opportunity statuses (kpi_opportunity_record::status). */
enum {
  KPI_OPPORTUNITY_OPEN = 0,
  /**< Open. */ KPI_OPPORTUNITY_WON = 1,
  /**< Won. */ KPI_OPPORTUNITY_LOST = 2 /**< Lost. */
};

/** The "absent" value of optional timestamps (INT64_MIN). */
#define KPI_NO_TIME INT64_MIN

/** Current version of #kpi_engine_options (2 added track_order_activity and
 * order_activity_resolution_days). */
#define KPI_ENGINE_OPTIONS_VERSION 2

/** How an engine groups, buckets and treats its records. */
typedef struct kpi_engine_options {
  uint32_t version;             /**< #KPI_ENGINE_OPTIONS_VERSION. */
  const int32_t *group_by;      /**< KPI_DIM_* values, distinct, in roll-up order; may be NULL if count 0. */
  size_t group_by_count;        /**< Number of group_by entries (0: one group, the whole business). */
  int32_t period;               /**< KPI_PERIOD_* of a cell. Default (INIT): KPI_PERIOD_DAY. */
  const char *time_zone;        /**< IANA zone periods are cut in ("Asia/Jakarta"); NULL: UTC. */
  const char *default_currency; /**< ISO 4217 code of amounts given without one; NULL: none. */
  int32_t deduplicate;          /**< 1: drop records whose id was already accepted (memory per record). */
  int32_t track_callers;        /**< 1: keep caller histories (repeat_call_rate, abandon_callback_rate). */
  int32_t track_first_orders;   /**< 1: keep each customer's first order (new_customers, cac). */
  /* version 2 */
  int32_t track_order_activity; /**< 1: keep each cell's per-customer order spells, for churn derived from
                                     orders (#KPI_PARAM_CHURN_INACTIVITY_DAYS); memory per distinct
                                     ordering customer and cell. Version 2. */
  double order_activity_resolution_days; /**< Spell resolution in days, 0 to 36500 (INIT: 1): queries may
                                               ask for inactivity periods >= it. Version 2. */
} kpi_engine_options;

/** Static initializer of #kpi_engine_options: no grouping, daily periods in UTC, no opt-ins. */
#define KPI_ENGINE_OPTIONS_INIT \
  { KPI_ENGINE_OPTIONS_VERSION, NULL, 0, KPI_PERIOD_DAY, NULL, NULL, 0, 0, 0, 0, 1.0 }

/** Current version of #kpi_call_record. */
#define KPI_CALL_RECORD_VERSION 1

/** One call (the contract's call record). Anchored by its start. */
typedef struct kpi_call_record {
  uint32_t version;        /**< #KPI_CALL_RECORD_VERSION. */
  const char *call_id;     /**< Unique id (required). */
  const char *agent_id;    /**< The agent; NULL or "" for an inbound call nobody answered. */
  const char *team_id;     /**< Optional. */
  const char *campaign_id; /**< Optional. */
  const char *queue_id;    /**< Optional. */
  const char *caller;      /**< Optional customer number or contact key. */
  int32_t direction;       /**< KPI_DIRECTION_*. */
  int32_t outcome;         /**< KPI_OUTCOME_*. */
  int64_t start_ms;        /**< When it was dialled or entered the queue (UTC ms). */
  double wait_s;           /**< Seconds in queue before answer or hang-up; NaN: absent. */
  double talk_s;           /**< Seconds of conversation; 0 when not connected. */
  double hold_s;           /**< Seconds on hold; NaN: absent. */
  double acw_s;            /**< Seconds of after-call work; NaN: absent. */
} kpi_call_record;

/** Current version of #kpi_order_record. */
#define KPI_ORDER_RECORD_VERSION 1

/** One order (a sale). Anchored by its time. */
typedef struct kpi_order_record {
  uint32_t version;        /**< #KPI_ORDER_RECORD_VERSION. */
  const char *order_id;    /**< Unique id (required). */
  const char *customer_id; /**< Optional. */
  const char *agent_id;    /**< Optional. */
  const char *team_id;     /**< Optional. */
  const char *campaign_id; /**< Optional. */
  const char *call_id;     /**< Optional: the call that made the sale. */
  int64_t time_ms;         /**< When it was placed (UTC ms). */
  int64_t amount_minor;    /**< Revenue in minor units of `currency`, >= 0. */
  const char *currency;    /**< ISO 4217 code; NULL: the engine's default currency. */
  int64_t cost_minor;      /**< Cost in minor units of the same currency, >= 0; used when has_cost. */
  int32_t has_cost;        /**< 1 when cost_minor is known. */
  int32_t kind;            /**< KPI_ORDER_*. */
} kpi_order_record;

/** Current version of #kpi_lead_record. */
#define KPI_LEAD_RECORD_VERSION 1

/** One lead and its funnel milestones (KPI_NO_TIME when not reached). Anchored by its creation. */
typedef struct kpi_lead_record {
  uint32_t version;         /**< #KPI_LEAD_RECORD_VERSION. */
  const char *lead_id;      /**< Unique id (required). */
  const char *agent_id;     /**< Optional. */
  const char *campaign_id;  /**< Optional. */
  const char *source;       /**< Optional lead source. */
  int64_t created_ms;       /**< Creation (UTC ms). */
  int64_t first_contact_ms; /**< First contact, or KPI_NO_TIME. */
  int64_t mql_ms;           /**< Became an MQL, or KPI_NO_TIME. */
  int64_t sql_ms;           /**< Became an SQL, or KPI_NO_TIME. */
  int64_t opportunity_ms;   /**< Became an opportunity, or KPI_NO_TIME. */
  int64_t won_ms;           /**< Won, or KPI_NO_TIME. */
  int64_t lost_ms;          /**< Lost, or KPI_NO_TIME. */
} kpi_lead_record;

/** Current version of #kpi_opportunity_record. */
#define KPI_OPPORTUNITY_RECORD_VERSION 1

/** One opportunity. Anchored by its creation and, when closed, its close. */
typedef struct kpi_opportunity_record {
  uint32_t version;           /**< #KPI_OPPORTUNITY_RECORD_VERSION. */
  const char *opportunity_id; /**< Unique id (required). */
  const char *lead_id;        /**< Optional. */
  const char *agent_id;       /**< Optional. */
  const char *team_id;        /**< Optional. */
  const char *campaign_id;    /**< Optional. */
  int64_t created_ms;         /**< When it was opened (UTC ms). */
  int64_t closed_ms;          /**< When won or lost, or KPI_NO_TIME while open. */
  int32_t status;             /**< KPI_OPPORTUNITY_*. */
  int64_t amount_minor;       /**< Deal value in minor units, >= 0. */
  const char *currency;       /**< ISO 4217; NULL: the engine's default. */
  double probability;         /**< Win probability in [0, 1]; NaN: absent. */
} kpi_opportunity_record;

/** Current version of #kpi_customer_record. */
#define KPI_CUSTOMER_RECORD_VERSION 1

/** One customer relationship, active on [acquired, churned). */
typedef struct kpi_customer_record {
  uint32_t version;        /**< #KPI_CUSTOMER_RECORD_VERSION. */
  const char *customer_id; /**< Unique id (required). */
  int64_t acquired_ms;     /**< Start (UTC ms). */
  int64_t churned_ms;      /**< End, or KPI_NO_TIME while active. */
  const char *campaign_id; /**< Optional acquiring campaign. */
} kpi_customer_record;

/** Current version of #kpi_spend_record. */
#define KPI_SPEND_RECORD_VERSION 1

/** Spend attributed to a campaign over [start, end), prorated over the periods it overlaps. */
typedef struct kpi_spend_record {
  uint32_t version;        /**< #KPI_SPEND_RECORD_VERSION. */
  const char *campaign_id; /**< The campaign (required). */
  const char *channel;     /**< Optional channel. */
  int64_t start_ms;        /**< First instant (UTC ms). */
  int64_t end_ms;          /**< First instant after it; > start_ms. */
  int64_t amount_minor;    /**< Spend in minor units, >= 0. */
  const char *currency;    /**< ISO 4217; NULL: the engine's default. */
} kpi_spend_record;

/** Current version of #kpi_call_columns. */
#define KPI_CALL_COLUMNS_VERSION 1

/**
 * A batch of calls as columns (struct of arrays): the fast path for numpy, Arrow and C# spans.
 * Every non-NULL array has `rows` elements. String dimensions are dictionary-encoded: row i's agent is
 * `agent_dictionary[agent_codes[i]]`, a code of -1 meaning none. A NULL column is absent.
 */
typedef struct kpi_call_columns {
  uint32_t version;                       /**< #KPI_CALL_COLUMNS_VERSION. */
  size_t rows;                            /**< Number of calls. */
  const int64_t *start_ms;                /**< Required. */
  const int32_t *direction;               /**< Required, KPI_DIRECTION_*. */
  const int32_t *outcome;                 /**< Required, KPI_OUTCOME_*. */
  const double *talk_s;                   /**< Required. */
  const double *wait_s;                   /**< Optional (NULL, or NaN per absent row). */
  const double *hold_s;                   /**< Optional. */
  const double *acw_s;                    /**< Optional. */
  const int32_t *agent_codes;             /**< Optional agent column (codes). */
  const char *const *agent_dictionary;    /**< Its dictionary. */
  size_t agent_dictionary_size;           /**< Entries in agent_dictionary. */
  const int32_t *team_codes;              /**< Optional team column. */
  const char *const *team_dictionary;     /**< Its dictionary. */
  size_t team_dictionary_size;            /**< Entries in team_dictionary. */
  const int32_t *campaign_codes;          /**< Optional campaign column. */
  const char *const *campaign_dictionary; /**< Its dictionary. */
  size_t campaign_dictionary_size;        /**< Entries in campaign_dictionary. */
  const int32_t *queue_codes;             /**< Optional queue column. */
  const char *const *queue_dictionary;    /**< Its dictionary. */
  size_t queue_dictionary_size;           /**< Entries in queue_dictionary. */
  const int32_t *caller_codes;            /**< Optional caller column. */
  const char *const *caller_dictionary;   /**< Its dictionary. */
  size_t caller_dictionary_size;          /**< Entries in caller_dictionary. */
  const char *const *call_ids;            /**< Optional ids (required when deduplicating). */
} kpi_call_columns;

/** Static initializer of #kpi_call_columns (every column absent). */
#define KPI_CALL_COLUMNS_INIT                                                                            \
  {                                                                                                      \
    KPI_CALL_COLUMNS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, \
        NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, 0, NULL                                                \
  }

/** Current version of #kpi_ingest_counts. */
#define KPI_INGEST_COUNTS_VERSION 1

/** What an engine did with its input. read = accepted + rejected + duplicates. */
typedef struct kpi_ingest_counts {
  uint32_t version;    /**< #KPI_INGEST_COUNTS_VERSION (set by the caller). */
  uint64_t read;       /**< Records given to the engine. */
  uint64_t accepted;   /**< Records filed in a cell. */
  uint64_t rejected;   /**< Records that failed validation or their currency. */
  uint64_t duplicates; /**< Records dropped by de-duplication. */
  uint64_t late;       /**< Accepted records older than the latest period seen. */
} kpi_ingest_counts;

/** Static initializer of #kpi_ingest_counts. */
#define KPI_INGEST_COUNTS_INIT \
  { KPI_INGEST_COUNTS_VERSION, 0, 0, 0, 0, 0 }

/** KPI variant parameters (kpi_engine_set_param()); values are doubles, enums given by number. */
enum {
  KPI_PARAM_SHORT_CALL_THRESHOLD_S = 1,    /**< short_call_share: talk < this, whole seconds. Default 120. */
  KPI_PARAM_SERVICE_LEVEL_THRESHOLD_S = 2, /**< service_level: wait <= this, whole seconds. Default 20. */
  KPI_PARAM_SERVICE_LEVEL_VARIANT = 3, /**< 0 answered_only (default), 1 ignore_abandons, 2 abandons_negative,
                                            3 abandons_positive, 4 exclude_short_abandons. */
  KPI_PARAM_SHORT_ABANDON_THRESHOLD_S = 4,    /**< Abandons with wait < this are short. Default 0. */
  KPI_PARAM_TIMEOUTS_AS_ABANDONS = 5,         /**< 1: count timeouts as abandons. Default 0. */
  KPI_PARAM_REPEAT_CALL_WINDOW_DAYS = 6,      /**< repeat_call_rate horizon. Default 7. */
  KPI_PARAM_CALLBACK_WINDOW_HOURS = 7,        /**< abandon_callback_rate horizon. Default 24. */
  KPI_PARAM_REVENUE_PER_CALL_DENOMINATOR = 8, /**< 0 all (default), 1 outbound, 2 connected. */
  KPI_PARAM_LEAD_TO_OPPORTUNITY_MODE = 9,     /**< 0 cohort (default), 1 period. */
  KPI_PARAM_WIN_RATE_MODE = 10,               /**< 0 cohort, 1 period (default: closed in the window). */
  KPI_PARAM_SALES_GROWTH_BASE = 11,           /**< 0 previous period (default), 1 year before. */
  KPI_PARAM_SALES_GROWTH_OF = 12,             /**< KPI_ID_* of the additive KPI whose growth is measured. */
  KPI_PARAM_CHURN_FORMULA = 13,               /**< 0 lost / at start (default), 1 lost / average. */
  KPI_PARAM_MARKETING_ROI_BASIS = 14,         /**< 0 gross profit (default), 1 revenue. */
  KPI_PARAM_CLV_MARGIN = 15,                  /**< clv margin per period (major units); NaN: measured. */
  KPI_PARAM_CLV_RETENTION = 16,               /**< clv retention per period in [0, 1); NaN: measured. */
  KPI_PARAM_CLV_DISCOUNT = 17,                /**< clv discount rate per period, >= 0. Default 0.01. */
  KPI_PARAM_CHURN_INACTIVITY_DAYS = 18,       /**< 0 (default): churn family from customer records; N days in
                                                   (0, 36500]: from orders (no order for N days = lost; needs
                                                   track_order_activity). */
  KPI_PARAM_CONTROL_REVENUE = 19, /**< incremental_sales / campaign_lift baseline from a control group: its
                                       revenue (major units, >= 0); NaN (default): the previous period. */
  KPI_PARAM_CONTROL_SIZE = 20,    /**< Control group size, > 0. Default 1. */
  KPI_PARAM_TREATED_SIZE = 21     /**< Treated group size, > 0. Default 1 (baseline = control revenue x
                                       treated / control size). */
};

/**
 * The valid range of a parameter. Reentrant.
 * @param[out] lo Receives the smallest valid value.
 * @param[out] hi Receives the largest valid value.
 * @param key A KPI_PARAM_* key.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EINVAL for an unknown key.
 */
KPI_API int kpi_param_bounds(double *lo, double *hi, int32_t key);

/**
 * Initializes a #kpi_engine_options to its defaults (for FFI users that cannot use the macro).
 * @param[out] options The struct to fill.
 * @param version #KPI_ENGINE_OPTIONS_VERSION or older.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_engine_options_init(kpi_engine_options *options, uint32_t version);

/**
 * Creates an engine. Constructor: free it with kpi_engine_free().
 * @param[out] out Receives the engine (NULL on error).
 * @param options The options; NULL: the defaults of #KPI_ENGINE_OPTIONS_INIT.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL (repeated dimension, unknown period or zone
 *         name: the message says which); #KPI_ECURRENCY for an unknown currency code.
 */
KPI_API int kpi_engine_new(kpi_engine **out, const kpi_engine_options *options);

/** Destroys an engine. Destructor; NULL is allowed and does nothing. */
KPI_API void kpi_engine_free(kpi_engine *engine);

/**
 * Sets a conversion rate into the engine's default currency (which must be set): amounts in `from`
 * are converted as they are ingested, so groups meeting several currencies can be added.
 * @param engine The engine.
 * @param from ISO 4217 code of the source currency.
 * @param rate_decimal Units of the default currency per unit of `from`, as an exact decimal ("0.0000625").
 * @return #KPI_OK; #KPI_ENULL; #KPI_ECURRENCY; #KPI_EINVAL (no default currency, rate not positive).
 */
KPI_API int kpi_engine_set_rate(kpi_engine *engine, const char *from, const char *rate_decimal);

/**
 * Sets a KPI variant parameter used by later queries of this engine.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EINVAL for an unknown key or a value out of kpi_param_bounds().
 */
KPI_API int kpi_engine_set_param(kpi_engine *engine, int32_t key, double value);

/**
 * Adds calls given as an array of structs. `stride` is the distance in bytes between two records
 * (sizeof(kpi_call_record) for a plain array; an older, shorter struct version works with its own size).
 * Invalid records are not an error: they are counted as rejected (see kpi_engine_counts()).
 * @param engine The engine.
 * @param records The first record.
 * @param count Number of records.
 * @param stride Bytes between records, >= the size of the records' version.
 * @param[out] accepted_out Receives how many were accepted; may be NULL.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EINVAL for a stride smaller than the record; and, stopping at the
 *         record at fault (the records before it are added and counted in *accepted_out):
 *         #KPI_EVERSION for a record version 0 or from the future, #KPI_EINVAL for an enum field out of
 *         range, #KPI_ECURRENCY for an unknown currency code.
 */
KPI_API int kpi_engine_add_calls(kpi_engine *engine, const kpi_call_record *records, size_t count,
                                 size_t stride, size_t *accepted_out);

/** Adds orders; as kpi_engine_add_calls(). */
KPI_API int kpi_engine_add_orders(kpi_engine *engine, const kpi_order_record *records, size_t count,
                                  size_t stride, size_t *accepted_out);

/** Adds leads; as kpi_engine_add_calls(). */
KPI_API int kpi_engine_add_leads(kpi_engine *engine, const kpi_lead_record *records, size_t count,
                                 size_t stride, size_t *accepted_out);

/** Adds opportunities; as kpi_engine_add_calls(). */
KPI_API int kpi_engine_add_opportunities(kpi_engine *engine, const kpi_opportunity_record *records,
                                         size_t count, size_t stride, size_t *accepted_out);

/** Adds customers; as kpi_engine_add_calls(). */
KPI_API int kpi_engine_add_customers(kpi_engine *engine, const kpi_customer_record *records, size_t count,
                                     size_t stride, size_t *accepted_out);

/** Adds spend rows; as kpi_engine_add_calls(). */
KPI_API int kpi_engine_add_spend(kpi_engine *engine, const kpi_spend_record *records, size_t count,
                                 size_t stride, size_t *accepted_out);

/**
 * Adds a columnar batch of calls (the fast path). Equivalent to adding each row in order.
 * @param engine The engine.
 * @param columns The batch.
 * @param[out] accepted_out Receives how many were accepted; may be NULL.
 * @return #KPI_OK; #KPI_ENULL (engine, columns, or a required column); #KPI_EVERSION; #KPI_EINVAL for a code
 *         outside its dictionary or missing call ids while deduplicating (nothing is added then).
 */
KPI_API int kpi_engine_add_call_columns(kpi_engine *engine, const kpi_call_columns *columns,
                                        size_t *accepted_out);

/**
 * Adds the state of `src` into `dst` (associative and commutative). `src` is unchanged.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EINVAL when the engines' options differ; #KPI_ECURRENCY when a cell
 *         meets two currencies. `dst` is unchanged on error.
 */
KPI_API int kpi_engine_merge(kpi_engine *dst, const kpi_engine *src);

/**
 * Computes one KPI for one group and period.
 * @param[out] out Receives the value (money in major units of the window's currency).
 * @param engine The engine.
 * @param kpi_id A KPI_ID_* of a windowed KPI.
 * @param dims The dimensions the group fixes (KPI_DIM_*); the others are rolled up. May be NULL if count 0.
 * @param values The value of each fixed dimension (UTF-8).
 * @param count Number of fixed dimensions (0: the whole business).
 * @param period A period label ("2026-11-23", "2026-W48", "2026-11", "2026-Q4", "2026"), or NULL for all
 * time.
 * @return #KPI_OK; #KPI_EUNDEFINED when the KPI is undefined for that window (*out is NaN);
 *         #KPI_ENULL; #KPI_EUNKNOWNKPI; #KPI_EINVAL (a dimension not grouped by, a period the engine cannot
 *         answer or that does not parse); #KPI_ECURRENCY when the roll-up meets two currencies.
 */
KPI_API int kpi_engine_evaluate(double *out, const kpi_engine *engine, int32_t kpi_id, const int32_t *dims,
                                const char *const *values, size_t count, const char *period);

/**
 * Computes several KPIs (a batch) for one group and period: `out[i]` and `status_out[i]` for `kpi_ids[i]`.
 * @param[out] out Receives `count_kpis` values (NaN where undefined).
 * @param[out] status_out Receives `count_kpis` statuses (#KPI_OK or #KPI_EUNDEFINED); may be NULL.
 * @param engine The engine.
 * @param kpi_ids The KPI_ID_* values.
 * @param count_kpis Number of KPIs.
 * @param dims As kpi_engine_evaluate().
 * @param values As kpi_engine_evaluate().
 * @param count As kpi_engine_evaluate().
 * @param period As kpi_engine_evaluate().
 * @return #KPI_OK (per-KPI undefinedness is in status_out); the errors of kpi_engine_evaluate() for the whole
 * call.
 */
KPI_API int kpi_engine_evaluate_many(double *out, int *status_out, const kpi_engine *engine,
                                     const int32_t *kpi_ids, size_t count_kpis, const int32_t *dims,
                                     const char *const *values, size_t count, const char *period);

/**
 * The report of the engine as JSON (the `kpi report --format json` row shape): one row per group of
 * `group_by` and period of `period`, plus overall rows, with the KPIs of `kpi_ids`.
 * Size query: call with buffer NULL (or too small) to get the size in *written_out and #KPI_EBUFS.
 * @param[out] buffer Receives the NUL-terminated JSON text; may be NULL for a size query.
 * @param capacity Bytes available in buffer.
 * @param[out] written_out Receives the bytes needed including the NUL (always set on OK or EBUFS).
 * @param engine The engine.
 * @param kpi_ids KPI_ID_* columns.
 * @param count_kpis Number of KPIs.
 * @param group_by KPI_DIM_* of the rows (a subset of the engine's), may be NULL if count 0.
 * @param group_by_count Number of dimensions.
 * @param period KPI_PERIOD_* of the rows (the engine's or a coarser one).
 * @return #KPI_OK; #KPI_EBUFS; #KPI_ENULL; #KPI_EUNKNOWNKPI; #KPI_EINVAL; #KPI_ECURRENCY.
 */
KPI_API int kpi_engine_report_json(char *buffer, size_t capacity, size_t *written_out,
                                   const kpi_engine *engine, const int32_t *kpi_ids, size_t count_kpis,
                                   const int32_t *group_by, size_t group_by_count, int32_t period);

/**
 * What the engine did with its input so far.
 * @param[out] out Filled; its version must be set (#KPI_INGEST_COUNTS_INIT).
 * @param engine The engine.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION.
 */
KPI_API int kpi_engine_counts(kpi_ingest_counts *out, const kpi_engine *engine);

/**
 * Saves the engine's whole state (versioned little-endian binary format, docs/engine.md).
 * Size query: call with buffer NULL (or too small) to get the size in *written_out and #KPI_EBUFS.
 * @param[out] buffer Receives the bytes; may be NULL for a size query.
 * @param capacity Bytes available.
 * @param[out] written_out Receives the size of the state (always set on OK or EBUFS).
 * @param engine The engine.
 * @return #KPI_OK; #KPI_EBUFS; #KPI_ENULL.
 */
KPI_API int kpi_engine_save(void *buffer, size_t capacity, size_t *written_out, const kpi_engine *engine);

/**
 * Creates an engine from bytes written by kpi_engine_save() (of this or an earlier version).
 * Constructor: free it with kpi_engine_free().
 * @param[out] out Receives the engine (NULL on error).
 * @param bytes The saved state.
 * @param size Its size in bytes.
 * @return #KPI_OK; #KPI_ENULL; #KPI_ECORRUPT for bytes that are not a valid saved state.
 */
KPI_API int kpi_engine_load(kpi_engine **out, const void *bytes, size_t size);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KPI_C_ENGINE_H */

/**
 * @file kpi/c/catalog.h
 * @brief The KPI catalog through the C ABI: pinned KPI ids, units, record families, and the registry's
 * entries (name, unit, description, formula, variants) for listing and lookup.
 *
 * Included by kpi/kpi.h. The ids are the C++ registry's `kpi::kpi_id` values; a test checks every
 * constant here against the registry, so the two cannot drift.
 */
#ifndef KPI_C_CATALOG_H
#define KPI_C_CATALOG_H

#include "kpi/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup kpi_catalog KPI catalog
 *  @{ */

/** Pinned KPI ids (never renumbered, never reused). Ranges: 1-99 calls, 100-199 sales, 200-299 funnel,
 *  300-399 customers and marketing. See docs/kpis.md for each definition. */
enum {
  /** `calls`: Number of call records. */
  KPI_ID_CALLS = 1,
  /** `outbound_calls`: Outbound calls (dial attempts). */
  KPI_ID_OUTBOUND_CALLS = 2,
  /** `outbound_calls_per_agent_day`: Outbound calls / distinct (agent, local day) with one. */
  KPI_ID_OUTBOUND_CALLS_PER_AGENT_DAY = 3,
  /** `connected_calls`: Outbound calls with outcome connected. */
  KPI_ID_CONNECTED_CALLS = 4,
  /** `connection_rate`: connected_calls / outbound_calls. */
  KPI_ID_CONNECTION_RATE = 5,
  /** `handled_calls`: Calls of either direction with outcome connected. */
  KPI_ID_HANDLED_CALLS = 6,
  /** `avg_talk_time_s`: Mean talk_s over handled calls. */
  KPI_ID_AVG_TALK_TIME_S = 7,
  /** `median_talk_time_s`: Median talk_s over handled calls. */
  KPI_ID_MEDIAN_TALK_TIME_S = 8,
  /** `p90_talk_time_s`: 90th percentile of talk_s over handled calls. */
  KPI_ID_P90_TALK_TIME_S = 9,
  /** `short_call_share`: Handled calls with talk_s < threshold / handled calls. */
  KPI_ID_SHORT_CALL_SHARE = 10,
  /** `talk_time_total_s`: Sum of talk_s. */
  KPI_ID_TALK_TIME_TOTAL_S = 11,
  /** `aht_s`: Mean talk + hold + after-call work over handled calls. */
  KPI_ID_AHT_S = 12,
  /** `offered_calls`: Inbound calls. */
  KPI_ID_OFFERED_CALLS = 13,
  /** `answered_calls`: Inbound calls with outcome connected. */
  KPI_ID_ANSWERED_CALLS = 14,
  /** `abandoned_calls`: Inbound abandons (+ timeouts if asked) minus short abandons. */
  KPI_ID_ABANDONED_CALLS = 15,
  /** `abandon_rate`: abandoned_calls / (offered_calls - short abandons). */
  KPI_ID_ABANDON_RATE = 16,
  /** `asa_s`: Mean wait_s over answered inbound calls. */
  KPI_ID_ASA_S = 17,
  /** `avg_queue_time_s`: Mean wait_s over all inbound calls. */
  KPI_ID_AVG_QUEUE_TIME_S = 18,
  /** `avg_abandon_time_s`: Mean wait_s over abandoned calls. */
  KPI_ID_AVG_ABANDON_TIME_S = 19,
  /** `service_level`: Share answered within T (variant formulas). */
  KPI_ID_SERVICE_LEVEL = 20,
  /** `repeat_call_rate`: Callers who call again within N days / unique callers. */
  KPI_ID_REPEAT_CALL_RATE = 21,
  /** `fcr_rate`: 1 - repeat_call_rate. */
  KPI_ID_FCR_RATE = 22,
  /** `abandon_callback_rate`: Abandoned callers called back within N hours / abandoned. */
  KPI_ID_ABANDON_CALLBACK_RATE = 23,
  /** `revenue_per_call`: Revenue of orders linked to calls / calls. */
  KPI_ID_REVENUE_PER_CALL = 24,
  /** `sales_per_connected_call`: Orders linked to a connected call / connected calls. */
  KPI_ID_SALES_PER_CONNECTED_CALL = 25,
  /** `sales_revenue`: Sum of order amounts. */
  KPI_ID_SALES_REVENUE = 100,
  /** `orders`: Number of orders. */
  KPI_ID_ORDERS = 101,
  /** `avg_purchase_value`: sales_revenue / orders. */
  KPI_ID_AVG_PURCHASE_VALUE = 102,
  /** `median_purchase_value`: Median order amount. */
  KPI_ID_MEDIAN_PURCHASE_VALUE = 103,
  /** `gross_profit`: Sum of (amount - cost) over orders with a cost. */
  KPI_ID_GROSS_PROFIT = 104,
  /** `profit_margin`: gross_profit / revenue of the orders with a cost. */
  KPI_ID_PROFIT_MARGIN = 105,
  /** `revenue_per_rep`: sales_revenue / distinct agents with a call or an order. */
  KPI_ID_REVENUE_PER_REP = 106,
  /** `upsell_rate`: Orders of kind upsell / orders. */
  KPI_ID_UPSELL_RATE = 107,
  /** `cross_sell_rate`: Orders of kind cross_sell / orders. */
  KPI_ID_CROSS_SELL_RATE = 108,
  /** `new_customers`: Customers whose first order (over all data) is in the window. */
  KPI_ID_NEW_CUSTOMERS = 109,
  /** `repeat_purchase_rate`: Customers with >= 2 orders / customers with >= 1. */
  KPI_ID_REPEAT_PURCHASE_RATE = 110,
  /** `arpu`: sales_revenue / mean number of active customers. */
  KPI_ID_ARPU = 111,
  /** `sales_growth`: (X_cur - X_prev) / X_prev. */
  KPI_ID_SALES_GROWTH = 112,
  /** `incremental_sales`: sales_revenue - baseline of the same length before the window. */
  KPI_ID_INCREMENTAL_SALES = 113,
  /** `campaign_lift`: incremental_sales / baseline. */
  KPI_ID_CAMPAIGN_LIFT = 114,
  /** `target_attainment`: actual / target of a KPI with a target. */
  KPI_ID_TARGET_ATTAINMENT = 115,
  /** `leads`: Leads created in the window. */
  KPI_ID_LEADS = 200,
  /** `mqls`: Leads reaching MQL in the window. */
  KPI_ID_MQLS = 201,
  /** `sqls`: Leads reaching SQL in the window. */
  KPI_ID_SQLS = 202,
  /** `mql_to_sql_rate`: Cohort: created leads that reached SQL / that reached MQL. */
  KPI_ID_MQL_TO_SQL_RATE = 203,
  /** `lead_to_opportunity_rate`: Cohort: created leads that became opportunities / created. */
  KPI_ID_LEAD_TO_OPPORTUNITY_RATE = 204,
  /** `lead_conversion_rate`: Cohort: created leads that were won / created. */
  KPI_ID_LEAD_CONVERSION_RATE = 205,
  /** `avg_response_time_s`: Mean first_contact - created over contacted leads. */
  KPI_ID_AVG_RESPONSE_TIME_S = 206,
  /** `median_response_time_s`: Median first_contact - created over contacted leads. */
  KPI_ID_MEDIAN_RESPONSE_TIME_S = 207,
  /** `uncontacted_leads`: Leads created in the window without a first contact. */
  KPI_ID_UNCONTACTED_LEADS = 208,
  /** `new_opportunities`: Opportunities created in the window. */
  KPI_ID_NEW_OPPORTUNITIES = 209,
  /** `open_opportunities`: Opportunities open at the window's end (snapshot). */
  KPI_ID_OPEN_OPPORTUNITIES = 210,
  /** `pipeline_value`: Sum of amounts of open opportunities at the window's end. */
  KPI_ID_PIPELINE_VALUE = 211,
  /** `weighted_pipeline_value`: Sum of amount x probability of the same. */
  KPI_ID_WEIGHTED_PIPELINE_VALUE = 212,
  /** `win_rate`: Won / (won + lost) closed in the window. */
  KPI_ID_WIN_RATE = 213,
  /** `avg_sales_cycle_days`: Mean closed - created, in days, over opportunities won. */
  KPI_ID_AVG_SALES_CYCLE_DAYS = 214,
  /** `median_sales_cycle_days`: Median of the same. */
  KPI_ID_MEDIAN_SALES_CYCLE_DAYS = 215,
  /** `opportunity_score`: 1-5 score of one open opportunity (per record, not a window). */
  KPI_ID_OPPORTUNITY_SCORE = 216,
  /** `customers_at_start`: Customers active at the window's start. */
  KPI_ID_CUSTOMERS_AT_START = 300,
  /** `customers_at_end`: Customers active at the window's end. */
  KPI_ID_CUSTOMERS_AT_END = 301,
  /** `customers_lost`: Customers active at the start who churned inside the window. */
  KPI_ID_CUSTOMERS_LOST = 302,
  /** `churn_rate`: customers_lost / customers_at_start. */
  KPI_ID_CHURN_RATE = 303,
  /** `retention_rate`: (customers_at_end - new customers) / customers_at_start. */
  KPI_ID_RETENTION_RATE = 304,
  /** `cac`: Spend / new_customers. */
  KPI_ID_CAC = 305,
  /** `cost_per_lead`: Spend / leads. */
  KPI_ID_COST_PER_LEAD = 306,
  /** `marketing_roi`: (gross profit - spend) / spend. */
  KPI_ID_MARKETING_ROI = 307,
  /** `clv`: Closed-form m r / (1 + d - r). */
  KPI_ID_CLV = 308,
  /** `ltv_to_cac`: clv / cac. */
  KPI_ID_LTV_TO_CAC = 309,
};

/** Units of a KPI value (kpi_kpi_info::unit). */
enum {
  KPI_UNIT_COUNT = 1,   /**< A number of records or entities. */
  KPI_UNIT_RATE = 2,    /**< A fraction in [0, 1], never a percent. */
  KPI_UNIT_RATIO = 3,   /**< A real number that may be negative or exceed 1. */
  KPI_UNIT_SECONDS = 4, /**< A duration in seconds. */
  KPI_UNIT_DAYS = 5,    /**< A duration in days. */
  KPI_UNIT_MONEY = 6,   /**< An amount in major units of the group's currency. */
  KPI_UNIT_SCORE = 7    /**< A score on a documented scale. */
};

/** Record families a KPI needs (bit flags of kpi_kpi_info::families). */
enum {
  KPI_FAMILY_CALLS = 1,         /**< Call records. */
  KPI_FAMILY_ORDERS = 2,        /**< Order records. */
  KPI_FAMILY_LEADS = 4,         /**< Lead records. */
  KPI_FAMILY_OPPORTUNITIES = 8, /**< Opportunity records. */
  KPI_FAMILY_CUSTOMERS = 16,    /**< Customer records. */
  KPI_FAMILY_SPEND = 32,        /**< Spend records. */
  KPI_FAMILY_TARGETS = 64       /**< Target records. */
};

/** Current version of #kpi_kpi_info. */
#define KPI_KPI_INFO_VERSION 1

/**
 * One entry of the KPI catalog. Filled by kpi_catalog_get(), kpi_catalog_info() and kpi_catalog_find().
 * The strings are static UTF-8 text owned by the library, valid as long as the library is loaded;
 * nothing to free.
 */
typedef struct kpi_kpi_info {
  uint32_t version;        /**< Struct version: #KPI_KPI_INFO_VERSION (set by the caller). */
  int32_t id;              /**< Pinned id (KPI_ID_*). */
  int32_t unit;            /**< Unit (KPI_UNIT_*). */
  uint32_t families;       /**< Record families needed (KPI_FAMILY_* flags). */
  const char *name;        /**< snake_case id of the contract, e.g. "connection_rate". */
  const char *description; /**< One sentence: what it measures. */
  const char *formula;     /**< The exact definition: numerator, denominator, population. */
  const char *variants;    /**< Variant parameters and their defaults; "" when none. */
  int32_t windowed;        /**< 1 when computed for a window (group and period); 0 for per-record KPIs
                                (opportunity_score) and views (target_attainment). */
} kpi_kpi_info;

/** Static initializer of #kpi_kpi_info for C: `kpi_kpi_info info = KPI_KPI_INFO_INIT;` */
#define KPI_KPI_INFO_INIT \
  { KPI_KPI_INFO_VERSION, 0, 0, 0, NULL, NULL, NULL, NULL, 0 }

/**
 * Initializes a #kpi_kpi_info for FFI users that cannot use the macro.
 * @param[out] info The struct to fill with zeros and `version`.
 * @param version #KPI_KPI_INFO_VERSION, or an older version the caller was built with.
 * @return #KPI_OK; #KPI_ENULL when info is NULL; #KPI_EVERSION for 0 or a future version.
 */
KPI_API int kpi_kpi_info_init(kpi_kpi_info *info, uint32_t version);

/**
 * The number of KPIs in the catalog. Reentrant.
 * @param[out] out Receives the count.
 * @return #KPI_OK, or #KPI_ENULL when out is NULL.
 */
KPI_API int kpi_catalog_count(size_t *out);

/**
 * The catalog entry at `index` (0 .. count-1, in id order). Reentrant.
 * @param[out] out Filled; its `version` must be set (KPI_KPI_INFO_INIT).
 * @param index Position in the catalog.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EINVAL when index >= count.
 */
KPI_API int kpi_catalog_get(kpi_kpi_info *out, size_t index);

/**
 * The catalog entry of a KPI id. Reentrant.
 * @param[out] out Filled; its `version` must be set.
 * @param id A KPI_ID_* value.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EUNKNOWNKPI for an id not in the catalog.
 */
KPI_API int kpi_catalog_info(kpi_kpi_info *out, int32_t id);

/**
 * The catalog entry of a KPI name ("connection_rate"). Reentrant.
 * @param[out] out Filled; its `version` must be set.
 * @param name NUL-terminated UTF-8 name.
 * @return #KPI_OK; #KPI_ENULL; #KPI_EVERSION; #KPI_EUNKNOWNKPI for a name not in the catalog.
 */
KPI_API int kpi_catalog_find(kpi_kpi_info *out, const char *name);

/**
 * Static text of a unit ("rate", "seconds"); "unknown" for other values. Reentrant.
 * @param unit A KPI_UNIT_* value.
 * @return A static NUL-terminated string.
 */
KPI_API const char *kpi_unit_str(int32_t unit);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KPI_C_CATALOG_H */

/// @file
/// @brief The KPI registry: every KPI of the contract with its pinned id, unit, record families,
/// description, formula and variants, and the parameters of those variants.
///
/// This is the one place that lists the catalog. The C ABI (`KPI_ID_*`, checked against it by a test),
/// the Python and C# bindings, the `kpi kpis` command and docs/kpis.md (checked by a test) all read it.
/// Each entry also carries the function that computes the KPI from the accumulated state of a window
/// (see kpi/state.hpp), so adding a KPI means adding one entry to the table of its family
/// (`src/kpis/<family>.cpp`) plus its pinned id here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "kpi/value.hpp"

namespace kpi {

/// Pinned KPI ids. The numbers are part of the C ABI (`KPI_ID_*`): never renumbered, never reused.
/// Ranges: 1-99 calls, 100-199 sales, 200-299 funnel, 300-399 customers and marketing.
enum class kpi_id : std::int32_t {
  // Calls and telesales (call records).
  calls = 1,                         ///< Number of call records.
  outbound_calls = 2,                ///< Outbound calls (dial attempts).
  outbound_calls_per_agent_day = 3,  ///< Outbound calls / distinct (agent, local day) with one.
  connected_calls = 4,               ///< Outbound calls with outcome connected.
  connection_rate = 5,               ///< connected_calls / outbound_calls.
  handled_calls = 6,                 ///< Calls of either direction with outcome connected.
  avg_talk_time_s = 7,               ///< Mean talk_s over handled calls.
  median_talk_time_s = 8,            ///< Median talk_s over handled calls.
  p90_talk_time_s = 9,               ///< 90th percentile of talk_s over handled calls.
  short_call_share = 10,             ///< Handled calls with talk_s < threshold / handled calls.
  talk_time_total_s = 11,            ///< Sum of talk_s.
  aht_s = 12,                        ///< Mean talk + hold + after-call work over handled calls.
  offered_calls = 13,                ///< Inbound calls.
  answered_calls = 14,               ///< Inbound calls with outcome connected.
  abandoned_calls = 15,              ///< Inbound abandons (+ timeouts if asked) minus short abandons.
  abandon_rate = 16,                 ///< abandoned_calls / (offered_calls - short abandons).
  asa_s = 17,                        ///< Mean wait_s over answered inbound calls.
  avg_queue_time_s = 18,             ///< Mean wait_s over all inbound calls.
  avg_abandon_time_s = 19,           ///< Mean wait_s over abandoned calls.
  service_level = 20,                ///< Share answered within T (variant formulas).
  repeat_call_rate = 21,             ///< Callers who call again within N days / unique callers.
  fcr_rate = 22,                     ///< 1 - repeat_call_rate.
  abandon_callback_rate = 23,        ///< Abandoned callers called back within N hours / abandoned.
  revenue_per_call = 24,             ///< Revenue of orders linked to calls / calls.
  sales_per_connected_call = 25,     ///< Orders linked to a connected call / connected calls.
  // Sales and revenue (orders).
  sales_revenue = 100,          ///< Sum of order amounts.
  orders = 101,                 ///< Number of orders.
  avg_purchase_value = 102,     ///< sales_revenue / orders.
  median_purchase_value = 103,  ///< Median order amount.
  gross_profit = 104,           ///< Sum of (amount - cost) over orders with a cost.
  profit_margin = 105,          ///< gross_profit / revenue of the orders with a cost.
  revenue_per_rep = 106,        ///< sales_revenue / distinct agents with a call or an order.
  upsell_rate = 107,            ///< Orders of kind upsell / orders.
  cross_sell_rate = 108,        ///< Orders of kind cross_sell / orders.
  new_customers = 109,          ///< Customers whose first order (over all data) is in the window.
  repeat_purchase_rate = 110,   ///< Customers with >= 2 orders / customers with >= 1.
  arpu = 111,                   ///< sales_revenue / mean number of active customers.
  sales_growth = 112,           ///< (X_cur - X_prev) / X_prev.
  incremental_sales = 113,      ///< sales_revenue - baseline of the same length before the window.
  campaign_lift = 114,          ///< incremental_sales / baseline.
  target_attainment = 115,      ///< actual / target of a KPI with a target.
  // Funnel (leads and opportunities).
  leads = 200,                     ///< Leads created in the window.
  mqls = 201,                      ///< Leads reaching MQL in the window.
  sqls = 202,                      ///< Leads reaching SQL in the window.
  mql_to_sql_rate = 203,           ///< Cohort: created leads that reached SQL / that reached MQL.
  lead_to_opportunity_rate = 204,  ///< Cohort: created leads that became opportunities / created.
  lead_conversion_rate = 205,      ///< Cohort: created leads that were won / created.
  avg_response_time_s = 206,       ///< Mean first_contact - created over contacted leads.
  median_response_time_s = 207,    ///< Median first_contact - created over contacted leads.
  uncontacted_leads = 208,         ///< Leads created in the window without a first contact.
  new_opportunities = 209,         ///< Opportunities created in the window.
  open_opportunities = 210,        ///< Opportunities open at the window's end (snapshot).
  pipeline_value = 211,            ///< Sum of amounts of open opportunities at the window's end.
  weighted_pipeline_value = 212,   ///< Sum of amount x probability of the same.
  win_rate = 213,                  ///< Won / (won + lost) closed in the window.
  avg_sales_cycle_days = 214,      ///< Mean closed - created, in days, over opportunities won.
  median_sales_cycle_days = 215,   ///< Median of the same.
  opportunity_score = 216,         ///< 1-5 score of one open opportunity (per record, not a window).
  // Customers and marketing (customers, orders, spend).
  customers_at_start = 300,  ///< Customers active at the window's start.
  customers_at_end = 301,    ///< Customers active at the window's end.
  customers_lost = 302,      ///< Customers active at the start who churned inside the window.
  churn_rate = 303,          ///< customers_lost / customers_at_start.
  retention_rate = 304,      ///< (customers_at_end - new customers) / customers_at_start.
  cac = 305,                 ///< Spend / new_customers.
  cost_per_lead = 306,       ///< Spend / leads.
  marketing_roi = 307,       ///< (gross profit - spend) / spend.
  clv = 308,                 ///< Closed-form m r / (1 + d - r).
  ltv_to_cac = 309,          ///< clv / cac.
};

/// Unit of a KPI's value.
enum class unit : std::int32_t {
  count = 1,    ///< A number of records or entities (an integer, or a mean count for averages).
  rate = 2,     ///< A fraction in [0, 1] (never a percent).
  ratio = 3,    ///< A real number that may be negative or exceed 1 (growth, ROI, lift, per-day counts).
  seconds = 4,  ///< A duration in seconds.
  days = 5,     ///< A duration in days.
  money = 6,    ///< An amount in major units of the group's currency (e.g. 850000.00 IDR).
  score = 7,    ///< A score on a documented scale.
};

/// Record families, as bit flags: what a KPI needs as input.
enum family : std::uint32_t {
  family_calls = 1u << 0,          ///< call records
  family_orders = 1u << 1,         ///< order records
  family_leads = 1u << 2,          ///< lead records
  family_opportunities = 1u << 3,  ///< opportunity records
  family_customers = 1u << 4,      ///< customer records
  family_spend = 1u << 5,          ///< spend records
  family_targets = 1u << 6,        ///< target records
};

/// Service-level formula variants (kpis.md: O offered, A answered, Ab abandoned, X_T within T).
enum class service_level_variant : std::int32_t {
  answered_only = 0,           ///< A_T / A (default; Asterisk's SL).
  ignore_abandons = 1,         ///< A_T / (O - Ab_T).
  abandons_negative = 2,       ///< A_T / O.
  abandons_positive = 3,       ///< (A_T + Ab_T) / O (Asterisk's SL2).
  exclude_short_abandons = 4,  ///< A_T / (A + Ab - Ab_T).
};

/// Denominator of revenue_per_call.
enum class calls_denominator : std::int32_t {
  all = 0,        ///< Every call (default).
  outbound = 1,   ///< Outbound calls.
  connected = 2,  ///< Connected outbound calls.
};

/// Cohort or period form of a funnel ratio.
enum class funnel_mode : std::int32_t {
  cohort = 0,  ///< Of the leads (opportunities) created in the window, those that converted (default).
  period = 1,  ///< Conversions in the window / creations in the window (may exceed 1).
};

/// Which earlier window sales_growth compares with.
enum class growth_base : std::int32_t {
  previous = 0,     ///< The preceding window of the same length (default).
  year_before = 1,  ///< The same window one year earlier (YoY).
};

/// Denominator of churn_rate.
enum class churn_denominator : std::int32_t {
  start = 0,    ///< customers_at_start (default).
  average = 1,  ///< (customers_at_start + customers_at_end) / 2.
};

/// What marketing_roi counts as return.
enum class roi_basis : std::int32_t {
  gross_profit = 0,  ///< Gross profit of the campaign's orders (default).
  revenue = 1,       ///< Revenue of the campaign's orders.
};

/// The variant parameters of every KPI, with the contract's defaults. Plain data; thread-safe to share.
struct kpi_params {
  double short_call_threshold_s = 120;    ///< short_call_share: talk_s < this (strict), whole s.
  double service_level_threshold_s = 20;  ///< service_level: wait_s <= this (inclusive), whole s.
  service_level_variant service_level_formula = service_level_variant::answered_only;  ///< SL variant.
  double short_abandon_threshold_s = 0;  ///< Abandons with wait_s < this are short (0: none).
  bool timeouts_as_abandons = false;     ///< Count outcome timeout as abandoned.
  double repeat_call_window_days = 7;    ///< repeat_call_rate: a further call within N days.
  double callback_window_hours = 24;     ///< abandon_callback_rate: callback within N hours.
  calls_denominator revenue_per_call_denominator = calls_denominator::all;  ///< revenue_per_call.
  funnel_mode lead_to_opportunity_mode = funnel_mode::cohort;  ///< lead_to_opportunity_rate form.
  funnel_mode win_rate_mode = funnel_mode::period;        ///< win_rate: period = closed in window (default),
                                                          ///< cohort = won / created in the window.
  growth_base sales_growth_base = growth_base::previous;  ///< sales_growth comparison window.
  kpi_id sales_growth_of = kpi_id::sales_revenue;         ///< The additive KPI whose growth is measured.
  churn_denominator churn_formula = churn_denominator::start;  ///< churn_rate denominator.
  /// Non-contractual churn: 0 (default) derives customers_at_start, customers_at_end, customers_lost,
  /// churn_rate, retention_rate and the measured clv from customer records ([acquired, churned));
  /// N > 0 days derives them from orders instead: a customer is active for N days after each order and
  /// lost when N days pass without one (kpi::order_activity; needs order activity tracking). <= 36500.
  double churn_inactivity_days = 0;
  roi_basis marketing_roi_basis = roi_basis::gross_profit;  ///< marketing_roi numerator basis.
  std::optional<double> clv_margin;     ///< clv: margin per customer per period (money, major units);
                                        ///< absent: measured as gross profit per active customer.
  std::optional<double> clv_retention;  ///< clv: retention per period in [0, 1); absent: measured.
  double clv_discount = 0.01;           ///< clv: discount rate per period, >= 0.
  /// incremental_sales / campaign_lift against a control group: the control group's revenue over the
  /// campaign's window (money, major units of the window's currency, finite, >= 0). Absent (default):
  /// the baseline is the preceding window of the same length. Present: baseline = control_revenue ×
  /// treated_size / control_size.
  std::optional<double> control_revenue;
  double control_size = 1;  ///< Size of the control group (customers, accounts), finite, > 0.
  double treated_size = 1;  ///< Size of the treated (campaign) group, same unit, finite, > 0.

  /// Throws kpi::error(errc::invalid_argument) naming the first parameter out of its range.
  void validate() const;
};

class kpi_context;

/// One entry of the registry.
struct kpi_info {
  kpi_id id;                     ///< Pinned id.
  std::string_view name;         ///< snake_case id of the contract ("connection_rate").
  kpi::unit unit;                ///< Unit of the value.
  std::uint32_t families;        ///< Record families it needs (bitwise or of kpi::family).
  std::string_view description;  ///< One sentence: what it measures.
  std::string_view formula;      ///< The exact definition, numerator / denominator, population.
  std::string_view variants;     ///< Variant parameters and defaults ("" when none).
  /// Computes the KPI for a window; null for KPIs that are not computed from a window's state
  /// (opportunity_score, target_attainment: see their own functions).
  value (*evaluate)(const kpi_context &ctx);
};

/// The whole catalog, sorted by id. Static storage; thread-safe.
std::span<const kpi_info> catalog();

/// The entry of `id`. @throws kpi::error errc::unknown_kpi for an id that is not in the catalog.
const kpi_info &info(kpi_id id);

/// The entry named `name` ("connection_rate"), or null when there is none.
const kpi_info *find_kpi(std::string_view name) noexcept;

/// The entry named `name`. @throws kpi::error errc::unknown_kpi naming it.
const kpi_info &info(std::string_view name);

/// The text of a unit ("rate", "seconds"). Static storage.
const char *to_string(unit u) noexcept;

}  // namespace kpi

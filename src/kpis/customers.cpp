// The "Customers and marketing" rows of the KPI registry (ids 300-309, kpis.md) and their evaluators.
#include <array>

#include "kpi/state.hpp"
#include "kpis/commerce.hpp"
#include "kpis/tables.hpp"

namespace kpi::detail {
namespace {

using namespace commerce;

value at_start(const kpi_context &ctx) {
  const auto c = customer_snapshot(ctx);
  if (!c) return std::nullopt;
  return c->at_start;
}
value at_end(const kpi_context &ctx) {
  const auto c = customer_snapshot(ctx);
  if (!c) return std::nullopt;
  return c->at_end;
}
value lost(const kpi_context &ctx) {
  const auto c = customer_snapshot(ctx);
  if (!c) return std::nullopt;
  return c->lost;
}

value churn_rate(const kpi_context &ctx) {
  const auto c = customer_snapshot(ctx);
  if (!c) return std::nullopt;
  if (ctx.params().churn_formula == churn_denominator::average)
    return ratio(c->lost, (c->at_start + c->at_end) / 2.0);
  return ratio(c->lost, c->at_start);
}

value retention(const kpi_context &ctx) {
  return retention_rate(ctx);
}

value cac_kpi(const kpi_context &ctx) {
  return cac(ctx);
}

value cost_per_lead(const kpi_context &ctx) {
  const spend_stats &s = ctx.window().spend;
  return ratio(major(s.amount_minor(), s.currency()), static_cast<double>(ctx.window().leads.leads()));
}

value marketing_roi(const kpi_context &ctx) {
  const group_state &w = ctx.window();
  require_same_currency(w.orders.currency(), w.spend.currency(), "order revenue and spend");
  const double spend = major(w.spend.amount_minor(), w.spend.currency());
  const value ret = ctx.params().marketing_roi_basis == roi_basis::revenue
                        ? value(major(w.orders.revenue_minor(), w.orders.currency()))
                        : gross_profit(w);
  if (!ret) return std::nullopt;
  return ratio(*ret - spend, spend);
}

value clv_kpi(const kpi_context &ctx) {
  return clv(ctx);
}

value ltv_to_cac(const kpi_context &ctx) {
  const value l = clv(ctx), c = cac(ctx);
  if (!l || !c) return std::nullopt;
  return ratio(*l, *c);
}

constexpr std::uint32_t customers_family = family_customers;

constexpr std::array<kpi_info, 10> table{{
    {kpi_id::customers_at_start, "customers_at_start", unit::count, customers_family,
     "Customers active at the window's start.",
     "customers acquired before the start and not churned before it (acquired < start <= churned, or never "
     "churned)",
     "churn_inactivity_days (N): 0 (default) from customer records; N > 0 from orders: customers with an "
     "order in [start - N days, start)",
     &at_start},
    {kpi_id::customers_at_end, "customers_at_end", unit::count, customers_family,
     "Customers active at the window's end.",
     "customers acquired before the end and not churned before it: customers_at_start + acquired in the "
     "window - churned in the window",
     "churn_inactivity_days (N): 0 (default) from customer records; N > 0 from orders: customers with an "
     "order in [end - N days, end)",
     &at_end},
    {kpi_id::customers_lost, "customers_lost", unit::count, customers_family,
     "Customers active at the window's start who churned inside it.",
     "customers whose churned instant is in the window and whose acquired instant is before its start "
     "(customers acquired and churned inside the window are not lost)",
     "churn_inactivity_days (N): 0 (default) from customer records; N > 0 from orders: a customer is "
     "active on [t, t + N days) after each order t; lost = active at the start and inactive at some instant "
     "of the window (no order in the N days before it); needs order activity tracking",
     &lost},
    {kpi_id::churn_rate, "churn_rate", unit::rate, customers_family,
     "Share of the customers at the window's start who were lost in it.",
     "customers_lost / customers_at_start (never the inverted start / lost); undefined when "
     "customers_at_start "
     "is 0",
     "churn_formula: start (default) or average = customers_lost / ((customers_at_start + customers_at_end) "
     "/ 2); churn_inactivity_days: 0 (default, contractual: customer records) or N > 0 days "
     "(non-contractual: "
     "customers with no order for N days are lost, see customers_lost)",
     &churn_rate},
    {kpi_id::retention_rate, "retention_rate", unit::rate, customers_family,
     "Share of the customers at the window's start still customers at its end (CRR).",
     "(customers_at_end - customers acquired in the window) / customers_at_start; undefined when "
     "customers_at_start is 0",
     "churn_inactivity_days > 0: the snapshots from orders, and the customers acquired are those active at "
     "the end that became active in the window (an order with none in the N days before it: first orders "
     "and reactivations), so retention_rate = 1 - churn_rate",
     &retention},
    {kpi_id::cac, "cac", unit::money, family_spend | family_orders | family_customers,
     "Customer acquisition cost.",
     "spend in the window / new customers: new_customers (first orders, with first-order tracking) when the "
     "window has tracked orders, else the customers acquired in the window when customer records are given; "
     "undefined when that is 0 or unknown",
     "", &cac_kpi},
    {kpi_id::cost_per_lead, "cost_per_lead", unit::money, family_spend | family_leads, "Spend per lead.",
     "spend in the window / leads created in the window; undefined without leads", "", &cost_per_lead},
    {kpi_id::marketing_roi, "marketing_roi", unit::ratio, family_spend | family_orders,
     "Return on marketing spend (group by campaign_id to attribute orders and spend to a campaign).",
     "(gross_profit - spend) / spend over the window's orders and spend; undefined when spend is 0 or "
     "gross_profit is undefined; orders and spend must share one currency",
     "marketing_roi_basis: gross_profit (default) or revenue = (sales_revenue - spend) / spend",
     &marketing_roi},
    {kpi_id::clv, "clv", unit::money, family_orders | family_customers,
     "Customer lifetime value, simple closed form.",
     "m r / (1 + d - r); measured m = gross_profit of the window / customers_at_start (or / distinct "
     "ordering "
     "customers without customer records); measured r = retention_rate; undefined when m or r is undefined, "
     "r "
     "is outside [0, 1] or 1 + d - r <= 0",
     "clv_margin (m, money per customer per period), clv_retention (r in [0, 1)): measured when absent; "
     "clv_discount (d per period, default 0.01)",
     &clv_kpi},
    {kpi_id::ltv_to_cac, "ltv_to_cac", unit::ratio, family_spend | family_orders | family_customers,
     "Customer lifetime value per unit of acquisition cost.",
     "clv / cac; undefined when either is undefined or cac is 0", "as clv", &ltv_to_cac},
}};

}  // namespace

std::span<const kpi_info> customer_kpis() {
  return table;
}

}  // namespace kpi::detail

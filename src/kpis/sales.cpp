// The "Sales and revenue" rows of the KPI registry (ids 100-115, kpis.md) and their evaluators, plus the
// helpers shared with the funnel and customer families (src/kpis/commerce.hpp).
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "kpi/error.hpp"
#include "kpi/state.hpp"
#include "kpis/commerce.hpp"
#include "kpis/tables.hpp"

namespace kpi::detail {
namespace commerce {

void require_same_currency(const std::optional<currency> &a, const std::optional<currency> &b,
                           const char *what) {
  if (a && b && *a != *b)
    throw error(errc::currency_mismatch, std::string("cannot combine ") + what + " in " +
                                             std::string(a->code()) + " and " + std::string(b->code()) +
                                             "; convert amounts with a kpi::rate_table before adding");
}

value gross_profit(const group_state &s) {
  const order_stats &o = s.orders;
  if (o.orders() > 0 && o.costed_orders() == 0) return std::nullopt;
  return major(o.gross_profit_minor(), o.currency());
}

bool has_customer_records(const kpi_context &ctx) noexcept {
  return ctx.before().customers.acquired() + ctx.window().customers.acquired() > 0;
}

std::int64_t customers_at_start(const kpi_context &ctx) noexcept {
  return customer_stats::active_at_start(ctx.before().customers);
}

std::int64_t customers_at_end(const kpi_context &ctx) noexcept {
  return customer_stats::active_at_end(ctx.before().customers, ctx.window().customers);
}

std::optional<customer_counts> customer_snapshot(const kpi_context &ctx) {
  const double days = ctx.params().churn_inactivity_days;
  if (days == 0) {
    const customer_stats &w = ctx.window().customers;
    return customer_counts{static_cast<double>(customers_at_start(ctx)),
                           static_cast<double>(customers_at_end(ctx)), static_cast<double>(w.lost()),
                           static_cast<double>(w.acquired())};
  }
  const group_state &w = ctx.window(), &b = ctx.before();
  if (!ctx.bounds() || w.activity.orders() != w.orders.orders() || b.activity.orders() != b.orders.orders())
    return std::nullopt;
  const auto n = static_cast<std::int64_t>(std::llround(days * 86'400'000.0));
  const activity_snapshot a = w.activity.snapshot(b.activity, *ctx.bounds(), n);
  return customer_counts{static_cast<double>(a.at_start), static_cast<double>(a.at_end),
                         static_cast<double>(a.lost), static_cast<double>(a.became_active_at_end)};
}

value customer_base(const kpi_context &ctx) noexcept {
  if (has_customer_records(ctx)) {
    if (!ctx.bounds()) return std::nullopt;
    return ctx.window().customers.mean_active(ctx.before().customers, *ctx.bounds());
  }
  return static_cast<double>(ctx.window().orders.customers().customers());
}

value acquired_customers(const kpi_context &ctx) noexcept {
  const order_stats &o = ctx.window().orders;
  const auto tracked = o.new_customers();
  if (o.orders() > 0 && tracked) return static_cast<double>(*tracked);
  if (has_customer_records(ctx)) return static_cast<double>(ctx.window().customers.acquired());
  if (tracked) return static_cast<double>(*tracked);
  return std::nullopt;
}

value retention_rate(const kpi_context &ctx) {
  const auto c = customer_snapshot(ctx);
  if (!c) return std::nullopt;
  return ratio(c->at_end - c->acquired, c->at_start);
}

value cac(const kpi_context &ctx) noexcept {
  const value n = acquired_customers(ctx);
  if (!n) return std::nullopt;
  const spend_stats &s = ctx.window().spend;
  return ratio(major(s.amount_minor(), s.currency()), *n);
}

value clv(const kpi_context &ctx) {
  const kpi_params &p = ctx.params();
  value m = p.clv_margin;
  if (!m) {
    const value gp = gross_profit(ctx.window());
    if (!gp) return std::nullopt;
    double base = static_cast<double>(ctx.window().orders.customers().customers());
    if (ctx.params().churn_inactivity_days != 0) {
      const auto c = customer_snapshot(ctx);
      if (!c) return std::nullopt;
      base = c->at_start;
    } else if (has_customer_records(ctx)) {
      base = static_cast<double>(customers_at_start(ctx));
    }
    m = ratio(*gp, base);
    if (!m) return std::nullopt;
  }
  const value r = p.clv_retention ? p.clv_retention : retention_rate(ctx);
  if (!r || *r < 0.0 || *r > 1.0) return std::nullopt;
  const double den = 1.0 + p.clv_discount - *r;
  if (!(den > 0.0)) return std::nullopt;
  return *m * *r / den;
}

}  // namespace commerce

namespace {

using namespace commerce;

const group_state &empty_state() {
  static const group_state empty{};
  return empty;
}

// Additive KPIs: a sum over the window's records, so growth over them is meaningful.
bool is_additive(kpi_id id) noexcept {
  switch (id) {
    case kpi_id::calls:
    case kpi_id::outbound_calls:
    case kpi_id::connected_calls:
    case kpi_id::handled_calls:
    case kpi_id::talk_time_total_s:
    case kpi_id::offered_calls:
    case kpi_id::answered_calls:
    case kpi_id::abandoned_calls:
    case kpi_id::sales_revenue:
    case kpi_id::orders:
    case kpi_id::gross_profit:
    case kpi_id::new_customers:
    case kpi_id::leads:
    case kpi_id::mqls:
    case kpi_id::sqls:
    case kpi_id::uncontacted_leads:
    case kpi_id::new_opportunities:
    case kpi_id::customers_lost:
      return true;
    default:
      return false;
  }
}

value sales_revenue(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  return major(o.revenue_minor(), o.currency());
}

value orders(const kpi_context &ctx) {
  return static_cast<double>(ctx.window().orders.orders());
}

value avg_purchase_value(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  return ratio(major(o.revenue_minor(), o.currency()), static_cast<double>(o.orders()));
}

value median_purchase_value(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  const value minor = o.amounts().quantile(0.5);
  if (!minor) return std::nullopt;
  return *minor / static_cast<double>(o.currency()->minor_per_major());
}

value gross_profit_kpi(const kpi_context &ctx) {
  return gross_profit(ctx.window());
}

value profit_margin(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  return ratio(static_cast<double>(o.gross_profit_minor()), static_cast<double>(o.costed_revenue_minor()));
}

value revenue_per_rep(const kpi_context &ctx) {
  const group_state &s = ctx.window();
  const id_set &call_agents = s.calls.distinct_agents();
  const id_set &order_agents = s.orders.agents();
  std::size_t reps = call_agents.size();
  order_agents.for_each([&](std::uint64_t a) { reps += call_agents.contains(a) ? 0u : 1u; });
  return ratio(major(s.orders.revenue_minor(), s.orders.currency()), static_cast<double>(reps));
}

value upsell_rate(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  return ratio(static_cast<double>(o.upsell_orders()), static_cast<double>(o.orders()));
}

value cross_sell_rate(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  return ratio(static_cast<double>(o.cross_sell_orders()), static_cast<double>(o.orders()));
}

value new_customers(const kpi_context &ctx) {
  const auto n = ctx.window().orders.new_customers();
  if (!n) return std::nullopt;
  return static_cast<double>(*n);
}

value repeat_purchase_rate(const kpi_context &ctx) {
  const customer_order_counts &c = ctx.window().orders.customers();
  return ratio(static_cast<double>(c.repeat_customers()), static_cast<double>(c.customers()));
}

value arpu(const kpi_context &ctx) {
  const order_stats &o = ctx.window().orders;
  const value base = customer_base(ctx);
  if (!base) return std::nullopt;
  return ratio(major(o.revenue_minor(), o.currency()), *base);
}

value sales_growth(const kpi_context &ctx) {
  const kpi_params &p = ctx.params();
  if (!is_additive(p.sales_growth_of))
    throw error(errc::invalid_argument,
                std::string("sales_growth: the measured KPI must be additive (a count or a sum), got '") +
                    std::string(info(p.sales_growth_of).name) + "'");
  const group_state *base =
      p.sales_growth_base == growth_base::year_before ? ctx.year_before() : ctx.previous();
  if (base == nullptr) return std::nullopt;
  require_same_currency(ctx.window().orders.currency(), base->orders.currency(), "the two windows' orders");
  const value cur = evaluate(p.sales_growth_of, ctx);
  const value prev = evaluate(p.sales_growth_of, kpi_context(*base, empty_state(), p));
  if (!cur || !prev || *prev == 0.0) return std::nullopt;
  return (*cur - *prev) / *prev;
}

// The baseline of incremental_sales and campaign_lift from a control group (kpi_params::control_revenue):
// control_revenue × treated_size / control_size, major units; std::nullopt without a control group.
std::optional<double> control_baseline(const kpi_params &p) noexcept {
  if (!p.control_revenue) return std::nullopt;
  return *p.control_revenue * p.treated_size / p.control_size;
}

// Incremental revenue in minor units against the baseline ctx.previous(), or nullopt without one.
std::optional<std::pair<std::int64_t, std::int64_t>> incremental_minor(const kpi_context &ctx) {
  const group_state *base = ctx.previous();
  if (base == nullptr) return std::nullopt;
  require_same_currency(ctx.window().orders.currency(), base->orders.currency(),
                        "campaign and baseline revenue");
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(ctx.window().orders.revenue_minor(), base->orders.revenue_minor(), &diff))
    throw error(errc::overflow, "incremental_sales: the difference overflows int64 minor units");
  return std::pair(diff, base->orders.revenue_minor());
}

value incremental_sales(const kpi_context &ctx) {
  if (const auto control = control_baseline(ctx.params())) {
    const order_stats &o = ctx.window().orders;
    return major(o.revenue_minor(), o.currency()) - *control;
  }
  const auto inc = incremental_minor(ctx);
  if (!inc) return std::nullopt;
  const auto cur =
      ctx.window().orders.currency() ? ctx.window().orders.currency() : ctx.previous()->orders.currency();
  return major(inc->first, cur);
}

value campaign_lift(const kpi_context &ctx) {
  if (const auto control = control_baseline(ctx.params())) {
    const order_stats &o = ctx.window().orders;
    return ratio(major(o.revenue_minor(), o.currency()) - *control, *control);
  }
  const auto inc = incremental_minor(ctx);
  if (!inc) return std::nullopt;
  return ratio(static_cast<double>(inc->first), static_cast<double>(inc->second));
}

constexpr std::uint32_t orders_family = family_orders;

constexpr std::array<kpi_info, 16> table{{
    {kpi_id::sales_revenue, "sales_revenue", unit::money, orders_family,
     "Revenue of the orders placed in the window.",
     "sum of amount over the orders whose time is in the window (exact minor units, reported in major units)",
     "", &sales_revenue},
    {kpi_id::orders, "orders", unit::count, orders_family, "Number of orders placed in the window.",
     "number of orders whose time is in the window", "", &orders},
    {kpi_id::avg_purchase_value, "avg_purchase_value", unit::money, orders_family, "Mean order amount.",
     "sales_revenue / orders; undefined without orders", "", &avg_purchase_value},
    {kpi_id::median_purchase_value, "median_purchase_value", unit::money, orders_family,
     "Median order amount.",
     "median of amount over the orders (exact, midpoint of the two middle amounts for an even count); "
     "undefined "
     "without orders",
     "", &median_purchase_value},
    {kpi_id::gross_profit, "gross_profit", unit::money, orders_family,
     "Gross profit of the orders that carry a cost.",
     "sum of (amount - cost) over the orders with a cost; undefined when the window has orders but none with "
     "a "
     "cost (0 without orders)",
     "", &gross_profit_kpi},
    {kpi_id::profit_margin, "profit_margin", unit::ratio, orders_family,
     "Gross profit as a fraction of the revenue of the orders that carry a cost (per agent: the margin per "
     "sales rep).",
     "gross_profit / sum of amount over the orders with a cost; undefined when that revenue is 0", "",
     &profit_margin},
    {kpi_id::revenue_per_rep, "revenue_per_rep", unit::money, orders_family | family_calls,
     "Revenue per active sales rep.",
     "sales_revenue / number of distinct agents with at least one call or one order in the window (union of "
     "the call and order agent_id values); undefined when there is none",
     "", &revenue_per_rep},
    {kpi_id::upsell_rate, "upsell_rate", unit::rate, orders_family, "Share of orders that are upsells.",
     "orders of kind upsell / orders; undefined without orders", "", &upsell_rate},
    {kpi_id::cross_sell_rate, "cross_sell_rate", unit::rate, orders_family,
     "Share of orders that are cross-sells.", "orders of kind cross_sell / orders; undefined without orders",
     "", &cross_sell_rate},
    {kpi_id::new_customers, "new_customers", unit::count, orders_family,
     "Customers whose first order over all the data falls in the window.",
     "number of customer_id values whose earliest order (over every order given, in any arrival order) is in "
     "the window; needs first-order tracking (kpi::first_order_tracker), else undefined for a window with "
     "orders; 0 for a window without orders",
     "", &new_customers},
    {kpi_id::repeat_purchase_rate, "repeat_purchase_rate", unit::rate, orders_family,
     "Share of ordering customers who ordered at least twice in the window (loyalty rate).",
     "distinct customers with >= 2 orders in the window / distinct customers with >= 1 (orders without "
     "customer_id are not counted); undefined without such customers",
     "", &repeat_purchase_rate},
    {kpi_id::arpu, "arpu", unit::money, orders_family | family_customers,
     "Average revenue per active customer.",
     "sales_revenue / mean number of active customers. With customer records (any acquisition up to the "
     "window's end): the time-weighted mean over [s, e), (integral of the customers active on [acquired, "
     "churned) over the window) / (e - s), exact from the acquisition and churn instants; undefined "
     "without the window's instants. Without customer records: the distinct customers with an order in "
     "the window. Undefined when the mean is 0",
     "", &arpu},
    {kpi_id::sales_growth, "sales_growth", unit::ratio, orders_family,
     "Growth of an additive KPI against an earlier window.",
     "(X_cur - X_prev) / X_prev for X = sales_revenue by default; undefined when the earlier window is not "
     "given or X_prev is 0",
     "sales_growth_base: previous (default; the preceding window of the same length) or year_before (the "
     "same "
     "window a year earlier, YoY); sales_growth_of: the additive KPI measured (default sales_revenue; calls, "
     "outbound_calls, connected_calls, handled_calls, talk_time_total_s, offered_calls, answered_calls, "
     "abandoned_calls, orders, gross_profit, new_customers, leads, mqls, sqls, uncontacted_leads, "
     "new_opportunities, customers_lost)",
     &sales_growth},
    {kpi_id::incremental_sales, "incremental_sales", unit::money, orders_family,
     "Revenue of a campaign's window above its baseline.",
     "sales_revenue of the window - baseline; baseline = sales_revenue of the preceding window of the same "
     "length (exact minor units; undefined without it), or, with a control group, control_revenue x "
     "treated_size / control_size",
     "control_revenue (money, major units; absent: the previous-window baseline), control_size and "
     "treated_size (group sizes, default 1); an explicit baseline window: the engine's previous period, "
     "or any state given as kpi_context::previous in C++",
     &incremental_sales},
    {kpi_id::campaign_lift, "campaign_lift", unit::ratio, orders_family,
     "Incremental revenue as a fraction of the baseline.",
     "incremental_sales / baseline; undefined without a baseline or when it is 0",
     "baseline as for incremental_sales", &campaign_lift},
    {kpi_id::target_attainment, "target_attainment", unit::ratio, family_targets,
     "Actual value of a KPI against its target.",
     "actual / target; month-to-date prorated target = target x elapsed days / total days; run-rate "
     "projection = actual x total days / elapsed days",
     "computed by the targets view for any KPI with a target, not from a window's state", nullptr},
}};

}  // namespace

std::span<const kpi_info> sales_kpis() {
  return table;
}

}  // namespace kpi::detail

// The "Funnel" rows of the KPI registry (ids 200-216, kpis.md) and their evaluators.
#include <array>

#include "kpi/state.hpp"
#include "kpis/commerce.hpp"
#include "kpis/tables.hpp"

namespace kpi::detail {
namespace {

using commerce::major;

constexpr double seconds_per_day = 86400.0;

value count(std::uint64_t n) {
  return static_cast<double>(n);
}
value rate(std::uint64_t num, std::uint64_t den) {
  return ratio(static_cast<double>(num), static_cast<double>(den));
}

value leads(const kpi_context &ctx) {
  return count(ctx.window().leads.leads());
}
value mqls(const kpi_context &ctx) {
  return count(ctx.window().leads.mqls());
}
value sqls(const kpi_context &ctx) {
  return count(ctx.window().leads.sqls());
}

value mql_to_sql_rate(const kpi_context &ctx) {
  const lead_stats &l = ctx.window().leads;
  return rate(l.cohort_mql_sqls(), l.cohort_mqls());
}

value lead_to_opportunity_rate(const kpi_context &ctx) {
  const lead_stats &l = ctx.window().leads;
  if (ctx.params().lead_to_opportunity_mode == funnel_mode::period) return rate(l.opportunities(), l.leads());
  return rate(l.cohort_opportunities(), l.leads());
}

value lead_conversion_rate(const kpi_context &ctx) {
  const lead_stats &l = ctx.window().leads;
  return rate(l.cohort_won(), l.leads());
}

value avg_response_time_s(const kpi_context &ctx) {
  return ctx.window().leads.response_times_s().mean();
}
value median_response_time_s(const kpi_context &ctx) {
  return ctx.window().leads.response_times_s().quantile(0.5);
}
value uncontacted_leads(const kpi_context &ctx) {
  return count(ctx.window().leads.uncontacted());
}

value new_opportunities(const kpi_context &ctx) {
  return count(ctx.window().opportunities.created());
}

pipeline_snapshot snapshot(const kpi_context &ctx) {
  return opportunity_stats::open_at_end(ctx.before().opportunities, ctx.window().opportunities);
}

value open_opportunities(const kpi_context &ctx) {
  return static_cast<double>(snapshot(ctx).open);
}

value pipeline_value(const kpi_context &ctx) {
  const pipeline_snapshot s = snapshot(ctx);
  return major(s.amount_minor, s.cur);
}

value weighted_pipeline_value(const kpi_context &ctx) {
  const pipeline_snapshot s = snapshot(ctx);
  if (!s.weighted_minor) return std::nullopt;
  return major(*s.weighted_minor, s.cur);
}

value win_rate(const kpi_context &ctx) {
  const opportunity_stats &o = ctx.window().opportunities;
  if (ctx.params().win_rate_mode == funnel_mode::cohort) return rate(o.created_won(), o.created());
  return rate(o.won(), o.won() + o.lost());
}

value avg_sales_cycle_days(const kpi_context &ctx) {
  const value s = ctx.window().opportunities.sales_cycles_s().mean();
  if (!s) return std::nullopt;
  return *s / seconds_per_day;
}

value median_sales_cycle_days(const kpi_context &ctx) {
  const value s = ctx.window().opportunities.sales_cycles_s().quantile(0.5);
  if (!s) return std::nullopt;
  return *s / seconds_per_day;
}

constexpr std::uint32_t leads_family = family_leads;
constexpr std::uint32_t opps_family = family_opportunities;

constexpr std::array<kpi_info, 17> table{{
    {kpi_id::leads, "leads", unit::count, leads_family, "Leads created in the window.",
     "number of leads whose created instant is in the window", "", &leads},
    {kpi_id::mqls, "mqls", unit::count, leads_family, "Leads that became marketing-qualified in the window.",
     "number of leads whose mql instant is in the window", "", &mqls},
    {kpi_id::sqls, "sqls", unit::count, leads_family, "Leads that became sales-qualified in the window.",
     "number of leads whose sql instant is in the window", "", &sqls},
    {kpi_id::mql_to_sql_rate, "mql_to_sql_rate", unit::rate, leads_family,
     "Share of the window's MQLs that became SQLs (cohort).",
     "of the leads created in the window: those with both an mql and an sql instant / those with an mql "
     "instant (a lead that skipped MQL is in neither); undefined when none reached MQL",
     "", &mql_to_sql_rate},
    {kpi_id::lead_to_opportunity_rate, "lead_to_opportunity_rate", unit::ratio, leads_family,
     "Share of leads that became opportunities.",
     "cohort: leads created in the window with an opportunity instant / leads created in the window; "
     "undefined "
     "without leads",
     "lead_to_opportunity_mode: cohort (default) or period = leads whose opportunity instant is in the "
     "window / "
     "leads created in the window (may exceed 1)",
     &lead_to_opportunity_rate},
    {kpi_id::lead_conversion_rate, "lead_conversion_rate", unit::rate, leads_family,
     "Share of the window's leads that were won (cohort).",
     "leads created in the window with a won instant / leads created in the window; undefined without leads",
     "", &lead_conversion_rate},
    {kpi_id::avg_response_time_s, "avg_response_time_s", unit::seconds, leads_family,
     "Mean time from lead creation to first contact.",
     "mean of (first_contact - created) in seconds over the leads created in the window that have a "
     "first_contact; the others are counted by uncontacted_leads; undefined when none was contacted",
     "", &avg_response_time_s},
    {kpi_id::median_response_time_s, "median_response_time_s", unit::seconds, leads_family,
     "Median time from lead creation to first contact.",
     "median of (first_contact - created) in seconds over the same leads as avg_response_time_s (exact for "
     "whole seconds, within 0.5 s otherwise); undefined when none was contacted",
     "", &median_response_time_s},
    {kpi_id::uncontacted_leads, "uncontacted_leads", unit::count, leads_family,
     "Leads created in the window that have no first contact.",
     "number of leads created in the window without first_contact", "", &uncontacted_leads},
    {kpi_id::new_opportunities, "new_opportunities", unit::count, opps_family,
     "Opportunities created in the window.", "number of opportunities whose created instant is in the window",
     "", &new_opportunities},
    {kpi_id::open_opportunities, "open_opportunities", unit::count, opps_family,
     "Opportunities open at the window's end (a snapshot).",
     "opportunities created before the window's end minus those closed (won or lost) before it", "",
     &open_opportunities},
    {kpi_id::pipeline_value, "pipeline_value", unit::money, opps_family,
     "Value of the open pipeline at the window's end.",
     "sum of amount over the opportunities open at the window's end (exact minor units)", "",
     &pipeline_value},
    {kpi_id::weighted_pipeline_value, "weighted_pipeline_value", unit::money, opps_family,
     "Probability-weighted value of the open pipeline at the window's end.",
     "sum of amount x probability over the opportunities open at the window's end, each term rounded to the "
     "nearest minor unit (ties to even) then summed exactly; undefined when an open opportunity has no "
     "probability",
     "", &weighted_pipeline_value},
    {kpi_id::win_rate, "win_rate", unit::rate, opps_family, "Share of closed opportunities that were won.",
     "opportunities won / (won + lost), closed in the window; undefined when none closed",
     "win_rate_mode: period (default, closed in the window) or cohort = opportunities created in the window "
     "whose status is won / opportunities created in the window",
     &win_rate},
    {kpi_id::avg_sales_cycle_days, "avg_sales_cycle_days", unit::days, opps_family,
     "Mean time from creation to close of the opportunities won in the window.",
     "mean of (closed - created) in days of 86400 s (fractional) over the opportunities won in the window; "
     "undefined when none was won",
     "", &avg_sales_cycle_days},
    {kpi_id::median_sales_cycle_days, "median_sales_cycle_days", unit::days, opps_family,
     "Median time from creation to close of the opportunities won in the window.",
     "median of (closed - created) in days over the same opportunities (exact for whole seconds); undefined "
     "when none was won",
     "", &median_sales_cycle_days},
    {kpi_id::opportunity_score, "opportunity_score", unit::score, opps_family,
     "A 1-5 score of one open opportunity, to rank the open pipeline.",
     "1 + round(4 x sum of w_i s_i) for criteria values s_i in [0, 1] and weights w_i summing to 1 (round "
     "half "
     "up); per record, not per window",
     "or the win probability bucketed by 4 increasing caller thresholds: 1 + number of thresholds <= "
     "probability (kpi::opportunity_score_from_probability)",
     nullptr},
}};

}  // namespace

std::span<const kpi_info> funnel_kpis() {
  return table;
}

}  // namespace kpi::detail

// The "Calls and telesales" rows of the KPI registry (ids 1-25, kpis.md) and their evaluators, which
// read kpi::call_stats (and, for revenue_per_call and sales_per_connected_call, the orders linked to
// calls from kpi::order_stats).
#include <array>

#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpis/tables.hpp"

namespace kpi::detail {
namespace {

const call_stats &calls_of(const kpi_context &ctx) noexcept {
  return ctx.window().calls;
}

value calls(const kpi_context &ctx) {
  return calls_of(ctx).calls();
}
value outbound_calls(const kpi_context &ctx) {
  return calls_of(ctx).outbound_calls();
}
value outbound_calls_per_agent_day(const kpi_context &ctx) {
  return calls_of(ctx).outbound_calls_per_agent_day();
}
value connected_calls(const kpi_context &ctx) {
  return calls_of(ctx).connected_calls();
}
value connection_rate(const kpi_context &ctx) {
  return calls_of(ctx).connection_rate();
}
value handled_calls(const kpi_context &ctx) {
  return calls_of(ctx).handled_calls();
}
value avg_talk_time_s(const kpi_context &ctx) {
  return calls_of(ctx).avg_talk_time_s();
}
value median_talk_time_s(const kpi_context &ctx) {
  return calls_of(ctx).median_talk_time_s();
}
value p90_talk_time_s(const kpi_context &ctx) {
  return calls_of(ctx).p90_talk_time_s();
}
value short_call_share(const kpi_context &ctx) {
  return calls_of(ctx).short_call_share(ctx.params());
}
value talk_time_total_s(const kpi_context &ctx) {
  return calls_of(ctx).talk_time_total_s();
}
value aht_s(const kpi_context &ctx) {
  return calls_of(ctx).aht_s();
}
value offered_calls(const kpi_context &ctx) {
  return calls_of(ctx).offered_calls();
}
value answered_calls(const kpi_context &ctx) {
  return calls_of(ctx).answered_calls();
}
value abandoned_calls(const kpi_context &ctx) {
  return calls_of(ctx).abandoned_calls(ctx.params());
}
value abandon_rate(const kpi_context &ctx) {
  return calls_of(ctx).abandon_rate(ctx.params());
}
value asa_s(const kpi_context &ctx) {
  return calls_of(ctx).asa_s();
}
value avg_queue_time_s(const kpi_context &ctx) {
  return calls_of(ctx).avg_queue_time_s();
}
value avg_abandon_time_s(const kpi_context &ctx) {
  return calls_of(ctx).avg_abandon_time_s(ctx.params());
}
value service_level(const kpi_context &ctx) {
  return calls_of(ctx).service_level(ctx.params());
}
value repeat_call_rate(const kpi_context &ctx) {
  return calls_of(ctx).repeat_call_rate(ctx.params());
}
value fcr_rate(const kpi_context &ctx) {
  return calls_of(ctx).fcr_rate(ctx.params());
}
value abandon_callback_rate(const kpi_context &ctx) {
  return calls_of(ctx).abandon_callback_rate(ctx.params());
}

value revenue_per_call(const kpi_context &ctx) {
  const call_counts &n = calls_of(ctx).counts();
  double den = static_cast<double>(n.calls);
  switch (ctx.params().revenue_per_call_denominator) {
    case calls_denominator::all:
      break;
    case calls_denominator::outbound:
      den = static_cast<double>(n.outbound);
      break;
    case calls_denominator::connected:
      den = static_cast<double>(n.connected_outbound);
      break;
  }
  return ratio(to_major(ctx.window().orders.linked_revenue()), den);
}

value sales_per_connected_call(const kpi_context &ctx) {
  return ratio(static_cast<double>(ctx.window().orders.linked_orders()),
               static_cast<double>(calls_of(ctx).counts().connected_outbound));
}

constexpr std::uint32_t calls_family = family_calls;
constexpr std::uint32_t calls_orders = family_calls | family_orders;

constexpr std::array<kpi_info, 25> table{{
    {kpi_id::calls, "calls", unit::count, calls_family, "Number of call records in the window.",
     "count of call records anchored (by start) in the window, both directions, every outcome", "", &calls},
    {kpi_id::outbound_calls, "outbound_calls", unit::count, calls_family, "Outbound calls (dial attempts).",
     "count of calls with direction outbound, every outcome", "", &outbound_calls},
    {kpi_id::outbound_calls_per_agent_day, "outbound_calls_per_agent_day", unit::ratio, calls_family,
     "Outbound calls per agent per working day.",
     "outbound calls with an agent_id / distinct (agent_id, local calendar day of start) pairs with at least "
     "one outbound call; undefined when there is no such pair",
     "", &outbound_calls_per_agent_day},
    {kpi_id::connected_calls, "connected_calls", unit::count, calls_family, "Outbound calls that connected.",
     "count of outbound calls with outcome connected (voicemail is not connected)", "", &connected_calls},
    {kpi_id::connection_rate, "connection_rate", unit::rate, calls_family,
     "Share of outbound dial attempts that connected.",
     "connected_calls / outbound_calls; voicemail is not connected; undefined without outbound calls", "",
     &connection_rate},
    {kpi_id::handled_calls, "handled_calls", unit::count, calls_family,
     "Calls of either direction in which a person talked with an agent.",
     "count of calls with outcome connected (outbound connected + inbound answered)", "", &handled_calls},
    {kpi_id::avg_talk_time_s, "avg_talk_time_s", unit::seconds, calls_family,
     "Mean talk time of handled calls.",
     "sum of talk_s over handled calls / handled_calls; undefined without handled calls", "",
     &avg_talk_time_s},
    {kpi_id::median_talk_time_s, "median_talk_time_s", unit::seconds, calls_family,
     "Median talk time of handled calls.",
     "median of talk_s over handled calls (midpoint of the two middle values for an even count; exact for "
     "whole seconds, else within 0.5 s); undefined without handled calls",
     "", &median_talk_time_s},
    {kpi_id::p90_talk_time_s, "p90_talk_time_s", unit::seconds, calls_family,
     "90th percentile of the talk time of handled calls.",
     "0.9 quantile of talk_s over handled calls, linear interpolation between closest ranks (type 7: "
     "h = (n - 1) * 0.9); exact for whole seconds, else within 0.5 s; undefined without handled calls",
     "", &p90_talk_time_s},
    {kpi_id::short_call_share, "short_call_share", unit::rate, calls_family,
     "Share of handled calls shorter than a threshold.",
     "handled calls with talk_s < short_call_threshold_s (strict) / handled_calls; undefined without handled "
     "calls",
     "short_call_threshold_s: whole seconds, default 120", &short_call_share},
    {kpi_id::talk_time_total_s, "talk_time_total_s", unit::seconds, calls_family, "Total talk time.",
     "sum of talk_s over every call of the window (0 when there is none)", "", &talk_time_total_s},
    {kpi_id::aht_s, "aht_s", unit::seconds, calls_family, "Average handle time of handled calls.",
     "sum of (talk_s + hold_s + acw_s) over handled calls / handled_calls, an absent hold_s or acw_s "
     "counting "
     "as 0; undefined without handled calls",
     "", &aht_s},
    {kpi_id::offered_calls, "offered_calls", unit::count, calls_family, "Inbound calls offered to the queue.",
     "count of calls with direction inbound, every outcome", "", &offered_calls},
    {kpi_id::answered_calls, "answered_calls", unit::count, calls_family,
     "Inbound calls answered by an agent.", "count of inbound calls with outcome connected", "",
     &answered_calls},
    {kpi_id::abandoned_calls, "abandoned_calls", unit::count, calls_family,
     "Inbound calls whose caller hung up in the queue, short abandons excluded.",
     "inbound calls with outcome abandoned (+ outcome timeout when timeouts_as_abandons) minus short "
     "abandons: those of them with wait_s < short_abandon_threshold_s (an abandon without wait_s is never "
     "short)",
     "timeouts_as_abandons: default off; short_abandon_threshold_s: whole seconds, default 0 (none short)",
     &abandoned_calls},
    {kpi_id::abandon_rate, "abandon_rate", unit::rate, calls_family, "Share of offered calls abandoned.",
     "abandoned_calls / (offered_calls - short abandons); undefined when that denominator is 0",
     "timeouts_as_abandons: default off; short_abandon_threshold_s: whole seconds, default 0 (none short)",
     &abandon_rate},
    {kpi_id::asa_s, "asa_s", unit::seconds, calls_family, "Average speed of answer.",
     "sum of wait_s over answered inbound calls with a wait_s / their count (calls answered at once count "
     "with 0); undefined without them",
     "", &asa_s},
    {kpi_id::avg_queue_time_s, "avg_queue_time_s", unit::seconds, calls_family,
     "Mean time in queue of every inbound call.",
     "sum of wait_s over inbound calls with a wait_s, whatever their outcome (answered, abandoned, timed "
     "out, "
     "...) / their count; undefined without them",
     "", &avg_queue_time_s},
    {kpi_id::avg_abandon_time_s, "avg_abandon_time_s", unit::seconds, calls_family,
     "Mean time callers waited before abandoning.",
     "sum of wait_s over inbound calls with outcome abandoned (+ timeout when timeouts_as_abandons) and a "
     "wait_s, short abandons included / their count; undefined without them",
     "timeouts_as_abandons: default off", &avg_abandon_time_s},
    {kpi_id::service_level, "service_level", unit::rate, calls_family,
     "Share of calls answered within a threshold T.",
     "over inbound calls with a wait_s: O = their count, A = answered, Ab = abandoned (+ timeouts when "
     "timeouts_as_abandons), A_T and Ab_T = those with wait_s <= T (inclusive). answered_only: A_T / A; "
     "ignore_abandons: A_T / (O - Ab_T); abandons_negative: A_T / O; abandons_positive: (A_T + Ab_T) / O; "
     "exclude_short_abandons: A_T / (A + Ab - Ab_T); undefined when the denominator is 0",
     "service_level_threshold_s: T in whole seconds, default 20; service_level_formula: answered_only "
     "(default), ignore_abandons, abandons_negative, abandons_positive, exclude_short_abandons; "
     "timeouts_as_abandons: default off",
     &service_level},
    {kpi_id::repeat_call_rate, "repeat_call_rate", unit::rate, calls_family,
     "Share of callers who called again within N days (the repeat-call callback rate).",
     "distinct callers (inbound calls with a caller) with another inbound call from the same caller in "
     "(start, start + N days] after one of their calls in the window / distinct such callers; needs caller "
     "tracking, else undefined",
     "repeat_call_window_days: N, default 7", &repeat_call_rate},
    {kpi_id::fcr_rate, "fcr_rate", unit::rate, calls_family,
     "First-contact resolution measured by repeat-call tracking.",
     "1 - repeat_call_rate; undefined when repeat_call_rate is", "repeat_call_window_days: N, default 7",
     &fcr_rate},
    {kpi_id::abandon_callback_rate, "abandon_callback_rate", unit::rate, calls_family,
     "Share of abandoned callers called back within N hours.",
     "distinct callers with an abandoned inbound call in the window (+ timeouts when timeouts_as_abandons) "
     "that got an outbound call to the same caller in (start, start + N hours] after one of those abandons "
     "/ distinct such callers; needs caller tracking, else undefined",
     "callback_window_hours: N, default 24; timeouts_as_abandons: default off", &abandon_callback_rate},
    {kpi_id::revenue_per_call, "revenue_per_call", unit::money, calls_orders,
     "Revenue of sales made on calls, per call.",
     "sum of amount over orders in the window with a non-empty call_id / calls (or outbound_calls, or "
     "connected_calls); undefined when the denominator is 0",
     "revenue_per_call_denominator: all (default), outbound, connected", &revenue_per_call},
    {kpi_id::sales_per_connected_call, "sales_per_connected_call", unit::ratio, calls_orders,
     "Orders made on calls per connected call.",
     "orders in the window with a non-empty call_id (each counts as a sale of a connected call) / "
     "connected_calls; undefined without connected calls",
     "", &sales_per_connected_call},
}};

}  // namespace

std::span<const kpi_info> call_kpis() {
  return table;
}

}  // namespace kpi::detail

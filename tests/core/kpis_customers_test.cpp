// Customer and marketing KPIs (ids 300-309): customer_stats, spend_stats and the registry evaluators.
// Every expected value is computed by hand in the comment next to it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kpi/catalog.hpp"
#include "kpi/error.hpp"
#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/activity.hpp"
#include "kpi/stats/customers.hpp"
#include "kpi/stats/hash.hpp"
#include "test_util.hpp"

namespace {

// "prefix" + the decimal n, built by appending (GCC 12 at -O3 misreports `"x" + std::to_string(n)` under
// -Wrestrict).
std::string numbered(const char *prefix, std::uint64_t n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

using kpi::kpi_id;
using std::chrono::days;
using std::chrono::hours;

kpi::timestamp at(const char *iso) {
  return kpi::parse_timestamp(iso);
}

struct fixture {
  kpi::group_state window, before;
  kpi::kpi_params params;
  std::optional<kpi::window>
      bounds;  // the window's instants (none: the time-weighted variants are undefined)
  kpi::value eval(kpi_id id) const {
    return kpi::evaluate(id, kpi::kpi_context(window, before, params, nullptr, nullptr, bounds));
  }
};

// The window is March 2026 (UTC): [2026-03-01, 2026-04-01).
const kpi::window march{at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z")};

// Feeds a customer to the March window or to `before`, the way an engine does.
void feed(fixture &f, std::string id, const char *acquired, const char *churned = nullptr) {
  kpi::customer_record c;
  c.customer_id = std::move(id);
  c.acquired = at(acquired);
  if (churned != nullptr) c.churned = at(churned);
  if (c.acquired < march.start) f.before.customers.add_acquired(c);
  if (march.contains(c.acquired)) f.window.customers.add_acquired(c);
  if (c.churned && *c.churned < march.start) f.before.customers.add_churned(c, at("2026-01-01T00:00:00Z"));
  if (c.churned && march.contains(*c.churned)) f.window.customers.add_churned(c, march.start);
}

kpi::spend_record spend(const char *start, const char *end, const char *amount, const char *cur = "IDR") {
  kpi::spend_record s;
  s.campaign_id = "camp";
  s.start = at(start);
  s.end = at(end);
  s.amount = kpi::parse_money(amount, kpi::currency::of(cur));
  return s;
}

kpi::order_record order(std::string id, std::string customer, const char *amount, const char *cost,
                        const char *cur = "IDR") {
  kpi::order_record o;
  o.order_id = std::move(id);
  o.customer_id = std::move(customer);
  o.time = at("2026-03-10T00:00:00Z");
  o.amount = kpi::parse_money(amount, kpi::currency::of(cur));
  if (cost != nullptr) o.cost = kpi::parse_money(cost, kpi::currency::of(cur));
  return o;
}

TEST(CustomerKpis, EmptyWindow) {
  fixture f;
  EXPECT_EQ(f.eval(kpi_id::customers_at_start), 0.0);
  EXPECT_EQ(f.eval(kpi_id::customers_at_end), 0.0);
  EXPECT_EQ(f.eval(kpi_id::customers_lost), 0.0);
  for (kpi_id id : {kpi_id::churn_rate, kpi_id::retention_rate, kpi_id::cac, kpi_id::cost_per_lead,
                    kpi_id::marketing_roi, kpi_id::clv, kpi_id::ltv_to_cac})
    EXPECT_FALSE(f.eval(id).has_value()) << kpi::info(id).name;
}

// Nine customers around March, with every boundary case:
//   C1 acquired Jan, active                      → at start, at end
//   C2 acquired Jan, churned Feb                 → neither
//   C3 acquired Feb, churned 15 March            → at start, lost
//   C4 acquired Feb, churned exactly 1 March     → at start (not churned before the start), lost
//   C5 acquired exactly 1 March                  → new in March, at end (not at start)
//   C6 acquired 5 March, churned 20 March        → new, churned, NOT lost (not active at the start)
//   C7 acquired 6 March                          → new, at end
//   C8 acquired Jan, churned exactly 1 April     → at start, at end (the churn is April's)
//   C9 acquired 7 March                          → new, at end
void nine_customers(fixture &f) {
  feed(f, "C1", "2026-01-05T00:00:00Z");
  feed(f, "C2", "2026-01-06T00:00:00Z", "2026-02-10T00:00:00Z");
  feed(f, "C3", "2026-02-01T00:00:00Z", "2026-03-15T00:00:00Z");
  feed(f, "C4", "2026-02-02T00:00:00Z", "2026-03-01T00:00:00Z");
  feed(f, "C5", "2026-03-01T00:00:00Z");
  feed(f, "C6", "2026-03-05T00:00:00Z", "2026-03-20T00:00:00Z");
  feed(f, "C7", "2026-03-06T00:00:00Z");
  feed(f, "C8", "2026-01-07T00:00:00Z", "2026-04-01T00:00:00Z");
  feed(f, "C9", "2026-03-07T00:00:00Z");
}

TEST(CustomerKpis, SnapshotsAndLossesAtTheBoundaries) {
  fixture f;
  nine_customers(f);
  // At start: C1, C3, C4, C8 = 4 (before: 5 acquired − 1 churned).
  EXPECT_EQ(f.eval(kpi_id::customers_at_start), 4.0);
  // At end: 4 + 4 acquired (C5, C6, C7, C9) − 3 churned (C3, C4, C6) = 5: C1, C5, C7, C8, C9.
  EXPECT_EQ(f.eval(kpi_id::customers_at_end), 5.0);
  // Lost: C3, C4 (C6 was acquired inside March).
  EXPECT_EQ(f.eval(kpi_id::customers_lost), 2.0);
}

TEST(CustomerKpis, ChurnIsLostOverStartNotTheInvertedSeedFormula) {
  fixture f;
  nine_customers(f);
  // churn = lost / at start = 2 / 4 = 0.5. The seed article's inverted start / lost would give 4 / 2 = 2.
  EXPECT_EQ(f.eval(kpi_id::churn_rate), 0.5);
  EXPECT_NE(f.eval(kpi_id::churn_rate), 2.0);
  // Variant average: 2 / ((4 + 5) / 2) = 2 / 4.5 = 0.4444...
  f.params.churn_formula = kpi::churn_denominator::average;
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::churn_rate), 2.0 / 4.5);
}

TEST(CustomerKpis, RetentionSubtractsNewCustomers) {
  fixture f;
  // 10 customers at the start; 2 of them churn in March; 3 new ones arrive and stay.
  for (int i = 0; i < 10; ++i)
    feed(f, numbered("S", i), "2026-02-01T00:00:00Z", i < 2 ? "2026-03-10T00:00:00Z" : nullptr);
  for (int i = 0; i < 3; ++i) feed(f, numbered("N", i), "2026-03-11T00:00:00Z");
  // End = 10 − 2 + 3 = 11; retention (11 − 3) / 10 = 0.8 = 1 − churn (2 / 10).
  EXPECT_EQ(f.eval(kpi_id::customers_at_end), 11.0);
  EXPECT_EQ(f.eval(kpi_id::retention_rate), 0.8);
  EXPECT_EQ(f.eval(kpi_id::churn_rate), 0.2);
}

TEST(CustomerKpis, RetentionWhenNewCustomersAlsoChurn) {
  fixture f;
  nine_customers(f);
  // (end − new) / start = (5 − 4) / 4 = 0.25: C6, new and gone within March, lowers the end count
  // but not the new count, so CRR is below 1 − churn (0.5) here. Pinned: this is the CRR formula.
  EXPECT_EQ(f.eval(kpi_id::retention_rate), 0.25);
}

TEST(CustomerKpis, LostStaysExactWhenDaysMergeIntoAMonth) {
  // A customer acquired on 3 March and churned on 20 March is lost in the day of 20 March (it was
  // active at that day's start) but not in March as a whole.
  kpi::customer_record c;
  c.customer_id = "C";
  c.acquired = at("2026-03-03T10:00:00Z");
  c.churned = at("2026-03-20T10:00:00Z");
  kpi::customer_stats day3, day20, month;
  day3.add_acquired(c);
  day20.add_churned(c, at("2026-03-20T00:00:00Z"));
  EXPECT_EQ(day20.lost(), 1u);
  month.merge(day3);
  month.merge(day20);
  EXPECT_EQ(month.lost(), 1u);  // only day 20's start is known so far
  kpi::customer_stats day1;
  kpi::customer_record old = c;
  old.customer_id = "D";
  old.acquired = at("2026-01-01T00:00:00Z");
  old.churned = at("2026-03-01T05:00:00Z");
  day1.add_churned(old, at("2026-03-01T00:00:00Z"));
  month.merge(day1);
  // The month starts on 1 March now: D (acquired in January) is lost, C (acquired 3 March) is not.
  EXPECT_EQ(month.lost(), 1u);
  EXPECT_EQ(month.churned(), 2u);
}

TEST(CustomerKpis, ChurnInputErrors) {
  kpi::customer_stats s;
  kpi::customer_record c;
  c.customer_id = "C";
  c.acquired = at("2026-03-03T00:00:00Z");
  EXPECT_EQ(code_of([&] { s.add_churned(c, march.start); }), kpi::errc::invalid_argument);  // no churned
  c.churned = at("2026-02-28T00:00:00Z");  // before acquisition
  EXPECT_EQ(code_of([&] { s.add_acquired(c); }), kpi::errc::invalid_argument);
  c.acquired = at("2026-02-01T00:00:00Z");
  EXPECT_EQ(code_of([&] { s.add_churned(c, march.start); }), kpi::errc::invalid_argument);  // before start
  EXPECT_EQ(s, kpi::customer_stats{});
}

TEST(SpendStats, ProratedSharesAddUpExactly) {
  // Rp1.00 = 100 minor over 3 days, 1-4 March. F(t) = floor(100 × elapsed / 3 days):
  // F(1 d) = 33, F(2 d) = 66, F(3 d) = 100 → daily shares 33, 33, 34 (sum 100).
  const kpi::spend_record s = spend("2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z", "1.00");
  const kpi::timestamp d0 = at("2026-03-01T00:00:00Z");
  EXPECT_EQ(kpi::spend_stats::share_minor(s, {d0, d0 + days(1)}), 33);
  EXPECT_EQ(kpi::spend_stats::share_minor(s, {d0 + days(1), d0 + days(2)}), 33);
  EXPECT_EQ(kpi::spend_stats::share_minor(s, {d0 + days(2), d0 + days(3)}), 34);
  // Half a day [12:00, 24:00) of day 1: F(1 d) − F(0.5 d) = 33 − floor(50 / 3) = 33 − 16 = 17.
  EXPECT_EQ(kpi::spend_stats::share_minor(s, {d0 + hours(12), d0 + days(1)}), 17);
  // A window covering the row, or beyond it: the whole amount; disjoint (touching at the end): 0.
  EXPECT_EQ(kpi::spend_stats::share_minor(s, march), 100);
  EXPECT_EQ(kpi::spend_stats::share_minor(s, {d0 + days(3), d0 + days(4)}), 0);
  EXPECT_EQ(kpi::spend_stats::share_minor(s, {d0 - days(1), d0}), 0);
  // Summing the daily shares in a state: exactly the amount.
  kpi::spend_stats total;
  for (int i = -1; i < 5; ++i) total.add(s, {d0 + days(i), d0 + days(i + 1)});
  EXPECT_EQ(total.amount_minor(), 100);
  EXPECT_EQ(total.currency(), kpi::currency::of("IDR"));
}

TEST(SpendStats, CurrenciesAndOverflow) {
  kpi::spend_stats s;
  s.add(spend("2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z", "1.00"));
  const kpi::spend_stats copy = s;
  EXPECT_EQ(code_of([&] { s.add(spend("2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z", "1.00", "USD")); }),
            kpi::errc::currency_mismatch);
  kpi::spend_record big = spend("2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z", "1.00");
  big.amount.minor = INT64_MAX;
  EXPECT_EQ(code_of([&] { s.add(big); }), kpi::errc::overflow);
  EXPECT_EQ(s, copy);
  // A huge amount prorated: 128-bit products, no overflow: floor((2^63 − 1) / 3) for the first day.
  EXPECT_EQ(kpi::spend_stats::share_minor(big, {big.start, big.start + days(1)}), INT64_MAX / 3);
  kpi::spend_record bad = big;
  bad.end = bad.start;  // empty period
  EXPECT_EQ(code_of([&] { (void)kpi::spend_stats::share_minor(bad, march); }), kpi::errc::invalid_argument);
}

TEST(MarketingKpis, CacCostPerLeadAndRoi) {
  fixture f;
  nine_customers(f);  // 4 customers acquired in March
  f.window.spend.add(spend("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "1000000.00"));
  // No order tracking: CAC over the 4 customers acquired in March = 1,000,000 / 4 = 250,000.
  EXPECT_EQ(f.eval(kpi_id::cac), 250000.0);
  // 8 leads: cost per lead 1,000,000 / 8 = 125,000.
  for (int i = 0; i < 8; ++i) {
    kpi::lead_record l;
    l.lead_id = numbered("L", i);
    l.created = at("2026-03-02T00:00:00Z");
    f.window.leads.add(l);
  }
  EXPECT_EQ(f.eval(kpi_id::cost_per_lead), 125000.0);
  // Orders: revenue 4,000,000, costs 2,500,000 → gross profit 1,500,000.
  f.window.orders.add(order("o1", "A", "3000000.00", "2000000.00"));
  f.window.orders.add(order("o2", "B", "1000000.00", "500000.00"));
  // ROI on gross profit (1,500,000 − 1,000,000) / 1,000,000 = 0.5; on revenue (4,000,000 − 1,000,000) /
  // 1,000,000 = 3.
  EXPECT_EQ(f.eval(kpi_id::marketing_roi), 0.5);
  f.params.marketing_roi_basis = kpi::roi_basis::revenue;
  EXPECT_EQ(f.eval(kpi_id::marketing_roi), 3.0);
}

TEST(MarketingKpis, CacUsesTrackedNewCustomersWhenTheWindowHasThem) {
  fixture f;
  f.window.spend.add(spend("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "1000000.00"));
  kpi::first_order_tracker t;
  auto stats_of = [&](std::uint64_t) -> kpi::order_stats & { return f.window.orders; };
  t.add(order("o1", "A", "10.00", nullptr), 0, stats_of);
  t.add(order("o2", "B", "10.00", nullptr), 0, stats_of);
  t.add(order("o3", "A", "10.00", nullptr), 0, stats_of);
  // New customers A, B: 1,000,000 / 2 = 500,000.
  EXPECT_EQ(f.eval(kpi_id::new_customers), 2.0);
  EXPECT_EQ(f.eval(kpi_id::cac), 500000.0);
}

TEST(MarketingKpis, ZeroDenominatorsAreUndefined) {
  fixture f;
  nine_customers(f);
  f.window.orders.add(order("o1", "A", "3000000.00", "2000000.00"));
  // No spend: ROI undefined (not −1 or infinity); CAC = 0 / 4 = 0 (defined: free acquisitions).
  EXPECT_FALSE(f.eval(kpi_id::marketing_roi).has_value());
  EXPECT_EQ(f.eval(kpi_id::cac), 0.0);
  EXPECT_FALSE(f.eval(kpi_id::cost_per_lead).has_value());  // no leads
  EXPECT_FALSE(f.eval(kpi_id::ltv_to_cac).has_value());     // cac 0
  // Spend but no new customer at all (orders untracked, no customer records): CAC undefined.
  fixture g;
  g.window.spend.add(spend("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "1.00"));
  g.window.orders.add(order("o1", "A", "3.00", "2.00"));
  EXPECT_FALSE(g.eval(kpi_id::cac).has_value());
}

TEST(MarketingKpis, RoiAcrossCurrenciesIsAnError) {
  fixture f;
  f.window.spend.add(spend("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "100.00", "USD"));
  f.window.orders.add(order("o1", "A", "3000000.00", "2000000.00", "IDR"));
  EXPECT_EQ(code_of([&] { (void)f.eval(kpi_id::marketing_roi); }), kpi::errc::currency_mismatch);
}

TEST(MarketingKpis, ClvFromParameters) {
  fixture f;
  f.params.clv_margin = 100.0;
  f.params.clv_retention = 0.8;
  f.params.clv_discount = 0.1;
  // 100 × 0.8 / (1 + 0.1 − 0.8) = 80 / 0.3 = 266.666...
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::clv), 80.0 / 0.3);
  // r = 1 and d = 0: 1 + d − r = 0, undefined.
  f.params.clv_retention = 1.0;
  f.params.clv_discount = 0.0;
  EXPECT_FALSE(f.eval(kpi_id::clv).has_value());
}

TEST(MarketingKpis, ClvMeasuredAndLtvToCac) {
  fixture f;
  // 10 customers at the start, 2 lost, 3 new (retention 0.8, see RetentionSubtractsNewCustomers).
  for (int i = 0; i < 10; ++i)
    feed(f, numbered("S", i), "2026-02-01T00:00:00Z", i < 2 ? "2026-03-10T00:00:00Z" : nullptr);
  for (int i = 0; i < 3; ++i) feed(f, numbered("N", i), "2026-03-11T00:00:00Z");
  // Gross profit 1,500,000 → m = 1,500,000 / 10 customers at the start = 150,000.
  f.window.orders.add(order("o1", "A", "3000000.00", "2000000.00"));
  f.window.orders.add(order("o2", "B", "1000000.00", "500000.00"));
  // d = 0.01 (default): CLV = 150,000 × 0.8 / (1 + 0.01 − 0.8) = 120,000 / 0.21 = 571,428.5714...
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::clv), 120000.0 / 0.21);
  // Spend 600,000 over 3 new customers: CAC 200,000; LTV:CAC = 571,428.57 / 200,000 = 2.857142857...
  f.window.spend.add(spend("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "600000.00"));
  EXPECT_EQ(f.eval(kpi_id::cac), 200000.0);
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::ltv_to_cac), (120000.0 / 0.21) / 200000.0);
  // Without customer records nothing is measured: r undefined, so CLV undefined.
  fixture g;
  g.window.orders = f.window.orders;
  EXPECT_FALSE(g.eval(kpi_id::clv).has_value());
}

// ---- Churn derived from orders (non-contractual, kpi_params::churn_inactivity_days) ----------------

// An order of `customer` at `time`, filed like an engine does: in `before` when before March, in the
// window when in March, in both the order_stats and the order activity.
void feed_order(fixture &f, const std::string &customer, const char *time) {
  kpi::order_record o;
  o.order_id = customer + "@" + time;
  o.customer_id = customer;
  o.time = at(time);
  o.amount = kpi::parse_money("10.00", kpi::currency::of("IDR"));
  kpi::group_state &g = o.time < march.start ? f.before : f.window;
  g.orders.add(o);
  g.activity.add(o);
}

// March 2026 with N = 30 days (s − N = 2026-01-30, e − N = 2026-03-02). A customer is active on
// [t, t + 30 d) after each order t.
//   A orders 02-10, 03-05, 03-20: at start (02-10 >= 01-30); gaps 23 d, 15 d; 03-20 + 30 d = 04-19 is
//     after the end: not lost; at end (03-20 >= 03-02).
//   B orders exactly 01-30 00:00 = s − N: at start (active on [01-30, 03-01), just before s), inactive
//     from s = 03-01 on: lost; not at end.
//   C orders 01-29: inactive since 02-28, before the start: nothing.
//   D orders 02-20 and 03-25: at start; the gap 33 d > 30 d leaves [03-22, 03-25) inactive: lost, then
//     active again from 03-25: became active (a reactivation) and at end.
//   E orders 03-10 only: became active, at end.
//   F orders 02-15 and exactly 03-01 00:00 (14 d gap: no break): at start; 03-01 + 30 d = 03-31 < 04-01:
//     lost (inactive on [03-31, 04-01)); not at end (03-01 < 03-02).
//   G orders exactly 03-02 00:00 = e − N only: active on [03-02, 04-01), so just before the end: at end;
//     became active.
void order_customers(fixture &f) {
  for (const char *t : {"2026-02-10T00:00:00Z", "2026-03-05T00:00:00Z", "2026-03-20T00:00:00Z"})
    feed_order(f, "A", t);
  feed_order(f, "B", "2026-01-30T00:00:00Z");
  feed_order(f, "C", "2026-01-29T00:00:00Z");
  feed_order(f, "D", "2026-02-20T00:00:00Z");
  feed_order(f, "D", "2026-03-25T00:00:00Z");
  feed_order(f, "E", "2026-03-10T00:00:00Z");
  feed_order(f, "F", "2026-02-15T00:00:00Z");
  feed_order(f, "F", "2026-03-01T00:00:00Z");
  feed_order(f, "G", "2026-03-02T00:00:00Z");
  f.bounds = march;
  f.params.churn_inactivity_days = 30;
}

TEST(CustomerKpis, ChurnFromOrdersByHand) {
  fixture f;
  order_customers(f);
  // At start: A, B, D, F = 4. Lost: B, D, F = 3. At end: A, D, E, G = 4. Became active: D, E, G = 3.
  EXPECT_EQ(f.eval(kpi_id::customers_at_start), 4.0);
  EXPECT_EQ(f.eval(kpi_id::customers_lost), 3.0);
  EXPECT_EQ(f.eval(kpi_id::customers_at_end), 4.0);
  EXPECT_EQ(f.eval(kpi_id::churn_rate), 0.75);  // 3 / 4
  // Retention (end − became active and at end: D, E, G) / start = (4 − 3) / 4 = 0.25 = 1 − churn.
  EXPECT_EQ(f.eval(kpi_id::retention_rate), 0.25);
  // Average variant: 3 / ((4 + 4) / 2) = 0.75.
  f.params.churn_formula = kpi::churn_denominator::average;
  EXPECT_EQ(f.eval(kpi_id::churn_rate), 0.75);
  const kpi::activity_snapshot snap = f.window.activity.snapshot(f.before.activity, march, 30LL * 86'400'000);
  EXPECT_EQ(snap, (kpi::activity_snapshot{4, 4, 3, 3, 3}));
  // The contractual default ignores orders: no customer records, so 0 at the start and churn undefined.
  f.params.churn_inactivity_days = 0;
  EXPECT_EQ(f.eval(kpi_id::customers_at_start), 0.0);
  EXPECT_FALSE(f.eval(kpi_id::churn_rate).has_value());
}

TEST(CustomerKpis, ChurnFromOrdersAtTheInactivityBoundary) {
  // N = 31 days instead (s − N = 01-29, e − N = 03-01): C's order (01-29) is now exactly N before the
  // start: at start, and lost at s = 03-01; B (01-30) is at start and lost on 03-02.
  fixture f;
  order_customers(f);
  f.params.churn_inactivity_days = 31;
  // s − N = 01-29: A, B, C, D, F at start (5). Lost: B (03-02), C (03-01), D (gap 33 d > 31 d), F
  // (03-01 + 31 d = 04-01 = e: active up to the end, NOT lost). A: gaps <= 23 d, 03-20 + 31 > e. Lost 3.
  EXPECT_EQ(f.eval(kpi_id::customers_at_start), 5.0);
  EXPECT_EQ(f.eval(kpi_id::customers_lost), 3.0);
  // e − N = 03-01: at end A, D, E, F (03-01 >= 03-01), G = 5.
  EXPECT_EQ(f.eval(kpi_id::customers_at_end), 5.0);
  EXPECT_EQ(f.eval(kpi_id::churn_rate), 0.6);
}

TEST(CustomerKpis, ChurnFromOrdersUndefinedOrRejected) {
  fixture empty;
  empty.params.churn_inactivity_days = 30;
  empty.bounds = march;
  // An empty window: counts 0, churn and retention undefined (zero denominators).
  EXPECT_EQ(empty.eval(kpi_id::customers_at_start), 0.0);
  EXPECT_EQ(empty.eval(kpi_id::customers_lost), 0.0);
  EXPECT_FALSE(empty.eval(kpi_id::churn_rate).has_value());
  EXPECT_FALSE(empty.eval(kpi_id::retention_rate).has_value());
  // Without the window's instants: undefined.
  fixture f;
  order_customers(f);
  f.bounds.reset();
  EXPECT_FALSE(f.eval(kpi_id::customers_at_start).has_value());
  EXPECT_FALSE(f.eval(kpi_id::churn_rate).has_value());
  // An order that went to order_stats but not to the activity: undefined, not a silent undercount.
  fixture g;
  order_customers(g);
  kpi::order_record o;
  o.order_id = "untracked";
  o.customer_id = "Z";
  o.time = at("2026-03-03T00:00:00Z");
  o.amount = kpi::parse_money("1.00", kpi::currency::of("IDR"));
  g.window.orders.add(o);
  EXPECT_FALSE(g.eval(kpi_id::customers_lost).has_value());
  EXPECT_FALSE(g.eval(kpi_id::clv).has_value());
  // Asking for an inactivity period below the resolution the activity was kept at is an error.
  fixture h;
  h.window.activity = kpi::order_activity(40.0);
  h.before.activity = kpi::order_activity(40.0);
  h.bounds = march;
  h.params.churn_inactivity_days = 30;
  EXPECT_EQ(code_of([&] { (void)h.eval(kpi_id::churn_rate); }), kpi::errc::invalid_argument);
  h.params.churn_inactivity_days = 40;
  EXPECT_FALSE(h.eval(kpi_id::churn_rate).has_value());  // nothing at the start
  // Parameter range.
  kpi::kpi_params p;
  p.churn_inactivity_days = -1;
  EXPECT_EQ(code_of([&] { p.validate(); }), kpi::errc::invalid_argument);
  p.churn_inactivity_days = 36501;
  EXPECT_EQ(code_of([&] { p.validate(); }), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of([] { (void)kpi::order_activity(-0.5); }), kpi::errc::invalid_argument);
}

TEST(OrderActivity, MergeInAnyOrderAndSerializeRoundTrip) {
  // One customer's orders spread over three states whose spans interleave (two agents of the same days):
  // X has 03-01 and 03-20, Y has 03-10, Z has 04-15. Resolution 1 day.
  auto order_at = [](const char *customer, const char *time) {
    kpi::order_record o;
    o.order_id = std::string(customer) + time;
    o.customer_id = customer;
    o.time = at(time);
    o.amount = kpi::parse_money("1.00", kpi::currency::of("IDR"));
    return o;
  };
  const std::vector<kpi::order_record> orders = {
      order_at("P", "2026-03-01T00:00:00Z"), order_at("P", "2026-03-20T00:00:00Z"),
      order_at("P", "2026-03-10T00:00:00Z"), order_at("P", "2026-04-15T00:00:00Z"),
      order_at("Q", "2026-03-01T10:00:00Z"), order_at("Q", "2026-03-01T20:00:00Z"),
      order_at("", "2026-03-02T00:00:00Z")};
  kpi::order_activity all(1.0), x(1.0), y(1.0), z(1.0);
  for (const auto &o : orders) all.add(o);
  for (std::size_t i : {0u, 1u, 4u}) x.add(orders[i]);
  for (std::size_t i : {2u, 5u, 6u}) y.add(orders[i]);
  z.add(orders[3]);
  // P's spells at resolution 1 day: [03-01], [03-10], [03-20], [04-15] (gaps > 1 day); Q's two orders
  // 10 hours apart: one spell [03-01 10:00, 03-01 20:00].
  const std::uint64_t p = kpi::stable_id_hash("P"), q = kpi::stable_id_hash("Q");
  EXPECT_EQ(all.spells_of(p).size(), 4u);
  ASSERT_EQ(all.spells_of(q).size(), 1u);
  EXPECT_EQ(all.spells_of(q)[0].last_ms - all.spells_of(q)[0].first_ms, 10 * 3'600'000);
  EXPECT_EQ(all.orders(), 7u);
  EXPECT_EQ(all.customers(), 2u);
  kpi::order_activity a = z, b = y;
  a.merge(x);
  a.merge(y);
  b.merge(z);
  b.merge(x);
  EXPECT_EQ(a, all);
  EXPECT_EQ(b, all);
  // A finer state merged into a coarser one is coalesced at the coarser resolution: at 15 days, P's
  // 03-01, 03-10, 03-20 join (gaps 9 and 10 days); 04-15 stays apart (26 days).
  kpi::order_activity coarse(15.0), fine(0.0);
  for (const auto &o : orders) fine.add(o);
  coarse.merge(fine);
  ASSERT_EQ(coarse.spells_of(p).size(), 2u);
  EXPECT_EQ(coarse.spells_of(p)[0].last_ms, kpi::to_unix_ms(at("2026-03-20T00:00:00Z")));
  kpi::order_activity direct(15.0);
  for (const auto &o : orders) direct.add(o);
  EXPECT_EQ(coarse, direct);
  // Save and load: the same state, canonical bytes.
  std::string bytes;
  all.save(bytes);
  std::string_view in = bytes;
  const kpi::order_activity back = kpi::order_activity::load(in);
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(back, all);
  std::string again;
  b.save(again);
  EXPECT_EQ(again, bytes);
  // Every truncation is corrupt, never a crash.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    std::string_view cut = std::string_view(bytes).substr(0, n);
    EXPECT_EQ(code_of([&] { (void)kpi::order_activity::load(cut); }), kpi::errc::corrupt) << n;
  }
}

TEST(CustomerKpis, RegistryRows) {
  for (int id = 300; id <= 309; ++id) {
    const kpi::kpi_info &i = kpi::info(static_cast<kpi_id>(id));
    EXPECT_EQ(static_cast<int>(i.id), id);
    EXPECT_FALSE(i.formula.empty()) << i.name;
    EXPECT_NE(i.evaluate, nullptr) << i.name;
  }
  EXPECT_EQ(kpi::info(kpi_id::churn_rate).unit, kpi::unit::rate);
  EXPECT_EQ(kpi::info(kpi_id::cac).unit, kpi::unit::money);
}

}  // namespace

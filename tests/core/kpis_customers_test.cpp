// Customer and marketing KPIs (ids 300-309): customer_stats, spend_stats and the registry evaluators.
// Every expected value is computed by hand in the comment next to it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "kpi/catalog.hpp"
#include "kpi/error.hpp"
#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/customers.hpp"
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
  kpi::value eval(kpi_id id) const { return kpi::evaluate(id, kpi::kpi_context(window, before, params)); }
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

// Sales and revenue KPIs (ids 100-115): order_stats, first_order_tracker and the registry evaluators.
// Every expected value is computed by hand in the comment next to it.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "kpi/catalog.hpp"
#include "kpi/error.hpp"
#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/sales.hpp"
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

kpi::timestamp at(const char *iso) {
  return kpi::parse_timestamp(iso);
}

kpi::order_record order(std::string id, std::string customer, std::string agent, const char *time,
                        const char *amount, const char *cur = "IDR", const char *cost = nullptr,
                        kpi::order_kind kind = kpi::order_kind::new_sale, std::string call = "") {
  kpi::order_record o;
  o.order_id = std::move(id);
  o.customer_id = std::move(customer);
  o.agent_id = std::move(agent);
  o.time = at(time);
  o.amount = kpi::parse_money(amount, kpi::currency::of(cur));
  if (cost != nullptr) o.cost = kpi::parse_money(cost, kpi::currency::of(cur));
  o.kind = kind;
  o.call_id = std::move(call);
  return o;
}

struct fixture {
  kpi::group_state window, before;
  kpi::kpi_params params;
  std::optional<kpi::window> bounds;  // the window's instants (arpu with customer records needs them)
  kpi::value eval(kpi_id id, const kpi::group_state *previous = nullptr,
                  const kpi::group_state *year_before = nullptr) const {
    return kpi::evaluate(id, kpi::kpi_context(window, before, params, previous, year_before, bounds));
  }
};

// Four orders in IDR (exponent 2: amounts are minor units of 1/100 rupiah).
//   o1 customer A, agent X, Rp850,000.00, cost Rp600,000.00, new, linked to call c1
//   o2 customer A, agent Y, Rp1,200,000.50, no cost, upsell
//   o3 customer B, agent X, Rp300,000.00, cost Rp350,000.00 (a loss), cross_sell, linked to call c2
//   o4 no customer, no agent, Rp49,999.50, new
void add_four(kpi::order_stats &s) {
  s.add(order("o1", "A", "X", "2026-03-02T09:00:00+07:00", "850000.00", "IDR", "600000.00",
              kpi::order_kind::new_sale, "c1"));
  s.add(order("o2", "A", "Y", "2026-03-03T09:00:00+07:00", "1200000.50", "IDR", nullptr,
              kpi::order_kind::upsell));
  s.add(order("o3", "B", "X", "2026-03-04T09:00:00+07:00", "300000.00", "IDR", "350000.00",
              kpi::order_kind::cross_sell, "c2"));
  s.add(order("o4", "", "", "2026-03-05T09:00:00+07:00", "49999.50"));
}

TEST(SalesKpis, EmptyWindowCountsAreZeroRatiosUndefined) {
  fixture f;
  EXPECT_EQ(f.eval(kpi_id::sales_revenue), 0.0);
  EXPECT_EQ(f.eval(kpi_id::orders), 0.0);
  EXPECT_EQ(f.eval(kpi_id::gross_profit), 0.0);   // a sum over no orders
  EXPECT_EQ(f.eval(kpi_id::new_customers), 0.0);  // no order, so nobody's first order
  for (kpi_id id :
       {kpi_id::avg_purchase_value, kpi_id::median_purchase_value, kpi_id::profit_margin,
        kpi_id::revenue_per_rep, kpi_id::upsell_rate, kpi_id::cross_sell_rate, kpi_id::repeat_purchase_rate,
        kpi_id::arpu, kpi_id::sales_growth, kpi_id::incremental_sales, kpi_id::campaign_lift})
    EXPECT_FALSE(f.eval(id).has_value()) << kpi::info(id).name;
  EXPECT_FALSE(f.window.orders.currency().has_value());
}

TEST(SalesKpis, HandComputedIdrExample) {
  fixture f;
  add_four(f.window.orders);
  const kpi::order_stats &s = f.window.orders;
  // Revenue 850,000.00 + 1,200,000.50 + 300,000.00 + 49,999.50 = 2,400,000.00 = 240,000,000 minor units.
  EXPECT_EQ(s.revenue_minor(), 240000000);
  EXPECT_EQ(s.currency(), kpi::currency::of("IDR"));
  EXPECT_EQ(f.eval(kpi_id::sales_revenue), 2400000.0);
  EXPECT_EQ(f.eval(kpi_id::orders), 4.0);
  // 2,400,000.00 / 4 = 600,000.00.
  EXPECT_EQ(f.eval(kpi_id::avg_purchase_value), 600000.0);
  // Sorted minor amounts 4,999,950 < 30,000,000 < 85,000,000 < 120,000,050: median (30,000,000 +
  // 85,000,000) / 2 = 57,500,000 minor = Rp575,000.00.
  EXPECT_EQ(f.eval(kpi_id::median_purchase_value), 575000.0);
  // Gross profit over the costed orders o1, o3: (850,000 − 600,000) + (300,000 − 350,000) = 200,000.00.
  EXPECT_EQ(s.gross_profit_minor(), 20000000);
  EXPECT_EQ(f.eval(kpi_id::gross_profit), 200000.0);
  // Margin 200,000 / (850,000 + 300,000) = 200,000 / 1,150,000 = 0.17391304347826086.
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::profit_margin), 200000.0 / 1150000.0);
  // Kinds: 1 upsell and 1 cross-sell of 4 orders.
  EXPECT_EQ(f.eval(kpi_id::upsell_rate), 0.25);
  EXPECT_EQ(f.eval(kpi_id::cross_sell_rate), 0.25);
  // Customers: A has 2 orders, B 1 (o4 has no customer): 1 / 2 repeat.
  EXPECT_EQ(s.customers().customers(), 2u);
  EXPECT_EQ(f.eval(kpi_id::repeat_purchase_rate), 0.5);
  // ARPU without customer records: 2,400,000 / 2 ordering customers = 1,200,000.
  EXPECT_EQ(f.eval(kpi_id::arpu), 1200000.0);
  // Orders linked to calls: o1 and o3, 850,000 + 300,000 = 1,150,000.00 = 115,000,000 minor.
  EXPECT_EQ(s.linked_orders(), 2u);
  EXPECT_EQ(s.linked_revenue_minor(), 115000000);
  EXPECT_EQ(s.linked_revenue(), (kpi::money{115000000, kpi::currency::of("IDR")}));
  // Reps: order agents {X, Y} = 2 → 2,400,000 / 2 = 1,200,000.
  EXPECT_EQ(s.agents().size(), 2u);
  EXPECT_EQ(f.eval(kpi_id::revenue_per_rep), 1200000.0);
  // Untracked orders: new_customers is unknown, not 0.
  EXPECT_FALSE(f.eval(kpi_id::new_customers).has_value());
}

TEST(SalesKpis, RevenuePerRepCountsCallAndOrderAgentsOnce) {
  fixture f;
  add_four(f.window.orders);  // order agents X, Y
  kpi::call_record c;
  c.call_id = "c9";
  c.agent_id = "Z";
  c.start = at("2026-03-02T08:00:00+07:00");
  c.outcome = kpi::call_outcome::no_answer;
  f.window.calls.add(c, 0);
  c.call_id = "c10";
  c.agent_id = "X";  // already an order agent
  f.window.calls.add(c, 0);
  // Agents {X, Y} ∪ {Z, X} = {X, Y, Z}: 2,400,000 / 3 = 800,000.
  EXPECT_EQ(f.eval(kpi_id::revenue_per_rep), 800000.0);
}

TEST(SalesKpis, GrossProfitUndefinedWhenNoOrderHasACost) {
  fixture f;
  f.window.orders.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "100.00"));
  EXPECT_FALSE(f.eval(kpi_id::gross_profit).has_value());
  EXPECT_FALSE(f.eval(kpi_id::profit_margin).has_value());
}

TEST(SalesKpis, TwoCurrenciesAreAnErrorAndLeaveTheStateUnchanged) {
  kpi::order_stats s;
  s.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "850000.00", "IDR"));
  const kpi::order_stats copy = s;
  EXPECT_EQ(code_of([&] { s.add(order("o2", "B", "X", "2026-03-02T10:00:00Z", "10.00", "USD")); }),
            kpi::errc::currency_mismatch);
  EXPECT_EQ(s, copy);
  kpi::order_stats usd;
  usd.add(order("o3", "B", "X", "2026-03-02T10:00:00Z", "10.00", "USD"));
  EXPECT_EQ(code_of([&] { s.merge(usd); }), kpi::errc::currency_mismatch);
  EXPECT_EQ(s, copy);
}

TEST(SalesKpis, ConversionWithARateTableHappensBeforeAdd) {
  kpi::order_stats s;
  s.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "850000.00", "IDR"));
  kpi::rate_table rates(kpi::currency::of("IDR"));
  rates.set(kpi::currency::of("USD"), "15800");
  kpi::order_record usd = order("o2", "B", "X", "2026-03-02T10:00:00Z", "10.00", "USD");
  usd.amount = rates.convert(usd.amount, kpi::currency::of("IDR"));  // US$10.00 × 15,800 = Rp158,000.00
  s.add(usd);
  // 850,000.00 + 158,000.00 = 1,008,000.00 = 100,800,000 minor.
  EXPECT_EQ(s.revenue_minor(), 100800000);
}

TEST(SalesKpis, MinorUnitsComeFromTheCurrency) {
  kpi::order_stats idr, jpy;
  idr.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "850000.50", "IDR"));
  jpy.add(order("o2", "A", "X", "2026-03-02T09:00:00Z", "850000", "JPY"));
  EXPECT_EQ(idr.revenue_minor(), 85000050);  // IDR exponent 2
  EXPECT_EQ(jpy.revenue_minor(), 850000);    // JPY exponent 0
}

TEST(SalesKpis, MoneyOverflowIsAnErrorAndLeavesTheStateUnchanged) {
  kpi::order_stats s;
  // 3 × 3e18 = 9e18 < 2^63 − 1 ≈ 9.223e18; a fourth overflows int64.
  for (int i = 0; i < 3; ++i) {
    kpi::order_record o = order(numbered("o", i), "A", "X", "2026-03-02T09:00:00Z", "1", "JPY");
    o.amount.minor = 3000000000000000000;
    s.add(o);
  }
  const kpi::order_stats copy = s;
  kpi::order_record o = order("o4", "A", "X", "2026-03-02T09:00:00Z", "1", "JPY");
  o.amount.minor = 3000000000000000000;
  EXPECT_EQ(code_of([&] { s.add(o); }), kpi::errc::overflow);
  EXPECT_EQ(s, copy);
  EXPECT_EQ(code_of([&] { s.merge(copy); }), kpi::errc::overflow);
  EXPECT_EQ(s, copy);
}

TEST(SalesKpis, InvalidOrderRejected) {
  kpi::order_stats s;
  kpi::order_record o = order("o1", "A", "X", "2026-03-02T09:00:00Z", "-5.00");
  EXPECT_EQ(code_of([&] { s.add(o); }), kpi::errc::invalid_argument);
  o = order("", "A", "X", "2026-03-02T09:00:00Z", "5.00");
  EXPECT_EQ(code_of([&] { s.add(o); }), kpi::errc::invalid_argument);
  EXPECT_EQ(s.orders(), 0u);
}

TEST(SalesKpis, NewCustomersMoveOnLateOrders) {
  // Two monthly windows: slot 0 = March, slot 1 = April.
  kpi::order_stats months[2];
  kpi::first_order_tracker t;
  auto stats_of = [&](std::uint64_t slot) -> kpi::order_stats & { return months[slot]; };
  t.add(order("o1", "A", "X", "2026-04-02T09:00:00Z", "10.00"), 1, stats_of);  // A's first so far: April
  t.add(order("o2", "B", "X", "2026-03-10T09:00:00Z", "10.00"), 0, stats_of);  // B: March
  EXPECT_EQ(months[0].new_customers(), 1u);
  EXPECT_EQ(months[1].new_customers(), 1u);
  // A late order of A in March moves A: March {A, B} = 2, April 0.
  t.add(order("o3", "A", "X", "2026-03-20T09:00:00Z", "10.00"), 0, stats_of);
  // A later order of B changes nothing; an order without customer is nobody's first.
  t.add(order("o4", "B", "X", "2026-04-05T09:00:00Z", "10.00"), 1, stats_of);
  t.add(order("o5", "", "X", "2026-04-06T09:00:00Z", "10.00"), 1, stats_of);
  EXPECT_EQ(months[0].new_customers(), 2u);
  EXPECT_EQ(months[1].new_customers(), 0u);
  EXPECT_EQ(t.customers(), 2u);
  fixture f;
  f.window = kpi::group_state{};
  f.window.orders = months[1];
  EXPECT_EQ(f.eval(kpi_id::new_customers), 0.0);  // tracked: a real 0, not undefined
  f.window.orders = months[0];
  EXPECT_EQ(f.eval(kpi_id::new_customers), 2.0);
  // A merged state of both months: 2 + 0.
  kpi::order_stats q = months[0];
  q.merge(months[1]);
  EXPECT_EQ(q.new_customers(), 2u);
  // One untracked order makes the count unknown.
  q.add(order("o6", "C", "X", "2026-04-07T09:00:00Z", "10.00"));
  EXPECT_FALSE(q.new_customers().has_value());
}

TEST(SalesKpis, FirstOrderTieGoesToTheSmallerSlotWhateverTheArrivalOrder) {
  kpi::first_order_tracker a, b;
  const auto t = at("2026-03-31T23:59:59Z");
  EXPECT_TRUE(a.observe(7, t, 5).first);
  const auto d = a.observe(7, t, 3);  // same instant, smaller slot: moves from 5 to 3
  EXPECT_TRUE(d.first);
  EXPECT_EQ(d.moved, 5u);
  EXPECT_TRUE(b.observe(7, t, 3).first);
  EXPECT_FALSE(b.observe(7, t, 5).first);  // same instant, larger slot: stays
  EXPECT_EQ(a, b);
}

TEST(SalesKpis, TrackerMisuseIsReported) {
  kpi::order_stats s;
  EXPECT_EQ(code_of([&] { s.note_tracked_order(true); }), kpi::errc::invalid_argument);  // nothing added
  EXPECT_EQ(code_of([&] { s.retract_new_customer(); }), kpi::errc::invalid_argument);
}

TEST(SalesKpis, GrowthAgainstPreviousAndYearBefore) {
  fixture f;
  kpi::group_state prev, yoy, zero;
  f.window.orders.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "1200000.00"));
  prev.orders.add(order("p1", "A", "X", "2026-02-02T09:00:00Z", "1000000.00"));
  yoy.orders.add(order("y1", "A", "X", "2025-03-02T09:00:00Z", "1500000.00"));
  // (1,200,000 − 1,000,000) / 1,000,000 = 0.2.
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::sales_growth, &prev, &yoy), 0.2);
  // YoY: (1,200,000 − 1,500,000) / 1,500,000 = −0.2.
  f.params.sales_growth_base = kpi::growth_base::year_before;
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::sales_growth, &prev, &yoy), -0.2);
  EXPECT_FALSE(f.eval(kpi_id::sales_growth, &prev, nullptr).has_value());  // no year-before window
  // Growth from a zero base is undefined, not infinite.
  f.params.sales_growth_base = kpi::growth_base::previous;
  EXPECT_FALSE(f.eval(kpi_id::sales_growth, &zero).has_value());
  EXPECT_FALSE(f.eval(kpi_id::sales_growth).has_value());  // no previous window
  // Growth of orders: 1 order vs 1 order = 0.
  f.params.sales_growth_of = kpi_id::orders;
  EXPECT_EQ(f.eval(kpi_id::sales_growth, &prev), 0.0);
  // A non-additive KPI is refused.
  f.params.sales_growth_of = kpi_id::avg_purchase_value;
  EXPECT_EQ(code_of([&] { (void)f.eval(kpi_id::sales_growth, &prev); }), kpi::errc::invalid_argument);
}

TEST(SalesKpis, GrowthAcrossCurrenciesIsAnError) {
  fixture f;
  kpi::group_state prev;
  f.window.orders.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "12.00", "USD"));
  prev.orders.add(order("p1", "A", "X", "2026-02-02T09:00:00Z", "1000000.00", "IDR"));
  EXPECT_EQ(code_of([&] { (void)f.eval(kpi_id::sales_growth, &prev); }), kpi::errc::currency_mismatch);
}

TEST(SalesKpis, IncrementalSalesAndCampaignLift) {
  fixture f;
  kpi::group_state baseline, zero;
  f.window.orders.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "1300000.25"));
  baseline.orders.add(order("b1", "A", "X", "2026-02-02T09:00:00Z", "1000000.00"));
  // 1,300,000.25 − 1,000,000.00 = 300,000.25 (exact: 130,000,025 − 100,000,000 = 30,000,025 minor).
  EXPECT_EQ(f.eval(kpi_id::incremental_sales, &baseline), 300000.25);
  // Lift 30,000,025 / 100,000,000 = 0.30000025.
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::campaign_lift, &baseline), 0.30000025);
  // A baseline with no revenue: incremental = the whole window, lift undefined.
  EXPECT_EQ(f.eval(kpi_id::incremental_sales, &zero), 1300000.25);
  EXPECT_FALSE(f.eval(kpi_id::campaign_lift, &zero).has_value());
  // No baseline: both undefined.
  EXPECT_FALSE(f.eval(kpi_id::incremental_sales).has_value());
  EXPECT_FALSE(f.eval(kpi_id::campaign_lift).has_value());
  // A campaign window below its baseline: negative.
  fixture g;
  g.window.orders.add(order("o2", "A", "X", "2026-03-02T09:00:00Z", "800000.00"));
  EXPECT_EQ(g.eval(kpi_id::incremental_sales, &baseline), -200000.0);
  EXPECT_DOUBLE_EQ(*g.eval(kpi_id::campaign_lift, &baseline), -0.2);
}

TEST(SalesKpis, ArpuDividesByTheTimeWeightedMeanOfActiveCustomers) {
  // March 2026 (31 days), Rp2,400,000.00 of orders.
  const kpi::window march{at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z")};
  fixture f;
  add_four(f.window.orders);
  kpi::customer_record c;
  // c1, c2, c3 acquired in January: active at the start (3).
  for (const char *id : {"c1", "c2", "c3"}) {
    c.customer_id = id;
    c.acquired = at("2026-01-01T00:00:00Z");
    f.before.customers.add_acquired(c);
  }
  // c1 churns on 03-16 12:00: active 15.5 of the 31 days.
  c.customer_id = "c1";
  c.churned = at("2026-03-16T12:00:00Z");
  f.window.customers.add_churned(c, march.start);
  // c4 acquired 03-10: active 22 days. c5 acquired 03-05, churned 03-20: 15 days.
  c.customer_id = "c4";
  c.acquired = at("2026-03-10T00:00:00Z");
  c.churned.reset();
  f.window.customers.add_acquired(c);
  c.customer_id = "c5";
  c.acquired = at("2026-03-05T00:00:00Z");
  c.churned = at("2026-03-20T00:00:00Z");
  f.window.customers.add_acquired(c);
  f.window.customers.add_churned(c, march.start);
  // Customer-days: 3 × 31 − 15.5 (c1 after its churn) + 22 + 15 = 114.5; mean 114.5 / 31 = 3.6935...
  // (not the (3 + 3) / 2 = 3 of the start/end average). ARPU = 2,400,000 × 31 / 114.5 = 649,781.66.
  EXPECT_DOUBLE_EQ(*f.window.customers.mean_active(f.before.customers, march), 114.5 / 31.0);
  EXPECT_FALSE(f.eval(kpi_id::arpu).has_value());  // customer records but no window instants
  f.bounds = march;
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::arpu), 2400000.0 * 31.0 / 114.5);
  // Merging the window from two halves gives the same mean (the sums add).
  kpi::customer_stats first, second;
  for (const char *id : {"c4", "c5"}) {
    c.customer_id = id;
    c.acquired = at(id[1] == '4' ? "2026-03-10T00:00:00Z" : "2026-03-05T00:00:00Z");
    c.churned.reset();
    first.add_acquired(c);
  }
  c.customer_id = "c1";
  c.acquired = at("2026-01-01T00:00:00Z");
  c.churned = at("2026-03-16T12:00:00Z");
  second.add_churned(c, at("2026-03-16T00:00:00Z"));
  c.customer_id = "c5";
  c.acquired = at("2026-03-05T00:00:00Z");
  c.churned = at("2026-03-20T00:00:00Z");
  second.add_churned(c, at("2026-03-20T00:00:00Z"));
  second.merge(first);
  EXPECT_DOUBLE_EQ(*second.mean_active(f.before.customers, march), 114.5 / 31.0);
  // Serialized and read back: the same state, the same mean.
  std::string bytes;
  second.save(bytes);
  std::string_view in = bytes;
  const kpi::customer_stats back = kpi::customer_stats::load(in);
  EXPECT_EQ(back, second);
  EXPECT_DOUBLE_EQ(*back.mean_active(f.before.customers, march), 114.5 / 31.0);
}

TEST(SalesKpis, ArpuEdgeCases) {
  const kpi::window march{at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z")};
  kpi::customer_record c;
  c.customer_id = "c1";
  c.acquired = at("2026-01-01T00:00:00Z");
  c.churned = at("2026-02-01T00:00:00Z");
  // Customer records, but nobody active during the window: mean 0, ARPU undefined (not infinite).
  fixture f;
  f.bounds = march;
  add_four(f.window.orders);
  f.before.customers.add_acquired(c);
  f.before.customers.add_churned(c, at("2026-02-01T00:00:00Z"));
  EXPECT_EQ(f.window.customers.mean_active(f.before.customers, march), 0.0);
  EXPECT_FALSE(f.eval(kpi_id::arpu).has_value());
  // A customer acquired exactly at the start and churned exactly at the end: active the whole window.
  fixture g;
  g.bounds = march;
  add_four(g.window.orders);
  c.acquired = march.start;
  c.churned = march.end;
  g.window.customers.add_acquired(c);  // its churn is April's
  EXPECT_EQ(g.eval(kpi_id::arpu), 2400000.0);
  // An empty window: nothing to average over.
  fixture e;
  e.bounds = march;
  EXPECT_FALSE(e.eval(kpi_id::arpu).has_value());
  // An empty span: undefined.
  EXPECT_FALSE(g.window.customers.mean_active(g.before.customers, {march.start, march.start}).has_value());
  // A state read from the version 1 wire form with an acquisition does not know its instant: undefined.
  const std::string v1("\x55\x01\x01\x00\x00", 5);  // tag 'U', version 1, 1 acquired, no start, 0 churns
  std::string_view in = v1;
  const kpi::customer_stats old = kpi::customer_stats::load(in);
  EXPECT_EQ(old.acquired(), 1u);
  EXPECT_FALSE(old.event_sums_known());
  EXPECT_FALSE(old.mean_active(g.before.customers, march).has_value());
  g.window.customers = old;
  EXPECT_FALSE(g.eval(kpi_id::arpu).has_value());
  // ... while an empty version 1 state is fine (nothing to sum).
  const std::string v1_empty("\x55\x01\x00\x00\x00", 5);
  in = v1_empty;
  EXPECT_TRUE(kpi::customer_stats::load(in).event_sums_known());
}

TEST(SalesKpis, IncrementalSalesAgainstAControlGroup) {
  fixture f;
  f.window.orders.add(order("o1", "A", "X", "2026-03-02T09:00:00Z", "1000000.00"));
  // Control group of 300 customers spent Rp360,000 in the window; the campaign reached 1,000: baseline
  // 360,000 × 1,000 / 300 = 1,200,000. Incremental 1,000,000 − 1,200,000 = −200,000; lift −200,000 /
  // 1,200,000 = −1/6.
  f.params.control_revenue = 360000.0;
  f.params.control_size = 300;
  f.params.treated_size = 1000;
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::incremental_sales), -200000.0);
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::campaign_lift), -1.0 / 6.0);
  // The control group wins over the previous window when both are given.
  kpi::group_state previous;
  previous.orders.add(order("b1", "A", "X", "2026-02-02T09:00:00Z", "500000.00"));
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::incremental_sales, &previous), -200000.0);
  // Equal sizes (the defaults): the control revenue as is. 1,000,000 − 800,000 = 200,000; lift 0.25.
  f.params.control_revenue = 800000.0;
  f.params.control_size = 1;
  f.params.treated_size = 1;
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::incremental_sales), 200000.0);
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::campaign_lift), 0.25);
  // A control group with no revenue: baseline 0, incremental = the revenue, lift undefined.
  f.params.control_revenue = 0.0;
  EXPECT_EQ(f.eval(kpi_id::incremental_sales), 1000000.0);
  EXPECT_FALSE(f.eval(kpi_id::campaign_lift).has_value());
  // An empty campaign window: incremental = −baseline, lift −1.
  fixture e;
  e.params.control_revenue = 50.0;
  e.params.control_size = 2;
  e.params.treated_size = 4;
  EXPECT_EQ(e.eval(kpi_id::incremental_sales), -100.0);
  EXPECT_EQ(e.eval(kpi_id::campaign_lift), -1.0);
  // Parameter ranges.
  kpi::kpi_params p;
  p.control_revenue = -1.0;
  EXPECT_EQ(code_of([&] { p.validate(); }), kpi::errc::invalid_argument);
  p.control_revenue = 1.0;
  p.control_size = 0;
  EXPECT_EQ(code_of([&] { p.validate(); }), kpi::errc::invalid_argument);
  p.control_size = 1;
  p.treated_size = -2;
  EXPECT_EQ(code_of([&] { p.validate(); }), kpi::errc::invalid_argument);
  p.treated_size = 2;
  EXPECT_NO_THROW(p.validate());
}

TEST(SalesKpis, RegistryRows) {
  for (int id = 100; id <= 115; ++id) {
    const kpi::kpi_info &i = kpi::info(static_cast<kpi_id>(id));
    EXPECT_EQ(static_cast<int>(i.id), id);
    EXPECT_FALSE(i.name.empty());
    EXPECT_FALSE(i.description.empty());
    EXPECT_FALSE(i.formula.empty());
    if (id != 115) {
      EXPECT_NE(i.families & kpi::family_orders, 0u) << i.name;
    }
  }
  EXPECT_EQ(kpi::info("median_purchase_value").id, kpi_id::median_purchase_value);
  EXPECT_EQ(kpi::info(kpi_id::sales_revenue).unit, kpi::unit::money);
  EXPECT_EQ(kpi::info(kpi_id::upsell_rate).unit, kpi::unit::rate);
  EXPECT_EQ(kpi::info(kpi_id::target_attainment).evaluate, nullptr);
  EXPECT_NE(kpi::info(kpi_id::campaign_lift).evaluate, nullptr);
}

}  // namespace

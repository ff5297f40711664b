// kpi::engine: hand-computed KPIs through the engine for groups, periods and roll-ups; reports.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine_test_util.hpp"
#include "kpi/engine.hpp"
#include "kpi/error.hpp"

namespace kpi {
namespace {

using test::at;
using test::inbound;
using test::outbound;

constexpr call_outcome connected = call_outcome::connected;

period month(const char *label) {
  return parse_period(label);
}

// The telesales floor of the examples below (all UTC, November 2026):
//   A1 (team T1): outbound connected 100 s and 300 s on 11-02; outbound no_answer and voicemail on 11-03.
//   A2 (team T1): outbound connected 200 s and busy on 11-02.
//   A3 (team T2): inbound answered after 10 s wait, 60 s talk; inbound abandoned after 30 s wait, on 11-04.
std::vector<call_record> floor_calls() {
  return {
      outbound("c1", "A1", "T1", "2026-11-02T09:00:00Z", 100),
      outbound("c2", "A1", "T1", "2026-11-02T10:00:00Z", 300),
      outbound("c3", "A1", "T1", "2026-11-03T09:00:00Z", 0, call_outcome::no_answer),
      outbound("c4", "A1", "T1", "2026-11-03T09:05:00Z", 0, call_outcome::voicemail),
      outbound("c5", "A2", "T1", "2026-11-02T11:00:00Z", 200),
      outbound("c6", "A2", "T1", "2026-11-02T11:30:00Z", 0, call_outcome::busy),
      inbound("c7", "A3", "T2", "2026-11-04T08:00:00Z", 10, 60, connected),
      inbound("c8", "", "T2", "2026-11-04T08:10:00Z", 30, 0, call_outcome::abandoned),
  };
}

engine floor_engine(period_kind kind) {
  engine_options o;
  o.group_by = {dimension::team_id, dimension::agent_id};
  o.period = kind;
  engine e(o);
  for (const call_record &r : floor_calls()) EXPECT_TRUE(e.add(r));
  return e;
}

group_filter agent(const char *a) {
  return group_filter{}.where(dimension::agent_id, a);
}
group_filter team(const char *t) {
  return group_filter{}.where(dimension::team_id, t);
}

TEST(EngineQuery, AgentTeamAndAllRollUps) {
  for (period_kind kind : {period_kind::month, period_kind::day}) {
    SCOPED_TRACE(to_string(kind));
    const engine e = floor_engine(kind);
    const period nov = month("2026-11");
    // A1: 4 outbound, 2 connected -> 2/4 = 0.5; talk {100, 300}: mean 200, median (100+300)/2 = 200,
    // p90 = 100 + 0.9*(300-100) = 280; 4 outbound calls over 2 agent-days (11-02, 11-03) = 2.
    EXPECT_EQ(e.evaluate(kpi_id::outbound_calls, agent("A1"), nov), 4.0);
    EXPECT_EQ(e.evaluate(kpi_id::connection_rate, agent("A1"), nov), 0.5);
    EXPECT_EQ(e.evaluate(kpi_id::avg_talk_time_s, agent("A1"), nov), 200.0);
    EXPECT_EQ(e.evaluate(kpi_id::median_talk_time_s, agent("A1"), nov), 200.0);
    EXPECT_EQ(e.evaluate(kpi_id::p90_talk_time_s, agent("A1"), nov), 280.0);
    EXPECT_EQ(e.evaluate(kpi_id::outbound_calls_per_agent_day, agent("A1"), nov), 2.0);
    // Team T1 = A1 + A2: 6 outbound, 3 connected -> 0.5; talk {100, 200, 300}: median 200,
    // p90: h = 2*0.9 = 1.8 -> 200 + 0.8*100 = 280; agent-days (A1,11-02) (A1,11-03) (A2,11-02): 6/3 = 2.
    EXPECT_EQ(e.evaluate(kpi_id::outbound_calls, team("T1"), nov), 6.0);
    EXPECT_EQ(e.evaluate(kpi_id::connection_rate, team("T1"), nov), 0.5);
    EXPECT_EQ(e.evaluate(kpi_id::median_talk_time_s, team("T1"), nov), 200.0);
    EXPECT_EQ(e.evaluate(kpi_id::p90_talk_time_s, team("T1"), nov), 280.0);
    EXPECT_EQ(e.evaluate(kpi_id::outbound_calls_per_agent_day, team("T1"), nov), 2.0);
    // Team T2: 2 offered, 1 answered, 1 abandoned: abandon rate 1/2; ASA 10 s; queue time (10+30)/2 = 20;
    // service level (answered within 20 s / answered) = 1/1; no outbound: connection rate undefined.
    EXPECT_EQ(e.evaluate(kpi_id::offered_calls, team("T2"), nov), 2.0);
    EXPECT_EQ(e.evaluate(kpi_id::abandon_rate, team("T2"), nov), 0.5);
    EXPECT_EQ(e.evaluate(kpi_id::asa_s, team("T2"), nov), 10.0);
    EXPECT_EQ(e.evaluate(kpi_id::avg_queue_time_s, team("T2"), nov), 20.0);
    EXPECT_EQ(e.evaluate(kpi_id::service_level, team("T2"), nov), 1.0);
    EXPECT_EQ(e.evaluate(kpi_id::connection_rate, team("T2"), nov), std::nullopt);
    // All: 8 calls; handled {60, 100, 200, 300}: mean 660/4 = 165, median (100+200)/2 = 150; total 660.
    EXPECT_EQ(e.evaluate(kpi_id::calls, {}, nov), 8.0);
    EXPECT_EQ(e.evaluate(kpi_id::handled_calls, {}, nov), 4.0);
    EXPECT_EQ(e.evaluate(kpi_id::avg_talk_time_s, {}, nov), 165.0);
    EXPECT_EQ(e.evaluate(kpi_id::median_talk_time_s, {}, nov), 150.0);
    EXPECT_EQ(e.evaluate(kpi_id::talk_time_total_s, {}, nov), 660.0);
    // Team and agent fixed together.
    EXPECT_EQ(e.evaluate(kpi_id::outbound_calls, team("T1").where(dimension::agent_id, "A2"), nov), 2.0);
    EXPECT_EQ(e.evaluate(kpi_id::outbound_calls, team("T2").where(dimension::agent_id, "A2"), nov), 0.0);
    // All time (kind none) is every cell.
    EXPECT_EQ(e.evaluate(kpi_id::calls, {}, period{}), 8.0);
    // An agent nobody has seen: an empty window (counts 0, rates undefined), not an error.
    EXPECT_EQ(e.evaluate(kpi_id::calls, agent("nobody"), nov), 0.0);
    EXPECT_EQ(e.evaluate(kpi_id::connection_rate, agent("nobody"), nov), std::nullopt);
    // The month before holds nothing.
    EXPECT_EQ(e.evaluate(kpi_id::calls, {}, month("2026-10")), 0.0);
  }
}

TEST(EngineQuery, DailyCellsAnswerDaysWeeksMonthsQuartersYears) {
  const engine e = floor_engine(period_kind::day);
  // 11-02: c1, c2, c5, c6; 11-03: c3, c4; 11-04: c7, c8. ISO week 2026-W45 is 11-02..11-08.
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11-02")), 4.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11-03")), 2.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-W45")), 8.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-Q4")), 8.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026")), 8.0);
  const auto ps = e.periods();
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(label(ps[0]), "2026-11-02");
  EXPECT_EQ(label(ps[2]), "2026-11-04");
}

TEST(EngineQuery, CoarseCellsRefuseFinerOrMisalignedPeriods) {
  const engine e = floor_engine(period_kind::month);
  EXPECT_THROW((void)e.evaluate(kpi_id::calls, {}, parse_period("2026-11-02")), error);
  EXPECT_THROW((void)e.evaluate(kpi_id::calls, {}, parse_period("2026-W45")), error);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-Q4")), 8.0);
  try {
    (void)e.evaluate(kpi_id::calls, {}, period{period_kind::month, 5});  // not the 1st of a month
    FAIL();
  } catch (const error &x) {
    EXPECT_EQ(x.code(), errc::invalid_argument);
  }
}

TEST(EngineQuery, BadFiltersAndKpis) {
  const engine e = floor_engine(period_kind::month);
  const period nov = month("2026-11");
  auto code_of = [&](auto f) -> errc {
    try {
      f();
    } catch (const error &x) {
      return x.code();
    }
    return errc::ok;
  };
  EXPECT_EQ(
      code_of([&] { (void)e.evaluate(kpi_id::calls, group_filter{}.where(dimension::queue_id, "Q"), nov); }),
      errc::invalid_argument);
  EXPECT_EQ(
      code_of([&] { (void)e.evaluate(kpi_id::calls, agent("A1").where(dimension::agent_id, "A2"), nov); }),
      errc::invalid_argument);
  EXPECT_EQ(code_of([&] { (void)e.evaluate(kpi_id::opportunity_score, {}, nov); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { (void)e.evaluate(static_cast<kpi_id>(9999), {}, nov); }), errc::unknown_kpi);
  kpi_params bad;
  bad.service_level_threshold_s = -1;
  EXPECT_EQ(code_of([&] { (void)e.evaluate(kpi_id::service_level, {}, nov, bad); }), errc::invalid_argument);
}

TEST(EngineQuery, GroupsAreListedSorted) {
  const engine e = floor_engine(period_kind::month);
  const auto g = e.groups();
  ASSERT_EQ(g.size(), 4u);  // (T1,A1) (T1,A2) (T2,"") (T2,A3), sorted by team then agent
  EXPECT_EQ(g[0], (group_values{{dimension::team_id, "T1"}, {dimension::agent_id, "A1"}}));
  EXPECT_EQ(g[1], (group_values{{dimension::team_id, "T1"}, {dimension::agent_id, "A2"}}));
  EXPECT_EQ(g[2], (group_values{{dimension::team_id, "T2"}, {dimension::agent_id, ""}}));
  EXPECT_EQ(g[3], (group_values{{dimension::team_id, "T2"}, {dimension::agent_id, "A3"}}));
  EXPECT_EQ(e.cell_count(), 4u);
}

TEST(EngineQuery, PeriodBoundaryBelongsToTheNextPeriod) {
  engine_options o;
  o.period = period_kind::month;
  engine utc(o);
  utc.add(outbound("b1", "A1", "", "2026-11-30T23:59:59.999Z", 0, call_outcome::busy));
  utc.add(outbound("b2", "A1", "", "2026-12-01T00:00:00Z", 0, call_outcome::busy));  // [start, end): December
  EXPECT_EQ(utc.evaluate(kpi_id::calls, {}, month("2026-11")), 1.0);
  EXPECT_EQ(utc.evaluate(kpi_id::calls, {}, month("2026-12")), 1.0);
  // In Asia/Jakarta (UTC+7) 2026-11-30T17:00Z is already 2026-12-01T00:00 local.
  o.zone = time_zone::locate("Asia/Jakarta");
  engine jkt(o);
  jkt.add(outbound("j1", "A1", "", "2026-11-30T16:59:59Z", 0, call_outcome::busy));
  jkt.add(outbound("j2", "A1", "", "2026-11-30T17:00:00Z", 0, call_outcome::busy));
  EXPECT_EQ(jkt.evaluate(kpi_id::calls, {}, month("2026-11")), 1.0);
  EXPECT_EQ(jkt.evaluate(kpi_id::calls, {}, month("2026-12")), 1.0);
}

TEST(EngineQuery, DstDaysInNewYorkAndJakartaDays) {
  engine_options o;
  o.period = period_kind::day;
  o.zone = time_zone::locate("America/New_York");
  engine ny(o);
  // 2026-03-08 (clocks spring forward at 02:00 EST) lasts 23 h: [05:00Z, next day 04:00Z).
  const char *starts[] = {"2026-03-08T04:59:59Z",   // 2026-03-07 23:59:59 EST
                          "2026-03-08T05:00:00Z",   // 2026-03-08 00:00 EST
                          "2026-03-09T03:59:59Z",   // 2026-03-08 23:59:59 EDT
                          "2026-03-09T04:00:00Z",   // 2026-03-09 00:00 EDT
                          "2026-11-01T03:59:59Z",   // 2026-10-31 23:59:59 EDT
                          "2026-11-01T04:00:00Z",   // 2026-11-01 00:00 EDT (a 25-hour day)
                          "2026-11-02T04:59:59Z",   // 2026-11-01 23:59:59 EST
                          "2026-11-02T05:00:00Z"};  // 2026-11-02 00:00 EST
  int i = 0;
  for (const char *s : starts)
    ny.add(outbound("n" + std::to_string(i++), "A1", "", s, 0, call_outcome::busy));
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-03-07")), 1.0);
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-03-08")), 2.0);
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-03-09")), 1.0);
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-10-31")), 1.0);
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-11-01")), 2.0);
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-11-02")), 1.0);
  EXPECT_EQ(ny.evaluate(kpi_id::calls, {}, parse_period("2026-03")), 4.0);  // 1 + 2 + 1: days roll up
  // Jakarta: UTC+7 all year; 2026-11-23 is [2026-11-22T17:00Z, 2026-11-23T17:00Z).
  o.zone = time_zone::locate("Asia/Jakarta");
  engine jkt(o);
  jkt.add(outbound("j1", "A1", "", "2026-11-22T16:59:59Z", 0, call_outcome::busy));
  jkt.add(outbound("j2", "A1", "", "2026-11-22T17:00:00Z", 0, call_outcome::busy));
  jkt.add(outbound("j3", "A1", "", "2026-11-23T16:59:59Z", 0, call_outcome::busy));
  jkt.add(outbound("j4", "A1", "", "2026-11-23T17:00:00Z", 0, call_outcome::busy));
  EXPECT_EQ(jkt.evaluate(kpi_id::calls, {}, parse_period("2026-11-22")), 1.0);
  EXPECT_EQ(jkt.evaluate(kpi_id::calls, {}, parse_period("2026-11-23")), 2.0);
  EXPECT_EQ(jkt.evaluate(kpi_id::calls, {}, parse_period("2026-11-24")), 1.0);
}

TEST(EngineQuery, OrdersMoneyGrowthAndYearBefore) {
  engine_options o;
  o.group_by = {dimension::agent_id};
  o.period = period_kind::month;
  engine e(o);
  const currency idr = currency::of("IDR");
  // Minor units: IDR has exponent 2, so 85000000 = Rp850,000.00.
  EXPECT_TRUE(e.add(test::order("o1", "A1", "u1", "2026-11-05T10:00:00Z", {85'000'000, idr})));
  EXPECT_TRUE(e.add(test::order("o2", "A1", "u2", "2026-11-06T10:00:00Z", {15'000'000, idr})));
  EXPECT_TRUE(e.add(test::order("o3", "A2", "u1", "2026-10-06T10:00:00Z", {50'000'000, idr})));
  EXPECT_TRUE(e.add(test::order("o4", "A2", "u3", "2025-11-06T10:00:00Z", {25'000'000, idr})));
  const period nov = month("2026-11");
  // November: 850,000 + 150,000 = 1,000,000 over 2 orders: mean 500,000.
  EXPECT_EQ(e.evaluate(kpi_id::sales_revenue, {}, nov), 1'000'000.0);
  EXPECT_EQ(e.evaluate(kpi_id::avg_purchase_value, agent("A1"), nov), 500'000.0);
  EXPECT_EQ(e.evaluate(kpi_id::orders, agent("A2"), nov), 0.0);
  // Growth over October (500,000): (1,000,000 - 500,000) / 500,000 = 1; year over year against
  // 2025-11 (250,000): (1,000,000 - 250,000) / 250,000 = 3.
  EXPECT_EQ(e.evaluate(kpi_id::sales_growth, {}, nov), 1.0);
  kpi_params yoy;
  yoy.sales_growth_base = growth_base::year_before;
  EXPECT_EQ(e.evaluate(kpi_id::sales_growth, {}, nov, yoy), 3.0);
  // A second currency in the same cell is rejected, with the reason kept.
  EXPECT_FALSE(e.add(test::order("o5", "A1", "u2", "2026-11-07T10:00:00Z", {1000, currency::of("USD")})));
  EXPECT_EQ(e.counts().rejected, 1u);
  ASSERT_EQ(e.counts().reasons.size(), 1u);
  EXPECT_NE(e.counts().reasons[0].find("o5"), std::string::npos);
  EXPECT_NE(e.counts().reasons[0].find("USD"), std::string::npos);
}

TEST(EngineQuery, RatesConvertAtIngest) {
  engine_options o;
  o.period = period_kind::month;
  o.default_currency = currency::of("IDR");
  o.rates.emplace(currency::of("IDR"));
  o.rates->set(currency::of("USD"), "15800");
  engine e(o);
  // US$10.00 = 1000 cents x 15800 x 10^(2-2) = 15,800,000 sen = Rp158,000.00.
  EXPECT_TRUE(e.add(test::order("o1", "A1", "", "2026-11-05T10:00:00Z", {1000, currency::of("USD")})));
  EXPECT_TRUE(e.add(test::order("o2", "A1", "", "2026-11-05T11:00:00Z", {2'000'000, currency::of("IDR")})));
  // An amount without currency (XXX) takes the default currency: 42.00 IDR.
  EXPECT_TRUE(e.add(test::order("o3", "A1", "", "2026-11-05T12:00:00Z", {4200, currency{}})));
  EXPECT_EQ(e.evaluate(kpi_id::sales_revenue, {}, month("2026-11")), 158'000.0 + 20'000.0 + 42.0);
  EXPECT_FALSE(e.add(test::order("o4", "A1", "", "2026-11-05T12:00:00Z", {1, currency::of("EUR")})));
  EXPECT_EQ(e.counts().rejected, 1u);
}

TEST(EngineQuery, OpportunitiesLandInCreatedAndClosedPeriods) {
  engine_options o;
  o.period = period_kind::month;
  engine e(o);
  const currency usd = currency::of("USD");
  opportunity_record a;
  a.opportunity_id = "p1";
  a.created = at("2026-10-10T00:00:00Z");
  a.closed = at("2026-11-05T00:00:00Z");
  a.status = opportunity_status::won;
  a.amount = {100'000, usd};
  opportunity_record b;
  b.opportunity_id = "p2";
  b.created = at("2026-11-02T00:00:00Z");
  b.amount = {50'000, usd};
  EXPECT_TRUE(e.add(a));
  EXPECT_TRUE(e.add(b));
  // October: p1 created, still open at the end of October.
  EXPECT_EQ(e.evaluate(kpi_id::new_opportunities, {}, month("2026-10")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::open_opportunities, {}, month("2026-10")), 1.0);
  // November: p2 created; p1 won (win rate 1/1); open at the end: p2 only, $500.00.
  EXPECT_EQ(e.evaluate(kpi_id::new_opportunities, {}, month("2026-11")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::win_rate, {}, month("2026-11")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::open_opportunities, {}, month("2026-11")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::pipeline_value, {}, month("2026-11")), 500.0);
  // Won 2026-10-10 -> 2026-11-05: 26 days of sales cycle.
  EXPECT_EQ(e.evaluate(kpi_id::avg_sales_cycle_days, {}, month("2026-11")), 26.0);
}

TEST(EngineQuery, CustomersAndProratedSpend) {
  engine_options o;
  o.group_by = {dimension::campaign_id};
  o.period = period_kind::month;
  engine e(o);
  auto customer = [](const char *id, const char *acq, const char *churn) {
    customer_record c;
    c.customer_id = id;
    c.campaign_id = "K1";
    c.acquired = at(acq);
    if (churn) c.churned = at(churn);
    return c;
  };
  EXPECT_TRUE(e.add(customer("u1", "2026-09-15T00:00:00Z", "2026-11-10T00:00:00Z")));
  EXPECT_TRUE(e.add(customer("u2", "2026-10-01T00:00:00Z", nullptr)));
  EXPECT_TRUE(e.add(customer("u3", "2026-11-03T00:00:00Z", nullptr)));
  const period nov = month("2026-11");
  // At the start of November: u1, u2 (2); lost in November: u1 (1); churn 1/2; at the end 2 + 1 - 1 = 2.
  EXPECT_EQ(e.evaluate(kpi_id::customers_at_start, {}, nov), 2.0);
  EXPECT_EQ(e.evaluate(kpi_id::customers_lost, {}, nov), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::churn_rate, {}, nov), 0.5);
  EXPECT_EQ(e.evaluate(kpi_id::customers_at_end, {}, nov), 2.0);
  // Spend $3000.00 over [11-01, 01-01) = 61 days: November gets floor(300000 x 30/61) = 147540 cents
  // ($1475.40), December the rest, 152460 cents. Two leads in November: cost per lead $737.70.
  spend_record s;
  s.campaign_id = "K1";
  s.start = at("2026-11-01T00:00:00Z");
  s.end = at("2027-01-01T00:00:00Z");
  s.amount = {300'000, currency::of("USD")};
  EXPECT_TRUE(e.add(s));
  for (const char *id : {"l1", "l2"}) {
    lead_record l;
    l.lead_id = id;
    l.campaign_id = "K1";
    l.created = at("2026-11-20T00:00:00Z");
    EXPECT_TRUE(e.add(l));
  }
  EXPECT_EQ(e.evaluate(kpi_id::cost_per_lead, {}, nov), 737.70);
  EXPECT_EQ(e.evaluate(kpi_id::cost_per_lead, group_filter{}.where(dimension::campaign_id, "K1"), nov),
            737.70);
  EXPECT_EQ(e.evaluate(kpi_id::leads, {}, month("2026-12")), 0.0);
  EXPECT_EQ(e.evaluate(kpi_id::cost_per_lead, {}, month("2026-12")), std::nullopt);
}

TEST(EngineQuery, ChurnFromOrdersAcrossAgentsAndDays) {
  engine_options o;
  o.group_by = {dimension::agent_id};
  o.period = period_kind::day;
  o.track_order_activity = true;  // resolution 1 day
  engine e(o);
  const currency idr = currency::of("IDR");
  int n = 0;
  auto buy = [&](const char *agent, const char *customer, const char *time) {
    EXPECT_TRUE(e.add(test::order("o" + std::to_string(++n), agent, customer, time, {100, idr})));
  };
  // N = 14 days; November: s − N = 10-18, e − N = 11-17.
  buy("A1", "u1", "2026-10-20T00:00:00Z");  // u1: 10-20, 11-05 (16-day gap: inactive 11-03..11-05), 11-12
  buy("A2", "u1", "2026-11-05T00:00:00Z");
  buy("A1", "u1", "2026-11-12T00:00:00Z");
  buy("A2", "u2", "2026-10-25T00:00:00Z");  // u2: gaps 9, 12, 13 days across both agents: never inactive,
  buy("A1", "u2", "2026-11-03T00:00:00Z");  // though A1 alone sees a 25-day gap (11-03 to 11-28)
  buy("A2", "u2", "2026-11-15T00:00:00Z");
  buy("A1", "u2", "2026-11-28T00:00:00Z");
  buy("A1", "u3", "2026-11-10T00:00:00Z");  // u3: new on 11-10, inactive from 11-24
  buy("A2", "u4", "2026-10-18T00:00:00Z");  // u4: exactly N before the start: at start, lost at 11-01
  kpi_params p;
  p.churn_inactivity_days = 14;
  const period nov = month("2026-11");
  // All agents: at start u1, u2, u4 (3); lost u1, u4 (2); at end u2 (1); churn 2/3; retention 1 − 2/3.
  EXPECT_EQ(e.evaluate(kpi_id::customers_at_start, {}, nov, p), 3.0);
  EXPECT_EQ(e.evaluate(kpi_id::customers_lost, {}, nov, p), 2.0);
  EXPECT_EQ(e.evaluate(kpi_id::customers_at_end, {}, nov, p), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::churn_rate, {}, nov, p), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*e.evaluate(kpi_id::retention_rate, {}, nov, p), 1.0 / 3.0);
  // A1 alone: u1 at start (10-20), lost (next A1 order 11-12, 23 days later); u2 starts 11-03, lapses
  // 11-17..11-28, at end; u3 new. At start 1, lost 1, at end 1 (u2).
  EXPECT_EQ(e.evaluate(kpi_id::customers_at_start, agent("A1"), nov, p), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::churn_rate, agent("A1"), nov, p), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::customers_at_end, agent("A1"), nov, p), 1.0);
  // The report path gives the same values.
  report_request req;
  req.kpis = {kpi_id::customers_at_start, kpi_id::customers_lost, kpi_id::churn_rate};
  req.period = period_kind::month;
  req.from = nov;
  req.to = nov;
  req.params = p;
  const report r = e.make_report(req);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].values, (std::vector<value>{3.0, 2.0, 2.0 / 3.0}));
  // An inactivity period below the 1-day resolution cannot be answered.
  p.churn_inactivity_days = 0.5;
  EXPECT_THROW((void)e.evaluate(kpi_id::churn_rate, {}, nov, p), error);
  // Without order activity tracking the order-derived churn is undefined, not 0.
  engine_options plain = o;
  plain.track_order_activity = false;
  engine q(plain);
  q.add(test::order("x1", "A1", "u1", "2026-10-20T00:00:00Z", {100, idr}));
  p.churn_inactivity_days = 14;
  EXPECT_EQ(q.evaluate(kpi_id::churn_rate, {}, nov, p), std::nullopt);
  EXPECT_EQ(q.evaluate(kpi_id::customers_at_start, {}, nov, p), std::nullopt);
  // Options are checked.
  engine_options bad = o;
  bad.order_activity_resolution_days = -1;
  EXPECT_THROW(engine{bad}, error);
}

TEST(EngineQuery, ArpuIsTimeWeightedAndControlGroupBaseline) {
  engine_options o;
  o.period = period_kind::day;
  engine e(o);
  const currency idr = currency::of("IDR");
  auto customer = [&](const char *id, const char *acq, const char *churn) {
    customer_record c;
    c.customer_id = id;
    c.acquired = at(acq);
    if (churn) c.churned = at(churn);
    EXPECT_TRUE(e.add(c));
  };
  customer("u1", "2026-10-15T00:00:00Z", nullptr);                 // active all 30 days of November
  customer("u2", "2026-11-16T00:00:00Z", nullptr);                 // 15 days
  customer("u3", "2026-09-01T00:00:00Z", "2026-11-11T00:00:00Z");  // 10 days
  e.add(test::order("o1", "A1", "u1", "2026-11-20T00:00:00Z", {110'000, idr}));  // Rp1,100.00
  const period nov = month("2026-11");
  // Mean active = (30 + 15 + 10) / 30 = 55/30 customers; ARPU 1,100 × 30 / 55 = 600.
  EXPECT_DOUBLE_EQ(*e.evaluate(kpi_id::arpu, {}, nov), 600.0);
  // The day 11-16 (u3 churned on 11-11): u1 all day and u2 from 00:00, mean 2; no revenue: 0.
  EXPECT_EQ(e.evaluate(kpi_id::arpu, {}, parse_period("2026-11-16")), 0.0);
  // December: u1 and u2 all month, no orders: ARPU 0. October (u3 all 31 days, u1 from 10-15: 17 days):
  // no orders either.
  EXPECT_EQ(e.evaluate(kpi_id::arpu, {}, month("2026-12")), 0.0);
  // A control group: 40 customers spent Rp200.00 while the 100 treated spent Rp1,100.00: baseline 500,
  // incremental 600, lift 1.2.
  kpi_params p;
  p.control_revenue = 200.0;
  p.control_size = 40;
  p.treated_size = 100;
  EXPECT_DOUBLE_EQ(*e.evaluate(kpi_id::incremental_sales, {}, nov, p), 600.0);
  EXPECT_DOUBLE_EQ(*e.evaluate(kpi_id::campaign_lift, {}, nov, p), 1.2);
  // Without a control group, the previous period (October, no revenue) is the baseline: lift undefined.
  EXPECT_EQ(e.evaluate(kpi_id::incremental_sales, {}, nov), 1100.0);
  EXPECT_EQ(e.evaluate(kpi_id::campaign_lift, {}, nov), std::nullopt);
}

TEST(EngineQuery, NewCustomersFollowTheFirstOrderEvenWhenLate) {
  engine_options o;
  o.group_by = {dimension::agent_id};
  o.period = period_kind::month;
  o.track_first_orders = true;
  engine e(o);
  const currency idr = currency::of("IDR");
  e.add(test::order("o1", "A1", "u1", "2026-11-05T10:00:00Z", {100, idr}));
  e.add(test::order("o2", "A1", "u2", "2026-11-06T10:00:00Z", {100, idr}));
  EXPECT_EQ(e.evaluate(kpi_id::new_customers, {}, month("2026-11")), 2.0);
  // A late order of u1 in October (by A2) moves u1's first order there.
  e.add(test::order("o3", "A2", "u1", "2026-10-20T10:00:00Z", {100, idr}));
  EXPECT_EQ(e.evaluate(kpi_id::new_customers, {}, month("2026-11")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::new_customers, agent("A2"), month("2026-10")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::new_customers, agent("A1"), month("2026-11")), 1.0);
  EXPECT_EQ(e.counts().late, 1u);
  // Without tracking new_customers is undefined.
  engine_options plain = o;
  plain.track_first_orders = false;
  engine p(plain);
  p.add(test::order("o1", "A1", "u1", "2026-11-05T10:00:00Z", {100, idr}));
  EXPECT_EQ(p.evaluate(kpi_id::new_customers, {}, month("2026-11")), std::nullopt);
}

TEST(EngineQuery, ReportRowsAndJson) {
  engine e = floor_engine(period_kind::day);
  report_request req;
  req.kpis = {kpi_id::connection_rate, kpi_id::abandon_rate};
  req.group_by = {dimension::agent_id};
  req.period = period_kind::month;
  const report r = e.make_report(req);
  // One month; agents "", A1, A2, A3 (sorted), then the overall row.
  ASSERT_EQ(r.rows.size(), 5u);
  EXPECT_EQ(r.rows[0].group, (group_values{{dimension::agent_id, ""}}));
  EXPECT_EQ(r.rows[1].group, (group_values{{dimension::agent_id, "A1"}}));
  EXPECT_TRUE(r.rows[4].group.empty());
  EXPECT_EQ(label(r.rows[1].period), "2026-11");
  EXPECT_EQ(r.rows[1].values[0], 0.5);           // A1 connection rate 2/4
  EXPECT_EQ(r.rows[1].values[1], std::nullopt);  // A1 has no inbound calls
  EXPECT_EQ(r.rows[0].values[1], 1.0);           // the unanswered abandon: 1/1
  EXPECT_EQ(r.rows[4].values[0], 0.5);           // all: 3 connected / 6 outbound
  EXPECT_EQ(r.rows[4].values[1], 0.5);           // all: 1 abandoned / 2 offered
  const auto j = nlohmann::json::parse(to_json(r));
  EXPECT_EQ(j["rows"][1]["group"]["agent_id"], "A1");
  EXPECT_EQ(j["rows"][1]["period"], "2026-11");
  EXPECT_EQ(j["rows"][1]["kpis"]["connection_rate"], 0.5);
  EXPECT_TRUE(j["rows"][1]["kpis"]["abandon_rate"].is_null());
  EXPECT_TRUE(j["rows"][4]["group"].empty());
  EXPECT_EQ(j["counts"]["read"], 8);
  // Daily rows over 11-02..11-04, overall only: three rows, every day present.
  report_request daily;
  daily.kpis = {kpi_id::calls};
  const report d = e.make_report(daily);
  ASSERT_EQ(d.rows.size(), 3u);
  EXPECT_EQ(d.rows[0].values[0], 4.0);
  EXPECT_EQ(d.rows[1].values[0], 2.0);
  EXPECT_EQ(d.rows[2].values[0], 2.0);
  // An explicit range adds empty periods: 11-01..11-05.
  daily.from = parse_period("2026-11-01");
  daily.to = parse_period("2026-11-05");
  const report d2 = e.make_report(daily);
  ASSERT_EQ(d2.rows.size(), 5u);
  EXPECT_EQ(d2.rows[0].values[0], 0.0);
  EXPECT_EQ(d2.rows[4].values[0], 0.0);
  // The report agrees with evaluate() for every windowed KPI, row by row.
  report_request all;
  all.group_by = {dimension::team_id};
  const report full = e.make_report(all);
  for (const report_row &row : full.rows) {
    group_filter f;
    for (const auto &[d, v] : row.group) f.where(d, v);
    for (std::size_t k = 0; k < full.kpis.size(); ++k)
      EXPECT_EQ(row.values[k], e.evaluate(full.kpis[k], f, row.period)) << label(row.period);
  }
}

}  // namespace
}  // namespace kpi

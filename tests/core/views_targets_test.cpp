// Tests of kpi/views/targets.hpp: attainment, prorating, run rate and status. Every expected number is
// worked out by hand in the comment next to it.
#include "kpi/views/targets.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using kpi::target_op;
using kpi::views::evaluate_target;
using kpi::views::target_spec;
using kpi::views::target_status;

target_spec at_least(double v, bool additive) {
  return target_spec{target_op::at_least, v, std::nullopt, additive};
}
target_spec at_most(double v, bool additive) {
  return target_spec{target_op::at_most, v, std::nullopt, additive};
}
target_spec between(double lo, double hi, bool additive) {
  return target_spec{target_op::between, lo, hi, additive};
}

TEST(Targets, ExactlyMetAtLeastTargetIsMet) {
  // 80 outbound calls a day against ">= 80", the day is over: met, attainment 80 / 80 = 1.
  const auto e = evaluate_target(at_least(80, true), 80.0, 1.0);
  ASSERT_TRUE(e.status.has_value());
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_DOUBLE_EQ(*e.attainment, 1.0);
  EXPECT_DOUBLE_EQ(*e.projection, 80.0);  // 80 / 1
  EXPECT_DOUBLE_EQ(e.prorated_target, 80.0);
}

TEST(Targets, ExactlyMetAtMostAndRateTargetsAreMet) {
  // abandon_rate 0.05 against "<= 0.05": met, attainment 0.05 / 0.05 = 1.
  const auto e = evaluate_target(at_most(0.05, false), 0.05, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_DOUBLE_EQ(*e.attainment, 1.0);
  EXPECT_FALSE(e.projection.has_value());  // rates are not projected
  // connection_rate 0.60 against ">= 0.60": met.
  EXPECT_EQ(*evaluate_target(at_least(0.6, false), 0.6, 1.0).status, target_status::met);
}

TEST(Targets, JustShortIsMissed) {
  // 79 calls against ">= 80" at the end of the day: missed, attainment 79 / 80 = 0.9875.
  const auto e = evaluate_target(at_least(80, true), 79.0, 1.0);
  EXPECT_EQ(*e.status, target_status::missed);
  EXPECT_DOUBLE_EQ(*e.attainment, 0.9875);
  // 0.0501 against "<= 0.05": missed, attainment 0.05 / 0.0501.
  const auto r = evaluate_target(at_most(0.05, false), 0.0501, 1.0);
  EXPECT_EQ(*r.status, target_status::missed);
  EXPECT_DOUBLE_EQ(*r.attainment, 0.05 / 0.0501);
}

TEST(Targets, TalkTimeBetweenBoundsIsInclusive) {
  // avg_talk_time_s against 240-360 s (a mean: not additive), period over.
  const auto spec = between(240, 360, false);
  auto e = evaluate_target(spec, 240.0, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_DOUBLE_EQ(*e.attainment, 1.0);
  e = evaluate_target(spec, 360.0, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_DOUBLE_EQ(*e.attainment, 1.0);
  e = evaluate_target(spec, 300.0, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_DOUBLE_EQ(*e.attainment, 1.0);
  // Below: 200 / 240 = 0.8333...
  e = evaluate_target(spec, 200.0, 1.0);
  EXPECT_EQ(*e.status, target_status::missed);
  EXPECT_DOUBLE_EQ(*e.attainment, 200.0 / 240.0);
  // Above: 360 / 400 = 0.9.
  e = evaluate_target(spec, 400.0, 1.0);
  EXPECT_EQ(*e.status, target_status::missed);
  EXPECT_DOUBLE_EQ(*e.attainment, 0.9);
  EXPECT_DOUBLE_EQ(e.prorated_target, 240.0);
  EXPECT_DOUBLE_EQ(*e.prorated_target2, 360.0);
}

TEST(Targets, MonthToDateProratedTargetAndRunRate) {
  // sales_revenue ">= 30,000,000" for a 30-day month, 15 days elapsed (progress 0.5):
  // prorated target 30e6 x 0.5 = 15e6. Actual 12e6: projection 12e6 / 0.5 = 24e6 < 30e6: at_risk;
  // attainment 12e6 / 30e6 = 0.4.
  const auto spec = at_least(30'000'000, true);
  auto e = evaluate_target(spec, 12'000'000.0, 0.5);
  EXPECT_DOUBLE_EQ(e.prorated_target, 15'000'000.0);
  EXPECT_DOUBLE_EQ(*e.projection, 24'000'000.0);
  EXPECT_DOUBLE_EQ(*e.attainment, 0.4);
  EXPECT_EQ(*e.status, target_status::at_risk);
  // Actual 16e6: projection 32e6 >= 30e6: on_track.
  e = evaluate_target(spec, 16'000'000.0, 0.5);
  EXPECT_DOUBLE_EQ(*e.projection, 32'000'000.0);
  EXPECT_EQ(*e.status, target_status::on_track);
  // Actual 15e6 exactly: projection 30e6 exactly meets: on_track.
  EXPECT_EQ(*evaluate_target(spec, 15'000'000.0, 0.5).status, target_status::on_track);
}

TEST(Targets, AdditiveAtLeastReachedEarlyIsMet) {
  // 85 calls by 40 % of the day against ">= 80": a count cannot go down, so already met.
  EXPECT_EQ(*evaluate_target(at_least(80, true), 85.0, 0.4).status, target_status::met);
  // Exactly 80 early: met as well.
  EXPECT_EQ(*evaluate_target(at_least(80, true), 80.0, 0.4).status, target_status::met);
}

TEST(Targets, AdditiveAtMostExceededEarlyIsMissed) {
  // abandoned_calls "<= 50", half the period gone.
  const auto spec = at_most(50, true);
  EXPECT_EQ(*evaluate_target(spec, 51.0, 0.5).status, target_status::missed);  // 51 > 50 already
  // 30: projection 60 > 50: at_risk.
  auto e = evaluate_target(spec, 30.0, 0.5);
  EXPECT_DOUBLE_EQ(*e.projection, 60.0);
  EXPECT_EQ(*e.status, target_status::at_risk);
  // 20: projection 40 <= 50: on_track; prorated target 25.
  e = evaluate_target(spec, 20.0, 0.5);
  EXPECT_EQ(*e.status, target_status::on_track);
  EXPECT_DOUBLE_EQ(e.prorated_target, 25.0);
  // attainment of "<=": 50 / 20 = 2.5.
  EXPECT_DOUBLE_EQ(*e.attainment, 2.5);
}

TEST(Targets, AdditiveBetweenOpenPeriod) {
  // talk_time_total_s between 1000 and 2000 over a period 1/4 gone.
  const auto spec = between(1000, 2000, true);
  // 300: projection 1200 inside: on_track; prorated bounds 250 and 500.
  auto e = evaluate_target(spec, 300.0, 0.25);
  EXPECT_EQ(*e.status, target_status::on_track);
  EXPECT_DOUBLE_EQ(e.prorated_target, 250.0);
  EXPECT_DOUBLE_EQ(*e.prorated_target2, 500.0);
  // 200: projection 800 < 1000: at_risk. 600: projection 2400 > 2000: at_risk. 2001: missed.
  EXPECT_EQ(*evaluate_target(spec, 200.0, 0.25).status, target_status::at_risk);
  EXPECT_EQ(*evaluate_target(spec, 600.0, 0.25).status, target_status::at_risk);
  EXPECT_EQ(*evaluate_target(spec, 2001.0, 0.25).status, target_status::missed);
  // 1500 is inside already but could still overshoot: projection 6000: at_risk, not met.
  EXPECT_EQ(*evaluate_target(spec, 1500.0, 0.25).status, target_status::at_risk);
}

TEST(Targets, RatesAreNeitherProratedNorProjected) {
  // connection_rate ">= 0.60" mid-month: prorated target stays 0.60; no projection.
  const auto spec = at_least(0.6, false);
  auto e = evaluate_target(spec, 0.55, 0.5);
  EXPECT_DOUBLE_EQ(e.prorated_target, 0.6);
  EXPECT_FALSE(e.projection.has_value());
  EXPECT_EQ(*e.status, target_status::at_risk);  // the current value misses
  e = evaluate_target(spec, 0.65, 0.5);
  EXPECT_EQ(*e.status, target_status::on_track);  // holds now, but a rate can still fall: not met
  // Talk time 240-360 mid-period: 380 is at_risk, not missed (a mean can come back).
  EXPECT_EQ(*evaluate_target(between(240, 360, false), 380.0, 0.5).status, target_status::at_risk);
}

TEST(Targets, UndefinedActualHasNoStatus) {
  // No calls yet: connection_rate is undefined; undefined is not a miss.
  const auto e = evaluate_target(at_least(0.6, false), std::nullopt, 1.0);
  EXPECT_FALSE(e.status.has_value());
  EXPECT_FALSE(e.attainment.has_value());
  EXPECT_FALSE(e.projection.has_value());
  EXPECT_DOUBLE_EQ(e.prorated_target, 0.6);
}

TEST(Targets, AttainmentEdges) {
  // "<=" with an actual of 0 (no abandons): met, but value / 0 has no finite ratio.
  auto e = evaluate_target(at_most(0.05, false), 0.0, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_FALSE(e.attainment.has_value());
  // ">= 0": met by 0; actual / 0 undefined.
  e = evaluate_target(at_least(0, true), 0.0, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_FALSE(e.attainment.has_value());
  // Negative bound (sales_growth >= -0.05): attainment undefined, status by the comparison.
  e = evaluate_target(at_least(-0.05, false), -0.02, 1.0);
  EXPECT_EQ(*e.status, target_status::met);
  EXPECT_FALSE(e.attainment.has_value());
  // Progress 0: nothing to project; 0 of ">= 100" is on_track, prorated target 100 x 0 = 0.
  e = evaluate_target(at_least(100, true), 0.0, 0.0);
  EXPECT_FALSE(e.projection.has_value());
  EXPECT_DOUBLE_EQ(e.prorated_target, 0.0);
  EXPECT_EQ(*e.status, target_status::on_track);
}

TEST(Targets, InvalidArgumentsAreRejected) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  using kpi::errc;
  EXPECT_EQ(code_of([&] { evaluate_target(at_least(1, true), 1.0, 1.5); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { evaluate_target(at_least(1, true), 1.0, -0.1); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { evaluate_target(at_least(1, true), 1.0, nan); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { evaluate_target(at_least(1, true), inf, 1.0); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { evaluate_target(at_least(nan, true), 1.0, 1.0); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] {
              evaluate_target(target_spec{target_op::between, 1, std::nullopt, false}, 1.0, 1.0);
            }),
            errc::invalid_argument);
  EXPECT_EQ(code_of([&] { evaluate_target(between(5, 4, false), 1.0, 1.0); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] {
              evaluate_target(target_spec{target_op::at_least, 1, 2.0, false}, 1.0, 1.0);
            }),
            errc::invalid_argument);
  EXPECT_EQ(code_of([&] {
              evaluate_target(target_spec{static_cast<target_op>(7), 1, std::nullopt, false}, 1.0, 1.0);
            }),
            errc::invalid_argument);
  try {
    evaluate_target(at_least(1, true), 1.0, 1.5);
  } catch (const kpi::error &e) {
    EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos) << e.what();
  }
}

TEST(Targets, StatusNames) {
  EXPECT_STREQ(kpi::views::to_string(target_status::met), "met");
  EXPECT_STREQ(kpi::views::to_string(target_status::on_track), "on_track");
  EXPECT_STREQ(kpi::views::to_string(target_status::at_risk), "at_risk");
  EXPECT_STREQ(kpi::views::to_string(target_status::missed), "missed");
}

TEST(Targets, PeriodProgress) {
  using kpi::parse_timestamp;
  const auto nov = kpi::parse_period("2026-11");  // 30 days
  const auto utc = kpi::time_zone::utc();
  // 2026-11-16T00:00Z: 15 of 30 days gone = 0.5.
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, utc, parse_timestamp("2026-11-16T00:00:00Z")), 0.5);
  // 2026-11-04T12:00Z: 3.5 / 30.
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, utc, parse_timestamp("2026-11-04T12:00:00Z")), 3.5 / 30);
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, utc, parse_timestamp("2026-10-20T00:00:00Z")), 0.0);
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, utc, parse_timestamp("2026-12-01T00:00:00Z")), 1.0);
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, utc, parse_timestamp("2027-03-01T00:00:00Z")), 1.0);
  // Cut in Asia/Jakarta (UTC+7, no DST): the month starts 2026-10-31T17:00Z; local midnight of the
  // 16th is again half of it.
  const auto jkt = kpi::time_zone::locate("Asia/Jakarta");
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, jkt, parse_timestamp("2026-11-16T00:00:00+07:00")), 0.5);
  // ... while 2026-11-16T00:00Z is 7 h later: (15 d + 7 h) / 30 d = 367 / 720.
  EXPECT_DOUBLE_EQ(kpi::views::period_progress(nov, jkt, parse_timestamp("2026-11-16T00:00:00Z")),
                   367.0 / 720.0);
  EXPECT_EQ(code_of([&] {
              kpi::views::period_progress(kpi::period{}, utc, parse_timestamp("2026-11-16T00:00:00Z"));
            }),
            kpi::errc::invalid_argument);
}

TEST(Targets, AdditiveKpis) {
  using kpi::kpi_id;
  using kpi::views::is_additive;
  EXPECT_TRUE(is_additive(kpi_id::calls));
  EXPECT_TRUE(is_additive(kpi_id::sales_revenue));
  EXPECT_TRUE(is_additive(kpi_id::talk_time_total_s));
  EXPECT_FALSE(is_additive(kpi_id::connection_rate));
  EXPECT_FALSE(is_additive(kpi_id::avg_talk_time_s));
  EXPECT_FALSE(is_additive(kpi_id::pipeline_value));  // a snapshot
  EXPECT_FALSE(is_additive(kpi_id::outbound_calls_per_agent_day));
  EXPECT_TRUE(is_additive("orders"));
  EXPECT_FALSE(is_additive("abandon_rate"));
  EXPECT_FALSE(is_additive("no_such_kpi"));
}

TEST(Targets, SpecOfRecord) {
  kpi::target_record r;
  r.kpi = "avg_talk_time_s";
  r.period = kpi::parse_period("2026-11");
  r.op = target_op::between;
  r.value = 240;
  r.value2 = 360;
  auto s = kpi::views::spec_of(r);
  EXPECT_EQ(s.op, target_op::between);
  EXPECT_DOUBLE_EQ(s.value, 240);
  EXPECT_DOUBLE_EQ(*s.value2, 360);
  EXPECT_FALSE(s.additive);
  r.kpi = "sales_revenue";
  r.op = target_op::at_least;
  r.value2.reset();
  EXPECT_TRUE(kpi::views::spec_of(r).additive);
  r.op = target_op::between;  // between without value2
  EXPECT_EQ(code_of([&] { kpi::views::spec_of(r); }), kpi::errc::invalid_argument);
}

TEST(TargetsTable, SetFindAndReplace) {
  kpi::views::target_table table;
  kpi::target_record r;
  r.kpi = "outbound_calls_per_agent_day";
  r.team_id = "north";
  r.period = kpi::parse_period("2026-11");
  r.value = 80;
  table.set(r);
  r.team_id = "south";
  r.value = 70;
  table.set(r);
  ASSERT_EQ(table.size(), 2u);
  const auto *north =
      table.find("outbound_calls_per_agent_day", "", "north", "", kpi::parse_period("2026-11"));
  ASSERT_NE(north, nullptr);
  EXPECT_DOUBLE_EQ(north->value, 80);
  EXPECT_EQ(table.find("outbound_calls_per_agent_day", "", "north", "", kpi::parse_period("2026-12")),
            nullptr);
  EXPECT_EQ(table.find("outbound_calls_per_agent_day", "a1", "north", "", kpi::parse_period("2026-11")),
            nullptr);
  // Setting the same key again replaces it in place.
  r.team_id = "north";
  r.value = 85;
  table.set(r);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_DOUBLE_EQ(table.records()[0].value, 85);
  // An invalid record is rejected.
  r.kpi.clear();
  EXPECT_EQ(code_of([&] { table.set(r); }), kpi::errc::invalid_argument);
}

TEST(TargetsTable, ReadsTheCanonicalCsv) {
  std::istringstream in(
      "kpi,agent_id,team_id,campaign_id,period,op,value,value2\n"
      "avg_talk_time_s,,,,2026-11,between,240,360\n"
      "connection_rate,a7,,,2026-W48,>=,0.6,\n"
      "abandon_rate,,,,2026-Q4,<=,0.05,\n");
  kpi::views::target_table table;
  table.read_csv(in, "targets.csv");
  ASSERT_EQ(table.size(), 3u);
  const auto *talk = table.find("avg_talk_time_s", "", "", "", kpi::parse_period("2026-11"));
  ASSERT_NE(talk, nullptr);
  EXPECT_EQ(talk->op, target_op::between);
  EXPECT_DOUBLE_EQ(*talk->value2, 360);
  const auto *conn = table.find("connection_rate", "a7", "", "", kpi::parse_period("2026-W48"));
  ASSERT_NE(conn, nullptr);
  EXPECT_DOUBLE_EQ(conn->value, 0.6);
  // The talk-time target for a mean of 300 s at the end of the month: met.
  EXPECT_EQ(*evaluate_target(kpi::views::spec_of(*talk), 300.0, 1.0).status, target_status::met);
}

TEST(TargetsTable, DuplicateRowsAndBadRowsLeaveTheTableUnchanged) {
  kpi::views::target_table table;
  std::istringstream dup(
      "kpi,period,op,value\n"
      "orders,2026-11,>=,100\n"
      "orders,2026-11,>=,120\n");
  try {
    table.read_csv(dup, "dup.csv");
    FAIL() << "a duplicated key must be rejected";
  } catch (const kpi::error &e) {
    EXPECT_EQ(e.code(), kpi::errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("dup.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("orders"), std::string::npos) << e.what();
  }
  EXPECT_EQ(table.size(), 0u);
  std::istringstream bad(
      "kpi,period,op,value\n"
      "orders,2026-11,=>,100\n");
  EXPECT_THROW(table.read_csv(bad, "bad.csv"), kpi::parse_error);
  EXPECT_EQ(table.size(), 0u);
  // A file may restate a key that the API set before: the file's row replaces it.
  kpi::target_record r;
  r.kpi = "orders";
  r.period = kpi::parse_period("2026-11");
  r.value = 90;
  table.set(r);
  std::istringstream ok("kpi,period,op,value\norders,2026-11,>=,100\n");
  table.read_csv(ok, "ok.csv");
  ASSERT_EQ(table.size(), 1u);
  EXPECT_DOUBLE_EQ(table.records()[0].value, 100);
}

}  // namespace

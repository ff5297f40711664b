// Customer summaries from transactions, and the readers.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/models/summary.hpp"
#include "test_util.hpp"

namespace m = kpi::models;

namespace {

const std::string kCdnow = std::string(KPI_SHARED_DATA_DIR) + "/cdnow/";
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kCalibrationEnd = 875577600000;  // 1997-09-30T00:00:00Z = 10134 days * 86400 s

}  // namespace

// The published CDNOW summary (x, t_x, T, zbar in weeks, 39-week calibration ending 1997-09-30) is
// rebuilt from the raw sample transactions, customer by customer, to the 2 decimals it is printed with.
TEST(Summary, ReproducesCdnowSampleSummary) {
  std::ifstream raw(kCdnow + "CDNOW_sample.txt");
  std::ifstream published(kCdnow + "cdnow_customers_summary_with_transactions.csv");
  ASSERT_TRUE(raw && published);
  const auto tx = m::read_transactions(raw, "CDNOW_sample.txt");
  EXPECT_EQ(tx.size(), 6919u);
  m::summary_options o;
  o.unit = m::time_unit::week;
  o.calibration_end_ms = kCalibrationEnd;
  const auto ours = m::summarize(tx, o);
  const auto theirs = m::read_summary(published, "cdnow_customers_summary_with_transactions.csv");
  ASSERT_EQ(ours.size(), 2357u);
  ASSERT_EQ(theirs.size(), 2357u);
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(ours[i].x, theirs[i].x) << "customer " << theirs[i].id;
    EXPECT_NEAR(ours[i].t_x, theirs[i].t_x, 0.005 + 1e-9) << "customer " << theirs[i].id;
    EXPECT_NEAR(ours[i].T, theirs[i].T, 0.005 + 1e-9) << "customer " << theirs[i].id;
    EXPECT_NEAR(ours[i].zbar, theirs[i].zbar, 0.005 + 1e-9) << "customer " << theirs[i].id;
  }
  // Customer 1 (master id 00004): purchases on 1997-01-01, 01-18, 08-02 (and 12-12, after the
  // calibration). x = 2; t_x = 213 days = 30.43 weeks; T = 272 days = 38.86 weeks;
  // zbar = (29.73 + 14.96) / 2 = 22.345.
  EXPECT_EQ(ours[0].id, "00004");
  EXPECT_EQ(ours[0].x, 2);
  EXPECT_DOUBLE_EQ(ours[0].t_x, 213.0 / 7);
  EXPECT_DOUBLE_EQ(ours[0].T, 272.0 / 7);
  EXPECT_DOUBLE_EQ(ours[0].zbar, (29.73 + 14.96) / 2);
}

// The master file reads as given: 69,659 purchases by 23,570 customers, all first buying in Q1 1997.
TEST(Summary, ReadsCdnowMasterFile) {
  std::ifstream raw(kCdnow + "CDNOW_master.txt");
  ASSERT_TRUE(raw);
  const auto tx = m::read_transactions(raw, "CDNOW_master.txt");
  EXPECT_EQ(tx.size(), 69659u);
  EXPECT_EQ(tx[0].customer_id, "00001");
  EXPECT_EQ(tx[0].time_ms, 852076800000);  // 1997-01-01
  EXPECT_DOUBLE_EQ(tx[0].amount, 11.77);
  m::summary_options o;
  o.calibration_end_ms = kCalibrationEnd;
  const auto s = m::summarize(tx, o);
  EXPECT_EQ(s.size(), 23570u);
  for (const auto &c : s) EXPECT_GE(c.T, 26.0);  // first purchase by 1997-03-31: T >= 183 days
}

// Same-day purchases are one purchase worth their sum. Days 0 (10 + 5), 7 (20 + 4), 14 (6), 28 (99);
// calibration ends on day 21, in weeks: x = 2 (days 7 and 14), t_x = 14/7 = 2, T = 21/7 = 3,
// zbar = (24 + 6) / 2 = 15; the day-28 purchase is after the calibration.
TEST(Summary, SameDayPurchasesAreOne) {
  const std::vector<m::transaction> tx{{"a", 0, 10},          {"a", 3'600'000, 5},
                                       {"a", 7 * kDayMs, 20}, {"a", 7 * kDayMs + 1, 4},
                                       {"a", 14 * kDayMs, 6}, {"a", 28 * kDayMs, 99}};
  m::summary_options o;
  o.calibration_end_ms = 21 * kDayMs + 5;
  const auto s = m::summarize(tx, o);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].x, 2);
  EXPECT_DOUBLE_EQ(s[0].t_x, 2.0);
  EXPECT_DOUBLE_EQ(s[0].T, 3.0);
  EXPECT_DOUBLE_EQ(s[0].zbar, 15.0);
  // In days: t_x = 14, T = 21.
  o.unit = m::time_unit::day;
  const auto d = m::summarize(tx, o);
  EXPECT_DOUBLE_EQ(d[0].t_x, 14.0);
  EXPECT_DOUBLE_EQ(d[0].T, 21.0);
}

// Customers in order of first appearance; a customer whose first purchase is after the calibration is
// left out; a single purchase gives x = 0, t_x = 0, zbar = 0. Without a calibration end, the last
// transaction's day ends it (day 10 here).
TEST(Summary, CalibrationBoundaryAndDefaults) {
  const std::vector<m::transaction> tx{
      {"b", 2 * kDayMs, 7}, {"a", 0, 3}, {"c", 10 * kDayMs, 1}, {"b", 4 * kDayMs, 8}};
  m::summary_options o;
  o.unit = m::time_unit::day;
  o.calibration_end_ms = 5 * kDayMs;
  const auto s = m::summarize(tx, o);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].id, "b");  // b: days 2 and 4; T = 5 - 2 = 3
  EXPECT_EQ(s[0].x, 1);
  EXPECT_DOUBLE_EQ(s[0].t_x, 2.0);
  EXPECT_DOUBLE_EQ(s[0].T, 3.0);
  EXPECT_DOUBLE_EQ(s[0].zbar, 8.0);
  EXPECT_EQ(s[1].id, "a");  // a: day 0 only; T = 5
  EXPECT_EQ(s[1].x, 0);
  EXPECT_EQ(s[1].t_x, 0);
  EXPECT_DOUBLE_EQ(s[1].T, 5.0);
  EXPECT_EQ(s[1].zbar, 0);
  o.calibration_end_ms.reset();
  const auto all = m::summarize(tx, o);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_DOUBLE_EQ(all[1].T, 10.0);
  EXPECT_DOUBLE_EQ(all[2].T, 0.0);  // c bought on the last day
}

// Purchases at 2026-11-23T20:00Z and 2026-11-24T02:00Z are two UTC days (x = 1) but one day in
// Asia/Jakarta (UTC+7: 03:00 and 09:00 on the 24th, x = 0).
TEST(Summary, TimeZoneDecidesTheDay) {
  const std::int64_t first = 1795464000000;  // 2026-11-23T20:00:00Z
  const std::vector<m::transaction> tx{{"a", first, 1}, {"a", first + 6 * 3'600'000, 2}};
  m::summary_options o;
  o.unit = m::time_unit::day;
  EXPECT_EQ(m::summarize(tx, o)[0].x, 1);
  o.time_zone = "Asia/Jakarta";
  EXPECT_EQ(m::summarize(tx, o)[0].x, 0);
  o.time_zone = "Mars/Olympus_Mons";
  EXPECT_EQ(code_of([&] { m::summarize(tx, o); }), kpi::errc::not_found);
}

TEST(Summary, RejectsInvalidTransactions) {
  const std::vector<m::transaction> no_id{{"", 0, 1}};
  EXPECT_EQ(code_of([&] { m::summarize(no_id); }), kpi::errc::invalid_argument);
  const std::vector<m::transaction> nan_amount{{"a", 0, NAN}};
  EXPECT_EQ(code_of([&] { m::summarize(nan_amount); }), kpi::errc::invalid_argument);
  EXPECT_TRUE(m::summarize(std::vector<m::transaction>{}).empty());
}

// CSV: columns by name in any order (the canonical order CSV), every documented time form.
// 2026-11-23T09:15:00+07:00 = 02:15Z; 1795392000 s = 2026-11-23T00:00:00Z.
TEST(ReadTransactions, CsvColumnsByNameAndTimeForms) {
  std::istringstream in(
      "order_id,amount,time,customer_id,currency\n"
      "o1,850000,2026-11-23T09:15:00+07:00,c1,IDR\n"
      "o2,12.50,2026-11-23,\"c,2\",IDR\n"
      "o3,1,20261123,c3,IDR\n"
      "o4,2,1795392000,c4,IDR\n"
      "o5,3,2026-11-23T02:15:00.250Z,c5,IDR\n"
      "\n"
      "o6,4,2026-11-23 09:15+0700,c6,IDR\n");
  const auto tx = m::read_transactions(in, "orders.csv");
  ASSERT_EQ(tx.size(), 6u);
  const std::int64_t midnight = 1795392000000;
  EXPECT_EQ(tx[0].customer_id, "c1");
  EXPECT_EQ(tx[0].time_ms, midnight + 8'100'000);  // 02:15Z
  EXPECT_DOUBLE_EQ(tx[0].amount, 850000);
  EXPECT_EQ(tx[1].customer_id, "c,2");
  EXPECT_EQ(tx[1].time_ms, midnight);
  EXPECT_DOUBLE_EQ(tx[1].amount, 12.5);
  EXPECT_EQ(tx[2].time_ms, midnight);
  EXPECT_EQ(tx[3].time_ms, midnight);
  EXPECT_EQ(tx[4].time_ms, midnight + 8'100'250);
  EXPECT_EQ(tx[5].time_ms, midnight + 8'100'000);
}

// A date alone is local to the reader's zone: 2026-11-23 in Asia/Jakarta starts at 2026-11-22T17:00Z.
// A date-time needs its offset (the contract's rule).
TEST(ReadTransactions, DatesAreLocalToTheZone) {
  std::istringstream in("customer_id,time,amount\na,2026-11-23,1\na,19970101,1\n");
  const auto tx = m::read_transactions(in, "t.csv", "Asia/Jakarta");
  EXPECT_EQ(tx[0].time_ms, 1795392000000 - 7 * 3'600'000);
  EXPECT_EQ(tx[1].time_ms, 852076800000 - 7 * 3'600'000);
  std::istringstream naive("customer_id,time,amount\na,2026-11-23T10:00:00,1\n");
  EXPECT_EQ(code_of([&] { m::read_transactions(naive, "t.csv"); }), kpi::errc::parse);
}

TEST(ReadTransactions, ParseErrorsNameLineAndColumn) {
  std::istringstream bad_time("customer_id,time,amount\na,2026-11-23,1\nb,yesterday,2\n");
  try {
    m::read_transactions(bad_time, "t.csv");
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.column(), "time");
    EXPECT_EQ(e.code(), kpi::errc::parse);
  }
  std::istringstream no_amount("customer_id,time\na,2026-11-23\n");
  EXPECT_EQ(code_of([&] { m::read_transactions(no_amount, "t.csv"); }), kpi::errc::parse);
  std::istringstream bad_date("00001 19971332 1 11.77\n");
  EXPECT_EQ(code_of([&] { m::read_transactions(bad_date, "t.txt"); }), kpi::errc::parse);
  std::istringstream text_amount("customer_id,time,amount\na,2026-11-23,twelve\n");
  EXPECT_EQ(code_of([&] { m::read_transactions(text_amount, "t.csv"); }), kpi::errc::parse);
  std::istringstream unterminated("customer_id,time,amount\n\"a,2026-11-23,1\n");
  EXPECT_EQ(code_of([&] { m::read_transactions(unterminated, "t.csv"); }), kpi::errc::parse);
}

// The lifetimes column names (frequency, recency, T, monetary_value) read too; zbar defaults to 0.
TEST(ReadSummary, AcceptsBothColumnNamings) {
  std::istringstream lifetimes("ID,frequency,recency,T,monetary_value\n7,2,30.43,38.86,22.35\n");
  const auto a = m::read_summary(lifetimes, "s.csv");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].id, "7");
  EXPECT_EQ(a[0].x, 2);
  EXPECT_DOUBLE_EQ(a[0].t_x, 30.43);
  EXPECT_DOUBLE_EQ(a[0].T, 38.86);
  EXPECT_DOUBLE_EQ(a[0].zbar, 22.35);
  std::ifstream cdnow(kCdnow + "cdnow_customers_summary.csv");
  const auto b = m::read_summary(cdnow, "cdnow_customers_summary.csv");
  EXPECT_EQ(b.size(), 2357u);
  EXPECT_EQ(b[0].zbar, 0.0);
}

TEST(ReadSummary, RejectsBrokenRows) {
  std::istringstream late("x,t_x,T\n1,5,4\n");  // t_x > T
  try {
    m::read_summary(late, "s.csv");
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), "t_x");
  }
  std::istringstream fractional("x,t_x,T\n1.5,1,4\n");
  EXPECT_EQ(code_of([&] { m::read_summary(fractional, "s.csv"); }), kpi::errc::parse);
  std::istringstream missing("x,T\n1,4\n");
  EXPECT_EQ(code_of([&] { m::read_summary(missing, "s.csv"); }), kpi::errc::parse);
  std::istringstream empty("");
  EXPECT_EQ(code_of([&] { m::read_summary(empty, "s.csv"); }), kpi::errc::parse);
  EXPECT_EQ(code_of([] { m::validate({"v", 1, 1, 2, -3}); }), kpi::errc::invalid_argument);
}

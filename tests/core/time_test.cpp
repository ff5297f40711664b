// Tests of kpi/time.hpp: timestamps, IANA zones, calendar periods, half-open windows, the bucketer.
//
// Day numbers are computed by hand: 2000-01-01 is day 10957; 2000..2025 hold 7 leap years, so
// 2026-01-01 is day 10957 + 26 × 365 + 7 = 20454, a Thursday ((20454 + 3) mod 7 = 3, Monday = 0).
#include "kpi/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <unordered_set>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using kpi::errc;
using kpi::period;
using kpi::period_kind;
using kpi::time_zone;
using kpi::timestamp;

// Seconds since the epoch → timestamp.
timestamp at_s(std::int64_t s) {
  return kpi::from_unix_ms(s * 1000);
}

// 2026-11-23 is day 20454 + 304 (Jan..Oct) + 22 = 20780; 02:15 UTC adds 8100 s:
// 20780 × 86400 + 8100 = 1795400100.
constexpr std::int64_t k_nov23_0215z = 1795400100;
constexpr std::int32_t k_day_nov23 = 20780;

TEST(Timestamp, ParsesIsoWithOffsetOrZ) {
  const timestamp want = at_s(k_nov23_0215z);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T09:15:00+07:00"), want);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T02:15:00Z"), want);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T02:15:00z"), want);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23t09:15:00+0700"), want);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23 09:15:00+07"), want);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T09:15+07:00"), want);  // no seconds
  EXPECT_EQ(kpi::parse_timestamp("2026-11-22T21:15:00-05:00"), want);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T10:45:00+08:30"), want);
  // Milliseconds kept, finer digits truncated.
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T02:15:00.25Z"), want + 250ms);
  EXPECT_EQ(kpi::parse_timestamp("2026-11-23T02:15:00.1239Z"), want + 123ms);
  // The epoch and a leap day: 2024-02-29 is day 10957 + 24 × 365 + 6 (2000..2020 leap) + 31 + 28 = 19782.
  EXPECT_EQ(kpi::parse_timestamp("1970-01-01T00:00:00Z"), at_s(0));
  EXPECT_EQ(kpi::parse_timestamp("2024-02-29T00:00:00Z"), at_s(19782LL * 86400));
}

TEST(Timestamp, ParsesUnixSeconds) {
  EXPECT_EQ(kpi::parse_timestamp("1795400100"), at_s(k_nov23_0215z));
  EXPECT_EQ(kpi::parse_timestamp("0"), at_s(0));
  EXPECT_EQ(kpi::parse_timestamp("-86400"), at_s(-86400));
  EXPECT_EQ(code_of([] { (void)kpi::parse_timestamp("99999999999999999999"); }), errc::parse);
}

TEST(Timestamp, RejectsNaiveAndMalformed) {
  const std::string naive = message_of([] { (void)kpi::parse_timestamp("2026-11-23T09:15:00"); });
  EXPECT_NE(naive.find("no UTC offset"), std::string::npos) << naive;
  EXPECT_NE(naive.find("'2026-11-23T09:15:00'"), std::string::npos) << naive;
  for (const char *bad : {"",
                          "2026-11-23",
                          "2026-02-29T00:00:00Z",
                          "2026-13-01T00:00:00Z",
                          "2026-00-10T00:00:00Z",
                          "2026-11-31T00:00:00Z",
                          "2026-11-23T24:00:00Z",
                          "2026-11-23T23:60:00Z",
                          "2026-11-23T23:59:60Z",
                          "2026-11-23T09:15:00+24:00",
                          "2026-11-23T09:15:00+07:60",
                          "2026-11-23T09:15:00+07:00 ",
                          " 2026-11-23T09:15:00Z",
                          "2026-11-23T09:15:00Zx",
                          "2026/11/23T09:15:00Z",
                          "2026-11-23X09:15:00Z",
                          "2026-11-23T9:15:00Z",
                          "2026-11-23T09:15:00.Z",
                          "1795400100.5",
                          "+1795400100",
                          "0000-01-01T00:00:00Z",
                          "yesterday",
                          "2026-11-23T09:15:00+7"}) {
    EXPECT_EQ(code_of([&] { (void)kpi::parse_timestamp(bad); }), errc::parse) << "'" << bad << "'";
  }
}

TEST(Timestamp, FormatsUtcAndLocal) {
  EXPECT_EQ(kpi::format_timestamp(at_s(k_nov23_0215z)), "2026-11-23T02:15:00Z");
  EXPECT_EQ(kpi::format_timestamp(at_s(k_nov23_0215z) + 250ms), "2026-11-23T02:15:00.250Z");
  EXPECT_EQ(kpi::format_timestamp(at_s(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(kpi::format_timestamp(at_s(k_nov23_0215z), time_zone::locate("Asia/Jakarta")),
            "2026-11-23T09:15:00+07:00");
  // New York in November 2026 is on EST (−5 h): 02:15Z is 21:15 the day before.
  EXPECT_EQ(kpi::format_timestamp(at_s(k_nov23_0215z), time_zone::locate("America/New_York")),
            "2026-11-22T21:15:00-05:00");
  EXPECT_EQ(kpi::format_timestamp(at_s(k_nov23_0215z), time_zone::utc()), "2026-11-23T02:15:00+00:00");
  // Round trip through the parser.
  const timestamp t = at_s(k_nov23_0215z) + 7ms;
  EXPECT_EQ(kpi::parse_timestamp(kpi::format_timestamp(t)), t);
  EXPECT_EQ(kpi::parse_timestamp(kpi::format_timestamp(t, time_zone::locate("Asia/Kolkata"))), t);
}

TEST(TimeZone, LocateAndName) {
  EXPECT_EQ(time_zone::locate("Asia/Jakarta").name(), "Asia/Jakarta");
  EXPECT_TRUE(time_zone::locate("UTC").is_utc());
  EXPECT_EQ(time_zone::utc().name(), "UTC");
  EXPECT_EQ(time_zone{}, time_zone::utc());
  EXPECT_EQ(time_zone::locate("Asia/Makassar"), time_zone::locate("Asia/Makassar"));
  EXPECT_EQ(code_of([] { (void)time_zone::locate("Mars/Olympus_Mons"); }), errc::not_found);
  EXPECT_EQ(code_of([] { (void)time_zone::locate(""); }), errc::not_found);
  // Jakarta +7 h, Jayapura +9 h, New York −5 h in winter and −4 h in summer.
  EXPECT_EQ(time_zone::locate("Asia/Jakarta").offset(at_s(k_nov23_0215z)), 7h);
  EXPECT_EQ(time_zone::locate("Asia/Jayapura").offset(at_s(k_nov23_0215z)), 9h);
  EXPECT_EQ(time_zone::locate("America/New_York").offset(at_s(k_nov23_0215z)), -5h);
  EXPECT_EQ(time_zone::locate("America/New_York").offset(kpi::parse_timestamp("2026-07-01T12:00:00Z")), -4h);
}

TEST(Period, NewYorkDaylightSavingDaysLast23And25Hours) {
  const time_zone ny = time_zone::locate("America/New_York");
  // 2026-03-01 is a Sunday (Thursday + 59 days), so the second Sunday of March is 2026-03-08: EST (−5)
  // to EDT (−4) at 02:00 local. The day runs from 05:00Z to 04:00Z the next day: 23 hours.
  const auto spring = kpi::window_of(kpi::parse_period("2026-03-08"), ny);
  EXPECT_EQ(spring.start, kpi::parse_timestamp("2026-03-08T05:00:00Z"));
  EXPECT_EQ(spring.end, kpi::parse_timestamp("2026-03-09T04:00:00Z"));
  EXPECT_EQ(spring.length(), 23h);
  // 2026-11-01 is the first Sunday of November (Thursday + 304 days): EDT back to EST, 25 hours.
  const auto fall = kpi::window_of(kpi::parse_period("2026-11-01"), ny);
  EXPECT_EQ(fall.start, kpi::parse_timestamp("2026-11-01T04:00:00Z"));
  EXPECT_EQ(fall.end, kpi::parse_timestamp("2026-11-02T05:00:00Z"));
  EXPECT_EQ(fall.length(), 25h);
  // March 2026 in New York is 31 days less the lost hour: 31 × 24 − 1 = 743 hours.
  EXPECT_EQ(kpi::window_of(kpi::parse_period("2026-03"), ny).length(), 743h);
  // An instant during the repeated hour (01:30 EST = 06:30Z) is still 2026-11-01.
  EXPECT_EQ(kpi::label(kpi::period_of(kpi::parse_timestamp("2026-11-01T06:30:00Z"), period_kind::day, ny)),
            "2026-11-01");
}

TEST(Period, DayStartingAfterAMidnightGap) {
  // Brazil started daylight saving at local midnight on 2018-11-04: 00:00 −03 jumped to 01:00 −02, so
  // that day began at 03:00Z and ended at 2018-11-05T00:00−02:00 = 02:00Z, 23 hours later.
  const time_zone sp = time_zone::locate("America/Sao_Paulo");
  const auto w = kpi::window_of(kpi::parse_period("2018-11-04"), sp);
  EXPECT_EQ(w.start, kpi::parse_timestamp("2018-11-04T03:00:00Z"));
  EXPECT_EQ(w.end, kpi::parse_timestamp("2018-11-05T02:00:00Z"));
}

TEST(Period, JakartaBucketsNearLocalMidnight) {
  const time_zone jkt = time_zone::locate("Asia/Jakarta");
  // UTC 17:00 is Jakarta (UTC+7) midnight. 2026-11-22T17:00Z is 2026-11-23T00:00 in Jakarta, a Monday
  // ((20780 + 3) mod 7 = 0): a new day and a new ISO week (W48, see ISO week below).
  const timestamp midnight = kpi::parse_timestamp("2026-11-22T17:00:00Z");
  const timestamp before = midnight - 1ms;
  EXPECT_EQ(kpi::label(kpi::period_of(midnight, period_kind::day, jkt)), "2026-11-23");
  EXPECT_EQ(kpi::label(kpi::period_of(before, period_kind::day, jkt)), "2026-11-22");
  EXPECT_EQ(kpi::label(kpi::period_of(midnight, period_kind::week, jkt)), "2026-W48");
  EXPECT_EQ(kpi::label(kpi::period_of(before, period_kind::week, jkt)), "2026-W47");
  EXPECT_EQ(kpi::period_of(midnight, period_kind::day, jkt).start_day, k_day_nov23);
  EXPECT_EQ(kpi::period_of(midnight, period_kind::week, jkt).start_day, k_day_nov23);
  // In UTC both instants are still 2026-11-22.
  EXPECT_EQ(kpi::label(kpi::period_of(midnight, period_kind::day, time_zone::utc())), "2026-11-22");
  // Month: 2026-11-30T17:00Z is 2026-12-01 in Jakarta.
  const timestamp dec1 = kpi::parse_timestamp("2026-11-30T17:00:00Z");
  EXPECT_EQ(kpi::label(kpi::period_of(dec1, period_kind::month, jkt)), "2026-12");
  EXPECT_EQ(kpi::label(kpi::period_of(dec1 - 1ms, period_kind::month, jkt)), "2026-11");
  EXPECT_EQ(kpi::label(kpi::period_of(dec1, period_kind::quarter, jkt)), "2026-Q4");
  EXPECT_EQ(kpi::label(kpi::period_of(dec1, period_kind::year, jkt)), "2026");
  // The window of December 2026 in Jakarta: local midnights at 17:00Z the day before.
  const auto w = kpi::window_of(kpi::parse_period("2026-12"), jkt);
  EXPECT_EQ(w.start, dec1);
  EXPECT_EQ(w.end, kpi::parse_timestamp("2026-12-31T17:00:00Z"));
  EXPECT_EQ(w.length(), 31 * 24h);
}

TEST(Period, IsoWeekAcrossYearBoundary) {
  const time_zone utc = time_zone::utc();
  // 2026 starts on a Thursday and has 365 days, so it also ends on a Thursday: the week of 2026-12-31
  // (Monday 2026-12-28) is week (2026-12-28 − 2025-12-29) / 7 + 1 = 364 / 7 + 1 = 53 of ISO year 2026.
  EXPECT_EQ(kpi::label(kpi::period_of(kpi::parse_timestamp("2026-12-31T12:00:00Z"), period_kind::week, utc)),
            "2026-W53");
  // Friday 2027-01-01 belongs to the same week.
  EXPECT_EQ(kpi::label(kpi::period_of(kpi::parse_timestamp("2027-01-01T12:00:00Z"), period_kind::week, utc)),
            "2026-W53");
  // Monday 2027-01-04 starts 2027-W01.
  EXPECT_EQ(kpi::label(kpi::period_of(kpi::parse_timestamp("2027-01-04T00:00:00Z"), period_kind::week, utc)),
            "2027-W01");
  // 2025 starts on a Wednesday: Monday 2024-12-30 starts 2025-W01.
  EXPECT_EQ(kpi::label(kpi::period_of(kpi::parse_timestamp("2024-12-30T00:00:00Z"), period_kind::week, utc)),
            "2025-W01");
  // 2026-W53 exists; 2027 (starts on a Friday, not leap) has 52 weeks.
  EXPECT_EQ(kpi::next(kpi::parse_period("2026-W53")), kpi::parse_period("2027-W01"));
  EXPECT_EQ(kpi::previous(kpi::parse_period("2026-W01")), kpi::parse_period("2025-W52"));
  EXPECT_EQ(code_of([] { (void)kpi::parse_period("2027-W53"); }), errc::parse);
  // 2026-W01 starts on Monday 2025-12-29 = day 20454 − 3 = 20451.
  EXPECT_EQ(kpi::parse_period("2026-W01").start_day, 20451);
  EXPECT_EQ(kpi::parse_period("2026-W48").start_day, k_day_nov23);
}

TEST(Period, LabelsAndParsing) {
  EXPECT_EQ(kpi::parse_period("2026-11-23"), (period{period_kind::day, k_day_nov23}));
  // 2026-11-01 = day 20454 + 304 = 20758; 2026-10-01 = 20454 + 273 = 20727.
  EXPECT_EQ(kpi::parse_period("2026-11"), (period{period_kind::month, 20758}));
  EXPECT_EQ(kpi::parse_period("2026-Q4"), (period{period_kind::quarter, 20727}));
  EXPECT_EQ(kpi::parse_period("2026"), (period{period_kind::year, 20454}));
  EXPECT_EQ(kpi::parse_period("all"), (period{period_kind::none, 0}));
  for (const char *l :
       {"2026-11-23", "2026-W48", "2026-11", "2026-Q4", "2026", "all", "2024-02-29", "0001-01"}) {
    EXPECT_EQ(kpi::label(kpi::parse_period(l)), l);
  }
  for (const char *bad :
       {"", "26-11", "2026-02-30", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-w48", "2026-q4",
        "2026-W00", "2026-W54", "2026-11-23T00:00:00Z", "0000", "ALL", "2026-1"}) {
    EXPECT_EQ(code_of([&] { (void)kpi::parse_period(bad); }), errc::parse) << "'" << bad << "'";
  }
  EXPECT_STREQ(kpi::to_string(period_kind::quarter), "quarter");
  EXPECT_EQ(kpi::parse_period_kind("week"), period_kind::week);
  EXPECT_EQ(code_of([] { (void)kpi::parse_period_kind("fortnight"); }), errc::parse);
}

TEST(Period, NextPreviousAndLengths) {
  EXPECT_EQ(kpi::label(kpi::next(kpi::parse_period("2026-12"))), "2027-01");
  EXPECT_EQ(kpi::label(kpi::previous(kpi::parse_period("2026-01"))), "2025-12");
  EXPECT_EQ(kpi::label(kpi::next(kpi::parse_period("2026-Q4"))), "2027-Q1");
  EXPECT_EQ(kpi::label(kpi::previous(kpi::parse_period("2026-Q1"))), "2025-Q4");
  EXPECT_EQ(kpi::label(kpi::next(kpi::parse_period("2026-12-31"))), "2027-01-01");
  EXPECT_EQ(kpi::label(kpi::previous(kpi::parse_period("2024-03-01"))), "2024-02-29");
  EXPECT_EQ(kpi::label(kpi::next(kpi::parse_period("2026"))), "2027");
  EXPECT_EQ(kpi::days_in(kpi::parse_period("2024-02")), 29);
  EXPECT_EQ(kpi::days_in(kpi::parse_period("2026-02")), 28);
  EXPECT_EQ(kpi::days_in(kpi::parse_period("2026-Q1")), 90);  // 31 + 28 + 31
  EXPECT_EQ(kpi::days_in(kpi::parse_period("2026-Q3")), 92);  // 31 + 31 + 30
  EXPECT_EQ(kpi::days_in(kpi::parse_period("2024")), 366);
  EXPECT_EQ(kpi::days_in(kpi::parse_period("2026-W10")), 7);
  EXPECT_EQ(code_of([] { (void)kpi::next(period{}); }), errc::invalid_argument);
  EXPECT_EQ(code_of([] { (void)kpi::days_in(period{}); }), errc::invalid_argument);
  EXPECT_EQ(code_of([] { (void)kpi::period_of(timestamp{}, static_cast<period_kind>(9), time_zone{}); }),
            errc::invalid_argument);
}

TEST(Window, IsHalfOpen) {
  const time_zone utc = time_zone::utc();
  const period day = kpi::parse_period("2026-11-23");
  const kpi::window w = kpi::window_of(day, utc);
  EXPECT_EQ(w.start, at_s(k_day_nov23 * 86400LL));
  EXPECT_EQ(w.end, at_s((k_day_nov23 + 1) * 86400LL));
  EXPECT_TRUE(w.contains(w.start));
  EXPECT_TRUE(w.contains(w.end - 1ms));
  EXPECT_FALSE(w.contains(w.end));  // the end belongs to the next day
  EXPECT_FALSE(w.contains(w.start - 1ms));
  EXPECT_EQ(kpi::period_of(w.end, period_kind::day, utc), kpi::next(day));
  EXPECT_EQ(kpi::window_of(kpi::next(day), utc).start, w.end);
  // Kind none: one window over all time.
  const kpi::window all = kpi::window_of(period{}, utc);
  EXPECT_TRUE(all.contains(at_s(0)));
  EXPECT_EQ(kpi::period_of(at_s(k_nov23_0215z), period_kind::none, utc), period{});
  EXPECT_EQ(kpi::label(period{}), "all");
}

TEST(PeriodBucketer, MatchesPeriodOfAndCachesTheWindow) {
  const time_zone ny = time_zone::locate("America/New_York");
  kpi::period_bucketer b(period_kind::day, ny);
  EXPECT_EQ(b.kind(), period_kind::day);
  EXPECT_EQ(b.zone(), ny);
  // Every 20 minutes across the 25-hour day 2026-11-01 and beyond, in order and then backwards.
  const timestamp t0 = kpi::parse_timestamp("2026-10-31T00:00:00Z");
  for (int i = 0; i < 3 * 72; ++i) {
    const timestamp t = t0 + i * 20min;
    ASSERT_EQ(b(t), kpi::period_of(t, period_kind::day, ny)) << kpi::format_timestamp(t);
    ASSERT_TRUE(b.current_window().contains(t));
  }
  for (int i = 3 * 72; i >= 0; --i) {
    const timestamp t = t0 + i * 20min;
    ASSERT_EQ(b(t), kpi::period_of(t, period_kind::day, ny)) << kpi::format_timestamp(t);
  }
  const period p = b(kpi::parse_timestamp("2026-11-01T12:00:00Z"));
  EXPECT_EQ(kpi::label(p), "2026-11-01");
  EXPECT_EQ(b.current_window().length(), 25h);
  kpi::period_bucketer weeks(period_kind::week, time_zone::locate("Asia/Jakarta"));
  EXPECT_EQ(kpi::label(weeks(kpi::parse_timestamp("2026-11-22T17:00:00Z"))), "2026-W48");
  EXPECT_EQ(code_of([] { kpi::period_bucketer bad(static_cast<period_kind>(-1), time_zone{}); }),
            errc::invalid_argument);
}

TEST(Period, HashableAndOrdered) {
  std::unordered_set<period> set;
  set.insert(kpi::parse_period("2026-11"));
  set.insert(kpi::parse_period("2026-11"));
  set.insert(kpi::parse_period("2026-11-01"));  // same start day, different kind
  EXPECT_EQ(set.size(), 2u);
  EXPECT_LT(kpi::parse_period("2026-11-23"), kpi::parse_period("2026-11-24"));
  EXPECT_EQ(std::hash<period>{}(kpi::parse_period("2026")), std::hash<period>{}(kpi::parse_period("2026")));
}

}  // namespace

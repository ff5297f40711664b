// Tests of kpi/views/anomaly.hpp on series whose answer is known: flat, a strong weekly pattern, an
// injected spike and drop, the MAD = 0 guard, hourly seasonality, streaming callbacks.
#include "kpi/views/anomaly.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using kpi::views::anomaly_alert;
using kpi::views::anomaly_detector;
using kpi::views::anomaly_options;
using kpi::views::detect_anomalies;
using kpi::views::seasonality;
using kpi::views::series_point;

// 2026-01-05 is a Monday (2026-01-01 is a Thursday).
const kpi::timestamp monday = kpi::parse_timestamp("2026-01-05T00:00:00Z");

kpi::timestamp day(int i) {
  return monday + std::chrono::days(i);
}

// A strong weekly pattern, Monday first: 120 110 100 100 90 40 5, plus +1 in even weeks and -1 in odd
// weeks. Any 28-day window holds two weeks of each parity, so a weekday's four values are b+1, b+1, b-1,
// b-1 and their median is b. A window point's leave-one-out residual is +-2 (the median of the other
// three is b-1 for a b+1 point, b+1 for a b-1 point), so the median residual m = 0 and MAD = 2 (exact
// in double: integers). A new point is judged against the median b of all four.
constexpr double weekly_base[7] = {120, 110, 100, 100, 90, 40, 5};
double weekly(int i) {
  return weekly_base[i % 7] + ((i / 7) % 2 == 0 ? 1.0 : -1.0);
}

std::vector<series_point> weekly_series(int days) {
  std::vector<series_point> s;
  for (int i = 0; i < days; ++i) s.push_back({day(i), weekly(i)});
  return s;
}

TEST(Anomaly, FlatSeriesRaisesNothing) {
  std::vector<series_point> s;
  for (int i = 0; i < 90; ++i) s.push_back({day(i), 100.0});
  EXPECT_TRUE(detect_anomalies(s).empty());
}

TEST(Anomaly, StrongWeeklyPatternRaisesNothing) {
  const auto s = weekly_series(70);
  EXPECT_TRUE(detect_anomalies(s).empty());
  // The same pattern without removing the weekday effect does raise alerts (the Sunday trough): over
  // a full 28-day window the median is 99 and MAD = 11, so a Sunday at 4..6 scores
  // 0.6745 x (5 - 99) / 11 = -5.76.
  anomaly_options none;
  none.seasonality = seasonality::none;
  const auto raw = detect_anomalies(s, none);
  ASSERT_FALSE(raw.empty());
  bool sunday_drop = false;
  for (const auto &a : raw) {
    const auto i = std::chrono::duration_cast<std::chrono::days>(a.time - monday).count();
    if (i % 7 == 6 && a.direction == -1) sunday_drop = true;
  }
  EXPECT_TRUE(sunday_drop);
}

TEST(Anomaly, InjectedSpikeIsFlagged) {
  // Day 49 is a Monday of week 7 (odd): normally 120 - 1 = 119. Inject 139: residual 139 - 120 = 19
  // against a window (days 21..48) with m = 0, MAD = 2: z = 0.6745 x 19 / 2 = 6.40775.
  auto s = weekly_series(70);
  s[49].kpi_value = 139.0;
  const auto alerts = detect_anomalies(s);
  ASSERT_EQ(alerts.size(), 1u);  // later Mondays: the spike is 1 of 4 in its weekday, medians stay put
  const auto &a = alerts[0];
  EXPECT_EQ(a.time, day(49));
  EXPECT_DOUBLE_EQ(a.actual, 139.0);
  EXPECT_DOUBLE_EQ(a.expected, 120.0);  // Monday median 120 + median residual 0
  ASSERT_TRUE(a.score.has_value());
  EXPECT_NEAR(*a.score, 0.6745 * 19.0 / 2.0, 1e-12);
  EXPECT_EQ(a.direction, 1);
  EXPECT_NEAR(a.scale, 2.0 / 0.6745, 1e-12);  // MAD / 0.6745
  EXPECT_EQ(a.history, 28u);
}

TEST(Anomaly, InjectedDropIsFlagged) {
  // Day 52 is a Thursday of week 7 (normally 99). Drop to 60: residual 60 - 100 = -40,
  // z = 0.6745 x -40 / 2 = -13.49.
  auto s = weekly_series(70);
  s[52].kpi_value = 60.0;
  const auto alerts = detect_anomalies(s);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].time, day(52));
  EXPECT_EQ(alerts[0].direction, -1);
  EXPECT_DOUBLE_EQ(alerts[0].expected, 100.0);
  EXPECT_NEAR(*alerts[0].score, -13.49, 1e-12);
}

TEST(Anomaly, ThresholdIsStrict) {
  // Day 49 (Monday, median 120, MAD 2): 130 gives z = 0.6745 x 10 / 2 = 3.3725 < 3.5: nothing; 131
  // gives 0.6745 x 11 / 2 = 3.70975 > 3.5: an alert.
  auto s = weekly_series(50);
  s[49].kpi_value = 130.0;
  EXPECT_TRUE(detect_anomalies(s).empty());
  s[49].kpi_value = 131.0;
  EXPECT_EQ(detect_anomalies(s).size(), 1u);
  // A threshold equal to the score does not flag (|z| > threshold, strict).
  s[49].kpi_value = 130.0;
  anomaly_options o;
  o.threshold = 0.6745 * 10.0 / 2.0;
  EXPECT_TRUE(detect_anomalies(s, o).empty());
  o.threshold = 3.3;
  EXPECT_EQ(detect_anomalies(s, o).size(), 1u);
}

TEST(Anomaly, MadZeroFallsBackToMeanAbsoluteDeviation) {
  // No seasonality, window 28. Days 0..3 are 104 (not judged yet: under 14 points), days 4..27 are 100
  // (judged: their deviation from the median 100 is 0). At day 28 the window holds 24 x 100 and
  // 4 x 104: median 100, MAD 0 (24 of 28 deviations are 0), MeanAD = 4 x 4 / 28 = 16/28. The scale is
  // sqrt(pi/2) x 16/28 = 0.716179, so 110 scores 10 / 0.716179 = 13.963 and 102 scores 2.793.
  anomaly_options o;
  o.seasonality = seasonality::none;
  const double scale = std::sqrt(std::numbers::pi / 2.0) * 16.0 / 28.0;
  for (double x : {110.0, 102.0}) {
    anomaly_detector d(o);
    for (int i = 0; i < 28; ++i) EXPECT_FALSE(d.push(day(i), i < 4 ? 104.0 : 100.0).has_value()) << i;
    const auto a = d.push(day(28), x);
    if (x == 110.0) {
      ASSERT_TRUE(a.has_value());
      EXPECT_NEAR(*a->score, 10.0 / scale, 1e-9);
      EXPECT_NEAR(*a->score, 13.963, 1e-3);
      EXPECT_NEAR(a->scale, 0.716179, 1e-6);
      EXPECT_DOUBLE_EQ(a->expected, 100.0);
    } else {
      EXPECT_FALSE(a.has_value());  // 2 / 0.716179 = 2.793 < 3.5
    }
  }
}

TEST(Anomaly, AllEqualHistoryFlagsAnyDepartureWithoutAScore) {
  // 28 days of exactly 100: MAD and MeanAD are 0, so z is undefined; 100.5 departs from it: flagged.
  anomaly_detector d;
  for (int i = 0; i < 28; ++i) d.push(day(i), 100.0);
  const auto a = d.push(day(28), 100.5);
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(a->score.has_value());
  EXPECT_EQ(a->direction, 1);
  EXPECT_DOUBLE_EQ(a->scale, 0.0);
  EXPECT_DOUBLE_EQ(a->expected, 100.0);
  // min_deviation 1 ignores a departure of 0.5.
  anomaly_options o;
  o.min_deviation = 1.0;
  anomaly_detector quiet(o);
  for (int i = 0; i < 28; ++i) quiet.push(day(i), 100.0);
  EXPECT_FALSE(quiet.push(day(28), 100.5).has_value());
  EXPECT_TRUE(quiet.push(day(29), 98.0).has_value());  // 2 > 1
}

TEST(Anomaly, NoAlertBeforeTheMinimumHistory) {
  // A spike on day 10: only 10 points of history (< 14): not judged.
  auto s = weekly_series(12);
  s[10].kpi_value = 1000.0;
  EXPECT_TRUE(detect_anomalies(s).empty());
  // With min_history 3 the season of day 10 (a Thursday) has only 1 earlier point (day 3): still not
  // judged, since the season needs 2.
  anomaly_options o;
  o.min_history = 3;
  EXPECT_TRUE(detect_anomalies(s, o).empty());
}

TEST(Anomaly, StreamingFormCallsTheCallback) {
  std::vector<anomaly_alert> got;
  anomaly_detector d({}, [&got](const anomaly_alert &a) { got.push_back(a); });
  auto s = weekly_series(70);
  s[49].kpi_value = 139.0;
  int returned = 0;
  for (const auto &p : s) {
    if (d.push(p)) ++returned;
  }
  EXPECT_EQ(returned, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].time, day(49));
  EXPECT_EQ(d.history_size(), 29u);  // day 69's window (days 41..68) and day 69 itself
  d.reset();
  EXPECT_EQ(d.history_size(), 0u);
  d.push(day(0), 1.0);  // after reset, time may start again
}

TEST(Anomaly, UndefinedPointsAreSkipped) {
  auto s = weekly_series(70);
  s[20].kpi_value = std::nullopt;
  s[49].kpi_value = 139.0;
  const auto alerts = detect_anomalies(s);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].time, day(49));
}

TEST(Anomaly, HourlySeriesWithHourOfWeekSeasonality) {
  // Hourly for 6 weeks: 10 + local hour, +1 in even weeks, -1 in odd weeks (as the daily case, per
  // weekday-and-hour season). A spike of +20 at hour 15 of week 5's Wednesday (odd: 10 + 15 - 1 = 24)
  // has residual 44 - 25 = 19 over a 28-day window with m = 0, MAD = 2: z = 0.6745 x 19 / 2.
  anomaly_options o;
  o.resolution = kpi::views::resolution::hourly;
  o.seasonality = seasonality::hour_of_week;
  std::vector<series_point> s;
  const int hours = 6 * 7 * 24;
  const int spike = (5 * 7 + 2) * 24 + 15;
  for (int h = 0; h < hours; ++h) {
    const int week = h / (7 * 24);
    double x = 10.0 + h % 24 + (week % 2 == 0 ? 1.0 : -1.0);
    if (h == spike) x += 20.0;
    s.push_back({monday + std::chrono::hours(h), x});
  }
  const auto alerts = detect_anomalies(s, o);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].time, monday + std::chrono::hours(spike));
  EXPECT_NEAR(*alerts[0].score, 0.6745 * 19.0 / 2.0, 1e-12);
  EXPECT_EQ(alerts[0].history, 672u);  // 28 x 24 hours
}

TEST(Anomaly, DaysAreLocalToTheZone) {
  // 2026-01-05T17:00Z and 2026-01-06T16:00Z are two UTC days but one Jakarta day (Jan 6, 00:00 and
  // 23:00 +07:00): a daily series may not have two points on one local day.
  const auto a = kpi::parse_timestamp("2026-01-05T17:00:00Z");
  const auto b = kpi::parse_timestamp("2026-01-06T16:00:00Z");
  anomaly_detector utc;
  utc.push(a, 1.0);
  EXPECT_NO_THROW(utc.push(b, 1.0));
  anomaly_options o;
  o.zone = kpi::time_zone::locate("Asia/Jakarta");
  anomaly_detector jkt(o);
  jkt.push(a, 1.0);
  EXPECT_EQ(code_of([&] { jkt.push(b, 1.0); }), kpi::errc::invalid_argument);
}

TEST(Anomaly, InvalidArgumentsAreRejected) {
  using kpi::errc;
  auto bad = [](auto change) {
    anomaly_options o;
    change(o);
    return code_of([&] { anomaly_detector d(o); });
  };
  EXPECT_EQ(bad([](anomaly_options &o) { o.window_days = 0; }), errc::invalid_argument);
  EXPECT_EQ(bad([](anomaly_options &o) { o.threshold = 0; }), errc::invalid_argument);
  EXPECT_EQ(bad([](anomaly_options &o) { o.threshold = std::numeric_limits<double>::infinity(); }),
            errc::invalid_argument);
  EXPECT_EQ(bad([](anomaly_options &o) { o.min_history = 2; }), errc::invalid_argument);
  EXPECT_EQ(bad([](anomaly_options &o) { o.min_deviation = -1; }), errc::invalid_argument);
  EXPECT_EQ(bad([](anomaly_options &o) { o.seasonality = static_cast<seasonality>(9); }),
            errc::invalid_argument);
  EXPECT_EQ(bad([](anomaly_options &o) { o.resolution = static_cast<kpi::views::resolution>(9); }),
            errc::invalid_argument);
  anomaly_detector d;
  d.push(day(5), 1.0);
  EXPECT_EQ(code_of([&] { d.push(day(5), 1.0); }), errc::invalid_argument);  // not after
  EXPECT_EQ(code_of([&] { d.push(day(4), 1.0); }), errc::invalid_argument);  // out of order
  EXPECT_EQ(code_of([&] { d.push(day(6), std::numeric_limits<double>::quiet_NaN()); }),
            errc::invalid_argument);
}

}  // namespace

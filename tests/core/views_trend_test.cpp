// Tests of kpi/views/trend.hpp: least-squares slope and period-end projections.
#include "kpi/views/trend.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using kpi::value;
using kpi::views::fit_trend;
using kpi::views::project_to_period_end;

TEST(Trend, SlopeOfALinearSeries) {
  // 10 12 14 16 at x = 0..3: y = 10 + 2x.
  const std::vector<value> s{10.0, 12.0, 14.0, 16.0};
  const auto f = fit_trend(s, 4);
  EXPECT_EQ(f.points, 4u);
  EXPECT_NEAR(*f.slope, 2.0, 1e-12);
  EXPECT_NEAR(*f.intercept, 10.0, 1e-12);
  EXPECT_NEAR(*f.at(6), 22.0, 1e-12);  // 10 + 2 x 6
}

TEST(Trend, UsesTheLastNPeriodsOnly) {
  // The last 4 of {100, 0, 10, 12, 14, 16} are at x = 2..5 on y = 6 + 2x (10 = 6 + 2 x 2).
  const std::vector<value> s{100.0, 0.0, 10.0, 12.0, 14.0, 16.0};
  const auto f = fit_trend(s, 4);
  EXPECT_EQ(f.points, 4u);
  EXPECT_NEAR(*f.slope, 2.0, 1e-12);
  EXPECT_NEAR(*f.intercept, 6.0, 1e-12);
  // n larger than the series uses all of it.
  EXPECT_EQ(fit_trend(s, 50).points, 6u);
}

TEST(Trend, NoisySeriesMatchesHandComputedLeastSquares) {
  // y = 1 3 2 5 at x = 0..3: mean x 1.5, mean y 2.75;
  // Sxy = (-1.5)(-1.75) + (-0.5)(0.25) + (0.5)(-0.75) + (1.5)(2.25) = 2.625 - 0.125 - 0.375 + 3.375 = 5.5;
  // Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5. Slope 5.5 / 5 = 1.1; intercept 2.75 - 1.1 x 1.5 = 1.1.
  const std::vector<value> s{1.0, 3.0, 2.0, 5.0};
  const auto f = fit_trend(s, 4);
  EXPECT_NEAR(*f.slope, 1.1, 1e-12);
  EXPECT_NEAR(*f.intercept, 1.1, 1e-12);
}

TEST(Trend, UndefinedPeriodsAreSkippedButKeepTheirPlace) {
  // 10, -, 14, 16 at x = 0, 2, 3 all lie on y = 10 + 2x.
  const std::vector<value> s{10.0, std::nullopt, 14.0, 16.0};
  const auto f = fit_trend(s, 4);
  EXPECT_EQ(f.points, 3u);
  EXPECT_NEAR(*f.slope, 2.0, 1e-12);
  EXPECT_NEAR(*f.intercept, 10.0, 1e-12);
}

TEST(Trend, FewerThanTwoPointsIsUndefined) {
  const std::vector<value> s{std::nullopt, 5.0, std::nullopt};
  const auto f = fit_trend(s, 3);
  EXPECT_EQ(f.points, 1u);
  EXPECT_FALSE(f.slope.has_value());
  EXPECT_FALSE(f.intercept.has_value());
  EXPECT_FALSE(f.at(4).has_value());
  EXPECT_FALSE(fit_trend({}, 3).slope.has_value());
}

TEST(Trend, ProjectionToMonthEnd) {
  // A 30-day month, 10 days elapsed with 10, 11, ..., 19 orders (day i: 10 + i).
  // Actual = 10 x 10 + (0 + ... + 9) = 145. Run rate 145 x 30 / 10 = 435.
  // Fit over the last 10: y = 10 + x. Remaining days x = 10..29: sum (10 + x) = 20 x 10 + (10 + 29) x 20 / 2
  // = 200 + 390 = 590. Trend projection 145 + 590 = 735.
  std::vector<value> s;
  for (int i = 0; i < 10; ++i) s.emplace_back(10.0 + i);
  const auto p = project_to_period_end(s, 30, 10);
  EXPECT_DOUBLE_EQ(p.actual, 145.0);
  EXPECT_DOUBLE_EQ(*p.run_rate, 435.0);
  EXPECT_NEAR(*p.trend, 735.0, 1e-9);
}

TEST(Trend, ProjectionOfACompletePeriodIsTheActual) {
  const std::vector<value> s{3.0, std::nullopt, 5.0};  // undefined counts as 0 in the sum: 8
  const auto p = project_to_period_end(s, 3, 3);
  EXPECT_DOUBLE_EQ(p.actual, 8.0);
  EXPECT_DOUBLE_EQ(*p.run_rate, 8.0);
  EXPECT_DOUBLE_EQ(*p.trend, 8.0);
  // Nothing elapsed: no run rate, no trend.
  const auto empty = project_to_period_end({}, 30, 7);
  EXPECT_DOUBLE_EQ(empty.actual, 0.0);
  EXPECT_FALSE(empty.run_rate.has_value());
  EXPECT_FALSE(empty.trend.has_value());
}

TEST(Trend, InvalidArgumentsAreRejected) {
  const std::vector<value> s{1.0, 2.0, 3.0};
  using kpi::errc;
  EXPECT_EQ(code_of([&] { fit_trend(s, 1); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { project_to_period_end(s, 2, 3); }), errc::invalid_argument);
  const std::vector<value> nan{1.0, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(code_of([&] { fit_trend(nan, 2); }), errc::invalid_argument);
}

}  // namespace

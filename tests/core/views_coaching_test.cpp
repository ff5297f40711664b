// Tests of kpi/views/coaching.hpp: type-7 quantiles and k-consecutive-period flags.
#include "kpi/views/coaching.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using kpi::views::agent_series;
using kpi::views::coaching_flags;
using kpi::views::coaching_options;

TEST(CoachingQuantile, Type7MatchesHandComputation) {
  using kpi::views::quantile_type7;
  const std::vector<double> x{4, 1, 3, 2};
  // Sorted 1 2 3 4. p = 0.25: h = 3 x 0.25 = 0.75 -> 1 + 0.75 x (2 - 1) = 1.75 (R: quantile(1:4, .25)).
  EXPECT_DOUBLE_EQ(*quantile_type7(x, 0.25), 1.75);
  // p = 0.5: h = 1.5 -> 2 + 0.5 x 1 = 2.5.
  EXPECT_DOUBLE_EQ(*quantile_type7(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(*quantile_type7(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(*quantile_type7(x, 1.0), 4.0);
  // 15 20 35 40 50, p = 0.4: h = 4 x 0.4 = 1.6 -> 20 + 0.6 x (35 - 20) = 29.
  const std::vector<double> y{15, 20, 35, 40, 50};
  EXPECT_DOUBLE_EQ(*quantile_type7(y, 0.4), 29.0);
  const std::vector<double> one{10};
  EXPECT_DOUBLE_EQ(*quantile_type7(one, 0.25), 10.0);
  EXPECT_FALSE(quantile_type7({}, 0.25).has_value());
  EXPECT_EQ(code_of([&] { quantile_type7(x, 1.5); }), kpi::errc::invalid_argument);
  const std::vector<double> nan{std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(code_of([&] { quantile_type7(nan, 0.5); }), kpi::errc::invalid_argument);
}

// Team A (5 agents) and team B (3 agents) over 4 periods.
// Team A, periods 0-1: {50, 40, 30, 20, 10}: h = 4 x 0.25 = 1 -> p25 = 20 exactly. e (10) is under;
//   d (20) equals it and is not (strictly below only).
// Team A, periods 2-3: {50, 40, 30, 5, 10} sorted 5 10 30 40 50 -> p25 = 10. d (5) is under; e (10)
//   equals it and is not: e's streak breaks at period 2.
// Team B, every period: {100, 200, 300}: h = 2 x 0.25 = 0.5 -> p25 = 100 + 0.5 x 100 = 150; m (100) is
//   under in all 4 periods, although 100 beats everyone in team A (percentiles are per team).
std::vector<agent_series> two_teams() {
  return {
      {"a", "A", {50.0, 50.0, 50.0, 50.0}},     {"b", "A", {40.0, 40.0, 40.0, 40.0}},
      {"c", "A", {30.0, 30.0, 30.0, 30.0}},     {"d", "A", {20.0, 20.0, 5.0, 5.0}},
      {"e", "A", {10.0, 10.0, 10.0, 10.0}},     {"m", "B", {100.0, 100.0, 100.0, 100.0}},
      {"n", "B", {200.0, 200.0, 200.0, 200.0}}, {"o", "B", {300.0, 300.0, 300.0, 300.0}},
  };
}

TEST(Coaching, FlaggedAfterKConsecutivePeriodsUnderTheTeamP25) {
  const auto agents = two_teams();
  coaching_options k2;
  k2.k = 2;
  const auto flags = coaching_flags(agents, k2);
  ASSERT_EQ(flags.size(), 2u);
  EXPECT_EQ(flags[0].agent, "d");  // under in periods 2 and 3
  EXPECT_EQ(flags[0].team, "A");
  EXPECT_EQ(flags[0].index, 3u);
  EXPECT_EQ(flags[0].streak, 2u);
  EXPECT_EQ(flags[0].since, 2u);
  EXPECT_EQ(flags[1].agent, "m");  // under in all 4
  EXPECT_EQ(flags[1].streak, 4u);
  EXPECT_EQ(flags[1].since, 0u);

  coaching_options k3;
  k3.k = 3;
  const auto three = coaching_flags(agents, k3);
  ASSERT_EQ(three.size(), 1u);
  EXPECT_EQ(three[0].agent, "m");
}

TEST(Coaching, UndefinedPeriodBreaksTheStreak) {
  auto agents = two_teams();
  agents[5].values[2] = std::nullopt;  // m had no data in period 2: streak is period 3 only
  coaching_options k2;
  k2.k = 2;
  const auto flags = coaching_flags(agents, k2);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].agent, "d");
  // Team B in period 2 is then {200, 300}: p25 = 200 + 0.25 x 100 = 225; n (200) is under there only.
  coaching_options k1;
  k1.k = 1;
  const auto k1flags = coaching_flags(agents, k1);
  ASSERT_EQ(k1flags.size(), 2u);  // d and m under in the last period; n was under in period 2 only
  EXPECT_EQ(k1flags[0].agent, "d");
  EXPECT_EQ(k1flags[1].agent, "m");
  EXPECT_EQ(k1flags[1].streak, 1u);
}

TEST(Coaching, LowerIsBetterUsesTheUpperQuantile) {
  // AHT (lower is better) {100, 200, 300, 400, 500}: p75 h = 4 x 0.75 = 3 -> 400. Only 500 > 400.
  std::vector<agent_series> agents{{"a", "T", {100.0}},
                                   {"b", "T", {200.0}},
                                   {"c", "T", {300.0}},
                                   {"d", "T", {400.0}},
                                   {"e", "T", {500.0}}};
  coaching_options o;
  o.k = 1;
  o.order = kpi::views::better::lower;
  const auto flags = coaching_flags(agents, o);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].agent, "e");
}

TEST(Coaching, ALoneAgentIsNeverFlagged) {
  std::vector<agent_series> agents{{"solo", "T", {1.0, 1.0, 1.0}}};
  coaching_options o;
  o.k = 1;
  EXPECT_TRUE(coaching_flags(agents, o).empty());
  EXPECT_TRUE(coaching_flags({}, o).empty());
}

TEST(Coaching, InvalidArgumentsAreRejected) {
  const auto agents = two_teams();
  using kpi::errc;
  coaching_options o;
  o.k = 0;
  EXPECT_EQ(code_of([&] { coaching_flags(agents, o); }), errc::invalid_argument);
  o = {};
  o.percentile = 0;
  EXPECT_EQ(code_of([&] { coaching_flags(agents, o); }), errc::invalid_argument);
  o.percentile = 1;
  EXPECT_EQ(code_of([&] { coaching_flags(agents, o); }), errc::invalid_argument);
  o = {};
  o.order = static_cast<kpi::views::better>(3);
  EXPECT_EQ(code_of([&] { coaching_flags(agents, o); }), errc::invalid_argument);
  auto ragged = two_teams();
  ragged[1].values.pop_back();
  EXPECT_EQ(code_of([&] { coaching_flags(ragged, {}); }), errc::invalid_argument);
  auto nan = two_teams();
  nan[0].values[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(code_of([&] { coaching_flags(nan, {}); }), errc::invalid_argument);
}

}  // namespace

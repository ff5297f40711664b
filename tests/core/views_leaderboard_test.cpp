// Tests of kpi/views/leaderboard.hpp: dense ranks, minimum volume, direction.
#include "kpi/views/leaderboard.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using kpi::views::better;
using kpi::views::leaderboard_entry;
using kpi::views::rank;
using kpi::views::standing;

TEST(Leaderboard, TiesShareADenseRank) {
  // Revenue 100, 90, 90, 80: ranks 1, 2, 2, 3 (dense: no gap after the tie).
  const std::vector<leaderboard_entry> in{
      {"dina", 90.0, 30}, {"agus", 100.0, 40}, {"budi", 80.0, 25}, {"citra", 90.0, 50}};
  const auto rows = rank(in, better::higher, 20);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].name, "agus");
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].name, "citra");  // tie broken by name for the listing order only
  EXPECT_EQ(rows[1].rank, 2);
  EXPECT_EQ(rows[2].name, "dina");
  EXPECT_EQ(rows[2].rank, 2);
  EXPECT_EQ(rows[3].name, "budi");
  EXPECT_EQ(rows[3].rank, 3);
  EXPECT_EQ(rows[3].index, 2u);
  for (const auto &r : rows) EXPECT_EQ(r.standing, standing::ranked);
}

TEST(Leaderboard, AgentUnderMinimumVolumeIsListedButNotRanked) {
  // Minimum 20 calls. "eka" has the best rate on 5 calls: listed, not ranked, after the ranked rows.
  // "fajar" has exactly 20 calls: ranked (the minimum is inclusive).
  const std::vector<leaderboard_entry> in{
      {"eka", 0.95, 5}, {"fajar", 0.70, 20}, {"gita", 0.60, 120}, {"hadi", 0.50, 19.5}};
  const auto rows = rank(in, better::higher, 20);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].name, "fajar");
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].name, "gita");
  EXPECT_EQ(rows[1].rank, 2);
  EXPECT_EQ(rows[2].name, "eka");
  EXPECT_EQ(rows[2].rank, 0);
  EXPECT_EQ(rows[2].standing, standing::below_min_volume);
  EXPECT_DOUBLE_EQ(rows[2].volume, 5);
  EXPECT_EQ(rows[3].name, "hadi");
  EXPECT_EQ(rows[3].rank, 0);
  EXPECT_EQ(rows[3].standing, standing::below_min_volume);
}

TEST(Leaderboard, LowerIsBetter) {
  // Abandon rates 0.02, 0.05, 0.01: 0.01 ranks 1, 0.02 ranks 2, 0.05 ranks 3.
  const std::vector<leaderboard_entry> in{{"q1", 0.02, 100}, {"q2", 0.05, 100}, {"q3", 0.01, 100}};
  const auto rows = rank(in, better::lower, 0);
  EXPECT_EQ(rows[0].name, "q3");
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].name, "q1");
  EXPECT_EQ(rows[1].rank, 2);
  EXPECT_EQ(rows[2].name, "q2");
  EXPECT_EQ(rows[2].rank, 3);
}

TEST(Leaderboard, UndefinedValuesAreListedLast) {
  // "ira" had no closed deals: win rate undefined, listed after the low-volume "joko".
  const std::vector<leaderboard_entry> in{
      {"ira", std::nullopt, 50}, {"joko", 0.9, 1}, {"kiki", 0.3, 40}, {"lia", 0.3, 45}};
  const auto rows = rank(in, better::higher, 10);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].name, "kiki");
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].name, "lia");
  EXPECT_EQ(rows[1].rank, 1);
  EXPECT_EQ(rows[2].name, "joko");
  EXPECT_EQ(rows[2].standing, standing::below_min_volume);
  EXPECT_EQ(rows[3].name, "ira");
  EXPECT_EQ(rows[3].standing, standing::undefined_value);
  EXPECT_EQ(rows[3].rank, 0);
  EXPECT_FALSE(rows[3].kpi_value.has_value());
}

TEST(Leaderboard, EmptyInputGivesAnEmptyBoard) {
  EXPECT_TRUE(rank({}, better::higher, 20).empty());
}

TEST(Leaderboard, InvalidArgumentsAreRejected) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<leaderboard_entry> ok{{"a", 1.0, 1}};
  using kpi::errc;
  EXPECT_EQ(code_of([&] { rank(ok, better::higher, -1); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { rank(ok, better::higher, nan); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { rank(ok, static_cast<better>(5), 0); }), errc::invalid_argument);
  const std::vector<leaderboard_entry> neg{{"a", 1.0, -3}};
  EXPECT_EQ(code_of([&] { rank(neg, better::higher, 0); }), errc::invalid_argument);
  const std::vector<leaderboard_entry> bad{{"a", inf, 3}};
  EXPECT_EQ(code_of([&] { rank(bad, better::higher, 0); }), errc::invalid_argument);
}

TEST(Leaderboard, PreferredDirection) {
  using kpi::kpi_id;
  using kpi::views::preferred_direction;
  EXPECT_EQ(preferred_direction(kpi_id::abandon_rate), better::lower);
  EXPECT_EQ(preferred_direction(kpi_id::asa_s), better::lower);
  EXPECT_EQ(preferred_direction(kpi_id::churn_rate), better::lower);
  EXPECT_EQ(preferred_direction(kpi_id::cac), better::lower);
  EXPECT_EQ(preferred_direction(kpi_id::sales_revenue), better::higher);
  EXPECT_EQ(preferred_direction(kpi_id::connection_rate), better::higher);
  EXPECT_EQ(preferred_direction(kpi_id::win_rate), better::higher);
}

}  // namespace

/// @file
/// @brief Coaching flags: agents below their team's 25th percentile on a KPI for k consecutive periods
/// (kpis.md, "Views over KPIs").
///
/// Pure functions over values the engine produces. Thread-safety: pure and reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kpi/value.hpp"
#include "kpi/views/leaderboard.hpp"

namespace kpi::views {

/// The sample quantile of type 7 (Hyndman & Fan 1996; the default of R, NumPy and Excel's
/// PERCENTILE.INC): with the n values sorted x[0] <= ... <= x[n−1], h = (n − 1)·p and
/// Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Undefined for an empty sample. O(n log n).
/// @throws kpi::error errc::invalid_argument for p outside [0, 1] or a non-finite value.
value quantile_type7(std::span<const double> values, double p);

/// One agent's series of a KPI over consecutive periods (index 0 the oldest; every agent's series uses
/// the same periods).
struct agent_series {
  std::string agent;          ///< The agent id.
  std::string team;           ///< The agent's team; percentiles are taken within each team.
  std::vector<value> values;  ///< The KPI per period; undefined where the agent had no data.
};

/// Options of coaching_flags().
struct coaching_options {
  std::size_t k = 3;              ///< Consecutive periods needed, >= 1.
  double percentile = 0.25;       ///< The team quantile p in (0, 1) (type 7).
  better order = better::higher;  ///< Direction of the KPI: for `lower`, "below the p25" means worse
                                  ///< than the team's 1 − p quantile, i.e. strictly above its p75.
};

/// A coaching flag.
struct coaching_flag {
  std::size_t index = 0;   ///< Index of the agent in the input span.
  std::string agent;       ///< The agent id.
  std::string team;        ///< The agent's team.
  std::size_t streak = 0;  ///< Consecutive periods under the team quantile, ending at the last period.
  std::size_t since = 0;   ///< Index of the first period of that streak.
};

/// Agents under their team's quantile for at least `k` consecutive periods ending at the last one.
///
/// For every period t and team T, Q_T(t) is the type-7 quantile (percentile p; 1 − p for `lower`) of
/// the defined values of T's agents at t (the agent itself included). Agent a of T is under at t when
/// its value is defined and strictly below Q_T(t) (`higher`) or strictly above it (`lower`); an
/// undefined value breaks the streak. Returns the agents whose streak ending at the last period is
/// >= k, in input order. A team with one defined value at t flags nobody at t (x < x never holds).
///
/// O(periods × agents × log agents). @throws kpi::error errc::invalid_argument for k = 0, p outside
/// (0, 1), series of different lengths, a non-finite value or an order out of range.
std::vector<coaching_flag> coaching_flags(std::span<const agent_series> agents,
                                          const coaching_options &options = {});

}  // namespace kpi::views

/// @file
/// @brief Leaderboards: agents (or any groups) ranked by a KPI, with a minimum volume below which an
/// entry is listed but not ranked, and dense ranks for ties (kpis.md, "Views over KPIs").
///
/// Pure functions over values the engine produces. Thread-safety: pure and reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kpi/catalog.hpp"
#include "kpi/value.hpp"

namespace kpi::views {

/// Which direction of a KPI is better. Values are pinned (the C ABI's `KPI_BETTER_*`).
enum class better : std::int32_t {
  higher = 0,  ///< Larger values are better (revenue, connection_rate, win_rate).
  lower = 1,   ///< Smaller values are better (abandon_rate, asa_s, churn_rate, cac).
};

/// The usual direction of a KPI: lower for abandoned_calls, abandon_rate, asa_s, avg_queue_time_s,
/// avg_abandon_time_s, short_call_share, repeat_call_rate, aht_s, avg_response_time_s,
/// median_response_time_s, uncontacted_leads, avg_sales_cycle_days, median_sales_cycle_days,
/// customers_lost, churn_rate, cac and cost_per_lead; higher for every other KPI. (Talk time is best
/// inside a band: rank it against a `between` target instead.) Pure.
better preferred_direction(kpi_id id) noexcept;

/// One entry to rank.
struct leaderboard_entry {
  std::string name;   ///< The agent (or group) id.
  value kpi_value;    ///< The KPI's value; undefined entries are listed, unranked.
  double volume = 0;  ///< The volume behind the value (calls, orders, leads...), >= 0.
};

/// Why a row is or is not ranked. Values are pinned (the C ABI's `KPI_STANDING_*`).
enum class standing : std::int32_t {
  ranked = 0,            ///< Ranked: volume >= min_volume and a defined value.
  below_min_volume = 1,  ///< Listed, not ranked: volume < min_volume.
  undefined_value = 2,   ///< Listed, not ranked: the value is undefined (volume may be anything).
};

/// One row of a leaderboard.
struct leaderboard_row {
  std::size_t index = 0;                             ///< Index of the entry in the input span.
  std::string name;                                  ///< The entry's name.
  value kpi_value;                                   ///< The entry's value.
  double volume = 0;                                 ///< The entry's volume.
  std::int32_t rank = 0;                             ///< Dense rank, 1 = best; 0 when not ranked.
  kpi::views::standing standing = standing::ranked;  ///< Ranked, or why not.
};

/// Ranks `entries` by value in direction `order`.
///
/// - An entry is ranked when its value is defined and `volume >= min_volume` (a minimum of 20 calls
///   ranks an agent with exactly 20).
/// - Dense ranking: equal values (exact comparison) share a rank and the next value gets the next
///   integer (100, 90, 90, 80 rank 1, 2, 2, 3).
/// - Row order: ranked rows by rank, then unranked rows below minimum volume by value in the same
///   direction, then rows with an undefined value; ties inside each part by name, then input index.
///
/// O(n log n). @throws kpi::error errc::invalid_argument for a negative or non-finite min_volume or
/// volume, a non-finite value, or an order out of range.
std::vector<leaderboard_row> rank(std::span<const leaderboard_entry> entries, better order,
                                  double min_volume);

}  // namespace kpi::views

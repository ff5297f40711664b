// Leaderboards with a minimum volume and dense ranks (kpi/views/leaderboard.hpp).
#include "kpi/views/leaderboard.hpp"

#include <algorithm>
#include <cmath>

#include "detail.hpp"
#include "kpi/error.hpp"

namespace kpi::views {
namespace {

using detail::invalid;
using detail::num;

}  // namespace

better preferred_direction(kpi_id id) noexcept {
  switch (id) {
    case kpi_id::abandoned_calls:
    case kpi_id::abandon_rate:
    case kpi_id::asa_s:
    case kpi_id::avg_queue_time_s:
    case kpi_id::avg_abandon_time_s:
    case kpi_id::short_call_share:
    case kpi_id::repeat_call_rate:
    case kpi_id::aht_s:
    case kpi_id::avg_response_time_s:
    case kpi_id::median_response_time_s:
    case kpi_id::uncontacted_leads:
    case kpi_id::avg_sales_cycle_days:
    case kpi_id::median_sales_cycle_days:
    case kpi_id::customers_lost:
    case kpi_id::churn_rate:
    case kpi_id::cac:
    case kpi_id::cost_per_lead:
      return better::lower;
    default:
      return better::higher;
  }
}

std::vector<leaderboard_row> rank(std::span<const leaderboard_entry> entries, better order,
                                  double min_volume) {
  if (order != better::higher && order != better::lower) {
    invalid("leaderboard order " + std::to_string(static_cast<std::int32_t>(order)) +
            " is not higher (0) or lower (1)");
  }
  if (!(std::isfinite(min_volume) && min_volume >= 0)) {
    invalid("leaderboard min_volume " + num(min_volume) + " must be finite and >= 0");
  }
  std::vector<leaderboard_row> rows;
  rows.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto &e = entries[i];
    if (!(std::isfinite(e.volume) && e.volume >= 0)) {
      invalid("leaderboard entry '" + e.name + "': volume " + num(e.volume) + " must be finite and >= 0");
    }
    if (e.kpi_value && !std::isfinite(*e.kpi_value)) {
      invalid("leaderboard entry '" + e.name + "': value " + num(*e.kpi_value) + " is not finite");
    }
    leaderboard_row r;
    r.index = i;
    r.name = e.name;
    r.kpi_value = e.kpi_value;
    r.volume = e.volume;
    if (!e.kpi_value) {
      r.standing = standing::undefined_value;
    } else if (e.volume < min_volume) {
      r.standing = standing::below_min_volume;
    } else {
      r.standing = standing::ranked;
    }
    rows.push_back(std::move(r));
  }

  const bool higher = order == better::higher;
  // Part (ranked, below minimum, undefined), then value best first, then name, then input index.
  std::sort(rows.begin(), rows.end(), [higher](const leaderboard_row &a, const leaderboard_row &b) {
    if (a.standing != b.standing) return a.standing < b.standing;
    if (a.kpi_value && b.kpi_value && *a.kpi_value != *b.kpi_value) {
      return higher ? *a.kpi_value > *b.kpi_value : *a.kpi_value < *b.kpi_value;
    }
    if (a.name != b.name) return a.name < b.name;
    return a.index < b.index;
  });

  std::int32_t current = 0;
  const leaderboard_row *previous = nullptr;
  for (auto &r : rows) {
    if (r.standing != standing::ranked) break;  // ranked rows come first
    if (previous == nullptr || *r.kpi_value != *previous->kpi_value) ++current;
    r.rank = current;
    previous = &r;
  }
  return rows;
}

}  // namespace kpi::views

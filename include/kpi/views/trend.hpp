/// @file
/// @brief Trend: the least-squares slope of a KPI over the last N periods, and projections to the end
/// of the enclosing period (kpis.md, "Views over KPIs").
///
/// Pure functions over values the engine produces. Thread-safety: pure and reentrant.
#pragma once

#include <cstddef>
#include <span>

#include "kpi/value.hpp"

namespace kpi::views {

/// An ordinary least-squares line `y = intercept + slope · x` fitted to a series, where x is the
/// 0-based index of each value in the series passed to fit_trend() (so the line extrapolates by index).
struct trend_fit {
  value slope;             ///< Change per period (KPI units per period); undefined with < 2 points.
  value intercept;         ///< Fitted value at index 0; undefined with < 2 points.
  std::size_t points = 0;  ///< Defined values the fit used.

  /// The fitted value at index `x` (intercept + slope · x); undefined when the fit is.
  [[nodiscard]] value at(double x) const noexcept {
    if (!slope || !intercept) return std::nullopt;
    return *intercept + *slope * x;
  }
};

/// Fits a line to the last `n` entries of `series` (all of them when n >= size), skipping undefined
/// entries (their index is kept, so gaps do not shift time). Slope and intercept are undefined when
/// fewer than 2 defined values remain. O(n).
/// @throws kpi::error errc::invalid_argument for n < 2 or a non-finite value.
trend_fit fit_trend(std::span<const value> series, std::size_t n);

/// Projections of an additive KPI (see is_additive()) to the end of a period from the values of its
/// elapsed sub-periods (e.g. the days of a month so far).
struct period_projection {
  double actual = 0;  ///< Sum of the defined values so far.
  /// Run rate: actual × total / elapsed, elapsed = series.size(); undefined for an empty series.
  value run_rate;
  /// Trend: actual plus the fitted line (fit_trend over the last n sub-periods) summed over the
  /// remaining sub-periods, indices elapsed .. total − 1; not clamped at 0. Undefined when the fit is.
  /// Equal to actual when no sub-period remains.
  value trend;
};

/// Projects an additive KPI to the end of a period of `total` sub-periods, of which `series` holds the
/// elapsed ones in order (series.size() <= total). Undefined sub-periods count as 0 in the sum and are
/// skipped by the fit.
/// @throws kpi::error errc::invalid_argument for series.size() > total, n < 2, a non-finite value.
period_projection project_to_period_end(std::span<const value> series, std::size_t total, std::size_t n);

}  // namespace kpi::views

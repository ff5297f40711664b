/// @file
/// @brief Anomaly alerts on a daily or hourly KPI series: a robust z-score over a trailing window after
/// day-of-week (or hour-of-week) effects are removed, flagged beyond 3.5 (Iglewicz & Hoaglin), with a
/// guard for MAD = 0 (kpis.md, "Views over KPIs"; the method in full is in docs/views.md).
///
/// For a new point x at time t, over the points of the trailing window (the `window_days` local days
/// before t's local day for a daily series, the `window_days` × 24 h before t for an hourly one):
/// 1. Seasonal baseline: each point's season is its local weekday (`day_of_week`) or local weekday and
///    hour (`hour_of_week`), or one season for all (`none`). s(w) is the median of the window's points
///    of season w (additive model: the effect is subtracted).
/// 2. Residuals: r = x − s(season of t) for the new point; for each window point, r_i = x_i − the median
///    of the OTHER window points of its season (leave-one-out, so that r_i, like r, is measured against
///    a median it is not part of: in-sample medians shrink the residuals of 4-point seasons and inflate
///    z). Points alone in their season give no r_i.
/// 3. m = median(r_i), MAD = median(|r_i − m|), z = 0.6745 · (r − m) / MAD.
/// 4. MAD = 0 guard (more than half the residuals equal): the scale falls back to the mean absolute
///    deviation, z = (r − m) / (1.253314 · MeanAD) (1.253314 = √(π/2), the normal σ / MeanAD ratio, so
///    both forms estimate (r − m)/σ); when MeanAD is 0 too (every residual equal), z is undefined and
///    the point is flagged exactly when r ≠ m (any departure from a perfectly regular history).
/// 5. Flagged when |z| > threshold (strict) and |r − m| > min_deviation.
/// No point is judged before the window holds min_history points and t's season holds at least 2.
///
/// Thread-safety: anomaly_detector is not thread-safe (it keeps the history); detect_anomalies() is
/// reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "kpi/time.hpp"
#include "kpi/value.hpp"

namespace kpi::views {

/// The seasonal effect removed before scoring. Values are pinned (the C ABI's `KPI_SEASON_*`).
enum class seasonality : std::int32_t {
  none = 0,          ///< No seasonal effect: residual = value.
  day_of_week = 1,   ///< Local weekday (7 seasons): for daily series.
  hour_of_week = 2,  ///< Local weekday and hour (168 seasons): for hourly series.
};

/// The resolution of the series, which sets how the trailing window is cut. Values are pinned.
enum class resolution : std::int32_t {
  daily = 0,   ///< One point per local day; the window is the window_days local days before.
  hourly = 1,  ///< One point per hour; the window is the window_days × 24 hours before.
};

/// Options of the detector.
struct anomaly_options {
  kpi::views::resolution resolution = resolution::daily;           ///< Daily or hourly series.
  kpi::views::seasonality seasonality = seasonality::day_of_week;  ///< Effect removed first.
  std::int32_t window_days = 28;  ///< Trailing window length in days, >= 1 (28 = 4 of each weekday).
  double threshold = 3.5;         ///< Flag when |z| > threshold (> 0; Iglewicz & Hoaglin's 3.5).
  std::size_t min_history = 14;   ///< Points the window must hold before any point is judged, >= 3.
  double min_deviation = 0;       ///< Also require |r − m| > this (KPI units, >= 0): ignores tiny
                                  ///< departures when the history is almost constant.
  time_zone zone;                 ///< Zone of the local weekday, hour and day (default UTC).

  /// Throws kpi::error(errc::invalid_argument) naming the first option out of range.
  void validate() const;
};

/// One point of a KPI series: the start of its day or hour, and the KPI's value there.
struct series_point {
  timestamp time;   ///< Start of the period the value covers (UTC instant).
  value kpi_value;  ///< The KPI over that period; undefined points are skipped.
};

/// An anomaly alert.
struct anomaly_alert {
  timestamp time;              ///< The flagged point's time.
  double actual = 0;           ///< Its value.
  double expected = 0;         ///< Its expected value: s(season) + m (baseline plus median residual).
  value score;                 ///< The robust z-score; undefined when MAD and MeanAD are both 0.
  std::int32_t direction = 0;  ///< +1 a spike (above expected), −1 a drop.
  double scale = 0;            ///< The scale used: MAD / 0.6745, 1.253314 · MeanAD, or 0 (KPI units ≈ σ).
  std::size_t history = 0;     ///< Points in the trailing window it was judged against.
};

/// Called with each alert. It runs on the thread that pushed the point; an exception it throws
/// propagates out of push() (the point is kept in the history).
using anomaly_callback = std::function<void(const anomaly_alert &)>;

/// A streaming anomaly detector: push the points of one series in time order, one at a time.
///
/// Memory: the points of one trailing window (28 for a daily series, 672 for an hourly one).
/// Cost per push: O(W log W) for W points in the window (medians by sorting).
/// Not thread-safe; copyable (the callback is copied too).
class anomaly_detector {
 public:
  /// A detector with `options` (validated) that calls `on_alert` (may be empty) for each alert.
  /// @throws kpi::error errc::invalid_argument for invalid options.
  explicit anomaly_detector(const anomaly_options &options = {}, anomaly_callback on_alert = {});

  /// Judges the point against the history, calls the callback when it is an anomaly, then adds it to
  /// the history. An undefined value is skipped (nothing happens). Returns the alert, if any.
  /// @throws kpi::error errc::invalid_argument when `time` is not after the previous point's time, or
  ///         for a non-finite value; whatever the callback throws.
  std::optional<anomaly_alert> push(timestamp time, value kpi_value);

  /// push(p.time, p.kpi_value).
  std::optional<anomaly_alert> push(const series_point &p) { return push(p.time, p.kpi_value); }

  /// The options.
  [[nodiscard]] const anomaly_options &options() const noexcept { return options_; }

  /// Points currently in the history (those the next point could be judged against, and newer).
  [[nodiscard]] std::size_t history_size() const noexcept { return history_.size(); }

  /// Forgets the history (the options and callback stay).
  void reset() noexcept;

 private:
  struct point {
    timestamp time;
    std::int32_t local_day;
    std::int32_t season;
    double x;
  };
  [[nodiscard]] point locate(timestamp t, double x) const;
  void evict(const point &p);
  anomaly_options options_;
  anomaly_callback on_alert_;
  std::deque<point> history_;
  std::optional<timestamp> last_;
};

/// Runs a detector over a whole series (in time order) and returns its alerts in time order.
/// @throws kpi::error errc::invalid_argument as anomaly_detector and push().
std::vector<anomaly_alert> detect_anomalies(std::span<const series_point> series,
                                            const anomaly_options &options = {});

}  // namespace kpi::views

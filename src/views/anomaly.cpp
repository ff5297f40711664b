// Anomaly alerts: robust z-score over a trailing window after seasonal effects are removed
// (kpi/views/anomaly.hpp; the method is documented there and in docs/views.md).
#include "kpi/views/anomaly.hpp"

#include <algorithm>
#include <boost/math/statistics/univariate_statistics.hpp>
#include <chrono>
#include <cmath>
#include <numbers>
#include <utility>

#include "detail.hpp"

namespace kpi::views {
namespace {

using detail::invalid;
using detail::num;

constexpr double iglewicz_hoaglin_k = 0.6745;  // z = 0.6745 (x - median) / MAD
constexpr std::int32_t max_window_days = 3660;
constexpr std::int64_t ms_per_day = 86'400'000;
constexpr std::int64_t ms_per_hour = 3'600'000;

// Median of a scratch vector (reordered). Boost.Math's median (nth_element). Its
// median_absolute_deviation is not used: in Boost 1.74 it returns |x_mid| instead of |x_mid - center|
// for a non-zero center, so the MAD below takes the median of explicit deviations instead.
double median_of(std::vector<double> &v) {
  return boost::math::statistics::median(v.begin(), v.end());
}

// Median of the first n values of an ascending vector (n >= 1).
double median_sorted(const std::vector<double> &v, std::size_t n) {
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

// Median of an ascending vector without its element `skip` (size >= 2): index k of the reduced
// sequence is k (k < skip) or k + 1 in the original.
double median_without(const std::vector<double> &v, std::size_t skip) {
  const std::size_t n = v.size() - 1;
  const auto at = [&](std::size_t k) { return v[k < skip ? k : k + 1]; };
  return n % 2 == 1 ? at(n / 2) : (at(n / 2 - 1) + at(n / 2)) / 2.0;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

}  // namespace

void anomaly_options::validate() const {
  if (resolution != resolution::daily && resolution != resolution::hourly) {
    invalid("anomaly resolution " + std::to_string(static_cast<std::int32_t>(resolution)) +
            " is not daily (0) or hourly (1)");
  }
  if (seasonality != seasonality::none && seasonality != seasonality::day_of_week &&
      seasonality != seasonality::hour_of_week) {
    invalid("anomaly seasonality " + std::to_string(static_cast<std::int32_t>(seasonality)) +
            " is not none (0), day_of_week (1) or hour_of_week (2)");
  }
  if (window_days < 1 || window_days > max_window_days) {
    invalid("anomaly window_days " + std::to_string(window_days) + " is outside [1, " +
            std::to_string(max_window_days) + "]");
  }
  if (!(std::isfinite(threshold) && threshold > 0)) {
    invalid("anomaly threshold " + num(threshold) + " must be finite and > 0");
  }
  if (min_history < 3) invalid("anomaly min_history " + std::to_string(min_history) + " must be >= 3");
  if (!(std::isfinite(min_deviation) && min_deviation >= 0)) {
    invalid("anomaly min_deviation " + num(min_deviation) + " must be finite and >= 0");
  }
}

anomaly_detector::anomaly_detector(const anomaly_options &options, anomaly_callback on_alert)
    : options_(options), on_alert_(std::move(on_alert)) {
  options_.validate();
}

void anomaly_detector::reset() noexcept {
  history_.clear();
  last_.reset();
}

anomaly_detector::point anomaly_detector::locate(timestamp t, double x) const {
  point p{t, options_.zone.local_day(t), 0, x};
  const std::int32_t weekday = static_cast<std::int32_t>(floor_mod(p.local_day + 3, 7));  // Monday 0
  switch (options_.seasonality) {
    case seasonality::none:
      break;
    case seasonality::day_of_week:
      p.season = weekday;
      break;
    case seasonality::hour_of_week: {
      const std::int64_t local_ms = to_unix_ms(t) + options_.zone.offset(t).count() * 1000;
      p.season = weekday * 24 + static_cast<std::int32_t>(floor_mod(local_ms, ms_per_day) / ms_per_hour);
      break;
    }
  }
  return p;
}

void anomaly_detector::evict(const point &p) {
  if (options_.resolution == resolution::daily) {
    const std::int32_t first_day = p.local_day - options_.window_days;
    while (!history_.empty() && history_.front().local_day < first_day) history_.pop_front();
  } else {
    const timestamp first = p.time - std::chrono::milliseconds(ms_per_day * options_.window_days);
    while (!history_.empty() && history_.front().time < first) history_.pop_front();
  }
}

std::optional<anomaly_alert> anomaly_detector::push(timestamp time, value kpi_value) {
  if (last_ && time <= *last_) {
    invalid("anomaly series out of order: " + format_timestamp(time) + " is not after " +
            format_timestamp(*last_));
  }
  if (kpi_value && !std::isfinite(*kpi_value)) invalid("anomaly value " + num(*kpi_value) + " is not finite");
  if (!kpi_value) {
    last_ = time;
    return std::nullopt;
  }
  const point p = locate(time, *kpi_value);
  if (options_.resolution == resolution::daily && !history_.empty() &&
      history_.back().local_day >= p.local_day) {
    invalid("anomaly daily series has two points on the local day of " + format_timestamp(time));
  }
  last_ = time;
  evict(p);

  std::optional<anomaly_alert> alert;
  if (history_.size() >= options_.min_history) {
    // Seasons: sort (season, value) pairs, so each season's values form one sorted run.
    std::vector<std::pair<std::int32_t, double>> by_season;
    by_season.reserve(history_.size());
    for (const auto &h : history_) by_season.emplace_back(h.season, h.x);
    std::sort(by_season.begin(), by_season.end());
    struct season_run {
      std::int32_t season;
      std::size_t first, count;
    };
    std::vector<season_run> runs;
    for (std::size_t i = 0; i < by_season.size();) {
      std::size_t j = i;
      while (j < by_season.size() && by_season[j].first == by_season[i].first) ++j;
      runs.push_back({by_season[i].first, i, j - i});
      i = j;
    }
    const auto run_of = [&runs](std::int32_t season) -> const season_run * {
      const auto it = std::lower_bound(runs.begin(), runs.end(), season,
                                       [](const season_run &r, std::int32_t k) { return r.season < k; });
      return it != runs.end() && it->season == season ? &*it : nullptr;
    };
    const season_run *own = run_of(p.season);
    if (own != nullptr && own->count >= 2) {
      std::vector<double> values(own->count);
      for (std::size_t k = 0; k < own->count; ++k) values[k] = by_season[own->first + k].second;
      const double s = median_sorted(values, values.size());  // the new point's seasonal baseline
      // Window residuals, leave-one-out: each point against the median of the OTHER points of its
      // season, as the new point is against a median it is not part of. In-sample medians would shrink
      // the residuals of a 4-point season (a point pulls its own median) and so inflate z: on Gaussian
      // noise they flagged 5.6 % of days instead of well under 1 %. Seasons with one point give none.
      std::vector<double> residuals;
      residuals.reserve(history_.size());
      for (const auto &r : runs) {
        if (r.count < 2) continue;
        std::vector<double> sorted(r.count);
        for (std::size_t k = 0; k < r.count; ++k) sorted[k] = by_season[r.first + k].second;
        for (std::size_t k = 0; k < r.count; ++k) residuals.push_back(sorted[k] - median_without(sorted, k));
      }
      std::vector<double> scratch = residuals;
      const double m = median_of(scratch);
      std::vector<double> deviations;
      deviations.reserve(residuals.size());
      double deviation_sum = 0;
      for (double r : residuals) {
        deviations.push_back(std::fabs(r - m));
        deviation_sum += std::fabs(r - m);
      }
      const double mad = median_of(deviations);
      const double d = (p.x - s) - m;

      value z;
      double scale = 0;
      if (mad > 0) {
        scale = mad / iglewicz_hoaglin_k;
        z = iglewicz_hoaglin_k * d / mad;
      } else {
        const double mean_ad = deviation_sum / static_cast<double>(residuals.size());
        if (mean_ad > 0) {
          scale = std::sqrt(std::numbers::pi / 2.0) * mean_ad;  // 1.253314 · MeanAD estimates σ
          z = d / scale;
        }
      }
      const bool beyond = z ? std::fabs(*z) > options_.threshold : d != 0.0;
      if (beyond && std::fabs(d) > options_.min_deviation) {
        anomaly_alert a;
        a.time = time;
        a.actual = p.x;
        a.expected = s + m;
        a.score = z;
        a.direction = d > 0 ? 1 : -1;
        a.scale = scale;
        a.history = history_.size();
        alert = a;
      }
    }
  }
  history_.push_back(p);
  if (alert && on_alert_) on_alert_(*alert);
  return alert;
}

std::vector<anomaly_alert> detect_anomalies(std::span<const series_point> series,
                                            const anomaly_options &options) {
  anomaly_detector detector(options);
  std::vector<anomaly_alert> alerts;
  for (const auto &p : series) {
    if (auto a = detector.push(p)) alerts.push_back(*a);
  }
  return alerts;
}

}  // namespace kpi::views

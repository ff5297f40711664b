// Trend: least-squares slope and period-end projections (kpi/views/trend.hpp).
#include "kpi/views/trend.hpp"

#include <boost/math/statistics/linear_regression.hpp>
#include <cmath>
#include <vector>

#include "detail.hpp"

namespace kpi::views {
namespace {

using detail::invalid;
using detail::num;

void check_finite(std::span<const value> series, const char *what) {
  for (const auto &v : series) {
    if (v && !std::isfinite(*v)) invalid(std::string(what) + ": value " + num(*v) + " is not finite");
  }
}

}  // namespace

trend_fit fit_trend(std::span<const value> series, std::size_t n) {
  if (n < 2) invalid("trend needs n >= 2 periods, got " + std::to_string(n));
  check_finite(series, "trend");
  const std::size_t first = series.size() > n ? series.size() - n : 0;
  std::vector<double> x;
  std::vector<double> y;
  for (std::size_t i = first; i < series.size(); ++i) {
    if (series[i]) {
      x.push_back(static_cast<double>(i));
      y.push_back(*series[i]);
    }
  }
  trend_fit fit;
  fit.points = x.size();
  if (x.size() < 2) return fit;  // distinct indices, so two points always have variance in x
  const auto [c0, c1] = boost::math::statistics::simple_ordinary_least_squares(x, y);
  fit.intercept = c0;
  fit.slope = c1;
  return fit;
}

period_projection project_to_period_end(std::span<const value> series, std::size_t total, std::size_t n) {
  if (series.size() > total) {
    invalid("projection: " + std::to_string(series.size()) + " elapsed sub-periods exceed the period's " +
            std::to_string(total));
  }
  const trend_fit fit = fit_trend(series, n);  // validates n and the values
  period_projection out;
  for (const auto &v : series) out.actual += v.value_or(0.0);
  if (!series.empty()) {
    out.run_rate = out.actual * static_cast<double>(total) / static_cast<double>(series.size());
  }
  if (series.size() == total) {
    out.trend = out.actual;
  } else if (fit.slope) {
    double rest = 0;
    for (std::size_t i = series.size(); i < total; ++i) rest += *fit.at(static_cast<double>(i));
    out.trend = out.actual + rest;
  }
  return out;
}

}  // namespace kpi::views

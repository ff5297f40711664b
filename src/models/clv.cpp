// Predictive CLV: discounted BG/NBD purchases times Gamma-Gamma value.
#include "kpi/models/clv.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "models/detail.hpp"

namespace kpi::models {
namespace {

// 4.345 weeks a month (365 / 12 / 7 = 4.3452, rounded as common practice has it); days follow from it.
constexpr double kWeeksPerMonth = 4.345;

double month_length(const clv_options &o) {
  if (o.horizon_months < 0)
    throw error(errc::invalid_argument,
                "CLV: horizon_months must be >= 0, got " + std::to_string(o.horizon_months));
  detail::require_non_negative("CLV monthly_discount", o.monthly_discount);
  detail::require_non_negative("CLV units_per_month", o.units_per_month);
  return o.units_per_month > 0 ? o.units_per_month : units_per_month(o.unit);
}

// E[Y(k f)] for k = 0..H.
std::vector<double> cumulative_purchases(const bgnbd_params &p, const customer_summary &c, double f,
                                         int months) {
  std::vector<double> out(static_cast<std::size_t>(months) + 1, 0.0);
  for (int k = 1; k <= months; ++k)
    out[static_cast<std::size_t>(k)] = bgnbd_conditional_expected_purchases(p, k * f, c.x, c.t_x, c.T);
  return out;
}

double discounted(double value, const std::vector<double> &cum, double d) {
  double sum = 0;
  double factor = 1;
  for (std::size_t k = 1; k < cum.size(); ++k) {
    factor /= (1 + d);
    sum += value * (cum[k] - cum[k - 1]) * factor;
  }
  return sum;
}

}  // namespace

double units_per_month(time_unit unit) {
  // Exact constants per unit (4.345 * 7 / 7 is not exactly 4.345 in binary floating point).
  return unit == time_unit::week ? kWeeksPerMonth : kWeeksPerMonth * 7.0 / days_per_unit(unit);
}

kpi::value clv(const bgnbd_params &purchases, const gamma_gamma_params &value,
               const customer_summary &customer, const clv_options &options) {
  const double f = month_length(options);
  validate(customer);
  const kpi::value m = gamma_gamma_expected_value(value, customer.x, customer.zbar);
  const auto cum = cumulative_purchases(purchases, customer, f, options.horizon_months);
  if (!m) return std::nullopt;
  return discounted(*m, cum, options.monthly_discount);
}

std::vector<customer_value> score_customers(const bgnbd_params &purchases,
                                            const std::optional<gamma_gamma_params> &value,
                                            std::span<const customer_summary> customers,
                                            const clv_options &options) {
  const double f = month_length(options);
  std::vector<customer_value> out;
  out.reserve(customers.size());
  for (const customer_summary &c : customers) {
    validate(c);
    customer_value v;
    v.id = c.id;
    v.p_alive = bgnbd_p_alive(purchases, c.x, c.t_x, c.T);
    const auto cum = cumulative_purchases(purchases, c, f, options.horizon_months);
    v.expected_purchases = cum.back();
    if (value) {
      v.expected_value = gamma_gamma_expected_value(*value, c.x, c.zbar);
      if (v.expected_value) v.clv = discounted(*v.expected_value, cum, options.monthly_discount);
    }
    out.push_back(std::move(v));
  }
  return out;
}

clv_report analyze_customers(std::span<const customer_summary> customers, const clv_options &options,
                             const fit_options &fit) {
  month_length(options);  // reject bad options before fitting
  clv_report report;
  report.purchases = fit_bgnbd(customers, fit);
  std::size_t repeat_buyers = 0;
  for (const customer_summary &c : customers)
    if (c.x >= 1 && c.zbar > 0) ++repeat_buyers;
  if (repeat_buyers >= 2) report.value = fit_gamma_gamma(customers, fit);
  report.customers =
      score_customers(report.purchases.params,
                      report.value ? std::optional(report.value->params) : std::nullopt, customers, options);
  return report;
}

}  // namespace kpi::models

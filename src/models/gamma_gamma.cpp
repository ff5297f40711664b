// The Gamma-Gamma model of monetary value (Fader & Hardie; Colombo & Jiang 1999).
#include "kpi/models/gamma_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "models/detail.hpp"

namespace kpi::models {
namespace {

void check(const gamma_gamma_params &p) {
  detail::require_positive("Gamma-Gamma p", p.p);
  detail::require_positive("Gamma-Gamma q", p.q);
  detail::require_positive("Gamma-Gamma gamma", p.gamma);
}

bool qualifies(const customer_summary &c) {
  return c.x >= 1 && c.zbar > 0;
}

}  // namespace

double gamma_gamma_loglik(const gamma_gamma_params &p, std::span<const customer_summary> customers) {
  check(p);
  double ll = 0;
  for (const customer_summary &c : customers) {
    validate(c);
    if (!qualifies(c)) continue;
    const double px = p.p * c.x;
    ll += detail::lgam(px + p.q) - detail::lgam(px) - detail::lgam(p.q) + p.q * std::log(p.gamma) +
          (px - 1) * std::log(c.zbar) + px * std::log(c.x) - (px + p.q) * std::log(p.gamma + c.x * c.zbar);
  }
  return ll;
}

gamma_gamma_fit fit_gamma_gamma(std::span<const customer_summary> customers, const fit_options &options) {
  if (options.max_iterations < 1 || !(options.tolerance > 0 && options.tolerance < 1))
    throw error(errc::invalid_argument,
                "Gamma-Gamma fit: max_iterations must be >= 1 and tolerance in (0, 1)");
  struct row {
    double x, zbar, log_zbar;
    std::size_t xi;
  };
  std::vector<row> rows;
  for (const customer_summary &c : customers) {
    validate(c);
    if (qualifies(c)) rows.push_back({c.x, c.zbar, std::log(c.zbar), 0});
  }
  if (rows.size() < 2)
    throw error(errc::invalid_argument,
                "Gamma-Gamma fit: needs at least 2 customers with x >= 1 and zbar > 0, got " +
                    std::to_string(rows.size()));
  std::sort(rows.begin(), rows.end(), [](const row &l, const row &r) { return l.x < r.x; });
  std::vector<double> xs, x_weight, x_log;
  for (row &r : rows) {
    if (xs.empty() || xs.back() != r.x) {
      xs.push_back(r.x);
      x_weight.push_back(0);
      x_log.push_back(std::log(r.x));
    }
    x_weight.back() += 1;
    r.xi = xs.size() - 1;
  }
  std::vector<double> dg_pxq(xs.size());

  // Minimize -LL over (log p, log q, log gamma).
  auto objective = [&](const std::vector<double> &theta, std::vector<double> &grad) {
    const double p = std::exp(theta[0]), q = std::exp(theta[1]), g = std::exp(theta[2]);
    if (!std::isfinite(p) || !std::isfinite(q) || !std::isfinite(g) || p == 0 || q == 0 || g == 0)
      return std::numeric_limits<double>::infinity();
    const double log_g = std::log(g), lg_q = detail::lgam(q), dg_q = detail::digam(q);
    double ll = 0, g_p = 0, g_q = 0, g_g = 0;
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const double px = p * xs[k];
      const double wk = x_weight[k];
      dg_pxq[k] = detail::digam(px + q);
      ll += wk * (detail::lgam(px + q) - detail::lgam(px) - lg_q + q * log_g + px * x_log[k]);
      g_p += wk * xs[k] * (dg_pxq[k] - detail::digam(px) + x_log[k]);
      g_q += wk * (dg_pxq[k] - dg_q + log_g);
      g_g += wk * q / g;
    }
    for (const row &r : rows) {
      const double px = p * r.x;
      const double l_den = std::log(g + r.x * r.zbar);
      ll += (px - 1) * r.log_zbar - (px + q) * l_den;
      g_p += r.x * (r.log_zbar - l_den);
      g_q -= l_den;
      g_g -= (px + q) / (g + r.x * r.zbar);
    }
    grad[0] = -p * g_p;
    grad[1] = -q * g_q;
    grad[2] = -g * g_g;
    return -ll;
  };

  const auto m = detail::minimize(objective, {0.0, 0.0, 0.0}, options.max_iterations, options.tolerance,
                                  "Gamma-Gamma fit");
  gamma_gamma_fit out;
  out.params = {std::exp(m.x[0]), std::exp(m.x[1]), std::exp(m.x[2])};
  out.loglik = -m.f;
  out.iterations = m.iterations;
  out.customers = static_cast<std::int64_t>(rows.size());
  return out;
}

kpi::value gamma_gamma_expected_value(const gamma_gamma_params &p, double x, double zbar) {
  check(p);
  if (!std::isfinite(x) || x < 0 || x != std::floor(x))
    throw error(errc::invalid_argument,
                "Gamma-Gamma: x must be a whole number >= 0, got " + std::to_string(x));
  detail::require_non_negative("Gamma-Gamma zbar", zbar);
  const double den = p.p * x + p.q - 1;
  if (!(den > 0)) return std::nullopt;
  return p.p * (p.gamma + x * zbar) / den;
}

}  // namespace kpi::models

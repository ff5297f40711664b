// The shifted-beta-geometric model of contract duration (Fader & Hardie 2007).
#include "kpi/models/sbg.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "models/detail.hpp"

namespace kpi::models {
namespace {

void check(const sbg_params &p) {
  detail::require_positive("sBG alpha", p.alpha);
  detail::require_positive("sBG beta", p.beta);
}

void check_survivors(std::span<const double> s) {
  if (s.size() < 2)
    throw error(errc::invalid_argument,
                "sBG: needs survivor counts for at least one period after the start, got " +
                    std::to_string(s.size()) + " value(s)");
  if (!std::isfinite(s[0]) || !(s[0] > 0))
    throw error(errc::invalid_argument,
                "sBG: the cohort size survivors[0] must be finite and > 0, got " + std::to_string(s[0]));
  for (std::size_t t = 1; t < s.size(); ++t) {
    if (!std::isfinite(s[t]) || s[t] < 0)
      throw error(errc::invalid_argument, "sBG: survivors[" + std::to_string(t) +
                                              "] = " + std::to_string(s[t]) + " must be finite and >= 0");
    if (s[t] > s[t - 1])
      throw error(errc::invalid_argument, "sBG: survivors[" + std::to_string(t) +
                                              "] = " + std::to_string(s[t]) + " is above survivors[" +
                                              std::to_string(t - 1) + "] = " + std::to_string(s[t - 1]) +
                                              "; counts cannot rise");
  }
}

// LL and its gradient with respect to (alpha, beta).
double loglik_and_gradient(double al, double be, std::span<const double> s, double &g_al, double &g_be) {
  const double common = detail::lgam(al + be) - detail::lgam(be);
  const double dg_ab = detail::digam(al + be), dg_b = detail::digam(be);
  double ll = 0;
  g_al = 0;
  g_be = 0;
  const std::size_t n = s.size() - 1;
  for (std::size_t t = 1; t <= n; ++t) {
    const double lost = s[t - 1] - s[t];
    if (lost == 0) continue;
    const double dt = static_cast<double>(t);
    // log P(T = t) = log alpha + lnG(beta + t - 1) - lnG(alpha + beta + t) - lnG(beta) + lnG(alpha + beta)
    ll += lost * (std::log(al) + detail::lgam(be + dt - 1) - detail::lgam(al + be + dt) + common);
    const double dg_abt = detail::digam(al + be + dt);
    g_al += lost * (1 / al - dg_abt + dg_ab);
    g_be += lost * (detail::digam(be + dt - 1) - dg_abt - dg_b + dg_ab);
  }
  if (s[n] > 0) {
    const double dn = static_cast<double>(n);
    // log S(n) = lnG(beta + n) - lnG(alpha + beta + n) - lnG(beta) + lnG(alpha + beta)
    ll += s[n] * (detail::lgam(be + dn) - detail::lgam(al + be + dn) + common);
    const double dg_abn = detail::digam(al + be + dn);
    g_al += s[n] * (-dg_abn + dg_ab);
    g_be += s[n] * (detail::digam(be + dn) - dg_abn - dg_b + dg_ab);
  }
  return ll;
}

}  // namespace

double sbg_loglik(const sbg_params &p, std::span<const double> survivors) {
  check(p);
  check_survivors(survivors);
  double g_al = 0, g_be = 0;
  return loglik_and_gradient(p.alpha, p.beta, survivors, g_al, g_be);
}

sbg_fit fit_sbg(std::span<const double> survivors, const fit_options &options) {
  check_survivors(survivors);
  // Without a renewal, or without a loss, the likelihood rises to the edge of the parameter space
  // (alpha / (alpha + beta) -> 1, or -> 0): there is no estimate.
  if (survivors[1] == 0)
    throw error(errc::invalid_argument,
                "sBG fit: no customer renewed after the first period; the model cannot be fitted");
  if (survivors.back() == survivors[0])
    throw error(errc::invalid_argument, "sBG fit: no customer was lost; the model cannot be fitted");
  if (options.max_iterations < 1 || !(options.tolerance > 0 && options.tolerance < 1))
    throw error(errc::invalid_argument, "sBG fit: max_iterations must be >= 1 and tolerance in (0, 1)");
  auto objective = [&](const std::vector<double> &theta, std::vector<double> &grad) {
    const double al = std::exp(theta[0]), be = std::exp(theta[1]);
    if (!std::isfinite(al) || !std::isfinite(be) || al == 0 || be == 0)
      return std::numeric_limits<double>::infinity();
    double g_al = 0, g_be = 0;
    const double ll = loglik_and_gradient(al, be, survivors, g_al, g_be);
    grad[0] = -al * g_al;
    grad[1] = -be * g_be;
    return -ll;
  };
  const auto m =
      detail::minimize(objective, {0.0, 0.0}, options.max_iterations, options.tolerance, "sBG fit");
  sbg_fit out;
  out.params = {std::exp(m.x[0]), std::exp(m.x[1])};
  out.loglik = -m.f;
  out.iterations = m.iterations;
  return out;
}

double sbg_survival(const sbg_params &p, std::uint32_t t) {
  check(p);
  if (t == 0) return 1.0;
  const double dt = t;
  return std::exp(detail::lgam(p.beta + dt) - detail::lgam(p.alpha + p.beta + dt) - detail::lgam(p.beta) +
                  detail::lgam(p.alpha + p.beta));
}

double sbg_churn_probability(const sbg_params &p, std::uint32_t t) {
  check(p);
  if (t == 0) throw error(errc::invalid_argument, "sBG: churn probability needs a period t >= 1, got 0");
  const double dt = t;
  return std::exp(detail::lbeta(p.alpha + 1, p.beta + dt - 1) - detail::lbeta(p.alpha, p.beta));
}

double sbg_retention(const sbg_params &p, std::uint32_t t) {
  check(p);
  if (t == 0) throw error(errc::invalid_argument, "sBG: retention needs a period t >= 1, got 0");
  const double dt = t;
  return (p.beta + dt - 1) / (p.alpha + p.beta + dt - 1);
}

std::vector<double> sbg_project_survival(const sbg_params &p, std::uint32_t periods) {
  check(p);
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(periods) + 1);
  double s = 1.0;
  out.push_back(s);
  for (std::uint32_t t = 1; t <= periods; ++t) {
    const double dt = t;
    s *= (p.beta + dt - 1) / (p.alpha + p.beta + dt - 1);  // S(t) = S(t-1) r_t
    out.push_back(s);
  }
  return out;
}

}  // namespace kpi::models

// The BG/NBD model (Fader, Hardie & Lee 2005): likelihood, fit and predictions.
#include "kpi/models/bgnbd.hpp"

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kpi/error.hpp"
#include "models/detail.hpp"

namespace kpi::models {
namespace {

void check(const bgnbd_params &p) {
  detail::require_positive("BG/NBD r", p.r);
  detail::require_positive("BG/NBD alpha", p.alpha);
  detail::require_positive("BG/NBD a", p.a);
  detail::require_positive("BG/NBD b", p.b);
}

void check_summary(double x, double t_x, double T) {
  customer_summary c;
  c.x = x;
  c.t_x = t_x;
  c.T = T;
  validate(c);
}

// f(v), where f has a removable singularity at v = at: near it, interpolate linearly between
// f(at - h) and f(at + h) (error O(h^2) ~ 1e-10, cancellation ~ eps / h ~ 1e-11).
template <class F>
double across(double v, double at, F f) {
  constexpr double h = 1e-5;
  if (std::abs(v - at) >= h) return f(v);
  const double lo = f(at - h);
  const double hi = f(at + h);
  return lo + (hi - lo) * (v - (at - h)) / (2 * h);
}

// log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): the odds of "dropped out" against "alive".
double log_death_odds(const bgnbd_params &p, double x, double t_x, double T) {
  return std::log(p.a) - std::log(p.b + x - 1) +
         (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
}

double p_alive_unchecked(const bgnbd_params &p, double x, double t_x, double T) {
  if (x == 0) return 1.0;
  const double l = log_death_odds(p, x, t_x, T);
  if (l > 0) {
    const double e = std::exp(-l);
    return e / (1 + e);
  }
  return 1 / (1 + std::exp(l));
}

// E[Y(t) | x, t_x, T] (FHL 2005 eq. 10) with the Euler transformation
//   ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) = w^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z),
// z = t/(alpha+T+t), w = 1 - z: the transformed series has small numerator parameters whatever x is,
// so it neither overflows nor needs x terms to settle.
double conditional_unchecked(const bgnbd_params &p, double t, double x, double t_x, double T) {
  if (t == 0) return 0.0;
  const double s = p.alpha + T;
  const double z = t / (s + t);
  const double w = s / (s + t);
  auto numerator = [&](double a, double b) {
    const double c = a + b + x - 1;
    const double f = detail::hyp2f1(a + b - 1 - p.r, a - 1, c, z, w);
    return c / (a - 1) * (1 - std::pow(w, a - 1) * f);
  };
  // Removable singularities: a = 1 (0/0), and a + b + x - 1 = 0 (only possible for x = 0).
  auto in_a = [&](double a) {
    if (x == 0) return across(p.b, 1 - a, [&](double b) { return numerator(a, b); });
    return numerator(a, p.b);
  };
  const double expected = across(p.a, 1.0, in_a);
  return expected * p_alive_unchecked(p, x, t_x, T);
}

}  // namespace

double bgnbd_loglik(const bgnbd_params &p, std::span<const customer_summary> customers) {
  check(p);
  const double log_alpha = std::log(p.alpha);
  const double base = detail::lgam(p.a + p.b) - detail::lgam(p.b) - detail::lgam(p.r) + p.r * log_alpha;
  double ll = 0;
  for (const customer_summary &c : customers) {
    validate(c);
    const double x = c.x;
    const double head = base + detail::lgam(p.r + x) + detail::lgam(p.b + x) - detail::lgam(p.a + p.b + x);
    const double a3 = -(p.r + x) * std::log(p.alpha + c.T);
    double lse = a3;
    if (x > 0) {
      const double a4 = std::log(p.a) - std::log(p.b + x - 1) - (p.r + x) * std::log(p.alpha + c.t_x);
      const double hi = std::max(a3, a4);
      lse = hi + std::log1p(std::exp(std::min(a3, a4) - hi));
    }
    ll += head + lse;
  }
  return ll;
}

bgnbd_fit fit_bgnbd(std::span<const customer_summary> customers, const fit_options &options) {
  if (customers.empty()) throw error(errc::invalid_argument, "BG/NBD fit: no customers");
  if (options.max_iterations < 1 || !(options.tolerance > 0 && options.tolerance < 1))
    throw error(errc::invalid_argument, "BG/NBD fit: max_iterations must be >= 1 and tolerance in (0, 1)");

  // Customers with the same (x, t_x, T) contribute the same term: fit on the distinct ones, weighted.
  struct group {
    double x, t_x, T, weight;
    std::size_t xi;  // index into the distinct x values
  };
  std::vector<std::tuple<double, double, double>> rows;
  rows.reserve(customers.size());
  double max_T = 0;
  for (const customer_summary &c : customers) {
    validate(c);
    rows.emplace_back(c.x, c.t_x, c.T);
    max_T = std::max(max_T, c.T);
  }
  std::sort(rows.begin(), rows.end());
  std::vector<group> groups;
  std::vector<double> xs;        // distinct x, ascending
  std::vector<double> x_weight;  // customers per distinct x
  for (const auto &[x, t_x, T] : rows) {
    if (!groups.empty() && groups.back().x == x && groups.back().t_x == t_x && groups.back().T == T) {
      groups.back().weight += 1;
    } else {
      if (xs.empty() || xs.back() != x) {
        xs.push_back(x);
        x_weight.push_back(0);
      }
      groups.push_back({x, t_x, T, 1.0, xs.size() - 1});
    }
    x_weight.back() += 1;
  }

  struct per_x {
    double head, d_r, d_a, d_b, l4, d4_b;
  };
  std::vector<per_x> px(xs.size());

  // Minimize -LL over (log r, log alpha, log a, log b), with the analytic gradient.
  auto objective = [&](const std::vector<double> &theta, std::vector<double> &grad) {
    const double r = std::exp(theta[0]), al = std::exp(theta[1]), a = std::exp(theta[2]),
                 b = std::exp(theta[3]);
    if (!std::isfinite(r) || !std::isfinite(al) || !std::isfinite(a) || !std::isfinite(b) || r == 0 ||
        al == 0 || a == 0 || b == 0)
      return std::numeric_limits<double>::infinity();
    const double log_al = std::log(al);
    const double lg_r = detail::lgam(r), lg_b = detail::lgam(b), lg_ab = detail::lgam(a + b);
    const double dg_r = detail::digam(r), dg_b = detail::digam(b), dg_ab = detail::digam(a + b);
    const double log_a = std::log(a);
    double ll = 0, g_r = 0, g_al = 0, g_a = 0, g_b = 0;
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const double x = xs[k];
      const double dg_abx = detail::digam(a + b + x);
      per_x &q = px[k];
      q.head = detail::lgam(r + x) - lg_r + lg_ab + detail::lgam(b + x) - lg_b - detail::lgam(a + b + x);
      q.d_r = detail::digam(r + x) - dg_r;
      q.d_a = dg_ab - dg_abx;
      q.d_b = dg_ab + detail::digam(b + x) - dg_b - dg_abx;
      q.l4 = x > 0 ? log_a - std::log(b + x - 1) : 0.0;
      q.d4_b = x > 0 ? -1 / (b + x - 1) : 0.0;
      const double wk = x_weight[k];
      ll += wk * (q.head + r * log_al);
      g_r += wk * (q.d_r + log_al);
      g_al += wk * r / al;
      g_a += wk * q.d_a;
      g_b += wk * q.d_b;
    }
    for (const group &gr : groups) {
      const per_x &q = px[gr.xi];
      const double rx = r + gr.x;
      const double lT = std::log(al + gr.T);
      const double a3 = -rx * lT;
      double lse = a3, w4 = 0, l_tx = 0;
      if (gr.x > 0) {
        l_tx = std::log(al + gr.t_x);
        const double a4 = q.l4 - rx * l_tx;
        const double e = std::exp(-std::abs(a4 - a3));
        lse = std::max(a3, a4) + std::log1p(e);
        w4 = a4 > a3 ? 1 / (1 + e) : e / (1 + e);
      }
      const double w3 = 1 - w4;
      ll += gr.weight * lse;
      g_r += gr.weight * (-w3 * lT - w4 * l_tx);
      g_al += gr.weight * (-w3 * rx / (al + gr.T) - (gr.x > 0 ? w4 * rx / (al + gr.t_x) : 0.0));
      g_a += gr.weight * w4 / a;
      g_b += gr.weight * w4 * q.d4_b;
    }
    // d(-LL)/d(log theta) = -theta dLL/dtheta
    grad[0] = -r * g_r;
    grad[1] = -al * g_al;
    grad[2] = -a * g_a;
    grad[3] = -b * g_b;
    return -ll;
  };

  const double alpha0 = max_T > 0 ? max_T / 10 : 1.0;  // start on the data's time scale
  const auto m = detail::minimize(objective, {0.0, std::log(alpha0), 0.0, 0.0}, options.max_iterations,
                                  options.tolerance, "BG/NBD fit");
  bgnbd_fit out;
  out.params = {std::exp(m.x[0]), std::exp(m.x[1]), std::exp(m.x[2]), std::exp(m.x[3])};
  out.loglik = -m.f;
  out.iterations = m.iterations;
  out.customers = static_cast<std::int64_t>(customers.size());
  return out;
}

double bgnbd_expected_purchases(const bgnbd_params &p, double t) {
  check(p);
  detail::require_non_negative("BG/NBD horizon t", t);
  return conditional_unchecked(p, t, 0, 0, 0);
}

double bgnbd_conditional_expected_purchases(const bgnbd_params &p, double t, double x, double t_x, double T) {
  check(p);
  detail::require_non_negative("BG/NBD horizon t", t);
  check_summary(x, t_x, T);
  return conditional_unchecked(p, t, x, t_x, T);
}

double bgnbd_p_alive(const bgnbd_params &p, double x, double t_x, double T) {
  check(p);
  check_summary(x, t_x, T);
  return p_alive_unchecked(p, x, t_x, T);
}

double bgnbd_p_purchases(const bgnbd_params &p, double t, std::uint32_t n) {
  check(p);
  detail::require_non_negative("BG/NBD horizon t", t);
  if (t == 0) return n == 0 ? 1.0 : 0.0;
  const double dn = n;
  const double log_s = std::log(p.alpha + t);
  const double log_p = std::log(p.alpha) - log_s;  // alpha/(alpha+t): NBD "success" probability
  const double log_q = std::log(t) - log_s;        // t/(alpha+t)
  const double lb = detail::lbeta(p.a, p.b);
  // Alive after n purchases, and exactly n purchases by t.
  const double alive = std::exp(detail::lbeta(p.a, p.b + dn) - lb + detail::lgam(p.r + dn) -
                                detail::lgam(p.r) - detail::lgam(dn + 1) + p.r * log_p + dn * log_q);
  if (n == 0) return alive;
  // Dropped out right after the n-th purchase, which came by t: P(NBD count >= n) = 1 - I_p(r, n),
  // taken from the regularized incomplete beta directly rather than as 1 - a partial sum.
  const double dead = std::exp(detail::lbeta(p.a + 1, p.b + dn - 1) - lb) *
                      boost::math::ibetac(p.r, dn, p.alpha / (p.alpha + t));
  return alive + dead;
}

}  // namespace kpi::models

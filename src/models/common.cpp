// Shared helpers of the customer value models: argument checks, special functions, the optimizer.
#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <string>

#include "kpi/error.hpp"
#include "models/detail.hpp"

namespace kpi::models::detail {

void require_positive(const char *what, double v) {
  if (!std::isfinite(v) || !(v > 0))
    throw error(errc::invalid_argument,
                std::string(what) + " must be finite and > 0, got " + std::to_string(v));
}

void require_non_negative(const char *what, double v) {
  if (!std::isfinite(v) || !(v >= 0))
    throw error(errc::invalid_argument,
                std::string(what) + " must be finite and >= 0, got " + std::to_string(v));
}

double lgam(double x) {
  return boost::math::lgamma(x);
}

double digam(double x) {
  return boost::math::digamma(x);
}

double lbeta(double x, double y) {
  return lgam(x) + lgam(y) - lgam(x + y);
}

namespace {

double max_abs(const std::vector<double> &v) {
  double m = 0;
  for (double e : v) m = std::max(m, std::abs(e));
  return m;
}

double dot(const std::vector<double> &u, const std::vector<double> &v) {
  double s = 0;
  for (std::size_t i = 0; i < u.size(); ++i) s += u[i] * v[i];
  return s;
}

void set_identity(std::vector<double> &h, std::size_t n, double scale) {
  std::fill(h.begin(), h.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) h[i * n + i] = scale;
}

}  // namespace

minimum minimize(const objective &f, std::vector<double> x0, std::int32_t max_iterations, double tolerance,
                 const std::string &model) {
  const std::size_t n = x0.size();
  constexpr double kArmijo = 1e-4;
  constexpr double kMaxStep = 3.0;  // largest change of any coordinate (a log-parameter) per iteration
  constexpr int kMaxHalvings = 60;
  constexpr double kNoise = 1e-11;  // relative rounding noise of f
  constexpr double kBoundary = 25;

  std::vector<double> x = std::move(x0);
  std::vector<double> g(n), x_new(n), g_new(n), d(n), s(n), y(n), hy(n);
  double fx = f(x, g);
  if (!std::isfinite(fx))
    throw error(errc::invalid_argument, model + ": the log-likelihood is not finite at the start values");

  // A log-parameter beyond +-25 (a parameter above 7e10 or below 1.4e-11) means the likelihood keeps
  // rising towards the boundary of the parameter space: the data do not identify the model.
  auto finish = [&](const std::vector<double> &at, double f_at, std::int32_t iterations) -> minimum {
    for (double v : at)
      if (std::abs(v) > kBoundary)
        throw error(errc::no_convergence,
                    model + ": the likelihood has no interior maximum (an estimate runs off to " +
                        (v > 0 ? "infinity" : "zero") + "); the data do not identify the model");
    return {at, f_at, iterations};
  };

  std::vector<double> h(n * n);  // inverse Hessian approximation, row-major
  set_identity(h, n, 1.0);
  bool fresh = true;  // h is a (scaled) identity: no curvature information yet

  for (std::int32_t it = 1; it <= max_iterations; ++it) {
    if (max_abs(g) <= tolerance * (1 + std::abs(fx))) return finish(x, fx, it - 1);

    for (std::size_t i = 0; i < n; ++i) {
      d[i] = 0;
      for (std::size_t j = 0; j < n; ++j) d[i] -= h[i * n + j] * g[j];
    }
    if (dot(d, g) >= 0) {  // not a descent direction: restart from steepest descent
      set_identity(h, n, 1.0);
      fresh = true;
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
    }
    const double longest = max_abs(d);
    if (longest > kMaxStep)
      for (double &e : d) e *= kMaxStep / longest;

    const double slope = dot(d, g);
    double step = 1;
    double f_new = 0;
    bool accepted = false;
    for (int k = 0; k < kMaxHalvings; ++k) {
      for (std::size_t i = 0; i < n; ++i) x_new[i] = x[i] + step * d[i];
      f_new = f(x_new, g_new);
      if (x_new == x) break;  // the step vanished in rounding
      // Armijo's sufficient decrease; or, near the optimum where a step changes f by less than the
      // rounding noise of f (summed over thousands of customers), a smaller gradient.
      const bool decrease = f_new <= fx + kArmijo * step * slope && f_new < fx;
      const bool within_noise =
          std::abs(f_new - fx) <= kNoise * (1 + std::abs(fx)) && max_abs(g_new) < max_abs(g);
      if (std::isfinite(f_new) && (decrease || within_noise)) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease along d. With curvature information, retry from steepest descent; otherwise we
      // are at the resolution of double arithmetic: accept the point if the gradient is small.
      if (!fresh) {
        set_identity(h, n, 1.0);
        fresh = true;
        continue;
      }
      if (max_abs(g) <= std::sqrt(tolerance) * (1 + std::abs(fx))) return finish(x, fx, it);
      break;
    }

    for (std::size_t i = 0; i < n; ++i) {
      s[i] = x_new[i] - x[i];
      y[i] = g_new[i] - g[i];
    }
    const double sy = dot(s, y);
    if (sy > 1e-12 * std::sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) set_identity(h, n, sy / dot(y, y));  // Nocedal & Wright (6.20) initial scaling
      // H <- (I - rho s y') H (I - rho y s') + rho s s', expanded with hy = H y.
      const double rho = 1 / sy;
      for (std::size_t i = 0; i < n; ++i) {
        hy[i] = 0;
        for (std::size_t j = 0; j < n; ++j) hy[i] += h[i * n + j] * y[j];
      }
      const double yhy = dot(y, hy);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
      fresh = false;
    }
    x.swap(x_new);
    g.swap(g_new);
    fx = f_new;
  }
  throw error(errc::no_convergence, model + ": the maximum-likelihood search did not converge in " +
                                        std::to_string(max_iterations) + " iterations");
}

}  // namespace kpi::models::detail

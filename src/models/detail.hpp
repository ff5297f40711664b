// Internal helpers of the customer value models (src/models). Not installed, not part of any API.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kpi::models::detail {

/// 2F1(a, b; c; z) with 1 - z given separately (`w`), so callers that know 1 - z exactly (as
/// (alpha + T) / (alpha + T + t)) do not lose digits near z = 1. Same contract as kpi::models::hyp2f1.
double hyp2f1(double a, double b, double c, double z, double w);

/// Throws kpi::error(invalid_argument) unless `v` is finite and > 0, naming `what`.
void require_positive(const char *what, double v);
/// Throws kpi::error(invalid_argument) unless `v` is finite and >= 0, naming `what`.
void require_non_negative(const char *what, double v);

/// log Gamma(x) for x > 0 (Boost.Math: thread-safe, unlike std::lgamma's signgam).
double lgam(double x);
/// The digamma function psi(x) for x > 0.
double digam(double x);
/// log B(x, y) for x, y > 0.
double lbeta(double x, double y);

/// An objective to minimize: returns f(x) and writes the gradient into `grad` (same size as x). May
/// return a non-finite value for an infeasible point, which the line search treats as +infinity.
using objective = std::function<double(const std::vector<double> &x, std::vector<double> &grad)>;

/// The result of minimize().
struct minimum {
  std::vector<double> x;        ///< The minimizer.
  double f = 0;                 ///< f(x).
  std::int32_t iterations = 0;  ///< Iterations used.
};

/// Minimizes a smooth function with BFGS (inverse-Hessian update, Armijo backtracking, restart on a
/// non-descent direction). Converged when max |grad_i| <= tolerance * (1 + |f|).
///
/// Hand-written on purpose: no optimizer library that Debian ships is both well kept and under a
/// licence that an Apache-2.0 library can embed (GSL is GPL); the problems here have 2 to 4 parameters,
/// analytic gradients and are smooth in log-parameter space, which BFGS handles well.
/// @throws kpi::error(no_convergence) naming `model` when it does not converge in max_iterations, and
///         kpi::error(invalid_argument) when f(x0) is not finite.
minimum minimize(const objective &f, std::vector<double> x0, std::int32_t max_iterations, double tolerance,
                 const std::string &model);

}  // namespace kpi::models::detail

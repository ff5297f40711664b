/// @file
/// @brief Options shared by the maximum-likelihood fits of the customer value models.
#pragma once

#include <cstdint>

namespace kpi::models {

/// How a maximum-likelihood fit iterates. Every fit maximizes the log-likelihood over the logarithms
/// of the (positive) parameters with a quasi-Newton (BFGS) search and analytic gradients.
struct fit_options {
  /// The most iterations before the fit gives up with errc::no_convergence. Must be >= 1.
  std::int32_t max_iterations = 500;
  /// Converged when every component of the gradient of the log-likelihood with respect to the
  /// log-parameters is at most `tolerance * (1 + |log-likelihood|)`. Must be > 0 and < 1.
  double tolerance = 1e-9;
};

}  // namespace kpi::models

/// @file
/// @brief The Gamma-Gamma model of the value of a customer's purchases (Fader & Hardie, "The
/// Gamma-Gamma Model of Monetary Value", 2013; Colombo & Jiang 1999).
///
/// A customer's purchase values are Gamma(p, nu) around her own mean p/nu, and nu ~ Gamma(q, gamma)
/// across customers. The model assumes value is independent of purchase frequency.
#pragma once

#include <cstdint>
#include <span>

#include "kpi/models/fit.hpp"
#include "kpi/models/summary.hpp"
#include "kpi/value.hpp"

namespace kpi::models {

/// The three Gamma-Gamma parameters; all finite and > 0. gamma is in currency units.
struct gamma_gamma_params {
  double p = 0;      ///< Shape of the per-purchase value distribution.
  double q = 0;      ///< Shape of the gamma distribution of nu across customers.
  double gamma = 0;  ///< Scale of that distribution (currency units).
};

/// A fitted Gamma-Gamma model.
struct gamma_gamma_fit {
  gamma_gamma_params params;    ///< Maximum-likelihood estimates.
  double loglik = 0;            ///< The log-likelihood at the estimates (natural log, full constant).
  std::int32_t iterations = 0;  ///< Quasi-Newton iterations used.
  std::int64_t customers = 0;   ///< Customers used: those with x >= 1 and zbar > 0.
};

/// The log-likelihood of `params` over the customers with x >= 1 and zbar > 0 (others are skipped):
/// sum of log f(zbar | p, q, gamma; x) with
/// f = Gamma(px+q) / (Gamma(px) Gamma(q)) * gamma^q * zbar^(px-1) * x^(px) / (gamma + x zbar)^(px+q).
/// @throws kpi::error (errc::invalid_argument) for bad parameters or summaries. Thread-safe, pure.
double gamma_gamma_loglik(const gamma_gamma_params &params, std::span<const customer_summary> customers);

/// Fits the Gamma-Gamma model by maximum likelihood on the customers with x >= 1 and zbar > 0 (start
/// p = q = 1, gamma = 1). On the 946 repeat buyers of the CDNOW sample it gives p = 6.25, q = 3.74,
/// gamma = 15.44, as published.
/// @throws kpi::error (errc::invalid_argument) when fewer than 2 customers qualify or a summary is
///         invalid; (errc::no_convergence) when the search does not converge. Thread-safe.
gamma_gamma_fit fit_gamma_gamma(std::span<const customer_summary> customers, const fit_options &options = {});

/// E[M | x, zbar]: the expected value of a purchase by this customer,
/// p (gamma + x zbar) / (p x + q - 1), a weighted average of the population mean p gamma / (q - 1) and
/// zbar. For x = 0 it is the population mean. Undefined (std::nullopt) when p x + q <= 1 (no finite
/// mean). x is a whole number >= 0, zbar >= 0.
/// @throws kpi::error (errc::invalid_argument) for bad parameters or arguments. Thread-safe, pure.
kpi::value gamma_gamma_expected_value(const gamma_gamma_params &params, double x, double zbar);

}  // namespace kpi::models

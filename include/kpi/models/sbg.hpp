/// @file
/// @brief The shifted-beta-geometric (sBG) model of contract duration for contractual customers
/// (Fader & Hardie 2007, "How to Project Customer Retention", Journal of Interactive Marketing 21(1)).
///
/// At the end of every period a customer cancels with her own probability theta, and
/// theta ~ Beta(alpha, beta) across customers. Retention then rises with tenure because the customers
/// likely to cancel leave first.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kpi/models/fit.hpp"

namespace kpi::models {

/// The two sBG parameters; both finite and > 0.
struct sbg_params {
  double alpha = 0;  ///< First shape of the beta distribution of the cancellation probability.
  double beta = 0;   ///< Second shape of that distribution.
};

/// A fitted sBG model.
struct sbg_fit {
  sbg_params params;            ///< Maximum-likelihood estimates.
  double loglik = 0;            ///< The log-likelihood at the estimates (FH 2007 eq. B3).
  std::int32_t iterations = 0;  ///< Quasi-Newton iterations used.
};

/// Fits the sBG model by maximum likelihood to one cohort's survivor counts: `survivors[0]` customers
/// at the start, `survivors[t]` still active after t renewal opportunities (t = 1..n). Counts may be
/// fractional (percentages of a cohort). Those lost in period t contribute log P(T = t); those active
/// after the last period contribute log S(n). Start alpha = beta = 1.
/// @throws kpi::error (errc::invalid_argument) for fewer than two values, survivors[0] <= 0, a negative
///         or non-finite count, a count above its predecessor, no renewal after the first period
///         (survivors[1] = 0) or no loss at all; (errc::no_convergence). Thread-safe.
sbg_fit fit_sbg(std::span<const double> survivors, const fit_options &options = {});

/// The log-likelihood of `params` for the survivor counts (see fit_sbg()). Thread-safe, pure.
/// @throws kpi::error (errc::invalid_argument) as fit_sbg().
double sbg_loglik(const sbg_params &params, std::span<const double> survivors);

/// S(t) = B(alpha, beta + t) / B(alpha, beta): the probability that a new customer is still active
/// after t renewal opportunities; S(0) = 1. Thread-safe, pure.
/// @throws kpi::error (errc::invalid_argument) for bad parameters.
double sbg_survival(const sbg_params &params, std::uint32_t t);

/// P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta): the probability that a new customer cancels
/// at the end of period t; t >= 1. Thread-safe, pure.
/// @throws kpi::error (errc::invalid_argument) for bad parameters or t = 0.
double sbg_churn_probability(const sbg_params &params, std::uint32_t t);

/// r_t = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1): the share of the customers active
/// in period t - 1 who renew for period t; t >= 1. Thread-safe, pure.
/// @throws kpi::error (errc::invalid_argument) for bad parameters or t = 0.
double sbg_retention(const sbg_params &params, std::uint32_t t);

/// S(0), S(1), ..., S(periods): the projected survival curve (periods + 1 values). Thread-safe, pure.
/// @throws kpi::error (errc::invalid_argument) for bad parameters.
std::vector<double> sbg_project_survival(const sbg_params &params, std::uint32_t periods);

}  // namespace kpi::models

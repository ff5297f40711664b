/// @file
/// @brief The BG/NBD model of repeat buying in a non-contractual setting (Fader, Hardie & Lee 2005,
/// "'Counting Your Customers' the Easy Way", Marketing Science 24(2)).
///
/// While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after every purchase she
/// drops out with probability p ~ Beta(a, b). All times are in the unit of the customer summaries the
/// model was fitted on (weeks for the CDNOW benchmark), and alpha is in that unit too.
#pragma once

#include <cstdint>
#include <span>

#include "kpi/models/fit.hpp"
#include "kpi/models/summary.hpp"

namespace kpi::models {

/// The four BG/NBD parameters; all finite and > 0.
struct bgnbd_params {
  double r = 0;      ///< Shape of the gamma distribution of purchase rates.
  double alpha = 0;  ///< Scale of that gamma distribution, in the model's time unit.
  double a = 0;      ///< First shape of the beta distribution of the drop-out probability.
  double b = 0;      ///< Second shape of that beta distribution.
};

/// A fitted BG/NBD model.
struct bgnbd_fit {
  bgnbd_params params;          ///< Maximum-likelihood estimates.
  double loglik = 0;            ///< The log-likelihood at the estimates (natural log, full constant).
  std::int32_t iterations = 0;  ///< Quasi-Newton iterations used.
  std::int64_t customers = 0;   ///< Customers in the fit.
};

/// The log-likelihood of `params` given the customers (FHL 2005 eq. 6, summed in log space).
/// @throws kpi::error (errc::invalid_argument) for bad parameters or summaries. Thread-safe, pure.
double bgnbd_loglik(const bgnbd_params &params, std::span<const customer_summary> customers);

/// Fits the BG/NBD model by maximum likelihood (start r = alpha = a = b = 1, alpha scaled to the data).
/// On the 2,357-customer CDNOW sample in weeks it gives r = 0.243, alpha = 4.414, a = 0.793,
/// b = 2.426, log-likelihood -9582.4, as published.
/// @throws kpi::error (errc::invalid_argument) for no customers or an invalid summary (see validate());
///         (errc::no_convergence) when the search does not converge. Thread-safe (no shared state).
bgnbd_fit fit_bgnbd(std::span<const customer_summary> customers, const fit_options &options = {});

/// E[X(t)]: the expected number of purchases of a new customer in (0, t]. t >= 0, model time unit.
/// @throws kpi::error (errc::invalid_argument) for bad parameters or t. Thread-safe, pure.
double bgnbd_expected_purchases(const bgnbd_params &params, double t);

/// E[Y(t) | x, t_x, T]: the expected purchases in (T, T + t] of a customer with summary (x, t_x, T).
/// @throws kpi::error (errc::invalid_argument) for bad parameters, t < 0 or an invalid summary.
/// Thread-safe, pure.
double bgnbd_conditional_expected_purchases(const bgnbd_params &params, double t, double x, double t_x,
                                            double T);

/// P(alive | x, t_x, T): the probability that the customer has not dropped out by T, in [0, 1].
/// Exactly 1 when x = 0 (the model lets a customer drop out only just after a purchase).
/// @throws kpi::error (errc::invalid_argument) for bad parameters or an invalid summary.
/// Thread-safe, pure.
double bgnbd_p_alive(const bgnbd_params &params, double x, double t_x, double T);

/// P(X(t) = n): the probability that a new customer makes exactly n purchases in (0, t] (FHL 2005
/// eq. 8). t >= 0.
/// @throws kpi::error (errc::invalid_argument) for bad parameters or t. Thread-safe, pure.
double bgnbd_p_purchases(const bgnbd_params &params, double t, std::uint32_t n);

}  // namespace kpi::models

/// @file
/// @brief Predictive customer lifetime value: BG/NBD expected purchases times Gamma-Gamma expected
/// value, discounted month by month, with explicit time units.
///
/// CLV over H months with monthly discount rate d, for a model whose time unit has f units a month:
///   CLV = sum_{k=1..H} E[M] * (E[Y(k f)] - E[Y((k - 1) f)]) / (1 + d)^k
/// where E[Y(t)] is the BG/NBD conditional expectation and E[M] the Gamma-Gamma expected value. A
/// model fitted in weeks uses f = 4.345 weeks a month; one fitted in days f = 30.415 days
/// (= 4.345 * 7), so the two agree. (A popular package used 30 units a month whatever the unit, which
/// turns a "12-month" CLV of a weekly model into a 360-week one.)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kpi/models/bgnbd.hpp"
#include "kpi/models/fit.hpp"
#include "kpi/models/gamma_gamma.hpp"
#include "kpi/models/summary.hpp"
#include "kpi/value.hpp"

namespace kpi::models {

/// Model time units in one month: 4.345 for weeks, 30.415 for days.
double units_per_month(time_unit unit);

/// How the CLV is discounted and over which horizon.
struct clv_options {
  /// Months to sum over (H); >= 0. 0 gives a CLV of 0.
  std::int32_t horizon_months = 12;
  /// Discount rate per month (d), a fraction >= 0 (0.01 = 1 % a month).
  double monthly_discount = 0.01;
  /// The time unit the models were fitted in (the unit of the customer summaries).
  time_unit unit = time_unit::week;
  /// Model time units per month; 0 (the default) takes units_per_month(unit). Must be >= 0.
  double units_per_month = 0;
};

/// The CLV of one customer (see the file comment). Undefined (std::nullopt) when E[M] is undefined.
/// @throws kpi::error (errc::invalid_argument) for bad parameters, options or summary. Thread-safe.
kpi::value clv(const bgnbd_params &purchases, const gamma_gamma_params &value,
               const customer_summary &customer, const clv_options &options = {});

/// What the models predict for one customer.
struct customer_value {
  std::string id;                 ///< The customer id from the summary.
  double p_alive = 0;             ///< P(alive | x, t_x, T), in [0, 1].
  double expected_purchases = 0;  ///< E[Y(horizon)]: expected purchases over the CLV horizon.
  kpi::value expected_value;      ///< E[M]: expected value of one purchase; nullopt without a value model.
  kpi::value clv;                 ///< Discounted CLV over the horizon; nullopt without a value model.
};

/// Scores every customer with fitted models. `value` may be empty (no Gamma-Gamma model): then
/// expected_value and clv are undefined. Output order = input order.
/// @throws kpi::error (errc::invalid_argument) for bad parameters, options or summaries. Thread-safe.
std::vector<customer_value> score_customers(const bgnbd_params &purchases,
                                            const std::optional<gamma_gamma_params> &value,
                                            std::span<const customer_summary> customers,
                                            const clv_options &options = {});

/// Both fits and the scores of every customer: what `kpi clv` prints.
struct clv_report {
  bgnbd_fit purchases;  ///< The BG/NBD fit on all customers.
  /// The Gamma-Gamma fit, or empty when fewer than two customers have x >= 1 and zbar > 0.
  std::optional<gamma_gamma_fit> value;
  std::vector<customer_value> customers;  ///< One row per input customer, in input order.
};

/// Fits BG/NBD on all customers and Gamma-Gamma on the repeat buyers, then scores every customer.
/// @throws kpi::error as fit_bgnbd(), fit_gamma_gamma() (except too few repeat buyers, which leaves
///         `value` empty) and score_customers(). Thread-safe.
clv_report analyze_customers(std::span<const customer_summary> customers, const clv_options &options = {},
                             const fit_options &fit = {});

}  // namespace kpi::models

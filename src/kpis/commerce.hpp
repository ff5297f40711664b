// Internal helpers shared by the evaluators of the sales, funnel and customer families
// (src/kpis/sales.cpp, funnel.cpp, customers.cpp). Not installed.
#pragma once

#include <cstdint>
#include <optional>

#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpi/value.hpp"

namespace kpi::detail::commerce {

/// `minor` minor units of `cur` in major units (cur empty: the amount is 0 and so is the value).
inline double major(std::int64_t minor, const std::optional<currency> &cur) noexcept {
  return to_major(money{minor, cur.value_or(currency{})});
}

/// Throws errc::currency_mismatch when both currencies are known and differ; `what` names the two
/// quantities ("revenue and spend").
void require_same_currency(const std::optional<currency> &a, const std::optional<currency> &b,
                           const char *what);

/// gross_profit of the window in major units: undefined when the window has orders but none with a cost.
value gross_profit(const group_state &s);

/// True when customer records were given up to the window's end (any acquisition before or in it).
bool has_customer_records(const kpi_context &ctx) noexcept;

/// Customers active at the window's start / end (customer records; see kpi::customer_stats).
std::int64_t customers_at_start(const kpi_context &ctx) noexcept;
std::int64_t customers_at_end(const kpi_context &ctx) noexcept;

/// The customer snapshots of the churn family: at start, at end, lost, and acquired in the window (the
/// customers retention_rate subtracts). From customer records by default; with
/// kpi_params::churn_inactivity_days > 0, from order activity (kpi::order_activity::snapshot). Order-
/// derived snapshots are std::nullopt when the window's bounds are not given or an order of the window
/// or of before went untracked. @throws what order_activity::snapshot throws (an inactivity period
/// below the tracked resolution).
struct customer_counts {
  double at_start = 0;  ///< customers_at_start
  double at_end = 0;    ///< customers_at_end
  double lost = 0;      ///< customers_lost
  double acquired = 0;  ///< customers acquired in the window (contractual), or that became active in it
                        ///< and are active at its end (orders)
};
std::optional<customer_counts> customer_snapshot(const kpi_context &ctx);

/// The customer base arpu divides by: the time-weighted mean number of active customers over the
/// window (kpi::customer_stats::mean_active) when customer records exist, undefined then without the
/// window's bounds or with customer events of a version 1 state; else the distinct customers with an
/// order in the window.
value customer_base(const kpi_context &ctx) noexcept;

/// The new customers of the window for cac: the order-based new_customers when the window has orders
/// that all went through a first_order_tracker; otherwise the customers acquired in the window when
/// customer records exist; otherwise new_customers (0 without orders, undefined without tracking).
value acquired_customers(const kpi_context &ctx) noexcept;

/// retention_rate: (customers_at_end − customers acquired in the window) / customers_at_start, over
/// customer_snapshot().
value retention_rate(const kpi_context &ctx);

/// cac: spend / acquired_customers(). @throws errc::currency_mismatch never (spend alone).
value cac(const kpi_context &ctx) noexcept;

/// clv: m r / (1 + d − r) with the parameters or the measured m and r (see kpis.md and docs/kpis.md).
value clv(const kpi_context &ctx);

}  // namespace kpi::detail::commerce

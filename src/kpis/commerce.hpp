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

/// The customer base a per-customer money KPI divides by: the mean of customers_at_start and
/// customers_at_end when customer records exist, else the distinct customers with an order in the window.
double customer_base(const kpi_context &ctx) noexcept;

/// The new customers of the window for cac: the order-based new_customers when the window has orders
/// that all went through a first_order_tracker; otherwise the customers acquired in the window when
/// customer records exist; otherwise new_customers (0 without orders, undefined without tracking).
value acquired_customers(const kpi_context &ctx) noexcept;

/// retention_rate: (customers_at_end − customers acquired in the window) / customers_at_start.
value retention_rate(const kpi_context &ctx) noexcept;

/// cac: spend / acquired_customers(). @throws errc::currency_mismatch never (spend alone).
value cac(const kpi_context &ctx) noexcept;

/// clv: m r / (1 + d − r) with the parameters or the measured m and r (see kpis.md and docs/kpis.md).
value clv(const kpi_context &ctx);

}  // namespace kpi::detail::commerce

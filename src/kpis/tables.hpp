// Internal: the per-family tables of the KPI registry, concatenated by kpi::catalog() (src/catalog.cpp).
// Each table lists its rows in increasing id order, with static storage. Not installed.
#pragma once

#include <span>

#include "kpi/catalog.hpp"

namespace kpi::detail {

/// Calls and telesales, ids 1-25 (src/kpis/calls.cpp).
std::span<const kpi_info> call_kpis();
/// Sales and revenue, ids 100-115 (src/kpis/sales.cpp).
std::span<const kpi_info> sales_kpis();
/// Funnel, ids 200-216 (src/kpis/funnel.cpp).
std::span<const kpi_info> funnel_kpis();
/// Customers and marketing, ids 300-309 (src/kpis/customers.cpp).
std::span<const kpi_info> customer_kpis();

}  // namespace kpi::detail

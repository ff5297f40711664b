/// @file
/// @brief The accumulated state of one window (one group, one period) across every record family, and
/// the context a KPI is evaluated in.
///
/// A window's state is the set of family accumulators (kpi/stats/*.hpp). All of them are mergeable
/// (associative and commutative `merge`), so the state of a month is the merge of its days, the state of
/// a team the merge of its agents, and a parallel ingest the merge of one state per thread.
#pragma once

#include "kpi/catalog.hpp"
#include "kpi/stats/calls.hpp"
#include "kpi/stats/customers.hpp"
#include "kpi/stats/funnel.hpp"
#include "kpi/stats/sales.hpp"

namespace kpi {

/// Every family's accumulator for one window. Not thread-safe; copyable; merge to combine.
struct group_state {
  call_stats calls;                 ///< Call records anchored in the window.
  order_stats orders;               ///< Order records anchored in the window.
  lead_stats leads;                 ///< Lead records created in the window (and their milestones).
  opportunity_stats opportunities;  ///< Opportunities created or closed in the window.
  customer_stats customers;         ///< Customers acquired or churned in the window.
  spend_stats spend;                ///< Spend attributed to the window.

  /// Adds `other` into this state (associative and commutative).
  void merge(const group_state &other);
};

/// What a KPI's evaluate function sees: the window's state, the state of everything before the window
/// (for snapshots such as open opportunities or active customers), optionally the comparison windows
/// of growth KPIs, and the variant parameters. Holds references only: the states must outlive it.
class kpi_context {
 public:
  /// A context over `window` with `before` as the cumulative state of everything earlier.
  kpi_context(const group_state &window, const group_state &before, const kpi_params &params,
              const group_state *previous = nullptr, const group_state *year_before = nullptr) noexcept
      : window_(window), before_(before), params_(params), previous_(previous), year_before_(year_before) {}

  /// The window's own records.
  [[nodiscard]] const group_state &window() const noexcept { return window_; }
  /// Everything before the window's start (empty when the window starts at the beginning of the data).
  [[nodiscard]] const group_state &before() const noexcept { return before_; }
  /// The variant parameters.
  [[nodiscard]] const kpi_params &params() const noexcept { return params_; }
  /// The preceding window of the same length, or null when unknown (growth KPIs are then undefined).
  [[nodiscard]] const group_state *previous() const noexcept { return previous_; }
  /// The same window one year earlier, or null when unknown.
  [[nodiscard]] const group_state *year_before() const noexcept { return year_before_; }

 private:
  const group_state &window_;
  const group_state &before_;
  const kpi_params &params_;
  const group_state *previous_;
  const group_state *year_before_;
};

/// Computes KPI `id` in `ctx`. Undefined (std::nullopt) where the contract says so.
/// @throws kpi::error errc::unknown_kpi for an id not in the catalog, errc::invalid_argument for a KPI
/// that is not computed from a window (opportunity_score, target_attainment).
value evaluate(kpi_id id, const kpi_context &ctx);

}  // namespace kpi

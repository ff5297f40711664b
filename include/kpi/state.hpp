/// @file
/// @brief The accumulated state of one window (one group, one period) across every record family, and
/// the context a KPI is evaluated in.
///
/// A window's state is the set of family accumulators (kpi/stats/*.hpp). All of them are mergeable
/// (associative and commutative `merge`), so the state of a month is the merge of its days, the state of
/// a team the merge of its agents, and a parallel ingest the merge of one state per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kpi/catalog.hpp"
#include "kpi/stats/activity.hpp"
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
  /// Opt-in: the per-customer order spells of the window's orders, for churn derived from orders
  /// (kpi_params::churn_inactivity_days). Empty unless the caller (or an engine with
  /// engine_options::track_order_activity) adds every order to it as well as to `orders`.
  order_activity activity;
  /// Families (kpi::family bits) whose money could not be merged because the merged windows hold
  /// amounts in different currencies (a roll-up across currencies without conversion rates). A KPI
  /// that needs such a family is errc::currency_mismatch; every other KPI is still answered.
  std::uint32_t mixed_currency_families = 0;
  /// What the first such clash was ("order_stats: cannot merge a window in USD into one in IDR ..."),
  /// empty when none.
  std::string mixed_currency_detail;

  /// Adds `other` into this state (associative and commutative). A money family (orders,
  /// opportunities, spend) that meets a second currency is not merged but marked in
  /// mixed_currency_families. Strong guarantee: on an exception the state is unchanged.
  /// @throws kpi::error errc::overflow; whatever a family merge throws besides currency_mismatch.
  void merge(const group_state &other);

  /// merge() in place, without the copy that gives merge() its strong guarantee: on an exception the
  /// state is left partly merged. For callers that discard the state on failure (query windows).
  void merge_in_place(const group_state &other);
};

/// What a KPI's evaluate function sees: the window's state, the state of everything before the window
/// (for snapshots such as open opportunities or active customers), optionally the comparison windows
/// of growth KPIs, the variant parameters and the window's instants. Holds references only: the states
/// must outlive it.
class kpi_context {
 public:
  /// A context over `window` with `before` as the cumulative state of everything earlier; `bounds` is
  /// the window's `[start, end)` in UTC, needed by the KPIs that weigh time (arpu with customer records,
  /// churn derived from orders): without it they are undefined.
  kpi_context(const group_state &window, const group_state &before, const kpi_params &params,
              const group_state *previous = nullptr, const group_state *year_before = nullptr,
              std::optional<kpi::window> bounds = std::nullopt) noexcept
      : window_(window),
        before_(before),
        params_(params),
        previous_(previous),
        year_before_(year_before),
        bounds_(bounds) {}

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
  /// The window's instants `[start, end)`, or std::nullopt when the caller did not give them.
  [[nodiscard]] const std::optional<kpi::window> &bounds() const noexcept { return bounds_; }

 private:
  const group_state &window_;
  const group_state &before_;
  const kpi_params &params_;
  const group_state *previous_;
  const group_state *year_before_;
  std::optional<kpi::window> bounds_;
};

/// Computes KPI `id` in `ctx`. Undefined (std::nullopt) where the contract says so.
/// @throws kpi::error errc::unknown_kpi for an id not in the catalog, errc::invalid_argument for a KPI
/// that is not computed from a window (opportunity_score, target_attainment), errc::currency_mismatch
/// for a KPI that needs a family whose windows hold two currencies (group_state::mixed_currency_families).
value evaluate(kpi_id id, const kpi_context &ctx);

}  // namespace kpi

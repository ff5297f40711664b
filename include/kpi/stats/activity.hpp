/// @file
/// @brief kpi::order_activity: the opt-in per-customer order history that derives churn from orders
/// for non-contractual businesses (kpi_params::churn_inactivity_days), exact and mergeable.
///
/// **Model.** A customer without contract records is *active* for N days after each of their orders:
/// on the union of the spans `[t, t + N)` over their order instants t (N = the inactivity period,
/// kpi_params::churn_inactivity_days). The same half-open convention as a customer record's
/// `[acquired, churned)`: a customer whose last order was at t is lost at the instant t + N, and an
/// order exactly N after the previous one keeps them active without a break (no instant is inactive).
///
/// **State.** Per customer (stable 64-bit hash of the customer_id, kpi::stable_id_hash), the maximal
/// *spells* of their orders: runs `[first, last]` of order instants in which consecutive orders are at
/// most the state's *resolution* R apart; consecutive spells are more than R apart. This is the
/// canonical summary of the customer's order instants at resolution R, so merging two states (the
/// union of their spells, coalescing spells at most R apart, overlapping ones included) is exact,
/// associative and commutative whatever the order of the merges: two groups of the same period merge as
/// exactly as two consecutive days. A state at resolution R answers every inactivity period N >= R
/// exactly (gaps inside a spell are <= R <= N; gaps between spells are known); resolution 0 keeps
/// every distinct order instant.
///
/// **Cost.** An identity structure: memory grows with the distinct customers of the state and their
/// spells (a hash-map entry of about 80 bytes per customer plus 16 bytes per spell). With a resolution
/// at least the length of an engine cell's period, a customer has one spell per cell, so a cell's
/// state is bounded by its distinct ordering customers. Serialized: about 10 bytes a customer plus 2 to
/// 20 a spell. Not thread-safe for concurrent writes; const members may be called from many threads.
/// Copyable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kpi/records.hpp"
#include "kpi/time.hpp"

namespace kpi {

/// The order-derived customer snapshots of one window (see order_activity::snapshot()).
struct activity_snapshot {
  std::uint64_t at_start = 0;  ///< Customers active just before the window's start: an order in [s − N, s).
  std::uint64_t at_end = 0;    ///< Customers active just before its end: an order in [e − N, e).
  std::uint64_t lost = 0;      ///< Customers at the start with an inactive instant inside [s, e).
  std::uint64_t became_active = 0;         ///< Customers with a spell starting in [s, e): an order in the
                                           ///< window with no order in the N days before it (first orders and
                                           ///< reactivations), each customer counted once.
  std::uint64_t became_active_at_end = 0;  ///< Of those, the ones active at the end (retention_rate
                                           ///< subtracts them: at_end − this = at_start − lost).
  /// Same counts.
  friend bool operator==(const activity_snapshot &, const activity_snapshot &) = default;
};

/// Per-customer order spells of one window (see the file comment). Opt-in; exact; mergeable.
class order_activity {
 public:
  /// One run of orders of a customer, consecutive orders at most the resolution apart (UTC ms).
  struct spell {
    std::int64_t first_ms = 0;  ///< The first order instant of the run.
    std::int64_t last_ms = 0;   ///< The last order instant of the run.
    /// Same run.
    friend bool operator==(const spell &, const spell &) = default;
  };

  /// An empty state at resolution 0 (every distinct order instant kept).
  order_activity() = default;
  /// An empty state at `resolution_days` (finite, >= 0, at most 36500; rounded to whole milliseconds).
  /// @throws kpi::error errc::invalid_argument for a resolution out of range.
  explicit order_activity(double resolution_days);

  /// The resolution R in milliseconds: consecutive orders at most R apart share a spell.
  [[nodiscard]] std::int64_t resolution_ms() const noexcept { return resolution_ms_; }

  /// Adds an order: counts it and, when it has a customer_id, its instant in the customer's spells.
  /// @throws kpi::error errc::invalid_argument for an invalid record (kpi::check).
  void add(const order_record &o);
  /// Adds an order of the customer with hash `customer` at `time` (counted as one order).
  void add(std::uint64_t customer, timestamp time);

  /// Adds `other` into this state (associative and commutative). The result's resolution is the larger
  /// of the two: the finer state's spells are coalesced at it, which is exact.
  void merge(const order_activity &other);

  /// Orders given to add() (with or without a customer), merged states included. A caller that keeps
  /// order_stats and order_activity side by side compares this with order_stats::orders() to know that
  /// every order was tracked.
  [[nodiscard]] std::uint64_t orders() const noexcept { return orders_; }
  /// Distinct customers with at least one order.
  [[nodiscard]] std::uint64_t customers() const noexcept { return spells_.size(); }
  /// The spells of customer `customer` (hash), sorted; empty when unknown.
  [[nodiscard]] std::vector<spell> spells_of(std::uint64_t customer) const;

  /// The order-derived snapshots of the window `w` with inactivity period `inactivity_ms` (> 0 and >=
  /// both states' resolutions): `before` holds every order before `w.start`, this state the orders
  /// inside `w`. With L a customer's last order before s and o_1 <= ... their orders in [s, e):
  /// - at_start: L >= s − N;
  /// - at_end: the customer's last order up to e is >= e − N;
  /// - lost: at_start, and an instant of [s, e) with no order in the N days before it: o_1 − L > N,
  ///   or two consecutive window orders more than N apart, or the last order up to e plus N before e;
  /// - became_active: a window order with no order in the N days before it (became_active_at_end: and
  ///   at_end).
  /// So the identity at_end = at_start + (spells started) − (spells ended) holds per spell, and an order
  /// exactly N before the start makes the customer at_start and lost at s (like a contract churned
  /// exactly at the start). O(customers of both states).
  /// @throws kpi::error errc::invalid_argument when `inactivity_ms` is below a resolution or not > 0.
  [[nodiscard]] activity_snapshot snapshot(const order_activity &before, const window &w,
                                           std::int64_t inactivity_ms) const;

  /// Appends the binary form (see src/stats/activity.cpp); canonical: equal states, equal bytes.
  void save(std::string &out) const;
  /// Reads the form written by save() from the front of `in`, advancing it.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static order_activity load(std::string_view &in);

  /// Same resolution, orders and spells.
  friend bool operator==(const order_activity &a, const order_activity &b) = default;

 private:
  static void coalesce(std::vector<spell> &v, std::int64_t resolution_ms);
  std::int64_t resolution_ms_ = 0;
  std::uint64_t orders_ = 0;
  std::unordered_map<std::uint64_t, std::vector<spell>> spells_;  // each sorted, gaps > resolution
};

}  // namespace kpi

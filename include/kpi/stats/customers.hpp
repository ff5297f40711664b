/// @file
/// @brief Customer and marketing accumulators of one window: kpi::customer_stats (contractual customers
/// acquired and churned) and kpi::spend_stats (marketing and sales spend, prorated by time).
///
/// Both are exact, mergeable (associative, commutative; merging the states of any split of a stream
/// equals the state of the whole stream) and serializable. Not thread-safe for concurrent writes; const
/// members may be called from many threads. Copyable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/money.hpp"
#include "kpi/records.hpp"
#include "kpi/time.hpp"

namespace kpi {

/// Customers (contractual relationships, active on `[acquired, churned)`) of one window.
///
/// The caller calls add_acquired() for a customer whose `acquired` instant is in the window and
/// add_churned() for one whose `churned` instant is in it, giving the window's start. Snapshots come
/// from the state `before` of everything before the window's start:
/// - customers_at_start = before.acquired() − before.churned(): acquired before the start and not
///   churned before it (a customer acquired exactly at the start is new in the window, one churned
///   exactly at the start is at the start and lost in the window);
/// - customers_at_end = customers_at_start + window.acquired() − window.churned();
/// - customers_lost = window.lost(): churned in the window and acquired before its start (a customer
///   acquired and churned inside the window was never active at its start and is not lost).
///
/// To stay exact under merge (a month merged from its days: a customer acquired on the 3rd and churned
/// on the 20th is lost in the day of the 20th but not in the month), the state keeps the acquisition
/// instant of every churned customer, 8 bytes each, and the earliest window start it was given; lost()
/// counts those acquired before that start. Memory: about 130 bytes plus 8 bytes per churn.
///
/// For the time-weighted number of active customers (arpu) the state also keeps the exact sums of the
/// acquisition instants of its acquisitions and of the churn instants of its churns (128-bit integers
/// of milliseconds): with A = customers_at_start, the integral of the active count over `[s, e)` is
/// A·(e − s) + Σ_acquired (e − t) − Σ_churned (e − t), exact and mergeable (see mean_active()). A state
/// read from the version 1 wire form (written before libkpi kept these sums) that holds acquisitions or
/// churns does not know them: event_sums_known() is false and mean_active() is std::nullopt.
class customer_stats {
 public:
  /// Adds a customer acquired in the window. @throws kpi::error errc::invalid_argument for an invalid
  /// record (kpi::check).
  void add_acquired(const customer_record &c);
  /// Adds a customer churned in the window that starts at `window_start` (the customer counts as lost
  /// when acquired before it). @throws kpi::error errc::invalid_argument for an invalid record, one
  /// without `churned`, or a churn instant before `window_start`.
  void add_churned(const customer_record &c, timestamp window_start);

  /// Adds `other` into this state (associative and commutative). @throws kpi::error errc::overflow.
  void merge(const customer_stats &other);

  /// Customers acquired in the window.
  [[nodiscard]] std::uint64_t acquired() const noexcept { return acquired_; }
  /// Customers churned in the window.
  [[nodiscard]] std::uint64_t churned() const noexcept { return churned_at_.size(); }
  /// Customers churned in the window that were acquired before its start (the window of a merged state
  /// starts at the earliest start given to add_churned()). O(churned()).
  [[nodiscard]] std::uint64_t lost() const noexcept;

  /// False when the state holds acquisitions or churns read from a version 1 wire form, which did not
  /// keep their instants (see the class comment); true otherwise.
  [[nodiscard]] bool event_sums_known() const noexcept { return sums_known_; }

  /// The time-weighted mean number of active customers over the window `w`: the integral over `w` of
  /// the active count, active_at_start(before)·(w.end − w.start) + Σ over this state's acquisitions of
  /// (w.end − acquired) − Σ over its churns of (w.end − churned), computed exactly in 128-bit integer
  /// milliseconds, divided by (w.end − w.start). `before` is the state of everything before `w.start`,
  /// this state the window's events (every instant inside `w`). A customer active on `[acquired,
  /// churned)` contributes the part of that span inside `w`. std::nullopt when !event_sums_known() or
  /// `w` is empty.
  [[nodiscard]] std::optional<double> mean_active(const customer_stats &before,
                                                  const window &w) const noexcept;

  /// Customers active at the start of a window given the state of everything before it:
  /// before.acquired() − before.churned().
  static std::int64_t active_at_start(const customer_stats &before) noexcept;
  /// Customers active at the end of the window: active_at_start(before) + window.acquired() −
  /// window.churned().
  static std::int64_t active_at_end(const customer_stats &before, const customer_stats &window) noexcept;

  /// Appends the binary form to `out` (see src/stats/customers.cpp).
  void save(std::string &out) const;
  /// Reads a state written by save() from the front of `in`, advancing it.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static customer_stats load(std::string_view &in);

  /// Same state.
  friend bool operator==(const customer_stats &a, const customer_stats &b);

 private:
  std::uint64_t acquired_ = 0;
  std::optional<std::int64_t> start_ms_;  // earliest window start given to add_churned
  std::vector<std::int64_t> churned_at_;  // acquisition instants (ms) of the churned customers, any order
  __extension__ typedef __int128 i128;    // exact sums of int64 milliseconds
  i128 acquired_sum_ms_ = 0;              // Σ acquisition instants (ms) of the acquisitions
  i128 churned_sum_ms_ = 0;               // Σ churn instants (ms) of the churns
  bool sums_known_ = true;                // false: read from a version 1 form with events
};

/// Marketing and sales spend of one window, in exact minor units of ONE currency.
///
/// A spend row covers `[start, end)`. add(row, w) adds the share of its amount that falls in window
/// `w`, prorated by time overlap with this rounding: with F(t) = floor(amount × (t − start) /
/// (end − start)) (exact 128-bit integer arithmetic, t clamped to the row), the share of `[a, b)` is
/// F(b) − F(a). The shares of any partition of the row into windows therefore add up to the row's
/// amount exactly (the sum telescopes), and each share is within one minor unit of the exact prorated
/// amount. A caller that attributes rows by their start instead (kpis.md: "a spend row by its period")
/// passes a window that contains the whole row, or calls add(row).
class spend_stats {
 public:
  /// Adds the whole amount of `s`. @throws kpi::error errc::invalid_argument (kpi::check),
  /// errc::currency_mismatch (another currency: convert with a kpi::rate_table first), errc::overflow.
  void add(const spend_record &s);
  /// Adds the share of `s` that overlaps `w` (nothing when they do not overlap). @throws as add(s).
  void add(const spend_record &s, const window &w);
  /// The share of `s` in `w`, minor units (see the class comment). @throws kpi::error
  /// errc::invalid_argument for an invalid record.
  static std::int64_t share_minor(const spend_record &s, const window &w);

  /// Adds `other` into this state. @throws kpi::error errc::currency_mismatch, errc::overflow.
  void merge(const spend_stats &other);

  /// The currency; std::nullopt while nothing was added.
  [[nodiscard]] std::optional<kpi::currency> currency() const noexcept { return currency_; }
  /// The spend, minor units (0 when empty).
  [[nodiscard]] std::int64_t amount_minor() const noexcept { return amount_; }
  /// The spend as money (XXX when empty).
  [[nodiscard]] money amount() const noexcept { return {amount_, currency_.value_or(kpi::currency{})}; }

  /// Appends the binary form to `out` (see src/stats/customers.cpp).
  void save(std::string &out) const;
  /// Reads a state written by save(). @throws kpi::error errc::corrupt on bad input.
  static spend_stats load(std::string_view &in);

  /// Same state.
  friend bool operator==(const spend_stats &, const spend_stats &) = default;

 private:
  void add_minor(std::int64_t minor, kpi::currency cur);
  std::optional<kpi::currency> currency_;
  std::int64_t amount_ = 0;
};

}  // namespace kpi

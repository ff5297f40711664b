/// @file
/// @brief The order accumulator of one window (kpi::order_stats), the exact per-customer order counts
/// it keeps (kpi::customer_order_counts), and the opt-in cross-window identity structure that decides
/// in which window each customer's first order falls (kpi::first_order_tracker).
///
/// Everything here is exact and mergeable: merging the states of any split of a stream of orders gives
/// a state equal (operator==) to that of the whole stream, so a month is the merge of its days and a
/// team the merge of its agents.
///
/// **Money.** Sums are exact int64 counts of minor units, checked for overflow (errc::overflow, the
/// state left unchanged). A state carries ONE currency, set by its first order. An order in another
/// currency is rejected with errc::currency_mismatch: convert amounts and costs with a caller-supplied
/// kpi::rate_table (rate_table::convert) BEFORE add(). Merging two states of different currencies is
/// rejected the same way.
///
/// **Identities.** Customers and agents are kept as stable 64-bit FNV-1a hashes of their ids
/// (kpi::stable_id_hash): equal ids give equal hashes on every platform and in every run, so states
/// saved on one machine merge with states built on another. Two different ids collide with probability
/// about n²/2^65 (n distinct ids: below 1e-7 for a million ids); a collision merges the two.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kpi/money.hpp"
#include "kpi/records.hpp"
#include "kpi/stats/hash.hpp"
#include "kpi/stats/histogram.hpp"
#include "kpi/stats/id_set.hpp"
#include "kpi/time.hpp"

namespace kpi {

/// Exact number of orders per distinct customer (keyed by the customer id's stable hash), mergeable.
///
/// Answers "how many distinct customers ordered" and "how many ordered at least twice" for
/// repeat_purchase_rate. Storage: a flat power-of-two table of 16-byte slots (hash, count) with linear
/// probing, at most half full: 32 to 64 bytes per distinct customer, one cache line touched per add
/// (a node-based std::unordered_map costs a pointer chase per lookup, which dominated order_stats::add).
/// Serialized: 8 bytes + a varint per customer. Not thread-safe for concurrent writes; copyable.
class customer_order_counts {
 public:
  /// Counts one order of the customer with hash `customer`. @throws kpi::error errc::overflow when
  /// one customer's count would exceed 2^32 - 1 orders (state unchanged).
  void add(std::uint64_t customer, std::uint32_t orders = 1);

  /// Adds the counts of `other` (associative and commutative). @throws kpi::error errc::overflow as
  /// add() (state unchanged).
  void merge(const customer_order_counts &other);

  /// Number of distinct customers with at least one order.
  [[nodiscard]] std::uint64_t customers() const noexcept { return size_; }
  /// Number of distinct customers with at least two orders.
  [[nodiscard]] std::uint64_t repeat_customers() const noexcept { return repeat_; }
  /// Orders of customer `customer` (0 when unknown).
  [[nodiscard]] std::uint32_t orders_of(std::uint64_t customer) const noexcept;

  /// Appends the binary form (sorted by hash, so equal states serialize to equal bytes).
  void save(std::string &out) const;
  /// Reads the form written by save() from the front of `in` and advances `in`.
  /// @throws kpi::error errc::corrupt on truncated or malformed input (unsorted or repeated hashes,
  /// zero counts, a count that the input cannot hold).
  static customer_order_counts load(std::string_view &in);

  /// Same counts for the same customers.
  friend bool operator==(const customer_order_counts &a, const customer_order_counts &b) noexcept;

 private:
  struct slot {
    std::uint64_t key = 0;
    std::uint32_t count = 0;  // 0: empty slot
  };
  slot *find_or_insert(std::uint64_t key);
  const slot *find(std::uint64_t key) const noexcept;
  void grow();
  std::size_t index_of(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);  // multiply-shift
  }
  std::vector<slot> slots_;   // size a power of two, or 0
  std::uint64_t size_ = 0;    // occupied slots
  unsigned shift_ = 64;       // 64 - log2(slots_.size())
  std::uint64_t repeat_ = 0;  // entries with a count >= 2
};

/// The order accumulator of one window (one group, one period): revenue, orders, cost and gross
/// profit, kinds, the orders linked to calls, the distribution of purchase values, the distinct
/// customers and agents, and the new-customer count maintained by a kpi::first_order_tracker.
///
/// Population: the orders anchored in the window by their `time` (kpis.md). Amounts in minor units of
/// the state's one currency. Memory: about 300 bytes fixed, plus the exact histogram of amounts (about
/// 64 bytes per distinct amount), customer_order_counts (about 48 bytes per distinct customer) and the
/// agent set (16 to 32 bytes per distinct agent, kpi::id_set).
///
/// Not thread-safe for concurrent writes (one state per thread, then merge); const members may be
/// called from many threads. Copyable and movable.
class order_stats {
 public:
  /// Adds one order. The order is validated (kpi::check: non-empty id, amount and cost >= 0, cost in
  /// the amount's currency) and its currency must be the state's (or the state empty).
  /// @throws kpi::error errc::invalid_argument for an invalid record; errc::currency_mismatch for an
  /// order in another currency (convert it first with a kpi::rate_table); errc::overflow when a money
  /// sum would overflow int64 minor units. On any error the state is unchanged.
  void add(const order_record &o);

  /// Adds `other` into this state (associative and commutative). @throws kpi::error
  /// errc::currency_mismatch when both are non-empty in different currencies; errc::overflow. On error
  /// the state is unchanged.
  void merge(const order_stats &other);

  /// The currency of the amounts; std::nullopt while no order was added.
  [[nodiscard]] std::optional<kpi::currency> currency() const noexcept { return currency_; }
  /// Number of orders.
  [[nodiscard]] std::uint64_t orders() const noexcept { return orders_; }
  /// Σ amount, in minor units of currency() (0 when empty).
  [[nodiscard]] std::int64_t revenue_minor() const noexcept { return revenue_; }
  /// Σ amount as money (currency XXX when empty).
  [[nodiscard]] money revenue() const noexcept { return {revenue_, currency_.value_or(kpi::currency{})}; }
  /// Number of orders that carry a cost.
  [[nodiscard]] std::uint64_t costed_orders() const noexcept { return costed_orders_; }
  /// Σ amount over the orders that carry a cost, minor units.
  [[nodiscard]] std::int64_t costed_revenue_minor() const noexcept { return costed_revenue_; }
  /// Σ cost over the orders that carry one, minor units.
  [[nodiscard]] std::int64_t cost_minor() const noexcept { return cost_; }
  /// Σ(amount − cost) over the orders that carry a cost, minor units (may be negative).
  [[nodiscard]] std::int64_t gross_profit_minor() const noexcept { return costed_revenue_ - cost_; }
  /// Orders of kind upsell.
  [[nodiscard]] std::uint64_t upsell_orders() const noexcept { return upsell_; }
  /// Orders of kind cross_sell.
  [[nodiscard]] std::uint64_t cross_sell_orders() const noexcept { return cross_sell_; }
  /// Orders with a non-empty call_id (the call that made the sale).
  [[nodiscard]] std::uint64_t linked_orders() const noexcept { return linked_orders_; }
  /// Σ amount of the orders with a non-empty call_id, minor units.
  [[nodiscard]] std::int64_t linked_revenue_minor() const noexcept { return linked_revenue_; }
  /// Σ amount of the orders with a non-empty call_id, as money (XXX when empty).
  [[nodiscard]] money linked_revenue() const noexcept {
    return {linked_revenue_, currency_.value_or(kpi::currency{})};
  }
  /// Distribution of the order amounts in minor units (for median_purchase_value).
  [[nodiscard]] const exact_histogram &amounts() const noexcept { return amounts_; }
  /// Orders per distinct customer (orders with an empty customer_id are not counted here).
  [[nodiscard]] const customer_order_counts &customers() const noexcept { return customers_; }
  /// Distinct non-empty agent_id values, as stable hashes (for revenue_per_rep together with the call
  /// agents).
  [[nodiscard]] const id_set &agents() const noexcept { return agents_; }

  /// Customers whose first order over all the data falls in this state's orders, as maintained by a
  /// kpi::first_order_tracker; std::nullopt unless every order of the state went through a tracker
  /// (tracking is opt-in), except that a state without orders has 0 new customers.
  /// Final only once every order of the data set has been given to the tracker: a late order can still
  /// move a customer to an earlier window.
  [[nodiscard]] std::optional<std::uint64_t> new_customers() const noexcept;

  /// Called by first_order_tracker for an order already add()ed to this state: marks it as tracked and,
  /// when `first_order` is true, counts one new customer. @throws kpi::error errc::invalid_argument when
  /// more orders would be tracked than were added.
  void note_tracked_order(bool first_order);
  /// Called by first_order_tracker when a late order moved a customer's first order out of this state:
  /// one new customer less. @throws kpi::error errc::invalid_argument when the count is already 0.
  void retract_new_customer();

  /// Appends the binary form (little-endian, versioned; see src/stats/sales.cpp) to `out`.
  void save(std::string &out) const;
  /// Reads a state written by save() from the front of `in` and advances `in` past it. Allocates only
  /// in proportion to the bytes present.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static order_stats load(std::string_view &in);

  /// Same state.
  friend bool operator==(const order_stats &a, const order_stats &b);

 private:
  std::optional<kpi::currency> currency_;
  std::uint64_t orders_ = 0;
  std::int64_t revenue_ = 0;
  std::uint64_t costed_orders_ = 0;
  std::int64_t costed_revenue_ = 0;
  std::int64_t cost_ = 0;
  std::uint64_t upsell_ = 0;
  std::uint64_t cross_sell_ = 0;
  std::uint64_t linked_orders_ = 0;
  std::int64_t linked_revenue_ = 0;
  std::uint64_t tracked_orders_ = 0;
  std::uint64_t new_customers_ = 0;
  exact_histogram amounts_;
  customer_order_counts customers_;
  id_set agents_;
};

/// Decides, across windows, which window holds each customer's FIRST order over all the data given
/// (the new_customers KPI), including when orders arrive out of time order.
///
/// Opt-in: it keeps one entry per distinct customer ever seen (the customer hash, the time of the
/// earliest order and the caller's slot of that order: about 64 bytes each in the hash map).
///
/// The caller numbers its window states with `slot`s (any 64-bit value, e.g. an index into its table of
/// (group, period) states) and gives every order to observe() or add(). When an order is earlier than
/// the customer's known first order, the customer MOVES: the new slot gains the new customer and the
/// old slot loses it. Ties (two orders at the same instant) go to the smaller slot, so the result does
/// not depend on the order of arrival. Counts are final once every order has been given.
///
/// Use one tracker per grouping (e.g. one for agents, one for campaigns): a customer's first order is
/// counted in the group of that order. Not thread-safe; copyable; mergeable.
class first_order_tracker {
 public:
  /// What observe() decided.
  struct decision {
    bool first = false;                  ///< This order is now the customer's first: count one new
                                         ///< customer in its slot.
    std::optional<std::uint64_t> moved;  ///< The slot that held the customer's previous first order
                                         ///< (one new customer less there), when there was one.
  };

  /// Records an order of the customer with hash `customer` at `time`, in the caller's `slot`.
  decision observe(std::uint64_t customer, timestamp time, std::uint64_t slot);

  /// Adds order `o` to the state `stats_of(slot)` (an order_stats&) and maintains the new-customer
  /// counts: `stats_of(slot).add(o)`, then, for an order with a customer_id, observe() and
  /// note_tracked_order() / retract_new_customer() on the states concerned. `stats_of` must return the
  /// same state for the same slot every time. Orders without a customer_id are tracked but are nobody's
  /// first order. @throws what order_stats::add throws (nothing is recorded then).
  template <class StatsOf>
  void add(const order_record &o, std::uint64_t slot, StatsOf &&stats_of) {
    auto &stats = stats_of(slot);
    stats.add(o);
    if (o.customer_id.empty()) {
      stats.note_tracked_order(false);
      return;
    }
    const decision d = observe(stable_id_hash(o.customer_id), o.time, slot);
    stats.note_tracked_order(d.first);
    if (d.moved) stats_of(*d.moved).retract_new_customer();
  }

  /// Number of distinct customers seen.
  [[nodiscard]] std::uint64_t customers() const noexcept { return first_.size(); }
  /// The time and slot of the first order of `customer`, or std::nullopt when never seen.
  [[nodiscard]] std::optional<std::pair<timestamp, std::uint64_t>> first_order(
      std::uint64_t customer) const noexcept;

  /// Merges another tracker's entries: for each customer the earlier (time, slot) wins. This only
  /// combines the identity maps (e.g. of shards that will feed the same states); the states' counters
  /// are not touched.
  void merge(const first_order_tracker &other);

  /// Appends the binary form (sorted by customer hash). @see order_stats::save.
  void save(std::string &out) const;
  /// Reads the form written by save(). @throws kpi::error errc::corrupt on bad input.
  static first_order_tracker load(std::string_view &in);

  /// Same entries.
  friend bool operator==(const first_order_tracker &a, const first_order_tracker &b) noexcept {
    return a.first_ == b.first_;
  }

 private:
  struct entry {
    std::int64_t time_ms;
    std::uint64_t slot;
    friend bool operator==(const entry &, const entry &) noexcept = default;
  };
  std::unordered_map<std::uint64_t, entry> first_;
};

}  // namespace kpi

/// @file
/// @brief Exact, mergeable, serializable distributions of non-negative values (durations in seconds,
/// or any non-negative quantity): kpi::exact_sum and kpi::exact_histogram.
///
/// These are the building blocks of the window accumulators (call_stats, order_stats, ...): a window's
/// state is merged from the states of its parts (days, agents, threads), so every statistic here is
/// kept in a form whose merge is exact, associative and commutative — the merge of any split of a
/// stream equals (operator==) the state of the whole stream.
///
/// Why not Boost.Accumulators: it has no merge and no serialization, its `sum` is an order-dependent
/// double sum (so merged states would differ in the last bits from single-pass ones), and its quantile
/// estimators (P², extended P²) are approximate and single-stream. Count, min and max are one instruction
/// each, so wrapping them in an accumulator_set would add nothing; the mergeable state is ours.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kpi/stats/rare.hpp"
#include "kpi/value.hpp"

namespace kpi {

namespace detail {
/// Throws kpi::error(errc::invalid_argument) naming `x` and `what`. Out of line to keep add() small.
[[noreturn]] void throw_bad_sample(double x, const char *what);

class call_ingest;    // the engine's columnar call ingest (src/engine/call_ingest.hpp)
struct dense_view;    // its view of a histogram's dense counters
class counter_queue;  // its queue of their increments

/// Counts by 64-bit key, in increasing key order: the sparse part of a kpi::exact_histogram.
///
/// Held as a sorted array of (key, count) pairs while there are at most flat_max keys: no allocation
/// per key and four keys per cache line, which is what a histogram of a few dozen calls (an agent's day)
/// needs. Past flat_max keys (many fractional values), an ordered map: O(log n) per new key however
/// many arrive. The form is not part of the state: the same keys and counts compare equal either way.
///
/// Not thread-safe for concurrent writes; const members may be called from many threads at once.
class key_counts {
 public:
  /// Keys held in the sorted array before it turns into a map.
  static constexpr std::size_t flat_max = 64;

  /// Adds `n` to the count of `key`. Returns true when the key was not there before.
  bool add(std::uint64_t key, std::uint64_t n);
  /// True when no key is held.
  [[nodiscard]] bool empty() const noexcept { return flat_.empty() && tree() == nullptr; }
  /// The smallest key. Precondition: !empty().
  [[nodiscard]] std::uint64_t first() const noexcept {
    const map *t = tree();
    return t == nullptr ? flat_.front().first : t->begin()->first;
  }
  /// The largest key. Precondition: !empty().
  [[nodiscard]] std::uint64_t last() const noexcept {
    const map *t = tree();
    return t == nullptr ? flat_.back().first : t->rbegin()->first;
  }
  /// Calls g(range) with the held (key, count) pairs as a range in increasing key order; its
  /// elements have `first` (key) and `second` (count), whichever form holds them.
  template <class G>
  decltype(auto) visit(G &&g) const {
    const map *t = tree();
    if (t == nullptr) return g(flat_);
    return g(*t);
  }
  /// Removes every even key in [from, to) and calls f(key, count) for each, in increasing key order.
  template <class F>
  void extract_even(std::uint64_t from, std::uint64_t to, F &&f) {
    if (map *tree_map = tree_.get()) {
      map &t = *tree_map;
      for (auto it = t.lower_bound(from); it != t.end() && it->first < to;) {
        if ((it->first & 1u) != 0) {
          ++it;
          continue;
        }
        f(it->first, it->second);
        it = t.erase(it);
      }
      if (t.empty()) tree_.reset();
      return;
    }
    std::size_t out = 0;
    for (const auto &e : flat_) {
      if (e.first >= from && e.first < to && (e.first & 1u) == 0) {
        f(e.first, e.second);
        continue;
      }
      flat_[out++] = e;
    }
    flat_.resize(out);
    // Keys that moved to a histogram's dense array rarely come back: return the memory.
    if (flat_.capacity() > 2 * flat_.size() + 4) flat_.shrink_to_fit();
  }

 private:
  using map = std::map<std::uint64_t, std::uint64_t>;
  // The map when the keys are in it (never an empty one).
  [[nodiscard]] const map *tree() const noexcept { return tree_.get(); }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> flat_;  // sorted by key; empty while tree_ is used
  rare<map> tree_;                                             // past flat_max keys (a pointer until then)
};
}  // namespace detail

/// An exact, order-independent sum of non-negative doubles.
///
/// Each value is rounded to the nearest multiple of 2^-32 (≈ 2.3e-10; exact for whole numbers, halves,
/// quarters, ... — anything a telephony log or a money amount in minor units records) and added into a
/// 128-bit unsigned fixed-point integer with 32 fractional bits. Integer addition is associative, so the
/// sum does not depend on the order of add() and merge() calls — unlike a compensated (Kahan/Neumaier)
/// or long double sum, whose last bits depend on the order, which would break the equality of merged
/// and single-pass states. Error of sum(): at most n × 2^-33 from the per-value rounding plus one final
/// rounding to double. 16 bytes; trivially copyable. Not thread-safe for concurrent writes.
class exact_sum {
 public:
  /// Values must be finite and in [0, max_value).
  static constexpr double max_value = 4611686018427387904.0;  // 2^62

  /// Adds `x`. @throws kpi::error errc::invalid_argument for a negative, NaN, infinite or too large x;
  /// errc::overflow when the sum would exceed 2^96 (about 2^34 values of the largest magnitude).
  void add(double x) {
    if (!(x >= 0.0 && x < max_value)) detail::throw_bad_sample(x, "exact_sum");
    const auto whole = static_cast<std::uint64_t>(x);
    add_split(whole, x - static_cast<double>(whole));
  }

  /// Adds `x` already split by the caller into its integral part `whole` and fraction `frac` in [0, 1).
  /// No validation: for hot paths that have checked the value already.
  void add_split(std::uint64_t whole, double frac) {
    // frac * 2^32 + 0.5 truncated: round half up to the 2^-32 grid (2^32 when frac rounds up to 1).
    const auto fbits = frac == 0.0 ? std::uint64_t{0} : static_cast<std::uint64_t>(frac * 4294967296.0 + 0.5);
    // whole * 2^32 + fbits as a 128-bit number (whole < 2^62, fbits <= 2^32).
    std::uint64_t add_hi = whole >> 32;
    std::uint64_t add_lo = whole << 32;
    add_lo += fbits;
    add_hi += add_lo < fbits ? 1u : 0u;
    lo_ += add_lo;
    add_hi += lo_ < add_lo ? 1u : 0u;
    // add_hi < 2^30 + 2 and hi_ < max_high before, so this cannot wrap: one compare is enough.
    hi_ += add_hi;
    if (hi_ >= max_high) overflow();
  }

  /// Adds another sum (associative and commutative). @throws kpi::error errc::overflow.
  void merge(const exact_sum &other) { add_raw(other.hi_, other.lo_); }

  /// The sum, rounded to the nearest double.
  [[nodiscard]] double value() const noexcept;

  /// True when `n` more add() calls of values below 2^62 cannot overflow the sum (for callers that
  /// must know before they start changing a state).
  [[nodiscard]] bool has_room_for(std::uint64_t n) const noexcept {
    // Each value adds less than 2^30 + 2 to the high word.
    return n < (std::uint64_t{1} << 32) && hi_ < max_high - n * ((std::uint64_t{1} << 30) + 2);
  }

  /// True when nothing (or only zeros) was added.
  [[nodiscard]] bool is_zero() const noexcept { return hi_ == 0 && lo_ == 0; }

  /// The raw 128-bit fixed-point state (units of 2^-32): high and low 64 bits. For serialization.
  [[nodiscard]] std::uint64_t raw_high() const noexcept { return hi_; }
  /// See raw_high().
  [[nodiscard]] std::uint64_t raw_low() const noexcept { return lo_; }
  /// The sum with the given raw state. @throws kpi::error errc::corrupt when `high` >= 2^64-2^32 (a
  /// state no sequence of add() calls without overflow can reach).
  static exact_sum from_raw(std::uint64_t high, std::uint64_t low);

  /// Same exact state.
  friend bool operator==(const exact_sum &, const exact_sum &) noexcept = default;

 private:
  void add_raw(std::uint64_t add_hi, std::uint64_t add_lo) {
    lo_ += add_lo;
    add_hi += lo_ < add_lo ? 1u : 0u;
    const std::uint64_t before = hi_;
    hi_ += add_hi;
    if (hi_ < before || hi_ >= max_high) overflow();
  }
  [[noreturn]] static void overflow();
  static constexpr std::uint64_t max_high = ~std::uint64_t{0} - 0xffffffffu;
  std::uint64_t hi_ = 0;
  std::uint64_t lo_ = 0;
};

/// An exact distribution of non-negative values at a resolution of half a unit (of a second, for
/// durations), mergeable and serializable.
///
/// **Keys.** A value x is counted under the key `2·floor(x)` when x is a whole number and
/// `2·floor(x) + 1` otherwise (x strictly between two whole numbers). So for a whole threshold T,
/// `x < T` and `x <= T` are both decided exactly by the key: count_below() and count_at_most() are exact
/// for every input, integral or not.
///
/// **Quantiles.** quantile(q) is the linear interpolation between the two closest ranks (Hyndman & Fan
/// type 7 — NumPy's default, Excel's PERCENTILE.INC, R's default): with the n values sorted as
/// x[0] <= ... <= x[n-1], h = (n - 1)·q, the result is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The median of
/// an even count is therefore the midpoint of the two middle values (of 10, 20, 30, 40: 25), not the
/// lower one. Each x[i] is known exactly when it is a whole number; a value strictly between f and f+1
/// is represented by f + 0.5, clamped to [min, max], except that x[0] is the exact min and x[n-1] the
/// exact max. Hence quantiles are **exact for whole-number inputs** (telephony logs record whole
/// seconds) and **within 0.5 units** otherwise. h is snapped to the nearest integer when within 1e-9
/// of it, so that e.g. q = 0.9 of 11 values is exactly x[9].
///
/// **Also kept exactly:** count, sum (see kpi::exact_sum: order-independent), min and max (the
/// original doubles). For whole values they follow from the keys; only fractional values carry their
/// own sum, min and max, so adding a whole number is a conversion, a compare and an increment.
///
/// **Memory** grows with the number of DISTINCT keys, not of values: a dense array of 2-byte counters
/// for the whole values below some bound (grown by powers of two only while it holds at most 32 slots
/// per distinct key, and capped at 16384 slots = whole values below 16384), and for the rest
/// (fractional values and larger ones) a sorted array of 16 bytes per key while there are at most 64
/// of them, then an ordered map (one node per distinct key, about 64 bytes with glibc's allocator;
/// see detail::key_counts). So at most about 64 bytes per distinct key, plus about 200 bytes of fixed
/// state; a talk-time histogram of 1 to 900 s takes 2 KB once dense. A dense counter that would pass
/// 2^16 - 1 moves 2^15 at a time into a side map, so counts stay exact up to 2^64. Serialized: 2 to 6
/// bytes per distinct key.
///
/// **Cost:** add() of a key in the dense range is a few instructions (no allocation); otherwise a
/// search of the sorted array (an insert moves at most 64 pairs) or of the ordered map. sum(), mean(),
/// count_below(), count_at_most() and quantile() walk the distinct keys: O(distinct).
///
/// Not thread-safe for concurrent writes; const members may be called from many threads at once.
/// Copyable and movable.
class exact_histogram {
 public:
  /// Values must be finite and in [0, max_value).
  static constexpr double max_value = exact_sum::max_value;

  /// Adds one value `x` (seconds, or any non-negative unit).
  /// @throws kpi::error errc::invalid_argument for a negative, NaN, infinite or too large x (the
  /// message names it); errc::overflow when the exact sum would overflow.
  void add(double x) {
    if (!(x >= 0.0 && x < max_value)) detail::throw_bad_sample(x, "exact_histogram");
    const auto whole = static_cast<std::uint64_t>(x);
    const double frac = x - static_cast<double>(whole);
    // The key first: when it cannot be stored (std::bad_alloc), nothing has changed.
    if (frac == 0.0 && whole < dense_.size()) {
      counter &slot = dense_[static_cast<std::size_t>(whole)];
      if (slot == dense_full - 1) [[unlikely]]
        spill(static_cast<std::size_t>(whole));
      distinct_ += slot == 0 ? 1 : 0;
      ++slot;
    } else {
      add_key_slow(2 * whole + (frac != 0.0 ? 1 : 0), 1);
    }
    if (frac != 0.0) {
      // Only fractional values need their own sum, min and max: those of whole values are read
      // back from the keys (see sum(), min(), max()), which keeps whole-second adds to a few
      // instructions.
      frac_sum_.add_split(whole, frac);
      frac_min_ = x < frac_min_ ? x : frac_min_;
      frac_max_ = x > frac_max_ ? x : frac_max_;
    }
    ++count_;
  }

  /// True when `n` more add() calls cannot overflow the exact sum (see exact_sum::has_room_for).
  [[nodiscard]] bool has_room_for(std::uint64_t n) const noexcept { return frac_sum_.has_room_for(n); }

  /// Adds every value of `other` (associative and commutative: merging the states of any split of a
  /// stream gives a state equal to that of the whole stream). @throws kpi::error errc::overflow.
  void merge(const exact_histogram &other);

  /// Number of values added.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// True when no value was added.
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  /// Sum of the values (see kpi::exact_sum for its precision); 0 when empty. O(distinct keys): the
  /// whole values are summed from their keys. @throws kpi::error errc::overflow past 2^96.
  [[nodiscard]] double sum() const { return exact_total().value(); }
  /// The exact sum: the whole values from their keys plus the exact sum of the fractional ones.
  /// O(distinct keys). @throws kpi::error errc::overflow past 2^96.
  [[nodiscard]] exact_sum exact_total() const;
  /// sum() / count(); undefined when empty. O(distinct keys).
  [[nodiscard]] value mean() const;
  /// The smallest value (exact); undefined when empty.
  [[nodiscard]] value min() const noexcept;
  /// The largest value (exact); undefined when empty.
  [[nodiscard]] value max() const noexcept;
  /// Number of distinct keys (see the class comment).
  [[nodiscard]] std::size_t distinct_keys() const noexcept { return distinct_; }

  /// The q-quantile (type 7 interpolation, see the class comment); undefined when empty.
  /// q = 0.5 is the median, q = 0.9 the 90th percentile, q = 0 the min, q = 1 the max.
  /// @throws kpi::error errc::invalid_argument when q is not in [0, 1].
  [[nodiscard]] value quantile(double q) const;

  /// Number of values x with x < t (strict). Exact for every input. A negative t gives 0.
  /// @throws kpi::error errc::invalid_argument when t is not a whole number (or NaN).
  [[nodiscard]] std::uint64_t count_below(double t) const;
  /// Number of values x with x <= t (inclusive). Exact for every input. A negative t gives 0.
  /// @throws kpi::error errc::invalid_argument when t is not a whole number (or NaN).
  [[nodiscard]] std::uint64_t count_at_most(double t) const;

  /// Appends the binary form (little-endian, versioned; see docs) to `out`.
  void save(std::string &out) const;
  /// Reads a histogram written by save() from the front of `in` and advances `in` past it.
  /// Validates every length, key order, count and min/max against the keys; allocates only in
  /// proportion to the bytes actually present.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static exact_histogram load(std::string_view &in);

  /// Same values: count, exact sum, min, max and the count of every key (however they are stored).
  friend bool operator==(const exact_histogram &a, const exact_histogram &b);

  /// Calls f(key, count) for every distinct key in increasing key order. See the class comment for
  /// what a key means; value_of_key() maps it back.
  template <class F>
  void for_each_key(F &&f) const {
    // The dense whole values (even keys) and the tail's keys (odd ones among them), merged in order.
    tail_.visit([&](const auto &tail) {
      auto it = tail.begin();
      for (std::size_t w = 0; w < dense_.size(); ++w) {
        if (dense_[w] == 0) continue;
        const std::uint64_t k = 2 * static_cast<std::uint64_t>(w);
        for (; it != tail.end() && it->first < k; ++it) f(it->first, it->second);
        f(k, dense_count(w));
      }
      for (; it != tail.end(); ++it) f(it->first, it->second);
    });
  }

  /// The key of value x (see the class comment). x must be valid for add().
  static std::uint64_t key_of(double x) noexcept;

 private:
  friend class detail::call_ingest;  // the engine's columnar ingest increments dense counters directly
  friend struct detail::dense_view;  // (src/engine/call_ingest.hpp)
  friend class detail::counter_queue;
  void add_key_slow(std::uint64_t key, std::uint64_t n);
  void add_dense(std::size_t whole, std::uint64_t n);
  void spill(std::size_t whole);
  /// The count of dense slot `w` (with its spilled part).
  [[nodiscard]] std::uint64_t dense_count(std::size_t w) const noexcept {
    const auto *spilled = spilled_.get();
    if (spilled == nullptr) return dense_[w];
    const auto it = spilled->find(w);
    return dense_[w] + (it == spilled->end() ? 0 : it->second << spill_bits);
  }
  using counter = std::uint16_t;              // a dense counter
  static constexpr unsigned spill_bits = 15;  // a full counter moves 2^15 of its count to spilled_
  static constexpr counter dense_full = 0xffffu;
  void add_key(std::uint64_t key, std::uint64_t n);
  std::uint64_t count_keys_below(std::uint64_t bound) const noexcept;
  std::uint64_t first_key() const noexcept;
  std::uint64_t last_key() const noexcept;

  std::uint64_t count_ = 0;
  std::size_t distinct_ = 0;
  // Sum, min and max of the FRACTIONAL values only (those of whole values follow from the keys).
  // frac_min_/frac_max_ may stay at +inf/-inf after load() when the state's min/max is a whole value:
  // min() and max() only read them when the extreme key is odd, and then they are exact.
  exact_sum frac_sum_;
  double frac_min_ = std::numeric_limits<double>::infinity();
  double frac_max_ = -std::numeric_limits<double>::infinity();
  std::vector<counter> dense_;  // counts of the whole values [0, dense_.size())
  detail::key_counts tail_;     // the other keys: odd, or even >= 2 * dense_.size()
  // Whole value -> units of 2^15 moved out of dense_ (none until a counter first fills up).
  detail::rare<std::map<std::size_t, std::uint64_t>> spilled_;
};

}  // namespace kpi

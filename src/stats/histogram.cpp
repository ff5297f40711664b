// exact_sum and exact_histogram (include/kpi/stats/histogram.hpp).
//
// Wire format of an exact_histogram (all integers little-endian; varint = unsigned LEB128):
//   u8 tag 'H' (0x48), u8 version 1,
//   varint count, u64 sum_high, u64 sum_low, f64 min, f64 max   (empty: min +inf, max -inf),
//   varint n_keys, then n_keys times: varint key_delta (the first key itself, then key - previous key,
//   > 0), varint key_count (> 0).
// Load checks: tag and version, no truncation, n_keys <= count and within what the input can hold,
// keys strictly increasing and below 2^63, counts > 0 summing to count, min/max finite, in range and
// under the first/last key (or the empty form), the sum's high word below its overflow bound.
#include "kpi/stats/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>

#include "kpi/error.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

constexpr std::uint8_t histogram_tag = 0x48;  // 'H'
constexpr std::uint8_t histogram_version = 1;
constexpr std::string_view histogram_what = "exact_histogram";

// Dense array bounds (slots are whole values, 2 bytes each): at least dense_min slots once it exists;
// never more than dense_cap; and grown to 2^k slots only while 2^k <= dense_density * (distinct keys),
// so the array holds at most dense_density slots (64 bytes) per distinct key — about what a map node
// costs — and a histogram of durations turns dense after a few dozen distinct seconds, from when an
// add is an increment instead of a search. Counters are 2 bytes so that the talk histograms of the
// cells a batch touches stay in the processor's cache (an add is then a cache hit), at the price of
// a spill into spilled_ every 2^15 values of one whole second.
constexpr std::size_t dense_min = 16;
constexpr std::size_t dense_cap = 16384;
constexpr std::size_t dense_density = 32;

// Largest key a valid value can have: 2 * (2^62 - 1) + 1.
constexpr std::uint64_t max_key = (std::uint64_t{1} << 63) - 1;

// GCC/Clang's 128-bit integer, for the exact sums of whole values (not in any public header).
__extension__ typedef unsigned __int128 u128;

// Σ (key / 2) · count over the even keys (the whole values): < 2^126 since there are fewer than 2^64
// values, each below 2^62, so it cannot wrap.
u128 whole_total(const exact_histogram &h) {
  u128 total = 0;
  h.for_each_key([&total](std::uint64_t k, std::uint64_t c) {
    if ((k & 1u) == 0) total += static_cast<u128>(k >> 1) * c;
  });
  return total;
}

// `whole` in the fixed-point units of exact_sum (2^-32) as an exact_sum.
exact_sum fixed_sum(u128 whole) {
  if ((whole >> 94) != 0) throw error(errc::overflow, "exact_histogram: the sum exceeds 2^94");
  const u128 fixed = whole << 32;
  return exact_sum::from_raw(static_cast<std::uint64_t>(fixed >> 64), static_cast<std::uint64_t>(fixed));
}

std::string num(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

// Thresholds must be whole numbers: then keys < 2t are exactly the values < t, keys <= 2t those <= t.
void check_threshold(double t) {
  if (!(std::isfinite(t) && t == std::floor(t)))
    throw error(errc::invalid_argument,
                "histogram threshold must be a whole number (a count of whole seconds), got " + num(t));
}

}  // namespace

namespace detail {
void throw_bad_sample(double x, const char *what) {
  throw error(errc::invalid_argument,
              std::string(what) + ": value must be finite, >= 0 and < 2^62, got " + num(x));
}
}  // namespace detail

// ---- exact_sum ---------------------------------------------------------------------------------------

double exact_sum::value() const noexcept {
  // hi * 2^32 + lo * 2^-32, in long double (64-bit mantissa on x86) then rounded once to double.
  const long double v =
      static_cast<long double>(hi_) * 4294967296.0L + static_cast<long double>(lo_) / 4294967296.0L;
  return static_cast<double>(v);
}

exact_sum exact_sum::from_raw(std::uint64_t high, std::uint64_t low) {
  if (high >= max_high) detail::wire::corrupt("exact_sum", "sum out of range");
  exact_sum s;
  s.hi_ = high;
  s.lo_ = low;
  return s;
}

void exact_sum::overflow() {
  throw error(errc::overflow, "exact_sum: the sum exceeds 2^96");
}

// ---- detail::key_counts ------------------------------------------------------------------------------

bool detail::key_counts::add(std::uint64_t key, std::uint64_t n) {
  if (tree() == nullptr) {
    // Keys mostly arrive in no order, but a merge or a load adds them in increasing order: try the end.
    auto it = !flat_.empty() && flat_.back().first < key
                  ? flat_.end()
                  : std::lower_bound(flat_.begin(), flat_.end(), key,
                                     [](const auto &e, std::uint64_t k) { return e.first < k; });
    if (it != flat_.end() && it->first == key) {
      it->second += n;
      return false;
    }
    if (flat_.size() < flat_max) {
      // Room for 8 keys at first, then doubling: an allocation per 8 keys at most, not per key.
      if (flat_.empty()) {
        flat_.reserve(8);
        it = flat_.begin();
      }
      flat_.insert(it, {key, n});
      return true;
    }
    // The array is full: every key moves into the map, which holds them from now on. The map is built
    // aside, so that a std::bad_alloc leaves the keys in the array.
    map t;
    for (const auto &e : flat_) t.emplace_hint(t.end(), e.first, e.second);
    tree_.make() = std::move(t);
    flat_.clear();
    flat_.shrink_to_fit();
  }
  auto [it, inserted] = tree_.make().try_emplace(key, 0);
  it->second += n;
  return inserted;
}

// ---- exact_histogram ---------------------------------------------------------------------------------

std::uint64_t exact_histogram::key_of(double x) noexcept {
  const auto whole = static_cast<std::uint64_t>(x);
  return 2 * whole + (x != static_cast<double>(whole) ? 1u : 0u);
}

void exact_histogram::add_key(std::uint64_t key, std::uint64_t n) {
  if ((key & 1u) == 0 && key / 2 < dense_.size()) {
    add_dense(static_cast<std::size_t>(key / 2), n);
    return;
  }
  add_key_slow(key, n);
}

void exact_histogram::add_dense(std::size_t w, std::uint64_t n) {
  counter &slot = dense_[w];
  if (slot == 0) ++distinct_;
  const std::uint64_t total = slot + n;  // < 2^64: n counts values, and so do the slot and spills
  if (total < dense_full) {
    slot = static_cast<counter>(total);
    return;
  }
  // Keep the slot in [1, 2^15] (non-zero: the key is present) and the rest in units of 2^15.
  const std::uint64_t units = (total - 1) >> spill_bits;
  slot = static_cast<counter>(total - (units << spill_bits));
  spilled_.make()[w] += units;
}

void exact_histogram::spill(std::size_t w) {
  spilled_.make()[w] += 1;  // first: when it throws, nothing has changed
  dense_[w] = static_cast<counter>(dense_[w] - (counter{1} << spill_bits));
}

void exact_histogram::add_key_slow(std::uint64_t key, std::uint64_t n) {
  const std::uint64_t whole = key / 2;
  if ((key & 1u) == 0 && whole < dense_cap) {
    const std::size_t want = std::max(dense_min, std::bit_ceil(static_cast<std::size_t>(whole) + 1));
    if (want <= dense_min || want <= dense_density * (distinct_ + 1)) {
      const std::size_t had = dense_.size();
      dense_.resize(want, 0);
      // The tail's whole values now inside the dense range move into it (their keys stay distinct).
      tail_.extract_even(2 * static_cast<std::uint64_t>(had), 2 * static_cast<std::uint64_t>(want),
                         [this](std::uint64_t k, std::uint64_t c) {
                           --distinct_;  // counted again by add_dense
                           add_dense(static_cast<std::size_t>(k / 2), c);
                         });
      add_dense(static_cast<std::size_t>(whole), n);
      return;
    }
  }
  if (tail_.add(key, n)) ++distinct_;
}

void exact_histogram::merge(const exact_histogram &other) {
  if (other.count_ == 0) return;
  if (this == &other) {
    const exact_histogram copy = other;
    merge(copy);
    return;
  }
  frac_sum_.merge(other.frac_sum_);
  count_ += other.count_;
  frac_min_ = std::min(frac_min_, other.frac_min_);
  frac_max_ = std::max(frac_max_, other.frac_max_);
  other.for_each_key([this](std::uint64_t k, std::uint64_t c) { add_key(k, c); });
}

exact_sum exact_histogram::exact_total() const {
  exact_sum total = fixed_sum(whole_total(*this));
  total.merge(frac_sum_);
  return total;
}

value exact_histogram::mean() const {
  if (count_ == 0) return std::nullopt;
  return exact_total().value() / static_cast<double>(count_);
}

std::uint64_t exact_histogram::first_key() const noexcept {
  const std::uint64_t in_tail = tail_.empty() ? ~std::uint64_t{0} : tail_.first();
  for (std::size_t w = 0; w < dense_.size() && 2 * static_cast<std::uint64_t>(w) < in_tail; ++w)
    if (dense_[w] != 0) return 2 * static_cast<std::uint64_t>(w);
  return tail_.empty() ? 0 : in_tail;
}

std::uint64_t exact_histogram::last_key() const noexcept {
  const std::uint64_t in_tail = tail_.empty() ? 0 : tail_.last();
  for (std::size_t w = dense_.size(); w > 0 && 2 * static_cast<std::uint64_t>(w - 1) > in_tail; --w)
    if (dense_[w - 1] != 0) return 2 * static_cast<std::uint64_t>(w - 1);
  return in_tail;
}

// The extreme key holds the extreme value: a whole one (even key) is the key's half; a fractional one
// (odd key) is the fractional min or max, which is then exact.
value exact_histogram::min() const noexcept {
  if (count_ == 0) return std::nullopt;
  const std::uint64_t k = first_key();
  return (k & 1u) != 0 ? frac_min_ : static_cast<double>(k >> 1);
}

value exact_histogram::max() const noexcept {
  if (count_ == 0) return std::nullopt;
  const std::uint64_t k = last_key();
  return (k & 1u) != 0 ? frac_max_ : static_cast<double>(k >> 1);
}

namespace {
// The value standing for the values of `key`: exact for a whole value (even key); the middle f + 0.5
// of (f, f + 1) for fractional ones, clamped to [mn, mx].
double representative(std::uint64_t key, double mn, double mx) noexcept {
  const double base = static_cast<double>(key >> 1);
  if ((key & 1u) == 0) return base;
  return std::clamp(base + 0.5, mn, mx);
}
}  // namespace

value exact_histogram::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0))
    throw error(errc::invalid_argument, "quantile q must be in [0, 1], got " + num(q));
  if (count_ == 0) return std::nullopt;
  double h = static_cast<double>(count_ - 1) * q;
  const double nearest = std::round(h);
  if (std::fabs(h - nearest) <= 1e-9 * std::max(1.0, h)) h = nearest;
  const auto r0 = static_cast<std::uint64_t>(h);
  const double frac = h - static_cast<double>(r0);
  const std::uint64_t r1 = frac > 0.0 ? r0 + 1 : r0;
  const double mn = *min(), mx = *max();
  // Value of rank r (0-based): the exact min and max at the ends, else the key's representative.
  double v0 = 0, v1 = 0;
  bool have0 = false;
  std::uint64_t seen = 0;  // values in the keys visited so far
  auto visit = [&](std::uint64_t key, std::uint64_t c) {
    const std::uint64_t next = seen + c;
    if (!have0 && r0 < next) {
      v0 = representative(key, mn, mx);
      have0 = true;
    }
    if (have0 && r1 < next && r1 >= seen) v1 = representative(key, mn, mx);
    seen = next;
  };
  for_each_key(visit);
  if (r0 == 0) v0 = mn;
  if (r0 == count_ - 1) v0 = mx;
  if (r1 == 0) v1 = mn;
  if (r1 == count_ - 1) v1 = mx;
  if (frac == 0.0) return v0;
  return v0 + frac * (v1 - v0);
}

std::uint64_t exact_histogram::count_keys_below(std::uint64_t bound) const noexcept {
  std::uint64_t n = 0;
  // Whole values w with key 2w < bound.
  const std::size_t dense_end =
      static_cast<std::size_t>(std::min<std::uint64_t>(bound / 2 + (bound & 1u), dense_.size()));
  for (std::size_t w = 0; w < dense_end; ++w) n += dense_[w];
  if (const auto *spilled = spilled_.get())
    for (auto it = spilled->begin(); it != spilled->end() && it->first < dense_end; ++it)
      n += it->second << spill_bits;
  tail_.visit([&](const auto &tail) {
    for (auto it = tail.begin(); it != tail.end() && it->first < bound; ++it) n += it->second;
  });
  return n;
}

std::uint64_t exact_histogram::count_below(double t) const {
  check_threshold(t);
  if (t <= 0.0) return 0;
  if (t >= max_value) return count_;
  return count_keys_below(2 * static_cast<std::uint64_t>(t));  // keys < 2t: values < t
}

std::uint64_t exact_histogram::count_at_most(double t) const {
  check_threshold(t);
  if (t < 0.0) return 0;
  if (t >= max_value) return count_;
  return count_keys_below(2 * static_cast<std::uint64_t>(t) + 1);  // keys <= 2t: values <= t
}

bool operator==(const exact_histogram &a, const exact_histogram &b) {
  if (a.count_ != b.count_ || a.distinct_ != b.distinct_ || !(a.frac_sum_ == b.frac_sum_)) return false;
  if (a.min() != b.min() || a.max() != b.max()) return false;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ka, kb;
  ka.reserve(a.distinct_);
  kb.reserve(b.distinct_);
  a.for_each_key([&](std::uint64_t k, std::uint64_t c) { ka.emplace_back(k, c); });
  b.for_each_key([&](std::uint64_t k, std::uint64_t c) { kb.emplace_back(k, c); });
  return ka == kb;
}

void exact_histogram::save(std::string &out) const {
  namespace w = detail::wire;
  w::put_header(out, histogram_tag, histogram_version);
  w::put_varint(out, count_);
  const exact_sum total = exact_total();
  w::put_u64(out, total.raw_high());
  w::put_u64(out, total.raw_low());
  w::put_f64(out, count_ == 0 ? std::numeric_limits<double>::infinity() : *min());
  w::put_f64(out, count_ == 0 ? -std::numeric_limits<double>::infinity() : *max());
  w::put_varint(out, distinct_);
  std::uint64_t prev = 0;
  for_each_key([&](std::uint64_t k, std::uint64_t c) {
    w::put_varint(out, k - prev);
    w::put_varint(out, c);
    prev = k;
  });
}

exact_histogram exact_histogram::load(std::string_view &in) {
  namespace w = detail::wire;
  const auto what = histogram_what;
  w::expect_header(in, histogram_tag, histogram_version, what);
  exact_histogram h;
  const std::uint64_t count = w::get_varint(in, what);
  const std::uint64_t sum_hi = w::get_u64(in, what);
  const std::uint64_t sum_lo = w::get_u64(in, what);
  const double mn = w::get_f64(in, what);
  const double mx = w::get_f64(in, what);
  const std::uint64_t n_keys = w::get_varint(in, what);
  const exact_sum stored_sum = exact_sum::from_raw(sum_hi, sum_lo);
  if (count == 0) {
    if (n_keys != 0 || !stored_sum.is_zero() || mn != std::numeric_limits<double>::infinity() ||
        mx != -std::numeric_limits<double>::infinity())
      w::corrupt(what, "an empty histogram with keys, a sum or bounds");
    return h;
  }
  if (n_keys == 0 || n_keys > count) w::corrupt(what, "key count inconsistent with the value count");
  w::check_count(n_keys, 2, in, what);
  if (!(mn >= 0.0 && mn <= mx && mx < max_value)) w::corrupt(what, "min/max out of range");
  std::uint64_t key = 0, total = 0, first_key = 0;
  for (std::uint64_t i = 0; i < n_keys; ++i) {
    const std::uint64_t delta = w::get_varint(in, what);
    const std::uint64_t c = w::get_varint(in, what);
    if (i > 0 && delta == 0) w::corrupt(what, "keys not strictly increasing");
    if (delta > max_key - key) w::corrupt(what, "key out of range");
    key += delta;
    if (i == 0) first_key = key;
    if (c == 0 || c > count - total) w::corrupt(what, "key counts inconsistent with the value count");
    total += c;
    h.add_key(key, c);
  }
  if (total != count) w::corrupt(what, "key counts do not add up to the value count");
  if (key_of(mn) != first_key || key_of(mx) != key) w::corrupt(what, "min/max inconsistent with the keys");
  h.count_ = count;
  h.frac_min_ = (first_key & 1u) != 0 ? mn : std::numeric_limits<double>::infinity();
  h.frac_max_ = (key & 1u) != 0 ? mx : -std::numeric_limits<double>::infinity();
  // The fractional values' sum is the total minus the whole values' sum (exact 128-bit arithmetic).
  const u128 whole = whole_total(h);
  if ((whole >> 94) != 0) w::corrupt(what, "sum out of range");
  const u128 stored = (static_cast<u128>(sum_hi) << 64) | sum_lo;
  const u128 whole_fixed = whole << 32;
  if (stored < whole_fixed) w::corrupt(what, "sum smaller than the whole values' sum");
  const u128 frac = stored - whole_fixed;
  bool any_fractional = false;
  h.for_each_key([&](std::uint64_t k, std::uint64_t) { any_fractional = any_fractional || (k & 1u) != 0; });
  if (!any_fractional && frac != 0) w::corrupt(what, "sum inconsistent with the keys");
  h.frac_sum_ = exact_sum::from_raw(static_cast<std::uint64_t>(frac >> 64), static_cast<std::uint64_t>(frac));
  return h;
}

}  // namespace kpi

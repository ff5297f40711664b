// customer_stats and spend_stats (include/kpi/stats/customers.hpp).
//
// Wire formats (little-endian; varint = unsigned LEB128; see stats/wire.hpp):
//
// customer_stats: u8 tag 'U' (0x55), u8 version 2, varint acquired, u8 has_start (0 or 1), then u64
//   start (ms, two's complement) when has_start, varint n_churned, n_churned times u64 acquisition
//   instant (ms, two's complement, non-decreasing), then u8 sums_known (0 or 1) and, when 1, the sum of
//   the acquisition instants and the sum of the churn instants (ms), each a 128-bit two's complement
//   integer as two u64 (low, high). Load checks: has_start is 0 or 1, a start exactly when there are
//   churns, instants sorted, sums_known 0 only when there are events, zero sums without events.
//   Version 1 (read, never written) ends after the instants: its sums are unknown when it has events.
//
// spend_stats: u8 tag '$' (0x24), u8 version 1, 3 bytes currency code ("\0\0\0": none), u64 amount
//   (two's complement, must be >= 0; 0 when there is no currency).
#include "kpi/stats/customers.hpp"

#include <algorithm>
#include <utility>

#include "kpi/error.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

namespace w = detail::wire;

constexpr std::uint8_t customer_tag = 0x55;   // 'U'
constexpr std::uint8_t spend_tag = 0x24;      // '$'
constexpr std::uint8_t version = 1;           // spend_stats
constexpr std::uint8_t customer_version = 2;  // customer_stats (reads 1 too)

__extension__ typedef __int128 i128;           // exact products of an int64 amount and an int64 duration
__extension__ typedef unsigned __int128 u128;  // the two 64-bit halves of a saved i128

}  // namespace

// ---- customer_stats -----------------------------------------------------------------------------------

void customer_stats::add_acquired(const customer_record &c) {
  validate(c);
  ++acquired_;
  acquired_sum_ms_ += to_unix_ms(c.acquired);
}

void customer_stats::add_churned(const customer_record &c, timestamp window_start) {
  validate(c);
  if (!c.churned)
    throw error(errc::invalid_argument,
                "customer_stats::add_churned: customer '" + c.customer_id + "' has no churned instant");
  if (*c.churned < window_start)
    throw error(errc::invalid_argument, "customer_stats::add_churned: customer '" + c.customer_id +
                                            "' churned at " + format_timestamp(*c.churned) +
                                            ", before the window start " + format_timestamp(window_start));
  const std::int64_t start = to_unix_ms(window_start);
  churned_at_.push_back(to_unix_ms(c.acquired));
  churned_sum_ms_ += to_unix_ms(*c.churned);
  if (!start_ms_ || start < *start_ms_) start_ms_ = start;
}

void customer_stats::merge(const customer_stats &other) {
  if (this == &other) {
    const customer_stats copy = other;
    merge(copy);
    return;
  }
  churned_at_.insert(churned_at_.end(), other.churned_at_.begin(), other.churned_at_.end());
  acquired_ += other.acquired_;
  acquired_sum_ms_ += other.acquired_sum_ms_;
  churned_sum_ms_ += other.churned_sum_ms_;
  sums_known_ = sums_known_ && other.sums_known_;
  if (other.start_ms_ && (!start_ms_ || *other.start_ms_ < *start_ms_)) start_ms_ = other.start_ms_;
}

std::uint64_t customer_stats::lost() const noexcept {
  if (!start_ms_) return 0;
  const std::int64_t start = *start_ms_;
  return static_cast<std::uint64_t>(
      std::count_if(churned_at_.begin(), churned_at_.end(), [start](std::int64_t a) { return a < start; }));
}

std::optional<double> customer_stats::mean_active(const customer_stats &before,
                                                  const window &w) const noexcept {
  if (!sums_known_ || !(w.start < w.end)) return std::nullopt;
  const i128 s = to_unix_ms(w.start), e = to_unix_ms(w.end);
  const i128 acquired = static_cast<i128>(acquired_), churned = static_cast<i128>(churned_at_.size());
  // ∫_s^e active = A·(e − s) + Σ_acq (e − t) − Σ_churn (e − t); every term is exact in 128 bits.
  const i128 integral = static_cast<i128>(active_at_start(before)) * (e - s) + acquired * e -
                        acquired_sum_ms_ - churned * e + churned_sum_ms_;
  return static_cast<double>(integral) / static_cast<double>(e - s);
}

std::int64_t customer_stats::active_at_start(const customer_stats &before) noexcept {
  return static_cast<std::int64_t>(before.acquired_) - static_cast<std::int64_t>(before.churned_at_.size());
}

std::int64_t customer_stats::active_at_end(const customer_stats &before,
                                           const customer_stats &window) noexcept {
  return active_at_start(before) + static_cast<std::int64_t>(window.acquired_) -
         static_cast<std::int64_t>(window.churned_at_.size());
}

bool operator==(const customer_stats &a, const customer_stats &b) {
  if (a.acquired_ != b.acquired_ || a.start_ms_ != b.start_ms_ ||
      a.churned_at_.size() != b.churned_at_.size() || a.sums_known_ != b.sums_known_ ||
      (a.sums_known_ && (a.acquired_sum_ms_ != b.acquired_sum_ms_ || a.churned_sum_ms_ != b.churned_sum_ms_)))
    return false;
  auto x = a.churned_at_, y = b.churned_at_;
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

void customer_stats::save(std::string &out) const {
  w::put_header(out, customer_tag, customer_version);
  w::put_varint(out, acquired_);
  w::put_u8(out, start_ms_ ? 1 : 0);
  if (start_ms_) w::put_u64(out, static_cast<std::uint64_t>(*start_ms_));
  auto sorted = churned_at_;
  std::sort(sorted.begin(), sorted.end());
  w::put_varint(out, sorted.size());
  for (const std::int64_t a : sorted) w::put_u64(out, static_cast<std::uint64_t>(a));
  w::put_u8(out, sums_known_ ? 1 : 0);
  if (sums_known_)
    for (const i128 v : {acquired_sum_ms_, churned_sum_ms_}) {
      const auto u = static_cast<u128>(v);
      w::put_u64(out, static_cast<std::uint64_t>(u));
      w::put_u64(out, static_cast<std::uint64_t>(u >> 64));
    }
}

customer_stats customer_stats::load(std::string_view &in) {
  constexpr std::string_view what = "customer_stats";
  if (in.size() < 2 || static_cast<std::uint8_t>(in[0]) != customer_tag)
    w::corrupt(what, "wrong structure tag");
  const auto v = static_cast<std::uint8_t>(in[1]);
  if (v != 1 && v != customer_version) w::corrupt(what, "unknown format version " + std::to_string(v));
  in.remove_prefix(2);
  customer_stats s;
  s.acquired_ = w::get_varint(in, what);
  const std::uint8_t has_start = w::get_u8(in, what);
  if (has_start > 1) w::corrupt(what, "bad start flag");
  if (has_start) s.start_ms_ = static_cast<std::int64_t>(w::get_u64(in, what));
  const std::uint64_t n = w::get_varint(in, what);
  if ((n != 0) != (has_start == 1)) w::corrupt(what, "a window start exactly when there are churns expected");
  w::check_count(n, 8, in, what);
  s.churned_at_.reserve(static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto a = static_cast<std::int64_t>(w::get_u64(in, what));
    if (i > 0 && a < s.churned_at_.back()) w::corrupt(what, "acquisition instants not sorted");
    s.churned_at_.push_back(a);
  }
  const bool events = s.acquired_ != 0 || n != 0;
  if (v == 1) {
    s.sums_known_ = !events;  // version 1 did not keep the instants' sums
    return s;
  }
  const std::uint8_t known = w::get_u8(in, what);
  if (known > 1 || (known == 0 && !events)) w::corrupt(what, "bad sums flag");
  s.sums_known_ = known == 1;
  if (s.sums_known_) {
    for (i128 *x : {&s.acquired_sum_ms_, &s.churned_sum_ms_}) {
      const std::uint64_t lo = w::get_u64(in, what), hi = w::get_u64(in, what);
      *x = static_cast<i128>((static_cast<u128>(hi) << 64) | lo);
    }
    if (!events && (s.acquired_sum_ms_ != 0 || s.churned_sum_ms_ != 0))
      w::corrupt(what, "sums without events");
  }
  return s;
}

// ---- spend_stats --------------------------------------------------------------------------------------

std::int64_t spend_stats::share_minor(const spend_record &s, const window &win) {
  validate(s);
  const timestamp a = std::max(s.start, win.start), b = std::min(s.end, win.end);
  if (!(a < b)) return 0;
  const i128 amount = s.amount.minor;
  const i128 length = (s.end - s.start).count();
  // F(t) = floor(amount × (t − start) / length); amount >= 0 and t >= start, so division truncates = floor.
  const auto F = [&](timestamp t) {
    return static_cast<std::int64_t>(amount * (t - s.start).count() / length);
  };
  return F(b) - F(a);
}

void spend_stats::add_minor(std::int64_t minor, kpi::currency cur) {
  if (currency_ && *currency_ != cur)
    throw error(errc::currency_mismatch, "spend_stats: spend in " + std::string(cur.code()) +
                                             " but the window is in " + std::string(currency_->code()) +
                                             "; convert amounts with a kpi::rate_table before adding");
  std::int64_t r = 0;
  if (__builtin_add_overflow(amount_, minor, &r))
    throw error(errc::overflow, "spend_stats: the spend overflows int64 minor units");
  amount_ = r;
  currency_ = cur;
}

void spend_stats::add(const spend_record &s) {
  validate(s);
  add_minor(s.amount.minor, s.amount.cur);
}

void spend_stats::add(const spend_record &s, const window &win) {
  const std::int64_t share = share_minor(s, win);
  if (!(std::max(s.start, win.start) < std::min(s.end, win.end))) return;  // no overlap: nothing to record
  add_minor(share, s.amount.cur);
}

void spend_stats::merge(const spend_stats &other) {
  if (!other.currency_) return;
  add_minor(other.amount_, *other.currency_);
}

void spend_stats::save(std::string &out) const {
  w::put_header(out, spend_tag, version);
  w::put_currency(out, currency_);
  w::put_u64(out, static_cast<std::uint64_t>(amount_));
}

spend_stats spend_stats::load(std::string_view &in) {
  constexpr std::string_view what = "spend_stats";
  w::expect_header(in, spend_tag, version, what);
  spend_stats s;
  s.currency_ = w::get_currency(in, what);
  s.amount_ = static_cast<std::int64_t>(w::get_u64(in, what));
  if (s.amount_ < 0 || (!s.currency_ && s.amount_ != 0)) w::corrupt(what, "amount out of range");
  return s;
}

}  // namespace kpi

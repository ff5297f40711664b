// order_stats, customer_order_counts and first_order_tracker (include/kpi/stats/sales.hpp).
//
// Wire formats (little-endian; varint = unsigned LEB128; see stats/wire.hpp):
//
// customer_order_counts: u8 tag 'K' (0x4B), u8 version 1, varint n, then n times: u64 customer hash
//   (strictly increasing), varint orders (1 .. 2^32-1).
//
// order_stats: u8 tag 'O' (0x4F), u8 version 1,
//   3 bytes currency code ("\0\0\0" when empty),
//   varint orders, u64 revenue (two's complement int64), varint costed_orders, u64 costed_revenue,
//   u64 cost, varint upsell, varint cross_sell, varint linked_orders, u64 linked_revenue,
//   varint tracked_orders, varint new_customers,
//   exact_histogram amounts, customer_order_counts customers,
//   id_set agents.
//   Load checks: counts consistent (costed, upsell + cross_sell, linked, tracked <= orders;
//   new_customers <= tracked; histogram count == orders; per-customer orders sum <= orders), money sums
//   >= 0 and consistent (costed and linked revenue <= revenue), the histogram's exact sum equal to the
//   revenue, an empty state with no currency and nothing else.
//
// first_order_tracker: u8 tag 'F' (0x46), u8 version 1, varint n, n times: u64 customer hash (strictly
//   increasing), u64 first order time (ms since the epoch, two's complement), varint slot.
#include "kpi/stats/sales.hpp"

#include <algorithm>
#include <bit>
#include <utility>
#include <vector>

#include "kpi/error.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

namespace w = detail::wire;

constexpr std::uint8_t counts_tag = 0x4B;   // 'K'
constexpr std::uint8_t order_tag = 0x4F;    // 'O'
constexpr std::uint8_t tracker_tag = 0x46;  // 'F'
constexpr std::uint8_t version = 1;

[[noreturn]] void overflow(const char *what) {
  throw error(errc::overflow, std::string("order_stats: ") + what + " overflows int64 minor units");
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, const char *what) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) overflow(what);
  return r;
}

std::int64_t get_i64(std::string_view &in, std::string_view what) {
  return static_cast<std::int64_t>(w::get_u64(in, what));
}

}  // namespace

// ---- customer_order_counts --------------------------------------------------------------------------

const customer_order_counts::slot *customer_order_counts::find(std::uint64_t key) const noexcept {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = index_of(key);; i = (i + 1) & mask) {
    if (slots_[i].count == 0) return nullptr;
    if (slots_[i].key == key) return &slots_[i];
  }
}

customer_order_counts::slot *customer_order_counts::find_or_insert(std::uint64_t key) {
  if (2 * (size_ + 1) > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = index_of(key);; i = (i + 1) & mask) {
    if (slots_[i].count == 0) {
      slots_[i].key = key;
      return &slots_[i];  // count still 0: the caller sets it
    }
    if (slots_[i].key == key) return &slots_[i];
  }
}

void customer_order_counts::grow() {
  std::vector<slot> old = std::move(slots_);
  const std::size_t n = old.empty() ? 16 : 2 * old.size();
  slots_.assign(n, slot{});
  shift_ = 64u - static_cast<unsigned>(std::countr_zero(n));
  const std::size_t mask = n - 1;
  for (const slot &s : old) {
    if (s.count == 0) continue;
    std::size_t i = index_of(s.key);
    while (slots_[i].count != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::uint32_t customer_order_counts::orders_of(std::uint64_t customer) const noexcept {
  const slot *s = find(customer);
  return s == nullptr ? 0 : s->count;
}

void customer_order_counts::add(std::uint64_t customer, std::uint32_t orders) {
  if (orders == 0) return;
  slot *s = find_or_insert(customer);  // may grow the table: the logical state is unchanged
  const std::uint32_t old = s->count;
  if (old > 0xffffffffu - orders)  // old != 0 here, so no slot was claimed
    throw error(errc::overflow, "customer_order_counts: more than 2^32-1 orders of one customer");
  if (old == 0) ++size_;
  s->count = old + orders;
  if (old < 2 && s->count >= 2) ++repeat_;
}

void customer_order_counts::merge(const customer_order_counts &other) {
  if (this == &other) {
    const customer_order_counts copy = other;
    merge(copy);
    return;
  }
  // Check every sum first so that an overflow leaves the state unchanged.
  for (const slot &s : other.slots_)
    if (s.count != 0 && orders_of(s.key) > 0xffffffffu - s.count)
      throw error(errc::overflow, "customer_order_counts: more than 2^32-1 orders of one customer");
  for (const slot &s : other.slots_)
    if (s.count != 0) add(s.key, s.count);
}

bool operator==(const customer_order_counts &a, const customer_order_counts &b) noexcept {
  if (a.size_ != b.size_ || a.repeat_ != b.repeat_) return false;
  for (const auto &s : a.slots_)
    if (s.count != 0 && b.orders_of(s.key) != s.count) return false;
  return true;
}

void customer_order_counts::save(std::string &out) const {
  w::put_header(out, counts_tag, version);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> v;
  v.reserve(static_cast<std::size_t>(size_));
  for (const slot &s : slots_)
    if (s.count != 0) v.emplace_back(s.key, s.count);
  std::sort(v.begin(), v.end());
  w::put_varint(out, v.size());
  for (const auto &[k, c] : v) {
    w::put_u64(out, k);
    w::put_varint(out, c);
  }
}

customer_order_counts customer_order_counts::load(std::string_view &in) {
  constexpr std::string_view what = "customer_order_counts";
  w::expect_header(in, counts_tag, version, what);
  const std::uint64_t n = w::get_varint(in, what);
  w::check_count(n, 9, in, what);
  customer_order_counts r;
  std::uint64_t prev = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t k = w::get_u64(in, what);
    const std::uint64_t c = w::get_varint(in, what);
    if (i > 0 && k <= prev) w::corrupt(what, "customer hashes not strictly increasing");
    if (c == 0 || c > 0xffffffffu) w::corrupt(what, "order count out of range");
    prev = k;
    r.add(k, static_cast<std::uint32_t>(c));
  }
  return r;
}

// ---- order_stats ------------------------------------------------------------------------------------

void order_stats::add(const order_record &o) {
  validate(o);
  if (currency_ && *currency_ != o.amount.cur)
    throw error(errc::currency_mismatch, "order_stats: order '" + o.order_id + "' is in " +
                                             std::string(o.amount.cur.code()) + " but the window is in " +
                                             std::string(currency_->code()) +
                                             "; convert amounts with a kpi::rate_table before adding");
  // Compute every new value before changing anything (strong guarantee).
  const std::int64_t revenue = checked_add(revenue_, o.amount.minor, "revenue");
  std::int64_t costed_revenue = costed_revenue_, cost = cost_;
  if (o.cost) {
    costed_revenue = checked_add(costed_revenue_, o.amount.minor, "revenue of costed orders");
    cost = checked_add(cost_, o.cost->minor, "cost");
  }
  const bool linked = !o.call_id.empty();
  const std::int64_t linked_revenue =
      linked ? checked_add(linked_revenue_, o.amount.minor, "linked revenue") : linked_revenue_;

  // The histogram takes values below 2^62; its exact sum cannot overflow while the int64 revenue does not.
  if (static_cast<double>(o.amount.minor) >= exact_histogram::max_value)
    throw error(errc::overflow, "order_stats: order '" + o.order_id + "' amount exceeds 2^62 minor units");
  if (!o.customer_id.empty()) customers_.add(stable_id_hash(o.customer_id));  // may throw: still unchanged
  amounts_.add(static_cast<double>(o.amount.minor));
  if (!o.agent_id.empty()) agents_.insert(stable_id_hash(o.agent_id));
  currency_ = o.amount.cur;
  ++orders_;
  revenue_ = revenue;
  if (o.cost) {
    ++costed_orders_;
    costed_revenue_ = costed_revenue;
    cost_ = cost;
  }
  if (o.kind == order_kind::upsell) ++upsell_;
  if (o.kind == order_kind::cross_sell) ++cross_sell_;
  if (linked) {
    ++linked_orders_;
    linked_revenue_ = linked_revenue;
  }
}

void order_stats::merge(const order_stats &other) {
  if (other.orders_ == 0 && other.tracked_orders_ == 0) return;
  if (this == &other) {
    const order_stats copy = other;
    merge(copy);
    return;
  }
  if (currency_ && other.currency_ && *currency_ != *other.currency_)
    throw error(errc::currency_mismatch, "order_stats: cannot merge a window in " +
                                             std::string(other.currency_->code()) + " into one in " +
                                             std::string(currency_->code()) +
                                             "; convert amounts with a kpi::rate_table before adding");
  order_stats r = *this;  // merge into a copy: the state is unchanged when anything throws
  r.revenue_ = checked_add(revenue_, other.revenue_, "revenue");
  r.costed_revenue_ = checked_add(costed_revenue_, other.costed_revenue_, "revenue of costed orders");
  r.cost_ = checked_add(cost_, other.cost_, "cost");
  r.linked_revenue_ = checked_add(linked_revenue_, other.linked_revenue_, "linked revenue");
  r.amounts_.merge(other.amounts_);
  r.customers_.merge(other.customers_);
  r.agents_.merge(other.agents_);
  if (!r.currency_) r.currency_ = other.currency_;
  r.orders_ += other.orders_;
  r.costed_orders_ += other.costed_orders_;
  r.upsell_ += other.upsell_;
  r.cross_sell_ += other.cross_sell_;
  r.linked_orders_ += other.linked_orders_;
  r.tracked_orders_ += other.tracked_orders_;
  r.new_customers_ += other.new_customers_;
  *this = std::move(r);
}

std::optional<std::uint64_t> order_stats::new_customers() const noexcept {
  if (orders_ == 0) return 0;
  if (tracked_orders_ != orders_) return std::nullopt;
  return new_customers_;
}

void order_stats::note_tracked_order(bool first_order) {
  if (tracked_orders_ >= orders_)
    throw error(
        errc::invalid_argument,
        "order_stats::note_tracked_order: more tracked orders than orders added (add the order first)");
  ++tracked_orders_;
  if (first_order) ++new_customers_;
}

void order_stats::retract_new_customer() {
  if (new_customers_ == 0)
    throw error(errc::invalid_argument,
                "order_stats::retract_new_customer: the window has no new customer to move "
                "(the tracker was given states that do not match its slots)");
  --new_customers_;
}

void order_stats::save(std::string &out) const {
  w::put_header(out, order_tag, version);
  w::put_currency(out, currency_);
  w::put_varint(out, orders_);
  w::put_u64(out, static_cast<std::uint64_t>(revenue_));
  w::put_varint(out, costed_orders_);
  w::put_u64(out, static_cast<std::uint64_t>(costed_revenue_));
  w::put_u64(out, static_cast<std::uint64_t>(cost_));
  w::put_varint(out, upsell_);
  w::put_varint(out, cross_sell_);
  w::put_varint(out, linked_orders_);
  w::put_u64(out, static_cast<std::uint64_t>(linked_revenue_));
  w::put_varint(out, tracked_orders_);
  w::put_varint(out, new_customers_);
  amounts_.save(out);
  customers_.save(out);
  agents_.save(out);
}

order_stats order_stats::load(std::string_view &in) {
  constexpr std::string_view what = "order_stats";
  w::expect_header(in, order_tag, version, what);
  order_stats s;
  s.currency_ = w::get_currency(in, what);
  s.orders_ = w::get_varint(in, what);
  s.revenue_ = get_i64(in, what);
  s.costed_orders_ = w::get_varint(in, what);
  s.costed_revenue_ = get_i64(in, what);
  s.cost_ = get_i64(in, what);
  s.upsell_ = w::get_varint(in, what);
  s.cross_sell_ = w::get_varint(in, what);
  s.linked_orders_ = w::get_varint(in, what);
  s.linked_revenue_ = get_i64(in, what);
  s.tracked_orders_ = w::get_varint(in, what);
  s.new_customers_ = w::get_varint(in, what);
  s.amounts_ = exact_histogram::load(in);
  s.customers_ = customer_order_counts::load(in);
  s.agents_ = id_set::load(in);

  // Consistency.
  const std::uint64_t n = s.orders_;
  if (s.costed_orders_ > n || s.linked_orders_ > n || s.upsell_ > n || s.cross_sell_ > n - s.upsell_ ||
      s.tracked_orders_ > n || s.new_customers_ > s.tracked_orders_)
    w::corrupt(what, "order counts inconsistent with the number of orders");
  if (s.amounts_.count() != n) w::corrupt(what, "amount distribution inconsistent with the number of orders");
  if (s.revenue_ < 0 || s.costed_revenue_ < 0 || s.cost_ < 0 || s.linked_revenue_ < 0 ||
      s.costed_revenue_ > s.revenue_ || s.linked_revenue_ > s.revenue_)
    w::corrupt(what, "money sums out of range");
  if (s.amounts_.sum() != static_cast<double>(s.revenue_))
    w::corrupt(what, "amount distribution inconsistent with the revenue");
  if (s.customers_.customers() > n || s.agents_.size() > n)
    w::corrupt(what, "more customers or agents than orders");
  if (n == 0 && (s.currency_ || s.revenue_ != 0 || s.costed_revenue_ != 0 || s.cost_ != 0 ||
                 s.linked_revenue_ != 0 || !s.agents_.empty() || s.customers_.customers() != 0))
    w::corrupt(what, "an empty state with a currency or sums");
  if (n != 0 && !s.currency_) w::corrupt(what, "orders without a currency");
  return s;
}

bool operator==(const order_stats &a, const order_stats &b) {
  return a.currency_ == b.currency_ && a.orders_ == b.orders_ && a.revenue_ == b.revenue_ &&
         a.costed_orders_ == b.costed_orders_ && a.costed_revenue_ == b.costed_revenue_ &&
         a.cost_ == b.cost_ && a.upsell_ == b.upsell_ && a.cross_sell_ == b.cross_sell_ &&
         a.linked_orders_ == b.linked_orders_ && a.linked_revenue_ == b.linked_revenue_ &&
         a.tracked_orders_ == b.tracked_orders_ && a.new_customers_ == b.new_customers_ &&
         a.amounts_ == b.amounts_ && a.customers_ == b.customers_ && a.agents_ == b.agents_;
}

// ---- first_order_tracker ----------------------------------------------------------------------------

first_order_tracker::decision first_order_tracker::observe(std::uint64_t customer, timestamp time,
                                                           std::uint64_t slot) {
  const entry e{to_unix_ms(time), slot};
  auto [it, inserted] = first_.try_emplace(customer, e);
  if (inserted) return {true, std::nullopt};
  entry &known = it->second;
  if (std::pair(e.time_ms, e.slot) >= std::pair(known.time_ms, known.slot)) return {false, std::nullopt};
  const std::uint64_t old = known.slot;
  known = e;
  return {true, old};
}

std::optional<std::pair<timestamp, std::uint64_t>> first_order_tracker::first_order(
    std::uint64_t customer) const noexcept {
  const auto it = first_.find(customer);
  if (it == first_.end()) return std::nullopt;
  return std::pair(from_unix_ms(it->second.time_ms), it->second.slot);
}

void first_order_tracker::merge(const first_order_tracker &other) {
  if (this == &other) return;
  for (const auto &[k, e] : other.first_) observe(k, from_unix_ms(e.time_ms), e.slot);
}

void first_order_tracker::save(std::string &out) const {
  w::put_header(out, tracker_tag, version);
  std::vector<std::pair<std::uint64_t, entry>> v(first_.begin(), first_.end());
  std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  w::put_varint(out, v.size());
  for (const auto &[k, e] : v) {
    w::put_u64(out, k);
    w::put_u64(out, static_cast<std::uint64_t>(e.time_ms));
    w::put_varint(out, e.slot);
  }
}

first_order_tracker first_order_tracker::load(std::string_view &in) {
  constexpr std::string_view what = "first_order_tracker";
  w::expect_header(in, tracker_tag, version, what);
  const std::uint64_t n = w::get_varint(in, what);
  w::check_count(n, 17, in, what);
  first_order_tracker t;
  t.first_.reserve(static_cast<std::size_t>(n));
  std::uint64_t prev = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t k = w::get_u64(in, what);
    const std::int64_t ms = get_i64(in, what);
    const std::uint64_t slot = w::get_varint(in, what);
    if (i > 0 && k <= prev) w::corrupt(what, "customer hashes not strictly increasing");
    prev = k;
    t.first_.emplace(k, entry{ms, slot});
  }
  return t;
}

}  // namespace kpi

// order_activity (include/kpi/stats/activity.hpp).
//
// Wire format (little-endian; varint = unsigned LEB128; see stats/wire.hpp):
//
// order_activity: u8 tag 'A' (0x41), u8 version 1, varint resolution_ms, varint orders, varint n
//   customers, then per customer in increasing hash order: u64 hash, varint spell count (>= 1), and per
//   spell: for the first one the zigzag varint of its first instant (ms), for the others the varint gap
//   from the previous spell's last instant (> resolution), then the varint length last − first.
//   Load checks: hashes strictly increasing, spells ordered with gaps > resolution, instants in the
//   int64 range, no more spells than orders.
#include "kpi/stats/activity.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "kpi/error.hpp"
#include "kpi/stats/hash.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

namespace w = detail::wire;

constexpr std::uint8_t activity_tag = 0x41;  // 'A'
constexpr std::uint8_t version = 1;
constexpr double max_resolution_days = 36500;
constexpr std::int64_t ms_per_day = 86'400'000;

__extension__ typedef __int128 i128;  // differences of int64 instants never overflow here

void put_zigzag(std::string &out, std::int64_t v) {
  w::put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

std::int64_t get_zigzag(std::string_view &in, std::string_view what) {
  const std::uint64_t u = w::get_varint(in, what);
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1u);
}

}  // namespace

order_activity::order_activity(double resolution_days) {
  if (!(std::isfinite(resolution_days) && resolution_days >= 0 && resolution_days <= max_resolution_days))
    throw error(errc::invalid_argument,
                "order_activity: the resolution must be a number of days in [0, 36500], got " +
                    std::to_string(resolution_days));
  resolution_ms_ = std::llround(resolution_days * static_cast<double>(ms_per_day));
}

void order_activity::coalesce(std::vector<spell> &v, std::int64_t resolution_ms) {
  if (v.size() < 2) return;
  std::sort(v.begin(), v.end(), [](const spell &a, const spell &b) {
    return std::pair(a.first_ms, a.last_ms) < std::pair(b.first_ms, b.last_ms);
  });
  std::size_t out = 0;
  for (std::size_t i = 1; i < v.size(); ++i) {
    spell &cur = v[out];
    // Overlapping spells give a negative gap; a gap <= resolution joins the runs.
    if (static_cast<i128>(v[i].first_ms) - cur.last_ms <= resolution_ms) {
      cur.last_ms = std::max(cur.last_ms, v[i].last_ms);
    } else {
      v[++out] = v[i];
    }
  }
  v.resize(out + 1);
}

void order_activity::add(std::uint64_t customer, timestamp time) {
  const std::int64_t t = to_unix_ms(time);
  std::vector<spell> &v = spells_[customer];
  v.push_back({t, t});
  coalesce(v, resolution_ms_);
  ++orders_;
}

void order_activity::add(const order_record &o) {
  validate(o);
  if (o.customer_id.empty()) {
    ++orders_;
    return;
  }
  add(stable_id_hash(o.customer_id), o.time);
}

void order_activity::merge(const order_activity &other) {
  if (this == &other) {
    const order_activity copy = other;
    merge(copy);
    return;
  }
  if (other.resolution_ms_ > resolution_ms_) {
    resolution_ms_ = other.resolution_ms_;
    for (auto &[h, v] : spells_) coalesce(v, resolution_ms_);
  }
  for (const auto &[h, v] : other.spells_) {
    std::vector<spell> &mine = spells_[h];
    mine.insert(mine.end(), v.begin(), v.end());
    coalesce(mine, resolution_ms_);
  }
  orders_ += other.orders_;
}

std::vector<order_activity::spell> order_activity::spells_of(std::uint64_t customer) const {
  const auto it = spells_.find(customer);
  return it == spells_.end() ? std::vector<spell>{} : it->second;
}

activity_snapshot order_activity::snapshot(const order_activity &before, const window &win,
                                           std::int64_t inactivity_ms) const {
  if (inactivity_ms <= 0 || inactivity_ms < resolution_ms_ || inactivity_ms < before.resolution_ms_)
    throw error(errc::invalid_argument,
                "churn from orders: the inactivity period (" + std::to_string(inactivity_ms) +
                    " ms) must be > 0 and at least the resolution the order activity was tracked at (" +
                    std::to_string(std::max(resolution_ms_, before.resolution_ms_)) + " ms)");
  const i128 s = to_unix_ms(win.start), e = to_unix_ms(win.end), n = inactivity_ms;
  activity_snapshot r;
  static const std::vector<spell> none;
  auto one = [&](const std::vector<spell> &b, const std::vector<spell> &in) {
    const bool has_last = !b.empty();
    const i128 last_before = has_last ? b.back().last_ms : 0;
    const bool at_start = has_last && last_before >= s - n;
    bool start_gap = false, inner_gap = false;
    if (!in.empty()) {
      start_gap = !has_last || in.front().first_ms - last_before > n;
      for (std::size_t i = 1; i < in.size() && !inner_gap; ++i)
        inner_gap = static_cast<i128>(in[i].first_ms) - in[i - 1].last_ms > n;
    }
    const bool has_up_to_end = has_last || !in.empty();
    const i128 last = in.empty() ? last_before : static_cast<i128>(in.back().last_ms);
    if (at_start) ++r.at_start;
    if (has_up_to_end && last >= e - n) ++r.at_end;
    if (at_start && (start_gap || inner_gap || last + n < e)) ++r.lost;
    if (!in.empty() && (start_gap || inner_gap)) {
      ++r.became_active;
      if (last >= e - n) ++r.became_active_at_end;
    }
  };
  for (const auto &[h, b] : before.spells_) {
    const auto it = spells_.find(h);
    one(b, it == spells_.end() ? none : it->second);
  }
  for (const auto &[h, in] : spells_)
    if (!before.spells_.contains(h)) one(none, in);
  return r;
}

void order_activity::save(std::string &out) const {
  w::put_header(out, activity_tag, version);
  w::put_varint(out, static_cast<std::uint64_t>(resolution_ms_));
  w::put_varint(out, orders_);
  std::vector<std::uint64_t> keys;
  keys.reserve(spells_.size());
  for (const auto &[h, v] : spells_) keys.push_back(h);
  std::sort(keys.begin(), keys.end());
  w::put_varint(out, keys.size());
  for (const std::uint64_t h : keys) {
    const std::vector<spell> &v = spells_.at(h);
    w::put_u64(out, h);
    w::put_varint(out, v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i == 0)
        put_zigzag(out, v[i].first_ms);
      else
        w::put_varint(
            out, static_cast<std::uint64_t>(v[i].first_ms) - static_cast<std::uint64_t>(v[i - 1].last_ms));
      w::put_varint(out,
                    static_cast<std::uint64_t>(v[i].last_ms) - static_cast<std::uint64_t>(v[i].first_ms));
    }
  }
}

order_activity order_activity::load(std::string_view &in) {
  constexpr std::string_view what = "order_activity";
  w::expect_header(in, activity_tag, version, what);
  order_activity a;
  const std::uint64_t res = w::get_varint(in, what);
  if (res > static_cast<std::uint64_t>(max_resolution_days) * ms_per_day)
    w::corrupt(what, "resolution out of range");
  a.resolution_ms_ = static_cast<std::int64_t>(res);
  a.orders_ = w::get_varint(in, what);
  const std::uint64_t n = w::get_varint(in, what);
  w::check_count(n, 11, in, what);
  std::uint64_t prev = 0, total = 0;
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::uint64_t h = w::get_u64(in, what);
    if (k > 0 && h <= prev) w::corrupt(what, "customer hashes not strictly increasing");
    prev = h;
    const std::uint64_t count = w::get_varint(in, what);
    if (count == 0) w::corrupt(what, "a customer without spells");
    w::check_count(count, 2, in, what);
    total += count;
    if (total > a.orders_) w::corrupt(what, "more spells than orders");
    std::vector<spell> v;
    v.reserve(static_cast<std::size_t>(count));
    i128 last = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
      i128 first = 0;
      if (i == 0) {
        first = get_zigzag(in, what);
      } else {
        const std::uint64_t gap = w::get_varint(in, what);
        if (gap <= res) w::corrupt(what, "spells closer than the resolution");
        first = last + gap;
      }
      last = first + w::get_varint(in, what);
      if (first > INT64_MAX || last > INT64_MAX) w::corrupt(what, "instant out of range");
      v.push_back({static_cast<std::int64_t>(first), static_cast<std::int64_t>(last)});
    }
    a.spells_.emplace(h, std::move(v));
  }
  return a;
}

}  // namespace kpi

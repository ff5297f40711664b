// kpi::caller_tracker (include/kpi/stats/callers.hpp).
//
// Wire format (little-endian; varint = unsigned LEB128; see stats/wire.hpp):
//   u8 tag 'T' (0x54), u8 version 1,
//   u64 finalized_until_ms (two's complement; INT64_MIN: never finalized),
//   varint n_callers, then per caller in increasing hash order:
//     u64 caller hash, varint n_events (> 0), then per event in start order:
//       varint t_delta (the first event: zigzag of its t_ms; then t_ms - previous t_ms, >= 0),
//       varint slot, u8 flags (bit 0 inbound, 1 contact pending, 2 abandon pending, 3 abandon,
//       4 repeated, 5 called back).
// Load checks the tag and version, every count against the bytes present, hash and time order, slots
// below the owner's limit, and the flag combinations add() and drain() can produce (pending flags only
// on inbound calls, abandon flags only on abandons, an outbound call neither pending nor flagged).
#include "kpi/stats/callers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "kpi/error.hpp"
#include "kpi/stats/hash.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

std::string num(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

std::int64_t window_ms(double amount, double ms_per_unit, const char *name) {
  // Up to 100 years, so that t + window cannot overflow int64 milliseconds for any real timestamp.
  if (!(std::isfinite(amount) && amount > 0 && amount * ms_per_unit <= 3.2e12))
    throw error(errc::invalid_argument,
                std::string(name) + " must be a finite number > 0 (at most 100 years), got " + num(amount));
  return std::llround(amount * ms_per_unit);
}

}  // namespace

caller_tracking tracking_of(const kpi_params &p) noexcept {
  return caller_tracking{p.repeat_call_window_days, p.callback_window_hours, p.timeouts_as_abandons};
}

caller_tracker::caller_tracker(const caller_tracking &t)
    : tracking_(t),
      repeat_ms_(window_ms(t.repeat_call_window_days, 86400000.0, "repeat_call_window_days")),
      callback_ms_(window_ms(t.callback_window_hours, 3600000.0, "callback_window_hours")),
      finalized_until_ms_(std::numeric_limits<std::int64_t>::min()) {}

void caller_tracker::add(const call_record &r, std::uint64_t slot) {
  if (r.caller.empty()) return;
  const std::int64_t t = to_unix_ms(r.start);
  if (t < finalized_until_ms_)
    throw error(errc::invalid_argument,
                "caller_tracker: call '" + r.call_id + "' starts at " + format_timestamp(r.start) +
                    ", before " + format_timestamp(from_unix_ms(finalized_until_ms_)) +
                    ", up to which outcomes were already finalized; add calls in start order or call "
                    "finish() only");
  const bool inbound = r.direction == direction::inbound;
  const bool abandon = inbound && (r.outcome == call_outcome::abandoned ||
                                   (tracking_.timeouts_as_abandons && r.outcome == call_outcome::timeout));
  auto &events = callers_[stable_id_hash(r.caller)];
  auto by_time = [](const event &e, std::int64_t x) { return e.t_ms < x; };
  event ev{t, slot, inbound, inbound, abandon, abandon, false, false};
  // Events in [lo, hi) of the sorted list have lo_t <= t_ms < hi_t.
  auto range = [&](std::int64_t lo_t, std::int64_t hi_t) {
    return std::pair{std::lower_bound(events.begin(), events.end(), lo_t, by_time),
                     std::lower_bound(events.begin(), events.end(), hi_t, by_time)};
  };
  if (inbound) {
    // Earlier inbound calls in [t - N, t) are repeated by this one.
    auto [b, e] = range(t - repeat_ms_, t);
    for (auto it = b; it != e; ++it)
      if (it->inbound) it->repeated = true;
    // This one is repeated by a later inbound call in (t, t + N] already seen.
    auto [b2, e2] = range(t + 1, t + repeat_ms_ + 1);
    ev.repeated = std::any_of(b2, e2, [](const event &x) { return x.inbound; });
    if (abandon) {
      auto [b3, e3] = range(t + 1, t + callback_ms_ + 1);
      ev.called_back = std::any_of(b3, e3, [](const event &x) { return !x.inbound; });
    }
    pending_ += 1;
  } else {
    // Earlier abandons in [t - H, t) are called back by this outbound call.
    auto [b, e] = range(t - callback_ms_, t);
    for (auto it = b; it != e; ++it)
      if (it->is_abandon) it->called_back = true;
  }
  events.insert(std::upper_bound(events.begin(), events.end(), t,
                                 [](std::int64_t x, const event &e) { return x < e.t_ms; }),
                ev);
}

void caller_tracker::drain(std::int64_t until_ms, bool all, std::vector<caller_outcome> &out) {
  for (auto it = callers_.begin(); it != callers_.end();) {
    const std::uint64_t caller = it->first;
    auto &events = it->second;
    for (event &e : events) {
      if (e.contact_pending && (all || e.t_ms + repeat_ms_ < until_ms)) {
        out.push_back({e.slot, caller, caller_outcome::kind::contact, e.repeated, tracking_});
        e.contact_pending = false;
        if (!e.abandon_pending) --pending_;
      }
      if (e.abandon_pending && (all || e.t_ms + callback_ms_ < until_ms)) {
        out.push_back({e.slot, caller, caller_outcome::kind::abandon, e.called_back, tracking_});
        e.abandon_pending = false;
        if (!e.contact_pending) --pending_;
      }
    }
    // Keep what a call starting at or after until_ms could still need: pending inbound calls (to flag
    // them) and outbound calls after until_ms (callbacks of a later abandon).
    std::erase_if(events, [&](const event &e) {
      if (all) return true;
      if (e.inbound) return !e.contact_pending && !e.abandon_pending;
      return e.t_ms < until_ms;
    });
    it = events.empty() ? callers_.erase(it) : std::next(it);
  }
}

void caller_tracker::finalize_before(timestamp until, std::vector<caller_outcome> &out) {
  const std::int64_t u = to_unix_ms(until);
  if (u <= finalized_until_ms_) return;
  finalized_until_ms_ = u;
  drain(u, false, out);
}

namespace {
constexpr std::uint8_t tracker_tag = 0x54;  // 'T'
constexpr std::uint8_t tracker_version = 1;
constexpr std::string_view tracker_what = "caller_tracker";
enum : std::uint8_t {
  f_inbound = 1,
  f_contact_pending = 2,
  f_abandon_pending = 4,
  f_abandon = 8,
  f_repeated = 16,
  f_called_back = 32,
};
}  // namespace

void caller_tracker::save_impl(std::string &out,
                               const std::function<std::uint64_t(std::uint64_t)> &slot_map) const {
  namespace w = detail::wire;
  w::put_header(out, tracker_tag, tracker_version);
  w::put_u64(out, static_cast<std::uint64_t>(finalized_until_ms_));
  std::vector<std::uint64_t> keys;
  keys.reserve(callers_.size());
  for (const auto &[h, events] : callers_) keys.push_back(h);
  std::sort(keys.begin(), keys.end());
  w::put_varint(out, keys.size());
  for (std::uint64_t h : keys) {
    const std::vector<event> &events = callers_.at(h);
    w::put_u64(out, h);
    w::put_varint(out, events.size());
    std::int64_t prev = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const event &e = events[i];
      if (i == 0) {
        const auto u = static_cast<std::uint64_t>(e.t_ms);
        w::put_varint(out, (u << 1) ^ static_cast<std::uint64_t>(e.t_ms >> 63));  // zigzag
      } else {
        w::put_varint(out, static_cast<std::uint64_t>(e.t_ms - prev));
      }
      prev = e.t_ms;
      w::put_varint(out, slot_map(e.slot));
      w::put_u8(out, static_cast<std::uint8_t>(
                         (e.inbound ? f_inbound : 0) | (e.contact_pending ? f_contact_pending : 0) |
                         (e.abandon_pending ? f_abandon_pending : 0) | (e.is_abandon ? f_abandon : 0) |
                         (e.repeated ? f_repeated : 0) | (e.called_back ? f_called_back : 0)));
    }
  }
}

caller_tracker caller_tracker::load(std::string_view &in, const caller_tracking &t,
                                    std::uint64_t slot_limit) {
  namespace w = detail::wire;
  const auto what = tracker_what;
  w::expect_header(in, tracker_tag, tracker_version, what);
  caller_tracker tr(t);
  tr.finalized_until_ms_ = static_cast<std::int64_t>(w::get_u64(in, what));
  const std::uint64_t n_callers = w::get_varint(in, what);
  w::check_count(n_callers, 12, in, what);  // u64 hash + n_events + one event of >= 3 bytes
  std::uint64_t prev_hash = 0;
  for (std::uint64_t c = 0; c < n_callers; ++c) {
    const std::uint64_t h = w::get_u64(in, what);
    if (c > 0 && h <= prev_hash) w::corrupt(what, "callers not strictly sorted");
    prev_hash = h;
    const std::uint64_t n_events = w::get_varint(in, what);
    if (n_events == 0) w::corrupt(what, "a caller without calls");
    w::check_count(n_events, 3, in, what);
    std::vector<event> events;
    events.reserve(static_cast<std::size_t>(n_events));
    std::int64_t prev_t = 0;
    for (std::uint64_t i = 0; i < n_events; ++i) {
      const std::uint64_t raw = w::get_varint(in, what);
      std::int64_t t_ms = 0;
      if (i == 0) {
        t_ms = static_cast<std::int64_t>(raw >> 1) ^ -static_cast<std::int64_t>(raw & 1u);
      } else {
        if (raw > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
            __builtin_add_overflow(prev_t, static_cast<std::int64_t>(raw), &t_ms))
          w::corrupt(what, "call time out of range");
      }
      // Within +-2^62 ms (146 million years), so that adding a window (at most 100 years) cannot overflow.
      constexpr std::int64_t time_limit = std::int64_t{1} << 62;
      if (t_ms < -time_limit || t_ms > time_limit) w::corrupt(what, "call time out of range");
      prev_t = t_ms;
      const std::uint64_t slot = w::get_varint(in, what);
      if (slot >= slot_limit) w::corrupt(what, "call in an unknown slot");
      const std::uint8_t f = w::get_u8(in, what);
      const bool inbound = (f & f_inbound) != 0, abandon = (f & f_abandon) != 0;
      if (f > 63 || (!inbound && f != 0) || (!abandon && (f & (f_abandon_pending | f_called_back)) != 0))
        w::corrupt(what, "inconsistent call flags");
      event e{t_ms,
              slot,
              inbound,
              (f & f_contact_pending) != 0,
              (f & f_abandon_pending) != 0,
              abandon,
              (f & f_repeated) != 0,
              (f & f_called_back) != 0};
      if (e.contact_pending || e.abandon_pending) ++tr.pending_;
      events.push_back(e);
    }
    tr.callers_.emplace(h, std::move(events));
  }
  return tr;
}

bool operator==(const caller_tracker &a, const caller_tracker &b) {
  auto same_event = [](const caller_tracker::event &x, const caller_tracker::event &y) {
    return x.t_ms == y.t_ms && x.slot == y.slot && x.inbound == y.inbound &&
           x.contact_pending == y.contact_pending && x.abandon_pending == y.abandon_pending &&
           x.is_abandon == y.is_abandon && x.repeated == y.repeated && x.called_back == y.called_back;
  };
  if (!(a.tracking_ == b.tracking_) || a.finalized_until_ms_ != b.finalized_until_ms_ ||
      a.pending_ != b.pending_ || a.callers_.size() != b.callers_.size())
    return false;
  for (const auto &[h, events] : a.callers_) {
    const auto it = b.callers_.find(h);
    if (it == b.callers_.end() ||
        !std::equal(events.begin(), events.end(), it->second.begin(), it->second.end(), same_event))
      return false;
  }
  return true;
}

void caller_tracker::finish(std::vector<caller_outcome> &out) {
  drain(0, true, out);
  callers_.clear();
  pending_ = 0;
}

}  // namespace kpi

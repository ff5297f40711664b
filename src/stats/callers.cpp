// kpi::caller_tracker (include/kpi/stats/callers.hpp).
#include "kpi/stats/callers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "kpi/error.hpp"
#include "kpi/stats/hash.hpp"

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

void caller_tracker::finish(std::vector<caller_outcome> &out) {
  drain(0, true, out);
  callers_.clear();
  pending_ = 0;
}

}  // namespace kpi

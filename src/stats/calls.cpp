// kpi::call_stats (include/kpi/stats/calls.hpp).
//
// Wire format (little-endian; varint = unsigned LEB128; see stats/wire.hpp):
//   u8 tag 'C' (0x43), u8 version 1,
//   varint calls, outbound, outbound_with_agent, connected_outbound, offered, answered, abandoned,
//     timeouts, wait_inbound_n,
//   4 exact sums (talk of calls not handled, hold and acw of handled calls, wait of inbound calls neither
//     answered, abandoned nor timed out), each u64 high, u64 low,
//   4 exact_histograms (talk of handled calls; wait of answered, abandoned, timed-out inbound calls),
//   6 id_sets (agents, agent_days, callers, repeat_callers, abandoned_callers, called_back),
//   u8 has_tracking (0/1), then when 1: f64 repeat_call_window_days, f64 callback_window_hours,
//     u8 timeouts_as_abandons (0/1).
// Load checks the tag and version, every length (via the member loaders), and the invariants that
// add() and merge() maintain (outbound + offered = calls, handled = connected outbound + answered, the
// wait populations within their outcome counts, subsets no larger than their sets, tracking present
// exactly when caller decisions are).
#include "kpi/stats/calls.hpp"

#include <cmath>
#include <cstring>
#include <sstream>
#include <string>

#include "kpi/error.hpp"
#include "kpi/stats/hash.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

constexpr std::uint8_t calls_tag = 0x43;  // 'C'
constexpr std::uint8_t calls_version = 1;
constexpr std::string_view calls_what = "call_stats";

bool valid_duration(double x) noexcept {
  return x >= 0.0 && x < exact_sum::max_value;
}

// a == b, without a library call for the short ids agents have (up to 16 bytes: two overlapping loads
// per side), else std::string_view's comparison.
bool same_id(const std::string &a, const std::string &b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return std::string_view(a) == std::string_view(b);
  if (n >= 8) {
    std::uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4) {
    std::uint32_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 4);
    std::memcpy(&b0, b.data(), 4);
    std::memcpy(&a1, a.data() + n - 4, 4);
    std::memcpy(&b1, b.data() + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

std::string num(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

[[noreturn]] void bad_duration(const call_record &r, const char *field, double x) {
  throw error(errc::invalid_argument, std::string(field) + ": must be a finite number of seconds >= 0, got " +
                                          num(x) + " (call_id '" + r.call_id + "')");
}

// splitmix64's finalizer: a bijection of 64-bit integers with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void check_tracking(const caller_tracking &have, const kpi_params &p, bool repeat) {
  if (repeat && have.repeat_call_window_days != p.repeat_call_window_days)
    throw error(errc::invalid_argument,
                "repeat_call_rate: the callers were tracked with a " + num(have.repeat_call_window_days) +
                    "-day repeat window, not the requested " + num(p.repeat_call_window_days) + " days");
  if (!repeat && (have.callback_window_hours != p.callback_window_hours ||
                  have.timeouts_as_abandons != p.timeouts_as_abandons))
    throw error(errc::invalid_argument,
                "abandon_callback_rate: the callers were tracked with a " + num(have.callback_window_hours) +
                    "-hour callback window and timeouts_as_abandons " +
                    (have.timeouts_as_abandons ? "on" : "off") + ", not the requested " +
                    num(p.callback_window_hours) + " hours and " + (p.timeouts_as_abandons ? "on" : "off"));
}

}  // namespace

std::uint64_t call_stats::agent_day_key(std::uint64_t agent_hash, std::int32_t local_day) noexcept {
  // For a fixed agent, distinct days give distinct mix64(day) hence distinct keys (mix64 and + are
  // bijective); across agents the keys behave like independent 64-bit hashes.
  const auto day = static_cast<std::uint64_t>(static_cast<std::uint32_t>(local_day));
  return mix64(agent_hash + mix64(day + 0x9E3779B97F4A7C15ull));
}

void call_stats::add(const call_record &r, std::int32_t local_day) {
  // Validate every duration first, so that a throw leaves the state unchanged.
  const double talk = r.talk_s;
  const double hold = r.hold_s.value_or(0.0);
  const double acw = r.acw_s.value_or(0.0);
  const bool inbound = r.direction == direction::inbound;
  const bool has_wait = inbound && r.wait_s.has_value();
  const double wait = has_wait ? *r.wait_s : 0.0;
  // One branch for the four checks (bitwise & of 0/1 rather than &&); the slow path finds the culprit.
  const unsigned all_valid =
      static_cast<unsigned>(valid_duration(talk)) & static_cast<unsigned>(valid_duration(hold)) &
      static_cast<unsigned>(valid_duration(acw)) & static_cast<unsigned>(valid_duration(wait));
  if (all_valid == 0) {
    if (!valid_duration(talk)) bad_duration(r, "talk_s", talk);
    if (!valid_duration(hold)) bad_duration(r, "hold_s", hold);
    if (!valid_duration(acw)) bad_duration(r, "acw_s", acw);
    bad_duration(r, "wait_s", wait);
  }

  // One counter per (direction, outcome): direction and outcome are as good as random from one call to
  // the next, so one indexed increment beats a branch (or arithmetic) per derived counter.
  const call_outcome oc = r.outcome;
  const bool connected = oc == call_outcome::connected;
  const auto oi = static_cast<std::uint32_t>(oc);
  ++by_kind_[inbound ? 1 : 0][oi < 7 ? oi : 7];

  if (connected) {
    talk_.add(talk);
    if (hold != 0.0) hold_handled_.add(hold);
    if (acw != 0.0) acw_handled_.add(acw);
  } else if (talk != 0.0) {
    talk_unhandled_.add(talk);  // e.g. a dialer timing the voicemail message it left
  }

  if (has_wait) {
    ++wait_inbound_n_;
    // The histogram of the outcome, chosen by address rather than by a branch per outcome.
    exact_histogram *const by_outcome[] = {&wait_answered_, nullptr,          nullptr,       nullptr,
                                           nullptr,         &wait_abandoned_, &wait_timeout_};
    const auto i = static_cast<std::size_t>(oc);
    exact_histogram *h = i < std::size(by_outcome) ? by_outcome[i] : nullptr;
    if (h != nullptr) {
      h->add(wait);
    } else {
      wait_other_.add(wait);  // no_answer, busy, failed, voicemail on an inbound call
    }
  }

  if (r.agent_id.empty()) return;
  if (!(have_last_agent_ && same_id(r.agent_id, last_agent_))) {
    last_agent_ = r.agent_id;
    last_agent_hash_ = stable_id_hash(r.agent_id);
    have_last_agent_ = true;
    have_last_agent_day_ = false;
    agents_.insert(last_agent_hash_);
  }
  if (!inbound) {
    ++outbound_with_agent_;
    if (!(have_last_agent_day_ && local_day == last_day_)) {
      agent_days_.insert(agent_day_key(last_agent_hash_, local_day));
      last_day_ = local_day;
      have_last_agent_day_ = true;
    }
  }
}

const call_stats::caller_sets &call_stats::callers() const noexcept {
  static const caller_sets none;
  const caller_sets *c = callers_.get();
  return c == nullptr ? none : *c;
}

void call_stats::add_caller_outcome(const caller_outcome &o) {
  const caller_sets *held = callers_.get();
  if (held != nullptr && !(held->tracking == o.tracking))
    throw error(errc::invalid_argument,
                "call_stats: caller decisions made with different caller_tracker parameters cannot be mixed");
  caller_sets &c = callers_.make();
  c.tracking = o.tracking;
  if (o.what == caller_outcome::kind::contact) {
    c.callers.insert(o.caller);
    if (o.flag) c.repeat_callers.insert(o.caller);
  } else {
    c.abandoned_callers.insert(o.caller);
    if (o.flag) c.called_back.insert(o.caller);
  }
}

void call_stats::merge(const call_stats &other) {
  if (this == &other) {
    const call_stats copy = other;
    merge(copy);
    return;
  }
  const caller_sets *ours = callers_.get();
  const caller_sets *theirs = other.callers_.get();
  if (ours != nullptr && theirs != nullptr && !(ours->tracking == theirs->tracking))
    throw error(errc::invalid_argument,
                "call_stats::merge: the states hold caller decisions made with different caller_tracker "
                "parameters");
  for (int d = 0; d < 2; ++d)
    for (int o = 0; o < 8; ++o) by_kind_[d][o] += other.by_kind_[d][o];
  outbound_with_agent_ += other.outbound_with_agent_;
  talk_unhandled_.merge(other.talk_unhandled_);
  hold_handled_.merge(other.hold_handled_);
  acw_handled_.merge(other.acw_handled_);
  wait_other_.merge(other.wait_other_);
  wait_inbound_n_ += other.wait_inbound_n_;
  talk_.merge(other.talk_);
  wait_answered_.merge(other.wait_answered_);
  wait_abandoned_.merge(other.wait_abandoned_);
  wait_timeout_.merge(other.wait_timeout_);
  agents_.merge(other.agents_);
  agent_days_.merge(other.agent_days_);
  if (theirs != nullptr) {
    caller_sets &c = callers_.make();
    if (ours == nullptr) c.tracking = theirs->tracking;
    c.callers.merge(theirs->callers);
    c.repeat_callers.merge(theirs->repeat_callers);
    c.abandoned_callers.merge(theirs->abandoned_callers);
    c.called_back.merge(theirs->called_back);
  }
}

// ---- KPIs --------------------------------------------------------------------------------------------

call_counts call_stats::counts() const noexcept {
  constexpr auto c = static_cast<int>(call_outcome::connected);
  call_counts n;
  for (int o = 0; o < 8; ++o) {
    n.outbound += by_kind_[0][o];
    n.offered += by_kind_[1][o];
  }
  n.calls = n.outbound + n.offered;
  n.outbound_with_agent = outbound_with_agent_;
  n.connected_outbound = by_kind_[0][c];
  n.answered = by_kind_[1][c];
  n.abandoned = by_kind_[1][static_cast<int>(call_outcome::abandoned)];
  n.timeouts = by_kind_[1][static_cast<int>(call_outcome::timeout)];
  return n;
}

value call_stats::outbound_calls_per_agent_day() const noexcept {
  return ratio(static_cast<double>(outbound_with_agent_), static_cast<double>(agent_days_.size()));
}

value call_stats::connection_rate() const noexcept {
  const call_counts n = counts();
  return ratio(static_cast<double>(n.connected_outbound), static_cast<double>(n.outbound));
}

value call_stats::short_call_share(const kpi_params &p) const {
  const std::uint64_t short_calls = talk_.count_below(p.short_call_threshold_s);
  return ratio(static_cast<double>(short_calls), static_cast<double>(talk_.count()));
}

value call_stats::talk_time_total_s() const {
  exact_sum total = talk_unhandled_;
  total.merge(talk_.exact_total());
  return total.value();
}

value call_stats::aht_s() const {
  if (talk_.count() == 0) return std::nullopt;
  exact_sum total = talk_.exact_total();
  total.merge(hold_handled_);
  total.merge(acw_handled_);
  return total.value() / static_cast<double>(talk_.count());
}

value call_stats::abandoned_calls(const kpi_params &p) const {
  const call_counts n = counts();
  const std::uint64_t all = n.abandoned + (p.timeouts_as_abandons ? n.timeouts : 0);
  std::uint64_t short_abandons = wait_abandoned_.count_below(p.short_abandon_threshold_s);
  if (p.timeouts_as_abandons) short_abandons += wait_timeout_.count_below(p.short_abandon_threshold_s);
  return static_cast<double>(all - short_abandons);
}

value call_stats::abandon_rate(const kpi_params &p) const {
  const call_counts n = counts();
  const std::uint64_t all = n.abandoned + (p.timeouts_as_abandons ? n.timeouts : 0);
  std::uint64_t short_abandons = wait_abandoned_.count_below(p.short_abandon_threshold_s);
  if (p.timeouts_as_abandons) short_abandons += wait_timeout_.count_below(p.short_abandon_threshold_s);
  return ratio(static_cast<double>(all - short_abandons), static_cast<double>(n.offered - short_abandons));
}

value call_stats::avg_queue_time_s() const {
  if (wait_inbound_n_ == 0) return std::nullopt;
  exact_sum total = wait_other_;
  total.merge(wait_answered_.exact_total());
  total.merge(wait_abandoned_.exact_total());
  total.merge(wait_timeout_.exact_total());
  return total.value() / static_cast<double>(wait_inbound_n_);
}

value call_stats::avg_abandon_time_s(const kpi_params &p) const {
  exact_sum total = wait_abandoned_.exact_total();
  std::uint64_t n = wait_abandoned_.count();
  if (p.timeouts_as_abandons) {
    total.merge(wait_timeout_.exact_total());
    n += wait_timeout_.count();
  }
  if (n == 0) return std::nullopt;
  return total.value() / static_cast<double>(n);
}

value call_stats::service_level(const kpi_params &p) const {
  const double t = p.service_level_threshold_s;
  const auto a_t = static_cast<double>(wait_answered_.count_at_most(t));
  const auto a = static_cast<double>(wait_answered_.count());
  auto ab = static_cast<double>(wait_abandoned_.count());
  auto ab_t = static_cast<double>(wait_abandoned_.count_at_most(t));
  if (p.timeouts_as_abandons) {
    ab += static_cast<double>(wait_timeout_.count());
    ab_t += static_cast<double>(wait_timeout_.count_at_most(t));
  }
  const auto o = static_cast<double>(wait_inbound_n_);
  switch (p.service_level_formula) {
    case service_level_variant::answered_only:
      return ratio(a_t, a);
    case service_level_variant::ignore_abandons:
      return ratio(a_t, o - ab_t);
    case service_level_variant::abandons_negative:
      return ratio(a_t, o);
    case service_level_variant::abandons_positive:
      return ratio(a_t + ab_t, o);
    case service_level_variant::exclude_short_abandons:
      return ratio(a_t, a + ab - ab_t);
  }
  throw error(errc::invalid_argument, "service_level_formula: unknown variant " +
                                          std::to_string(static_cast<int>(p.service_level_formula)));
}

value call_stats::repeat_call_rate(const kpi_params &p) const {
  const caller_sets *c = callers_.get();
  if (c == nullptr) return std::nullopt;
  check_tracking(c->tracking, p, true);
  return ratio(static_cast<double>(c->repeat_callers.size()), static_cast<double>(c->callers.size()));
}

value call_stats::fcr_rate(const kpi_params &p) const {
  const value repeat = repeat_call_rate(p);
  if (!repeat) return std::nullopt;
  return 1.0 - *repeat;
}

value call_stats::abandon_callback_rate(const kpi_params &p) const {
  const caller_sets *c = callers_.get();
  if (c == nullptr) return std::nullopt;
  check_tracking(c->tracking, p, false);
  return ratio(static_cast<double>(c->called_back.size()), static_cast<double>(c->abandoned_callers.size()));
}

// ---- equality and serialization ----------------------------------------------------------------------

bool operator==(const call_stats &a, const call_stats &b) {
  const auto &ca = a.callers(), &cb = b.callers();
  return a.counts() == b.counts() && a.talk_unhandled_ == b.talk_unhandled_ &&
         a.hold_handled_ == b.hold_handled_ && a.acw_handled_ == b.acw_handled_ &&
         a.wait_other_ == b.wait_other_ && a.wait_inbound_n_ == b.wait_inbound_n_ && a.talk_ == b.talk_ &&
         a.wait_answered_ == b.wait_answered_ && a.wait_abandoned_ == b.wait_abandoned_ &&
         a.wait_timeout_ == b.wait_timeout_ && a.agents_ == b.agents_ && a.agent_days_ == b.agent_days_ &&
         a.tracking() == b.tracking() && ca.callers == cb.callers && ca.repeat_callers == cb.repeat_callers &&
         ca.abandoned_callers == cb.abandoned_callers && ca.called_back == cb.called_back;
}

void call_stats::save(std::string &out) const {
  namespace w = detail::wire;
  w::put_header(out, calls_tag, calls_version);
  const call_counts n = counts();
  for (std::uint64_t v : {n.calls, n.outbound, n.outbound_with_agent, n.connected_outbound, n.offered,
                          n.answered, n.abandoned, n.timeouts, wait_inbound_n_})
    w::put_varint(out, v);
  for (const exact_sum *s : {&talk_unhandled_, &hold_handled_, &acw_handled_, &wait_other_}) {
    w::put_u64(out, s->raw_high());
    w::put_u64(out, s->raw_low());
  }
  for (const exact_histogram *h : {&talk_, &wait_answered_, &wait_abandoned_, &wait_timeout_}) h->save(out);
  const caller_sets &c = callers();
  for (const id_set *s :
       {&agents_, &agent_days_, &c.callers, &c.repeat_callers, &c.abandoned_callers, &c.called_back})
    s->save(out);
  const caller_sets *held = callers_.get();
  w::put_u8(out, held != nullptr ? 1 : 0);
  if (held != nullptr) {
    w::put_f64(out, held->tracking.repeat_call_window_days);
    w::put_f64(out, held->tracking.callback_window_hours);
    w::put_u8(out, held->tracking.timeouts_as_abandons ? 1 : 0);
  }
}

call_stats call_stats::load(std::string_view &in) {
  namespace w = detail::wire;
  const auto what = calls_what;
  w::expect_header(in, calls_tag, calls_version, what);
  call_stats s;
  call_counts n;
  for (std::uint64_t *v : {&n.calls, &n.outbound, &n.outbound_with_agent, &n.connected_outbound, &n.offered,
                           &n.answered, &n.abandoned, &n.timeouts, &s.wait_inbound_n_})
    *v = w::get_varint(in, what);
  for (exact_sum *sum : {&s.talk_unhandled_, &s.hold_handled_, &s.acw_handled_, &s.wait_other_}) {
    const std::uint64_t hi = w::get_u64(in, what);
    const std::uint64_t lo = w::get_u64(in, what);
    *sum = exact_sum::from_raw(hi, lo);
  }
  for (exact_histogram *h : {&s.talk_, &s.wait_answered_, &s.wait_abandoned_, &s.wait_timeout_})
    *h = exact_histogram::load(in);
  caller_sets decided;
  for (id_set *set : {&s.agents_, &s.agent_days_, &decided.callers, &decided.repeat_callers,
                      &decided.abandoned_callers, &decided.called_back})
    *set = id_set::load(in);
  const std::uint8_t has_tracking = w::get_u8(in, what);
  if (has_tracking > 1) w::corrupt(what, "bad tracking flag");
  if (has_tracking == 1) {
    caller_tracking t;
    t.repeat_call_window_days = w::get_f64(in, what);
    t.callback_window_hours = w::get_f64(in, what);
    const std::uint8_t timeouts = w::get_u8(in, what);
    if (timeouts > 1 || !(std::isfinite(t.repeat_call_window_days) && t.repeat_call_window_days > 0) ||
        !(std::isfinite(t.callback_window_hours) && t.callback_window_hours > 0))
      w::corrupt(what, "bad caller tracking parameters");
    t.timeouts_as_abandons = timeouts == 1;
    decided.tracking = t;
  }
  // The invariants add() and merge() keep (counts never exceed their populations).
  const bool ok =
      n.outbound <= n.calls && n.offered == n.calls - n.outbound && n.outbound_with_agent <= n.outbound &&
      n.connected_outbound <= n.outbound && n.answered <= n.offered &&
      n.abandoned <= n.offered - n.answered && n.timeouts <= n.offered - n.answered - n.abandoned &&
      s.talk_.count() == n.connected_outbound + n.answered && s.wait_answered_.count() <= n.answered &&
      s.wait_abandoned_.count() <= n.abandoned && s.wait_timeout_.count() <= n.timeouts &&
      s.wait_inbound_n_ <= n.offered &&
      s.wait_answered_.count() + s.wait_abandoned_.count() + s.wait_timeout_.count() <= s.wait_inbound_n_ &&
      s.agent_days_.size() <= n.outbound_with_agent && s.agents_.size() <= n.calls &&
      decided.repeat_callers.size() <= decided.callers.size() &&
      decided.called_back.size() <= decided.abandoned_callers.size() &&
      ((has_tracking == 1) == !(decided.callers.empty() && decided.abandoned_callers.empty()));
  if (!ok) w::corrupt(what, "counts inconsistent with each other");
  if (has_tracking == 1) s.callers_.make() = std::move(decided);
  // Back to per-(direction, outcome) counts: only the derived counters are stored, so the outbound calls
  // that did not connect go under no_answer and the other inbound calls under no_answer too (no KPI
  // tells them apart).
  constexpr auto c = static_cast<int>(call_outcome::connected);
  constexpr auto other = static_cast<int>(call_outcome::no_answer);
  s.by_kind_[0][c] = n.connected_outbound;
  s.by_kind_[0][other] = n.outbound - n.connected_outbound;
  s.by_kind_[1][c] = n.answered;
  s.by_kind_[1][static_cast<int>(call_outcome::abandoned)] = n.abandoned;
  s.by_kind_[1][static_cast<int>(call_outcome::timeout)] = n.timeouts;
  s.by_kind_[1][other] = n.offered - n.answered - n.abandoned - n.timeouts;
  s.outbound_with_agent_ = n.outbound_with_agent;
  return s;
}

}  // namespace kpi

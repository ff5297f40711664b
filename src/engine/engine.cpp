// kpi::engine: construction, options and ingest (include/kpi/engine.hpp). Queries are in query.cpp,
// merge in merge.cpp, save/load in serialize.cpp.
#include <date/tz.h>
#include <algorithm>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/min.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

#include "engine/engine_impl.hpp"
#include "kpi/error.hpp"
#include "kpi/stats/hash.hpp"

namespace kpi {

namespace detail {

day_mapper::day_mapper(period_kind kind, const time_zone &zone) : kind_(kind) {
  if (!zone.is_utc()) tz_ = date::locate_zone(zone.name());
  if (tz_ == nullptr) {  // UTC: one offset for all time
    begin_ = std::numeric_limits<std::int64_t>::min();
    end_ = std::numeric_limits<std::int64_t>::max();
    offset_ms_ = 0;
  }
}

void day_mapper::refill(std::int64_t ms) {
  // floor to whole seconds for the tz lookup (sys_info bounds are whole seconds).
  const std::int64_t s = ms >= 0 ? ms / 1000 : -((-ms - 1) / 1000) - 1;
  const date::sys_info info = tz_->get_info(date::sys_seconds{std::chrono::seconds{s}});
  offset_ms_ = info.offset.count() * 1000;
  // date::sys_info uses sys_seconds::min()/max() at the ends of the table: keep them in ms range.
  constexpr std::int64_t lim = std::numeric_limits<std::int64_t>::max() / 1000;
  const std::int64_t b = info.begin.time_since_epoch().count();
  const std::int64_t e = info.end.time_since_epoch().count();
  begin_ = b <= -lim ? std::numeric_limits<std::int64_t>::min() : b * 1000;
  end_ = e >= lim ? std::numeric_limits<std::int64_t>::max() : e * 1000;
}

namespace {

constexpr std::uint64_t fmix(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

/// The de-duplication key of a record id of family `tag`: a bijective mix of the stable id hash and the
/// family, so that a call and an order with the same id do not collide.
std::uint64_t record_key(std::uint64_t tag, std::string_view id) noexcept {
  return fmix(stable_id_hash(id) + tag * 0x9E3779B97F4A7C15ULL);
}

}  // namespace detail

using detail::k_dimensions;

namespace {

// Family tags of the de-duplication keys (part of the saved format: never change).
constexpr std::uint64_t tag_call = 1, tag_order = 2, tag_lead = 3, tag_opportunity = 4, tag_customer = 5,
                        tag_spend = 6;

using fields = std::array<std::string_view, k_dimensions>;

std::string quoted(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 64));
  if (s.size() > 64) out += "...";
  out += "'";
  return out;
}

std::string issue_text(const char *family, std::string_view id, const record_issue &i) {
  return std::string(family) + " " + quoted(id) + ": " + std::string(i.field) + ": " + i.reason;
}

bool currency_fits(const std::optional<currency> &cell, currency c) noexcept {
  return !cell || *cell == c;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Names and options

const char *to_string(dimension d) noexcept {
  switch (d) {
    case dimension::agent_id:
      return "agent_id";
    case dimension::team_id:
      return "team_id";
    case dimension::campaign_id:
      return "campaign_id";
    case dimension::queue_id:
      return "queue_id";
    case dimension::channel:
      return "channel";
    case dimension::source:
      return "source";
  }
  return "invalid";
}

dimension parse_dimension(std::string_view text) {
  for (int v = 0; v < static_cast<int>(k_dimensions); ++v) {
    const auto d = static_cast<dimension>(v);
    if (text == to_string(d)) return d;
  }
  throw error(errc::parse, "unknown dimension " + quoted(text) +
                               " (expected agent_id, team_id, campaign_id, queue_id, channel or source)");
}

void engine_options::validate() const {
  bool seen[k_dimensions] = {};
  for (dimension d : group_by) {
    const auto i = static_cast<std::int32_t>(d);
    if (i < 0 || i >= static_cast<std::int32_t>(k_dimensions))
      throw error(errc::invalid_argument,
                  "group_by: dimension value " + std::to_string(i) + " is out of range");
    if (seen[i])
      throw error(errc::invalid_argument,
                  std::string("group_by: dimension ") + to_string(d) + " is repeated");
    seen[i] = true;
  }
  const auto k = static_cast<std::int32_t>(period);
  if (k < 0 || k > 5)
    throw error(errc::invalid_argument, "period: kind " + std::to_string(k) + " is out of range");
  if (rates && default_currency != currency{} && rates->target() != default_currency)
    throw error(errc::invalid_argument, "default_currency " + std::string(default_currency.code()) +
                                            " differs from the rates' target " +
                                            std::string(rates->target().code()));
  if (!(std::isfinite(caller_lateness_hours) && caller_lateness_hours >= 0 &&
        caller_lateness_hours <= 876000))
    throw error(errc::invalid_argument, "caller_lateness_hours must be finite, >= 0 and at most 100 years");
  if (track_callers) (void)caller_tracker(callers);                                // validates the windows
  if (track_order_activity) (void)order_activity(order_activity_resolution_days);  // validates it
}

// ---------------------------------------------------------------------------------------------------
// impl helpers

engine::impl::impl(engine_options o)
    : opt(std::move(o)), ndims(opt.group_by.size()), days(opt.period, opt.zone) {
  if (opt.track_callers) tracker.emplace(opt.callers);
}

std::uint32_t engine::impl::group_for(const detail::group_codes &codes) {
  // Fast path: the codes packed into 64 bits (when they fit) in a flat table.
  std::uint64_t packed = 0;
  bool fits = true;
  if (ndims != 0) {
    const unsigned bits = ndims <= 2 ? 32u : static_cast<unsigned>(64 / ndims);
    for (std::size_t i = 0; i < ndims; ++i) {
      const auto c = static_cast<std::uint64_t>(static_cast<std::uint32_t>(codes[i]));
      if (bits < 32 && c >> bits != 0) fits = false;
      packed = (packed << bits) | c;
    }
  }
  if (fits) {
    const std::uint32_t g = packed_groups.find(packed);
    if (g != detail::cell_index::none) return g;
  }
  auto [it, added] = group_of.try_emplace(codes, static_cast<std::uint32_t>(groups.size()));
  if (added) groups.push_back(codes);
  if (fits) packed_groups.insert(packed, it->second);
  return it->second;
}

std::uint32_t engine::impl::cell_for(std::uint32_t group, std::int32_t start_day) {
  const std::uint32_t c = index.find(detail::cell_index::key(group, start_day));
  return c != detail::cell_index::none ? c : add_cell(group, start_day, detail::boxed_state{});
}

std::uint32_t engine::impl::add_cell(std::uint32_t group, std::int32_t start_day,
                                     detail::boxed_state &&state) {
  const auto c = static_cast<std::uint32_t>(cells.size());
  cells.push_back(detail::cell{group, start_day, std::move(state)});
  index.insert(detail::cell_index::key(group, start_day), c);
  return c;
}

detail::group_codes engine::impl::codes_of(const fields &f) {
  detail::group_codes codes{};
  for (std::size_t i = 0; i < ndims; ++i)
    codes[i] = dicts[i].intern(f[static_cast<std::size_t>(opt.group_by[i])]);
  return codes;
}

std::uint32_t engine::impl::group_for_fields(const fields &f) {
  detail::group_cache::key k;
  bool cached = ndims != 0 && ndims <= detail::group_cache::max_dims;
  for (std::size_t i = 0; i < ndims && cached; ++i)
    cached = detail::dictionary::short_key(f[static_cast<std::size_t>(opt.group_by[i])], k.lo[i], k.hi[i]);
  if (!cached) return group_for(codes_of(f));
  std::uint32_t g = recent_groups.find(k);
  if (g == detail::group_cache::none) {
    g = group_for(codes_of(f));
    recent_groups.insert(k, g);
  }
  return g;
}

void engine::impl::fail_stop() {
  broken = true;
  throw;  // the std::bad_alloc being handled
}

void engine::impl::check_whole() const {
  if (broken)
    throw error(errc::no_memory,
                "engine: an allocation failed during an earlier ingest or merge and left its state "
                "incomplete; load the last saved state or start a new engine");
}

void engine::impl::reject(std::string reason) {
  ++counts.rejected;
  if (counts.reasons.size() < ingest_counts::max_reasons) counts.reasons.push_back(std::move(reason));
}

money engine::impl::normalize(money m) const {
  if (m.cur == currency{}) m.cur = opt.default_currency;
  if (opt.rates && m.cur != opt.rates->target()) m = opt.rates->convert(m, opt.rates->target());
  return m;
}

bool engine::impl::cell_less(std::uint32_t a, std::uint32_t b) const {
  const detail::cell &x = cells[a];
  const detail::cell &y = cells[b];
  if (x.start_day != y.start_day) return x.start_day < y.start_day;
  const auto &gx = groups[x.group];
  const auto &gy = groups[y.group];
  for (std::size_t i = 0; i < ndims; ++i) {
    if (gx[i] == gy[i]) continue;
    return dicts[i].at(gx[i]) < dicts[i].at(gy[i]);
  }
  return false;
}

void engine::impl::observe_first_order(std::uint64_t h, std::int64_t t, std::uint32_t c, bool from_merge) {
  auto [it, inserted] = first_orders.try_emplace(h, detail::first_order{t, c});
  if (inserted) {
    if (!from_merge) cells[c].state->orders.note_tracked_order(true);
    return;
  }
  detail::first_order &e = it->second;
  const bool earlier = t < e.time_ms || (t == e.time_ms && cell_less(c, e.cell));
  if (earlier) {
    if (!from_merge) cells[c].state->orders.note_tracked_order(true);
    cells[e.cell].state->orders.retract_new_customer();
    e = {t, c};
  } else if (from_merge) {
    cells[c].state->orders.retract_new_customer();  // the other engine counted it new in c
  } else {
    cells[c].state->orders.note_tracked_order(false);
  }
}

window engine::impl::window_of_start(std::int32_t start_day) const {
  return kpi::window_of(period{opt.period, start_day}, opt.zone);
}

void engine::impl::apply_outcomes(const std::vector<caller_outcome> &out) {
  for (const caller_outcome &o : out)
    cells[static_cast<std::size_t>(o.slot)].state->calls.add_caller_outcome(o);
}

void engine::impl::track_call(const call_record &r, std::int64_t ms, std::uint32_t cell) {
  if (!tracker || r.caller.empty()) return;
  if (ms < finalized_ms) {
    ++counts.untracked;
    return;
  }
  tracker->add(r, cell);
  if (ms <= newest_call_ms) return;
  newest_call_ms = ms;
  // Finalize what can no longer change, in steps of at least an hour (finalize_before walks the held
  // callers).
  const auto lateness = static_cast<std::int64_t>(std::llround(opt.caller_lateness_hours * 3'600'000.0));
  const std::int64_t until = ms - lateness;
  if (finalized_ms != INT64_MIN && until < finalized_ms + 3'600'000) return;
  std::vector<caller_outcome> out;
  tracker->finalize_before(from_unix_ms(until), out);
  finalized_ms = until;
  apply_outcomes(out);
}

// ---------------------------------------------------------------------------------------------------
// engine: special members and options

engine::engine(engine_options options) {
  options.validate();
  impl_ = std::make_unique<impl>(std::move(options));
}

engine::~engine() = default;
engine::engine(const engine &other) : impl_(std::make_unique<impl>(*other.impl_)) {}
engine &engine::operator=(const engine &other) {
  if (this != &other) impl_ = std::make_unique<impl>(*other.impl_);
  return *this;
}
engine::engine(engine &&other) noexcept = default;
engine &engine::operator=(engine &&other) noexcept = default;

const engine_options &engine::options() const noexcept {
  return impl_->opt;
}

void engine::set_rates(rate_table rates) {
  impl_->check_whole();
  const currency want = impl_->opt.rates ? impl_->opt.rates->target() : impl_->opt.default_currency;
  if (want != currency{} && rates.target() != want)
    throw error(errc::invalid_argument, "set_rates: the rates convert into " +
                                            std::string(rates.target().code()) +
                                            ", the engine's amounts are in " + std::string(want.code()));
  impl_->opt.rates = std::move(rates);
}

const ingest_counts &engine::counts() const noexcept {
  return impl_->counts;
}
std::size_t engine::cell_count() const noexcept {
  return impl_->cells.size();
}

std::optional<window> engine::extent() const noexcept {
  if (impl_->min_anchor_ms > impl_->max_anchor_ms) return std::nullopt;
  return window{from_unix_ms(impl_->min_anchor_ms), from_unix_ms(impl_->max_anchor_ms + 1)};
}

// ---------------------------------------------------------------------------------------------------
// Ingest, one record at a time

bool engine::add(const call_record &r) try {
  impl &m = *impl_;
  m.check_whole();
  ++m.counts.read;
  if (auto issue = check(r)) {
    m.reject(issue_text("call", r.call_id, *issue));
    return false;
  }
  std::uint64_t key = 0;
  if (m.opt.deduplicate) {
    key = detail::record_key(tag_call, r.call_id);
    if (m.seen.contains(key)) {
      ++m.counts.duplicates;
      return false;
    }
  }
  const std::int64_t ms = to_unix_ms(r.start);
  const std::int32_t day = m.days.local_day(ms);
  const std::int32_t start = m.days.period_start(day);
  const std::uint32_t g =
      m.group_for_fields(fields{r.agent_id, r.team_id, r.campaign_id, r.queue_id, "", ""});
  const std::uint32_t c = m.cell_of_group(g, start);
  detail::cell &cell = m.cells[c];
  // The talk counter this call increments, fetched now rather than after the state it hangs from.
  if (r.outcome == call_outcome::connected && cell.talk_hint != nullptr)
    detail::call_ingest::prefetch_talk(cell.talk_hint, r.talk_s);
  try {
    cell.state->calls.add(r, day);
  } catch (const error &e) {
    m.reject("call " + quoted(r.call_id) + ": " + e.what());
    return false;
  }
  cell.talk_hint = detail::call_ingest::talk_counters(cell.state->calls);
  if (m.opt.deduplicate) m.seen.insert(key);
  m.note_period(start);
  m.note_anchor(ms);
  m.track_call(r, ms, c);
  ++m.counts.accepted;
  return true;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

bool engine::add(const order_record &r) try {
  impl &m = *impl_;
  m.check_whole();
  ++m.counts.read;
  if (auto issue = check(r)) {
    m.reject(issue_text("order", r.order_id, *issue));
    return false;
  }
  std::uint64_t key = 0;
  if (m.opt.deduplicate) {
    key = detail::record_key(tag_order, r.order_id);
    if (m.seen.contains(key)) {
      ++m.counts.duplicates;
      return false;
    }
  }
  // Amounts in the engine's currency rules (a copy only when something changes).
  std::optional<order_record> converted;
  const order_record *o = &r;
  try {
    const money amount = m.normalize(r.amount);
    std::optional<money> cost;
    if (r.cost) cost = m.normalize(*r.cost);
    if (amount != r.amount || cost != r.cost) {
      converted = r;
      converted->amount = amount;
      converted->cost = cost;
      o = &*converted;
    }
  } catch (const error &e) {
    m.reject("order " + quoted(r.order_id) + ": amount: " + e.what());
    return false;
  }
  const std::int64_t ms = to_unix_ms(r.time);
  const std::int32_t start = m.days.period_start(m.days.local_day(ms));
  const std::uint32_t g = m.group_for_fields(fields{r.agent_id, r.team_id, r.campaign_id, "", "", ""});
  if (const std::uint32_t have = m.index.find(detail::cell_index::key(g, start));
      have != detail::cell_index::none &&
      !currency_fits(m.cells[have].state->orders.currency(), o->amount.cur)) {
    m.reject("order " + quoted(r.order_id) + ": amount: currency " + std::string(o->amount.cur.code()) +
             " differs from the group's (give the engine conversion rates)");
    return false;
  }
  const std::uint32_t c = m.cell_for(g, start);
  try {
    m.cells[c].state->orders.add(*o);
  } catch (const error &e) {
    m.reject("order " + quoted(r.order_id) + ": " + e.what());
    return false;
  }
  if (m.opt.track_first_orders) {
    if (r.customer_id.empty())
      m.cells[c].state->orders.note_tracked_order(false);
    else
      m.observe_first_order(stable_id_hash(r.customer_id), ms, c, false);
  }
  if (m.opt.track_order_activity) {
    order_activity &a = m.cells[c].state->activity;
    if (a.orders() == 0) a = order_activity(m.opt.order_activity_resolution_days);
    a.add(*o);  // counts an order without customer_id too
  }
  if (m.opt.deduplicate) m.seen.insert(key);
  m.note_period(start);
  m.note_anchor(ms);
  ++m.counts.accepted;
  return true;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

bool engine::add(const lead_record &r) try {
  impl &m = *impl_;
  m.check_whole();
  ++m.counts.read;
  if (auto issue = check(r)) {
    m.reject(issue_text("lead", r.lead_id, *issue));
    return false;
  }
  std::uint64_t key = 0;
  if (m.opt.deduplicate) {
    key = detail::record_key(tag_lead, r.lead_id);
    if (m.seen.contains(key)) {
      ++m.counts.duplicates;
      return false;
    }
  }
  const std::uint32_t g = m.group_for_fields(fields{r.agent_id, "", r.campaign_id, "", "", r.source});
  auto cell_at = [&](timestamp t) {
    return m.cell_for(g, m.days.period_start(m.days.local_day(to_unix_ms(t))));
  };
  const std::uint32_t c = cell_at(r.created);
  try {
    m.cells[c].state->leads.add(r);  // validates; the milestone adds below cannot fail for a valid lead
    if (r.mql) m.cells[cell_at(*r.mql)].state->leads.add_mql(r);
    if (r.sql) m.cells[cell_at(*r.sql)].state->leads.add_sql(r);
    if (r.opportunity) m.cells[cell_at(*r.opportunity)].state->leads.add_opportunity(r);
  } catch (const error &e) {
    m.reject("lead " + quoted(r.lead_id) + ": " + e.what());
    return false;
  }
  if (m.opt.deduplicate) m.seen.insert(key);
  m.note_period(m.cells[c].start_day);
  m.note_anchor(to_unix_ms(r.created));
  ++m.counts.accepted;
  return true;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

bool engine::add(const opportunity_record &r) try {
  impl &m = *impl_;
  m.check_whole();
  ++m.counts.read;
  if (auto issue = check(r)) {
    m.reject(issue_text("opportunity", r.opportunity_id, *issue));
    return false;
  }
  std::uint64_t key = 0;
  if (m.opt.deduplicate) {
    key = detail::record_key(tag_opportunity, r.opportunity_id);
    if (m.seen.contains(key)) {
      ++m.counts.duplicates;
      return false;
    }
  }
  opportunity_record o = r;
  try {
    o.amount = m.normalize(r.amount);
  } catch (const error &e) {
    m.reject("opportunity " + quoted(r.opportunity_id) + ": amount: " + e.what());
    return false;
  }
  const std::uint32_t g = m.group_for_fields(fields{r.agent_id, r.team_id, r.campaign_id, "", "", ""});
  auto start_at = [&](timestamp t) { return m.days.period_start(m.days.local_day(to_unix_ms(t))); };
  const bool closes = r.closed && r.status != opportunity_status::open;
  const std::int32_t created_start = start_at(r.created);
  const std::int32_t closed_start = closes ? start_at(*r.closed) : created_start;
  // Both cells must take the currency before anything is added (no half-filed record).
  for (std::int32_t st : {created_start, closed_start}) {
    const std::uint32_t have = m.index.find(detail::cell_index::key(g, st));
    if (have != detail::cell_index::none &&
        !currency_fits(m.cells[have].state->opportunities.currency(), o.amount.cur)) {
      m.reject("opportunity " + quoted(r.opportunity_id) + ": amount: currency " +
               std::string(o.amount.cur.code()) +
               " differs from the group's (give the engine conversion rates)");
      return false;
    }
  }
  const std::uint32_t created = m.cell_for(g, created_start);
  const std::uint32_t closed = m.cell_for(g, closed_start);
  try {
    m.cells[created].state->opportunities.add_created(o);
    if (closes) m.cells[closed].state->opportunities.add_closed(o);
  } catch (const error &e) {
    m.reject("opportunity " + quoted(r.opportunity_id) + ": " + e.what());
    return false;
  }
  if (m.opt.deduplicate) m.seen.insert(key);
  m.note_period(m.cells[created].start_day);
  m.note_anchor(to_unix_ms(r.created));
  ++m.counts.accepted;
  return true;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

bool engine::add(const customer_record &r) try {
  impl &m = *impl_;
  m.check_whole();
  ++m.counts.read;
  if (auto issue = check(r)) {
    m.reject(issue_text("customer", r.customer_id, *issue));
    return false;
  }
  std::uint64_t key = 0;
  if (m.opt.deduplicate) {
    key = detail::record_key(tag_customer, r.customer_id);
    if (m.seen.contains(key)) {
      ++m.counts.duplicates;
      return false;
    }
  }
  const std::uint32_t g = m.group_for_fields(fields{"", "", r.campaign_id, "", "", ""});
  auto start_at = [&](timestamp t) { return m.days.period_start(m.days.local_day(to_unix_ms(t))); };
  const std::uint32_t c = m.cell_for(g, start_at(r.acquired));
  try {
    m.cells[c].state->customers.add_acquired(r);
    if (r.churned) {
      const std::int32_t s = start_at(*r.churned);
      const std::uint32_t cc = m.cell_for(g, s);
      m.cells[cc].state->customers.add_churned(r, m.window_of_start(s).start);
    }
  } catch (const error &e) {
    m.reject("customer " + quoted(r.customer_id) + ": " + e.what());
    return false;
  }
  if (m.opt.deduplicate) m.seen.insert(key);
  m.note_period(m.cells[c].start_day);
  m.note_anchor(to_unix_ms(r.acquired));
  ++m.counts.accepted;
  return true;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

bool engine::add(const spend_record &r) try {
  impl &m = *impl_;
  m.check_whole();
  ++m.counts.read;
  const std::string id = r.campaign_id;
  if (auto issue = check(r)) {
    m.reject(issue_text("spend of campaign", id, *issue));
    return false;
  }
  std::uint64_t key = 0;
  if (m.opt.deduplicate) {
    // A spend row has no id: its whole content is its identity.
    std::string content = r.campaign_id;
    content += '\x1f';
    content += r.channel;
    content += '\x1f' + std::to_string(to_unix_ms(r.start)) + '\x1f' + std::to_string(to_unix_ms(r.end)) +
               '\x1f' + std::to_string(r.amount.minor) + '\x1f' + std::string(r.amount.cur.code());
    key = detail::record_key(tag_spend, content);
    if (m.seen.contains(key)) {
      ++m.counts.duplicates;
      return false;
    }
  }
  spend_record s = r;
  try {
    s.amount = m.normalize(r.amount);
  } catch (const error &e) {
    m.reject("spend of campaign " + quoted(id) + ": amount: " + e.what());
    return false;
  }
  const std::uint32_t g = m.group_for_fields(fields{"", "", r.campaign_id, "", "", r.channel});
  // The periods [start, end) overlaps: from the period of start to the period of end - 1 ms.
  const std::int32_t first = m.days.period_start(m.days.local_day(to_unix_ms(r.start)));
  const std::int32_t last = m.days.period_start(m.days.local_day(to_unix_ms(r.end) - 1));
  std::vector<std::int32_t> starts;
  if (m.opt.period == period_kind::none) {
    starts.push_back(0);
  } else {
    constexpr std::size_t max_periods = 100000;
    for (period p{m.opt.period, first}; p.start_day <= last; p = next(p)) {
      if (starts.size() == max_periods) {
        m.reject("spend of campaign " + quoted(id) +
                 ": start..end: the row overlaps more than 100000 periods");
        return false;
      }
      starts.push_back(p.start_day);
    }
  }
  for (std::int32_t st : starts) {
    const std::uint64_t k = detail::cell_index::key(g, st);
    const std::uint32_t c = m.index.find(k);
    if (c != detail::cell_index::none && !currency_fits(m.cells[c].state->spend.currency(), s.amount.cur)) {
      m.reject("spend of campaign " + quoted(id) + ": amount: currency " + std::string(s.amount.cur.code()) +
               " differs from the group's (give the engine conversion rates)");
      return false;
    }
  }
  try {
    for (std::int32_t st : starts) {
      const std::uint32_t c = m.cell_for(g, st);
      if (m.opt.period == period_kind::none)
        m.cells[c].state->spend.add(s);
      else
        m.cells[c].state->spend.add(s, m.window_of_start(st));
    }
  } catch (const error &e) {
    m.reject("spend of campaign " + quoted(id) + ": " + e.what());
    return false;
  }
  if (m.opt.deduplicate) m.seen.insert(key);
  m.note_period(first);
  m.note_anchor(to_unix_ms(r.start));
  ++m.counts.accepted;
  return true;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

std::size_t engine::add(std::span<const call_record> records) {
  // One record at a time: with the records already built, this costs less than turning them into
  // columns for add_calls (which pays for interning every string field of every record).
  std::size_t n = 0;
  for (const call_record &r : records) n += add(r) ? 1u : 0u;
  return n;
}

std::size_t engine::add(std::span<const order_record> records) {
  std::size_t n = 0;
  for (const order_record &r : records) n += add(r) ? 1u : 0u;
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Ingest, columnar calls

namespace {

void check_length(std::size_t got, std::size_t rows, bool optional, const char *name) {
  if (got == rows || (optional && got == 0)) return;
  throw error(errc::invalid_argument, std::string("add_calls: column ") + name + " has " +
                                          std::to_string(got) + " entries, expected " + std::to_string(rows) +
                                          (optional ? " (or 0: absent)" : ""));
}

void check_codes(const dictionary_column &col, std::size_t rows, const char *name) {
  check_length(col.codes.size(), rows, true, name);
  const auto n = static_cast<std::int64_t>(col.dictionary.size());
  // First whether any code is out of range, in a loop without a branch (vectorized), then which. In
  // 32 bits: -1 <= c < n is c + 1 <= n, unsigned (the baseline's SIMD has no 64-bit compare).
  const auto limit = static_cast<std::uint32_t>(std::min<std::int64_t>(n, std::int64_t{1} << 31));
  const auto out_of_range = [limit](std::int32_t c) { return static_cast<std::uint32_t>(c) + 1u > limit; };
  std::uint32_t bad = 0;
  for (const std::int32_t c : col.codes) bad |= static_cast<std::uint32_t>(out_of_range(c));
  if (bad == 0) return;
  for (const std::int32_t c : col.codes)
    if (out_of_range(c))
      throw error(errc::invalid_argument, std::string("add_calls: column ") + name + " has code " +
                                              std::to_string(c) + " outside its dictionary of " +
                                              std::to_string(n) + " strings");
}

std::string_view at(const dictionary_column &col, std::size_t i) noexcept {
  if (col.codes.empty()) return {};
  const std::int32_t c = col.codes[i];
  return c < 0 ? std::string_view{} : col.dictionary[static_cast<std::size_t>(c)];
}

// A row with a fraction of a second or a duration of 2^31 s or more: call_ingest::add with its checks,
// out of the loop that adds the other rows.
[[gnu::noinline]] detail::counter_queue::entry *add_any(detail::call_ingest &x,
                                                        detail::counter_queue::entry *q, std::uint32_t dir,
                                                        std::uint32_t out, double talk, double wait,
                                                        double hold, double acw, std::int32_t agent,
                                                        std::uint64_t agent_hash, std::int32_t local_day) {
  return x.add(q, dir, out, talk, wait, hold, acw, agent, agent_hash, local_day);
}

// The rows of a range of add_calls (the last range of a batch may be shorter).
constexpr std::size_t rows_per_range = 4 * detail::counter_queue::rows_per_drain;
static_assert(detail::call_ingest::max_calls % rows_per_range == 0);

// What pass 1a computes for pass 2 besides a row's byte, a column each, the columns rows_per_range
// apart: one pointer reaches the five (the adding loop has few registers to spare). The durations in
// whole seconds (call_ingest::seconds), and the row's agent code (-1: none, or an empty string).
struct add_columns {
  std::uint32_t *base;
  [[nodiscard]] std::uint32_t *talk() const noexcept { return base; }
  [[nodiscard]] std::uint32_t *wait() const noexcept { return base + rows_per_range; }
  [[nodiscard]] std::uint32_t *hold() const noexcept { return base + 2 * rows_per_range; }
  [[nodiscard]] std::uint32_t *acw() const noexcept { return base + 3 * rows_per_range; }
  // (int32_t may alias the uint32_t of the array.)
  [[nodiscard]] std::int32_t *agent() const noexcept {
    return reinterpret_cast<std::int32_t *>(base + 4 * rows_per_range);
  }
  static constexpr std::size_t columns = 5;
};

// A row's byte in pass 1a's output: 0 when invalid (or, after pass 1c, not added by pass 2), else
// row_valid, with row_whole when call_ingest::add_whole can take it, and its kind (call_kind).
constexpr unsigned row_valid = 0x40, row_whole = 0x80, row_kind = 0x1f;

// One range of rows of add_calls: the columns from the range's first row (every one present: an
// absent column reads as a range of NaN or of code -1), and what passes 1a and 1c find.
struct range_rows {
  std::uint8_t *ok;                 // a byte per row: row_valid, row_whole, row_kind
  add_columns out;                  // out of pass 1a (the durations where row_whole, the agents)
  const detail::row_cell *to_cell;  // where a row goes (where ok is not 0)
  const std::int32_t *agents;       // batch agent codes (-1: none)
  const std::uint64_t *agent_hash;  // by batch agent code + 1 (kpi::stable_id_hash)
  const std::int32_t *dirs, *outs;
  const double *talks, *waits, *holds, *acws;
  std::size_t rows;
};

// Pass 1a over the range `r`: which rows are valid (kpi::check and call_stats' own range check, on the
// columns), into r.ok, in simple loops that the compiler vectorizes (a byte per row: see row_valid);
// and for call_ingest::add_whole, each row's durations in whole seconds and its agent into r.out. `ids`: the
// range's call ids, or empty; `named`: by batch agent code + 1, whether the agent has a name, or null when
// every agent of the batch's dictionary has one. Inlined into one function per instruction set (below).
[[gnu::always_inline]] inline void validate_rows(const range_rows &r, std::span<const std::string_view> ids,
                                                 const std::uint8_t *__restrict named) {
  // Durations must be below this (call_stats' own range check; kpi::check asks for >= 0 and finite).
  constexpr double max_duration = exact_histogram::max_value;
  // Plain restrict pointers: through the struct, every store to a byte would force the compiler to
  // reload the columns (a byte store may alias anything).
  std::uint8_t *__restrict ok = r.ok;
  const std::int32_t *__restrict dirs = r.dirs;
  const std::int32_t *__restrict outs = r.outs;
  const double *__restrict talks = r.talks;
  const double *__restrict waits = r.waits;
  const double *__restrict holds = r.holds;
  const double *__restrict acws = r.acws;
  std::uint32_t *__restrict talk_s = r.out.talk();
  std::uint32_t *__restrict wait_s = r.out.wait();
  std::uint32_t *__restrict hold_s = r.out.hold();
  std::uint32_t *__restrict acw_s = r.out.acw();
  const std::size_t rows = r.rows;
  for (std::size_t i = 0; i < rows; ++i) {
    const auto dir = static_cast<std::uint32_t>(dirs[i]);
    const auto out = static_cast<std::uint32_t>(outs[i]);
    const double talk = talks[i];
    // Enum values in range; talk time only on connected calls and voicemail; the optional durations
    // NaN (absent) or in [0, 2^62) (a comparison with NaN is false). row_whole: every duration a
    // whole number below 2^31 (or absent): pass 2 takes the row's whole seconds, without a check.
    const bool valid = (dir <= 1) & (out <= 6) & (talk >= 0.0) & (talk < max_duration) &
                       ((talk <= 0.0) | (out == 0) | (out == 4)) & !(waits[i] < 0.0) &
                       !(waits[i] >= max_duration) & !(holds[i] < 0.0) & !(holds[i] >= max_duration) &
                       !(acws[i] < 0.0) & !(acws[i] >= max_duration);
    const bool whole = detail::call_ingest::whole_row(talk, waits[i], holds[i], acws[i]);
    const unsigned has_wait = static_cast<unsigned>(dir == 1) & static_cast<unsigned>(waits[i] == waits[i]);
    const unsigned kind = detail::call_kind(dir & 1u, out & 7u, has_wait);
    ok[i] = static_cast<std::uint8_t>((0u - static_cast<unsigned>(valid)) &
                                      (row_valid | static_cast<unsigned>(whole) << 7 | kind));
  }
  // The durations in whole seconds, for call_ingest::add_whole (meaningful where row_whole), a column at
  // a time (loops of one type, which the compiler vectorizes).
  using detail::call_ingest;
  for (std::size_t i = 0; i < rows; ++i) talk_s[i] = call_ingest::seconds(talks[i], 1u);
  for (std::size_t i = 0; i < rows; ++i)
    wait_s[i] = call_ingest::seconds(waits[i], static_cast<std::uint32_t>(dirs[i] == 1));
  for (std::size_t i = 0; i < rows; ++i)
    hold_s[i] = call_ingest::seconds(holds[i], static_cast<std::uint32_t>(outs[i] == 0));
  for (std::size_t i = 0; i < rows; ++i)
    acw_s[i] = call_ingest::seconds(acws[i], static_cast<std::uint32_t>(outs[i] == 0));
  // (The conditions below clear the whole byte: they AND with 0x00 or 0xff.)
  if (!ids.empty())
    for (std::size_t i = 0; i < rows; ++i) ok[i] &= static_cast<std::uint8_t>(0 - (ids[i].empty() ? 0 : 1));
  // The row's agent: its code when the string is a name, else -1 (code -1: none). A connected call
  // names its agent. Where every string of the batch's agent dictionary is a name (`named` null), the
  // code is the column's: a copy and a compare the compiler vectorizes, not a load per row.
  const std::int32_t *__restrict codes = r.agents;
  std::int32_t *__restrict agent = r.out.agent();
  if (named == nullptr) {
    std::copy_n(codes, rows, agent);
  } else {
    for (std::size_t i = 0; i < rows; ++i)
      agent[i] = named[static_cast<std::size_t>(codes[i] + 1)] != 0 ? codes[i] : -1;
  }
  for (std::size_t i = 0; i < rows; ++i)
    ok[i] &= static_cast<std::uint8_t>(0 - ((outs[i] != 0) | (agent[i] >= 0)));
}

// validate_rows compiled for each instruction set, as a function of its own (inside add_calls the
// compiler keeps few of the loop's values in registers). Where GCC or Clang build for x86-64: for
// x86-64-v4's AVX-512 (eight doubles an instruction, and the comparisons into mask registers: with AVX2
// the masks of the many comparisons spill), for AVX2 (four) and for the baseline's SSE2 (two); the best
// the processor has is chosen once (batch_simd()). Elsewhere: one portable function.
using validate_fn = void (*)(const range_rows &, std::span<const std::string_view>, const std::uint8_t *);

[[gnu::noinline]] void validate_portable(const range_rows &r, std::span<const std::string_view> ids,
                                         const std::uint8_t *named) {
  validate_rows(r, ids, named);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KPI_SIMD_DISPATCH 1
[[gnu::noinline, gnu::target("avx2,fma,bmi,bmi2")]] void validate_avx2(const range_rows &r,
                                                                       std::span<const std::string_view> ids,
                                                                       const std::uint8_t *named) {
  validate_rows(r, ids, named);
}
[[gnu::noinline, gnu::target("avx512f,avx512bw,avx512dq,avx512vl,avx512cd,avx2,fma,bmi,bmi2")]] void
validate_avx512(const range_rows &r, std::span<const std::string_view> ids, const std::uint8_t *named) {
  validate_rows(r, ids, named);
}
#endif

// The validation of batch_simd(), and its name.
struct simd_choice {
  validate_fn validate;
  const char *name;
};

simd_choice choose_simd() noexcept {
#ifdef KPI_SIMD_DISPATCH
  enum level { sse2, avx2, avx512 };
  __builtin_cpu_init();  // (checks the operating system's support of the AVX registers too)
  level best = sse2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
      __builtin_cpu_supports("bmi2"))
    best = avx2;
  if (best == avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512cd"))
    best = avx512;
  if (const char *cap = std::getenv("KPI_SIMD")) {  // NOLINT(concurrency-mt-unsafe): read once
    const std::string_view c = cap;
    if (c == "sse2") best = sse2;
    if (c == "avx2" && best > avx2) best = avx2;
  }
  switch (best) {
    case avx512:
      return {validate_avx512, "avx512"};
    case avx2:
      return {validate_avx2, "avx2"};
    case sse2:
      break;
  }
  return {validate_portable, "sse2"};
#else
  return {validate_portable, "portable"};
#endif
}

const simd_choice &simd() noexcept {
  static const simd_choice chosen = choose_simd();
  return chosen;
}

// Pass 1c's common case (see add_calls): the rows of a range that are valid, of one local day (UTC
// milliseconds [first_ms, end_ms)) and whose group the memo has (the memo holds only slots with room).
struct run_rows {
  const std::uint8_t *ok;
  const std::int64_t *starts;
  const std::int32_t *codes0, *codes1;  // the codes of the memo's two dimensions (absent: -1)
  std::uint32_t stride0, stride1;       // the memo's strides (of an absent dimension: 0)
  const std::uint32_t *memo;            // slots by mixed-radix batch codes (none: not yet)
  std::int64_t first_ms, end_ms;
  std::int32_t day;
  detail::row_cell *to_cell;  // out: where each row taken goes
  std::size_t taken = 0;      // out: rows taken
};

// Takes the rows of `r` from row j on up to the first that is not such a row (or `rows`), widening
// [min_ms, max_ms] by their starts; returns where it stopped. A function of its own, for the same
// reason as the validate functions.
[[gnu::noinline]] std::size_t take_run(run_rows &r, std::size_t j, std::size_t rows, std::int64_t &min_ms,
                                       std::int64_t &max_ms) {
  constexpr std::uint32_t none = detail::cell_index::none;
  const std::uint8_t *__restrict ok = r.ok;
  const std::int64_t *__restrict starts = r.starts;
  const std::int32_t *__restrict codes0 = r.codes0;
  const std::int32_t *__restrict codes1 = r.codes1;
  detail::row_cell *__restrict to_cell = r.to_cell;
  std::int64_t lo = min_ms, hi = max_ms;
  const std::size_t from = j;
  std::size_t skipped = 0;
  for (; j < rows; ++j) {
    if (ok[j] == 0) {
      ++skipped;
      continue;
    }
    const std::int64_t ms = starts[j];
    if (ms < r.first_ms || ms >= r.end_ms) break;
    const std::uint32_t slot = r.memo[r.stride0 * static_cast<std::uint32_t>(codes0[j] + 1) +
                                      r.stride1 * static_cast<std::uint32_t>(codes1[j] + 1)];
    if (slot == none) break;
    to_cell[j] = {slot, r.day};
    lo = std::min(lo, ms);
    hi = std::max(hi, ms);
  }
  min_ms = lo;
  max_ms = hi;
  r.taken = j - from - skipped;
  return j;
}

// flush() of every slot, each slot's state fetched two slots ahead.
void flush_all(std::vector<detail::call_ingest> &ingest) {
  constexpr std::size_t ahead = 2;
  for (std::size_t i = 0; i < ingest.size(); ++i) {
    if (i + ahead < ingest.size()) ingest[i + ahead].prefetch_state();
    ingest[i].flush();
  }
}

// Each row of `r` into its cell's slot, in row order, in a short loop of its own (a function of its
// own: inside add_calls the compiler keeps few of the loop's values in registers), so that the
// processor overlaps the cache misses of several rows; the slots are fetched some rows ahead. The
// histogram increments are queued and done every rows_per_drain rows.
[[gnu::noinline]] void add_range(const range_rows &r, detail::call_ingest *ingest,
                                 detail::counter_queue &queue) {
  constexpr std::size_t ahead = 16;
  constexpr std::size_t chunk = detail::counter_queue::rows_per_drain;
  const std::uint8_t *__restrict ok = r.ok;
  const detail::row_cell *__restrict to_cell = r.to_cell;
  const std::uint32_t *__restrict col = r.out.base;  // add_columns: five columns from one pointer
  const std::size_t rows = r.rows;
  detail::counter_queue::entry *q = queue.begin();  // the queue's end
  for (std::size_t from = 0; from < rows; from += chunk) {
    const std::size_t to = std::min(rows, from + chunk);
    for (std::size_t i = from; i < to; ++i) {
      if (i + ahead < rows && ok[i + ahead] != 0)
        ingest[to_cell[i + ahead].slot].prefetch(ok[i + ahead] & row_kind);
      if (ok[i] == 0) continue;
      const detail::row_cell rc = to_cell[i];
      const auto agent = static_cast<std::int32_t>(col[i + 4 * rows_per_range]);
      // (Read only where the agent changes: by reference.)
      const std::uint64_t &hash = r.agent_hash[static_cast<std::size_t>(agent + 1)];
      if ((ok[i] & row_whole) != 0) [[likely]] {
        q = ingest[rc.slot].add_whole(
            q, ok[i] & row_kind,
            {col[i], col[i + rows_per_range], col[i + 2 * rows_per_range], col[i + 3 * rows_per_range]},
            agent, hash, rc.day);
      } else {
        const auto dir = static_cast<std::uint32_t>(r.dirs[i]);
        const auto out = static_cast<std::uint32_t>(r.outs[i]);
        q = add_any(ingest[rc.slot], q, dir, out, r.talks[i], r.waits[i], r.holds[i], r.acws[i], agent, hash,
                    rc.day);
      }
    }
    queue.drain(q);
    q = queue.begin();
  }
}

}  // namespace

std::size_t engine::add_calls(const call_columns &b) try {
  impl &m = *impl_;
  m.check_whole();
  const std::size_t n = b.rows;
  check_length(b.call_id.size(), n, !m.opt.deduplicate, "call_id");
  check_codes(b.agent_id, n, "agent_id");
  check_codes(b.team_id, n, "team_id");
  check_codes(b.campaign_id, n, "campaign_id");
  check_codes(b.queue_id, n, "queue_id");
  check_codes(b.caller, n, "caller");
  check_length(b.direction.size(), n, false, "direction");
  check_length(b.start_ms.size(), n, false, "start_ms");
  check_length(b.wait_s.size(), n, true, "wait_s");
  check_length(b.talk_s.size(), n, false, "talk_s");
  check_length(b.hold_s.size(), n, true, "hold_s");
  check_length(b.acw_s.size(), n, true, "acw_s");
  check_length(b.outcome.size(), n, false, "outcome");

  // Intern each batch dictionary once: batch code -> engine code, per group-by dimension.
  const dictionary_column *by_dim[k_dimensions] = {&b.agent_id, &b.team_id, &b.campaign_id,
                                                   &b.queue_id, nullptr,    nullptr};
  std::array<std::vector<std::int32_t>, k_dimensions> remap;
  for (std::size_t i = 0; i < m.ndims; ++i) {
    const dictionary_column *col = by_dim[static_cast<std::size_t>(m.opt.group_by[i])];
    if (col == nullptr || col->codes.empty()) continue;
    remap[i].resize(col->dictionary.size());
    for (std::size_t k = 0; k < col->dictionary.size(); ++k)
      remap[i][k] = m.dicts[i].intern(col->dictionary[k]);
  }

  // Group of a row. When the batch dictionaries' sizes multiply to a small number, a memo indexed by
  // the row's batch codes in mixed radix (code -1 is digit 0) maps them to their cell's slot in this
  // batch in one load (see pass 1c); otherwise a cache of the last codes, else the group map.
  const dictionary_column *group_col[k_dimensions] = {};
  std::array<std::size_t, k_dimensions> stride{};
  std::size_t memo_size = 1;
  bool use_memo = m.ndims != 0;
  // At most 4n + 4096 entries of 4 B, and fewer than 2^31 (pass 1c indexes it in 32 bits).
  const std::size_t memo_max = std::min<std::size_t>(4 * n + 4096, std::size_t{1} << 31);
  for (std::size_t d = 0; d < m.ndims && use_memo; ++d) {
    const dictionary_column *col = by_dim[static_cast<std::size_t>(m.opt.group_by[d])];
    group_col[d] = (col == nullptr || col->codes.empty()) ? nullptr : col;
    stride[d] = memo_size;
    const std::size_t digits = group_col[d] == nullptr ? 1 : col->dictionary.size() + 1;
    if (digits > memo_max / memo_size) use_memo = false;
    memo_size *= digits;
  }
  std::vector<std::uint32_t> &memo = m.scratch_memo;
  if (use_memo) memo.resize(memo_size);
  auto engine_codes = [&](std::size_t i) {
    detail::group_codes codes{};
    for (std::size_t d = 0; d < m.ndims; ++d) {
      const dictionary_column *col = by_dim[static_cast<std::size_t>(m.opt.group_by[d])];
      if (col == nullptr || col->codes.empty()) continue;
      const std::int32_t bc = col->codes[i];
      codes[d] = bc < 0 ? 0 : remap[d][static_cast<std::size_t>(bc)];
    }
    return codes;
  };
  detail::group_codes last_codes{};
  const std::uint32_t no_group = detail::cell_index::none;
  std::uint32_t last_group = m.ndims == 0 ? m.group_for(last_codes) : no_group;

  // Boost.Accumulators: the extent of the accepted anchors of this batch (min and max start), folded
  // into the engine's extent after the batch (the merge of extents is ours: min of mins, max of maxes).
  namespace acc = boost::accumulators;
  acc::accumulator_set<std::int64_t, acc::stats<acc::tag::min, acc::tag::max>> extent;

  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto opt_at = [&](std::span<const double> col, std::size_t i) { return col.empty() ? nan : col[i]; };
  auto id_of = [&](std::size_t i) {
    return b.call_id.empty() ? "#" + std::to_string(i) : std::string(b.call_id[i]);
  };
  // The whole row as a record: for rejection reasons and the caller tracker only.
  auto fill = [&](call_record &r, std::size_t i) {
    r.call_id = id_of(i);
    r.agent_id.assign(at(b.agent_id, i));
    r.team_id.assign(at(b.team_id, i));
    r.campaign_id.assign(at(b.campaign_id, i));
    r.queue_id.assign(at(b.queue_id, i));
    r.caller.assign(at(b.caller, i));
    r.direction = static_cast<direction>(b.direction[i]);
    r.outcome = static_cast<call_outcome>(b.outcome[i]);
    r.start = from_unix_ms(b.start_ms[i]);
    const double w = opt_at(b.wait_s, i), h = opt_at(b.hold_s, i), a = opt_at(b.acw_s, i);
    r.wait_s = std::isnan(w) ? std::nullopt : std::optional<double>(w);
    r.talk_s = b.talk_s[i];
    r.hold_s = std::isnan(h) ? std::nullopt : std::optional<double>(h);
    r.acw_s = std::isnan(a) ? std::nullopt : std::optional<double>(a);
  };

  // Each cell the batch touches gets a slot: a detail::call_ingest that adds the cell's calls without
  // strings and keeps its counters and whole-second sums aside until the end of the batch, and whether
  // the cell's exact sums have room for the whole batch (if not, which real data never reaches, its
  // calls go through call_stats::add, which rejects the one that does not fit).
  std::vector<std::uint32_t> &slot_of = m.scratch_slot;   // cell -> slot in this batch (none outside)
  detail::counter_queue &queue = m.scratch_queue.make();  // the slots' histogram increments (pass 2)
  std::vector<std::uint32_t> &touched = m.scratch_touched;
  std::vector<detail::call_ingest> &ingest = m.scratch_ingest;
  std::vector<std::uint8_t> &room = m.scratch_room;
  touched.clear();
  ingest.clear();
  room.clear();
  auto slot_for = [&](std::uint32_t g, std::int32_t start) {
    const std::uint32_t c = m.cell_of_group(g, start);
    if (c >= slot_of.size()) slot_of.resize(m.cells.size(), detail::cell_index::none);
    if (slot_of[c] == detail::cell_index::none) {
      slot_of[c] = static_cast<std::uint32_t>(touched.size());
      touched.push_back(c);
      ingest.emplace_back(m.cells[c].state->calls, queue);
      room.push_back(ingest.back().has_room_for(n) ? 1 : 0);
    }
    return slot_of[c];
  };
  // Period starts: rows come mostly in time order, so the last day's start answers most rows.
  std::int32_t cached_day = 0, cached_start = m.days.period_start(0);

  // The passes go over the batch a range of rows_per_range rows at a time: the per-row scratch is a
  // range's, whatever the batch's size, and a range's columns, read by every pass, are still in the
  // processor's cache for the passes after the first. The memo, the slots and the queue last for the
  // batch.
  // Per row of a range: whether it is valid (pass 1a) and added by pass 2 (pass 1c), its slot and its
  // local day.
  std::vector<std::uint8_t> &ok_rows = m.scratch_ok;
  std::vector<detail::row_cell> &row_cells = m.scratch_row_cell;
  ok_rows.resize(std::min(n, rows_per_range));
  row_cells.resize(ok_rows.size());
  m.scratch_columns.resize(add_columns::columns * rows_per_range);
  std::uint8_t *const ok = ok_rows.data();  // by the row in its range
  // Agents, by batch agent code + 1 (row code -1: no agent column, or no agent): whether the string is
  // a name (an empty one is a call without agent; a connected call names its agent), and its stable
  // hash, by which call_stats keys agents (computed once per batch dictionary entry).
  std::vector<std::uint8_t> &named = m.scratch_named;
  std::vector<std::uint64_t> &agent_hash = m.scratch_agent_hash;
  named.assign(b.agent_id.dictionary.size() + 1, 0);
  agent_hash.assign(b.agent_id.dictionary.size() + 1, 0);
  bool all_named = true;  // then a code >= 0 is a name
  for (std::size_t k = 0; k < b.agent_id.dictionary.size(); ++k) {
    named[k + 1] = static_cast<std::uint8_t>(!b.agent_id.dictionary[k].empty());
    agent_hash[k + 1] = stable_id_hash(b.agent_id.dictionary[k]);
    all_named = all_named && named[k + 1] != 0;
  }
  // The passes index every column alike: an absent optional column reads as a range of NaN, an absent
  // agent column as one of code -1 (scratch kept filled between batches).
  auto absent = [n = std::min(n, rows_per_range)](auto &scratch, auto value) {
    if (scratch.size() < n) scratch.assign(n, value);
    return scratch.data();
  };
  const double *const wait_col = b.wait_s.empty() ? nullptr : b.wait_s.data();
  const double *const hold_col = b.hold_s.empty() ? nullptr : b.hold_s.data();
  const double *const acw_col = b.acw_s.empty() ? nullptr : b.acw_s.data();
  const std::int32_t *const agent_col = b.agent_id.codes.empty() ? nullptr : b.agent_id.codes.data();
  const double *const nan_col = absent(m.scratch_nan, nan);
  const std::int32_t *const no_code_col = absent(m.scratch_no_code, std::int32_t{-1});
  // Pass 1c's runs (see memo_run): with the memo, at most two group-by dimensions, no de-duplication and
  // no caller tracking. The codes of memo dimension d of the range from `lo` (an absent one: -1).
  const bool runs = use_memo && m.ndims <= 2 && !m.opt.deduplicate && !m.tracker;
  auto memo_codes = [&](std::size_t d, std::size_t lo) {
    return d < m.ndims && group_col[d] != nullptr ? group_col[d]->codes.data() + lo : no_code_col;
  };
  call_record r;  // scratch for reasons and the tracker
  // The memo holds slots for one period start, memo_start (rows come mostly in time order): a
  // row of a later period starts it afresh; a row of an earlier one (late data) bypasses it.
  std::int32_t memo_start = 0;
  bool memo_fresh = true;
  std::size_t accepted = 0;
  const validate_fn validate = simd().validate;
  m.counts.read += n;
  try {
    for (std::size_t lo = 0; lo < n; lo += rows_per_range) {
      const std::size_t hi = std::min(n, lo + rows_per_range);
      const std::size_t rows = hi - lo;

      const range_rows rr{ok,
                          add_columns{m.scratch_columns.data()},
                          row_cells.data(),
                          agent_col == nullptr ? no_code_col : agent_col + lo,
                          agent_hash.data(),
                          b.direction.data() + lo,
                          b.outcome.data() + lo,
                          b.talk_s.data() + lo,
                          wait_col == nullptr ? nan_col : wait_col + lo,
                          hold_col == nullptr ? nan_col : hold_col + lo,
                          acw_col == nullptr ? nan_col : acw_col + lo,
                          rows};

      // ---- Pass 1a: which rows are valid (see validate_rows). ----
      validate(rr, b.call_id.empty() ? b.call_id : b.call_id.subspan(lo, rows),
               all_named ? nullptr : named.data());

      // ---- Pass 1b: the reasons of the invalid rows, in row order (memchr finds them). ----
      const std::uint8_t *const ok_end = ok + rows;
      for (const std::uint8_t *bad = ok; bad != ok_end; ++bad) {
        bad = static_cast<const std::uint8_t *>(std::memchr(bad, 0, static_cast<std::size_t>(ok_end - bad)));
        if (bad == nullptr) break;
        const std::size_t i = lo + static_cast<std::size_t>(bad - ok);
        const std::int32_t dir = b.direction[i];
        const std::int32_t out = b.outcome[i];
        if (dir < 0 || dir > 1 || out < 0 || out > 6) {
          m.reject("call " + quoted(id_of(i)) + ": " +
                   (dir < 0 || dir > 1 ? "direction: value " + std::to_string(dir)
                                       : "outcome: value " + std::to_string(out)) +
                   " is not a valid enum value");
          continue;
        }
        fill(r, i);
        if (auto issue = check(r)) {
          m.reject(issue_text("call", r.call_id, *issue));
        } else {
          try {  // a duration check() accepts but call_stats refuses (>= 2^62): its own reason
            call_stats{}.add(r, 0);
            m.reject("call " + quoted(r.call_id) + ": invalid");
          } catch (const error &e) {
            m.reject("call " + quoted(r.call_id) + ": " + e.what());
          }
        }
      }

      // ---- Pass 1c, in row order: de-duplication, the cell (its slot) of each valid row, late data,
      // callers. ok[] becomes 0 for a row pass 2 does not add. ----
      std::size_t range_accepted = 0;
      // Most rows, in a short loop: a run of valid rows of one local day, in the latest period the
      // engine has seen (none of them is late), whose groups the memo has (with room). It stops at the
      // first other row, which the general loop below takes; the run goes on after it.
      const std::int64_t *const starts = b.start_ms.data() + lo;
      const std::int32_t *const codes0 = memo_codes(0, lo), *const codes1 = memo_codes(1, lo);
      std::int64_t run_min = std::numeric_limits<std::int64_t>::max();
      std::int64_t run_max = std::numeric_limits<std::int64_t>::min();
      auto memo_run = [&](std::size_t j, std::size_t rows) {
        if (memo_fresh || memo_start != cached_start || !m.have_latest || m.latest_start != cached_start)
          return j;
        const auto [first_ms, end_ms] = m.days.same_day(cached_day);
        run_rows run{ok,
                     starts,
                     codes0,
                     codes1,
                     static_cast<std::uint32_t>(stride[0]),
                     static_cast<std::uint32_t>(stride[1]),
                     memo.data(),
                     first_ms,
                     end_ms,
                     cached_day,
                     row_cells.data()};
        j = take_run(run, j, rows, run_min, run_max);
        range_accepted += run.taken;
        return j;
      };
      for (std::size_t i = lo; i < hi; ++i) {
        if (runs) {
          i = lo + memo_run(i - lo, rows);
          if (i == hi) break;
        }
        std::uint8_t &row_ok = ok[i - lo];
        if (row_ok == 0) continue;
        if (m.opt.deduplicate) {
          const std::uint64_t key = detail::record_key(tag_call, b.call_id[i]);
          if (!m.seen.insert(key)) {
            ++m.counts.duplicates;
            row_ok = 0;
            continue;
          }
        }
        const std::int64_t ms = b.start_ms[i];
        const std::int32_t day = m.days.local_day(ms);
        if (day != cached_day) {
          cached_day = day;
          cached_start = m.days.period_start(day);
        }
        const std::int32_t start = cached_start;
        std::uint32_t slot = 0;
        bool memo_hit = false;
        std::size_t at_memo = 0;
        if (use_memo) {
          if (start != memo_start || memo_fresh) {
            if (memo_fresh || start > memo_start) {
              std::fill(memo.begin(), memo.end(), no_group);
              memo_start = start;
              memo_fresh = false;
            }
          }
          if (start == memo_start) {
            for (std::size_t d = 0; d < m.ndims; ++d)
              if (group_col[d] != nullptr)
                at_memo += stride[d] * static_cast<std::size_t>(std::max(group_col[d]->codes[i], -1) + 1);
            slot = memo[at_memo];
            memo_hit = slot != no_group;
          }
        }
        if (!memo_hit) {
          std::uint32_t g = last_group;
          if (m.ndims != 0) {
            const detail::group_codes codes = engine_codes(i);
            if (g == no_group || codes != last_codes) {
              g = m.group_for(codes);
              last_codes = codes;
              last_group = g;
            }
          }
          slot = slot_for(g, start);
          // (A slot without room stays out of the memo: its rows take this path, which adds them one
          // at a time.)
          if (use_memo && start == memo_start && room[slot] != 0) memo[at_memo] = slot;
        }
        if (room[slot] != 0) {
          row_cells[i - lo] = {slot, day};
        } else {
          row_ok = 0;
          fill(r, i);
          try {
            m.cells[touched[slot]].state->calls.add(r, day);
          } catch (const error &e) {
            m.reject("call " + quoted(r.call_id) + ": " + e.what());
            continue;
          }
        }
        m.note_period(start);
        extent(ms);
        if (m.tracker && !at(b.caller, i).empty()) {
          fill(r, i);
          m.track_call(r, ms, touched[slot]);
        }
        ++range_accepted;
      }
      if (run_min <= run_max) {
        extent(run_min);
        extent(run_max);
      }
      accepted += range_accepted;
      m.counts.accepted += range_accepted;

      // ---- Pass 2, in row order: each row ok[] still marks into its cell's slot (see add_range). ----
      if (lo != 0 && lo % detail::call_ingest::max_calls == 0) flush_all(ingest);
      add_range(rr, ingest.data(), queue);
      if (range_accepted != 0) {
        m.note_anchor(acc::min(extent));
        m.note_anchor(acc::max(extent));
      }
    }
  } catch (...) {
    // Only std::bad_alloc can come here (a set, a map or a histogram growing), with part of the batch
    // in the cells and part in the slots: see engine::impl::broken.
    m.broken = true;
    throw;
  }
  // The calls of the slots into their cells (add_range left the queue empty), and the slots released.
  flush_all(ingest);
  for (std::uint32_t c : touched) slot_of[c] = detail::cell_index::none;
  return accepted;
} catch (const std::bad_alloc &) {
  impl_->fail_stop();
}

const char *batch_simd() noexcept {
  return simd().name;
}

std::uint32_t engine::impl::cell_of_group(std::uint32_t group, std::int32_t start_day) {
  if (group >= group_cell.size()) group_cell.resize(groups.size(), {0, detail::cell_index::none});
  auto &[cached_start, cached_cell] = group_cell[group];
  if (cached_cell != detail::cell_index::none && cached_start == start_day) return cached_cell;
  cached_cell = cell_for(group, start_day);
  cached_start = start_day;
  return cached_cell;
}

}  // namespace kpi

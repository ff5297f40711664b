// kpi::engine::merge: adds another engine's state (associative and commutative).
#include <algorithm>
#include <new>
#include <utility>

#include "engine/engine_impl.hpp"
#include "kpi/error.hpp"

namespace kpi {

namespace detail {

/// Throws errc::invalid_argument naming the first option in which `a` and `b` differ.
void require_same_options(const engine_options &a, const engine_options &b) {
  auto differ = [](const std::string &what) {
    throw error(errc::invalid_argument,
                "merge: the engines' " + what + " differ (merge needs the same options)");
  };
  if (a.group_by != b.group_by) differ("group_by dimensions");
  if (a.period != b.period) differ("period kinds");
  if (!(a.zone == b.zone)) differ("time zones");
  if (a.default_currency != b.default_currency) differ("default currencies");
  if (a.rates.has_value() != b.rates.has_value() || (a.rates && a.rates->target() != b.rates->target()))
    differ("conversion rates' targets");
  if (a.deduplicate != b.deduplicate) differ("deduplicate options");
  if (a.track_callers != b.track_callers || (a.track_callers && !(a.callers == b.callers)))
    differ("caller tracking options");
  if (a.track_first_orders != b.track_first_orders) differ("track_first_orders options");
  if (a.track_order_activity != b.track_order_activity ||
      (a.track_order_activity && a.order_activity_resolution_days != b.order_activity_resolution_days))
    differ("order activity options");
}

}  // namespace detail

namespace {

void add_counts(ingest_counts &into, const ingest_counts &from) {
  into.read += from.read;
  into.accepted += from.accepted;
  into.rejected += from.rejected;
  into.duplicates += from.duplicates;
  into.late += from.late;
  into.untracked += from.untracked;
  for (const std::string &r : from.reasons) {
    if (into.reasons.size() == ingest_counts::max_reasons) break;
    into.reasons.push_back(r);
  }
}

bool clash(const std::optional<currency> &a, const std::optional<currency> &b) noexcept {
  return a && b && *a != *b;
}

}  // namespace

void engine::merge(const engine &other) {
  merge_impl(other, false);
}

void engine::merge(engine &&other) {
  if (&other == this) {
    merge_impl(other, false);
    return;
  }
  try {
    merge_impl(other, true);
  } catch (...) {
    // A merge refused by its checks moved nothing: `other` keeps its state. One that failed later
    // (an exact sum's overflow) may have taken some of its cells: it is left empty, as it is below.
    const auto &cells = other.impl_->cells;
    if (std::any_of(cells.begin(), cells.end(), [](const detail::cell &c) { return !c.state.holds_state(); }))
      other.impl_ = std::make_unique<impl>(other.impl_->opt);
    throw;
  }
  // Its cells were taken: `other` starts again, empty, with the same options.
  other.impl_ = std::make_unique<impl>(other.impl_->opt);
}

// `steal`: `other` is an rvalue; its cells may be moved from.
void engine::merge_impl(const engine &other, bool steal) try {
  impl_->check_whole();
  other.impl_->check_whole();
  if (&other == this) {
    const engine copy(other);
    merge_impl(copy, false);
    return;
  }
  impl &m = *impl_;
  const impl &o = *other.impl_;
  detail::require_same_options(m.opt, o.opt);

  // ---- Checks first, so that a refused merge leaves this engine unchanged. ----
  if (m.opt.deduplicate) {
    std::optional<std::uint64_t> both;
    o.seen.for_each([&](std::uint64_t h) {
      if (!both && m.seen.contains(h)) both = h;
    });
    if (both)
      throw error(
          errc::invalid_argument,
          "merge: both engines accepted the same record id (it would count twice); with deduplicate, shard "
          "the input by record id");
  }
  // Codes of the other engine's groups in this engine, without interning (-1: unknown here).
  std::vector<std::array<std::int32_t, detail::k_dimensions>> known(o.groups.size());
  for (std::size_t g = 0; g < o.groups.size(); ++g)
    for (std::size_t i = 0; i < m.ndims; ++i) known[g][i] = m.dicts[i].find(o.dicts[i].at(o.groups[g][i]));
  for (const detail::cell &oc : o.cells) {
    const auto &codes = known[oc.group];
    if (std::any_of(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(m.ndims),
                    [](std::int32_t c) { return c < 0; }))
      continue;
    detail::group_codes key{};
    std::copy(codes.begin(), codes.end(), key.begin());
    const auto git = m.group_of.find(key);
    if (git == m.group_of.end()) continue;
    const std::uint32_t c = m.index.find(detail::cell_index::key(git->second, oc.start_day));
    if (c == detail::cell_index::none) continue;
    const group_state &a = m.cells[c].state;
    const group_state &b = oc.state;
    if (clash(a.orders.currency(), b.orders.currency()) ||
        clash(a.opportunities.currency(), b.opportunities.currency()) ||
        clash(a.spend.currency(), b.spend.currency()))
      throw error(errc::currency_mismatch, "merge: a group meets two currencies in period " +
                                               label(period{m.opt.period, oc.start_day}) +
                                               " (give both engines the same conversion rates)");
  }

  // ---- Merge. ----
  std::vector<std::uint32_t> group_map(o.groups.size());
  for (std::size_t g = 0; g < o.groups.size(); ++g) {
    detail::group_codes key{};
    for (std::size_t i = 0; i < m.ndims; ++i) key[i] = m.dicts[i].intern(o.dicts[i].at(o.groups[g][i]));
    group_map[g] = m.group_for(key);
  }
  std::vector<std::uint32_t> cell_map(o.cells.size());
  for (std::size_t c = 0; c < o.cells.size(); ++c) {
    const detail::cell &oc = o.cells[c];
    const std::uint32_t have = m.index.find(detail::cell_index::key(group_map[oc.group], oc.start_day));
    if (have != detail::cell_index::none) {
      detail::add_state(m.cells[have].state, oc.state);
      cell_map[c] = have;
    } else if (steal) {  // `other` is an rvalue (merge(engine &&)): not a const object; its box moves
      cell_map[c] =
          m.add_cell(group_map[oc.group], oc.start_day, std::move(const_cast<detail::cell &>(oc).state));
    } else {  // a copy is cheaper than a merge into an empty state
      cell_map[c] = m.add_cell(group_map[oc.group], oc.start_day, detail::boxed_state(oc.state));
    }
  }
  if (m.opt.track_first_orders)
    for (const auto &[h, e] : o.first_orders) m.observe_first_order(h, e.time_ms, cell_map[e.cell], true);
  if (m.opt.deduplicate) m.seen.merge(o.seen);
  if (o.tracker && o.tracker->pending() != 0) {
    // The other engine's pending caller outcomes are decided now (as if it saw no further call) and
    // filed in the merged cells; caller_tracker offers no merge of the pending calls themselves.
    caller_tracker copy = *o.tracker;
    std::vector<caller_outcome> out;
    copy.finish(out);
    for (caller_outcome &x : out) x.slot = cell_map[static_cast<std::size_t>(x.slot)];
    m.apply_outcomes(out);
  }
  add_counts(m.counts, o.counts);
  if (o.have_latest && (!m.have_latest || o.latest_start > m.latest_start)) {
    m.latest_start = o.latest_start;
    m.have_latest = true;
  }
  m.newest_call_ms = std::max(m.newest_call_ms, o.newest_call_ms);
  m.min_anchor_ms = std::min(m.min_anchor_ms, o.min_anchor_ms);
  m.max_anchor_ms = std::max(m.max_anchor_ms, o.max_anchor_ms);
} catch (const std::bad_alloc &) {
  impl_->fail_stop();  // (also when the copy or the checks ran out: to be safe)
}

}  // namespace kpi

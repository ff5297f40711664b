// kpi::engine queries: groups(), periods(), evaluate(), make_report() and to_json(report).
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <numeric>

#include "engine/engine_impl.hpp"
#include "kpi/error.hpp"

namespace kpi {

namespace {

using detail::cell;
using detail::k_dimensions;

/// Can cells of kind `cells` make up a period of kind `query`?
bool answerable(period_kind cells, period_kind query) noexcept {
  if (query == period_kind::none || query == cells) return true;
  switch (cells) {
    case period_kind::day:
      return true;
    case period_kind::month:
      return query == period_kind::quarter || query == period_kind::year;
    case period_kind::quarter:
      return query == period_kind::year;
    default:
      return false;
  }
}

void check_period(const engine_options &opt, period p) {
  const auto k = static_cast<std::int32_t>(p.kind);
  if (k < 0 || k > 5)
    throw error(errc::invalid_argument, "period kind " + std::to_string(k) + " is out of range");
  if (!answerable(opt.period, p.kind))
    throw error(errc::invalid_argument, std::string("an engine with ") + to_string(opt.period) +
                                            " periods cannot answer a " + to_string(p.kind) +
                                            " (it is not a union of whole " + to_string(opt.period) + "s)");
  if (p.kind != period_kind::none && period_of_day(p.start_day, p.kind).start_day != p.start_day)
    throw error(errc::invalid_argument, "period start day " + std::to_string(p.start_day) +
                                            " is not the first day of a " + to_string(p.kind));
  if (p.kind == period_kind::none && p.start_day != 0)
    throw error(errc::invalid_argument, "the period 'all' has start day 0");
}

/// The start days [lo, hi) of the engine cells inside `p` (all for kind none).
std::pair<std::int64_t, std::int64_t> day_range(period p) {
  if (p.kind == period_kind::none) return {INT64_MIN, INT64_MAX};
  return {p.start_day, next(p).start_day};
}

/// The same period one year earlier: a day's same date (29 February -> 28 February), a week 52 weeks
/// earlier, a month, quarter or year one calendar year earlier.
std::optional<period> year_before(period p) {
  using namespace std::chrono;
  if (p.kind == period_kind::none) return std::nullopt;
  if (p.kind == period_kind::week) return period{p.kind, p.start_day - 364};
  year_month_day ymd{sys_days{days{p.start_day}}};
  ymd -= years{1};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return period_of_day(static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count()), p.kind);
}

/// The instants of a query's window: the period's local-midnight window; for the period "all" the
/// engine's extent (the span of the accepted records' anchors), none before the first record.
std::optional<window> bounds_of(const engine::impl &m, period p, std::optional<window> extent) {
  if (p.kind == period_kind::none) return extent;
  return window_of(p, m.opt.zone);
}

/// The currency of a state's money, if it holds any.
std::optional<currency> currency_of(const group_state &s, const engine_options &opt) {
  if (auto c = s.orders.currency()) return c;
  if (auto c = s.opportunities.currency()) return c;
  if (auto c = s.spend.currency()) return c;
  if (opt.rates) return opt.rates->target();
  if (opt.default_currency != currency{}) return opt.default_currency;
  return std::nullopt;
}

const kpi_info &windowed(kpi_id id) {
  const kpi_info &i = info(id);
  if (i.evaluate == nullptr)
    throw error(errc::invalid_argument, std::string("KPI ") + std::string(i.name) +
                                            " is not computed from a window's state (use its own function)");
  return i;
}

bool values_less(const engine::impl &m, const detail::group_codes &a, const detail::group_codes &b,
                 const std::vector<std::size_t> &positions) {
  for (std::size_t pos : positions) {
    if (a[pos] == b[pos]) continue;
    return m.dicts[pos].at(a[pos]) < m.dicts[pos].at(b[pos]);
  }
  return false;
}

/// The provisional caller outcomes (every pending call decided as if no further call came), by cell.
std::vector<std::vector<caller_outcome>> provisional_outcomes(const engine::impl &m) {
  std::vector<std::vector<caller_outcome>> by_cell;
  if (!m.tracker || m.tracker->pending() == 0) return by_cell;
  caller_tracker copy = *m.tracker;
  std::vector<caller_outcome> out;
  copy.finish(out);
  by_cell.resize(m.cells.size());
  for (const caller_outcome &o : out) by_cell[static_cast<std::size_t>(o.slot)].push_back(o);
  return by_cell;
}

/// A window being merged from cells: the first state is copied (cheaper than merging into an empty
/// state, which inserts every histogram key one by one), the others merged.
struct window_acc {
  group_state s;
  bool empty = true;
  void add(const group_state &x) {
    if (empty) {
      s = x;
      empty = false;
    } else {
      detail::add_state(s, x);
    }
  }
};

void merge_cell(window_acc &into, const engine::impl &m, std::uint32_t c,
                const std::vector<std::vector<caller_outcome>> &pending) {
  into.add(m.cells[c].state);
  if (!pending.empty())
    for (const caller_outcome &o : pending[c]) into.s.calls.add_caller_outcome(o);
}

}  // namespace

std::vector<group_values> engine::groups() const {
  impl_->check_whole();
  const impl &m = *impl_;
  std::vector<bool> used(m.groups.size(), false);
  for (const cell &c : m.cells) used[c.group] = true;
  std::vector<std::uint32_t> order;
  for (std::uint32_t g = 0; g < m.groups.size(); ++g)
    if (used[g]) order.push_back(g);
  std::vector<std::size_t> all(m.ndims);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return values_less(m, m.groups[a], m.groups[b], all); });
  std::vector<group_values> out;
  out.reserve(order.size());
  for (std::uint32_t g : order) {
    group_values v;
    for (std::size_t i = 0; i < m.ndims; ++i)
      v.emplace_back(m.opt.group_by[i], m.dicts[i].at(m.groups[g][i]));
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<period> engine::periods() const {
  impl_->check_whole();
  std::vector<std::int32_t> starts;
  starts.reserve(impl_->cells.size());
  for (const cell &c : impl_->cells) starts.push_back(c.start_day);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<period> out;
  out.reserve(starts.size());
  for (std::int32_t s : starts) out.push_back({impl_->opt.period, s});
  return out;
}

value engine::evaluate(kpi_id id, const group_filter &filter, period p, const kpi_params &params) const {
  impl_->check_whole();
  const impl &m = *impl_;
  params.validate();
  windowed(id);
  check_period(m.opt, p);
  // Resolve the filter to codes; a value never seen matches nothing.
  std::array<std::int32_t, k_dimensions> want{};
  std::array<bool, k_dimensions> fixed{};
  bool matches_nothing = false;
  for (const auto &[d, v] : filter.fixed) {
    std::size_t pos = m.ndims;
    for (std::size_t i = 0; i < m.ndims; ++i)
      if (m.opt.group_by[i] == d) pos = i;
    if (pos == m.ndims)
      throw error(errc::invalid_argument, std::string("filter on ") + to_string(d) +
                                              ", which is not a group_by dimension of the engine");
    if (fixed[pos])
      throw error(errc::invalid_argument, std::string("filter fixes ") + to_string(d) + " twice");
    fixed[pos] = true;
    want[pos] = m.dicts[pos].find(v);
    if (want[pos] < 0) matches_nothing = true;
  }
  window_acc window, before, prev, yb;
  const auto [lo, hi] = day_range(p);
  std::optional<period> prev_p, yb_p;
  if (p.kind != period_kind::none) {
    prev_p = previous(p);
    yb_p = year_before(p);
  }
  const auto [plo, phi] = prev_p ? day_range(*prev_p) : std::pair<std::int64_t, std::int64_t>{0, 0};
  const auto [ylo, yhi] = yb_p ? day_range(*yb_p) : std::pair<std::int64_t, std::int64_t>{0, 0};
  if (!matches_nothing) {
    const auto pending = provisional_outcomes(m);
    for (std::uint32_t c = 0; c < m.cells.size(); ++c) {
      const cell &x = m.cells[c];
      bool match = true;
      for (std::size_t i = 0; i < m.ndims && match; ++i)
        if (fixed[i] && m.groups[x.group][i] != want[i]) match = false;
      if (!match) continue;
      const std::int64_t s = x.start_day;
      if (s >= lo && s < hi)
        merge_cell(window, m, c, pending);
      else if (s < lo)
        before.add(x.state);
      if (s >= plo && s < phi) merge_cell(prev, m, c, pending);
      if (s >= ylo && s < yhi) merge_cell(yb, m, c, pending);
    }
  }
  const kpi_context ctx(window.s, before.s, params, prev_p ? &prev.s : nullptr, yb_p ? &yb.s : nullptr,
                        bounds_of(m, p, extent()));
  return kpi::evaluate(id, ctx);
}

report engine::make_report(const report_request &req) const {
  impl_->check_whole();
  const impl &m = *impl_;
  req.params.validate();
  report rep;
  rep.counts = m.counts;
  if (req.kpis.empty()) {
    for (const kpi_info &i : catalog())
      if (i.evaluate != nullptr) rep.kpis.push_back(i.id);
  } else {
    for (kpi_id id : req.kpis) windowed(id);
    rep.kpis = req.kpis;
  }
  // The row dimensions, as positions in the engine's group_by.
  std::vector<std::size_t> positions;
  for (dimension d : req.group_by) {
    std::size_t pos = m.ndims;
    for (std::size_t i = 0; i < m.ndims; ++i)
      if (m.opt.group_by[i] == d) pos = i;
    if (pos == m.ndims)
      throw error(errc::invalid_argument, std::string("report group_by ") + to_string(d) +
                                              " is not a group_by dimension of the engine");
    if (std::find(positions.begin(), positions.end(), pos) != positions.end())
      throw error(errc::invalid_argument, std::string("report group_by repeats ") + to_string(d));
    positions.push_back(pos);
  }
  rep.group_by = req.group_by;
  const period_kind kind = req.period.value_or(m.opt.period);
  rep.period = kind;
  check_period(m.opt, kind == period_kind::none ? period{} : period_of_day(0, kind));

  // The report's periods: contiguous from the first to the last.
  std::vector<period> periods;
  if (kind == period_kind::none) {
    if (!m.cells.empty() || req.from || req.to) periods.push_back(period{});
  } else {
    std::optional<period> first = req.from, last = req.to;
    for (const std::optional<period> *x : {&first, &last}) {
      if (*x && (*x)->kind != kind)
        throw error(errc::invalid_argument,
                    std::string("report from/to must be ") + to_string(kind) + " periods");
      if (*x) check_period(m.opt, **x);
    }
    if (!m.cells.empty() && (!first || !last)) {
      std::int32_t lo = INT32_MAX, hi = INT32_MIN;
      for (const cell &c : m.cells) {
        lo = std::min(lo, c.start_day);
        hi = std::max(hi, c.start_day);
      }
      if (!first) first = period_of_day(lo, kind);
      if (!last) last = period_of_day(hi, kind);
    }
    if (first && last) {
      constexpr std::size_t max_periods = 1'000'000;
      for (period p = *first; p <= *last; p = next(p)) {
        if (periods.size() == max_periods)
          throw error(errc::invalid_argument, "report spans more than 1000000 periods");
        periods.push_back(p);
      }
    }
  }
  if (periods.empty()) return rep;

  // Output groups: the projections of the engine's groups onto `positions`, sorted by value; the overall
  // group (all cells) last.
  std::vector<detail::group_codes> out_groups;
  std::unordered_map<detail::group_codes, std::uint32_t, detail::group_codes_hash> out_of;
  std::vector<std::uint32_t> group_out(m.groups.size());
  for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
    detail::group_codes key{};
    for (std::size_t j = 0; j < positions.size(); ++j) key[positions[j]] = m.groups[g][positions[j]];
    auto [it, added] = out_of.try_emplace(key, static_cast<std::uint32_t>(out_groups.size()));
    if (added) out_groups.push_back(key);
    group_out[g] = it->second;
  }
  std::vector<std::uint32_t> order(out_groups.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return values_less(m, out_groups[a], out_groups[b], positions);
  });
  // Cells of each output group, by start day.
  std::vector<std::vector<std::uint32_t>> cells_of(out_groups.size());
  std::vector<std::uint32_t> all_cells(m.cells.size());
  std::iota(all_cells.begin(), all_cells.end(), 0u);
  std::sort(all_cells.begin(), all_cells.end(),
            [&](std::uint32_t a, std::uint32_t b) { return m.cells[a].start_day < m.cells[b].start_day; });
  for (std::uint32_t c : all_cells) cells_of[group_out[m.cells[c].group]].push_back(c);
  // Only groups that hold cells get rows (a group seen only in a rejected record has none).
  std::vector<std::uint32_t> row_groups;
  if (!positions.empty())
    for (std::uint32_t o : order)
      if (!cells_of[o].empty()) row_groups.push_back(o);

  const auto pending = provisional_outcomes(m);
  const std::size_t slots = row_groups.size() + (req.overall ? 1u : 0u);
  std::vector<report_row> grid(periods.size() * slots);

  auto run = [&](const std::vector<std::uint32_t> &cells, std::size_t slot, const group_values &gv) {
    const std::size_t np = periods.size();
    std::vector<window_acc> windows(np);
    window_acc before;
    // Cells before the first period, and the windows of the report's periods.
    std::size_t k = 0;
    for (std::uint32_t c : cells) {
      const std::int64_t s = m.cells[c].start_day;
      while (k < np && s >= day_range(periods[k]).second) ++k;
      if (s < day_range(periods[0]).first) {
        before.add(m.cells[c].state);
        continue;
      }
      if (k == np) break;
      if (s >= day_range(periods[k]).first) merge_cell(windows[k], m, c, pending);
    }
    // A window outside the report's range: merged from the group's cells.
    auto outside = [&](period p) {
      window_acc s;
      const auto [lo, hi] = day_range(p);
      for (std::uint32_t c : cells)
        if (m.cells[c].start_day >= lo && m.cells[c].start_day < hi) merge_cell(s, m, c, pending);
      return s;
    };
    auto index_of = [&](period p) -> std::optional<std::size_t> {
      if (p < periods.front() || p > periods.back()) return std::nullopt;
      const auto it = std::lower_bound(periods.begin(), periods.end(), p);
      if (it == periods.end() || *it != p) return std::nullopt;
      return static_cast<std::size_t>(it - periods.begin());
    };
    for (std::size_t i = 0; i < np; ++i) {
      const period p = periods[i];
      window_acc prev_s, yb_s;
      const group_state *prev = nullptr, *yb = nullptr;
      if (p.kind != period_kind::none) {
        if (i > 0) {
          prev = &windows[i - 1].s;
        } else {
          prev_s = outside(previous(p));
          prev = &prev_s.s;
        }
        const period y = *year_before(p);
        if (auto j = index_of(y)) {
          yb = &windows[*j].s;
        } else {
          yb_s = outside(y);
          yb = &yb_s.s;
        }
      }
      report_row &row = grid[i * slots + slot];
      row.group = gv;
      row.period = p;
      row.currency = currency_of(windows[i].s, m.opt);
      const kpi_context ctx(windows[i].s, before.s, req.params, prev, yb, bounds_of(m, p, extent()));
      row.values.reserve(rep.kpis.size());
      for (kpi_id id : rep.kpis) row.values.push_back(kpi::evaluate(id, ctx));
      if (!windows[i].empty) before.add(windows[i].s);
    }
  };
  for (std::size_t r = 0; r < row_groups.size(); ++r) {
    const detail::group_codes &key = out_groups[row_groups[r]];
    group_values gv;
    for (std::size_t j = 0; j < positions.size(); ++j)
      gv.emplace_back(req.group_by[j], m.dicts[positions[j]].at(key[positions[j]]));
    run(cells_of[row_groups[r]], r, gv);
  }
  if (req.overall) run(all_cells, row_groups.size(), {});
  rep.rows = std::move(grid);
  return rep;
}

std::string to_json(const report &r) {
  using json = nlohmann::ordered_json;
  json rows = json::array();
  for (const report_row &row : r.rows) {
    json group = json::object();
    for (const auto &[d, v] : row.group) group[to_string(d)] = v;
    json kpis = json::object();
    for (std::size_t i = 0; i < r.kpis.size() && i < row.values.size(); ++i) {
      const std::string name(info(r.kpis[i]).name);
      if (row.values[i])
        kpis[name] = *row.values[i];
      else
        kpis[name] = nullptr;
    }
    json o = json::object();
    o["group"] = std::move(group);
    o["period"] = label(row.period);
    o["kpis"] = std::move(kpis);
    if (row.currency)
      o["currency"] = std::string(row.currency->code());
    else
      o["currency"] = nullptr;
    rows.push_back(std::move(o));
  }
  json out = json::object();
  out["rows"] = std::move(rows);
  json dims = json::array();
  for (dimension d : r.group_by) dims.push_back(to_string(d));
  out["group_by"] = std::move(dims);
  out["period"] = to_string(r.period);
  json counts = json::object();
  counts["read"] = r.counts.read;
  counts["accepted"] = r.counts.accepted;
  counts["rejected"] = r.counts.rejected;
  counts["duplicates"] = r.counts.duplicates;
  counts["late"] = r.counts.late;
  counts["untracked"] = r.counts.untracked;
  counts["reasons"] = r.counts.reasons;
  out["counts"] = std::move(counts);
  return out.dump();
}

}  // namespace kpi

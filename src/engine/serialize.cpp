// kpi::engine::save / load: the versioned binary format of an engine's state (docs/engine.md).
//
//   offset 0   "KPIE"                    magic
//          4   u16 format version        3 (1 and 2 are read too)
//          6   u16 flags                 0 (reserved)
//          8   u64 body length           n
//         16   body                      n bytes, see save_body()
//       16+n   u32 CRC-32 (ISO-HDLC, as zlib) of bytes [0, 16+n)
//
// All integers little-endian; varints are unsigned LEB128 (src/stats/wire.hpp), signed values zigzag.
// The family states are written by their own save() (each with its tag and version).
//
// Version 2 adds, to version 1: the option flag 8 (track_order_activity) followed, when set, by the f64
// order activity resolution in days after the caller lateness; and, when that flag is set, each cell's
// order_activity after its six family states. Its customer_stats are version 2 (with the sums of the
// event instants); a version 1 file has version 1 customer_stats, which customer_stats::load reads.
//
// Version 3 adds, to version 2, when track_callers: after the identity sets, the engine's caller
// finalization watermark (u64, two's complement) and the caller tracker itself (kpi::caller_tracker's
// save(), slots written as cell ranks), so that calls after a load still decide the outcomes of calls
// before it. Versions 1 and 2 decided the pending outcomes at save, as if no further call came, and
// stored them in the cells; a file of those versions loads with an empty tracker.
#include <algorithm>
#include <boost/crc.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/engine_impl.hpp"
#include "kpi/error.hpp"
#include "stats/wire.hpp"

namespace kpi {

namespace {

namespace wire = detail::wire;

constexpr char magic[4] = {'K', 'P', 'I', 'E'};
constexpr std::uint16_t format_version = 3;
constexpr std::size_t header_size = 16;
constexpr std::size_t trailer_size = 4;
constexpr std::string_view what = "engine state";

void put_u16(std::string &out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xffu));
  out.push_back(static_cast<char>(v >> 8));
}
void put_u32(std::string &out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}
std::uint32_t get_u32(std::string_view b) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])) << (8 * i);
  return v;
}
std::uint16_t get_u16(std::string_view b) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[0]) |
                                    (static_cast<unsigned>(static_cast<unsigned char>(b[1])) << 8));
}
void put_zigzag(std::string &out, std::int64_t v) {
  wire::put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
std::int64_t get_zigzag(std::string_view &in) {
  const std::uint64_t u = wire::get_varint(in, what);
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1u);
}
void put_string(std::string &out, std::string_view s) {
  wire::put_varint(out, s.size());
  out.append(s);
}
std::string_view get_string(std::string_view &in, std::size_t max_len) {
  const std::uint64_t n = wire::get_varint(in, what);
  if (n > in.size() || n > max_len)
    wire::corrupt(what, "string length " + std::to_string(n) + " exceeds the input");
  const std::string_view s = in.substr(0, static_cast<std::size_t>(n));
  in.remove_prefix(static_cast<std::size_t>(n));
  return s;
}
void put_currency(std::string &out, currency c) {
  out.append(c.code());
}
currency get_currency(std::string_view &in) {
  if (in.size() < 3) wire::corrupt(what, "truncated");
  currency c;
  if (!currency::try_of(in.substr(0, 3), c)) wire::corrupt(what, "unknown currency code");
  in.remove_prefix(3);
  return c;
}
std::int64_t get_i64(std::string_view &in) {
  return static_cast<std::int64_t>(wire::get_u64(in, what));
}
std::int32_t get_day(std::string_view &in) {
  const std::int64_t v = get_zigzag(in);
  if (v < INT32_MIN || v > INT32_MAX) wire::corrupt(what, "day out of range");
  return static_cast<std::int32_t>(v);
}

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

void save_state(std::string &out, const group_state &s, bool activity) {
  s.calls.save(out);
  s.orders.save(out);
  s.leads.save(out);
  s.opportunities.save(out);
  s.customers.save(out);
  s.spend.save(out);
  if (activity) s.activity.save(out);
}

group_state load_state(std::string_view &in, const engine_options &opt) {
  group_state s;
  s.calls = call_stats::load(in);
  s.orders = order_stats::load(in);
  s.leads = lead_stats::load(in);
  s.opportunities = opportunity_stats::load(in);
  s.customers = customer_stats::load(in);
  s.spend = spend_stats::load(in);
  if (opt.track_order_activity) {
    s.activity = order_activity::load(in);
    if (s.activity.orders() != s.orders.orders())
      wire::corrupt(what, "order activity inconsistent with the cell's orders");
    if (s.activity.orders() != 0 &&
        s.activity.resolution_ms() != order_activity(opt.order_activity_resolution_days).resolution_ms())
      wire::corrupt(what, "order activity at another resolution than the engine's");
  }
  return s;
}

}  // namespace

std::string engine::save() const {
  impl_->check_whole();
  const impl &m = *impl_;
  std::string out(magic, 4);
  put_u16(out, format_version);
  put_u16(out, 0);
  wire::put_u64(out, 0);  // body length, patched below

  // ---- options ----
  wire::put_u8(out, static_cast<std::uint8_t>(m.ndims));
  for (dimension d : m.opt.group_by) wire::put_u8(out, static_cast<std::uint8_t>(d));
  wire::put_u8(out, static_cast<std::uint8_t>(m.opt.period));
  put_string(out, m.opt.zone.name());
  put_currency(out, m.opt.default_currency);
  wire::put_u8(out, m.opt.rates ? 1 : 0);
  if (m.opt.rates) put_currency(out, m.opt.rates->target());
  wire::put_u8(out, static_cast<std::uint8_t>(
                        (m.opt.deduplicate ? 1u : 0u) | (m.opt.track_callers ? 2u : 0u) |
                        (m.opt.track_first_orders ? 4u : 0u) | (m.opt.track_order_activity ? 8u : 0u)));
  wire::put_f64(out, m.opt.callers.repeat_call_window_days);
  wire::put_f64(out, m.opt.callers.callback_window_hours);
  wire::put_u8(out, m.opt.callers.timeouts_as_abandons ? 1 : 0);
  wire::put_f64(out, m.opt.caller_lateness_hours);
  if (m.opt.track_order_activity) wire::put_f64(out, m.opt.order_activity_resolution_days);

  // ---- counts and watermarks ----
  const ingest_counts &n = m.counts;
  for (std::uint64_t v : {n.read, n.accepted, n.rejected, n.duplicates, n.late, n.untracked})
    wire::put_varint(out, v);
  wire::put_varint(out, n.reasons.size());
  for (const std::string &r : n.reasons) put_string(out, r);
  wire::put_u64(out, static_cast<std::uint64_t>(m.min_anchor_ms));
  wire::put_u64(out, static_cast<std::uint64_t>(m.max_anchor_ms));
  wire::put_u8(out, m.have_latest ? 1 : 0);
  put_zigzag(out, m.have_latest ? m.latest_start : 0);
  wire::put_u64(out, static_cast<std::uint64_t>(m.newest_call_ms));

  // ---- canonical renumbering: used dictionary strings sorted, groups by codes, cells by (group, day) ----
  std::vector<bool> group_used(m.groups.size(), false);
  for (const detail::cell &c : m.cells) group_used[c.group] = true;
  std::array<std::vector<std::int32_t>, detail::k_dimensions> code_map;  // old code -> new code
  for (std::size_t i = 0; i < m.ndims; ++i) {
    std::vector<std::int32_t> used;
    std::vector<bool> seen(m.dicts[i].size(), false);
    for (std::size_t g = 0; g < m.groups.size(); ++g)
      if (group_used[g] && m.groups[g][i] != 0 && !seen[static_cast<std::size_t>(m.groups[g][i])]) {
        seen[static_cast<std::size_t>(m.groups[g][i])] = true;
        used.push_back(m.groups[g][i]);
      }
    std::sort(used.begin(), used.end(),
              [&](std::int32_t a, std::int32_t b) { return m.dicts[i].at(a) < m.dicts[i].at(b); });
    code_map[i].assign(m.dicts[i].size(), 0);
    wire::put_varint(out, used.size());
    for (std::size_t k = 0; k < used.size(); ++k) {
      code_map[i][static_cast<std::size_t>(used[k])] = static_cast<std::int32_t>(k + 1);
      put_string(out, m.dicts[i].at(used[k]));
    }
  }
  std::vector<std::uint32_t> groups;
  std::vector<detail::group_codes> new_codes(m.groups.size());
  for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
    if (!group_used[g]) continue;
    groups.push_back(g);
    for (std::size_t i = 0; i < m.ndims; ++i)
      new_codes[g][i] = code_map[i][static_cast<std::size_t>(m.groups[g][i])];
  }
  std::sort(groups.begin(), groups.end(),
            [&](std::uint32_t a, std::uint32_t b) { return new_codes[a] < new_codes[b]; });
  std::vector<std::uint32_t> group_rank(m.groups.size(), 0);
  wire::put_varint(out, groups.size());
  for (std::uint32_t r = 0; r < groups.size(); ++r) {
    group_rank[groups[r]] = r;
    for (std::size_t i = 0; i < m.ndims; ++i)
      wire::put_varint(out, static_cast<std::uint64_t>(new_codes[groups[r]][i]));
  }
  std::vector<std::uint32_t> cells(m.cells.size());
  std::iota(cells.begin(), cells.end(), 0u);
  auto cell_key = [&](std::uint32_t c) {
    return std::pair{group_rank[m.cells[c].group], m.cells[c].start_day};
  };
  std::sort(cells.begin(), cells.end(),
            [&](std::uint32_t a, std::uint32_t b) { return cell_key(a) < cell_key(b); });
  std::vector<std::uint32_t> cell_rank(m.cells.size(), 0);
  for (std::uint32_t r = 0; r < cells.size(); ++r) cell_rank[cells[r]] = r;

  wire::put_varint(out, cells.size());
  for (std::uint32_t c : cells) {
    const detail::cell &x = m.cells[c];
    wire::put_varint(out, group_rank[x.group]);
    put_zigzag(out, x.start_day);
    save_state(out, x.state, m.opt.track_order_activity);
  }

  // ---- identity sets ----
  if (m.opt.deduplicate) m.seen.save(out);
  if (m.opt.track_first_orders) {
    std::vector<std::uint64_t> keys;
    keys.reserve(m.first_orders.size());
    for (const auto &[h, e] : m.first_orders) keys.push_back(h);
    std::sort(keys.begin(), keys.end());
    wire::put_varint(out, keys.size());
    for (std::uint64_t h : keys) {
      const detail::first_order &e = m.first_orders.at(h);
      wire::put_u64(out, h);
      put_zigzag(out, e.time_ms);
      wire::put_varint(out, cell_rank[e.cell]);
    }
  }

  // ---- caller tracking (version 3): the watermark and the calls whose outcomes are still open ----
  if (m.opt.track_callers) {
    wire::put_u64(out, static_cast<std::uint64_t>(m.finalized_ms));
    m.tracker->save(out, [&](std::uint64_t slot) { return cell_rank[static_cast<std::size_t>(slot)]; });
  }

  const std::uint64_t body = out.size() - header_size;
  for (int i = 0; i < 8; ++i)
    out[8 + static_cast<std::size_t>(i)] = static_cast<char>((body >> (8 * i)) & 0xffu);
  put_u32(out, crc32(out));
  return out;
}

engine engine::load(std::string_view bytes) {
  if (bytes.size() < header_size + trailer_size)
    wire::corrupt(what, "truncated (shorter than header and checksum)");
  if (bytes.substr(0, 4) != std::string_view(magic, 4))
    wire::corrupt(what, "bad magic (not a saved kpi engine)");
  const std::uint16_t version = get_u16(bytes.substr(4));
  if (version == 0 || version > format_version)
    wire::corrupt(what, "unknown format version " + std::to_string(version) + " (this library reads 1 to 3)");
  if (get_u16(bytes.substr(6)) != 0) wire::corrupt(what, "unknown flags");
  std::string_view h = bytes.substr(8);
  const std::uint64_t body = wire::get_u64(h, what);
  if (body != bytes.size() - header_size - trailer_size)
    wire::corrupt(what, "length " + std::to_string(body) + " does not match the " +
                            std::to_string(bytes.size()) + " bytes given (truncated or trailing bytes)");
  const std::size_t crc_at = header_size + static_cast<std::size_t>(body);
  if (get_u32(bytes.substr(crc_at)) != crc32(bytes.substr(0, crc_at)))
    wire::corrupt(what, "checksum mismatch");
  std::string_view in = bytes.substr(header_size, static_cast<std::size_t>(body));

  try {
    // ---- options ----
    engine_options opt;
    const std::uint8_t ndims = wire::get_u8(in, what);
    if (ndims > detail::k_dimensions) wire::corrupt(what, "too many dimensions");
    for (std::uint8_t i = 0; i < ndims; ++i) {
      const std::uint8_t d = wire::get_u8(in, what);
      if (d >= detail::k_dimensions) wire::corrupt(what, "unknown dimension");
      opt.group_by.push_back(static_cast<dimension>(d));
    }
    const std::uint8_t kind = wire::get_u8(in, what);
    if (kind > 5) wire::corrupt(what, "unknown period kind");
    opt.period = static_cast<period_kind>(kind);
    const std::string_view zone = get_string(in, 256);
    try {
      opt.zone = time_zone::locate(zone);
    } catch (const error &e) {
      if (e.code() == errc::not_found) wire::corrupt(what, "unknown time zone");
      throw;
    }
    opt.default_currency = get_currency(in);
    const std::uint8_t has_rates = wire::get_u8(in, what);
    if (has_rates > 1) wire::corrupt(what, "bad rates flag");
    if (has_rates) opt.rates.emplace(get_currency(in));
    const std::uint8_t flags = wire::get_u8(in, what);
    if (flags > (version == 1 ? 7 : 15)) wire::corrupt(what, "unknown option flags");
    opt.deduplicate = (flags & 1u) != 0;
    opt.track_callers = (flags & 2u) != 0;
    opt.track_first_orders = (flags & 4u) != 0;
    opt.track_order_activity = (flags & 8u) != 0;
    opt.callers.repeat_call_window_days = wire::get_f64(in, what);
    opt.callers.callback_window_hours = wire::get_f64(in, what);
    const std::uint8_t timeouts = wire::get_u8(in, what);
    if (timeouts > 1) wire::corrupt(what, "bad timeouts flag");
    opt.callers.timeouts_as_abandons = timeouts == 1;
    opt.caller_lateness_hours = wire::get_f64(in, what);
    if (opt.track_order_activity) opt.order_activity_resolution_days = wire::get_f64(in, what);
    try {
      opt.validate();
      if (!opt.track_callers) (void)caller_tracker(opt.callers);
    } catch (const error &e) {
      wire::corrupt(what, std::string("invalid options: ") + e.what());
    }
    engine result(opt);
    impl &m = *result.impl_;

    // ---- counts and watermarks ----
    ingest_counts &n = m.counts;
    for (std::uint64_t *v : {&n.read, &n.accepted, &n.rejected, &n.duplicates, &n.late, &n.untracked})
      *v = wire::get_varint(in, what);
    if (n.accepted > n.read || n.rejected > n.read - n.accepted ||
        n.duplicates != n.read - n.accepted - n.rejected)
      wire::corrupt(what, "inconsistent ingest counts");
    const std::uint64_t reasons = wire::get_varint(in, what);
    if (reasons > ingest_counts::max_reasons || reasons > n.rejected) wire::corrupt(what, "too many reasons");
    for (std::uint64_t i = 0; i < reasons; ++i) n.reasons.emplace_back(get_string(in, 1u << 16));
    m.min_anchor_ms = get_i64(in);
    m.max_anchor_ms = get_i64(in);
    const std::uint8_t have_latest = wire::get_u8(in, what);
    if (have_latest > 1) wire::corrupt(what, "bad flag");
    m.have_latest = have_latest == 1;
    m.latest_start = get_day(in);
    m.newest_call_ms = get_i64(in);
    if ((n.accepted == 0) != (m.min_anchor_ms > m.max_anchor_ms)) wire::corrupt(what, "inconsistent extent");

    // ---- dictionaries ----
    for (std::size_t i = 0; i < ndims; ++i) {
      const std::uint64_t count = wire::get_varint(in, what);
      wire::check_count(count, 2, in, what);
      std::string_view prev;
      for (std::uint64_t k = 0; k < count; ++k) {
        const std::string_view s = get_string(in, in.size());
        if (s.empty() || (k > 0 && !(prev < s))) wire::corrupt(what, "dictionary not strictly sorted");
        m.dicts[i].intern(s);
        prev = s;
      }
    }
    // ---- groups ----
    const std::uint64_t ngroups = wire::get_varint(in, what);
    wire::check_count(ngroups, ndims, in, what);
    for (std::uint64_t g = 0; g < ngroups; ++g) {
      detail::group_codes codes{};
      for (std::size_t i = 0; i < ndims; ++i) {
        const std::uint64_t c = wire::get_varint(in, what);
        if (c >= m.dicts[i].size()) wire::corrupt(what, "group code outside its dictionary");
        codes[i] = static_cast<std::int32_t>(c);
      }
      if (g > 0 && !(m.groups.back() < codes)) wire::corrupt(what, "groups not strictly sorted");
      m.group_for(codes);
    }
    // ---- cells ----
    const std::uint64_t ncells = wire::get_varint(in, what);
    wire::check_count(ncells, 14, in, what);  // >= 2 bytes of key + 6 family headers of 2 bytes
    std::vector<std::uint32_t> cells_of_group(m.groups.size(), 0);
    for (std::uint64_t c = 0; c < ncells; ++c) {
      const std::uint64_t g = wire::get_varint(in, what);
      if (g >= m.groups.size()) wire::corrupt(what, "cell of an unknown group");
      const std::int32_t start = get_day(in);
      if (opt.period == period_kind::none ? start != 0 : period_of_day(start, opt.period).start_day != start)
        wire::corrupt(what, "cell period does not start a period");
      if (c > 0) {
        const detail::cell &last = m.cells.back();
        if (!(std::pair{last.group, last.start_day} < std::pair{static_cast<std::uint32_t>(g), start}))
          wire::corrupt(what, "cells not strictly sorted");
      }
      const std::uint32_t idx = m.cell_for(static_cast<std::uint32_t>(g), start);
      m.cells[idx].state = load_state(in, opt);
      ++cells_of_group[g];
    }
    for (std::uint32_t k : cells_of_group)
      if (k == 0) wire::corrupt(what, "a group without cells");
    // ---- identity sets ----
    if (opt.deduplicate) {
      m.seen = id_set::load(in);
      if (m.seen.size() > n.accepted) wire::corrupt(what, "more record ids than accepted records");
    }
    if (opt.track_first_orders) {
      const std::uint64_t count = wire::get_varint(in, what);
      wire::check_count(count, 10, in, what);
      std::vector<std::uint64_t> firsts(m.cells.size(), 0);
      std::uint64_t prev = 0;
      for (std::uint64_t k = 0; k < count; ++k) {
        const std::uint64_t h = wire::get_u64(in, what);
        if (k > 0 && h <= prev) wire::corrupt(what, "first orders not strictly sorted");
        prev = h;
        const std::int64_t t = get_zigzag(in);
        const std::uint64_t c = wire::get_varint(in, what);
        if (c >= m.cells.size()) wire::corrupt(what, "first order in an unknown cell");
        m.first_orders.emplace(h, detail::first_order{t, static_cast<std::uint32_t>(c)});
        ++firsts[c];
      }
      for (std::size_t c = 0; c < m.cells.size(); ++c)
        if (m.cells[c].state->orders.new_customers() != std::optional<std::uint64_t>(firsts[c]))
          wire::corrupt(what, "new-customer counts disagree with the first-order map");
    }
    if (opt.track_callers && version >= 3) {
      m.finalized_ms = get_i64(in);
      m.tracker = caller_tracker::load(in, opt.callers, m.cells.size());
    }
    if (!in.empty()) wire::corrupt(what, "trailing bytes in the body");
    return result;
  } catch (const error &e) {
    if (e.code() == errc::corrupt || e.code() == errc::io) throw;
    wire::corrupt(what, e.what());
  } catch (const std::length_error &) {
    wire::corrupt(what, "a length exceeds the input");
  }
}

}  // namespace kpi
